"""What sharing state through Redis costs per call, and what it buys across replicas.

Run from the repository root (needs ``redis-server`` on PATH; it starts its own on a
free loopback port and stops it)::

    .venv/bin/python bench/shared_state.py            # per-call cost and replica figures
    .venv/bin/python bench/shared_state.py --quick    # fewer rounds (a smoke run)

Part 1, per call, the in-memory default against ``RedisBackend`` on loopback, in one
run, interleaved (the HTTP side is an in-process ``httpx.MockTransport``, so the
difference is the runtime plus Redis): a closed-breaker call (one EVALSHA, or none
while a CLOSED answer is reused for ``refresh_interval``), a local cache hit, and a
shared cache hit (local cache emptied first: one EVALSHA and a decode). A bare Redis
PING on the same connection is the floor of one round trip.

Part 2, the replica scenarios of tests/integration/replicas.py: four client processes
against one fault server and this Redis; the fault server counts what reached it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "integration")]

from redis_server import RedisServer  # noqa: E402
from replicas import (  # noqa: E402
    Replicas,
    aggregate_rate,
    breaker_opened_by_one,
    cache_filled_by_one,
    probes_into_outage,
    redis_killed_mid_run,
)

from fault_server.testing import serve  # noqa: E402
from resilient_client import (  # noqa: E402
    BaseServiceClient,
    ClientConfig,
    Operation,
    ResponseSpec,
    SpecPolicy,
)
from resilient_client.redis import RedisBackend  # noqa: E402

BASE_URL = "http://bench.local"
BODY = b'{"id": 1, "name": "widget", "tags": ["a", "b"], "price": 9.5}'

GET: Operation[Any] = Operation(
    "get_item", "GET", "/items/{item_id}", {"200": ResponseSpec("json")}
)
GET_CACHED: Operation[Any] = Operation(
    "get_cached",
    "GET",
    "/items/{item_id}",
    {"200": ResponseSpec("json")},
    policy=SpecPolicy(cache_ttl=300.0),
)


class BenchClient(BaseServiceClient):
    service_name: ClassVar[str] = "Bench"

    async def get_item(self, item_id: int) -> Any:
        return await self._request(GET, path_params={"item_id": item_id})

    async def get_cached(self, item_id: int) -> Any:
        return await self._request(GET_CACHED, path_params={"item_id": item_id})


def transport() -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(
            200, content=BODY, headers={"content-type": "application/json"}
        )
    )


async def per_call(fn: Callable[[], Awaitable[Any]], n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        await fn()
    return (time.perf_counter() - started) / n


async def per_call_cost(redis_url: str, rounds: int, n: int) -> dict[str, list[float]]:
    http = httpx.AsyncClient(transport=transport())
    exact = RedisBackend.from_url(redis_url, prefix="bench-exact", refresh_interval=0.0)
    reused = RedisBackend.from_url(redis_url, prefix="bench-reused")
    memory = BenchClient(BASE_URL, http_client=http)
    on_redis = BenchClient(BASE_URL, http_client=http, config=ClientConfig(state_backend=exact))
    on_redis_reused = BenchClient(
        BASE_URL, http_client=http, config=ClientConfig(state_backend=reused)
    )
    for client in (memory, on_redis, on_redis_reused):
        await client.get_item(1)
        await client.get_cached(1)

    async def shared_hit() -> Any:
        cache = on_redis._pipeline.cache
        assert cache is not None
        cache.clear()  # the local level misses, so Redis answers
        return await on_redis.get_cached(1)

    async def ping() -> Any:
        return await exact.client.ping()

    contenders: dict[str, Callable[[], Awaitable[Any]]] = {
        "closed-breaker call, in-memory (default)": lambda: memory.get_item(1),
        "closed-breaker call, Redis (refresh_interval=0: 1 EVALSHA)": lambda: on_redis.get_item(1),
        "closed-breaker call, Redis (default refresh 5 ms)": lambda: on_redis_reused.get_item(1),
        "cache hit, in-memory (default)": lambda: memory.get_cached(1),
        "cache hit, Redis backend, local level": lambda: on_redis.get_cached(1),
        "cache hit, Redis backend, shared level (1 EVALSHA + decode)": shared_hit,
        "Redis PING (one round trip)": ping,
    }
    samples: dict[str, list[float]] = {label: [] for label in contenders}
    chunks = 10
    for _ in range(rounds):
        spent = dict.fromkeys(contenders, 0.0)
        for _ in range(chunks):
            for label, fn in contenders.items():
                spent[label] += await per_call(fn, n // chunks)
        for label, total in spent.items():
            samples[label].append(total / chunks)
    shared = on_redis._pipeline.shared_cache
    assert shared is not None
    # With the default 50 ms timeout a loaded machine can make Redis "fail" now and then;
    # such calls fell back to local state, so say how many there were.
    print(
        f"shared-level lookups answered by Redis: {shared.hits} of {rounds * n}; "
        f"backend failures (timeouts): exact {exact.health.failures}, "
        f"reused {reused.health.failures}"
    )
    for client in (memory, on_redis, on_redis_reused):
        await client.aclose()
    await http.aclose()
    await exact.aclose()
    await reused.aclose()
    return samples


def replica_figures() -> dict[str, Any]:
    redis = RedisServer().start()
    try:
        with serve("metadata-stamping") as server:
            pool = Replicas(4)
            try:
                return {
                    "breaker opened by one replica": breaker_opened_by_one(pool, server, redis.url),
                    "probes into an outage, shared": probes_into_outage(pool, server, redis.url),
                    "probes into an outage, each alone": probes_into_outage(pool, server, None),
                    "cache filled by one replica": cache_filled_by_one(pool, server, redis.url),
                    "aggregate rate, shared limit": aggregate_rate(
                        pool, server, redis.url, "shared"
                    ),
                    "aggregate rate, local limits": aggregate_rate(
                        pool, server, redis.url, "local"
                    ),
                    # last: it kills this Redis (and starts it again)
                    "Redis killed mid-run": redis_killed_mid_run(pool, server, redis),
                }
            finally:
                pool.close()
    finally:
        redis.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    parser.add_argument("--no-replicas", action="store_true", help="per-call figures only")
    parser.add_argument("--replicas-only", action="store_true", help="replica figures only")
    args = parser.parse_args()
    rounds, n = (2, 200) if args.quick else (7, 2000)

    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"# Shared state on Redis ({now})")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()}, load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print(
        f"command: python bench/shared_state.py{' --quick' if args.quick else ''}; "
        f"{rounds} rounds of {n} calls, interleaved"
    )
    if args.replicas_only:
        print_replicas()
        return
    redis = RedisServer().start()
    try:
        samples = asyncio.run(per_call_cost(redis.url, rounds, n))
    finally:
        redis.stop()
    base_breaker = samples["closed-breaker call, in-memory (default)"]
    base_cache = samples["cache hit, in-memory (default)"]
    print()
    print("| per call | median µs | best µs | vs in-memory (paired median) |")
    print("|---|---:|---:|---:|")
    for label, values in samples.items():
        base = base_cache if label.startswith("cache hit") else base_breaker
        ratio = statistics.median(a / b for a, b in zip(values, base, strict=True))
        shown = "" if label.startswith("Redis PING") else f"{ratio:.2f}x"
        print(
            f"| {label} | {statistics.median(values) * 1e6:.1f} | "
            f"{min(values) * 1e6:.1f} | {shown} |"
        )
    if not args.no_replicas:
        print_replicas()


def print_replicas() -> None:
    print()
    print("## Four replicas (processes), one fault server, one Redis")
    for name, figures in replica_figures().items():
        print(f"- {name}: {json.dumps(figures)}")


if __name__ == "__main__":
    main()
