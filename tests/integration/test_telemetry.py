"""Telemetry over real sockets: a generated client against the fault server, with the
OpenTelemetry and Prometheus adapters both on, a fault injected server-side.

Checks all three views of one retried call: the spans the SDK exported, the
``traceparent`` the server received on each attempt, and a Prometheus scrape.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from metadata_stamping_client import MetadataStampingClient
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from fault_server.testing import RunningServer
from resilient_client import CircuitBreakerConfig, CircuitOpenError, ServerError
from resilient_client.otel import CORRELATION_ID_ATTRIBUTE, OpenTelemetryEvents
from resilient_client.prometheus import PrometheusMetrics

from .conftest import fast_config

pytestmark = pytest.mark.integration

TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


def _scrape(registry: CollectorRegistry) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    text = generate_latest(registry).decode()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_a_retried_call_is_traced_propagated_and_counted(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    spans = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    reader = InMemoryMetricReader()
    registry = CollectorRegistry()
    otel = OpenTelemetryEvents(
        tracer_provider=tracer_provider, meter_provider=MeterProvider(metric_readers=[reader])
    )
    client = make_stamping(fast_config(events=[otel, PrometheusMetrics(registry=registry)]))
    stamp = await client.create_stamp(content="hello")
    spans.clear()
    stamping_server.reset()
    stamping_server.faults.fail_next(2, status=503)

    with tracer_provider.get_tracer("test").start_as_current_span("job") as job:
        row = await client.get_stamp(stamp.file_hash, correlation_id="job-7")

    assert row.file_hash == stamp.file_hash
    await stamping_server.wait_idle()
    received = [r for r in stamping_server.stats.records if r.method == "GET"]
    assert [r.status for r in received] == [503, 503, 200]
    exported = [s for s in spans.get_finished_spans() if s.kind is SpanKind.CLIENT]
    assert len(exported) == 3
    trace_id = f"{job.get_span_context().trace_id:032x}"
    port = int(stamping_server.base_url.rsplit(":", 1)[1].split("/")[0])
    for attempt, (record, span) in enumerate(zip(received, exported, strict=True)):
        assert record.traceparent is not None, "the server got no trace context"
        match = TRACEPARENT.match(record.traceparent)
        assert match is not None, record.traceparent
        assert match.group(1) == trace_id
        assert match.group(2) == f"{span.get_span_context().span_id:016x}"
        assert record.correlation_id == "job-7"
        attrs = dict(span.attributes or {})
        assert attrs[CORRELATION_ID_ATTRIBUTE] == "job-7"
        assert attrs["server.address"] == "127.0.0.1" and attrs["server.port"] == port
        assert attrs["http.response.status_code"] == record.status
        assert attrs.get("http.request.resend_count", 0) == attempt
        assert attrs.get("error.type") == ("503" if attempt < 2 else None)
    assert len({r.traceparent for r in received}) == 3
    data = reader.get_metrics_data()
    assert data is not None
    durations = {
        (dict(point.attributes or {}).get("http.response.status_code"), point.count)
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
        if metric.name == "http.client.request.duration"
        for point in metric.data.data_points
        if dict(point.attributes or {}).get("server.port") == port
        and dict(point.attributes or {}).get("http.request.method") == "GET"
    }
    assert durations == {(503, 2), (200, 1)}  # create_stamp's POST is a series of its own

    scrape = _scrape(registry)
    service = client.service_name
    op = {("service", service), ("operation", "get_stamp")}
    request = op | {("method", "GET")}
    assert (
        scrape[
            (
                "http_client_requests_total",
                frozenset(request | {("status", "503"), ("outcome", "http_5xx")}),
            )
        ]
        == 2
    )
    assert (
        scrape[
            (
                "http_client_requests_total",
                frozenset(request | {("status", "200"), ("outcome", "success")}),
            )
        ]
        == 1
    )
    assert scrape[("http_client_retries_total", frozenset(op))] == 2
    assert scrape[("http_client_calls_total", frozenset(op | {("outcome", "success")}))] == 1
    assert scrape[("http_client_request_duration_seconds_count", frozenset(request))] == 3
    assert scrape[("http_client_circuit_breaker_state", frozenset({("service", service)}))] == 0


async def test_an_outage_shows_as_an_open_breaker_in_the_scrape(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    registry = CollectorRegistry()
    breaker = CircuitBreakerConfig(failure_threshold=2, recovery_timeout=30)
    client = make_stamping(
        fast_config(events=[PrometheusMetrics(registry=registry)], circuit_breaker=breaker)
    )
    stamping_server.faults.fail_next(10, status=503)
    with pytest.raises(ServerError):
        await client.get_stamp("ab" * 32)  # two failed attempts open the breaker
    with pytest.raises(CircuitOpenError):
        await client.get_stamp("ab" * 32)

    scrape = _scrape(registry)
    service = frozenset({("service", client.service_name)})
    assert scrape[("http_client_circuit_breaker_state", service)] == 2
    assert (
        scrape[("http_client_circuit_breaker_transitions_total", service | {("state", "open")})]
        == 1
    )
    assert stamping_server.stats.requests == 2  # the refused call never reached it
