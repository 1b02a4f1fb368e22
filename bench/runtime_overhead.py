"""What the resilience runtime costs per call, against bare httpx in the same run.

Run from the repository root::

    .venv/bin/python bench/runtime_overhead.py            # figures and targets
    .venv/bin/python bench/runtime_overhead.py --profile  # plus cProfile of the pipeline

Every figure is a median over several rounds (the machine is shared, so minima and
medians are both printed); the HTTP side is an in-process ``httpx.MockTransport``, so
the comparison isolates Python overhead rather than network time. Targets:
full pipeline (cache off) <= 1.25x bare httpx; a cache hit >= 10x faster than a mock
call; an open-breaker rejection <= 5 us.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import os
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from resilient_client._breaker import CircuitBreaker, CircuitBreakerConfig
from resilient_client._bulkhead import Bulkhead, BulkheadConfig
from resilient_client._cache import ResponseCache
from resilient_client._metrics import Metrics

BASE_URL = "http://bench.local"
BODY = b'{"id": 1, "name": "widget", "tags": ["a", "b"], "price": 9.5}'
ROUNDS = 7


def mock_transport() -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})

    return httpx.MockTransport(handler)


async def interleaved(
    figures: Figures, contenders: dict[str, Callable[[], Awaitable[Any]]], n: int
) -> None:
    """One round: the contenders take turns in small chunks, so a burst of load from
    a neighbour lands on all of them rather than on whichever ran at that moment."""
    chunks = 10
    spent = dict.fromkeys(contenders, 0.0)
    for _ in range(chunks):
        for label, fn in contenders.items():
            spent[label] += await per_call(fn, n // chunks)
    for label, total in spent.items():
        figures.add(label, total / chunks)


async def per_call(fn: Callable[[], Awaitable[Any]], n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        await fn()
    return (time.perf_counter() - started) / n


def per_call_sync(fn: Callable[[], Any], n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - started) / n


class Figures:
    """Per-call seconds per label, collected round by round (interleaved labels)."""

    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = {}

    def add(self, label: str, seconds: float) -> None:
        self.samples.setdefault(label, []).append(seconds)

    def median(self, label: str) -> float:
        return statistics.median(self.samples[label])

    def best(self, label: str) -> float:
        return min(self.samples[label])

    def paired_ratio(self, label: str, baseline: str) -> float:
        """Median of per-round ratios: both ran in the same round, so a noisy
        neighbour slows them alike and the ratio stays honest."""
        pairs = zip(self.samples[label], self.samples[baseline], strict=True)
        return statistics.median(a / b for a, b in pairs)


# -- the full client, built against docs/CONTRACT.md ---------------------------------


def build_clients(http: httpx.AsyncClient) -> tuple[Any, Any] | str:
    """(cache-off client, cache-on client), or why the runtime's client is unusable."""
    try:
        from resilient_client import (
            BaseServiceClient,
            CacheConfig,
            ClientConfig,
            Operation,
            ResponseSpec,
            SpecPolicy,
        )
    except ImportError as exc:  # the runtime core may not have landed yet
        return f"BaseServiceClient not importable: {exc}"

    get_item: Operation[Any] = Operation(
        name="get_item",
        method="GET",
        path="/items/{item_id}",
        responses={"200": ResponseSpec("json", None)},
    )
    get_item_cached: Operation[Any] = Operation(
        name="get_item_cached",
        method="GET",
        path="/items/{item_id}",
        responses={"200": ResponseSpec("json", None)},
        policy=SpecPolicy(cache_ttl=300.0),
    )

    class BenchClient(BaseServiceClient):
        service_name: ClassVar[str] = "Bench"

        async def get_item(self, item_id: int) -> Any:
            return await self._request(get_item, path_params={"item_id": item_id})

        async def get_item_cached(self, item_id: int) -> Any:
            return await self._request(get_item_cached, path_params={"item_id": item_id})

    uncached = BenchClient(BASE_URL, config=ClientConfig(cache=None), http_client=http)
    cached = BenchClient(
        BASE_URL, config=ClientConfig(cache=CacheConfig(ttl=300.0)), http_client=http
    )
    return uncached, cached


# -- measurements --------------------------------------------------------------------


async def measure_http(figures: Figures, n: int) -> str | None:
    async with httpx.AsyncClient(transport=mock_transport(), base_url=BASE_URL) as http:

        async def bare() -> Any:
            return (await http.get("/items/1")).json()

        clients = build_clients(http)
        if isinstance(clients, str):
            for _ in range(ROUNDS):
                figures.add("bare httpx GET + .json()", await per_call(bare, n))
            return clients
        uncached, cached = clients
        assert await uncached.get_item(1) == await bare()
        await cached.get_item_cached(1)  # warm the entry every later call hits
        contenders = {
            "bare httpx GET + .json()": bare,
            "client pipeline, cache off": lambda: uncached.get_item(1),
            "client cache hit": lambda: cached.get_item_cached(1),
        }
        for _ in range(ROUNDS):
            await interleaved(figures, contenders, n)
        stats = cached.cache_stats()
        assert stats.hits >= ROUNDS * (n // 10) * 10, stats  # every timed call was a hit

        uncached.circuit_breaker.force_open()
        from resilient_client import CircuitOpenError

        async def rejected() -> None:
            try:
                await uncached.get_item(1)
            except CircuitOpenError:
                return
            raise AssertionError("the open breaker let a call through")

        for _ in range(ROUNDS):
            figures.add("client call rejected by open breaker", await per_call(rejected, n))
    return None


def measure_components(figures: Figures, n: int) -> None:
    open_breaker = CircuitBreaker(CircuitBreakerConfig(), name="bench-open")
    open_breaker.force_open()
    closed_breaker = CircuitBreaker(CircuitBreakerConfig(failure_rate_threshold=0.5))

    def closed_call() -> None:
        closed_breaker.try_acquire()
        closed_breaker.record_success()

    cache = ResponseCache(max_entries=1000)
    key = ("get_item", "/items/1", "")
    cache.set(key, {"id": 1}, ttl=300.0)
    metrics = Metrics()
    bulkhead = Bulkhead(BulkheadConfig(max_concurrency=10))

    async def bulkhead_slot() -> None:
        await bulkhead.acquire()
        bulkhead.release()

    loop = asyncio.new_event_loop()
    try:
        for _ in range(ROUNDS):
            figures.add(
                "breaker rejection (OPEN try_acquire)", per_call_sync(open_breaker.try_acquire, n)
            )
            figures.add(
                "breaker CLOSED try_acquire + record_success", per_call_sync(closed_call, n)
            )
            figures.add("ResponseCache.get hit", per_call_sync(lambda: cache.get(key), n))
            figures.add(
                "Metrics.record",
                per_call_sync(
                    lambda: metrics.record("get_item", outcome="success", latency=0.0123), n
                ),
            )
            figures.add(
                "Bulkhead acquire + release (free slot)",
                loop.run_until_complete(per_call(bulkhead_slot, n)),
            )
    finally:
        loop.close()


def profile_pipeline(n: int) -> None:
    async def run() -> None:
        async with httpx.AsyncClient(transport=mock_transport(), base_url=BASE_URL) as http:
            clients = build_clients(http)
            if isinstance(clients, str):
                print(f"(profile skipped: {clients})")
                return
            uncached, cached = clients
            await cached.get_item_cached(1)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(n):
                await uncached.get_item(1)
                await cached.get_item_cached(1)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
            stats.print_stats(25)
            mine = io.StringIO()
            pstats.Stats(profiler, stream=mine).sort_stats("tottime").print_stats(
                r"_breaker|_cache|_bulkhead|_metrics"
            )
            print(out.getvalue())
            print("-- resilience components only --")
            print(mine.getvalue())

    asyncio.run(run())


# -- report --------------------------------------------------------------------------


def machine() -> str:
    try:
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "unknown"
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs (nproc), {memory} RAM, "
        f"Python {platform.python_version()}, httpx {httpx.__version__}, {platform.system()}"
    )


def report(figures: Figures, skipped: str | None) -> list[str]:
    lines = ["| measurement | median µs/call | best µs/call |", "|---|---:|---:|"]
    for label in figures.samples:
        lines.append(
            f"| {label} | {figures.median(label) * 1e6:.2f} | {figures.best(label) * 1e6:.2f} |"
        )
    lines.append("")
    rejection = figures.median("breaker rejection (OPEN try_acquire)")
    verdicts = [("breaker-open rejection <= 5 µs", rejection <= 5e-6, f"{rejection * 1e6:.2f} µs")]
    if skipped is None:
        ratio = figures.paired_ratio("client pipeline, cache off", "bare httpx GET + .json()")
        speedup = 1 / figures.paired_ratio("client cache hit", "bare httpx GET + .json()")
        rounds = zip(
            figures.samples["client pipeline, cache off"],
            figures.samples["bare httpx GET + .json()"],
            strict=True,
        )
        lines.append("pipeline / bare per round: " + ", ".join(f"{a / b:.2f}" for a, b in rounds))
        verdicts.insert(
            0, ("pipeline (cache off) <= 1.25x bare httpx", ratio <= 1.25, f"{ratio:.2f}x")
        )
        verdicts.insert(
            1, ("cache hit >= 10x faster than a mock call", speedup >= 10, f"{speedup:.1f}x")
        )
    else:
        lines.append(f"Full-client figures skipped: {skipped}")
    for target, met, value in verdicts:
        lines.append(f"- {'MET' if met else 'MISSED'}: {target} (measured {value})")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="calls per round for HTTP figures")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the pipeline")
    args = parser.parse_args()
    # Like an application that configured logging: records are still built, but not
    # written to stderr by logging's last-resort handler, which would dominate.
    logging.getLogger("resilient_client").addHandler(logging.NullHandler())

    figures = Figures()
    skipped = asyncio.run(measure_http(figures, args.n))
    measure_components(figures, args.n * 50)
    print(f"# Runtime overhead ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})")
    print(f"machine: {machine()}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}; {ROUNDS} rounds")
    print()
    print("\n".join(report(figures, skipped)))
    if args.profile:
        profile_pipeline(args.n)


if __name__ == "__main__":
    main()
