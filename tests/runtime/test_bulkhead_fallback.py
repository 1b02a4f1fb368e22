"""Bulkhead slots and fallbacks, driven through the client."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
import respx
from runtime_helpers import Item, ItemClient

from resilient_client import (
    BulkheadConfig,
    BulkheadFullError,
    CallInfo,
    CircuitBreakerConfig,
    CircuitOpenError,
    ClientConfig,
    ClientError,
    ClientEvents,
    FallbackEvent,
    RetryConfig,
    ServerError,
    TransportError,
)

OK = {"id": 1, "name": "a"}


def _gated_client(
    make_client: Callable[..., ItemClient], config: ClientConfig
) -> tuple[ItemClient, asyncio.Event, list[httpx.Request]]:
    gate = asyncio.Event()
    seen: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        await gate.wait()
        return httpx.Response(200, json=OK)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return make_client(config, http_client=http), gate, seen


async def test_bulkhead_is_off_by_default(make_client: Callable[..., ItemClient]) -> None:
    client, gate, seen = _gated_client(make_client, ClientConfig())
    tasks = [asyncio.create_task(client.get_item(1)) for _ in range(30)]
    while len(seen) < 30:
        await asyncio.sleep(0)
    gate.set()
    await asyncio.gather(*tasks)


async def test_bulkhead_rejects_beyond_its_slots_and_releases_them(
    make_client: Callable[..., ItemClient],
) -> None:
    config = ClientConfig(bulkhead=BulkheadConfig(max_concurrency=2))
    client, gate, seen = _gated_client(make_client, config)
    running = [asyncio.create_task(client.get_item(1)) for _ in range(2)]
    while len(seen) < 2:
        await asyncio.sleep(0)
    with pytest.raises(BulkheadFullError) as info:
        await client.get_item(1)
    assert info.value.operation == "get_item"
    assert client.metrics().operations["get_item"].failures_by_kind == {"bulkhead_full": 1}
    gate.set()
    await asyncio.gather(*running)
    assert client._pipeline.bulkhead is not None and client._pipeline.bulkhead.in_flight == 0
    await client.get_item(1)


async def test_bulkhead_slot_released_on_error_and_cancellation(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(500)
    config = ClientConfig(
        bulkhead=BulkheadConfig(max_concurrency=1), retry=RetryConfig(max_attempts=1)
    )
    client = make_client(config)
    with pytest.raises(ServerError):
        await client.get_item(1)
    assert client._pipeline.bulkhead is not None and client._pipeline.bulkhead.in_flight == 0

    gated, _gate, seen = _gated_client(make_client, config)
    task = asyncio.create_task(gated.get_item(1))
    while not seen:
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert gated._pipeline.bulkhead is not None and gated._pipeline.bulkhead.in_flight == 0


async def test_fallback_answers_when_breaker_is_open(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(503)
    events: list[FallbackEvent] = []

    class Sink(ClientEvents):
        def on_fallback(self, event: FallbackEvent) -> None:
            events.append(event)

    received: list[tuple[ClientError, CallInfo]] = []

    def degraded(error: ClientError, call: CallInfo) -> Item:
        received.append((error, call))
        return Item(id=-1, name="degraded")

    config = ClientConfig(
        circuit_breaker=CircuitBreakerConfig(failure_threshold=1),
        retry=RetryConfig(max_attempts=1),
        events=[Sink()],
    )
    client = make_client(config)
    client.set_fallback("get_item", degraded)
    with pytest.raises(ServerError):  # an HTTP error status is not a fallback case
        await client.get_item(1)
    result = await client.get_item(1, correlation_id="c-1")
    assert result == Item(id=-1, name="degraded")
    error, call = received[0]
    assert isinstance(error, CircuitOpenError)
    assert call.operation == "get_item" and call.path_params == {"item_id": 1}
    assert call.correlation_id == "c-1"
    assert [e.operation for e in events] == ["get_item"]
    kinds = client.metrics().operations["get_item"].failures_by_kind
    assert kinds == {"http_5xx": 1, "fallback": 1}


async def test_async_fallback_from_config_on_transport_error(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").mock(side_effect=httpx.ConnectError("refused"))

    async def degraded(error: ClientError, call: CallInfo) -> Item:
        assert isinstance(error, TransportError)
        return Item(id=0, name="cached-elsewhere")

    config = ClientConfig(fallbacks={"get_item": degraded})
    client = make_client(config)
    assert (await client.get_item(1)).name == "cached-elsewhere"
    client.set_fallback("get_item", None)
    with pytest.raises(TransportError):
        await client.get_item(1)


async def test_fallback_for_bulkhead_rejection(make_client: Callable[..., ItemClient]) -> None:
    config = ClientConfig(bulkhead=BulkheadConfig(max_concurrency=1))
    client, gate, seen = _gated_client(make_client, config)
    client.set_fallback("get_item", lambda error, call: Item(id=9, name="busy"))
    first = asyncio.create_task(client.get_item(1))
    while not seen:
        await asyncio.sleep(0)
    assert (await client.get_item(1)).name == "busy"
    gate.set()
    assert (await first).id == 1


async def test_a_failing_fallback_raises_its_error_and_records_the_original(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").mock(side_effect=httpx.ConnectError("refused"))

    def broken(error: ClientError, call: CallInfo) -> Item:
        raise LookupError("no degraded answer either")

    client = make_client(ClientConfig(retry=RetryConfig(max_attempts=1)))
    client.set_fallback("get_item", broken)
    with pytest.raises(LookupError) as info:
        await client.get_item(1)
    assert isinstance(info.value.__context__, TransportError)
    assert client.metrics().operations["get_item"].failures_by_kind == {"transport": 1}
