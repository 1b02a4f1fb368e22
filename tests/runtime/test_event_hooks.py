"""The hooks the telemetry adapters stand on, for any sink: headers added per attempt,
one event per finished call, and the client handed to a sink once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx
import pytest
import respx
from runtime_helpers import Item, ItemClient

from resilient_client import (
    BaseServiceClient,
    BearerAuth,
    BulkheadConfig,
    BulkheadFullError,
    CallEvent,
    CircuitBreakerConfig,
    CircuitOpenError,
    ClientConfig,
    ClientEvents,
    Operation,
    RequestEvent,
    ResponseSpec,
    RetryConfig,
    ServerError,
    SpecPolicy,
    TransportError,
)

OK = {"id": 1, "name": "a"}
CACHED: Operation[dict[str, Any]] = Operation(
    "get_settings",
    "GET",
    "/settings",
    responses={"200": ResponseSpec("json")},
    policy=SpecPolicy(cache_ttl=300),
)


class Calls(ClientEvents):
    def __init__(self) -> None:
        self.calls: list[CallEvent] = []
        self.attached: list[BaseServiceClient] = []

    def on_call(self, event: CallEvent) -> None:
        self.calls.append(event)

    def attach(self, client: BaseServiceClient) -> None:
        self.attached.append(client)


class Stamper(ClientEvents):
    """Adds a header naming the attempt, as a trace propagator does."""

    def __init__(self) -> None:
        self.seen: list[RequestEvent] = []

    def attempt_headers(self, event: RequestEvent) -> Mapping[str, str] | None:
        self.seen.append(event)
        return {"x-attempt": f"{event.correlation_id}/{event.attempt}"}


async def test_attempt_headers_reach_every_attempt_with_that_attempts_value(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [httpx.Response(503), httpx.Response(503), httpx.Response(200, json=OK)]
    stamper = Stamper()
    client = make_client(ClientConfig(events=[stamper], auth=BearerAuth("tok-SECRET")))
    await client.get_item(1, correlation_id="c1")
    sent = [call.request.headers["x-attempt"] for call in route.calls]
    assert sent == ["c1/1", "c1/2", "c1/3"]
    # The event a hook sees is redacted as ever; the credential still went out.
    assert all(e.headers["authorization"] == "[REDACTED]" for e in stamper.seen)
    assert route.calls.last.request.headers["authorization"] == "Bearer tok-SECRET"


async def test_a_failing_header_hook_adds_nothing_and_never_fails_the_call(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken(ClientEvents):
        def attempt_headers(self, event: RequestEvent) -> Mapping[str, str] | None:
            raise RuntimeError("propagator down")

    route = respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client(ClientConfig(events=[Broken(), Stamper()]))
    assert (await client.get_item(1, correlation_id="c")).id == 1
    assert route.calls.last.request.headers["x-attempt"] == "c/1"  # the next sink still ran
    assert any("propagator down" in (r.exc_text or "") for r in caplog.records)


async def test_one_call_event_per_call_with_outcome_attempts_and_latency(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: Any
) -> None:
    statuses = iter([503, 200])

    def respond(request: httpx.Request) -> httpx.Response:
        clock.advance(0.1)
        return httpx.Response(next(statuses), json=OK)

    respx_mock.get("/items/1").mock(side_effect=respond)
    sink = Calls()
    client = make_client(ClientConfig(events=[sink]))
    await client.get_item(1, correlation_id="c2")

    (event,) = sink.calls
    assert (event.operation, event.method, event.correlation_id) == ("get_item", "GET", "c2")
    assert (event.outcome, event.attempts, event.cache) == ("success", 2, None)
    assert event.latency == pytest.approx(0.2 + 0.5)  # two attempts and the backoff sleep


async def test_call_events_tell_cache_hits_from_misses(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/settings").respond(200, json={})
    sink = Calls()
    client = make_client(ClientConfig(events=[sink]))
    for _ in range(3):
        await client._request(CACHED)
    assert [(e.cache, e.attempts) for e in sink.calls] == [("miss", 1), ("hit", 0), ("hit", 0)]


async def test_call_events_for_refusals_failures_and_fallbacks(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [httpx.Response(500), httpx.ConnectError("down")]
    sink = Calls()
    client = make_client(
        ClientConfig(
            events=[sink],
            retry=RetryConfig(max_attempts=1),
            circuit_breaker=CircuitBreakerConfig(failure_threshold=2),
        )
    )
    with pytest.raises(ServerError):
        await client.get_item(1)
    client.set_fallback("get_item", lambda error, info: Item(id=0, name="cached"))
    assert (await client.get_item(1)).id == 0  # transport error, answered by the fallback
    with pytest.raises(CircuitOpenError):
        client.set_fallback("get_item", None)
        await client.get_item(1)
    assert [e.outcome for e in sink.calls] == ["http_5xx", "fallback", "circuit_open"]


async def test_a_full_bulkhead_is_a_call_event_too(make_client: Callable[..., ItemClient]) -> None:
    sink = Calls()
    client = make_client(ClientConfig(events=[sink], bulkhead=BulkheadConfig(max_concurrency=1)))
    bulkhead = client.bulkhead
    assert bulkhead is not None and bulkhead.in_flight == 0
    await bulkhead.acquire()  # someone else holds the only slot
    with pytest.raises(BulkheadFullError):
        await client.get_item(1)
    bulkhead.release()
    assert [e.outcome for e in sink.calls] == ["bulkhead_full"]
    assert sink.calls[0].attempts == 0


def test_attach_hands_each_sink_the_client_once(make_client: Callable[..., ItemClient]) -> None:
    first, second = Calls(), Calls()
    client = make_client(ClientConfig(events=[first, second]))
    assert first.attached == [client] and second.attached == [client]
    assert make_client().bulkhead is None


async def test_transport_failures_still_close_the_call(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").mock(side_effect=httpx.ConnectError("refused"))
    sink = Calls()
    client = make_client(ClientConfig(events=[sink], retry=RetryConfig(max_attempts=2)))
    with pytest.raises(TransportError):
        await client.get_item(1)
    assert [(e.outcome, e.attempts) for e in sink.calls] == [("transport", 2)]
