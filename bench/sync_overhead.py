"""What a sync client call costs over the async client's call, measured in one run.

Run from the repository root::

    .venv/bin/python bench/sync_overhead.py            # 7 rounds
    .venv/bin/python bench/sync_overhead.py --quick    # a smoke run

A sync client runs the async client's coroutine on its private event loop thread and
blocks the caller for the answer (``resilient_client._portal``): the extra cost is a
thread hand-off each way. Three comparisons, each the async client against the sync
client that drives the same code, taking turns in chunks within every round; the
verdict is the median of the per-round ratios (the machine is shared):

* in-process (``httpx.MockTransport``): Python overhead only, the hand-off at its most
  visible;
* over loopback to bench/loopback_overhead.py's server in its own process (uvicorn until
  its transport rewrite, a bare asyncio protocol since), one call at a time;
* 8 callers at once over loopback: 8 asyncio tasks against 8 threads sharing one sync
  client (seconds per call = wall time / calls).

Then what the sync client costs async users at import: ``import <pkg>`` of the committed
service packages against the same packages generated with ``--no-sync``, each import
in a fresh interpreter (``-X importtime``, no bytecode), taking turns.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loopback_overhead import BODY, start_server

from resilient_client import (
    BaseServiceClient,
    BulkheadConfig,
    ClientConfig,
    Operation,
    ResponseSpec,
)
from resilient_client.sync import SyncServiceClient

GET_ITEM: Operation[Any] = Operation(
    "get_item", "GET", "/items/{item_id}", responses={"200": ResponseSpec("json", None)}
)
THREADS = 8


class BenchClient(BaseServiceClient):
    service_name: ClassVar[str] = "Bench"

    async def get_item(self, item_id: int) -> Any:
        return await self._request(GET_ITEM, path_params={"item_id": item_id})


class BenchSyncClient(SyncServiceClient[BenchClient]):
    _async_class = BenchClient

    def get_item(self, item_id: int) -> Any:
        return self._call(self._async.get_item(item_id))


def config() -> ClientConfig:
    # cache off (every call goes out); a bulkhead that never queues
    return ClientConfig(cache=None, bulkhead=BulkheadConfig(max_concurrency=128))


Cost = tuple[float, float]  # (wall seconds, CPU seconds of this process) per call


def timed(run: Callable[[], None], calls: int) -> Cost:
    # CPU time counts every thread of this process (the server is another process), so
    # it shows what the hand-off costs even when a loaded machine stretches wall time.
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return (time.perf_counter() - wall) / calls, (time.process_time() - cpu) / calls


def async_round(loop: asyncio.AbstractEventLoop, client: BenchClient, n: int, width: int) -> Cost:
    async def worker() -> None:
        for _ in range(n // width):
            await client.get_item(1)

    async def run() -> None:
        await asyncio.gather(*(worker() for _ in range(width)))

    return timed(lambda: loop.run_until_complete(run()), n // width * width)


def sync_round(client: BenchSyncClient, n: int, width: int) -> Cost:
    def worker() -> None:
        for _ in range(n // width):
            client.get_item(1)

    def run() -> None:
        if width == 1:
            worker()
            return
        threads = [threading.Thread(target=worker) for _ in range(width)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    return timed(run, n // width * width)


def compare(
    label: str,
    make_async: Callable[[], BenchClient],
    make_sync: Callable[[], BenchSyncClient],
    rounds: int,
    n: int,
    width: int,
) -> None:
    loop = asyncio.new_event_loop()
    client = make_async()
    sync = make_sync()
    chunks = 20  # small turns: a burst of load from a neighbour lands on both
    samples: dict[str, list[Cost]] = {"async": [], "sync": []}
    try:
        async_round(loop, client, n // 4, width)  # warm connections and the thread
        sync_round(sync, n // 4, width)
        for _ in range(rounds):
            spent = {"async": [0.0, 0.0], "sync": [0.0, 0.0]}
            for _ in range(chunks):
                for key, cost in (
                    ("async", async_round(loop, client, max(width, n // chunks), width)),
                    ("sync", sync_round(sync, max(width, n // chunks), width)),
                ):
                    spent[key][0] += cost[0] / chunks
                    spent[key][1] += cost[1] / chunks
            for key, (wall, cpu) in spent.items():
                samples[key].append((wall, cpu))
    finally:
        sync.close()
        loop.run_until_complete(client.aclose())
        loop.close()
    print(f"== {label} (median of {rounds} rounds)")
    for index, kind in ((0, "wall"), (1, "cpu ")):
        a = statistics.median(c[index] for c in samples["async"])
        s = statistics.median(c[index] for c in samples["sync"])
        pairs = zip(samples["sync"], samples["async"], strict=True)
        ratio = statistics.median(x[index] / y[index] for x, y in pairs if y[index] > 0)
        print(
            f"  {kind}  async {a * 1e6:7.1f} us/call  sync {s * 1e6:7.1f} us/call  "
            f"sync - async {(s - a) * 1e6:6.1f} us  sync / async per round: {ratio:.2f}x"
        )


def mock_http() -> httpx.AsyncClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})

    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


REPO = Path(__file__).resolve().parents[1]
PACKAGES = {"onextree_client": "specs/onextree.yaml",
            "metadata_stamping_client": "specs/metadata_stamping.yaml"}  # fmt: skip


def import_seconds(path: Path, package: str) -> tuple[float, float]:
    """(the package's own modules, ``import <package>`` with its dependencies) seconds."""
    env = {**os.environ, "PYTHONPATH": str(path), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {package}"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    own, total = 0, 0
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
        if match and match.group(3).split(".")[0] == package:
            own += int(match.group(1))
            if match.group(3) == package:
                total = int(match.group(2))
    return own / 1e6, total / 1e6


def import_cost(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="nosync-") as folder:
        subprocess.run(
            [sys.executable, "-m", "generator", "-q", "--no-sync", "-o", folder,
             *PACKAGES.values()],
            cwd=REPO, check=True,
        )  # fmt: skip
        for package in PACKAGES:
            with_sync: list[tuple[float, float]] = []
            without: list[tuple[float, float]] = []
            for index in range(runs):
                # alternate which goes first: the first of a pair runs a little colder
                pair = [(with_sync, REPO / "generated"), (without, Path(folder))]
                for samples, path in pair if index % 2 == 0 else pair[::-1]:
                    samples.append(import_seconds(path, package))
            print(f"== import {package} (median of {runs} fresh interpreters each)")
            for label, samples in (("with the sync client", with_sync), ("--no-sync", without)):
                own = statistics.median(s[0] for s in samples)
                total = statistics.median(s[1] for s in samples)
                print(f"  {label:21} own modules {own * 1e3:6.2f} ms, with dependencies "
                      f"{total * 1e3:6.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 short rounds")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    rounds, n = (2, 800) if args.quick else (args.rounds, 4000)
    load = os.getloadavg()
    print(f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {platform.platform()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")  # fmt: skip
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")

    base = "http://bench.local"
    compare(
        "in-process (MockTransport), one call at a time",
        lambda: BenchClient(base, config=config(), http_client=mock_http()),
        lambda: BenchSyncClient(base, config=config(), http_client=mock_http()),
        rounds,
        n,
        1,
    )
    proc, url, _port = start_server()
    try:
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        for width in (1, THREADS):
            callers = "one call at a time" if width == 1 else f"{width} callers at once"
            compare(
                f"loopback (server process), {callers}",
                lambda: BenchClient(url, config=config(), http_client=httpx.AsyncClient(limits=limits)),
                lambda: BenchSyncClient(url, config=config(), http_client=httpx.AsyncClient(limits=limits)),
                rounds,
                n // 2,
                width,
            )  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(10)
    import_cost(3 if args.quick else 15)
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
