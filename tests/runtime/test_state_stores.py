"""The shared-state steps, run against the in-memory stores and a real redis-server.

Both backends must agree step for step: the Lua scripts in resilient_client/redis.py
and the Python in resilient_client/_state.py describe one state machine. Time comes
from an injected clock in both (Redis is handed the time by the scripts' callers), so
recovery timeouts, probe leases and rate-limit slots are checked without waiting;
only a cached entry's TTL is Redis's own and is checked as an upper bound.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from fakes import FakeClock
from redis_server import RedisServer

from resilient_client._state import (
    SHARED_BUSY,
    SHARED_CLOSED,
    SHARED_OPEN,
    SHARED_PROBE,
    MemoryBackend,
    ReturnableLimiterStore,
    StateBackend,
    gcra,
)
from resilient_client.redis import RedisBackend


@pytest.fixture(params=["memory", "redis"])
async def backend(request: pytest.FixtureRequest, clock: FakeClock) -> AsyncIterator[StateBackend]:
    if request.param == "memory":
        yield MemoryBackend(clock=clock)
        return
    server: RedisServer = request.getfixturevalue("redis_server")
    # A generous timeout: the machine running the suite may be busy, and these tests
    # are about the scripts, not about falling back.
    redis_backend = RedisBackend.from_url(
        server.url, prefix=f"test-{uuid.uuid4().hex}", clock=clock, timeout=2.0
    )
    yield redis_backend
    await redis_backend.aclose()


def ns(backend: StateBackend) -> str:
    return backend.namespace("svc", "http://127.0.0.1:1")


async def test_breaker_is_closed_until_tripped(backend: StateBackend) -> None:
    store = backend.breaker_store(ns(backend))
    assert store is not None
    assert await store.acquire(1, 30.0) == (SHARED_CLOSED, 0.0)


async def test_trip_opens_for_the_recovery_timeout(backend: StateBackend, clock: FakeClock) -> None:
    store = backend.breaker_store(ns(backend))
    assert store is not None
    await store.trip(10.0)
    state, left = await store.acquire(1, 30.0)
    assert state == SHARED_OPEN and left == pytest.approx(10.0, abs=1e-3)
    clock.advance(4.0)
    state, left = await store.acquire(1, 30.0)
    assert state == SHARED_OPEN and left == pytest.approx(6.0, abs=1e-3)
    # a second trip while open keeps the later end, never shortens it
    clock.advance(1.0)
    await store.trip(1.0)
    assert (await store.acquire(1, 30.0))[1] == pytest.approx(5.0, abs=1e-3)


async def test_half_open_hands_out_bounded_probe_permits(
    backend: StateBackend, clock: FakeClock
) -> None:
    store = backend.breaker_store(ns(backend))
    assert store is not None
    await store.trip(10.0)
    clock.advance(10.0)
    assert (await store.acquire(2, 30.0))[0] == SHARED_PROBE
    assert (await store.acquire(2, 30.0))[0] == SHARED_PROBE
    state, wait = await store.acquire(2, 30.0)
    assert state == SHARED_BUSY and wait == pytest.approx(30.0, abs=1e-3)
    # a probe that ends without a verdict returns its permit
    assert await store.probe_done(0, 2, 10.0) == SHARED_PROBE
    assert (await store.acquire(2, 30.0))[0] == SHARED_PROBE
    assert (await store.acquire(2, 30.0))[0] == SHARED_BUSY


async def test_probe_successes_close_and_a_failure_reopens(
    backend: StateBackend, clock: FakeClock
) -> None:
    store = backend.breaker_store(ns(backend))
    assert store is not None
    await store.trip(10.0)
    clock.advance(10.0)
    assert (await store.acquire(1, 30.0))[0] == SHARED_PROBE
    assert await store.probe_done(1, 2, 10.0) == SHARED_PROBE  # one of two successes
    assert (await store.acquire(1, 30.0))[0] == SHARED_PROBE
    assert await store.probe_done(1, 2, 10.0) == SHARED_CLOSED
    assert await store.acquire(1, 30.0) == (SHARED_CLOSED, 0.0)

    await store.trip(10.0)
    clock.advance(10.0)
    assert (await store.acquire(1, 30.0))[0] == SHARED_PROBE
    assert await store.probe_done(-1, 2, 10.0) == SHARED_OPEN
    state, left = await store.acquire(1, 30.0)
    assert state == SHARED_OPEN and left == pytest.approx(10.0, abs=1e-3)
    # a late verdict from a probe of an earlier round changes nothing
    assert await store.probe_done(1, 1, 10.0) == SHARED_OPEN


async def test_a_lost_probe_permit_is_reclaimed_after_its_lease(
    backend: StateBackend, clock: FakeClock
) -> None:
    store = backend.breaker_store(ns(backend))
    assert store is not None
    await store.trip(1.0)
    clock.advance(1.0)
    assert (await store.acquire(1, 5.0))[0] == SHARED_PROBE  # its holder then dies
    clock.advance(4.9)
    assert (await store.acquire(1, 5.0))[0] == SHARED_BUSY
    clock.advance(0.2)
    assert (await store.acquire(1, 5.0))[0] == SHARED_PROBE


async def test_cache_entries_carry_their_ttl(backend: StateBackend) -> None:
    store = backend.cache_store(ns(backend))
    assert store is not None
    assert await store.get("k") is None
    await store.set("k", b'200\napplication/json\n{"a": 1}', 30.0)
    found = await store.get("k")
    assert found is not None
    value, ttl = found
    assert value == b'200\napplication/json\n{"a": 1}'
    assert 0 < ttl <= 30.0
    assert await store.get("other") is None


async def test_limiter_grants_a_burst_then_spaces_requests(
    backend: StateBackend, clock: FakeClock
) -> None:
    store = backend.limiter_store(ns(backend))
    waits = [await store.reserve("*", 0.1, 3, 10.0) for _ in range(5)]
    assert [granted for granted, _ in waits] == [True] * 5
    assert [round(wait, 3) for _, wait in waits] == [0.0, 0.0, 0.0, 0.1, 0.2]
    # a wait beyond max_wait is refused and takes no slot
    assert await store.reserve("*", 0.1, 3, 0.25) == (False, pytest.approx(0.3, abs=1e-3))
    granted, wait = await store.reserve("*", 0.1, 3, 0.35)
    assert granted and wait == pytest.approx(0.3, abs=1e-3)
    # another key is another bucket
    assert await store.reserve("op", 0.1, 3, 0.0) == (True, 0.0)
    clock.advance(10.0)
    assert await store.reserve("*", 0.1, 3, 0.0) == (True, 0.0)


async def test_limiter_pause_holds_the_bucket(backend: StateBackend, clock: FakeClock) -> None:
    store = backend.limiter_store(ns(backend))
    await store.pause("*", 2.0, 0.1, 3)
    granted, wait = await store.reserve("*", 0.1, 3, 10.0)
    assert granted and wait == pytest.approx(2.0, abs=1e-3)
    # a shorter pause never shortens a longer one: the next slot is still the one after
    await store.pause("*", 0.5, 0.1, 3)
    assert (await store.reserve("*", 0.1, 3, 10.0))[1] == pytest.approx(2.1, abs=1e-3)


async def test_limiter_takes_back_its_newest_slot(backend: StateBackend, clock: FakeClock) -> None:
    store = backend.limiter_store(ns(backend))
    assert isinstance(store, ReturnableLimiterStore)
    assert (await store.take("*", 0.1, 1, 10.0))[:2] == (True, 0.0)
    granted, wait, slot = await store.take("*", 0.1, 1, 10.0)
    assert granted and wait == pytest.approx(0.1, abs=1e-3)
    assert slot == pytest.approx(clock() + 0.1, abs=1e-3)
    await store.give_back("*", slot, 0.1, 1)  # its waiter was cancelled
    # the next caller gets that slot, not the one after it
    assert (await store.reserve("*", 0.1, 1, 10.0))[1] == pytest.approx(0.1, abs=1e-3)
    assert (await store.reserve("*", 0.1, 1, 10.0))[1] == pytest.approx(0.2, abs=1e-3)


async def test_limiter_fills_a_slot_given_back_between_others(
    backend: StateBackend, clock: FakeClock
) -> None:
    store = backend.limiter_store(ns(backend))
    assert isinstance(store, ReturnableLimiterStore)
    slots = [(await store.take("*", 0.1, 1, 10.0))[2] for _ in range(4)]  # 0, .1, .2, .3
    await store.give_back("*", slots[1], 0.1, 1)  # the callers behind it keep theirs
    assert (await store.reserve("*", 0.1, 1, 10.0))[1] == pytest.approx(0.1, abs=1e-3)
    assert (await store.reserve("*", 0.1, 1, 10.0))[1] == pytest.approx(0.4, abs=1e-3)
    # two given back from the end, the later first: the bucket rewinds past both
    slots = [(await store.take("*", 0.1, 1, 10.0))[2] for _ in range(2)]  # .5, .6
    await store.give_back("*", slots[0], 0.1, 1)
    await store.give_back("*", slots[1], 0.1, 1)
    assert (await store.reserve("*", 0.1, 1, 10.0))[1] == pytest.approx(0.5, abs=1e-3)
    assert (await store.reserve("*", 0.1, 1, 10.0))[1] == pytest.approx(0.6, abs=1e-3)


async def test_limiter_drops_a_given_back_slot_that_passed_or_is_paused(
    backend: StateBackend, clock: FakeClock
) -> None:
    store = backend.limiter_store(ns(backend))
    assert isinstance(store, ReturnableLimiterStore)
    slots = [(await store.take("*", 0.1, 1, 10.0))[2] for _ in range(4)]  # 0, .1, .2, .3
    await store.give_back("*", slots[1], 0.1, 1)
    clock.advance(0.15)  # the hole at .1 has passed: sending now would crowd .2
    assert (await store.reserve("*", 0.1, 1, 10.0))[1] == pytest.approx(0.25, abs=1e-3)
    slots = [(await store.take("*", 0.1, 1, 10.0))[2] for _ in range(2)]  # .5, .6
    await store.give_back("*", slots[0], 0.1, 1)
    await store.pause("*", 1.0, 0.1, 1)  # the server said wait: no hole lets one through
    assert (await store.reserve("*", 0.1, 1, 10.0))[1] == pytest.approx(1.0, abs=1e-3)


def test_gcra_reference_values() -> None:
    assert gcra(0.0, 10.0, 1.0, 1, 5.0) == (True, 0.0, 11.0)
    assert gcra(11.0, 10.0, 1.0, 1, 5.0) == (True, 1.0, 12.0)
    assert gcra(20.0, 10.0, 1.0, 1, 5.0) == (False, 10.0, 20.0)
    assert gcra(12.0, 10.0, 1.0, 3, 5.0) == (True, 0.0, 13.0)


async def test_budget_starts_full_and_stays_within_bounds(backend: StateBackend) -> None:
    store = backend.budget_store(ns(backend))
    assert store is not None
    assert await store.add(-3.0, 50.0) == pytest.approx(47.0)
    assert await store.add(1.5, 50.0) == pytest.approx(48.5)
    assert await store.add(10.0, 50.0) == pytest.approx(50.0)
    assert await store.add(-80.0, 50.0) == pytest.approx(0.0)


async def test_reset_closes_for_everyone(backend: StateBackend, clock: FakeClock) -> None:
    store = backend.breaker_store(ns(backend))
    assert store is not None
    await store.trip(10.0)
    await store.reset()
    assert await store.acquire(1, 30.0) == (SHARED_CLOSED, 0.0)
    await store.reset()  # closed already: nothing changes
    assert await store.acquire(1, 30.0) == (SHARED_CLOSED, 0.0)
