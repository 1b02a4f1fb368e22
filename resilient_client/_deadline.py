"""The calls' deadlines, enforced with one timer per event loop instead of one each.

``asyncio.timeout`` around every attempt's send costs a ``TimerHandle`` per attempt: made,
pushed on the loop's heap, cancelled and left there until the heap is next cleaned,
about half of what the runtime itself spends on a call when the spec gives the call a
deadline (as the project's own specs do for every operation). Most attempts finish long
before their deadline, so ``DeadlineWatch`` keeps the in-flight attempts' deadlines in a
set and one timer armed at the earliest of them: entering and leaving are a set insert
and removal; the timer is moved only when an attempt's deadline is earlier than the one
it is armed for, and cancelled when the last attempt leaves (so calls one at a time still
make one timer each, without ``asyncio.timeout``'s other work; overlapping calls share
one). When it fires it cancels the attempts whose deadline has come (exactly
as ``asyncio.timeout`` does: ``Task.cancel``, then ``uncancel`` on the way out to tell
the deadline's cancellation from anyone else's) and re-arms for the next one.
"""

from __future__ import annotations

import asyncio
import math

__all__ = ["DeadlineWatch", "Guard"]


class Guard:
    """One attempt's deadline while its send runs."""

    __slots__ = ("cancelling", "expired", "task", "when")

    def __init__(self, when: float, task: asyncio.Task[object], cancelling: int) -> None:
        self.when = when
        self.task = task
        #: the task's pending cancellation requests when the guard was entered
        self.cancelling = cancelling
        #: the deadline came and cancelled the task
        self.expired = False


class DeadlineWatch:
    """The deadlines of one event loop's in-flight attempts, with one timer."""

    __slots__ = ("_armed_at", "_guards", "_handle", "loop")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._guards: set[Guard] = set()
        self._handle: asyncio.TimerHandle | None = None
        self._armed_at = math.inf

    def enter(self, seconds: float) -> Guard:
        """Cancel the current task in ``seconds`` unless ``leave`` comes first."""
        task = asyncio.current_task(self.loop)
        if task is None:
            raise RuntimeError("a deadline needs to run inside a task")
        guard = Guard(self.loop.time() + seconds, task, task.cancelling())
        self._guards.add(guard)
        if guard.when < self._armed_at:
            self._arm(guard.when)
        return guard

    def leave(self, guard: Guard) -> bool:
        """Stop watching ``guard``; True when its deadline cancelled the task and nobody
        else asked to (the caller then raises its timeout instead of CancelledError)."""
        guards = self._guards
        guards.discard(guard)
        if not guards and self._handle is not None:
            # Nothing left to watch: no timer outlives the calls (a quiet client leaves
            # nothing on the loop); the next call arms a new one.
            self._handle.cancel()
            self._handle = None
            self._armed_at = math.inf
        if guard.expired:
            return guard.task.uncancel() <= guard.cancelling
        return False

    def _arm(self, when: float) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._armed_at = when
        self._handle = self.loop.call_at(when, self._fire)

    def _fire(self) -> None:
        self._handle = None
        self._armed_at = math.inf
        now = self.loop.time()
        upcoming = math.inf
        for guard in self._guards:
            if guard.expired:
                continue
            if guard.when <= now:
                guard.expired = True
                guard.task.cancel()
            elif guard.when < upcoming:
                upcoming = guard.when
        if upcoming < math.inf:
            self._arm(upcoming)


def watch_for(current: DeadlineWatch | None) -> DeadlineWatch:
    """``current`` when it belongs to the running loop, else a new watch for that loop."""
    loop = asyncio.get_running_loop()
    if current is not None and current.loop is loop:
        return current
    return DeadlineWatch(loop)
