"""Client-side rate limiting: GCRA slots, deadline-bounded waits, the server's headers.

Fake clock and sleep throughout: a wait shows up as a recorded sleep, never as time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
import respx
from fakes import FakeClock, FakeSleep
from runtime_helpers import ItemClient

from resilient_client import (
    CircuitBreakerConfig,
    CircuitOpenError,
    CircuitState,
    ClientConfig,
    MemoryBackend,
    RateLimitConfig,
    RateLimitedError,
    RateLimitExceededError,
    RetryConfig,
)
from resilient_client._ratelimit import server_pause

OK = {"id": 1, "name": "a"}


def limited(**limit: object) -> ClientConfig:
    return ClientConfig(
        rate_limit=RateLimitConfig(**limit),  # type: ignore[arg-type]
        retry=RetryConfig(max_attempts=1),
    )


async def test_requests_beyond_the_burst_wait_for_their_slot(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper: FakeSleep
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client(limited(rate=10, burst=2))
    for _ in range(5):
        await client.get_item(1)
    assert route.call_count == 5
    assert [round(d, 6) for d in sleeper.delays] == [0.1, 0.1, 0.1]


async def test_a_wait_past_the_deadline_fails_at_once_without_sending(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper: FakeSleep
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client(limited(rate=1))
    await client.get_item(1, deadline=0.5)
    with pytest.raises(RateLimitExceededError) as refused:
        await client.get_item(1, deadline=0.5)
    assert route.call_count == 1 and sleeper.delays == []
    assert refused.value.retry_after == pytest.approx(1.0)
    assert refused.value.operation == "get_item"
    assert client.metrics().operations["get_item"].failures_by_kind == {"rate_limited": 1}
    # the refusal took no slot: with a deadline long enough, the call waits and goes
    await client.get_item(1, deadline=2.0)
    assert sleeper.delays == [pytest.approx(1.0)] and route.call_count == 2


async def test_max_wait_bounds_a_wait_without_a_deadline(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client(limited(rate=0.1, max_wait=5.0))
    await client.get_item(1)
    with pytest.raises(RateLimitExceededError):
        await client.get_item(1)


async def test_per_operation_buckets_are_independent(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper: FakeSleep
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    respx_mock.post("/items").respond(201, json=OK)
    client = make_client(limited(rate=1, per="operation"))
    await client.get_item(1)
    await client.create_item("a")
    assert sleeper.delays == []
    await client.get_item(1)
    assert sleeper.delays == [pytest.approx(1.0)]


async def test_a_429_retry_after_pauses_the_bucket(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper: FakeSleep
) -> None:
    route = respx_mock.get("/items/1")
    route.respond(429, headers={"Retry-After": "3"})
    client = make_client(limited(rate=100, burst=10))
    with pytest.raises(RateLimitedError):
        await client.get_item(1)
    route.respond(200, json=OK)
    await client.get_item(1)
    assert sleeper.delays == [pytest.approx(3.0)]


async def test_remaining_zero_pauses_until_the_reset(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper: FakeSleep
) -> None:
    route = respx_mock.get("/items/1")
    route.respond(200, json=OK, headers={"RateLimit-Remaining": "0", "RateLimit-Reset": "2"})
    client = make_client(limited(rate=100, burst=10))
    await client.get_item(1)
    route.respond(200, json=OK, headers={"RateLimit-Remaining": "5", "RateLimit-Reset": "9"})
    await client.get_item(1)
    await client.get_item(1)  # quota left: no new pause
    # after a pause the bucket restarts empty, at the configured rate (1/100 s), and
    # refills its burst from there: the server's fresh window is not spent at once
    assert sleeper.delays == [pytest.approx(2.0), pytest.approx(0.01)]


async def test_adaptive_off_ignores_the_server(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper: FakeSleep
) -> None:
    respx_mock.get("/items/1").respond(
        200, json=OK, headers={"RateLimit-Remaining": "0", "RateLimit-Reset": "2"}
    )
    client = make_client(limited(rate=100, burst=10, adaptive=False))
    await client.get_item(1)
    await client.get_item(1)
    assert sleeper.delays == []


async def test_a_shared_limit_holds_across_clients(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    sleeper: FakeSleep,
    clock: FakeClock,
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    backend = MemoryBackend(clock=clock)
    config = ClientConfig(
        state_backend=backend,
        rate_limit=RateLimitConfig(rate=2, scope="shared"),
        retry=RetryConfig(max_attempts=1),
    )
    one, two = make_client(config), make_client(config)
    await one.get_item(1)
    await two.get_item(1)  # the second replica waits for the slot the first took
    assert sleeper.delays == [pytest.approx(0.5)]


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (429, {"retry-after": "7"}, 7.0),
        (503, {"retry-after": "2"}, 2.0),
        (200, {"retry-after": "2"}, None),  # only a refusal's Retry-After pauses
        (200, {"ratelimit-remaining": "0", "ratelimit-reset": "4"}, 4.0),
        (200, {"ratelimit-remaining": "3", "ratelimit-reset": "4"}, None),
        (200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "5"}, 5.0),
        # GitHub style: the reset is a Unix time
        (200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000010"}, 10.0),
        # ... or in milliseconds (not a pause of 1.7e12 s that a shared bucket keeps)
        (200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000010500"}, 10.5),
        (200, {"ratelimit": "limit=10, remaining=0, reset=6"}, 6.0),
        (200, {"ratelimit": '"default";r=0;t=3'}, 3.0),
        (429, {"x-ratelimit-reset": "2"}, 2.0),
        (200, {"ratelimit-remaining": "zero", "ratelimit-reset": "4"}, None),
        (200, {}, None),
    ],
)
def test_server_pause(status: int, headers: dict[str, str], expected: float | None) -> None:
    assert server_pause(status, headers, 1_700_000_000.0) == expected


def test_rate_limit_config_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        RateLimitConfig(rate=0)
    with pytest.raises(ValueError):
        RateLimitConfig(rate=1, burst=0)
    with pytest.raises(ValueError):
        RateLimitConfig(rate=1, per="tenant")  # type: ignore[arg-type]


async def test_an_open_breaker_refuses_at_once_without_taking_a_slot(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper: FakeSleep
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client(limited(rate=1))
    client.circuit_breaker.force_open()
    for _ in range(3):
        with pytest.raises(CircuitOpenError):
            await client.get_item(1)
    # a refusal is immediate: it neither waits for a slot nor spends one
    assert sleeper.delays == [] and route.call_count == 0
    client.circuit_breaker.reset()
    await client.get_item(1)
    assert sleeper.delays == [] and route.call_count == 1


async def test_a_refused_slot_gives_back_the_half_open_probe_permit(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client(
        ClientConfig(
            rate_limit=RateLimitConfig(rate=0.01),  # one slot per 100 s
            retry=RetryConfig(max_attempts=1),
            circuit_breaker=CircuitBreakerConfig(recovery_timeout=1.0, half_open_max_calls=1),
        )
    )
    await client.get_item(1)  # spends the slot
    client.circuit_breaker.force_open()
    clock.advance(1.0)  # half-open: one probe permit
    for _ in range(2):
        # the probe permit taken for each attempt is returned when no slot comes:
        # otherwise the second call would be refused by the breaker instead
        with pytest.raises(RateLimitExceededError):
            await client.get_item(1)
    assert client.circuit_breaker.state is CircuitState.HALF_OPEN


class HeldSleep(FakeSleep):
    """FakeSleep whose waits block (until cancelled) while ``hold`` is set: a caller
    stays queued for its slot, as one really waiting would."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.hold = False

    async def __call__(self, seconds: float) -> None:
        if not self.hold:
            await super().__call__(seconds)
            return
        self.delays.append(seconds)
        await asyncio.Event().wait()


async def _queued(client: ItemClient, sleep: HeldSleep) -> asyncio.Task[object]:
    """A call that has reserved its slot and is waiting for it."""
    before = len(sleep.delays)
    task = asyncio.create_task(client.get_item(1))
    for _ in range(1000):  # a few loop turns in practice; bounded so a mistake fails
        if len(sleep.delays) > before:
            return task
        await asyncio.sleep(0)
    task.cancel()
    raise AssertionError("the call did not wait for a slot")


async def _cancel(task: asyncio.Task[object]) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.parametrize("scope", ["local", "shared"])
async def test_a_cancelled_waiter_gives_its_slot_back(
    respx_mock: respx.MockRouter, clock: FakeClock, scope: str
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    sleep = HeldSleep(clock)
    config = ClientConfig(
        state_backend=MemoryBackend(clock=clock) if scope == "shared" else None,
        rate_limit=RateLimitConfig(rate=10, scope=scope),  # type: ignore[arg-type]
        retry=RetryConfig(max_attempts=1),
    )
    client = ItemClient(config=config, clock=clock, sleep=sleep)
    await client.get_item(1)  # takes the free slot
    sleep.hold = True
    second = await _queued(client, sleep)  # slot at +0.1
    third = await _queued(client, sleep)  # slot at +0.2
    await _cancel(second)
    await _cancel(third)
    for _ in range(5):  # a shared store hears of it in the background
        await asyncio.sleep(0)
    sleep.hold = False
    # both slots came back: the next call waits for +0.1, not for +0.3
    await client.get_item(1)
    assert sleep.delays == [pytest.approx(0.1), pytest.approx(0.2), pytest.approx(0.1)]
    assert route.call_count == 2
    await client.aclose()


async def test_a_cancelled_waiter_between_others_leaves_its_slot_to_the_next_caller(
    respx_mock: respx.MockRouter, clock: FakeClock
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    sleep = HeldSleep(clock)
    client = ItemClient(config=limited(rate=10), clock=clock, sleep=sleep)
    await client.get_item(1)
    sleep.hold = True
    second = await _queued(client, sleep)  # +0.1
    third = await _queued(client, sleep)  # +0.2, keeps its place
    await _cancel(second)
    sleep.hold = False
    await client.get_item(1)  # fills +0.1
    await client.get_item(1)  # queues behind the third: +0.3
    assert sleep.delays[2:] == [pytest.approx(0.1), pytest.approx(0.3 - 0.1)]
    await _cancel(third)
    await client.aclose()


@pytest.mark.parametrize(
    ("headers", "limit", "expected"),
    [
        ({"Retry-After": "86400"}, {}, 60.0),  # a day: cut to the default max_pause
        ({"Retry-After": "86400"}, {"max_pause": 5.0}, 5.0),
        ({"Retry-After": "3"}, {"max_pause": 5.0}, 3.0),  # within the cap: as asked
        # a Unix time a year away (or a misread one) pauses no longer than the cap either
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "4102444800"}, {}, 60.0),
        ({"RateLimit-Remaining": "0", "RateLimit-Reset": "999999"}, {"max_pause": 9}, 9.0),
    ],
)
async def test_a_server_pause_is_capped_by_max_pause(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    sleeper: FakeSleep,
    headers: dict[str, str],
    limit: dict[str, float],
    expected: float,
) -> None:
    route = respx_mock.get("/items/1")
    route.respond(429, headers=headers)
    client = make_client(limited(rate=100, burst=10, max_wait=1e6, **limit))
    with pytest.raises(RateLimitedError):
        await client.get_item(1)
    route.respond(200, json=OK)
    await client.get_item(1)
    assert sleeper.delays == [pytest.approx(expected)]


def test_max_pause_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RateLimitConfig(rate=1, max_pause=0)


async def test_a_waiter_cancelled_in_half_open_returns_its_probe_permit_and_its_slot(
    respx_mock: respx.MockRouter, clock: FakeClock
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    sleep = HeldSleep(clock)
    config = ClientConfig(
        rate_limit=RateLimitConfig(rate=0.5),  # a slot every 2 s
        retry=RetryConfig(max_attempts=1),
        circuit_breaker=CircuitBreakerConfig(
            recovery_timeout=1.0, half_open_max_calls=1, success_threshold=1
        ),
    )
    client = ItemClient(config=config, clock=clock, sleep=sleep)
    await client.get_item(1)  # takes the free slot
    client.circuit_breaker.force_open()
    clock.advance(1.0)  # half-open: one probe permit
    sleep.hold = True
    probe = await _queued(client, sleep)  # holds the permit, waits 1 s for its slot
    await _cancel(probe)
    sleep.hold = False
    # permit and slot both came back: this call probes, in the same slot
    await client.get_item(1)
    assert client.circuit_breaker.state is CircuitState.CLOSED
    assert sleep.delays == [pytest.approx(1.0), pytest.approx(1.0)]
    assert route.call_count == 2
