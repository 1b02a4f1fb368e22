"""Stage 5: format generated Python with black, as a library.

Black is the slowest stage on large documents (~3,000 lines/s on one core), so results
are cached on disk keyed by the unformatted text, black's version and the mode, and big
packages are formatted in parallel processes. A black failure on generated code is a bug
in the generator: it is raised as ``FormatError`` naming the file, never papered over by
writing the unformatted text.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import itertools
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from black.mode import Mode

LINE_LENGTH = 100
# Below this many lines in total, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD_LINES = 6000


class FormatError(Exception):
    """Black rejected generated code: an internal error of the generator."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"black could not format generated file {path}: {reason}")


def cache_dir() -> Path:
    """The on-disk cache shared by the formatting and validation stages."""
    override = os.environ.get("GENERATE_CLIENT_CACHE_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "generate-client"


def cache_read(kind: str, key: str) -> bytes | None:
    try:
        return (cache_dir() / kind / key[:2] / key).read_bytes()
    except (OSError, ValueError):
        return None


def cache_write(kind: str, key: str, data: bytes) -> None:
    """Store atomically; any failure is ignored because the cache only saves time."""
    try:
        folder = cache_dir() / kind / key[:2]
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, folder / key)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
    except OSError:
        pass


def _mode() -> Mode:
    # black is imported on first use so FormatError and the cache helpers stay light.
    from black.mode import Mode, TargetVersion

    return Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY311})


@functools.cache
def _mode_tag() -> str:
    from importlib import metadata

    return f"black-{metadata.version('black')}-ll{LINE_LENGTH}-py311"


def _key(text: str) -> str:
    return hashlib.sha256(f"{_mode_tag()}\0{text}".encode()).hexdigest()


# -- pieces ------------------------------------------------------------------------------
#
# Black puts exactly two blank lines before a top-level def/class and one before a method,
# unless the line before is a decorator, a comment, the enclosing class header, or a
# stub def with no blank line after it. Cutting only where none of those apply (and the
# source already has a blank line) lets each piece be formatted alone and joined back
# with that fixed separator, giving the same text as formatting the whole file.

PIECE_LINES = 1500
_WRAPPER = "class _Piece:\n"
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of whole statements; class-body pieces are formatted inside a wrapper class."""

    text: str
    wrapper: str = ""
    separator: str = ""


def _start(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _clean_cut(lines: list[str], start: int) -> bool:
    """True if the statement starting at 1-based line ``start`` may begin a piece."""
    if start < 3 or lines[start - 2].strip():
        return False
    previous = next((ln for ln in reversed(lines[: start - 1]) if ln.strip()), "")
    return not previous.lstrip().startswith(("#", "@"))


def _candidates(tree: ast.Module, lines: list[str]) -> list[tuple[int, bool]]:
    found: list[tuple[int, bool]] = []
    for index, node in enumerate(tree.body):
        if index and isinstance(node, _DEFS) and _clean_cut(lines, _start(node)):
            found.append((_start(node), False))
        if isinstance(node, ast.ClassDef):
            for member in node.body[1:]:
                if isinstance(member, _DEFS) and _clean_cut(lines, _start(member)):
                    found.append((_start(member), True))
    return sorted(found)


def split_source(text: str, piece_lines: int | None = None) -> list[Piece]:
    """Cut ``text`` into pieces of about ``piece_lines`` lines at safe statement starts."""
    size = piece_lines or PIECE_LINES
    if text.count("\n") < 2 * size:
        return [Piece(text)]
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return [Piece(text)]  # black will report it properly
    lines = text.splitlines(keepends=True)
    cuts: list[tuple[int, bool]] = []
    last = 1
    for line, in_class in _candidates(tree, lines):
        if line - last >= size and len(lines) - line >= size // 2:
            cuts.append((line, in_class))
            last = line
    pieces: list[Piece] = []
    bounds = [(1, False), *cuts, (len(lines) + 1, False)]
    for (begin, in_class), (end, _) in itertools.pairwise(bounds):
        body = "".join(lines[begin - 1 : end - 1])
        if not pieces:
            pieces.append(Piece(body))
        elif in_class:
            pieces.append(Piece(body, _WRAPPER, "\n"))
        else:
            pieces.append(Piece(body, "", "\n\n"))
    return pieces


def join_pieces(formatted: list[tuple[Piece, str]]) -> str:
    return "".join(piece.separator + text for piece, text in formatted)


def _format_job(job: tuple[str, str]) -> tuple[str, str | None]:
    """Worker entry point: (formatted, failure reason), so failures cross processes."""
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
        from concurrent.futures import ProcessPoolExecutor

        # One job per task: job sizes vary from a 20-line model module to a 1,500-line
        # piece of _client.py, and batching by count once handed every _client.py piece
        # to one worker (GitHub, 493 jobs: a chunk of 61). Sending a job costs far less
        # than formatting it.
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_format_job, jobs, chunksize=1))
    return [_format_job(job) for job in jobs]


def format_files(files: Mapping[str, str], *, use_cache: bool = True) -> dict[str, str]:
    """Return ``files`` with every ``.py`` file black-formatted; others unchanged.

    Large files are cut into pieces at statement boundaries (see ``split_source``) so
    pieces can be formatted in parallel and cached on their own: after a small spec
    change only the pieces that changed are formatted again.
    """
    result = dict(files)
    plans: dict[str, list[Piece]] = {}
    for path in sorted(files):
        if not path.endswith(".py"):
            continue
        cached = cache_read("black", _key(files[path])) if use_cache else None
        if cached is not None:
            result[path] = cached.decode("utf-8")
        else:
            plans[path] = split_source(files[path])
    todo: dict[tuple[str, str], None] = {}
    done: dict[tuple[str, str], str] = {}
    for pieces in plans.values():
        for piece in pieces:
            job = (piece.text, piece.wrapper)
            hit = cache_read("black", _key(piece.wrapper + piece.text)) if use_cache else None
            if hit is not None:
                done[job] = hit.decode("utf-8")
            else:
                todo[job] = None
    failed: set[tuple[str, str]] = set()
    for job, (formatted, reason) in zip(todo, _run_jobs(list(todo)), strict=True):
        if reason is None:
            done[job] = formatted
            if use_cache:
                cache_write("black", _key(job[1] + job[0]), formatted.encode("utf-8"))
        else:
            failed.add(job)
    for path, pieces in plans.items():
        if any((p.text, p.wrapper) in failed for p in pieces):
            # Let black judge the whole file: the report then names the real problem.
            formatted, reason = _format_job((files[path], ""))
            if reason is not None:
                raise FormatError(path, reason)
        else:
            formatted = join_pieces([(p, done[(p.text, p.wrapper)]) for p in pieces])
        result[path] = formatted
        if use_cache:
            cache_write("black", _key(files[path]), formatted.encode("utf-8"))
    return result


# -- without black -----------------------------------------------------------------------
#
# generator.layout lays out every statement our templates emit the way black leaves it;
# the rare statement it cannot prove (see layout.Unsupported) is formatted by black alone,
# inside a wrapper that puts it at its real depth. The result equals what black keeps
# unchanged: tests check black(output) == output on every generated file.


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
    from generator.layout import Unsupported, lay_out_statement, statements

    result = dict(files)
    plans: dict[str, list[list[str] | tuple[str, str]]] = {}
    todo: dict[tuple[str, str], None] = {}
    for path in sorted(files):
        if not path.endswith(".py"):
            continue
        plan: list[list[str] | tuple[str, str]] = []
        if not _LONG_LINE.search(files[path]):
            # nothing to split (most model modules): the template's lines are final
            plans[path] = [files[path].split("\n")]
            continue
        for statement in statements(files[path]):
            try:
                plan.append(lay_out_statement(statement))
            except Unsupported:
                job = _statement_job(statement.lines)
                plan.append(job)
                todo[job] = None
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
        lines: list[str] = []
        for item in plan:
            lines.extend(item if isinstance(item, list) else [_unwrap(item, done[item])])
        result[path] = "\n".join(lines)
        _check_syntax(path, result[path])
    return result


def _check_syntax(path: str, text: str) -> None:
    """Black used to catch a template that writes invalid Python; now the compiler does."""
    try:
        compile(text, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        reason = f"{type(exc).__name__}: {exc.args[0] if exc.args else exc}{where}"
        raise FormatError(path, reason) from None
