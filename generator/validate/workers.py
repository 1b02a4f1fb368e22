"""Run the two validation phases in forked worker processes.

The keyword walk (3.1 s on GitHub's description) and the meta-schema phase do not depend
on each other nor on the rest of the pipeline, so a worker forked right after loading
checks while the main process builds and renders. "fork" shares the loaded document
with the child instead of pickling 3.6 MB of JSON; only the short list of problems comes
back through a pipe.

Nothing here may change an answer: a worker that crashes, raises, sends something
unexpected or does not answer in time is replaced by the same phase run in this
process, and where fork is unavailable (or unsafe: a process with other threads could
fork while one of them holds a lock) ``start`` declines and the caller validates
in-process.

A worker can also be forked before the document is loaded (``Standby``): it imports
what the keyword walk will need (``walk.prepare``: openapi-schema-validator, 0.17 s, or
openapi-spec-validator, 0.16-0.3 s, where the walk does not model the installed
version) while this process is still starting up and loading,
then receives the document pickled through shared memory (2 ms for the 0.75 MB
Kubernetes description). That takes the import off the critical path of a cold run; a
standby never handed a document is stopped unused.

One answer depends on where a phase runs, as it always did on the caller's
stack depth: a document nested deeply enough to exhaust Python's recursion limit gets
the "too deeply recursive" warning, but the exact point where the limit strikes (and so
the problems found before it) moves with the depth at which validation starts.
"""

from __future__ import annotations

import gc
import mmap
import multiprocessing
import pickle
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from generator.validate.fast import at_hand, disk_cache
from generator.validate.meta_phase import schema_phase
from generator.validate.phases import Found, PhaseResult, combine

#: The meta-schema phase in a second worker (True), in the main process right away
#: (False), or (None) in a worker only while fastjsonschema still has to compile the
#: meta-schema. On GitHub's description the keyword walk (about 3 s) is the longest
#: task whatever the placement; a third busy process on two cores slows it down more
#: than 0.5-1.2 s of extra work slows the main process (bench/validate_speed.py, median
#: of 3 cold runs: main 3.3 s, auto 3.8 s, worker 5.1 s from start to result).
SCHEMA_IN_WORKER: bool | None = False
#: A worker that has not answered by then is given up on and its phase run here instead.
TIMEOUT = 600.0
#: Room for the pickled document a standby receives (GitHub's 3.6 MB description takes
#: 1.9 MB); pages count only once written. A larger document gets a worker of its own.
STANDBY_BYTES = 64 * 1024 * 1024

Phase = Callable[[dict[str, Any], str], PhaseResult]


def _schema(document: dict[str, Any], kind: str) -> PhaseResult:
    return schema_phase(document, kind)


def _root(document: dict[str, Any], kind: str) -> PhaseResult:
    # why: the keyword walk's module tree, which a cached answer never pays for
    from generator.validate.walk import root_phase

    return root_phase(document, kind)


PHASES: dict[str, Phase] = {"schema": _schema, "root": _root}


def _well_formed(value: Any) -> bool:
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bool)):
        return False
    found = value[0]
    return isinstance(found, list) and all(
        isinstance(item, tuple)
        and len(item) == 3
        and isinstance(item[0], str)
        and isinstance(item[1], str)
        and item[2] in ("error", "warning")
        for item in found
    )


def _child(send: Connection, name: str, document: dict[str, Any], kind: str, disk: bool) -> None:
    try:
        with disk_cache(disk):
            value = PHASES[name](document, kind)
        send.send(("ok", value))
    except BaseException:  # the parent runs the phase itself; it needs no details
        pass
    finally:
        send.close()


def _standby_child(jobs: Connection, send: Connection, shared: mmap.mmap) -> None:
    try:
        # why: the point of a standby: these imports run while the parent loads the document
        from generator.validate.walk import prepare

        prepare()

        size = jobs.recv()  # EOFError: the parent needed no worker after all
        name, document, kind, disk = pickle.loads(shared[:size])
    except BaseException:  # the parent runs the phase itself; it needs no details
        send.close()
        return
    finally:
        jobs.close()
    _child(send, name, document, kind, disk)


class Standby:
    """A worker forked before there is a document, importing the validator meanwhile.

    ``_Worker`` takes it over with ``hand_over``; ``close`` stops it when nobody did.
    """

    def __init__(self, context: Any) -> None:
        self.shared = mmap.mmap(-1, STANDBY_BYTES)
        jobs, self.jobs = context.Pipe(duplex=False)
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_standby_child, args=(jobs, send, self.shared), daemon=True
        )
        self.process.start()
        jobs.close()
        send.close()
        self.taken = False

    def hand_over(self, job: tuple[str, dict[str, Any], str, bool]) -> bool:
        """Send the child its phase; False (and stopped) when it cannot take it."""
        try:
            data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
            if len(data) > len(self.shared) or not self.process.is_alive():
                raise ValueError("the document does not fit or the standby is gone")
            self.shared[: len(data)] = data
            self.jobs.send(len(data))
        except Exception:  # unpicklable, too large, a dead child: fork a worker as before
            self.close()
            return False
        self.taken = True
        self.jobs.close()
        self.shared.close()  # the child's own mapping of the pages stays valid
        return True

    def close(self) -> None:
        """Stop the child unless a ``_Worker`` has taken it over."""
        if self.taken:
            return
        self.taken = True
        self.jobs.close()
        self.receive.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.shared.close()


def standby() -> Standby | None:
    """A standby worker for the root phase, or None when this process should not fork."""
    context = _fork_context()
    if context is None or threading.active_count() > 1:
        return None
    try:
        return Standby(context)
    except OSError:  # no processes, pipes or memory left: fork after loading, or not at all
        return None


class _Worker:
    """One phase in a forked child; ``result()`` falls back to running it here."""

    def __init__(
        self,
        context: Any,
        name: str,
        document: dict[str, Any],
        kind: str,
        disk: bool,
        ready: Standby | None = None,
    ) -> None:
        self.name, self.document, self.kind, self.disk = name, document, kind, disk
        if ready is not None and ready.hand_over((name, document, kind, disk)):
            self.receive, self.process = ready.receive, ready.process
        else:
            self.receive, send = context.Pipe(duplex=False)
            self.process = context.Process(
                target=_child, args=(send, name, document, kind, disk), daemon=True
            )
            self.process.start()
            send.close()
        self._value: PhaseResult | None = None

    def result(self) -> PhaseResult:
        if self._value is None:
            self._value = self._receive() or self._here()
        return self._value

    def _receive(self) -> PhaseResult | None:
        value: Any = None
        try:
            if self.receive.poll(TIMEOUT):
                status, value = self.receive.recv()
                value = value if status == "ok" and _well_formed(value) else None
        except Exception:  # EOF (the worker died), a broken pipe, a bad pickle
            value = None
        self.close()
        return value  # type: ignore[no-any-return]

    def _here(self) -> PhaseResult:
        with disk_cache(self.disk):
            return PHASES[self.name](self.document, self.kind)

    def close(self) -> None:
        """Stop and reap the child (it may still be running when its answer is unneeded)."""
        self.receive.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


class Pending:
    """Both phases under way; ``result()`` combines them in the validator's order."""

    def __init__(self, schema: _Worker | PhaseResult, root: _Worker) -> None:
        self.schema, self.root = schema, root

    def result(self) -> list[Found]:
        try:
            schema = self.schema if isinstance(self.schema, tuple) else self.schema.result()
            return combine(schema, self.root.result)
        finally:
            self.root.close()
            if not isinstance(self.schema, tuple):
                self.schema.close()


def _fork_context() -> Any:
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


def start(
    document: dict[str, Any], kind: str, *, use_cache: bool, ready: Standby | None = None
) -> Pending | None:
    """Fork the workers (the root phase goes to ``ready`` if given), or None when this
    process should not fork."""
    context = _fork_context()
    if context is None or threading.active_count() > 1:
        return None
    # Frozen objects are never visited by the children's garbage collector, so their
    # pages (the whole document) stay shared instead of being copied on first collection.
    in_worker = SCHEMA_IN_WORKER
    if in_worker is None:
        with disk_cache(use_cache):
            in_worker = kind == "3.0" and not at_hand()
    gc.freeze()
    workers: list[_Worker] = []
    try:
        for name in ("root", "schema") if in_worker else ("root",):
            workers.append(
                _Worker(context, name, document, kind, use_cache, ready if name == "root" else None)
            )
    except OSError:  # no processes or pipes left: validate here
        for worker in workers:
            worker.close()
        return None
    finally:
        gc.unfreeze()
    if in_worker:
        return Pending(workers[1], workers[0])
    with disk_cache(use_cache):
        return Pending(_schema(document, kind), workers[0])
