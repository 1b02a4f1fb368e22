"""Stage 5 on two cores: half of the files laid out and compiled by a forked child.

``files.lay_out_files`` is pure per file, so the files split into two groups of about
the same size; a child forked from this process (it shares the rendered text, nothing
is sent to it) lays out one group while this process lays out the other, and sends its
result back through a pipe (``marshal``: a dict of str, 1 MB in about a millisecond).
The output is the same text ``lay_out_files`` returns; a ``FormatError`` in the child
is raised here as if it had happened here, and a child that fails otherwise (a bug) has
its part redone here, so the error surfaces with its traceback.

Only worth it when a core is idle: the pipeline asks for it only after validation has
answered (a cold run's validation worker still has the other core) and
``second_core_idle`` holds. Measured on Kubernetes apps/v1 (20,000 lines; bench/RESULTS.md)
the fork and the pages both processes then copy cost about 15 ms of CPU; on a quiet
machine it saves about half of the layout's 0.09 s of wall time, on a loaded one it
loses those 15 ms, hence the load check.
"""

from __future__ import annotations

import marshal
import os
import signal
import threading
from collections.abc import Mapping

from generator.errors import FormatError
from generator.format.files import lay_out_files

#: Below this many characters of Python the fork costs more than half the layout saves.
FORK_THRESHOLD_CHARS = 200_000


def second_core_idle() -> bool:
    """True when a child may be forked and has a core to itself: fork exists, this
    process runs one thread (a lock another thread held would stay locked in the child),
    it may run on two cores or more, and the last minute's load average left one idle.
    On a busy machine the child only competes with this process and costs the fork."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return False
    return cores > 1 and load <= cores - 1


def split(files: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(mine, the child's): the ``.py`` files in two groups of about equal size, the
    other files in mine (they pass through unchanged)."""
    mine = {path: text for path, text in files.items() if not path.endswith(".py")}
    theirs: dict[str, str] = {}
    sizes = [0, 0]
    for path in sorted((p for p in files if p.endswith(".py")), key=lambda p: -len(files[p])):
        group = 0 if sizes[0] <= sizes[1] else 1
        (mine, theirs)[group][path] = files[path]
        sizes[group] += len(files[path])
    return mine, theirs


def lay_out_files_forked(files: Mapping[str, str], *, use_cache: bool = True) -> dict[str, str]:
    """``lay_out_files(files)``, with about half the work in a forked child."""
    if sum(len(text) for path, text in files.items() if path.endswith(".py")) < (
        FORK_THRESHOLD_CHARS
    ):
        return lay_out_files(files, use_cache=use_cache)
    mine, theirs = split(files)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: lay out its group, report, and leave without cleanup
        code = 0
        try:
            os.close(read_end)
            try:
                answer = marshal.dumps(("ok", lay_out_files(theirs, use_cache=use_cache)))
            except FormatError as exc:
                answer = marshal.dumps(("error", (exc.path, exc.reason)))
            with os.fdopen(write_end, "wb") as sink:
                sink.write(answer)
        except BaseException:  # the parent finds no answer and does this part itself
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    pipe = os.fdopen(read_end, "rb")
    try:
        result = lay_out_files(mine, use_cache=use_cache)
        data = pipe.read()
    except BaseException:
        os.kill(pid, signal.SIGKILL)  # it may be blocked writing to a pipe nobody reads
        raise
    finally:
        pipe.close()
        os.waitpid(pid, 0)
    try:
        kind, payload = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        # the child failed otherwise (a bug): redo its part here, where it raises
        # with its own traceback
        kind, payload = "ok", lay_out_files(theirs, use_cache=use_cache)
    if kind == "error":
        path, reason = payload
        raise FormatError(path, reason)
    result.update(payload)
    return {path: result[path] for path in files}
