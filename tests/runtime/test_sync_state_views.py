"""A sync client's ``circuit_breaker``, ``bulkhead`` and ``retry_budget``: views whose
reads and changes run on the client's loop thread, never on the caller's.

The async client's objects take no locks (only its loop touches them); before these
views the sync client handed them to the caller's thread, where reading ``state``
moved the breaker and ran its listeners beside a call in flight on the loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from fakes import FakeClock, FakeSleep
from runtime_helpers import BASE, Item, ItemClient

from resilient_client import (
    BreakerTransition,
    BulkheadConfig,
    CircuitBreakerConfig,
    CircuitState,
    ClientConfig,
    ServerError,
)
from resilient_client._bulkhead import Bulkhead
from resilient_client.sync import (
    SyncBulkheadView,
    SyncCircuitBreakerView,
    SyncRetryBudgetView,
    SyncServiceClient,
)

LOOP_THREAD = "ItemViewsSyncClient"


class ItemViewsSyncClient(SyncServiceClient[ItemClient]):
    _async_class = ItemClient

    def get_item(self, item_id: int, **kwargs: Any) -> Item:
        return self._call(self._async.get_item(item_id, **kwargs))


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        yield mock


def breaking_client(clock: FakeClock, sleeper: FakeSleep) -> ItemViewsSyncClient:
    config = ClientConfig(
        circuit_breaker=CircuitBreakerConfig(failure_threshold=2, recovery_timeout=10.0)
    )
    return ItemViewsSyncClient(config=config, clock=clock, sleep=sleeper, max_retries=0)


def test_the_breakers_transitions_run_on_the_loop_thread(
    router: respx.MockRouter, clock: FakeClock, sleeper: FakeSleep
) -> None:
    router.get("/items/1").respond(500)
    seen: list[tuple[str, CircuitState]] = []

    def listener(event: BreakerTransition) -> None:
        seen.append((threading.current_thread().name, event.to_state))

    with breaking_client(clock, sleeper) as sync:
        breaker = sync.circuit_breaker
        assert isinstance(breaker, SyncCircuitBreakerView)
        breaker.add_listener(listener)
        for _ in range(2):
            with pytest.raises(ServerError):
                sync.get_item(1)
        assert breaker.state is CircuitState.OPEN
        clock.advance(11.0)
        # peek_state reads from this thread and moves nothing...
        assert breaker.peek_state() is CircuitState.HALF_OPEN
        assert [state for _, state in seen] == [CircuitState.OPEN]
        # ...state makes the OPEN -> HALF_OPEN transition, on the loop's thread
        assert breaker.state is CircuitState.HALF_OPEN
        breaker.force_open()
        assert breaker.retry_after() == 10.0
        breaker.reset()
        stats = breaker.stats()
        assert (stats.state, stats.transitions, stats.failures) == (CircuitState.CLOSED, 4, 2)
        assert breaker.name == "ItemService" and breaker.config.failure_threshold == 2
    assert seen == [
        (LOOP_THREAD, CircuitState.OPEN),
        (LOOP_THREAD, CircuitState.HALF_OPEN),
        (LOOP_THREAD, CircuitState.OPEN),
        (LOOP_THREAD, CircuitState.CLOSED),
    ]


def test_before_the_loop_starts_the_view_reads_directly(
    clock: FakeClock, sleeper: FakeSleep
) -> None:
    with breaking_client(clock, sleeper) as sync:
        sync.circuit_breaker.force_open()  # nothing else can touch it: no thread yet
        assert sync.circuit_breaker.state is CircuitState.OPEN
        assert not sync._portal.started


def test_the_bulkheads_counters_are_read_on_the_loop_thread(
    router: respx.MockRouter,
    clock: FakeClock,
    sleeper: FakeSleep,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    readers: list[str] = []
    waiting = Bulkhead.waiting

    def recording_waiting(self: Bulkhead) -> int:
        readers.append(threading.current_thread().name)
        assert waiting.fget is not None
        result: int = waiting.fget(self)
        return result

    monkeypatch.setattr(Bulkhead, "waiting", property(recording_waiting))
    entered = threading.Event()
    release = threading.Event()

    async def held(request: httpx.Request) -> httpx.Response:
        entered.set()
        while not release.is_set():  # holds the slot without blocking the loop
            await asyncio.sleep(0.001)
        return httpx.Response(200, json={"id": 1, "name": "a"})

    router.get("/items/1").mock(side_effect=held)
    config = ClientConfig(bulkhead=BulkheadConfig(max_concurrency=1))
    with ItemViewsSyncClient(config=config, clock=clock, sleep=sleeper) as sync:
        bulkhead = sync.bulkhead
        assert isinstance(bulkhead, SyncBulkheadView)
        caller = threading.Thread(target=sync.get_item, args=(1,))
        caller.start()
        try:
            assert entered.wait(10)
            assert (bulkhead.in_flight, bulkhead.waiting, bulkhead.rejected) == (1, 0, 0)
        finally:
            release.set()
            caller.join(10)
        assert (bulkhead.in_flight, bulkhead.max_in_flight_seen) == (0, 1)
        assert bulkhead.config.max_concurrency == 1
    assert readers == [LOOP_THREAD]


def test_the_retry_budget_view(
    router: respx.MockRouter, clock: FakeClock, sleeper: FakeSleep
) -> None:
    router.get("/items/1").respond(500)
    with breaking_client(clock, sleeper) as sync:
        budget = sync.retry_budget
        assert isinstance(budget, SyncRetryBudgetView)
        full = budget.max_tokens
        with pytest.raises(ServerError):
            sync.get_item(1)
        assert budget.tokens == full - 1  # one failed attempt spent one token
        assert budget.can_retry()
