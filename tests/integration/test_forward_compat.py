"""The committed clients against their services' *next* release, over real sockets.

A small server on 127.0.0.1 answers the way a newer MetadataStamping and OnexTree
might: a stamp type the spec does not list yet (``StampType`` is a named enum), a
health status it does not list (``HealthData.status`` is an inline ``Literal``), fields
nobody has heard of, and an optional field left out. The clients in ``generated/`` must
decode all of it and keep the new values; with ``strict_responses`` they refuse.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from metadata_stamping_client import MetadataStampingClient
from metadata_stamping_client.models import StampType
from onextree_client import OnexTreeClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from resilient_client import ClientConfig, ResponseValidationError

pytestmark = pytest.mark.integration

STAMP = {
    "success": True,
    "file_hash": "ab" * 32,
    "stamped_content": "<stamp> c",
    "stamp": "<stamp>",
    "stamp_type": "quantum",  # new in the next release
    "performance_metrics": {
        "execution_time_ms": 1.0,
        "file_size_bytes": 1,
        "cpu_usage_percent": 0.1,
        "performance_grade": "A",
        "gpu_ms": 0.2,  # new field
    },
    "signature_v2": "sig",  # new field; stamp_id, created_at, op_id left out
}


async def _stamp(request: Request) -> JSONResponse:
    body = await request.json()
    return JSONResponse(
        {"status": "success", "data": {**STAMP, "echo": body}, "error": None, "message": None}
    )


async def _health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "starting", "tree_loaded": False, "total_files": 0, "shard": 2})


APP = Starlette(
    routes=[
        Route("/api/v1/metadata-stamping/stamp", _stamp, methods=["POST"]),
        Route("/health", _health),
    ]
)


@pytest.fixture(scope="module")
def next_release() -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(APP, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


async def test_committed_clients_decode_the_next_release(next_release: str) -> None:
    async with MetadataStampingClient(next_release) as stamping:
        stamp = await stamping.create_stamp(content="c")
    assert isinstance(stamp.stamp_type, StampType) and stamp.stamp_type == "quantum"
    assert not StampType.is_known(stamp.stamp_type)
    assert stamp.stamp_id is None and stamp.model_extra is not None
    assert stamp.model_extra["signature_v2"] == "sig"
    assert stamp.performance_metrics.model_extra == {"gpu_ms": 0.2}

    async with OnexTreeClient(next_release) as tree:
        health = await tree.health()
    assert health.status == "starting" and health.model_extra == {"shard": 2}


async def test_strict_responses_refuses_the_next_release(next_release: str) -> None:
    strict = ClientConfig(strict_responses=True)
    async with MetadataStampingClient(next_release, config=strict) as stamping:
        with pytest.raises(ResponseValidationError):
            await stamping.create_stamp(content="c")
    async with OnexTreeClient(next_release, config=strict) as tree:
        with pytest.raises(ResponseValidationError):
            await tree.health()
