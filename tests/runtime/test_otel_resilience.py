"""resilient_client.otel's resilience metrics: calls, retries, cache lookups, the breaker
and the bulkhead, as the SDK's in-memory metric reader collects them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import httpx
import pytest
import respx
from fakes import FakeClock
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader, Metric
from runtime_helpers import ItemClient

from resilient_client import (
    BulkheadConfig,
    CircuitBreakerConfig,
    CircuitOpenError,
    ClientConfig,
    ConfigError,
    RetryConfig,
    ServerError,
)
from resilient_client.otel import (
    BREAKER_STATE_ATTRIBUTE,
    CACHE_RESULT_ATTRIBUTE,
    OPERATION_ATTRIBUTE,
    OUTCOME_ATTRIBUTE,
    SERVICE_ATTRIBUTE,
    OpenTelemetryEvents,
)

OK = {"id": 1, "name": "a"}
SERVICE = {SERVICE_ATTRIBUTE: "ItemService"}
GET_ITEM = {**SERVICE, OPERATION_ATTRIBUTE: "get_item"}


class Metrics:
    def __init__(self) -> None:
        self.reader = InMemoryMetricReader()
        self.provider = MeterProvider(metric_readers=[self.reader])

    def sink(self, **options: Any) -> OpenTelemetryEvents:
        return OpenTelemetryEvents(meter_provider=self.provider, **options)

    def collect(self) -> dict[str, Metric]:
        data = self.reader.get_metrics_data()
        assert data is not None
        return {
            metric.name: metric
            for resource in data.resource_metrics
            for scope in resource.scope_metrics
            for metric in scope.metrics
        }


def points(metric: Metric) -> dict[frozenset[tuple[str, Any]], float]:
    return {
        frozenset((point.attributes or {}).items()): point.value  # type: ignore[union-attr]
        for point in metric.data.data_points
    }


def key(**attributes: Any) -> frozenset[tuple[str, Any]]:
    return frozenset(attributes.items())


@pytest.fixture
def metrics() -> Iterator[Metrics]:
    m = Metrics()
    yield m
    m.provider.shutdown()


def config(sink: OpenTelemetryEvents, **options: Any) -> ClientConfig:
    return ClientConfig(
        events=[sink],
        retry=RetryConfig(max_attempts=2),
        circuit_breaker=CircuitBreakerConfig(
            failure_threshold=2, recovery_timeout=30.0, failure_rate_threshold=None
        ),
        cache_operations=frozenset({"get_item"}),
        **options,
    )


async def test_calls_retries_cache_and_the_breaker(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    metrics: Metrics,
    clock: FakeClock,
) -> None:
    statuses = iter([503, 200])
    respx_mock.get("/items/1").mock(
        side_effect=lambda request: httpx.Response(next(statuses), json=OK)
    )
    respx_mock.get("/items/2").respond(500, json={})
    client = make_client(config(metrics.sink(), bulkhead=BulkheadConfig(max_concurrency=3)))
    await client.get_item(1)  # a miss, retried once after a 503
    await client.get_item(1)  # a hit
    with pytest.raises(ServerError):
        await client.get_item(2, use_cache=False)  # two failed attempts: the breaker opens
    with pytest.raises(CircuitOpenError):
        await client.get_item(2, use_cache=False)

    collected = metrics.collect()
    units = {name: metric.unit for name, metric in collected.items()}
    assert {name: unit for name, unit in units.items() if name.startswith("resilient")} == {
        "resilient_client.calls": "{call}",
        "resilient_client.retries": "{retry}",
        "resilient_client.cache.lookups": "{lookup}",
        "resilient_client.circuit_breaker.transitions": "{transition}",
        "resilient_client.circuit_breaker.state": "1",
        "resilient_client.bulkhead.usage": "{call}",
        "resilient_client.bulkhead.limit": "{call}",
    }
    assert points(collected["resilient_client.calls"]) == {
        key(**GET_ITEM, **{OUTCOME_ATTRIBUTE: "success"}): 2,
        key(**GET_ITEM, **{OUTCOME_ATTRIBUTE: "http_5xx"}): 1,
        key(**GET_ITEM, **{OUTCOME_ATTRIBUTE: "circuit_open"}): 1,
    }
    assert points(collected["resilient_client.retries"]) == {
        key(**GET_ITEM, **{"error.type": "503"}): 1,
        key(**GET_ITEM, **{"error.type": "500"}): 1,
    }
    assert points(collected["resilient_client.cache.lookups"]) == {
        # (a use_cache=False call is a miss too, as for Prometheus: it went to the service)
        key(**GET_ITEM, **{CACHE_RESULT_ATTRIBUTE: "miss"}): 3,
        key(**GET_ITEM, **{CACHE_RESULT_ATTRIBUTE: "hit"}): 1,
    }
    assert points(collected["resilient_client.circuit_breaker.transitions"]) == {
        key(**SERVICE, **{BREAKER_STATE_ATTRIBUTE: "open"}): 1
    }
    assert points(collected["resilient_client.circuit_breaker.state"]) == {
        key(**SERVICE, **{BREAKER_STATE_ATTRIBUTE: "closed"}): 0,
        key(**SERVICE, **{BREAKER_STATE_ATTRIBUTE: "half_open"}): 0,
        key(**SERVICE, **{BREAKER_STATE_ATTRIBUTE: "open"}): 1,
    }
    assert points(collected["resilient_client.bulkhead.usage"]) == {key(**SERVICE): 0}
    assert points(collected["resilient_client.bulkhead.limit"]) == {key(**SERVICE): 3}

    # after the recovery timeout the gauge reports half-open without moving the breaker
    clock.advance(31.0)
    collected = metrics.collect()
    assert (
        points(collected["resilient_client.circuit_breaker.state"])[
            key(**SERVICE, **{BREAKER_STATE_ATTRIBUTE: "half_open"})
        ]
        == 1
    )
    assert points(collected["resilient_client.circuit_breaker.transitions"]) == {
        key(**SERVICE, **{BREAKER_STATE_ATTRIBUTE: "open"}): 1,
    }
    assert client.circuit_breaker._transitions == 1  # collecting moved nothing


async def test_without_a_bulkhead_there_are_no_bulkhead_points(
    make_client: Callable[..., ItemClient], metrics: Metrics
) -> None:
    make_client(config(metrics.sink()))
    collected = metrics.collect()
    assert (
        points(collected["resilient_client.circuit_breaker.state"])[
            key(**SERVICE, **{BREAKER_STATE_ATTRIBUTE: "closed"})
        ]
        == 1
    )
    assert "resilient_client.bulkhead.usage" not in collected


class OtherClient(ItemClient):
    service_name: ClassVar[str] = "OtherService"


async def test_one_sink_reports_one_service(metrics: Metrics) -> None:
    sink = metrics.sink()
    async with ItemClient(config=ClientConfig(events=[sink])):
        with pytest.raises(ConfigError, match="its own OpenTelemetryEvents"):
            OtherClient(config=ClientConfig(events=[sink]))
    named = metrics.sink(service="shop")
    async with (
        ItemClient(config=ClientConfig(events=[named])),
        OtherClient(config=ClientConfig(events=[named])),
    ):
        state = points(metrics.collect()["resilient_client.circuit_breaker.state"])
    assert state[key(**{SERVICE_ATTRIBUTE: "shop", BREAKER_STATE_ATTRIBUTE: "closed"})] == 1


async def test_sinks_sharing_a_meter_provider_are_all_observed(metrics: Metrics) -> None:
    """The SDK ignores a second registration's callbacks: each sink registering its own
    observable instruments would have left the second client's breaker unreported."""
    config = ClientConfig(
        bulkhead=BulkheadConfig(max_concurrency=2),
        circuit_breaker=CircuitBreakerConfig(failure_threshold=1),
    )
    one = ItemClient(config=config.model_copy(update={"events": [metrics.sink()]}))
    two = OtherClient(config=config.model_copy(update={"events": [metrics.sink()]}))
    async with one, two:
        two.circuit_breaker.force_open()
        collected = metrics.collect()
    state = points(collected["resilient_client.circuit_breaker.state"])
    assert {k: v for k, v in state.items() if v} == {
        key(**{SERVICE_ATTRIBUTE: "ItemService", BREAKER_STATE_ATTRIBUTE: "closed"}): 1,
        key(**{SERVICE_ATTRIBUTE: "OtherService", BREAKER_STATE_ATTRIBUTE: "open"}): 1,
    }
    assert points(collected["resilient_client.bulkhead.limit"]) == {
        key(**{SERVICE_ATTRIBUTE: "ItemService"}): 2,
        key(**{SERVICE_ATTRIBUTE: "OtherService"}): 2,
    }
