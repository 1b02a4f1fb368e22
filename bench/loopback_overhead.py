"""Per-call cost over real sockets: bare httpx, bare aiohttp, and the client on each
transport, at concurrency 1, 64 and 256, against a server that is not the bottleneck.

Run from the repository root::

    .venv/bin/python bench/loopback_overhead.py            # 5 rounds of 2,000 calls
    .venv/bin/python bench/loopback_overhead.py --quick    # a smoke run

The server is a raw asyncio ``Protocol`` in its own process on 127.0.0.1 (a random free
port): it answers every request head with the same small JSON response (keep-alive, no
routing, no framework), so it costs a few microseconds per request. Its own ceiling is
measured in the same rounds by a fifth contender, ``raw socket``: a minimal client
(one ``Protocol`` per connection, no HTTP parsing) driving the same server at the same
concurrency. While that ceiling is well below every HTTP client's time per call, the
server is not what the columns measure.

Contenders, each with its own connection pool of the same size (300):
``bare httpx`` (``AsyncClient.get`` + ``.json()``), ``bare aiohttp``
(``ClientSession.get`` + ``.json()``), ``ours on httpx`` and ``ours on aiohttp``
(a ``BaseServiceClient`` with the full pipeline, cache off, a bulkhead wider than the
concurrency, ``ClientConfig(transport=...)``). In each round, at each level, they take
turns in 5 chunks, so a burst of load from a neighbour lands on all of them; the
verdicts use the median of the per-round ratios.

Targets (issue 13): ours on aiohttp <= 0.6x bare httpx at concurrency 64, and <= 1.10x
bare aiohttp at every level.
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
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import aiohttp
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LEVELS = (1, 64, 256)
POOL = 300
VS_HTTPX_TARGET = 0.6  # ours on aiohttp / bare httpx, at concurrency 64
VS_AIOHTTP_TARGET = 1.10  # ours on aiohttp / bare aiohttp, at every level
BODY = b'{"id": 1, "name": "widget", "tags": ["a", "b"], "price": 9.5}'
RESPONSE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
    + b"content-length: %d\r\n\r\n%s" % (len(BODY), BODY)
)
REQUEST = b"GET /items/1 HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n"
SERVER = f"""
import asyncio, sys
RESPONSE = {RESPONSE!r}

class Answer(asyncio.Protocol):
    # One response per request head; pipelined heads get theirs in one write.
    def connection_made(self, transport):
        self.transport = transport
        self.pending = b""

    def data_received(self, data):
        data = self.pending + data
        heads = data.count(b"\\r\\n\\r\\n")
        self.pending = data[data.rfind(b"\\r\\n\\r\\n") + 4:] if heads else data
        if heads:
            self.transport.write(RESPONSE * heads)

async def main():
    server = await asyncio.get_running_loop().create_server(
        Answer, "127.0.0.1", int(sys.argv[1]), backlog=1024
    )
    await server.serve_forever()

asyncio.run(main())
"""

LABELS = (
    "raw socket",
    "bare httpx",
    "bare aiohttp",
    "ours on httpx",
    "ours on aiohttp",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server() -> tuple[subprocess.Popen[bytes], str, int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port)])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"http://127.0.0.1:{port}", port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the benchmark server did not start")


def build_client(base_url: str, transport: str) -> Any:
    from resilient_client import (
        BaseServiceClient,
        BulkheadConfig,
        ClientConfig,
        Operation,
        PoolLimits,
        ResponseSpec,
    )

    get_item: Operation[Any] = Operation(
        "get_item", "GET", "/items/{item_id}", responses={"200": ResponseSpec("json", None)}
    )

    class BenchClient(BaseServiceClient):
        service_name: ClassVar[str] = "Bench"

        async def get_item(self, item_id: int) -> Any:
            return await self._request(get_item, path_params={"item_id": item_id})

    # cache off; a bulkhead wider than the highest concurrency, so it never queues
    config = ClientConfig(
        cache=None,
        bulkhead=BulkheadConfig(max_concurrency=2 * max(LEVELS)),
        pool=PoolLimits(max_connections=POOL, max_keepalive_connections=POOL),
        transport=transport,
    )
    return BenchClient(base_url, config=config)


class _RawConnection(asyncio.Protocol):
    """One keep-alive connection that sends a request head and waits for the known
    number of response bytes: the cheapest client the server can have."""

    def __init__(self) -> None:
        self.received = 0
        self.waiter: asyncio.Future[None] | None = None
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.received += len(data)
        if self.received >= len(RESPONSE) and self.waiter is not None:
            self.received -= len(RESPONSE)
            self.waiter.set_result(None)

    async def call(self) -> None:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(REQUEST)
        await self.waiter


class RawClient:
    def __init__(self, port: int) -> None:
        self.port = port
        self.idle: list[_RawConnection] = []

    async def call(self) -> None:
        conn = self.idle.pop() if self.idle else await self._connect()
        await conn.call()
        self.idle.append(conn)

    async def _connect(self) -> _RawConnection:
        loop = asyncio.get_running_loop()
        _, protocol = await loop.create_connection(_RawConnection, "127.0.0.1", self.port)
        return protocol

    def close(self) -> None:
        for conn in self.idle:
            if conn.transport is not None:
                conn.transport.close()


async def run_level(
    contenders: Mapping[str, Callable[[], Awaitable[Any]]], concurrency: int, n: int
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


async def measure(
    base_url: str, port: int, rounds: int, n: int, levels: tuple[int, ...]
) -> dict[int, dict[str, list[float]]]:
    url = f"{base_url}/items/1"
    limits = httpx.Limits(max_connections=POOL, max_keepalive_connections=POOL)
    results: dict[int, dict[str, list[float]]] = {}
    raw = RawClient(port)
    ours_httpx = build_client(base_url, "httpx")
    ours_aiohttp = build_client(base_url, "aiohttp")
    async with (
        httpx.AsyncClient(limits=limits) as http,
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=POOL)) as session,
    ):

        async def bare_httpx() -> Any:
            return (await http.get(url)).json()

        async def bare_aiohttp() -> Any:
            async with session.get(url) as response:
                return await response.json()

        async def on_httpx() -> Any:
            return await ours_httpx.get_item(1)

        async def on_aiohttp() -> Any:
            return await ours_aiohttp.get_item(1)

        answers = [await f() for f in (bare_httpx, bare_aiohttp, on_httpx, on_aiohttp)]
        assert all(answer == answers[0] for answer in answers), answers
        contenders = dict(
            zip(LABELS, (raw.call, bare_httpx, bare_aiohttp, on_httpx, on_aiohttp), strict=True)
        )
        for concurrency in levels:
            await run_level(contenders, concurrency, max(n // 4, concurrency))  # warm up
            samples: dict[str, list[float]] = {label: [] for label in contenders}
            for _ in range(rounds):
                for label, seconds in (await run_level(contenders, concurrency, n)).items():
                    samples[label].append(seconds)
            results[concurrency] = samples
    raw.close()
    await ours_httpx.aclose()
    await ours_aiohttp.aclose()
    return results


def ratio(samples: dict[str, list[float]], top: str, bottom: str) -> tuple[float, list[float]]:
    per_round = [a / b for a, b in zip(samples[top], samples[bottom], strict=True)]
    return statistics.median(per_round), per_round


def report(results: dict[int, dict[str, list[float]]], rounds: int, n: int) -> None:
    for concurrency, samples in results.items():
        print(f"== concurrency {concurrency}: {rounds} rounds of {n} calls per contender")
        for label, values in samples.items():
            print(
                f"  {label:16} median {statistics.median(values) * 1e6:8.1f} us/call, "
                f"best {min(values) * 1e6:8.1f}"
            )
        ceiling = statistics.median(samples["raw socket"])
        fastest = min(statistics.median(v) for k, v in samples.items() if k != "raw socket")
        print(
            f"  server ceiling: {1 / ceiling:,.0f} requests/s with the raw client "
            f"({ceiling * 1e6:.1f} us/call, {ceiling / fastest:.0%} of the fastest HTTP "
            "client's time per call)"
        )
        checks = [
            ("ours on httpx", "bare httpx", None),
            ("ours on aiohttp", "bare aiohttp", VS_AIOHTTP_TARGET),
        ]
        if concurrency == max(c for c in results if c <= 64):
            checks.append(("ours on aiohttp", "bare httpx", VS_HTTPX_TARGET))
        for top, bottom, target in checks:
            median, per_round = ratio(samples, top, bottom)
            rounds_text = ", ".join(f"{r:.3f}" for r in per_round)
            line = f"  {top} / {bottom}: {median:.3f}x (per round {rounds_text})"
            if target is not None:
                verdict = "met" if median <= target else "MISSED"
                line += f" (target <= {target:.2f}x): {verdict}"
            print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="calls per round and contender")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 1 round of 100 calls at 1, 8 and 16"
    )
    args = parser.parse_args()
    rounds, n = (1, 100) if args.quick else (args.rounds, args.n)
    levels = (1, 8, 16) if args.quick else LEVELS
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, httpx {httpx.__version__}, aiohttp "
        f"{aiohttp.__version__}; load average at start: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print(f"command: bench/loopback_overhead.py {' '.join(sys.argv[1:])}".rstrip())
    print("server: raw asyncio Protocol, one process, fixed response (see the docstring)")
    proc, base_url, port = start_server()
    try:
        results = asyncio.run(measure(base_url, port, rounds, n, levels))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    report(results, rounds, n)
    print("load average at end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
