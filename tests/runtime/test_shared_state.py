"""Clients sharing breaker state and cached answers through a state backend.

Two clients given one ``MemoryBackend`` stand for two replicas (the Redis backend runs
the same steps; tests/runtime/test_state_stores.py holds both to one suite, and
tests/integration/test_replicas.py runs real processes against Redis). Time is the
fake clock; the HTTP side is respx.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from fakes import FakeClock
from runtime_helpers import GET_ITEM, ItemClient

from resilient_client import (
    CircuitBreakerConfig,
    CircuitOpenError,
    CircuitState,
    ClientConfig,
    RetryConfig,
    ServerError,
)
from resilient_client._retry import RetryBudget
from resilient_client._state import (
    SHARED_CLOSED,
    BackendHealth,
    BreakerStore,
    BudgetStore,
    CacheStore,
    LimiterStore,
    MemoryBackend,
)


def shared_config(backend: Any, **overrides: Any) -> ClientConfig:
    values: dict[str, Any] = {
        "state_backend": backend,
        "retry": RetryConfig(max_attempts=1),
        "circuit_breaker": CircuitBreakerConfig(
            failure_threshold=3,
            recovery_timeout=10.0,
            success_threshold=1,
            failure_rate_threshold=None,
        ),
        "cache_operations": frozenset({"get_item"}),
    }
    values.update(overrides)
    return ClientConfig(**values)


async def fail(client: ItemClient, times: int) -> None:
    for _ in range(times):
        with pytest.raises(ServerError):
            await client.get_item(1, use_cache=False)


async def test_a_breaker_opened_by_one_replica_refuses_calls_in_another(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    backend = MemoryBackend(clock=clock)
    route = respx_mock.get("/items/1").respond(503)
    one, two = make_client(shared_config(backend)), make_client(shared_config(backend))
    await fail(one, 3)
    await asyncio.sleep(0)  # the trip is published in the background
    assert one.circuit_breaker.state is CircuitState.OPEN
    with pytest.raises(CircuitOpenError) as refused:
        await two.get_item(1, use_cache=False)
    assert route.call_count == 3  # the second replica sent nothing
    assert refused.value.retry_after == pytest.approx(10.0)
    assert "every replica" in str(refused.value)
    # the refusing replica's own breaker follows, so its state and stats say so
    assert two.circuit_breaker.state is CircuitState.OPEN
    assert two.circuit_breaker.stats().rejections == 1


async def test_half_open_probes_are_bounded_across_replicas(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    backend = MemoryBackend(clock=clock)
    release, arrived = asyncio.Event(), asyncio.Event()
    sent = 0

    async def slow_ok(request: httpx.Request) -> httpx.Response:
        nonlocal sent
        sent += 1
        arrived.set()
        await release.wait()
        return httpx.Response(200, json={"id": 1, "name": "a"})

    route = respx_mock.get("/items/1")
    route.respond(503)
    clients = [make_client(shared_config(backend)) for _ in range(4)]
    await fail(clients[0], 3)
    await asyncio.sleep(0)
    clock.advance(10.0)
    route.side_effect = slow_ok
    probe = asyncio.create_task(clients[1].get_item(1, use_cache=False))
    await arrived.wait()  # the probe is in flight, holding the one permit
    for other in (clients[0], clients[2], clients[3]):
        with pytest.raises(CircuitOpenError):
            await other.get_item(1, use_cache=False)
    assert sent == 1
    release.set()
    assert (await probe).id == 1
    await asyncio.sleep(0)  # the verdict reaches the store
    # closed for everyone: each replica's breaker follows on its next call
    for client in clients:
        assert (await client.get_item(1, use_cache=False)).id == 1
        assert client.circuit_breaker.state is CircuitState.CLOSED
    assert sent == 5


async def test_a_failed_probe_reopens_for_every_replica(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    backend = MemoryBackend(clock=clock)
    route = respx_mock.get("/items/1").respond(503)
    one, two = make_client(shared_config(backend)), make_client(shared_config(backend))
    await fail(one, 3)
    await asyncio.sleep(0)
    clock.advance(10.0)
    await fail(two, 1)  # two takes the probe, which fails
    await asyncio.sleep(0)
    with pytest.raises(CircuitOpenError) as refused:
        await one.get_item(1, use_cache=False)
    assert refused.value.retry_after == pytest.approx(10.0)
    assert route.call_count == 4


async def test_a_cache_filled_by_one_replica_serves_another(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    backend = MemoryBackend(clock=clock)
    route = respx_mock.get("/items/7").respond(200, json={"id": 7, "name": "seven"})
    one, two = make_client(shared_config(backend)), make_client(shared_config(backend))
    assert (await one.get_item(7)).name == "seven"
    item = await two.get_item(7)
    assert item.name == "seven" and type(item).__name__ == "Item"  # decoded again
    assert route.call_count == 1
    assert two.metrics().operations["get_item"].cache_hits == 1
    # the second replica keeps its copy locally: no further store round trip
    assert (await two.get_item(7)).name == "seven"
    assert two._pipeline.shared_cache is not None
    assert two._pipeline.shared_cache.hits == 1
    # the shared entry expires with the cache TTL
    clock.advance(301.0)
    await two.get_item(7)
    assert route.call_count == 2


class FlakyBackend(MemoryBackend):
    """A backend whose every store call raises while ``broken`` is set."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock=clock)
        self.health = BackendHealth("flaky", retry_interval=1.0, clock=clock)
        self.broken = False
        self.calls = 0
        self.log: list[str] = []

    def _guard(self, store: Any) -> Any:
        backend = self

        class Guarded:
            def __getattr__(self, name: str) -> Any:
                method = getattr(store, name)

                async def call(*args: Any) -> Any:
                    backend.calls += 1
                    backend.log.append(name)
                    if backend.broken:
                        raise ConnectionError("connection refused")
                    return await method(*args)

                return call

        return Guarded()

    def breaker_store(self, namespace: str) -> BreakerStore:
        return self._guard(super().breaker_store(namespace))  # type: ignore[no-any-return]

    def cache_store(self, namespace: str) -> CacheStore:
        return self._guard(super().cache_store(namespace))  # type: ignore[no-any-return]

    def limiter_store(self, namespace: str) -> LimiterStore:
        return self._guard(super().limiter_store(namespace))  # type: ignore[no-any-return]

    def budget_store(self, namespace: str) -> BudgetStore:
        return self._guard(super().budget_store(namespace))  # type: ignore[no-any-return]


async def test_a_failing_backend_falls_back_to_local_state_warns_once_and_recovers(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    backend = FlakyBackend(clock)
    route = respx_mock.get("/items/1").respond(200, json={"id": 1, "name": "a"})
    # no retry budget: the store calls counted below are the breaker's
    client = make_client(
        shared_config(backend, retry=RetryConfig(max_attempts=1, budget_max_tokens=None))
    )
    backend.broken = True
    with caplog.at_level(logging.INFO, logger="resilient_client.state"):
        for _ in range(20):
            assert (await client.get_item(1, use_cache=False)).id == 1
        calls_while_down = backend.calls
        # one failed call, then the backend is skipped until the retry interval passes
        assert calls_while_down == 1
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1
        assert "using local state" in warnings[0].getMessage()

        # still down at the next try: the interval doubles, and no second warning
        clock.advance(1.0)
        await client.get_item(1, use_cache=False)
        assert backend.calls == 2
        clock.advance(1.5)
        await client.get_item(1, use_cache=False)
        assert backend.calls == 2  # 2 s interval now

        # the local breaker still protects while the backend is away
        route.respond(503)
        await fail(client, 3)
        await asyncio.sleep(0)  # its publication finds the backend down and is dropped
        assert client.circuit_breaker.state is CircuitState.OPEN
        with pytest.raises(CircuitOpenError):
            await client.get_item(1, use_cache=False)

        # back: used again; the local trip the store missed still holds here and is
        # published now for the time it has left, so other replicas refuse too
        backend.broken = False
        clock.advance(2.0)
        with pytest.raises(CircuitOpenError):
            await client.get_item(1, use_cache=False)
        await asyncio.sleep(0)
        assert backend.log == ["acquire", "acquire", "acquire", "trip"]
        other = make_client(
            shared_config(backend, retry=RetryConfig(max_attempts=1, budget_max_tokens=None))
        )
        with pytest.raises(CircuitOpenError) as refused:
            await other.get_item(1, use_cache=False)
        assert refused.value.retry_after == pytest.approx(8.0)
    state_records = [r for r in caplog.records if r.name == "resilient_client.state"]
    assert [r.levelno for r in state_records] == [logging.WARNING, logging.INFO]
    assert "reachable again" in state_records[1].getMessage()


async def test_default_config_has_no_shared_state_on_the_call_path(
    make_client: Callable[..., ItemClient],
) -> None:
    client = make_client()
    assert client._shared is None
    assert client._rt.shared_breaker is None and client._rt.limiter is None
    assert client._pipeline.shared_cache is None


def test_state_backend_must_be_a_backend() -> None:
    with pytest.raises(ValueError, match="state_backend must be a StateBackend"):
        ClientConfig(state_backend="redis://localhost")


def test_a_shared_rate_limit_needs_a_backend() -> None:
    from resilient_client import RateLimitConfig

    with pytest.raises(ValueError, match="no state_backend"):
        ClientConfig(rate_limit=RateLimitConfig(rate=5, scope="shared"))
    ClientConfig(rate_limit=RateLimitConfig(rate=5))  # a local limit needs none


async def test_memory_backend_store_is_shared_per_namespace(clock: FakeClock) -> None:
    backend = MemoryBackend(clock=clock)
    one = backend.breaker_store(backend.namespace("svc", "http://a"))
    assert backend.breaker_store(backend.namespace("svc", "http://a")) is one
    other = backend.breaker_store(backend.namespace("svc", "http://b"))
    await one.trip(5.0)
    assert (await other.acquire(1, 1.0))[0] == SHARED_CLOSED


async def test_a_trip_forced_outside_the_event_loop_is_published_at_the_next_call(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    backend = MemoryBackend(clock=clock)
    route = respx_mock.get("/items/1").respond(200, json={"id": 1, "name": "a"})
    one, two = make_client(shared_config(backend)), make_client(shared_config(backend))
    await asyncio.get_running_loop().run_in_executor(None, one.circuit_breaker.force_open)
    with pytest.raises(CircuitOpenError):
        await one.get_item(1, use_cache=False)  # refused locally, and published now
    await asyncio.sleep(0)
    with pytest.raises(CircuitOpenError) as refused:
        await two.get_item(1, use_cache=False)
    assert "every replica" in str(refused.value)
    assert route.call_count == 0


async def test_the_retry_budget_is_drained_by_every_replica_together(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    backend = MemoryBackend(clock=clock)
    respx_mock.get("/items/1").respond(503)
    config = shared_config(
        backend,
        retry=RetryConfig(max_attempts=1, budget_max_tokens=10.0),
        circuit_breaker=CircuitBreakerConfig(failure_threshold=100, failure_rate_threshold=None),
    )
    one, two = make_client(config), make_client(config)
    assert one.retry_budget is not None and two.retry_budget is not None
    # six failures on one replica (merged into the store every 0.1 s of the clock)...
    for _ in range(6):
        await fail(one, 1)
        await asyncio.sleep(0)
        clock.advance(0.1)
    assert one.retry_budget.tokens == pytest.approx(4.0)
    assert not one.retry_budget.can_retry()
    # ...stop retries on the other too, once its next verdict merges with the store
    assert two.retry_budget.can_retry()
    await fail(two, 1)
    await asyncio.sleep(0)
    assert two.retry_budget.tokens == pytest.approx(3.0)
    assert not two.retry_budget.can_retry()


def test_backend_health_backs_off_and_ignores_stragglers(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    health = BackendHealth("b", retry_interval=1.0, max_retry_interval=3.0, clock=clock)
    assert health.usable()
    with caplog.at_level(logging.WARNING, logger="resilient_client.state"):
        health.failed(ConnectionError("refused"))
        health.failed(TimeoutError())  # a call that was in flight: same outage, same wait
        assert not health.usable()
        clock.advance(1.0)
        assert health.usable()
        health.failed(ConnectionError("refused"))  # the retry failed: 2 s now
        clock.advance(1.9)
        assert not health.usable()
        clock.advance(0.1)
        health.failed(ConnectionError("refused"))  # capped at 3 s
        clock.advance(2.9)
        assert not health.usable()
        clock.advance(0.1)
        assert health.usable()
        health.succeeded()
        assert not health.down and health.outages == 1 and health.failures == 4
        health.failed(ConnectionError("refused"))  # a new outage starts at 1 s again
        clock.advance(1.0)
        assert health.usable()
    assert len(caplog.records) == 2  # one warning per outage


async def test_a_manual_reset_closes_the_circuit_for_every_replica(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    backend = MemoryBackend(clock=clock)
    route = respx_mock.get("/items/1").respond(200, json={"id": 1, "name": "a"})
    one, two = make_client(shared_config(backend)), make_client(shared_config(backend))
    one.circuit_breaker.force_open()
    await asyncio.sleep(0)
    with pytest.raises(CircuitOpenError):
        await two.get_item(1, use_cache=False)
    one.circuit_breaker.reset()
    await asyncio.sleep(0)
    assert (await two.get_item(1, use_cache=False)).id == 1
    assert two.circuit_breaker.state is CircuitState.CLOSED
    assert route.call_count == 1


class _CountingBudget(RetryBudget):
    """A local retry budget that counts the verdicts it is given."""

    __slots__ = ("successes",)

    def __init__(self) -> None:
        super().__init__(10.0, 0.1)
        self.successes = 0

    def on_success(self) -> None:
        super().on_success()
        self.successes += 1


async def test_a_streamed_probe_is_settled_once_like_any_probe(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    backend = MemoryBackend(clock=clock)
    route = respx_mock.get("/items/1").respond(503)
    one, two = make_client(shared_config(backend)), make_client(shared_config(backend))
    await fail(one, 3)
    await asyncio.sleep(0)
    clock.advance(10.0)
    route.respond(200, content=b"streamed body")
    budget = _CountingBudget()
    two._rt.budget = budget
    # two's own breaker is CLOSED: the store hands it the one probe permit; its
    # local breaker gave it no permit, so the stream's end must not settle one there
    async with two._stream(GET_ITEM, path_params={"item_id": 1}) as stream:
        body = b"".join([chunk async for chunk in stream.iter_bytes()])
    assert body == b"streamed body"
    assert budget.successes == 1  # the probe's success credits the budget once
    assert two.circuit_breaker.stats().successes == 0  # as for a probe that is not streamed
    await asyncio.sleep(0)  # the probe's verdict reaches the store: closed for everyone
    route.respond(200, json={"id": 1, "name": "a"})
    assert (await one.get_item(1, use_cache=False)).id == 1


async def test_a_close_cancelled_while_state_writes_drain_still_closes_the_pool(
    make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    backend = MemoryBackend(clock=clock)
    client = make_client(shared_config(backend))
    assert client._shared is not None and client._shared.breaker is not None
    never = asyncio.Event()

    async def hanging_trip(open_for: float) -> None:
        await never.wait()  # a store that does not answer

    client._shared.breaker.store.trip = hanging_trip  # type: ignore[method-assign]
    client.circuit_breaker.force_open()  # its publication now waits in the background
    closing = asyncio.create_task(client.aclose())
    await asyncio.sleep(0)  # aclose is waiting for the background write
    closing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await closing
    assert client.closed
    # a second aclose() returns at once (the client is closed): the pool must be too
    assert client._http.is_closed
