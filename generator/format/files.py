"""Stage 5: make generated Python exactly what black leaves unchanged.

Black formats about 1,500 lines a second here, so it is no longer run on the output:
``generator.format.layout`` lays out the templates' statements the way black would, and only
a statement it cannot prove is formatted by black, alone, at its real depth (results
cached on disk by text, black's version and mode; parallel when there are many). A
``compile()`` of every file then catches a template that wrote invalid Python. Either
failure is a bug in the generator, raised as ``FormatError`` naming the file, never
papered over by writing what came out.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from generator.cache import cache_read, cache_write, installed_version
from generator.errors import FormatError
from generator.format import layout
from generator.format.statements import long_statements
from generator.format.tokens import LINE_LENGTH, Unsupported

if TYPE_CHECKING:
    from black.mode import Mode

# Below this many lines in total, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD_LINES = 6000


def _mode() -> Mode:
    # why: black costs 0.25 s of imports; most runs lay out every statement without it
    from black.mode import Mode, TargetVersion

    return Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY311})


@functools.cache
def _mode_tag() -> str:
    return f"black-{installed_version('black')}-ll{LINE_LENGTH}-py311"


def _key(text: str) -> str:
    return hashlib.sha256(f"{_mode_tag()}\0{text}".encode()).hexdigest()


def _format_job(job: tuple[str, str]) -> tuple[str, str | None]:
    """Worker entry point: (formatted, failure reason), so failures cross processes."""
    # why: black costs 0.25 s of imports; most runs lay out every statement without it
    import black

    text, wrapper = job
    try:
        formatted = black.format_str(wrapper + text, mode=_mode())
    except Exception as exc:  # black raises several unrelated types for invalid code
        return "", (str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    if wrapper:
        if not formatted.startswith(wrapper):
            return "", "unexpected output for a class-body piece"
        formatted = formatted[len(wrapper) :].lstrip("\n")
    return formatted, None


def _run_jobs(jobs: list[tuple[str, str]]) -> list[tuple[str, str | None]]:
    total_lines = sum(text.count("\n") for text, _ in jobs)
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1 and total_lines >= PARALLEL_THRESHOLD_LINES:
        # why: most runs send black nothing; the pool's imports cost a cold run 5 ms
        from concurrent.futures import ProcessPoolExecutor

        # One job per task: statements vary from one line to a few hundred, and
        # sending a job costs far less than formatting it.
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_format_job, jobs, chunksize=1))
    return [_format_job(job) for job in jobs]


# -- statements the layout module cannot prove go to black, wrapped to their depth -----------


def _wrapper(depth: int) -> str:
    """Lines that open ``depth`` blocks, so a statement is formatted at its real depth."""
    if depth == 0:
        return ""
    opened = ["class _Piece:", "    def _piece(self):"][:depth]
    opened += [f"{'    ' * level}if _piece:" for level in range(2, depth)]
    return "\n".join(opened) + "\n"


def _statement_job(lines: tuple[str, ...]) -> tuple[str, str]:
    """A black job for one statement: (text, wrapper), a body added to a bare header."""
    first = lines[0]
    depth = (len(first) - len(first.lstrip(" "))) // 4
    text = "\n".join(lines) + "\n"
    if lines[-1].rstrip().endswith(":"):
        text += " " * (4 * depth + 4) + "pass\n"
    return text, _wrapper(depth)


def _unwrap(job: tuple[str, str], formatted: str) -> str:
    text, _ = job
    if text.endswith("pass\n"):
        formatted = formatted[: formatted.rstrip("\n").rfind("\n") + 1]
    return formatted.rstrip("\n")


_LONG_LINE = re.compile(rf"^.{{{LINE_LENGTH + 1},}}$", re.MULTILINE)


def lay_out_files(files: Mapping[str, str], *, use_cache: bool = True) -> dict[str, str]:
    """Return ``files`` with every ``.py`` file laid out as black would leave it."""
    result = dict(files)
    plans: dict[str, list[list[str] | tuple[str, str]]] = {}
    todo: dict[tuple[str, str], None] = {}
    for path in sorted(files):
        if not path.endswith(".py"):
            continue
        plan: list[list[str] | tuple[str, str]] = []
        if not _LONG_LINE.search(files[path], _header_end(files[path])):
            # nothing to split (most model modules): the template's lines are final
            plans[path] = [files[path].split("\n")]
            continue
        lines = files[path].split("\n")
        long_lines = [number for number, line in enumerate(lines) if len(line) > LINE_LENGTH]
        done_to = 0
        # only statements holding a long line change; the lines between pass through
        for start, end, statement in long_statements(lines, long_lines):
            plan.append(lines[done_to:start])
            try:
                plan.append(layout.lay_out_statement(statement))
            except Unsupported:
                job = _statement_job(statement.lines)
                plan.append(job)
                todo[job] = None
            done_to = end
        plan.append(lines[done_to:])
        plans[path] = plan
    done: dict[tuple[str, str], str] = {}
    pending = []
    for job in todo:
        hit = cache_read("black", _key(job[1] + job[0])) if use_cache else None
        if hit is None:
            pending.append(job)
        else:
            done[job] = hit.decode("utf-8")
    for job, (formatted, reason) in zip(pending, _run_jobs(pending), strict=True):
        if reason is not None:
            raise FormatError(next(p for p in plans if job in plans[p]), reason)
        done[job] = formatted
        if use_cache:
            cache_write("black", _key(job[1] + job[0]), formatted.encode("utf-8"))
    for path, plan in plans.items():
        out: list[str] = []
        for item in plan:
            out.extend(item if isinstance(item, list) else [_unwrap(item, done[item])])
        result[path] = "\n".join(out)
        _check_syntax(path, result[path])
    return result


def _header_end(text: str) -> int:
    """Where the comment lines opening a module end. They are never code, and the one
    naming the spec and its sha256 is longer than a line for most spec names, which
    would send every module through the statement-by-statement layout."""
    end = 0
    while text.startswith("#", end):
        newline = text.find("\n", end)
        if newline < 0:
            return len(text)
        end = newline + 1
    return end


def _check_syntax(path: str, text: str) -> None:
    """Black used to catch a template that writes invalid Python; now the compiler does."""
    try:
        compile(text, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        reason = f"{type(exc).__name__}: {exc.args[0] if exc.args else exc}{where}"
        raise FormatError(path, reason) from None
