"""Prometheus metrics for resilient clients, on the client's event hooks.

    from resilient_client.prometheus import PrometheusMetrics
    client = PetsClient(config=ClientConfig(events=[PrometheusMetrics()]))

Needs ``prometheus-client`` (the ``[prometheus]`` extra). Metrics go to
``prometheus_client.REGISTRY`` unless ``registry=`` names another; expose them as usual
(``start_http_server``, ``make_asgi_app``, ``generate_latest``). Give each client its own
``PrometheusMetrics``; clients sharing a registry share the metric families, told apart
by the ``service`` label (the client's ``service_name`` unless ``service=`` is given).

Labels hold only bounded values: the service, the spec's operation names and methods,
status codes and failure kinds; never URLs, ids or header values.

========================================  =========  ===========================================
metric                                    type       labels / meaning
========================================  =========  ===========================================
http_client_requests_total                counter    service, operation, method, status, outcome:
                                                     HTTP requests, one per attempt (status ""
                                                     when no answer came: outcome says why)
http_client_request_duration_seconds      histogram  service, operation, method: per attempt
http_client_calls_total                   counter    service, operation, outcome: calls as the
                                                     caller saw them (``circuit_open``,
                                                     ``bulkhead_full``, ``fallback`` included)
http_client_retries_total                 counter    service, operation: retries scheduled
http_client_cache_hits_total              counter    service, operation (cached operations)
http_client_cache_misses_total            counter    service, operation (cached operations)
http_client_circuit_breaker_state         gauge      service: 0 closed, 1 half-open, 2 open
http_client_circuit_breaker_transitions_total counter service, state: transitions into state
http_client_bulkhead_in_use               gauge      service: calls holding a bulkhead slot
http_client_bulkhead_limit                gauge      service: the bulkhead's max_concurrency
========================================  =========  ===========================================

The two state gauges and the bulkhead gauges are read from the client at scrape time;
clients with the same service label on one registry are summed (bulkhead) or show the
worst state (breaker).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

try:
    from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
    from prometheus_client.core import GaugeMetricFamily
    from prometheus_client.registry import Collector
except ImportError as exc:  # pragma: no cover - exercised by a subprocess test
    raise ImportError(
        "resilient_client.prometheus needs prometheus-client: "
        "pip install 'resilient-openapi-clients[prometheus]'"
    ) from exc

from ._breaker import BreakerTransition, CircuitState
from ._events import CallEvent, ClientEvents, ResponseEvent, RetryEvent
from ._exceptions import ConfigError

if TYPE_CHECKING:
    from ._client import BaseServiceClient

__all__ = ["BREAKER_STATE_VALUES", "DURATION_BUCKETS", "METRIC_NAMES", "PrometheusMetrics"]

#: The numbers ``http_client_circuit_breaker_state`` reports.
BREAKER_STATE_VALUES = {CircuitState.CLOSED: 0, CircuitState.HALF_OPEN: 1, CircuitState.OPEN: 2}
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
#: Every metric family this module exports (dashboards and alert rules use only these).
METRIC_NAMES = (
    "http_client_requests_total",
    "http_client_request_duration_seconds",
    "http_client_calls_total",
    "http_client_retries_total",
    "http_client_cache_hits_total",
    "http_client_cache_misses_total",
    "http_client_circuit_breaker_state",
    "http_client_circuit_breaker_transitions_total",
    "http_client_bulkhead_in_use",
    "http_client_bulkhead_limit",
)


class _ClientState(Collector):
    """Breaker and bulkhead gauges, read from the attached clients at each scrape."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: list[tuple[weakref.ref[BaseServiceClient], str]] = []

    def add(self, client: BaseServiceClient, service: str) -> None:
        with self._lock:
            # Dead clients leave; a client reported twice (two sinks, one registry) would
            # have its bulkhead counted twice.
            self._clients = [
                (ref, s) for ref, s in self._clients if ref() is not None and ref() is not client
            ]
            self._clients.append((weakref.ref(client), service))

    def describe(self) -> Iterable[GaugeMetricFamily]:
        return self._families()

    def collect(self) -> Iterable[GaugeMetricFamily]:
        state: dict[str, int] = {}
        in_use: dict[str, int] = {}
        limit: dict[str, int] = {}
        with self._lock:
            clients = [(ref(), service) for ref, service in self._clients]
        for client, service in clients:
            if client is None:
                continue
            # (the scrape's thread: read only, the transition is the next call's)
            value = BREAKER_STATE_VALUES[client.circuit_breaker.peek_state()]
            state[service] = max(value, state.get(service, 0))
            bulkhead = client.bulkhead
            if bulkhead is not None:
                in_use[service] = in_use.get(service, 0) + bulkhead.in_flight
                limit[service] = limit.get(service, 0) + bulkhead.config.max_concurrency
        families = self._families()
        for family, values in zip(families, (state, in_use, limit), strict=True):
            for service, value in sorted(values.items()):
                family.add_metric([service], value)
        return families

    @staticmethod
    def _families() -> list[GaugeMetricFamily]:
        return [
            GaugeMetricFamily(
                "http_client_circuit_breaker_state",
                "Circuit breaker state: 0 closed, 1 half-open, 2 open.",
                labels=["service"],
            ),
            GaugeMetricFamily(
                "http_client_bulkhead_in_use",
                "Calls holding a bulkhead slot.",
                labels=["service"],
            ),
            GaugeMetricFamily(
                "http_client_bulkhead_limit",
                "The bulkhead's max_concurrency.",
                labels=["service"],
            ),
        ]


class _Instruments:
    """The metric families of one registry, shared by every sink writing to it."""

    def __init__(self, registry: CollectorRegistry, buckets: Sequence[float]) -> None:
        per_call = ["service", "operation"]
        self.requests = Counter(
            "http_client_requests_total",
            "HTTP requests sent, one per attempt.",
            [*per_call, "method", "status", "outcome"],
            registry=registry,
        )
        self.duration = Histogram(
            "http_client_request_duration_seconds",
            "Duration of one HTTP request (attempt), in seconds.",
            [*per_call, "method"],
            registry=registry,
            buckets=buckets,
        )
        self.calls = Counter(
            "http_client_calls_total",
            "Calls as the caller saw them, by outcome.",
            [*per_call, "outcome"],
            registry=registry,
        )
        self.retries = Counter(
            "http_client_retries_total", "Retries scheduled.", per_call, registry=registry
        )
        self.cache_hits = Counter(
            "http_client_cache_hits_total",
            "Calls answered from the response cache.",
            per_call,
            registry=registry,
        )
        self.cache_misses = Counter(
            "http_client_cache_misses_total",
            "Calls to a cached operation that went to the service.",
            per_call,
            registry=registry,
        )
        self.transitions = Counter(
            "http_client_circuit_breaker_transitions_total",
            "Circuit breaker transitions, by the state entered.",
            ["service", "state"],
            registry=registry,
        )
        self.state = _ClientState()
        registry.register(self.state)


_by_registry: weakref.WeakKeyDictionary[CollectorRegistry, _Instruments] = (
    weakref.WeakKeyDictionary()
)
_by_registry_lock = threading.Lock()


def _instruments(registry: CollectorRegistry, buckets: Sequence[float]) -> _Instruments:
    with _by_registry_lock:
        found = _by_registry.get(registry)
        if found is None:
            found = _by_registry[registry] = _Instruments(registry, buckets)
        return found


class PrometheusMetrics(ClientEvents):
    """A ``ClientConfig(events=[...])`` sink exporting the client's metrics to Prometheus.

    ``buckets`` applies when this is the first sink on ``registry`` (the histogram is
    created once per registry).
    """

    def __init__(
        self,
        *,
        registry: CollectorRegistry | None = None,
        service: str | None = None,
        buckets: Sequence[float] = DURATION_BUCKETS,
    ) -> None:
        self._metrics = _instruments(registry if registry is not None else REGISTRY, buckets)
        self._service = service
        self._explicit_service = service is not None
        self._attached = False
        self._per_attempt: dict[tuple[str, str, int | None, str], tuple[Counter, Histogram]] = {}

    @property
    def service(self) -> str | None:
        """The ``service`` label (None until a client is attached, unless given)."""
        return self._service

    def attach(self, client: BaseServiceClient) -> None:
        name = client.service_name
        if self._attached and not self._explicit_service and name != self._service:
            raise ConfigError(
                f"this PrometheusMetrics already reports service {self._service!r}: give "
                f"{type(client).__name__} its own PrometheusMetrics() or pass service=..."
            )
        if self._service is None:
            self._service = name
        self._attached = True
        self._metrics.state.add(client, self._service or name)

    def _label(self) -> str:
        return self._service or "unknown"

    def on_response(self, event: ResponseEvent) -> None:
        key = (event.operation, event.method, event.status, event.outcome)
        children = self._per_attempt.get(key)
        if children is None:
            # labels() takes a lock and builds a key each time; the label sets are few
            # (bounded by operations x statuses x outcomes), so their children are kept.
            service = self._label()
            status = "" if event.status is None else str(event.status)
            metrics = self._metrics
            children = self._per_attempt[key] = (
                metrics.requests.labels(
                    service, event.operation, event.method, status, event.outcome
                ),
                metrics.duration.labels(service, event.operation, event.method),
            )
        children[0].inc()
        children[1].observe(event.latency)

    def on_retry(self, event: RetryEvent) -> None:
        self._metrics.retries.labels(self._label(), event.operation).inc()

    def on_call(self, event: CallEvent) -> None:
        service = self._label()
        metrics = self._metrics
        metrics.calls.labels(service, event.operation, event.outcome).inc()
        if event.cache == "hit":
            metrics.cache_hits.labels(service, event.operation).inc()
        elif event.cache == "miss":
            metrics.cache_misses.labels(service, event.operation).inc()

    def on_breaker_transition(self, event: BreakerTransition) -> None:
        self._metrics.transitions.labels(self._label(), event.to_state.value).inc()
