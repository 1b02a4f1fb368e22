"""What the telemetry adapters add to a call, against the same client without them.

Run from the repository root (needs the ``[otel]`` and ``[prometheus]`` extras and
opentelemetry-sdk, all in ``[dev]``)::

    .venv/bin/python bench/telemetry_overhead.py

Same method as ``bench/runtime_overhead.py`` (whose helpers this reuses): an in-process
``httpx.MockTransport``, contenders taking turns in chunks within each round, medians
over rounds and per-round ratios. Contenders: bare httpx, the client with no sink, with
``PrometheusMetrics`` (its own registry), with ``OpenTelemetryEvents`` (the SDK's
tracer and meter providers, every span sampled and handed to an exporter that drops it,
so span creation, ending and export are all paid), and with both. No target is
asserted; the figures go to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from prometheus_client import CollectorRegistry, generate_latest
from runtime_overhead import BASE_URL, Figures, interleaved, machine, mock_transport

from resilient_client import BaseServiceClient, ClientConfig, ClientEvents, Operation, ResponseSpec
from resilient_client.otel import OpenTelemetryEvents
from resilient_client.prometheus import PrometheusMetrics

ROUNDS = 7
GET_ITEM: Operation[Any] = Operation(
    name="get_item",
    method="GET",
    path="/items/{item_id}",
    responses={"200": ResponseSpec("json", None)},
)


class BenchClient(BaseServiceClient):
    service_name: ClassVar[str] = "Bench"

    async def get_item(self, item_id: int) -> Any:
        return await self._request(GET_ITEM, path_params={"item_id": item_id})


class DroppingExporter(SpanExporter):
    """Receives every finished span, keeps none: export is paid, memory stays flat."""

    def __init__(self) -> None:
        self.exported = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.exported += len(spans)
        return SpanExportResult.SUCCESS


async def measure(figures: Figures, n: int) -> tuple[int, int]:
    exporter = DroppingExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()])
    registry = CollectorRegistry()

    def otel() -> OpenTelemetryEvents:
        return OpenTelemetryEvents(tracer_provider=tracer_provider, meter_provider=meter_provider)

    async with httpx.AsyncClient(transport=mock_transport(), base_url=BASE_URL) as http:

        def client(*sinks: ClientEvents) -> BenchClient:
            return BenchClient(
                BASE_URL, config=ClientConfig(cache=None, events=list(sinks)), http_client=http
            )

        plain = client()
        prom = client(PrometheusMetrics(registry=registry, service="bench-prom"))
        traced = client(otel())
        both = client(otel(), PrometheusMetrics(registry=registry, service="bench-both"))

        async def bare() -> Any:
            return (await http.get("/items/1")).json()

        contenders = {
            "bare httpx GET + .json()": bare,
            "client, no sink": lambda: plain.get_item(1),
            "client + PrometheusMetrics": lambda: prom.get_item(1),
            "client + OpenTelemetryEvents": lambda: traced.get_item(1),
            "client + both": lambda: both.get_item(1),
        }
        for _ in range(ROUNDS):
            await interleaved(figures, contenders, n)
    scrape = generate_latest(registry).decode()
    # Every timed traced call exported one span (two clients trace); Prometheus saw them.
    assert 'service="bench-prom"' in scrape and 'service="bench-both"' in scrape
    tracer_provider.shutdown()
    meter_provider.shutdown()
    return exporter.exported, len(scrape)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="calls per round per contender")
    args = parser.parse_args()
    logging.getLogger("resilient_client").addHandler(logging.NullHandler())
    logging.getLogger("resilient_client").propagate = False
    figures = Figures()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    spans, scrape_bytes = asyncio.run(measure(figures, args.n))
    print(f"# Telemetry overhead ({started})")
    print(f"machine: {machine()}")
    print(f"command: python bench/telemetry_overhead.py -n {args.n}; {ROUNDS} rounds")
    print(f"spans exported: {spans}; scrape size: {scrape_bytes} bytes")
    print()
    print("| measurement | median µs/call | best µs/call | added vs no sink (median of rounds) |")
    print("|---|---:|---:|---:|")
    base = "client, no sink"
    for label in figures.samples:
        added = ""
        if label.startswith("client +"):
            pairs = zip(figures.samples[label], figures.samples[base], strict=True)
            deltas = sorted(a - b for a, b in pairs)
            added = f"{deltas[len(deltas) // 2] * 1e6:+.2f} µs"
        print(
            f"| {label} | {figures.median(label) * 1e6:.2f} | {figures.best(label) * 1e6:.2f} "
            f"| {added} |"
        )
    ratio = figures.paired_ratio(base, "bare httpx GET + .json()")
    print()
    print(f"client (no sink) / bare httpx: {ratio:.2f}x")


if __name__ == "__main__":
    main()
