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

The resilience metrics Prometheus gets (``resilient_client.prometheus``), named and
typed in the conventions' style (dotted names, UCUM units, states as attributes, no
``_total``), each with ``resilient_client.service`` (the client's ``service_name``):

=============================================  ======================  =====================
metric (unit)                                  instrument              more attributes
=============================================  ======================  =====================
resilient_client.calls ({call})                counter                 operation, outcome
resilient_client.retries ({retry})             counter                 operation, error.type
resilient_client.cache.lookups ({lookup})      counter                 operation, cache.result
resilient_client.circuit_breaker.state (1)     observable gauge        circuit_breaker.state:
                                                                       1 for the state it is
                                                                       in, 0 for the others
resilient_client.circuit_breaker.transitions   counter                 circuit_breaker.state
({transition})                                                         (the state entered)
resilient_client.bulkhead.usage ({call})       observable up-down      (calls holding a slot)
resilient_client.bulkhead.limit ({call})       observable up-down      (max_concurrency)
=============================================  ======================  =====================

(``operation`` is ``resilient_client.operation``; the other names are under
``resilient_client.`` too.) The observed ones are read from the attached clients at
each collection, on the reader's thread: the breaker with ``peek_state()``, which moves
nothing. Give each client its own ``OpenTelemetryEvents`` (or ``service=``), as the
per-call counters cannot tell two services apart.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

try:
    from opentelemetry import metrics, propagate, trace
    from opentelemetry.metrics import CallbackOptions, Observation
    from opentelemetry.trace import Span, SpanKind, Status, StatusCode
except ImportError as exc:  # pragma: no cover - exercised by a subprocess test
    raise ImportError(
        "resilient_client.otel needs opentelemetry-api: "
        "pip install 'resilient-openapi-clients[otel]'"
    ) from exc

from ._breaker import BreakerTransition, CircuitState
from ._events import CallEvent, ClientEvents, RequestEvent, ResponseEvent, RetryEvent
from ._exceptions import ConfigError
from ._version import __version__

if TYPE_CHECKING:
    from collections.abc import Mapping

    from opentelemetry.util.types import AttributeValue

    from ._client import BaseServiceClient

__all__ = [
    "BREAKER_STATE_ATTRIBUTE",
    "CACHE_RESULT_ATTRIBUTE",
    "CORRELATION_ID_ATTRIBUTE",
    "DURATION_BUCKETS",
    "OPERATION_ATTRIBUTE",
    "OUTCOME_ATTRIBUTE",
    "SERVICE_ATTRIBUTE",
    "OpenTelemetryEvents",
]

CORRELATION_ID_ATTRIBUTE = "resilient_client.correlation_id"
OPERATION_ATTRIBUTE = "resilient_client.operation"
SERVICE_ATTRIBUTE = "resilient_client.service"
OUTCOME_ATTRIBUTE = "resilient_client.outcome"
CACHE_RESULT_ATTRIBUTE = "resilient_client.cache.result"
BREAKER_STATE_ATTRIBUTE = "resilient_client.circuit_breaker.state"
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
        service: str | None = None,
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
        self._service = service
        self._explicit_service = service is not None
        self._attached = False
        self._calls = meter.create_counter(
            "resilient_client.calls", unit="{call}", description="Calls, by outcome."
        )
        self._retries = meter.create_counter(
            "resilient_client.retries", unit="{retry}", description="Retries scheduled."
        )
        self._cache = meter.create_counter(
            "resilient_client.cache.lookups",
            unit="{lookup}",
            description="Calls to a cached operation, by whether the cache answered.",
        )
        self._transitions = meter.create_counter(
            "resilient_client.circuit_breaker.transitions",
            unit="{transition}",
            description="Circuit breaker transitions, by the state entered.",
        )
        self._observed = _observed_for(meter_provider, meter)
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

    # -- resilience metrics --------------------------------------------------------------

    def attach(self, client: BaseServiceClient) -> None:
        name = client.service_name
        if self._attached and not self._explicit_service and name != self._service:
            raise ConfigError(
                f"this OpenTelemetryEvents already reports service {self._service!r}: "
                f"give {type(client).__name__} its own OpenTelemetryEvents() or pass "
                "service=..."
            )
        if self._service is None:
            self._service = name
        self._attached = True
        self._observed.add(client, self._service or name)

    def _attributes(self, operation: str, **more: AttributeValue) -> dict[str, AttributeValue]:
        return {
            SERVICE_ATTRIBUTE: self._service or "unknown",
            OPERATION_ATTRIBUTE: operation,
            **more,
        }

    def on_retry(self, event: RetryEvent) -> None:
        error = event.error
        status = getattr(error, "status", None)
        error_type = str(status) if isinstance(status, int) else type(error).__qualname__
        self._retries.add(1, self._attributes(event.operation, **{"error.type": error_type}))

    def on_call(self, event: CallEvent) -> None:
        operation = event.operation
        self._calls.add(1, self._attributes(operation, **{OUTCOME_ATTRIBUTE: event.outcome}))
        if event.cache is not None:
            self._cache.add(1, self._attributes(operation, **{CACHE_RESULT_ATTRIBUTE: event.cache}))

    def on_breaker_transition(self, event: BreakerTransition) -> None:
        self._transitions.add(
            1,
            {
                SERVICE_ATTRIBUTE: self._service or "unknown",
                BREAKER_STATE_ATTRIBUTE: event.to_state.value,
            },
        )


class _Observed:
    """The attached clients whose breaker and bulkhead are observed at each collection.

    One per meter provider, shared by every sink on it: the SDK keeps the first
    instrument registered under a name and ignores a second registration's callbacks,
    so per-sink observable instruments would report only the first sink's clients.
    """

    def __init__(self, meter: metrics.Meter) -> None:
        self._lock = threading.Lock()  # attach (a client's thread) vs. the reader's
        self._clients: list[tuple[weakref.ref[BaseServiceClient], str]] = []
        meter.create_observable_gauge(
            "resilient_client.circuit_breaker.state",
            callbacks=[self._breakers],
            unit="1",
            description="1 for the state the circuit breaker is in, 0 for the others.",
        )
        meter.create_observable_up_down_counter(
            "resilient_client.bulkhead.usage",
            callbacks=[self._bulkhead_usage],
            unit="{call}",
            description="Calls holding a bulkhead slot.",
        )
        meter.create_observable_up_down_counter(
            "resilient_client.bulkhead.limit",
            callbacks=[self._bulkhead_limit],
            unit="{call}",
            description="The bulkhead's max_concurrency.",
        )

    def add(self, client: BaseServiceClient, service: str) -> None:
        with self._lock:
            # Dead clients leave; a client attached twice is observed once.
            self._clients = [
                (ref, s) for ref, s in self._clients if ref() is not None and ref() is not client
            ]
            self._clients.append((weakref.ref(client), service))

    def _live(self) -> list[tuple[BaseServiceClient, str]]:
        with self._lock:
            pairs = [(ref(), service) for ref, service in self._clients]
        return [(client, service) for client, service in pairs if client is not None]

    def _breakers(self, options: CallbackOptions) -> Iterable[Observation]:
        for client, service in self._live():
            # the reader's thread: read only, the transition is the next call's
            current = client.circuit_breaker.peek_state()
            for state in CircuitState:
                yield Observation(
                    1 if state is current else 0,
                    {SERVICE_ATTRIBUTE: service, BREAKER_STATE_ATTRIBUTE: state.value},
                )

    def _bulkhead_usage(self, options: CallbackOptions) -> Iterable[Observation]:
        for client, service in self._live():
            bulkhead = client.bulkhead
            if bulkhead is not None:
                yield Observation(bulkhead.in_flight, {SERVICE_ATTRIBUTE: service})

    def _bulkhead_limit(self, options: CallbackOptions) -> Iterable[Observation]:
        for client, service in self._live():
            bulkhead = client.bulkhead
            if bulkhead is not None:
                yield Observation(bulkhead.config.max_concurrency, {SERVICE_ATTRIBUTE: service})


_observed_by_provider: weakref.WeakKeyDictionary[metrics.MeterProvider, _Observed] = (
    weakref.WeakKeyDictionary()
)
#: the sinks using the global provider (``meter_provider=None``)
_observed_global: list[_Observed] = []
_observed_lock = threading.Lock()


def _observed_for(provider: metrics.MeterProvider | None, meter: metrics.Meter) -> _Observed:
    with _observed_lock:
        if provider is None:
            if not _observed_global:
                _observed_global.append(_Observed(meter))
            return _observed_global[0]
        found = _observed_by_provider.get(provider)
        if found is None:
            found = _observed_by_provider[provider] = _Observed(meter)
        return found


def _key(event: RequestEvent | ResponseEvent) -> tuple[str, str, int]:
    return (event.correlation_id, event.operation, event.attempt)


def _error_type(event: ResponseEvent) -> str | None:
    if event.status is not None and event.status >= 400:
        return str(event.status)
    if event.outcome == "success":
        return None
    return event.outcome
