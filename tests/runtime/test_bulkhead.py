"""Bulkhead slots under real asyncio concurrency (no sleeps beyond yielding)."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import ValidationError

from resilient_client._bulkhead import Bulkhead, BulkheadConfig

#: long enough that a wait never times out by accident in these tests
PATIENT = 30.0


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_admits_up_to_max_concurrency_then_rejects_at_once() -> None:
    bulkhead = Bulkhead(BulkheadConfig(max_concurrency=2))
    assert await bulkhead.acquire()
    assert await bulkhead.acquire()
    assert not await bulkhead.acquire()
    assert (bulkhead.in_flight, bulkhead.rejected) == (2, 1)
    bulkhead.release()
    assert await bulkhead.acquire()
    assert bulkhead.max_in_flight_seen == 2


async def test_concurrency_never_exceeds_limit() -> None:
    bulkhead = Bulkhead(BulkheadConfig(max_concurrency=3, acquire_timeout=PATIENT))
    running = 0
    peak = 0

    async def call() -> None:
        nonlocal running, peak
        assert await bulkhead.acquire()
        try:
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0)
            running -= 1
        finally:
            bulkhead.release()

    await asyncio.gather(*(call() for _ in range(50)))
    assert peak == 3
    assert bulkhead.max_in_flight_seen == 3
    assert (bulkhead.in_flight, bulkhead.rejected) == (0, 0)


async def test_waiter_gets_slot_when_one_is_released() -> None:
    bulkhead = Bulkhead(BulkheadConfig(max_concurrency=1, acquire_timeout=PATIENT))
    assert await bulkhead.acquire()
    waiter = asyncio.create_task(bulkhead.acquire())
    await settle()
    assert not waiter.done()
    assert bulkhead.waiting == 1
    bulkhead.release()
    assert await waiter
    assert bulkhead.in_flight == 1


async def test_waiters_are_served_first_in_first_out() -> None:
    bulkhead = Bulkhead(BulkheadConfig(max_concurrency=1, acquire_timeout=PATIENT))
    assert await bulkhead.acquire()
    order: list[int] = []

    async def wait(i: int) -> None:
        assert await bulkhead.acquire()
        order.append(i)
        bulkhead.release()

    tasks = [asyncio.create_task(wait(i)) for i in range(5)]
    await settle()
    bulkhead.release()
    await asyncio.gather(*tasks)
    assert order == [0, 1, 2, 3, 4]


async def test_newcomer_cannot_jump_the_queue() -> None:
    bulkhead = Bulkhead(BulkheadConfig(max_concurrency=1, acquire_timeout=PATIENT))
    assert await bulkhead.acquire()
    queued = asyncio.create_task(bulkhead.acquire())
    await settle()
    bulkhead.release()  # handed straight to the queued waiter
    newcomer = asyncio.create_task(bulkhead.acquire())
    await settle()
    assert queued.done() and queued.result()
    assert not newcomer.done()
    newcomer.cancel()
    await settle()


async def test_wait_times_out_and_counts_a_rejection() -> None:
    bulkhead = Bulkhead(BulkheadConfig(max_concurrency=1, acquire_timeout=0.01))
    assert await bulkhead.acquire()
    assert not await bulkhead.acquire()
    assert (bulkhead.rejected, bulkhead.waiting, bulkhead.in_flight) == (1, 0, 1)
    bulkhead.release()
    assert bulkhead.in_flight == 0  # the timed-out waiter was not handed the slot


async def test_cancelled_waiter_neither_leaks_nor_steals_a_slot() -> None:
    bulkhead = Bulkhead(BulkheadConfig(max_concurrency=1, acquire_timeout=PATIENT))
    assert await bulkhead.acquire()
    cancelled = asyncio.create_task(bulkhead.acquire())
    behind = asyncio.create_task(bulkhead.acquire())
    await settle()
    cancelled.cancel()
    await settle()
    assert cancelled.cancelled()
    assert bulkhead.waiting == 1
    bulkhead.release()
    assert await behind  # the slot skipped the cancelled waiter
    assert bulkhead.in_flight == 1
    bulkhead.release()
    assert bulkhead.in_flight == 0


async def test_waiter_cancelled_right_after_being_handed_a_slot_passes_it_on() -> None:
    bulkhead = Bulkhead(BulkheadConfig(max_concurrency=1, acquire_timeout=PATIENT))
    assert await bulkhead.acquire()
    first = asyncio.create_task(bulkhead.acquire())
    second = asyncio.create_task(bulkhead.acquire())
    await settle()
    bulkhead.release()  # hands the slot to `first` ...
    first.cancel()  # ... which is cancelled before it can resume
    await settle()
    assert first.cancelled()
    assert second.done() and second.result()
    assert bulkhead.in_flight == 1
    bulkhead.release()
    assert bulkhead.in_flight == 0


async def test_slot_released_when_the_guarded_call_fails() -> None:
    bulkhead = Bulkhead(BulkheadConfig(max_concurrency=1))

    async def failing_call() -> None:
        assert await bulkhead.acquire()
        try:
            raise ConnectionError("boom")
        finally:
            bulkhead.release()

    with pytest.raises(ConnectionError):
        await failing_call()
    assert bulkhead.in_flight == 0
    assert await bulkhead.acquire()


async def test_release_without_acquire_is_a_bug() -> None:
    bulkhead = Bulkhead(BulkheadConfig(max_concurrency=1))
    with pytest.raises(RuntimeError, match="without a matching acquire"):
        bulkhead.release()


def test_config_validation() -> None:
    assert BulkheadConfig(max_concurrency=4).acquire_timeout == 0.0
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        BulkheadConfig(max_concurrency=0)
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        BulkheadConfig(max_concurrency=1, acquire_timeout=-1)
    with pytest.raises(ValidationError, match="max_concurrency"):
        BulkheadConfig.model_validate({})
