"""Server-sent events through the sync client over a real loopback socket.

The same ``TickServer`` as ``test_sse`` (ticks with ids, a cut mid-stream, an endless
log), but uvicorn runs in a thread of its own: the test's thread blocks in each sync
call while the client's loop thread reads the stream.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from resilient_client import ClientConfig, correlation_scope

from .test_sse import TOTAL, TickServer, ticker  # noqa: F401 - ticker is a fixture

pytestmark = pytest.mark.integration


@pytest.fixture
def threaded_server() -> Iterator[tuple[str, TickServer]]:
    ticks = TickServer()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(ticks.app(), lifespan="off", log_level="critical", access_log=False)
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(uv.serve(sockets=[sock])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert uv.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", ticks
    finally:
        uv.should_exit = True
        thread.join(10)
        sock.close()


def test_sync_events_resume_after_a_cut_with_one_correlation_id(
    ticker: Any, threaded_server: tuple[str, TickServer]  # noqa: F811
) -> None:
    base_url, ticks = threaded_server
    with ticker.TickerSyncClient(base_url, config=ClientConfig(timeout=5.0)) as api:
        with api.watch_ticks_events() as events:
            typed = list(events)
        with correlation_scope("sync-sse-1"):
            resumed = [event.data.n for event in api.watch_ticks(drop_after=4)]
    assert [event.data for event in typed] == [
        ticker.models.Tick(n=n, phase="odd" if n % 2 else "even") for n in range(1, TOTAL + 1)
    ]
    assert resumed == list(range(1, TOTAL + 1))  # reconnected after the cut, as async does
    assert [r["last-event-id"] for r in ticks.requests[1:]] == ["", "4"]
    assert [r["correlation"] for r in ticks.requests[1:]] == ["sync-sse-1"] * 2


def test_leaving_the_block_closes_an_endless_stream(
    ticker: Any, threaded_server: tuple[str, TickServer]  # noqa: F811
) -> None:
    base_url, ticks = threaded_server
    with ticker.TickerSyncClient(base_url, config=ClientConfig(timeout=5.0)) as api:
        lines: list[str] = []
        with api.tail_log_events() as log:
            for event in log:
                lines.append(event.data)
                if len(lines) == 3:
                    break
        deadline = time.monotonic() + 5
        while not ticks.disconnected.is_set() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert ticks.disconnected.is_set()  # the server saw the connection go
        assert api.bulkhead is None or api.bulkhead.in_flight == 0
    assert lines == ["line 1", "line 2", "line 3"]
