"""Streamed downloads over a real loopback socket: a uvicorn server in the test's loop.

The server is a bare ASGI app (no fault_server service has a binary download): it
sends a multi-MB body in 64 KiB pieces, or cuts one off half-way, or fails once with
503 before answering, or drips one byte at a time well within the read timeout, or
sends a little and then nothing. uvicorn runs as a task on the test's own event loop, so
flow control between the two ends is real and nothing needs a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import socket
import time
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import uvicorn

from resilient_client import (
    BaseServiceClient,
    BulkheadConfig,
    ClientConfig,
    Operation,
    ResponseSpec,
    RetryConfig,
    StreamInterruptedError,
    StreamTimeoutError,
    TimeoutConfig,
)

pytestmark = pytest.mark.integration

MIB = 1024 * 1024
PIECE = 64 * 1024
SIZE = 16 * MIB

BLOB: Operation[bytes] = Operation(
    name="get_blob", method="GET", path="/{kind}", responses={"200": ResponseSpec("bytes")}
)


def piece(index: int) -> bytes:
    return index.to_bytes(4, "big") * (PIECE // 4)


def digest_of(size: int) -> str:
    digest = hashlib.sha256()
    for index in range(size // PIECE):
        digest.update(piece(index))
    return digest.hexdigest()


#: seconds between two bytes of ``/drip``: far inside the read timeout the tests set
DRIP_INTERVAL = 0.02


class BlobApp:
    """``/blob``: SIZE bytes; ``/cut``: promises SIZE, sends 1 MiB; ``/flaky``: 503 once;
    ``/drip``: one byte every DRIP_INTERVAL until the client goes; ``/stall``: 1 KiB, then
    nothing until the client goes. ``hung_up`` counts the clients that went."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.hung_up = 0
        self.gone = asyncio.Event()

    async def _until_disconnect(self, receive: Any, send: Any, drip: bool) -> None:
        gone = asyncio.Event()

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()

        watcher = asyncio.create_task(watch())
        headers = [(b"content-type", b"application/octet-stream")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"x" * 1024, "more_body": True})
        try:
            while not gone.is_set():
                if drip:
                    await send({"type": "http.response.body", "body": b"x", "more_body": True})
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(gone.wait(), DRIP_INTERVAL if drip else None)
        finally:
            watcher.cancel()
            self.hung_up += 1
            self.gone.set()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        path = scope["path"]
        self.requests.append(path)
        if path in ("/drip", "/stall"):
            await self._until_disconnect(receive, send, drip=path == "/drip")
            return
        if path == "/flaky" and self.requests.count("/flaky") == 1:
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        headers = [
            (b"content-type", b"application/octet-stream"),
            (b"content-length", str(SIZE).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        pieces = MIB // PIECE if path == "/cut" else SIZE // PIECE
        for index in range(pieces):
            await send({"type": "http.response.body", "body": piece(index), "more_body": True})
        if path == "/cut":
            raise RuntimeError("server died mid-body")  # uvicorn drops the connection
        await send({"type": "http.response.body", "body": b""})


class BlobClient(BaseServiceClient):
    service_name: ClassVar[str] = "BlobService"

    def get_blob(self, kind: str, **call_options: Any) -> Any:
        return self._stream(BLOB, path_params={"kind": kind}, **call_options)


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, BlobApp]]:
    app = BlobApp()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="off", log_level="critical", access_log=False)
    uv = uvicorn.Server(config)
    task = asyncio.create_task(uv.serve(sockets=[sock]))
    while not uv.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", app
    finally:
        uv.should_exit = True
        await asyncio.wait_for(task, 10)
        sock.close()


def client_for(base_url: str) -> BlobClient:
    retry = RetryConfig(max_attempts=3, backoff_base=0.01, backoff_cap=0.02)
    return BlobClient(base_url, config=ClientConfig(retry=retry, timeout=10.0))


async def test_multi_mb_body_streams_in_bounded_chunks_and_memory(
    server: tuple[str, BlobApp],
) -> None:
    base_url, _app = server
    digest = hashlib.sha256()
    largest = 0
    tracemalloc.start()
    try:
        async with client_for(base_url) as client, client.get_blob("blob") as response:
            assert response.content_length == SIZE
            async for chunk in response.iter_bytes(chunk_size=128 * 1024):
                largest = max(largest, len(chunk))
                digest.update(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest.hexdigest() == digest_of(SIZE)
    assert largest == 128 * 1024
    # Client and server share this process; together they never held a quarter of the body.
    assert peak < SIZE // 4, f"peak {peak} bytes while streaming {SIZE}"


async def test_save_to_over_loopback_after_a_retried_503(
    server: tuple[str, BlobApp], tmp_path: Path
) -> None:
    base_url, app = server
    target = tmp_path / "blob.bin"
    async with client_for(base_url) as client, client.get_blob("flaky") as response:
        written = await response.save_to(target)
    assert written == SIZE == target.stat().st_size
    assert hashlib.sha256(target.read_bytes()).hexdigest() == digest_of(SIZE)
    assert app.requests == ["/flaky", "/flaky"]
    snapshot = client.metrics().operations["get_blob"]
    assert (snapshot.successes, snapshot.retries) == (1, 1)


async def test_body_cut_off_by_the_server_raises_and_leaves_no_file(
    server: tuple[str, BlobApp], tmp_path: Path
) -> None:
    base_url, app = server
    target = tmp_path / "blob.bin"
    async with client_for(base_url) as client:
        with pytest.raises(StreamInterruptedError) as caught:
            async with client.get_blob("cut") as response:
                await response.save_to(target)
    assert 0 < caught.value.bytes_received <= MIB
    assert list(tmp_path.iterdir()) == []
    assert app.requests == ["/cut"]  # never retried once the body had started


def one_slot_client(base_url: str, **values: Any) -> BlobClient:
    """One bulkhead slot, so a slot the stream kept would refuse the next call."""
    config = ClientConfig(
        timeout=TimeoutConfig(connect=2.0, read=1.0, write=2.0, pool=2.0),
        bulkhead=BulkheadConfig(max_concurrency=1, acquire_timeout=0),
        **values,
    )
    return BlobClient(base_url, config=config)


async def test_dripping_body_ends_at_the_stream_deadline_and_frees_the_slot(
    server: tuple[str, BlobApp], tmp_path: Path
) -> None:
    base_url, app = server
    target = tmp_path / "blob.bin"
    async with one_slot_client(base_url, stream_deadline=0.4) as client:
        started = time.monotonic()
        with pytest.raises(StreamTimeoutError) as caught:
            async with client.get_blob("drip") as response:
                await response.save_to(target)
        elapsed = time.monotonic() - started
        # Each byte came 20 ms after the last, far inside the 1 s read (and idle) timeout:
        # only the deadline could end it, and it did, on time.
        assert 0.4 <= elapsed < 1.5, elapsed
        assert caught.value.timeout_kind == "deadline"
        assert list(tmp_path.iterdir()) == []
        await asyncio.wait_for(app.gone.wait(), 2)  # the connection was closed
        assert client._pipeline.bulkhead is not None
        assert client._pipeline.bulkhead.in_flight == 0
        async with client.get_blob("blob") as response:  # the one slot is free again
            assert response.content_length == SIZE
        snapshot = client.metrics().operations["get_blob"]
    assert dict(snapshot.failures_by_kind) == {"timeout": 1} and snapshot.successes == 1
    assert app.requests == ["/drip", "/blob"] and app.hung_up == 1  # never retried


async def test_stalled_body_ends_at_the_idle_timeout_over_loopback(
    server: tuple[str, BlobApp],
) -> None:
    base_url, app = server
    async with one_slot_client(base_url, stream_idle_timeout=0.2) as client:
        started = time.monotonic()
        with pytest.raises(StreamTimeoutError) as caught:
            async with client.get_blob("stall", deadline=5.0) as response:
                async for _chunk in response.iter_bytes(chunk_size=512):
                    pass
        elapsed = time.monotonic() - started
        assert 0.2 <= elapsed < 1.5, elapsed
        assert caught.value.timeout_kind == "idle" and caught.value.bytes_received == 1024
        # ended by the 0.2 s idle timer, not by httpx's 1 s read timeout
        assert type(caught.value.__cause__) is TimeoutError
        await asyncio.wait_for(app.gone.wait(), 2)
        assert client._pipeline.bulkhead is not None
        assert client._pipeline.bulkhead.in_flight == 0
        assert client.circuit_breaker.stats().failures == 1
