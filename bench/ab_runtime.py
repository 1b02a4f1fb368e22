"""The runtime at a git revision against the working tree's, in one process, interleaved.

Run from the repository root::

    .venv/bin/python bench/ab_runtime.py --base main       # or any revision
    .venv/bin/python bench/ab_runtime.py --base main --rounds 15

The base revision's ``resilient_client`` is exported (``git archive``) and imported
under another name, so both versions' clients run in the same process, in alternating
chunks of calls: on a shared, loaded machine separate runs differ by more than the
change being measured, while two contenders taking turns see the same load. Printed:
per-call medians of each version and the median of the per-round ratios (working tree
/ base) for a call through the pipeline (cache off), a cache hit and an open-breaker
rejection, with an in-process ``httpx.MockTransport`` as the HTTP side; then the
runtime's own work alone: a default-config call (cache off) with the send step replaced
by a canned answer, on the httpx and the aiohttp transport (and on aiohttp with a
spec deadline, as the project's own specs set), one call at a time and 64 at once
(each canned answer yields to the loop once, as a real send suspends at least once:
every coroutine between the caller and the send step pays for each suspension).
``--cpu`` times with this process's CPU time instead of wall time. ``--loopback``
instead runs both runtimes over real sockets against ``loopback_overhead.py``'s server
(aiohttp transport, 64 at once, with and without a deadline), timed by CPU time.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib
import io
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
BODY = b'{"id": 1, "name": "widget", "tags": ["a", "b"], "price": 9.5}'


def import_base(rev: str) -> ModuleType:
    archive = subprocess.run(
        ["git", "archive", rev, "resilient_client"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    where = Path(tempfile.mkdtemp(prefix="ab-runtime-"))
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(where, filter="data")
    (where / "resilient_client").rename(where / "resilient_client_base")
    sys.path.insert(0, str(where))
    return importlib.import_module("resilient_client_base")


def build(rc: ModuleType, http: httpx.AsyncClient) -> tuple[Any, Any]:
    plain = rc.Operation("get_item", "GET", "/items/{item_id}", {"200": rc.ResponseSpec("json")})
    cached = rc.Operation(
        "get_cached",
        "GET",
        "/items/{item_id}",
        {"200": rc.ResponseSpec("json")},
        policy=rc.SpecPolicy(cache_ttl=300.0),
    )

    class Client(rc.BaseServiceClient):  # type: ignore[misc,name-defined]
        service_name = "AB"

        async def get_item(self) -> Any:
            return await self._request(plain, path_params={"item_id": 1})

        async def get_cached(self) -> Any:
            return await self._request(cached, path_params={"item_id": 1})

    return Client("http://ab.local", http_client=http), Client("http://ab.local", http_client=http)


#: what a chunk of calls is timed with: wall time, or with --cpu this process's CPU time
#: (a neighbour's burst of load then stretches neither contender's figure)
CLOCK = time.perf_counter


async def per_call(fn: Callable[[], Awaitable[Any]], n: int) -> float:
    started = CLOCK()
    for _ in range(n):
        await fn()
    return (CLOCK() - started) / n


async def measure(base: ModuleType, rounds: int, n: int) -> dict[str, list[float]]:
    import resilient_client as work

    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            200, content=BODY, headers={"content-type": "application/json"}
        )
    )
    http = httpx.AsyncClient(transport=transport)
    contenders: dict[str, Callable[[], Awaitable[Any]]] = {}
    for tag, rc in (("base", base), ("work", work)):
        plain, rejecting = build(rc, http)
        await plain.get_cached()
        rejecting.circuit_breaker.force_open()

        async def rejected(client: Any = rejecting, error: Any = rc.CircuitOpenError) -> None:
            try:
                await client.get_item()
            except error:
                return

        contenders[f"pipeline, cache off [{tag}]"] = plain.get_item
        contenders[f"cache hit [{tag}]"] = plain.get_cached
        contenders[f"open-breaker rejection [{tag}]"] = rejected
    samples: dict[str, list[float]] = {label: [] for label in contenders}
    chunks = 10
    for _ in range(rounds):
        spent = dict.fromkeys(contenders, 0.0)
        for _ in range(chunks):
            for label, fn in contenders.items():
                spent[label] += await per_call(fn, n // chunks)
        for label, total in spent.items():
            samples[label].append(total / chunks)
    await http.aclose()
    return samples


#: transport, and the spec's deadline (the project's own specs set one on every operation)
STUBBED = (("httpx", None), ("aiohttp", None), ("aiohttp", 15.0))


def stubbed_label(transport: str, deadline: float | None, concurrency: int) -> str:
    with_deadline = f" + 5 s timeout, {deadline:g} s deadline" if deadline is not None else ""
    return f"send step stubbed, {transport}{with_deadline}, {concurrency} at once"


STUB_HEADERS = httpx.Headers({"content-type": "application/json", "content-length": "61"})


def stub_send_steps(rc: ModuleType) -> None:
    """Replace both transports' send steps of runtime ``rc`` by a canned answer."""
    attempts = importlib.import_module(f"{rc.__name__}._attempts")
    transport = importlib.import_module(f"{rc.__name__}._transport")
    wire = importlib.import_module(f"{rc.__name__}._aiohttp").AiohttpWire

    async def canned(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0)
        return transport.RawResponse(200, "OK", STUB_HEADERS, BODY)

    setattr(attempts, "exchange", canned)  # noqa: B010
    setattr(wire, "exchange", canned)  # noqa: B010


def stubbed_client(
    rc: ModuleType,
    transport: str,
    deadline: float | None = None,
    *,
    base_url: str = "http://127.0.0.1:9",
) -> Any:
    plain = rc.Operation(
        "get_item",
        "GET",
        "/items/{item_id}",
        {"200": rc.ResponseSpec("json")},
        # with a deadline, the per-attempt timeout of metadata_stamping.yaml's operations
        policy=rc.SpecPolicy(deadline=deadline, timeout=None if deadline is None else 5.0),
    )

    class Client(rc.BaseServiceClient):  # type: ignore[misc,name-defined]
        service_name = "AB"

        async def get_item(self) -> Any:
            return await self._request(plain, path_params={"item_id": 1})

    return Client(base_url, config=rc.ClientConfig(transport=transport))


async def per_call_at(fn: Callable[[], Awaitable[Any]], n: int, concurrency: int) -> float:
    async def worker(calls: int) -> None:
        for _ in range(calls):
            await fn()

    each = max(1, n // concurrency)
    started = CLOCK()
    await asyncio.gather(*(worker(each) for _ in range(concurrency)))
    return (CLOCK() - started) / (each * concurrency)


async def measure_stubbed(base: ModuleType, rounds: int, n: int) -> dict[str, list[float]]:
    import resilient_client as work

    contenders: dict[str, tuple[Callable[[], Awaitable[Any]], int]] = {}
    clients = []
    for tag, rc in (("base", base), ("work", work)):
        stub_send_steps(rc)
        for transport, deadline in STUBBED:
            client = stubbed_client(rc, transport, deadline)
            clients.append(client)
            for concurrency in (1, 64):
                label = f"{stubbed_label(transport, deadline, concurrency)} [{tag}]"
                contenders[label] = (client.get_item, concurrency)
    for fn, concurrency in contenders.values():  # warm up
        await per_call_at(fn, n // 10, concurrency)
    samples: dict[str, list[float]] = {label: [] for label in contenders}
    chunks = 10
    for _ in range(rounds):
        spent = dict.fromkeys(contenders, 0.0)
        for _ in range(chunks):
            for label, (fn, concurrency) in contenders.items():
                spent[label] += await per_call_at(fn, n // chunks, concurrency)
        for label, total in spent.items():
            samples[label].append(total / chunks)
    for client in clients:
        await client.aclose()
    return samples


async def measure_loopback(base: ModuleType, rounds: int, n: int) -> dict[str, list[float]]:
    """Both runtimes over real sockets: the aiohttp transport against
    ``loopback_overhead.py``'s server, 64 calls at once, taking turns in chunks; CPU time
    of this process per call (the server is another process)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import loopback_overhead

    import resilient_client as work

    proc, base_url, _ = loopback_overhead.start_server()
    try:
        contenders: dict[str, tuple[Callable[[], Awaitable[Any]], int]] = {}
        clients = []
        for tag, rc in (("base", base), ("work", work)):
            for deadline in (None, 15.0):
                client = stubbed_client(rc, "aiohttp", deadline, base_url=base_url)
                clients.append(client)
                label = stubbed_label("aiohttp", deadline, 64).replace(
                    "send step stubbed", "loopback"
                )
                contenders[f"{label} [{tag}]"] = (client.get_item, 64)
        for fn, concurrency in contenders.values():
            await per_call_at(fn, n, concurrency)  # warm up: connections, plans
        samples: dict[str, list[float]] = {label: [] for label in contenders}
        for _ in range(rounds):
            spent = dict.fromkeys(contenders, 0.0)
            for _ in range(10):
                for label, (fn, concurrency) in contenders.items():
                    spent[label] += await per_call_at(fn, n // 10, concurrency)
            for label, total in spent.items():
                samples[label].append(total / 10)
        for client in clients:
            await client.aclose()
        return samples
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="git revision to compare against")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--calls", type=int, default=2000, help="calls per round and contender")
    parser.add_argument(
        "--cpu", action="store_true", help="time with process CPU time instead of wall time"
    )
    parser.add_argument(
        "--loopback",
        action="store_true",
        help="instead: both runtimes over real sockets (aiohttp, 64 at once; CPU time)",
    )
    args = parser.parse_args()
    base = import_base(args.base)
    global CLOCK
    if args.cpu or args.loopback:
        CLOCK = time.process_time
    if args.loopback:
        samples = asyncio.run(measure_loopback(base, args.rounds, args.calls))
        names = [label.removesuffix(" [base]") for label in samples if label.endswith("[base]")]
    else:
        samples = asyncio.run(measure(base, args.rounds, args.calls))
        samples.update(asyncio.run(measure_stubbed(base, args.rounds, args.calls)))
        names = ["pipeline, cache off", "cache hit", "open-breaker rejection"]
        names += [
            stubbed_label(transport, deadline, concurrency)
            for transport, deadline in STUBBED
            for concurrency in (1, 64)
        ]
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"# Runtime A/B: working tree vs {args.base} ({now})")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    flags = (" --cpu" if args.cpu else "") + (" --loopback" if args.loopback else "")
    print(
        f"command: python bench/ab_runtime.py --base {args.base} --rounds {args.rounds} "
        f"--calls {args.calls}{flags} (timed by {'wall' if CLOCK is time.perf_counter else 'CPU'}"
        " time)"
    )
    print()
    print("| per call | base median µs | work median µs | work / base (paired median) |")
    print("|---|---:|---:|---:|")
    for name in names:
        old, new = samples[f"{name} [base]"], samples[f"{name} [work]"]
        ratio = statistics.median(b / a for a, b in zip(old, new, strict=True))
        print(
            f"| {name} | {statistics.median(old) * 1e6:.2f} | "
            f"{statistics.median(new) * 1e6:.2f} | {ratio:.3f} |"
        )


if __name__ == "__main__":
    main()
