"""Per-call cost over real sockets: bare httpx, bare aiohttp, and the client on each
transport (httpx, aiohttp, httptools), at concurrency 1, 64 and 256, against a server
that is not the bottleneck.

Run from the repository root::

    .venv/bin/python bench/loopback_overhead.py            # 5 rounds (see -n)
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
(``ClientSession.get`` + ``.json()``), ``ours on httpx``, ``ours on aiohttp`` and
``ours on httptools`` (a ``BaseServiceClient`` with the full pipeline, cache off, a
bulkhead wider than the concurrency, ``ClientConfig(transport=...)``). In each round, at each level, they take
turns in 10 chunks, so a burst of load from a neighbour lands on all of them; the
verdicts use the median of the per-round ratios of wall time. The client process's CPU
time per call is printed beside it: steadier on a shared machine, and at 64 and 256 the
client is CPU-bound, so its ratio is what the wall ratio converges to. The httpx
contenders make ``-n`` calls per round, the others 4x as many (each chunk of the fast
ones then lasts long enough that one burst of load does not decide a round). The last
line is the runtime's own work per call with the send step stubbed out. ``--split``
instead breaks ours on aiohttp / bare aiohttp at concurrency 64 into its parts (client
CPU): bare aiohttp given the runtime's timeouts and request headers, the transport's send
step called on its own, and the whole client; then the same two for the httptools
transport.

Targets (issue 13), for ours on aiohttp and ours on httptools alike: <= 0.6x bare httpx
at concurrency 64, and <= 1.10x bare aiohttp at every level.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, cast

import aiohttp
import httptools
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
    "ours on httptools",
)
#: the contenders the targets are checked for
FAST = ("ours on aiohttp", "ours on httptools")


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


#: calls per round relative to ``-n``: the fast contenders make more calls, so their
#: chunks last long enough that a neighbour's burst of load does not decide a round
WEIGHT = {"bare httpx": 1, "ours on httpx": 1}
CHUNKS = 10
Samples = dict[int, dict[str, list[float]]]


async def run_level(
    contenders: Mapping[str, Callable[[], Awaitable[Any]]], concurrency: int, n: int
) -> dict[str, tuple[float, float]]:
    """One round at one concurrency: (wall, client CPU) seconds per call for each
    contender; they take turns in ``CHUNKS`` chunks."""
    spent = {label: [0.0, 0.0, 0.0] for label in contenders}
    for _ in range(CHUNKS):
        for label, call in contenders.items():
            per_worker = max(1, n * WEIGHT.get(label, 4) // (CHUNKS * concurrency))

            async def worker(
                call: Callable[[], Awaitable[Any]] = call, k: int = per_worker
            ) -> None:
                for _ in range(k):
                    await call()

            cpu, started = time.process_time(), time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            totals = spent[label]
            totals[0] += time.perf_counter() - started
            totals[1] += time.process_time() - cpu
            totals[2] += per_worker * concurrency
    return {label: (wall / calls, cpu / calls) for label, (wall, cpu, calls) in spent.items()}


async def measure(
    base_url: str, port: int, rounds: int, n: int, levels: tuple[int, ...]
) -> tuple[Samples, Samples]:
    """Wall and client-CPU seconds per call, by level, contender and round."""
    url = f"{base_url}/items/1"
    limits = httpx.Limits(max_connections=POOL, max_keepalive_connections=POOL)
    results: Samples = {}
    cpu_results: Samples = {}
    raw = RawClient(port)
    ours_httpx = build_client(base_url, "httpx")
    ours_aiohttp = build_client(base_url, "aiohttp")
    ours_httptools = build_client(base_url, "httptools")
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

        async def on_httptools() -> Any:
            return await ours_httptools.get_item(1)

        calls = (bare_httpx, bare_aiohttp, on_httpx, on_aiohttp, on_httptools)
        answers = [await f() for f in calls]
        assert all(answer == answers[0] for answer in answers), answers
        contenders = dict(zip(LABELS, (raw.call, *calls), strict=True))
        for concurrency in levels:
            await run_level(contenders, concurrency, max(n // 4, concurrency))  # warm up
            samples: dict[str, list[float]] = {label: [] for label in contenders}
            cpu: dict[str, list[float]] = {label: [] for label in contenders}
            for _ in range(rounds):
                for label, (wall, used) in (await run_level(contenders, concurrency, n)).items():
                    samples[label].append(wall)
                    cpu[label].append(used)
            results[concurrency] = samples
            cpu_results[concurrency] = cpu
    raw.close()
    await ours_httpx.aclose()
    await ours_aiohttp.aclose()
    await ours_httptools.aclose()
    return results, cpu_results


async def own_cost(calls: int) -> dict[str, float]:
    """The runtime's own seconds per call on each transport, its send step replaced by a
    canned answer: what the pipeline adds on top of the HTTP library (JSON decoding
    included, which the bare contenders do too)."""
    import resilient_client._attempts as attempts
    from resilient_client._aiohttp import AiohttpWire
    from resilient_client._httptools import HttptoolsWire
    from resilient_client._transport import RawResponse

    headers = httpx.Headers({"content-type": "application/json", "content-length": "61"})

    async def canned(*args: Any, **kwargs: Any) -> RawResponse:
        return RawResponse(200, "OK", headers, BODY)

    saved = getattr(attempts, "exchange"), AiohttpWire.exchange  # noqa: B009
    saved_h1 = HttptoolsWire.exchange
    setattr(attempts, "exchange", canned)  # noqa: B010
    setattr(AiohttpWire, "exchange", canned)  # noqa: B010
    setattr(HttptoolsWire, "exchange", canned)  # noqa: B010
    try:
        costs: dict[str, float] = {}
        for transport in ("httpx", "aiohttp", "httptools"):
            client = build_client("http://127.0.0.1:9", transport)
            for _ in range(calls // 10):
                await client.get_item(1)
            started = time.perf_counter()
            for _ in range(calls):
                await client.get_item(1)
            costs[transport] = (time.perf_counter() - started) / calls
            await client.aclose()
        return costs
    finally:
        setattr(attempts, "exchange", saved[0])  # noqa: B010
        setattr(AiohttpWire, "exchange", saved[1])  # noqa: B010
        setattr(HttptoolsWire, "exchange", saved_h1)  # noqa: B010


class _StandInCall:
    """What the aiohttp send step reads of a call, for calling it on its own."""

    plan = type("Plan", (), {"method": "GET"})()
    data = files = content = None
    stream = False

    def __init__(self, url: str) -> None:
        self.url = url

    def secret_headers(self) -> frozenset[str]:
        return frozenset()

    def secret_params(self) -> frozenset[str]:
        return frozenset()


async def split(base_url: str, rounds: int, n: int, concurrency: int) -> Samples:
    """Where ours on aiohttp spends its time beyond bare aiohttp: bare aiohttp given the
    runtime's timeouts and request headers, then the transport's send step called on its
    own (no pipeline), then the whole client. Client CPU seconds per call by contender."""
    from resilient_client._aiohttp import client_timeout

    url = f"{base_url}/items/1"
    ours = build_client(base_url, "aiohttp")
    ours_h1 = build_client(base_url, "httptools")
    wire = ours._rt.wire
    wire_h1 = ours_h1._rt.wire
    timeout = ours.config.timeout.to_httpx()
    headers = {**ours._pipeline.base_headers, "x-correlation-id": str(uuid.uuid4())}
    stand_in = cast(Any, _StandInCall(url))
    cpu: dict[str, list[float]] = {}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=POOL)) as session:
        same_timeouts = client_timeout(timeout.as_dict())

        async def bare() -> Any:
            async with session.get(url) as response:
                return await response.json()

        async def configured() -> Any:
            async with session.get(url, timeout=same_timeouts, headers=headers) as response:
                return await response.json()

        async def send_step() -> Any:
            raw = await wire.exchange(stand_in, timeout, headers, [], 1 << 26, True, 5)
            return json.loads(raw.content)

        async def whole() -> Any:
            return await ours.get_item(1)

        async def send_step_h1() -> Any:
            raw = await wire_h1.exchange(stand_in, timeout, headers, [], 1 << 26, True, 5)
            return json.loads(raw.content)

        async def whole_h1() -> Any:
            return await ours_h1.get_item(1)

        contenders = {
            "bare aiohttp": bare,
            "+ same timeouts, headers": configured,
            "send step alone": send_step,
            "ours on aiohttp": whole,
            "httptools send step alone": send_step_h1,
            "ours on httptools": whole_h1,
        }
        await run_level(contenders, concurrency, n // 4)
        cpu = {label: [] for label in contenders}
        for _ in range(rounds):
            for label, (_, used) in (await run_level(contenders, concurrency, n)).items():
                cpu[label].append(used)
    await ours.aclose()
    await ours_h1.aclose()
    return {concurrency: cpu}


def ratio(samples: dict[str, list[float]], top: str, bottom: str) -> tuple[float, list[float]]:
    per_round = [a / b for a, b in zip(samples[top], samples[bottom], strict=True)]
    return statistics.median(per_round), per_round


def report(results: Samples, cpu_results: Samples, rounds: int, n: int) -> None:
    for concurrency, samples in results.items():
        cpu = cpu_results[concurrency]
        print(
            f"== concurrency {concurrency}: {rounds} rounds; per round {n} calls of each httpx "
            f"contender, {4 * n} of the others"
        )
        for label, values in samples.items():
            print(
                f"  {label:17} median {statistics.median(values) * 1e6:8.1f} us/call, "
                f"best {min(values) * 1e6:8.1f}; client CPU "
                f"{statistics.median(cpu[label]) * 1e6:8.1f} us/call"
            )
        ceiling = statistics.median(samples["raw socket"])
        fastest = min(statistics.median(v) for k, v in samples.items() if k != "raw socket")
        print(
            f"  server ceiling: {1 / ceiling:,.0f} requests/s with the raw client "
            f"({ceiling * 1e6:.1f} us/call, {ceiling / fastest:.0%} of the fastest HTTP "
            "client's time per call)"
        )
        checks: list[tuple[str, str, float | None]] = [("ours on httpx", "bare httpx", None)]
        checks += [(fast, "bare aiohttp", VS_AIOHTTP_TARGET) for fast in FAST]
        if concurrency == max(c for c in results if c <= 64):
            checks += [(fast, "bare httpx", VS_HTTPX_TARGET) for fast in FAST]
        for top, bottom, target in checks:
            median, per_round = ratio(samples, top, bottom)
            rounds_text = ", ".join(f"{r:.3f}" for r in per_round)
            line = f"  {top} / {bottom}: {median:.3f}x (per round {rounds_text})"
            if target is not None:
                verdict = "met" if median <= target else "MISSED"
                line += f" (target <= {target:.2f}x): {verdict}"
            print(line)
            print(f"    client CPU ratio: {ratio(cpu, top, bottom)[0]:.3f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-n", type=int, default=1000, help="calls per round of each httpx contender (others 4x)"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 1 round of 50 calls at 1, 8 and 16"
    )
    parser.add_argument(
        "--split",
        action="store_true",
        help="instead: split ours on aiohttp / bare aiohttp at concurrency 64 into its parts",
    )
    args = parser.parse_args()
    rounds, n = (1, 50) if args.quick else (args.rounds, args.n)
    levels = (1, 8, 16) if args.quick else LEVELS
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, httpx {httpx.__version__}, aiohttp "
        f"{aiohttp.__version__}, httptools {httptools.__version__}; load average at start: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print(f"command: bench/loopback_overhead.py {' '.join(sys.argv[1:])}".rstrip())
    print("server: raw asyncio Protocol, one process, fixed response (see the docstring)")
    proc, base_url, port = start_server()
    if args.split:
        try:
            parts = asyncio.run(split(base_url, rounds, n, 16 if args.quick else 64))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        for concurrency, cpu in parts.items():
            print(f"== split at concurrency {concurrency}: client CPU per call, {rounds} rounds")
            for label, values in cpu.items():
                median, _ = ratio(cpu, label, "bare aiohttp")
                print(
                    f"  {label:26} {statistics.median(values) * 1e6:8.1f} us/call, "
                    f"{median:.3f}x bare aiohttp"
                )
        print("load average at end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
        return
    try:
        results, cpu_results = asyncio.run(measure(base_url, port, rounds, n, levels))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    report(results, cpu_results, rounds, n)
    own = asyncio.run(own_cost(2000 if args.quick else 20000))
    print(
        "runtime's own work per call, send step stubbed: "
        + ", ".join(f"on {name} {seconds * 1e6:.1f} us" for name, seconds in own.items())
    )
    print("load average at end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
