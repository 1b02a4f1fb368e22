"""Call deadlines on one timer per event loop (resilient_client/_deadline.py).

A deadline is real loop time by nature (it must interrupt a send that hangs), so these
use deadlines of a few hundredths of a second, like the retry tests' hanging send.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from runtime_helpers import ItemClient

from resilient_client import ClientConfig, RequestTimeoutError, RetryConfig
from resilient_client._deadline import DeadlineWatch

OK = {"id": 1, "name": "a"}


def hanging_client(
    make_client: Callable[..., ItemClient], gate: asyncio.Event, arrived: list[object] | None = None
) -> ItemClient:
    """A client whose send waits for ``gate`` (forever unless the test sets it); each
    request is appended to ``arrived`` as it starts waiting."""

    async def send(request: httpx.Request) -> httpx.Response:
        if arrived is not None:
            arrived.append(request)
        await gate.wait()
        return httpx.Response(200, json=OK)

    http = httpx.AsyncClient(transport=httpx.MockTransport(send))
    return make_client(
        ClientConfig(timeout=10.0, retry=RetryConfig(max_attempts=1)), http_client=http
    )


def live_timers() -> int:
    heap = asyncio.get_running_loop()._scheduled  # type: ignore[attr-defined]
    return sum(1 for handle in heap if not handle.cancelled())


async def test_calls_in_flight_together_share_one_timer_and_leave_none(
    make_client: Callable[..., ItemClient],
) -> None:
    gate = asyncio.Event()
    arrived: list[object] = []
    client = hanging_client(make_client, gate, arrived)
    loop = asyncio.get_running_loop()
    timers: list[float] = []
    call_at = loop.call_at

    def counted(when: float, *args: Any, **kwargs: Any) -> asyncio.TimerHandle:
        timers.append(when)
        return call_at(when, *args, **kwargs)

    before = live_timers()
    loop.call_at = counted  # type: ignore[method-assign,assignment]
    try:
        calls = [asyncio.create_task(client.get_item(1, deadline=30.0)) for _ in range(50)]
        for _ in range(1000):  # a few loop turns, until all 50 wait for their answer
            if len(arrived) == 50:
                break
            await asyncio.sleep(0)
        assert len(arrived) == 50
        gate.set()
        await asyncio.gather(*calls)
    finally:
        loop.call_at = call_at  # type: ignore[method-assign]
    # asyncio.timeout per attempt made 50; the later deadlines queue behind the first
    assert len(timers) == 1
    assert live_timers() == before  # and nothing is left on the loop after the calls
    await client.get_item(1, deadline=30.0)  # one at a time: armed and cancelled again
    assert live_timers() == before


async def test_a_hanging_send_is_cut_at_the_deadline_and_others_go_on(
    make_client: Callable[..., ItemClient],
) -> None:
    gate = asyncio.Event()
    client = hanging_client(make_client, gate)
    # a long deadline in flight first: the timer is armed for it, then moved earlier
    patient = asyncio.create_task(client.get_item(1, deadline=5.0))
    await asyncio.sleep(0)
    with pytest.raises(RequestTimeoutError, match=r"deadline of 0\.03s exceeded") as caught:
        await client.get_item(1, deadline=0.03)
    assert type(caught.value.__cause__) is TimeoutError  # as asyncio.timeout chains it
    assert isinstance(caught.value.__cause__.__cause__, asyncio.CancelledError)
    gate.set()  # the other call was left alone
    assert (await patient).id == 1


async def test_a_cancelled_caller_is_cancelled_not_timed_out(
    make_client: Callable[..., ItemClient],
) -> None:
    client = hanging_client(make_client, asyncio.Event())
    caller = asyncio.create_task(client.get_item(1, deadline=5.0))
    await asyncio.sleep(0.01)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    assert caller.cancelled()


async def test_a_cancellation_racing_the_deadline_stays_a_cancellation() -> None:
    watch = DeadlineWatch(asyncio.get_running_loop())
    outcome: list[str] = []

    async def guarded() -> None:
        guard = watch.enter(0.0)  # due at once
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            outcome.append("timeout" if watch.leave(guard) else "cancelled")
            raise

    task = asyncio.create_task(guarded())
    await asyncio.sleep(0)  # the task is waiting; the watch's timer is due
    task.cancel()  # and someone else cancels it too
    with pytest.raises(asyncio.CancelledError):
        await task
    assert outcome == ["cancelled"]


def test_each_event_loop_gets_its_own_watch(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client()
    watches = []
    for _ in range(2):  # one client used from two loops in turn (as a sync wrapper may)
        asyncio.run(client.get_item(1, deadline=30.0))
        watches.append(client._rt.deadlines)
    assert watches[0] is not None and watches[1] is not None
    assert watches[0] is not watches[1] and watches[1].loop.is_closed()
