"""``<name>_stream``: emitted for binary downloads only, typed, and wired to ``_stream``."""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from _gen import generate, render_files

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = "blobstore_client"


def blob_spec() -> dict[str, Any]:
    binary = {"schema": {"type": "string", "format": "binary"}}
    error = {"content": {"application/json": {"schema": {"type": "object"}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Blob Store", "version": "1"},
        "servers": [{"url": "http://blobs.test"}],
        "paths": {
            "/blobs/{blob_id}": {
                "get": {
                    "operationId": "get_blob",
                    "summary": "Download a blob.",
                    "parameters": [
                        {"name": "blob_id", "in": "path", "required": True,
                         "schema": {"type": "string"}},
                        {"name": "version", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {"description": "ok",
                                "content": {"application/octet-stream": binary}},
                        "404": {"description": "missing", **error},
                    },
                }
            },
            "/thumbnails/{blob_id}": {
                "get": {
                    "operationId": "get_thumbnail",
                    "x-resilience": {"cache": {"ttl": 60}},
                    "parameters": [
                        {"name": "blob_id", "in": "path", "required": True,
                         "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {"description": "ok", "content": {"image/png": binary}},
                    },
                }
            },
            # a name the twin of get_thumbnail would take: the twin must step aside
            "/thumbnails/{blob_id}/stream": {
                "get": {
                    "operationId": "get_thumbnail_stream",
                    "parameters": [
                        {"name": "blob_id", "in": "path", "required": True,
                         "schema": {"type": "string"}},
                    ],
                    "responses": {"200": {"description": "ok", **error}},
                }
            },
            "/blobs": {
                "get": {
                    "operationId": "list_blobs",
                    "responses": {
                        "200": {"description": "ok", **error},
                        # a binary error page is not a download
                        "default": {"description": "err",
                                    "content": {"application/octet-stream": binary}},
                    },
                }
            },
        },
    }  # fmt: skip


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("stream_gen")
    generate(blob_spec(), out, PACKAGE)
    sys.path.insert(0, str(out))
    try:
        yield out
    finally:
        sys.path.remove(str(out))
        for mod in [m for m in sys.modules if m.startswith(PACKAGE)]:
            del sys.modules[mod]


def test_stream_twin_only_for_binary_success_bodies() -> None:
    files, _ = render_files(blob_spec(), package=PACKAGE)
    client = files["_client.py"]
    assert "def get_blob_stream(" in client
    assert "def get_thumbnail_stream2(" in client  # get_thumbnail_stream is an operation
    assert "def list_blobs_stream" not in client
    assert client.count(") -> StreamContext:") == 2
    assert "StreamContext" in client.split("\nclass ", 1)[0]  # imported from the runtime


def test_stream_method_mirrors_the_download_method(generated: Path) -> None:
    module = importlib.import_module(PACKAGE)
    cls = module.BlobStoreClient
    plain = inspect.signature(cls.get_blob)
    twin = inspect.signature(cls.get_blob_stream)
    assert list(twin.parameters) == list(plain.parameters)
    assert "save_to" in (cls.get_blob_stream.__doc__ or "")
    assert "GET /blobs/{blob_id}" in (cls.get_blob_stream.__doc__ or "")
    # the runtime never caches a stream, so the twin has no use_cache switch
    assert "use_cache" in inspect.signature(cls.get_thumbnail).parameters
    assert "use_cache" not in inspect.signature(cls.get_thumbnail_stream2).parameters
    assert not inspect.iscoroutinefunction(cls.get_blob_stream)


async def test_stream_method_streams_the_body(generated: Path, tmp_path: Path) -> None:
    module = importlib.import_module(PACKAGE)
    body = bytes(range(256)) * 4096  # 1 MiB
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=body, headers={"content-type": "image/png"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with module.BlobStoreClient(http_client=http) as client:
        async with client.get_blob_stream("b 1", version=3) as response:
            assert response.content_type == "image/png"
            written = await response.save_to(tmp_path / "blob.bin")
        async with client.get_thumbnail_stream2("b1") as response:
            chunks = [chunk async for chunk in response.iter_bytes(chunk_size=100_000)]
    assert written == len(body) and (tmp_path / "blob.bin").read_bytes() == body
    assert b"".join(chunks) == body and max(map(len, chunks)) == 100_000
    assert str(seen[0].url) == "http://blobs.test/blobs/b%201?version=3"
    assert seen[1].url.path == "/thumbnails/b1"


USAGE = """
from pathlib import Path

from blobstore_client import BlobStoreClient


async def download(client: BlobStoreClient, target: Path) -> int:
    async with client.get_blob_stream("b1", version=2) as response:
        status: int = response.status_code
        async for chunk in response.iter_bytes():
            data: bytes = chunk
        return await response.save_to(target) + status


async def wrong(client: BlobStoreClient) -> None:
    async with client.get_blob_stream("b1") as response:
        text: str = response.bytes_received
"""


@pytest.mark.slow
def test_stream_method_passes_mypy_strict_and_constrains_callers(generated: Path) -> None:
    (generated / "usage_stream.py").write_text(USAGE)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(generated / ".mypy_cache"), "--no-error-summary",
         PACKAGE, "usage_stream.py"],
        cwd=generated,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": f"{generated}{os.pathsep}{ROOT}"},
    )  # fmt: skip
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    # exactly the deliberate mistake: an int assigned to a str
    assert len(errors) == 1, result.stdout[-4000:] + result.stderr[-2000:]
    assert "usage_stream.py:17" in errors[0] and "int" in errors[0]
