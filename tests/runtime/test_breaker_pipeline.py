"""The circuit breaker wired into the client: what counts, what does not, recovery."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
import respx
from runtime_helpers import ItemClient

from resilient_client import (
    BreakerTransition,
    CircuitBreakerConfig,
    CircuitOpenError,
    CircuitState,
    ClientConfig,
    ClientEvents,
    ConflictError,
    HTTPStatusError,
    NotFoundError,
    ResponseValidationError,
    RetryConfig,
    ServerError,
    TransportError,
)

OK = {"id": 1, "name": "a"}


def _config(**breaker: object) -> ClientConfig:
    return ClientConfig(
        circuit_breaker=CircuitBreakerConfig(**breaker),  # type: ignore[arg-type]
        retry=RetryConfig(max_attempts=1),
    )


async def test_opens_after_consecutive_failures_and_fails_fast(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(500)
    client = make_client(_config(failure_threshold=3, recovery_timeout=30))
    for _ in range(3):
        with pytest.raises(ServerError):
            await client.get_item(1)
    assert client.circuit_breaker.state == CircuitState.OPEN
    with pytest.raises(CircuitOpenError) as info:
        await client.get_item(1)
    assert route.call_count == 3  # the refused call never reached the network
    assert info.value.retry_after == pytest.approx(30.0)
    assert info.value.operation == "get_item"
    assert info.value.correlation_id


async def test_404_and_other_4xx_never_count(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(404)
    respx_mock.post("/items").respond(409)
    client = make_client(_config(failure_threshold=2))
    for _ in range(5):
        with pytest.raises(NotFoundError):
            await client.get_item(1)
        with pytest.raises(ConflictError):
            await client.create_item("x")
    assert client.circuit_breaker.state == CircuitState.CLOSED
    assert client.circuit_breaker.stats().consecutive_failures == 0


@pytest.mark.parametrize("status", [408, 429, 503])
async def test_408_429_5xx_count(
    status: int, respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(status)
    client = make_client(_config(failure_threshold=2))
    for _ in range(2):
        with pytest.raises(HTTPStatusError):
            await client.get_item(1)
    assert client.circuit_breaker.state == CircuitState.OPEN


async def test_transport_errors_count(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").mock(side_effect=httpx.ConnectError("refused"))
    client = make_client(_config(failure_threshold=2))
    for _ in range(2):
        with pytest.raises(TransportError):
            await client.get_item(1)
    assert client.circuit_breaker.state == CircuitState.OPEN


async def test_validation_errors_do_not_count(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(200, json={"id": "not-a-number"})
    client = make_client(_config(failure_threshold=1))
    with pytest.raises(ResponseValidationError):
        await client.get_item(1)
    assert client.circuit_breaker.state == CircuitState.CLOSED


async def test_recovers_through_half_open_with_fake_clock(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [
        httpx.Response(500),
        httpx.Response(200, json=OK),
        httpx.Response(200, json=OK),
    ]
    client = make_client(_config(failure_threshold=1, recovery_timeout=60, success_threshold=2))
    with pytest.raises(ServerError):
        await client.get_item(1)
    with pytest.raises(CircuitOpenError):
        await client.get_item(1)
    clock.advance(60.0)
    await client.get_item(1)
    assert client.circuit_breaker.state == CircuitState.HALF_OPEN
    await client.get_item(1)
    assert client.circuit_breaker.state == CircuitState.CLOSED


async def test_transitions_reach_event_hooks(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    seen: list[BreakerTransition] = []

    class Sink(ClientEvents):
        def on_breaker_transition(self, event: BreakerTransition) -> None:
            seen.append(event)

    respx_mock.get("/items/1").respond(500)
    config = ClientConfig(
        circuit_breaker=CircuitBreakerConfig(failure_threshold=1),
        retry=RetryConfig(max_attempts=1),
        events=[Sink()],
    )
    client = make_client(config)
    with pytest.raises(ServerError):
        await client.get_item(1)
    assert [(t.from_state, t.to_state) for t in seen] == [(CircuitState.CLOSED, CircuitState.OPEN)]


async def test_each_attempt_is_recorded_so_retries_open_the_circuit_sooner(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(503)
    client = make_client(ClientConfig(circuit_breaker=CircuitBreakerConfig(failure_threshold=3)))
    with pytest.raises(ServerError):
        await client.get_item(1)
    assert route.call_count == 3
    assert client.circuit_breaker.state == CircuitState.OPEN


async def test_disabled_breaker_never_opens(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(500)
    client = make_client(_config(failure_threshold=1, enabled=False))
    for _ in range(3):
        with pytest.raises(ServerError):
            await client.get_item(1)


async def test_cancelled_probe_frees_the_half_open_slot(
    make_client: Callable[..., ItemClient], clock
) -> None:
    import asyncio

    state = {"fail": True, "hang": False}

    async def handler(request: httpx.Request) -> httpx.Response:
        if state["hang"]:
            await asyncio.Event().wait()
        return httpx.Response(500 if state["fail"] else 200, json=OK)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = make_client(_config(failure_threshold=1, recovery_timeout=10), http_client=http)
    with pytest.raises(ServerError):
        await client.get_item(1)
    clock.advance(10)
    state.update(fail=False, hang=True)
    task = asyncio.create_task(client.get_item(1))
    for _ in range(20):
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    state["hang"] = False
    assert (await client.get_item(1)).id == 1  # the probe slot was released
