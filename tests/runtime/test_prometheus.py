"""resilient_client.prometheus: what a real registry scrape shows after real calls."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from runtime_helpers import ItemClient

from resilient_client import (
    BulkheadConfig,
    CircuitBreakerConfig,
    CircuitOpenError,
    ClientConfig,
    ConfigError,
    Operation,
    ResponseSpec,
    RetryConfig,
    ServerError,
    SpecPolicy,
)
from resilient_client.prometheus import METRIC_NAMES, PrometheusMetrics

OK = {"id": 1, "name": "a"}
CACHED: Operation[dict[str, Any]] = Operation(
    "get_settings",
    "GET",
    "/settings",
    responses={"200": ResponseSpec("json")},
    policy=SpecPolicy(cache_ttl=300),
)


class Scrape:
    """One ``generate_latest`` exposition, parsed back by prometheus_client's parser."""

    def __init__(self, registry: CollectorRegistry) -> None:
        text = generate_latest(registry).decode()
        self.families = {f.name: f for f in text_string_to_metric_families(text)}

    def value(self, sample_name: str, **labels: str) -> float:
        found = [
            s.value
            for family in self.families.values()
            for s in family.samples
            if s.name == sample_name and all(s.labels.get(k) == v for k, v in labels.items())
        ]
        assert len(found) == 1, (sample_name, labels, found)
        return found[0]

    def samples(self, sample_name: str) -> list[dict[str, str]]:
        return [
            s.labels
            for family in self.families.values()
            for s in family.samples
            if s.name == sample_name
        ]


def _client(
    make_client: Callable[..., ItemClient], registry: CollectorRegistry, **config: Any
) -> ItemClient:
    return make_client(ClientConfig(events=[PrometheusMetrics(registry=registry)], **config))


async def test_requests_durations_calls_and_retries_of_a_retried_call(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: Any
) -> None:
    statuses = iter([503, 503, 200])

    def respond(request: httpx.Request) -> httpx.Response:
        clock.advance(0.03)
        return httpx.Response(next(statuses), json=OK)

    respx_mock.get("/items/1").mock(side_effect=respond)
    registry = CollectorRegistry()
    client = _client(make_client, registry)
    await client.get_item(1)

    scrape = Scrape(registry)
    attempt = {"service": "ItemService", "operation": "get_item", "method": "GET"}
    assert (
        scrape.value("http_client_requests_total", **attempt, status="503", outcome="http_5xx") == 2
    )
    assert (
        scrape.value("http_client_requests_total", **attempt, status="200", outcome="success") == 1
    )
    assert scrape.value("http_client_request_duration_seconds_count", **attempt) == 3
    assert scrape.value("http_client_request_duration_seconds_sum", **attempt) == pytest.approx(
        0.09
    )
    assert scrape.value("http_client_request_duration_seconds_bucket", **attempt, le="0.025") == 0
    assert scrape.value("http_client_request_duration_seconds_bucket", **attempt, le="0.05") == 3
    op = {"service": "ItemService", "operation": "get_item"}
    assert scrape.value("http_client_retries_total", **op) == 2
    assert scrape.value("http_client_calls_total", **op, outcome="success") == 1
    assert scrape.value("http_client_circuit_breaker_state", service="ItemService") == 0
    # No bulkhead configured: no bulkhead sample, rather than a misleading 0 of 0.
    assert scrape.samples("http_client_bulkhead_in_use") == []


async def test_cache_hits_and_misses_are_counted_per_operation(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    route = respx_mock.get("/settings").respond(200, json={"theme": "dark"})
    registry = CollectorRegistry()
    client = _client(make_client, registry)
    for _ in range(3):
        await client._request(CACHED)
    await client.get_item(1)  # an operation without a cache is neither hit nor miss
    assert route.call_count == 1

    scrape = Scrape(registry)
    op = {"service": "ItemService", "operation": "get_settings"}
    assert scrape.value("http_client_cache_hits_total", **op) == 2
    assert scrape.value("http_client_cache_misses_total", **op) == 1
    assert scrape.value("http_client_calls_total", **op, outcome="success") == 3
    assert all(
        labels["operation"] == "get_settings"
        for labels in scrape.samples("http_client_cache_misses_total")
    )
    assert (
        scrape.value(
            "http_client_requests_total", **op, method="GET", status="200", outcome="success"
        )
        == 1
    )


async def test_the_breaker_state_gauge_and_transitions_follow_the_breaker(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: Any
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [httpx.Response(500), httpx.Response(200, json=OK)]
    registry = CollectorRegistry()
    client = _client(
        make_client,
        registry,
        retry=RetryConfig(max_attempts=1),
        circuit_breaker=CircuitBreakerConfig(
            failure_threshold=1, recovery_timeout=30, success_threshold=1
        ),
    )
    with pytest.raises(ServerError):
        await client.get_item(1)
    with pytest.raises(CircuitOpenError):
        await client.get_item(1)

    scrape = Scrape(registry)
    assert scrape.value("http_client_circuit_breaker_state", service="ItemService") == 2
    assert (
        scrape.value(
            "http_client_circuit_breaker_transitions_total", service="ItemService", state="open"
        )
        == 1
    )
    op = {"service": "ItemService", "operation": "get_item"}
    assert scrape.value("http_client_calls_total", **op, outcome="circuit_open") == 1
    assert scrape.value("http_client_calls_total", **op, outcome="http_5xx") == 1
    # The refused call sent nothing: one HTTP request in all.
    assert (
        sum(
            1
            for labels in scrape.samples("http_client_requests_total")
            if labels["operation"] == "get_item"
        )
        == 1
    )

    clock.advance(31)
    assert (await client.get_item(1)).id == 1  # the half-open probe succeeds
    scrape = Scrape(registry)
    assert scrape.value("http_client_circuit_breaker_state", service="ItemService") == 0
    for state in ("half_open", "closed"):
        assert (
            scrape.value(
                "http_client_circuit_breaker_transitions_total", service="ItemService", state=state
            )
            == 1
        )


async def test_the_bulkhead_gauge_shows_calls_holding_a_slot_at_scrape_time(
    make_client: Callable[..., ItemClient],
) -> None:
    gate = asyncio.Event()
    arrived: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        arrived.append(request)
        await gate.wait()
        return httpx.Response(200, json=OK)

    registry = CollectorRegistry()
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = make_client(
        ClientConfig(
            events=[PrometheusMetrics(registry=registry)],
            bulkhead=BulkheadConfig(max_concurrency=4),
        ),
        http_client=http,
    )
    tasks = [asyncio.create_task(client.get_item(i)) for i in range(3)]
    while len(arrived) < 3:
        await asyncio.sleep(0)

    busy = Scrape(registry)
    assert busy.value("http_client_bulkhead_in_use", service="ItemService") == 3
    assert busy.value("http_client_bulkhead_limit", service="ItemService") == 4
    gate.set()
    await asyncio.gather(*tasks)
    assert Scrape(registry).value("http_client_bulkhead_in_use", service="ItemService") == 0


async def test_clients_share_a_registry_told_apart_by_service(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    registry = CollectorRegistry()
    first = make_client(ClientConfig(events=[PrometheusMetrics(registry=registry)]))
    second = make_client(
        ClientConfig(events=[PrometheusMetrics(registry=registry, service="items-replica")])
    )
    await first.get_item(1)
    await second.get_item(1)
    await second.get_item(1)

    scrape = Scrape(registry)
    for service, calls in (("ItemService", 1), ("items-replica", 2)):
        labels = {"service": service, "operation": "get_item", "outcome": "success"}
        assert scrape.value("http_client_calls_total", **labels) == calls
        assert scrape.value("http_client_circuit_breaker_state", service=service) == 0


def test_one_sink_per_service_unless_the_label_is_given(
    make_client: Callable[..., ItemClient],
) -> None:
    class OtherClient(ItemClient):
        service_name = "OtherService"

    registry = CollectorRegistry()
    sink = PrometheusMetrics(registry=registry)
    make_client(ClientConfig(events=[sink]))
    with pytest.raises(ConfigError, match="its own PrometheusMetrics"):
        OtherClient(config=ClientConfig(events=[sink]))
    shared = PrometheusMetrics(registry=registry, service="fleet")
    make_client(ClientConfig(events=[shared]))
    OtherClient(config=ClientConfig(events=[shared]))
    assert shared.service == "fleet"


def test_every_exported_family_is_in_metric_names(
    make_client: Callable[..., ItemClient],
) -> None:
    registry = CollectorRegistry()
    make_client(ClientConfig(events=[PrometheusMetrics(registry=registry)]))
    exported = {f.name for f in Scrape(registry).families.values()}
    # The parser names counter families without _total; METRIC_NAMES uses sample names.
    named = {name.removesuffix("_total") for name in METRIC_NAMES}
    assert exported == named


async def test_labels_hold_no_url_id_or_correlation_id(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get(url__regex=r"/items/\d+").respond(200, json=OK)
    registry = CollectorRegistry()
    client = _client(make_client, registry)
    for item in range(20):
        await client.get_item(item, correlation_id=f"cid-{item}")
    text = generate_latest(registry).decode()
    assert "cid-" not in text and "/items" not in text and "svc.test" not in text
    scrape = Scrape(registry)
    assert len(scrape.samples("http_client_requests_total")) == 1  # one series for 20 ids


async def test_a_client_with_two_sinks_on_one_registry_is_counted_once(
    make_client: Callable[..., ItemClient],
) -> None:
    registry = CollectorRegistry()
    client = make_client(
        ClientConfig(
            events=[PrometheusMetrics(registry=registry), PrometheusMetrics(registry=registry)],
            bulkhead=BulkheadConfig(max_concurrency=4),
        )
    )
    assert client.bulkhead is not None
    await client.bulkhead.acquire()
    scrape = Scrape(registry)
    assert scrape.value("http_client_bulkhead_in_use", service="ItemService") == 1
    assert scrape.value("http_client_bulkhead_limit", service="ItemService") == 4
    client.bulkhead.release()


async def test_a_scrape_reports_half_open_without_moving_the_breaker(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: Any
) -> None:
    # A scrape runs in the exporter's thread: it must only read the breaker, never make
    # its OPEN -> HALF_OPEN transition (and call every listener) from there.
    respx_mock.get("/items/1").respond(500)
    registry = CollectorRegistry()
    client = _client(
        make_client,
        registry,
        retry=RetryConfig(max_attempts=1),
        circuit_breaker=CircuitBreakerConfig(failure_threshold=1, recovery_timeout=30),
    )
    with pytest.raises(ServerError):
        await client.get_item(1)
    clock.advance(31)
    assert Scrape(registry).value("http_client_circuit_breaker_state", service="ItemService") == 1
    scrape = Scrape(registry)  # a second scrape would show a transition the first made
    assert scrape.value("http_client_circuit_breaker_state", service="ItemService") == 1
    entered = {
        labels["state"]
        for labels in scrape.samples("http_client_circuit_breaker_transitions_total")
    }
    assert entered == {"open"}  # the transition is left to the next call
