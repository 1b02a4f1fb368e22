"""What the resilience runtime costs per call over real sockets, against bare httpx.

Run from the repository root::

    .venv/bin/python bench/loopback_overhead.py            # 7 rounds, both concurrencies
    .venv/bin/python bench/loopback_overhead.py --quick    # a smoke run

A uvicorn server runs in its own process on 127.0.0.1 (a random free port) and answers
every GET with the same small JSON body. In this process, bare ``httpx.AsyncClient``
(GET + ``.json()``) and a ``BaseServiceClient`` with the full pipeline (cache off) share
one ``httpx.AsyncClient``; at concurrency 1 and 64 they take turns in chunks within each
round, and the verdict is the median of the per-round ratios, so a burst of load from a
neighbour lands on both. Target: the client within 1.10x of bare httpx at both levels.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET = 1.10
BODY = b'{"id": 1, "name": "widget", "tags": ["a", "b"], "price": 9.5}'
SERVER = f"""
import sys, uvicorn
BODY = {BODY!r}
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]

async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            kind = message["type"].replace("lifespan.", "")
            await send({{"type": f"lifespan.{{kind}}.complete"}})
            if kind == "shutdown":
                return
    await send({{"type": "http.response.start", "status": 200, "headers": HEADERS}})
    await send({{"type": "http.response.body", "body": BODY}})

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="error", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port)])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the uvicorn server did not start")


def build_client(http: httpx.AsyncClient, base_url: str) -> Any:
    from resilient_client import (
        BaseServiceClient,
        BulkheadConfig,
        ClientConfig,
        Operation,
        ResponseSpec,
    )

    get_item: Operation[Any] = Operation(
        "get_item", "GET", "/items/{item_id}", responses={"200": ResponseSpec("json", None)}
    )

    class BenchClient(BaseServiceClient):
        service_name: ClassVar[str] = "Bench"

        async def get_item(self, item_id: int) -> Any:
            return await self._request(get_item, path_params={"item_id": item_id})

    # cache off; a bulkhead wide enough for 64 calls in flight, so it never queues
    config = ClientConfig(cache=None, bulkhead=BulkheadConfig(max_concurrency=128))
    return BenchClient(base_url, config=config, http_client=http)


async def run_level(
    contenders: dict[str, Callable[[], Awaitable[Any]]], concurrency: int, n: int
) -> dict[str, float]:
    """One round at one concurrency: seconds per call for each contender, interleaved."""
    chunks = 5
    spent = dict.fromkeys(contenders, 0.0)
    per_worker = max(1, n // (chunks * concurrency))
    for _ in range(chunks):
        for label, call in contenders.items():

            async def worker(call: Callable[[], Awaitable[Any]] = call) -> None:
                for _ in range(per_worker):
                    await call()

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            spent[label] += (time.perf_counter() - started) / (per_worker * concurrency)
    return {label: total / chunks for label, total in spent.items()}


async def measure(base_url: str, rounds: int, n: int) -> dict[int, dict[str, list[float]]]:
    limits = httpx.Limits(max_connections=128, max_keepalive_connections=128)
    results: dict[int, dict[str, list[float]]] = {}
    async with httpx.AsyncClient(base_url=base_url, limits=limits) as http:
        client = build_client(http, base_url)

        async def bare() -> Any:
            return (await http.get("/items/1")).json()

        async def pipeline() -> Any:
            return await client.get_item(1)

        assert await bare() == await pipeline()
        contenders = {"bare httpx": bare, "client pipeline": pipeline}
        for concurrency in (1, 64):
            await run_level(contenders, concurrency, n // 4)  # warm connections
            samples: dict[str, list[float]] = {label: [] for label in contenders}
            for _ in range(rounds):
                for label, seconds in (await run_level(contenders, concurrency, n)).items():
                    samples[label].append(seconds)
            results[concurrency] = samples
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3000, help="calls per round and contender")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="2 rounds of 400 calls")
    args = parser.parse_args()
    rounds, n = (2, 400) if args.quick else (args.rounds, args.n)
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, httpx {httpx.__version__}; load average at start: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print(f"command: bench/loopback_overhead.py {' '.join(sys.argv[1:])}".rstrip())
    proc, base_url = start_server()
    try:
        results = asyncio.run(measure(base_url, rounds, n))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    for concurrency, samples in results.items():
        bare, client = samples["bare httpx"], samples["client pipeline"]
        ratios = [c / b for c, b in zip(client, bare, strict=True)]
        ratio = statistics.median(ratios)
        print(f"== concurrency {concurrency}: {rounds} rounds of {n} calls each")
        for label, values in samples.items():
            print(
                f"  {label:16} median {statistics.median(values) * 1e6:8.1f} us/call, "
                f"best {min(values) * 1e6:8.1f}"
            )
        print("  client / bare per round: " + ", ".join(f"{r:.3f}" for r in ratios))
        verdict = "met" if ratio <= TARGET else "MISSED"
        print(f"  client / bare: {ratio:.3f}x (target <= {TARGET:.2f}x): {verdict}")


if __name__ == "__main__":
    main()
