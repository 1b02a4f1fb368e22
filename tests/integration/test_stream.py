"""Streamed downloads over a real loopback socket: a uvicorn server in the test's loop.

The server is a bare ASGI app (no fault_server service has a binary download): it
sends a multi-MB body in 64 KiB pieces, or cuts one off half-way, or fails once with
503 before answering. uvicorn runs as a task on the test's own event loop, so
flow control between the two ends is real and nothing needs a thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import uvicorn

from resilient_client import (
    BaseServiceClient,
    ClientConfig,
    Operation,
    ResponseSpec,
    RetryConfig,
    StreamInterruptedError,
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


class BlobApp:
    """``/blob``: SIZE bytes; ``/cut``: promises SIZE, sends 1 MiB; ``/flaky``: 503 once."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        path = scope["path"]
        self.requests.append(path)
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

    def get_blob(self, kind: str) -> Any:
        return self._stream(BLOB, path_params={"kind": kind})


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
