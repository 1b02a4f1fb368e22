"""resilient_client.otel: spans per attempt, trace context per attempt, the duration histogram.

The SDK's in-memory exporter and metric reader see exactly what an exporter would ship.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx
from opentelemetry import baggage, context, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from runtime_helpers import ItemClient

from resilient_client import (
    ApiKeyAuth,
    BearerAuth,
    CircuitBreakerConfig,
    CircuitOpenError,
    ClientConfig,
    NotFoundError,
    RetryConfig,
    ServerError,
    TransportError,
)
from resilient_client.otel import (
    CORRELATION_ID_ATTRIBUTE,
    DURATION_BUCKETS,
    OPERATION_ATTRIBUTE,
    OpenTelemetryEvents,
)

OK = {"id": 1, "name": "a"}
TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")
SECRET = "key-SUPERSECRET-9"


class Telemetry:
    def __init__(self) -> None:
        self.spans = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])

    def sink(self) -> OpenTelemetryEvents:
        return OpenTelemetryEvents(
            tracer_provider=self.tracer_provider, meter_provider=self.meter_provider
        )

    def client_spans(self) -> list[ReadableSpan]:
        return [s for s in self.spans.get_finished_spans() if s.kind is SpanKind.CLIENT]

    def duration_points(self) -> list[HistogramDataPoint]:
        data = self.reader.get_metrics_data()
        assert data is not None
        points: list[HistogramDataPoint] = []
        for resource in data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == "http.client.request.duration":
                        assert metric.unit == "s"
                        points.extend(p for p in metric.data.data_points)  # type: ignore[misc]
        return points


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    t = Telemetry()
    yield t
    t.tracer_provider.shutdown()
    t.meter_provider.shutdown()


def _ids(span: ReadableSpan) -> tuple[str, str]:
    ctx = span.get_span_context()
    assert ctx is not None
    return f"{ctx.trace_id:032x}", f"{ctx.span_id:016x}"


async def test_a_retried_call_is_one_span_per_attempt_each_with_its_own_traceparent(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], telemetry: Telemetry
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [httpx.Response(503), httpx.Response(503), httpx.Response(200, json=OK)]
    client = make_client(ClientConfig(events=[telemetry.sink()]))
    tracer = telemetry.tracer_provider.get_tracer("test")

    with tracer.start_as_current_span("checkout") as parent:
        await client.get_item(1, correlation_id="cid-42")

    spans = telemetry.client_spans()
    assert len(spans) == 3
    parent_ctx = parent.get_span_context()
    headers = [call.request.headers.get("traceparent") for call in route.calls]
    assert len(set(headers)) == 3  # every attempt names a span of its own
    for number, (span, header) in enumerate(zip(spans, headers, strict=True), start=1):
        assert header is not None
        match = TRACEPARENT.match(header)
        assert match is not None, header
        assert (match.group(1), match.group(2)) == _ids(span)
        assert span.parent is not None and span.parent.span_id == parent_ctx.span_id
        assert span.get_span_context().trace_id == parent_ctx.trace_id
        attrs = dict(span.attributes or {})
        assert span.name == "GET"
        assert attrs["http.request.method"] == "GET"
        assert attrs["server.address"] == "svc.test"
        assert attrs["server.port"] == 80
        assert attrs["url.full"] == "http://svc.test/api/items/1"
        assert attrs[CORRELATION_ID_ATTRIBUTE] == "cid-42"
        assert attrs[OPERATION_ATTRIBUTE] == "get_item"
        if number == 1:
            assert "http.request.resend_count" not in attrs
        else:
            assert attrs["http.request.resend_count"] == number - 1
        if number < 3:
            assert attrs["http.response.status_code"] == 503
            assert attrs["error.type"] == "503"
            assert span.status.status_code is StatusCode.ERROR
        else:
            assert attrs["http.response.status_code"] == 200
            assert "error.type" not in attrs
            assert span.status.status_code is StatusCode.UNSET


async def test_the_duration_histogram_uses_the_conventions_name_unit_and_attributes(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    telemetry: Telemetry,
    clock: Any,
) -> None:
    statuses = iter([503, 200])

    def respond(request: httpx.Request) -> httpx.Response:
        clock.advance(0.2)  # the attempt's own time; the backoff sleep is not in it
        return httpx.Response(next(statuses), json=OK)

    respx_mock.get("/items/1").mock(side_effect=respond)
    client = make_client(ClientConfig(events=[telemetry.sink()]))
    await client.get_item(1)

    points = {tuple(sorted((p.attributes or {}).items())): p for p in telemetry.duration_points()}
    common = {
        "http.request.method": "GET",
        "server.address": "svc.test",
        "server.port": 80,
        "url.scheme": "http",
    }
    failed = tuple(
        sorted({**common, "http.response.status_code": 503, "error.type": "503"}.items())
    )
    succeeded = tuple(sorted({**common, "http.response.status_code": 200}.items()))
    assert set(points) == {failed, succeeded}
    for point in points.values():
        assert point.count == 1
        assert point.sum == pytest.approx(0.2)
        assert tuple(point.explicit_bounds) == DURATION_BUCKETS
    # No id, URL or correlation id on a metric: its cardinality stays bounded.
    assert all("url.full" not in dict(key) for key in points)


async def test_a_transport_failure_sets_error_type_without_a_status(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], telemetry: Telemetry
) -> None:
    respx_mock.get("/items/1").mock(side_effect=httpx.ConnectError("refused"))
    client = make_client(ClientConfig(events=[telemetry.sink()], retry=RetryConfig(max_attempts=2)))
    with pytest.raises(TransportError):
        await client.get_item(1)

    spans = telemetry.client_spans()
    assert len(spans) == 2
    for span in spans:
        attrs = dict(span.attributes or {})
        assert attrs["error.type"] == "transport"
        assert "http.response.status_code" not in attrs
        assert span.status.status_code is StatusCode.ERROR


async def test_a_client_error_status_is_an_error_span_and_is_not_retried(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], telemetry: Telemetry
) -> None:
    respx_mock.get("/items/1").respond(404, json={})
    client = make_client(ClientConfig(events=[telemetry.sink()]))
    with pytest.raises(NotFoundError):
        await client.get_item(1)
    (span,) = telemetry.client_spans()
    assert dict(span.attributes or {})["error.type"] == "404"


async def test_no_credential_reaches_a_span_and_urls_are_redacted(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], telemetry: Telemetry
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    auth = ApiKeyAuth(SECRET, name="api_key", location="query")
    client = make_client(ClientConfig(events=[telemetry.sink()], auth=auth))
    await client.get_item(1, query={"page": 2, "access_token": "caller-SECRET-7"})
    sent = route.calls.last.request.url.params
    assert sent["api_key"] == SECRET and sent["access_token"] == "caller-SECRET-7"

    (span,) = telemetry.client_spans()
    text = repr(dict(span.attributes or {})) + span.name
    assert SECRET not in text and "caller-SECRET-7" not in text
    url = str(dict(span.attributes or {})["url.full"])
    assert "page=2" in url and "access_token=" in url and "REDACTED" in url


async def test_headers_are_never_attributes(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], telemetry: Telemetry
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client(ClientConfig(events=[telemetry.sink()], auth=BearerAuth(SECRET)))
    await client.get_item(1)
    (span,) = telemetry.client_spans()
    assert SECRET not in repr(span.attributes)
    assert not any(key.startswith("http.request.header") for key in span.attributes or {})


async def test_baggage_travels_with_the_global_propagator(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], telemetry: Telemetry
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client(ClientConfig(events=[telemetry.sink()]))
    token = context.attach(baggage.set_baggage("tenant", "acme"))
    try:
        await client.get_item(1)
    finally:
        context.detach(token)
    request = route.calls.last.request
    assert request.headers["baggage"] == "tenant=acme"
    assert TRACEPARENT.match(request.headers["traceparent"])


async def test_concurrent_calls_with_one_correlation_id_keep_their_own_spans(
    make_client: Callable[..., ItemClient], telemetry: Telemetry
) -> None:
    gate = asyncio.Event()
    seen: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) == 2:
            gate.set()
        await gate.wait()  # both attempts are in flight at once
        return httpx.Response(200, json=OK)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = make_client(ClientConfig(events=[telemetry.sink()]), http_client=http)
    await asyncio.gather(
        client.get_item(1, correlation_id="same"), client.get_item(1, correlation_id="same")
    )

    spans = telemetry.client_spans()
    assert len(spans) == 2
    sent = {TRACEPARENT.match(r.headers["traceparent"]).group(2) for r in seen}  # type: ignore[union-attr]
    assert sent == {_ids(span)[1] for span in spans}


async def test_a_refused_attempt_starts_no_span_and_the_next_call_still_traces(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], telemetry: Telemetry
) -> None:
    respx_mock.get("/items/1").respond(500, json={})
    client = make_client(
        ClientConfig(
            events=[telemetry.sink()],
            retry=RetryConfig(max_attempts=1),
            circuit_breaker=CircuitBreakerConfig(failure_threshold=1),
        )
    )
    with pytest.raises(ServerError):
        await client.get_item(1)
    with pytest.raises(CircuitOpenError):
        await client.get_item(1)
    assert len(telemetry.client_spans()) == 1  # the refusal sent nothing
    assert len(telemetry.duration_points()) == 1


async def test_without_an_sdk_the_sink_is_a_quiet_no_op(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    sink = OpenTelemetryEvents(tracer_provider=trace.NoOpTracerProvider(), meter_provider=None)
    client = make_client(ClientConfig(events=[sink]))
    assert (await client.get_item(1)).id == 1
    # A non-recording span has an invalid context: the propagator sends nothing.
    assert "traceparent" not in route.calls.last.request.headers


async def test_an_incoming_tracestate_is_passed_on_with_each_attempts_own_span(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], telemetry: Telemetry
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [httpx.Response(503), httpx.Response(200, json=OK)]
    client = make_client(ClientConfig(events=[telemetry.sink()]))
    upstream = trace.SpanContext(
        trace_id=0x0AF7651916CD43DD8448EB211C80319C,
        span_id=0xB7AD6B7169203331,
        is_remote=True,
        trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED),
        trace_state=trace.TraceState([("vendor", "abc")]),
    )
    token = context.attach(trace.set_span_in_context(trace.NonRecordingSpan(upstream)))
    try:
        await client.get_item(1)
    finally:
        context.detach(token)

    spans = telemetry.client_spans()
    for call, span in zip(route.calls, spans, strict=True):
        headers = call.request.headers
        assert headers["tracestate"] == "vendor=abc"
        match = TRACEPARENT.match(headers["traceparent"])
        assert match is not None
        assert match.group(1) == "0af7651916cd43dd8448eb211c80319c"  # the caller's trace
        assert match.group(2) == _ids(span)[1]
        assert span.parent is not None and span.parent.span_id == 0xB7AD6B7169203331
