"""A streamed body's per-read cost with an idle timeout: one ``ReadTimer`` against an
``asyncio.timeout`` per read (the implementation before it), and no timer at all.

Each contender reads the same in-memory body (``--chunks`` pieces of ``--size`` bytes,
all ready, as from a fast socket or a buffered proxy) through a real client's
``<op>_stream`` and ``iter_bytes(None)``:

* ``no limit``: ``stream_deadline=None`` and no idle timeout: reads run untimed (the
  floor every timed read is compared with);
* ``ReadTimer``: ``stream_idle_timeout=30`` (what this branch runs);
* ``asyncio.timeout per read``: the same config with ``StreamedResponse._next``
  replaced, in this process, by the previous implementation copied below.

The figure is CPU microseconds per read (``time.process_time``), the median of
``--repeat`` runs taken in turn, plus the loop's timer heap at the body's end. The
machine is shared: compare rows of one run, not runs.

    .venv/bin/python bench/stream_reads.py            # 20,000 reads of 16 bytes, 7 runs
    .venv/bin/python bench/stream_reads.py --quick    # a smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from resilient_client import BaseServiceClient, ClientConfig, Operation, ResponseSpec
from resilient_client._read_timer import ReadTimer
from resilient_client._stream import StreamedResponse

DOWNLOAD: Operation[bytes] = Operation(
    name="download", method="GET", path="/blobs/{blob_id}", responses={"200": ResponseSpec("bytes")}
)


class BlobClient(BaseServiceClient):
    service_name: ClassVar[str] = "BlobService"
    default_base_url: ClassVar[str | None] = "http://blobs.bench"

    def download_stream(self, blob_id: str, **kwargs: Any) -> Any:
        return self._stream(DOWNLOAD, path_params={"blob_id": blob_id}, **kwargs)


class Ready(httpx.AsyncByteStream):
    def __init__(self, chunks: int, size: int) -> None:
        self.chunks = chunks
        self.piece = b"x" * size

    async def __aiter__(self) -> AsyncIterator[bytes]:
        piece = self.piece
        for _ in range(self.chunks):
            yield piece


async def _per_read_timeout(
    self: StreamedResponse, arrivals: AsyncIterator[bytes], timer: ReadTimer
) -> bytes | None:
    """``StreamedResponse._next`` as it was: an ``asyncio.timeout`` for every read."""
    clock = self._clock
    started = clock()
    wait, kind = self._idle, "idle"
    deadline_at = self._deadline_at
    if deadline_at is not None:
        remaining = deadline_at - started
        if remaining <= 0:
            raise self._timed_out("deadline")
        if wait is None or remaining < wait:
            wait, kind = remaining, "deadline"
    assert wait is not None
    try:
        async with asyncio.timeout(wait):
            data = await anext(arrivals, None)
    except TimeoutError as exc:
        raise self._timed_out(kind) from exc
    now = clock()
    if deadline_at is not None and now >= deadline_at:
        raise self._timed_out("deadline")
    if self._idle is not None and now - started >= self._idle:
        raise self._timed_out("idle")
    return data


async def read_once(config: ClientConfig, chunks: int, size: int) -> tuple[float, int]:
    """CPU seconds for one body of ``chunks`` reads, and the timers left on the heap."""
    body = Ready(chunks, size)
    http = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, stream=body))
    )
    client = BlobClient(config=config, http_client=http)
    async with client, client.download_stream("b") as response:
        began = time.process_time()
        received = 0
        async for chunk in response.iter_bytes(None):
            received += len(chunk)
        spent = time.process_time() - began
        heap = len(asyncio.get_running_loop()._scheduled)  # type: ignore[attr-defined]
    assert received == chunks * size
    return spent, heap


CONTENDERS: dict[str, tuple[dict[str, Any], bool]] = {
    "no limit": ({"stream_deadline": None}, False),
    "ReadTimer": ({"stream_idle_timeout": 30.0}, False),
    "asyncio.timeout per read": ({"stream_idle_timeout": 30.0}, True),
}


def run(name: str, chunks: int, size: int) -> tuple[float, int]:
    options, old = CONTENDERS[name]
    original: Callable[..., Any] = StreamedResponse._next
    if old:
        StreamedResponse._next = _per_read_timeout  # type: ignore[method-assign]
    try:
        return asyncio.run(read_once(ClientConfig(**options), chunks, size))
    finally:
        StreamedResponse._next = original  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=20_000)
    parser.add_argument("--size", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.chunks, args.repeat = 2_000, 1
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}; "
        f"{args.chunks:,} reads of {args.size} bytes, median of {args.repeat} runs"
    )
    runs: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    heaps: dict[str, int] = {}
    for _ in range(args.repeat):
        for name in CONTENDERS:  # in turn, so a busy neighbour hits every row alike
            spent, heaps[name] = run(name, args.chunks, args.size)
            runs[name].append(spent)
    floor = statistics.median(runs["no limit"]) / args.chunks * 1e6
    print(f"{'contender':<26} {'us/read':>8} {'- floor':>8} {'heap at end':>12}")
    for name, spent in runs.items():
        per_read = statistics.median(spent) / args.chunks * 1e6
        print(f"{name:<26} {per_read:8.2f} {per_read - floor:8.2f} {heaps[name]:12,}")


if __name__ == "__main__":
    main()
