"""Logs, redaction, event hooks, metrics and health checks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, ClassVar

import httpx
import pytest
import respx
from pydantic import BaseModel
from runtime_helpers import BASE, ItemClient

from resilient_client import (
    ApiKeyAuth,
    BaseServiceClient,
    BearerAuth,
    ClientConfig,
    ClientError,
    ClientEvents,
    CombinedAuth,
    Operation,
    RequestEvent,
    ResponseEvent,
    ResponseSpec,
    RetryEvent,
    ServerError,
)

SECRET = "tok-SUPERSECRET-42"
OK = {"id": 1, "name": "a"}


class Recorder(ClientEvents):
    def __init__(self) -> None:
        self.events: list[object] = []

    def on_request(self, event: RequestEvent) -> None:
        self.events.append(event)

    def on_response(self, event: ResponseEvent) -> None:
        self.events.append(event)

    def on_retry(self, event: RetryEvent) -> None:
        self.events.append(event)


async def test_log_records_carry_structured_extras(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    caplog: pytest.LogCaptureFixture,
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [httpx.Response(503), httpx.Response(500), httpx.Response(500)]
    client = make_client()
    with caplog.at_level(logging.DEBUG, logger="resilient_client"), pytest.raises(ServerError):
        await client.get_item(1, correlation_id="cid-7")
    records = [r for r in caplog.records if r.name == "resilient_client"]
    assert records
    for record in records:
        assert record.correlation_id == "cid-7"  # type: ignore[attr-defined]
        assert record.operation == "get_item"  # type: ignore[attr-defined]
    final = records[-1]
    assert final.levelno == logging.INFO
    assert final.status == 500  # type: ignore[attr-defined]
    assert final.attempt == 3  # type: ignore[attr-defined]
    assert final.latency_ms >= 0  # type: ignore[attr-defined]
    assert final.url == f"{BASE}/items/1"  # type: ignore[attr-defined]
    assert any("retrying" in r.getMessage() for r in records)


async def test_disabled_debug_logging_builds_no_records(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    caplog: pytest.LogCaptureFixture,
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client()
    with caplog.at_level(logging.INFO, logger="resilient_client"):
        await client.get_item(1)
    assert [r for r in caplog.records if r.name == "resilient_client"] == []


@pytest.mark.parametrize(
    "auth",
    [
        BearerAuth(SECRET),
        ApiKeyAuth(SECRET, name="X-Service-Key"),
        ApiKeyAuth(SECRET, name="api_key", location="query"),
        ApiKeyAuth(SECRET, name="sid", location="cookie"),
        CombinedAuth(
            ApiKeyAuth(SECRET, name="app_key", location="query"), ApiKeyAuth(SECRET, name="X-K")
        ),
    ],
)
async def test_secrets_never_reach_logs_errors_or_events(
    auth: Any,
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    caplog: pytest.LogCaptureFixture,
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [
        httpx.Response(503, headers={"Set-Cookie": f"session={SECRET}"}),
        httpx.ConnectError("refused"),
        httpx.Response(500, headers={"Set-Cookie": f"session={SECRET}"}),
    ]
    recorder = Recorder()
    client = make_client(ClientConfig(events=[recorder]), auth=auth)
    with caplog.at_level(logging.DEBUG), pytest.raises(ClientError) as info:
        await client.get_item(1, extra_headers={"Authorization": f"Bearer {SECRET}"})
    # the credential really was sent, so the scan below is meaningful
    sent = route.calls[0].request
    assert SECRET in str(sent.url) or SECRET in str(sent.headers.raw)
    error = info.value
    haystack = [r.getMessage() + repr(vars(r)) for r in caplog.records]
    haystack += [str(error), repr(error), str(error.url), repr(error.headers), repr(error.body)]
    haystack += [repr(e) for e in recorder.events]
    haystack += [repr(auth)]
    leaks = [text for text in haystack if SECRET in text]
    assert leaks == []
    assert error.headers.get("set-cookie") == "[REDACTED]"


async def test_event_hooks_see_each_attempt_and_retry(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [httpx.Response(503), httpx.Response(200, json=OK)]
    recorder = Recorder()
    client = make_client(ClientConfig(events=[recorder]))
    await client.get_item(1, correlation_id="c")
    kinds = [type(e).__name__ for e in recorder.events]
    assert kinds == ["RequestEvent", "ResponseEvent", "RetryEvent", "RequestEvent", "ResponseEvent"]
    first_response, retry, last = recorder.events[1], recorder.events[2], recorder.events[4]
    assert isinstance(first_response, ResponseEvent) and first_response.status == 503
    assert first_response.outcome == "http_5xx"
    assert isinstance(retry, RetryEvent) and retry.attempt == 2 and retry.delay == 0.5
    assert isinstance(last, ResponseEvent) and last.outcome == "success" and last.attempt == 2


async def test_a_failing_hook_never_fails_the_call(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken(ClientEvents):
        def on_request(self, event: RequestEvent) -> None:
            raise RuntimeError("exporter down")

    respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client(ClientConfig(events=[Broken()]))
    assert (await client.get_item(1)).id == 1
    assert any("exporter down" in (r.exc_text or "") for r in caplog.records)


async def test_metrics_per_client_and_operation(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    respx_mock.get("/items/2").respond(404)
    client = make_client()
    other = make_client()
    await client.get_item(1)
    with pytest.raises(ClientError):
        await client.get_item(2)
    snapshot = client.metrics()
    op = snapshot.operations["get_item"]
    assert (op.calls, op.successes, op.failures) == (2, 1, 1)
    assert op.failures_by_kind == {"http_4xx": 1}
    assert other.metrics().total.calls == 0


class Health(BaseModel):
    status: str


HEALTH: Operation[Health] = Operation(
    "health", "GET", "/health/ready", responses={"200": ResponseSpec("json", Health)}
)


class WithHealth(BaseServiceClient):
    service_name: ClassVar[str] = "H"
    default_base_url: ClassVar[str | None] = BASE
    health_operation: ClassVar[Operation[Any] | None] = HEALTH


async def test_health_check_uses_the_health_operation(respx_mock: respx.MockRouter) -> None:
    respx_mock.get("/health/ready").respond(200, json={"status": "healthy"})
    async with WithHealth() as client:
        status = await client.health_check()
    assert status.healthy and status.status == "healthy"
    assert status.body == Health(status="healthy")
    assert status.latency >= 0


async def test_health_check_defaults_to_get_health_and_reads_status(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/health").respond(200, json={"status": "unhealthy"})
    status = await make_client().health_check()
    assert not status.healthy and status.status == "unhealthy"


async def test_health_check_does_not_raise_on_5xx(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/health").respond(503, json={"detail": "db down"})
    status = await make_client().health_check()
    assert not status.healthy
    assert status.http_status == 503
    assert "db down" in (status.detail or "")
    assert route.call_count == 3  # it went through the normal retry pipeline


async def test_health_check_reports_unreachable(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/health").mock(side_effect=httpx.ConnectError("refused"))
    status = await make_client().health_check()
    assert not status.healthy and status.status == "unreachable"


async def test_health_check_reports_an_open_circuit(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    from resilient_client import CircuitBreakerConfig, RetryConfig

    route = respx_mock.get("/health").respond(500)
    config = ClientConfig(
        circuit_breaker=CircuitBreakerConfig(failure_threshold=1),
        retry=RetryConfig(max_attempts=1),
    )
    client = make_client(config)
    assert (await client.health_check()).status in {"unhealthy"}
    status = await client.health_check()
    assert not status.healthy and status.status == "circuit_open"
    assert route.call_count == 1


def test_redact_url_masks_userinfo_and_secret_params_only() -> None:
    from resilient_client._redact import redact_url

    assert redact_url("http://user:pw@h/x") == "http://[REDACTED]@h/x"
    assert redact_url("http://h/x?api_key=1&a=2") == "http://h/x?api_key=[REDACTED]&a=2"
    assert redact_url("http://h/x?sk=1", frozenset({"sk"})) == "http://h/x?sk=[REDACTED]"
    assert redact_url("http://h/x?a=1") == "http://h/x?a=1"
