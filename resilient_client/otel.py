"""OpenTelemetry for resilient clients: a CLIENT span per HTTP attempt, the
``http.client.request.duration`` histogram and W3C trace context on every attempt.

    from resilient_client.otel import OpenTelemetryEvents
    client = PetsClient(config=ClientConfig(events=[OpenTelemetryEvents()]))

Needs ``opentelemetry-api`` (the ``[otel]`` extra); the application configures the SDK
and exporters as usual, and without an SDK every span and instrument is a no-op.

Follows the stable HTTP client semantic conventions: one span per HTTP request, so a
retried call is several sibling spans under the caller's current span, the second one
with ``http.request.resend_count`` 1. Each attempt sends its own ``traceparent`` (the
globally configured propagator, so ``tracestate`` and baggage too) naming its own span.
Attributes: ``http.request.method``, ``server.address``, ``server.port``, ``url.full``
(credentials and secret query values already redacted), ``url.scheme``,
``http.response.status_code``, ``error.type`` (the status code as text for an error
status, else the runtime's failure kind: ``transport``, ``timeout``, ``cancelled``...),
plus ``resilient_client.operation`` and ``resilient_client.correlation_id``. Request
headers are never attributes. The histogram carries the method, server, scheme, status
and ``error.type`` only, so its cardinality stays bounded.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

try:
    from opentelemetry import metrics, propagate, trace
    from opentelemetry.trace import Span, SpanKind, Status, StatusCode
except ImportError as exc:  # pragma: no cover - exercised by a subprocess test
    raise ImportError(
        "resilient_client.otel needs opentelemetry-api: "
        "pip install 'resilient-openapi-clients[otel]'"
    ) from exc

from ._events import ClientEvents, RequestEvent, ResponseEvent
from ._version import __version__

if TYPE_CHECKING:
    from collections.abc import Mapping

    from opentelemetry.util.types import AttributeValue

__all__ = [
    "CORRELATION_ID_ATTRIBUTE",
    "DURATION_BUCKETS",
    "OPERATION_ATTRIBUTE",
    "OpenTelemetryEvents",
]

CORRELATION_ID_ATTRIBUTE = "resilient_client.correlation_id"
OPERATION_ATTRIBUTE = "resilient_client.operation"
#: The semantic conventions' advised bucket boundaries for HTTP durations, in seconds.
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
_SCHEMA_URL = "https://opentelemetry.io/schemas/1.26.0"
_KNOWN_METHODS = frozenset(
    {"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY", "TRACE"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(slots=True)
class _Attempt:
    """The span of the attempt in flight in this task, and what identifies it."""

    key: tuple[str, str, int]
    span: Span
    #: attributes shared by the span and the duration histogram
    metric_attributes: dict[str, AttributeValue]


class OpenTelemetryEvents(ClientEvents):
    """A ``ClientConfig(events=[...])`` sink exporting traces and metrics to OpenTelemetry.

    ``tracer_provider``/``meter_provider`` default to the globally configured ones.
    """

    def __init__(
        self,
        *,
        tracer_provider: trace.TracerProvider | None = None,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        self._tracer = trace.get_tracer(
            "resilient_client", __version__, tracer_provider, schema_url=_SCHEMA_URL
        )
        meter = metrics.get_meter(
            "resilient_client", __version__, meter_provider, schema_url=_SCHEMA_URL
        )
        self._duration = meter.create_histogram(
            "http.client.request.duration",
            unit="s",
            description="Duration of HTTP client requests.",
            explicit_bucket_boundaries_advisory=list(DURATION_BUCKETS),
        )
        # Attempt start and end run in the same task (the attempt loop never hands an
        # attempt to another task), so a context variable pairs them even when calls with
        # the same correlation id run concurrently.
        self._current: ContextVar[_Attempt | None] = ContextVar(
            f"resilient_client_otel_{id(self)}", default=None
        )

    def on_request(self, event: RequestEvent) -> None:
        method = event.method.upper()
        parts = urlsplit(event.url)
        scheme = parts.scheme
        metric_attributes: dict[str, AttributeValue] = {
            "http.request.method": method if method in _KNOWN_METHODS else "_OTHER",
            "server.address": parts.hostname or "",
            "server.port": parts.port or _DEFAULT_PORTS.get(scheme, 0),
            "url.scheme": scheme,
        }
        attributes: dict[str, AttributeValue] = {
            **metric_attributes,
            "url.full": event.url,
            OPERATION_ATTRIBUTE: event.operation,
            CORRELATION_ID_ATTRIBUTE: event.correlation_id,
        }
        if method not in _KNOWN_METHODS:
            attributes["http.request.method_original"] = event.method
        if event.attempt > 1:
            attributes["http.request.resend_count"] = event.attempt - 1
        span = self._tracer.start_span(
            method if method in _KNOWN_METHODS else "HTTP",
            kind=SpanKind.CLIENT,
            attributes=attributes,
        )
        key = (event.correlation_id, event.operation, event.attempt)
        self._current.set(_Attempt(key, span, metric_attributes))

    def attempt_headers(self, event: RequestEvent) -> Mapping[str, str] | None:
        attempt = self._current.get()
        if attempt is None or attempt.key != _key(event):
            return None
        carrier: dict[str, str] = {}
        # The caller's context (baggage) with this attempt's span as the parent to name.
        propagate.inject(carrier, context=trace.set_span_in_context(attempt.span))
        return carrier

    def on_response(self, event: ResponseEvent) -> None:
        attempt = self._current.get()
        if attempt is None or attempt.key != _key(event):
            return  # no span was started: the attempt failed before it was announced
        self._current.set(None)
        span = attempt.span
        attributes = attempt.metric_attributes
        if event.status is not None:
            attributes["http.response.status_code"] = event.status
            span.set_attribute("http.response.status_code", event.status)
        error_type = _error_type(event)
        if error_type is not None:
            attributes["error.type"] = error_type
            span.set_attribute("error.type", error_type)
            span.set_status(Status(StatusCode.ERROR))
        span.end()
        self._duration.record(event.latency, attributes)


def _key(event: RequestEvent | ResponseEvent) -> tuple[str, str, int]:
    return (event.correlation_id, event.operation, event.attempt)


def _error_type(event: ResponseEvent) -> str | None:
    if event.status is not None and event.status >= 400:
        return str(event.status)
    if event.outcome == "success":
        return None
    return event.outcome
