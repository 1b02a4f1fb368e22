"""The portal's generic pieces, without a client: one coroutine, an async iterator or an
async context manager run on the private loop thread for a blocking caller."""

from __future__ import annotations

import asyncio
import contextvars
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, ClassVar

import pytest

from resilient_client import ClientClosedError, NotFoundError, _portal
from resilient_client._portal import Portal

PROBE: contextvars.ContextVar[str] = contextvars.ContextVar("probe", default="unset")


def test_the_coroutines_context_changes_stay_on_the_loop() -> None:
    portal = Portal()

    async def set_probe() -> str:
        PROBE.set("inside")
        return PROBE.get()

    try:
        PROBE.set("caller")
        assert portal.call(set_probe()) == "inside"
        assert PROBE.get() == "caller"  # a copy, as asyncio.create_task gives
    finally:
        portal.close()


def test_a_call_from_the_loop_thread_is_refused() -> None:
    portal = Portal()

    async def reenter() -> None:
        async def inner() -> int:
            return 1

        portal.call(inner())

    try:
        with pytest.raises(RuntimeError, match="its own event loop thread"):
            portal.call(reenter())
    finally:
        portal.close()


def test_iterate_yields_in_the_callers_context_and_closes_early() -> None:
    portal = Portal()
    closed = threading.Event()

    async def numbers() -> AsyncIterator[str]:
        try:
            for i in range(5):
                await asyncio.sleep(0)
                yield f"{PROBE.get()}-{i}"
        finally:
            closed.set()

    try:
        PROBE.set("caller")
        with portal.iterate(numbers()) as items:
            assert next(items) == "caller-0"
            assert next(items) == "caller-1"
        assert closed.is_set()  # the generator's finally ran when the with ended
        assert list(portal.iterate(numbers())) == [f"caller-{i}" for i in range(5)]
    finally:
        portal.close()


def test_iterate_passes_errors_through() -> None:
    portal = Portal()

    async def failing() -> AsyncIterator[int]:
        yield 1
        raise NotFoundError("gone", status=404)

    try:
        items = portal.iterate(failing())
        assert next(items) == 1
        with pytest.raises(NotFoundError):
            next(items)
        with pytest.raises(StopIteration):
            next(items)
    finally:
        portal.close()


def test_wrap_context_enters_and_exits_in_one_context() -> None:
    portal = Portal()
    seen: list[str] = []

    @asynccontextmanager
    async def scoped() -> AsyncIterator[str]:
        token = PROBE.set("entered")
        try:
            yield PROBE.get()
        finally:
            seen.append(PROBE.get())
            PROBE.reset(token)  # raises ValueError if exit ran in another context

    try:
        with portal.wrap_context(scoped(), lambda value, context: value.upper()) as value:
            assert value == "ENTERED"
        assert seen == ["entered"]
    finally:
        portal.close()


def test_close_cancels_calls_still_running_in_other_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # close() joins the loop's thread for at most the grace: make it one no run reaches,
    # so a thread still alive afterwards means close() gave up rather than finished
    monkeypatch.setattr(_portal, "CANCEL_GRACE", 30.0)
    portal = Portal()
    outcome: list[BaseException] = []
    started = threading.Event()

    async def forever() -> None:
        started.set()
        await asyncio.sleep(30)

    def caller() -> None:
        try:
            portal.call(forever())
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=caller)
    thread.start()
    assert started.wait(5)
    portal.close()
    loop_thread = portal._thread
    assert loop_thread is not None and not loop_thread.is_alive()  # stopped, not given up on
    thread.join(5)  # (a hang guard: the caller was answered when the loop stopped)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], ClientClosedError)


class _RecordingCall(_portal._PendingCall[Any]):
    """Notes whether the call had ended when ``abandon`` let its caller go."""

    __slots__ = ()
    released: ClassVar[list[bool]] = []

    def abandon(self, loop: asyncio.AbstractEventLoop) -> None:
        super().abandon(loop)
        self.released.append(self._finished)


@pytest.mark.parametrize("scheduled", [True, False])
def test_an_interrupt_before_the_wait_still_cancels(
    scheduled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C can land between handing the call to the loop and waiting for it (a
    loaded machine deschedules the caller there): the call must not run on unseen."""
    # Far beyond the call's cleanup (microseconds): a caller let go by the grace running
    # out finds the call unfinished, whatever the machine's load.
    monkeypatch.setattr(_portal, "CANCEL_GRACE", 30.0)
    released: ClassVar[list[bool]] = []
    monkeypatch.setattr(_RecordingCall, "released", released)
    monkeypatch.setattr(_portal, "_PendingCall", _RecordingCall)
    portal = Portal()
    ran: list[str] = []

    async def job() -> None:
        ran.append("started")
        try:
            await asyncio.sleep(30)
        finally:
            ran.append("ended")

    async def tasks_left() -> int:
        return len(asyncio.all_tasks()) - 1  # this one

    try:
        assert portal.call(tasks_left()) == 0  # the loop runs
        loop = portal._loop
        assert loop is not None
        real = loop.call_soon_threadsafe
        calls: list[object] = []

        def interrupted(callback: Any, *args: Any) -> Any:
            if not calls:
                calls.append(callback)
                if scheduled:
                    real(callback, *args)
                raise KeyboardInterrupt
            return real(callback, *args)

        loop.call_soon_threadsafe = interrupted  # type: ignore[method-assign]
        with pytest.raises(KeyboardInterrupt):
            portal.call(job())
        loop.call_soon_threadsafe = real  # type: ignore[method-assign]
        # the caller was let go by the call's own end, not by the cancel grace running out
        assert released == [True]
        assert portal.call(tasks_left()) == 0  # nothing still running on the loop
        assert ran in ([], ["started", "ended"])
    finally:
        portal.close()


def test_a_callers_own_timeout_cancels_the_call() -> None:
    """A caller that bounds the wait itself (an alarm raising in its thread, as timeout
    decorators do) gets its exception, and the task does not run on."""
    portal = Portal()
    ended: list[str] = []

    async def slow() -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            ended.append("cancelled")
            raise
        ended.append("slept 30 s")

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError("the caller's own limit")

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(TimeoutError, match="the caller's own limit"):
            portal.call(slow())
        assert ended == ["cancelled"]  # cancelled, and before the caller went on
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        portal.close()
