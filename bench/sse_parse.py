"""Server-sent event parsing: our incremental ``SSEDecoder`` against httpx-sse 0.4.

Both read the same synthetic stream (OpenAI-style JSON chunks of ~180 bytes, a
keep-alive comment every 50 events) from an ``httpx.Response`` over an in-memory
body cut into pieces of a given size, so both pay httpx's own ``aiter_bytes`` and the
figures differ only by parsing. ``ours`` feeds the bytes to ``resilient_client._sse``
(what ``EventStream`` does); ``httpx-sse`` is ``EventSource(response).aiter_sse()``.
A third row, ``ours, typed``, also validates each event's data into a pydantic model
(what a typed ``<name>_events`` adds). Both parsers' events are compared first.

Piece sizes: 64 KiB (a busy stream, many events per read) and 256 bytes (about one
event per read, the common case of a live stream). Runs alternate the contenders and
report the median of ``--repeat`` runs, since the machine is shared.

    .venv/bin/python bench/sse_parse.py               # 50,000 events, 5 runs each
    .venv/bin/python bench/sse_parse.py --quick       # 2,000 events, 1 run (smoke)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
from httpx_sse import EventSource
from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from resilient_client._decode import adapter_for
from resilient_client._sse import SSEDecoder


class Delta(BaseModel):
    content: str = ""


class Choice(BaseModel):
    index: int
    delta: Delta


class Chunk(BaseModel):
    id: str
    object: str
    created: int
    model: str
    choices: list[Choice]


def stream_body(events: int) -> bytes:
    parts = []
    for n in range(events):
        if n % 50 == 0:
            parts.append(": keep-alive\n\n")
        chunk = {
            "id": "chatcmpl-7f3a",
            "object": "chat.completion.chunk",
            "created": 1733500000,
            "model": "gpt-test",
            "choices": [{"index": 0, "delta": {"content": f"token {n} "}}],
        }
        parts.append(f"id: {n}\ndata: {json.dumps(chunk)}\n\n")
    return "".join(parts).encode()


class Pieces(httpx.AsyncByteStream):
    def __init__(self, body: bytes, size: int) -> None:
        self.body, self.size = body, size

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self.body), self.size):
            yield self.body[start : start + self.size]


def response(body: bytes, size: int) -> httpx.Response:
    return httpx.Response(
        200, headers={"content-type": "text/event-stream"}, stream=Pieces(body, size)
    )


async def ours(body: bytes, size: int) -> list[str]:
    decoder = SSEDecoder(64 * 1024 * 1024)
    data = []
    async for piece in response(body, size).aiter_bytes():
        data += [event.data for event in decoder.feed(piece)]
    return data


async def ours_typed(body: bytes, size: int) -> list[str]:
    decoder = SSEDecoder(64 * 1024 * 1024)
    adapter = adapter_for(Chunk)
    data = []
    async for piece in response(body, size).aiter_bytes():
        for event in decoder.feed(piece):
            data.append(adapter.validate_json(event.data).id)
    return data


async def theirs_raw(body: bytes, size: int) -> list[str]:
    return [sse.data async for sse in EventSource(response(body, size)).aiter_sse()]


async def theirs(body: bytes, size: int) -> list[str]:
    # httpx-sse dispatches a block without data (our keep-alive comments) as an empty
    # event once an id has been seen; the standard dispatches nothing. Left out here.
    return [data for data in await theirs_raw(body, size) if data]


CONTENDERS: dict[str, Callable[[bytes, int], Awaitable[list[str]]]] = {
    "ours": ours,
    "httpx-sse": theirs,
    "ours, typed": ours_typed,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 events, one run")
    args = parser.parse_args()
    if args.quick:
        args.events, args.repeat = 2_000, 1
    body = stream_body(args.events)
    load = os.getloadavg()
    print(f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"stream: {args.events} events, {len(body) / 1e6:.1f} MB; median of {args.repeat} runs")

    for size in (64 * 1024, 256):
        same = asyncio.run(ours(body, size)) == asyncio.run(theirs(body, size))
        phantom = len(asyncio.run(theirs_raw(body, size))) - args.events
        print(
            f"\npieces of {size} bytes: the same events with data: {same}; httpx-sse also "
            f"yields {phantom} empty events for the keep-alive comments (WHATWG: none)"
        )
        if not same:
            raise SystemExit("the parsers disagree")
        times: dict[str, list[float]] = {name: [] for name in CONTENDERS}
        for _ in range(args.repeat):
            for name, run in CONTENDERS.items():  # interleaved, so load hits all alike
                started = time.perf_counter()
                count = len(asyncio.run(run(body, size)))
                times[name].append(time.perf_counter() - started)
                assert count == args.events, (name, count)
        baseline = statistics.median(times["httpx-sse"])
        for name, measured in times.items():
            median = statistics.median(measured)
            print(
                f"  {name:<12} {median * 1000:8.1f} ms  {args.events / median:10,.0f} events/s"
                f"  {len(body) / median / 1e6:6.1f} MB/s  x{baseline / median:.2f} vs httpx-sse"
            )
    load = os.getloadavg()
    print(f"\nload average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
