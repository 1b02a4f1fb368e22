"""A private event loop in a daemon thread, for blocking callers of async code.

A sync client does not re-implement the request pipeline: it owns the async client and
runs each of its coroutines on this loop, blocking the calling thread for the answer.
So retries, breaker, cache, bulkhead, fallbacks, auth, redaction and metrics are the same
code for both clients, and the async client's state (breaker counts, cache, budget) is
only ever touched from the loop's thread.

What crosses the thread boundary, and how:

* **contextvars**: every coroutine runs in a copy of the caller's context, taken when
  the caller submits it, so ``correlation_scope(...)`` or ``with_raw_response``'s capture
  set in the calling thread are seen by the pipeline. The steps of one async iterator or
  async context manager share one context (taken when it is wrapped), as they would
  inside one ``async with``/``async for`` in a single task.
* **exceptions** come back unchanged (the same ``NotFoundError`` object, traceback
  included); ``StopAsyncIteration`` never crosses (iteration ends with a sentinel).
* **interruption**: when the caller stops waiting for any reason (``KeyboardInterrupt``
  in the main thread, an exception raised into the thread), the task is cancelled and
  the caller waits (bounded) for its cleanup, so the bulkhead slot and the breaker
  permit are released before the interruption propagates.
* **re-entry**: a call made from the loop's own thread (a fallback or an event sink
  calling the sync client) would wait for itself forever, so it raises ``RuntimeError``.

The loop starts on first use (a client that is built and dropped costs no thread) and
stops in ``close()``, which is idempotent.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import threading
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any, Generic, TypeVar

from ._exceptions import ClientClosedError
from ._sync_views import SyncContextManager, SyncIterator

T = TypeVar("T")
U = TypeVar("U")

#: how long an interrupted caller waits for the cancelled task to clean up
CANCEL_GRACE = 5.0
#: how often a waiting caller wakes to notice a Ctrl-C (seconds)
POLL_INTERVAL = 0.1
#: how many times this process is a fork's child: a portal started before a fork is dead
_FORKS = [0]
os.register_at_fork(after_in_child=lambda: _FORKS.__setitem__(0, _FORKS[0] + 1))


class Portal:
    """One event loop thread that runs coroutines for blocking callers."""

    def __init__(self, name: str = "resilient_client-sync") -> None:
        #: the thread's name, and the client named in ``ClientClosedError``
        self._name = name
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._generation = _FORKS[0]

    @property
    def name(self) -> str:
        return self._name

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def started(self) -> bool:
        return self._loop is not None

    def in_loop_thread(self) -> bool:
        return self._thread is not None and threading.current_thread() is self._thread

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        loop = self._loop
        if loop is not None and not self._closed and self._generation == _FORKS[0]:
            return loop
        if loop is not None and self._generation != _FORKS[0]:
            # The loop's thread did not survive os.fork(), and the client's locks and
            # pool belong to the parent: waiting here would hang the child for ever.
            raise RuntimeError(
                f"{self._name} was used before os.fork(); create sync clients in the "
                "process that uses them (after the fork)"
            )
        with self._lock:
            if self._closed:
                raise ClientClosedError(f"{self._name} is closed; create a new client")
            if self._loop is None:
                loop = asyncio.new_event_loop()
                ready = threading.Event()
                thread = threading.Thread(
                    target=_run_loop, args=(loop, ready), name=self._name, daemon=True
                )
                thread.start()
                ready.wait()
                self._thread = thread
                self._generation = _FORKS[0]
                self._loop = loop
            return self._loop

    def call(
        self, coro: Coroutine[Any, Any, T], *, context: contextvars.Context | None = None
    ) -> T:
        """Run ``coro`` on the loop and return its result (or raise its exception).

        ``context``: the context the task runs in; by default a copy of the caller's.
        """
        if self.in_loop_thread():
            coro.close()
            raise RuntimeError(
                "a sync client was called from its own event loop thread (from a fallback, "
                "an auth callable or an event sink?): that call would wait for itself"
            )
        try:
            loop = self._running_loop()
        except BaseException:
            coro.close()  # never awaited: close it so Python does not warn about it
            raise
        ctx = contextvars.copy_context() if context is None else context
        pending = _PendingCall(self, coro, ctx)
        try:
            # Inside the try: an interruption that lands before the wait still cancels.
            loop.call_soon_threadsafe(pending.start, loop)
            # Short waits, not one long one: a Ctrl-C the OS delivers to another thread
            # (the loop's) only sets a flag the main thread checks when it wakes up.
            while not pending.done.acquire(timeout=POLL_INTERVAL):
                pass
        except BaseException:
            pending.abandon(loop)
            raise
        return pending.outcome()

    def run_sync(self, function: Callable[[], T]) -> T:
        """Run a plain function on the loop's thread (state the pipeline mutates is read
        there, never concurrently with it); directly while the loop has not started."""
        if self._loop is None or self._closed or self.in_loop_thread():
            return function()

        async def in_loop() -> T:
            return function()

        return self.call(in_loop())

    def iterate(self, iterator: AsyncIterator[T]) -> SyncIterator[T]:
        """A blocking iterator over an async one; each ``next`` is one task on the loop."""
        return SyncIterator(self, iterator, contextvars.copy_context())

    def wrap_context(
        self,
        manager: AbstractAsyncContextManager[T],
        convert: Callable[[T, contextvars.Context], U],
    ) -> SyncContextManager[T, U]:
        """A blocking ``with`` over an async context manager; ``convert`` turns what it
        yields into the blocking view handed to the caller (given the shared context)."""
        return SyncContextManager(self, manager, convert, contextvars.copy_context())

    def close(self, final: Coroutine[Any, Any, Any] | None = None) -> None:
        """Run ``final`` (the async client's ``aclose``), then stop the loop and its
        thread. Idempotent; from the loop's own thread the stop is only scheduled."""
        with self._lock:
            if self._closed:
                if final is not None:
                    final.close()
                return
            loop, thread = self._loop, self._thread
            if loop is None or thread is None:
                self._closed = True
                if final is not None:
                    final.close()  # nothing ever ran: no connection to close
                return
        try:
            if final is not None:
                if self.in_loop_thread():
                    loop.create_task(final)
                else:
                    self.call(final)
        finally:
            with self._lock:
                self._closed = True
            loop.call_soon_threadsafe(loop.stop)
            if not self.in_loop_thread():
                thread.join(timeout=CANCEL_GRACE)


def _run_loop(loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
    asyncio.set_event_loop(loop)
    loop.call_soon(ready.set)
    try:
        loop.run_forever()
    finally:
        try:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()


class _PendingCall(Generic[T]):
    """One coroutine handed to the loop, and what became of it.

    ``start``, ``_settle`` and ``_cancel`` run on the loop's thread, in the order they
    were scheduled, so they need no lock; ``done`` is released exactly once, by whichever
    of them ends the call.
    """

    __slots__ = (
        "_context",
        "_coro",
        "_error",
        "_finished",
        "_portal",
        "_result",
        "_started",
        "_task",
        "abandoned",
        "done",
    )  # fmt: skip

    def __init__(
        self, portal: Portal, coro: Coroutine[Any, Any, T], context: contextvars.Context
    ) -> None:
        self._portal = portal
        self._coro = coro
        self._context = context
        self._task: asyncio.Task[T] | None = None
        self._result: T | None = None
        self._error: BaseException | None = None
        self._started = False
        self._finished = False
        self.abandoned = False
        #: held until the outcome is in (a bare lock: cheaper than an Event per call)
        self.done = threading.Lock()
        self.done.acquire()

    def _finish(self) -> None:
        if not self._finished:
            self._finished = True
            self.done.release()

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._started:
            return  # ``_cancel`` came first: the caller gave up before the loop got to it
        self._started = True
        if self.abandoned:
            self._coro.close()
            self._finish()
            return
        self._task = loop.create_task(self._coro, context=self._context)
        self._task.add_done_callback(self._settle)

    def _settle(self, task: asyncio.Task[T]) -> None:
        if task.cancelled():
            # Only the portal cancels: for a caller who stopped waiting, or when close()
            # stops the loop under a call still in flight (whose caller still waits).
            self._error = (
                ClientClosedError(f"{self._portal.name} was closed while the call ran")
                if self._portal.closed
                else asyncio.CancelledError()
            )
        else:
            self._error = task.exception()
            if self._error is None:
                self._result = task.result()
        self._finish()

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()  # its _settle finishes the call
        elif not self._started:
            # interrupted before ``start`` was even scheduled (or before it ran)
            self._started = True
            self._coro.close()
            self._finish()

    def abandon(self, loop: asyncio.AbstractEventLoop) -> None:
        """The caller stopped waiting: cancel the task and give it time to clean up, so
        its bulkhead slot and breaker permit are released before the caller goes on."""
        self.abandoned = True
        try:
            loop.call_soon_threadsafe(self._cancel)  # after ``start`` if that was scheduled
        except RuntimeError:
            return  # the loop is gone already
        self.done.acquire(timeout=CANCEL_GRACE)

    def outcome(self) -> T:
        if self._error is not None:
            error, self._error = self._error, None  # no reference cycle through the frame
            raise error
        return self._result  # type: ignore[return-value]  # T, set by _settle
