"""``ReadTimer``: one timer bounding a long series of short waits (a body's reads).

``asyncio.timeout`` per read costs a context manager, a ``TimerHandle`` pushed on the
loop's heap and cancelled (left there until it would have fired), and a reschedule,
for every chunk. A body read from memory, or from a fast socket in small pieces, makes
thousands of reads whose data is already there, and those timers pile up on the heap.
Here each read only moves a deadline (``arm``) and clears a flag (``disarm``); the one
``TimerHandle`` is scheduled when none is pending and, when it fires, either finds the
read done (and goes away), or a later deadline (and is scheduled again for it), or a
read still waiting past its deadline, which it cancels as ``asyncio.timeout`` would.

Cancellation is told apart as in ``asyncio.timeout``: the task's ``cancelling()``
count is noted when a wait starts, and a ``CancelledError`` is this timer's only when
the timer fired and ``uncancel()`` brings the count back to that mark; a cancellation
from anyone else goes on as a ``CancelledError``.
"""

from __future__ import annotations

import asyncio

__all__ = ["ReadTimer"]


class ReadTimer:
    """Bounds each wait of one stream in turn (not thread-safe: one loop, one reader)."""

    __slots__ = ("_armed", "_baseline", "_expires", "_fired", "_handle", "_loop", "_task")

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task: asyncio.Task[object] | None = None
        self._handle: asyncio.TimerHandle | None = None
        self._expires = 0.0
        self._armed = False
        self._fired = False
        self._baseline = 0

    def arm(self, seconds: float) -> None:
        """The wait about to start (in the current task) may last ``seconds``."""
        task = asyncio.current_task()
        assert task is not None, "ReadTimer.arm() outside a task"
        # per wait: an async generator's steps may each run in another task (a sync
        # client's portal runs every next() as its own)
        self._task = task
        self._baseline = task.cancelling()
        expires = self._loop.time() + seconds
        self._expires = expires
        self._armed = True
        handle = self._handle
        if handle is None:
            self._handle = self._loop.call_at(expires, self._check)
        elif handle.when() > expires:  # a shorter wait than the pending timer's
            handle.cancel()
            self._handle = self._loop.call_at(expires, self._check)

    def disarm(self) -> None:
        """The wait ended (with data, an error, or this timer's cancellation)."""
        self._armed = False

    def expired(self) -> bool:
        """Called on a ``CancelledError`` from the wait: True when it was this timer's
        (the caller raises ``TimeoutError``), False when someone else cancelled."""
        if not self._fired:
            return False
        self._fired = False
        task = self._task
        assert task is not None
        return task.uncancel() <= self._baseline

    def close(self) -> None:
        self._armed = False
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _check(self) -> None:
        self._handle = None
        if not self._armed:
            return  # no wait in progress: the next arm() schedules again
        if self._loop.time() < self._expires:
            self._handle = self._loop.call_at(self._expires, self._check)
            return
        task = self._task
        if task is not None and not task.done():
            self._fired = True
            task.cancel()
