"""The committed service clients, driven through respx: the seed's flow on the real API.

These exercise exactly the packages in ``generated/`` (what users import), with HTTP
mocked; ``tests/integration`` drives the same clients against real loopback servers.
"""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
import respx
from metadata_stamping_client import MetadataStampingClient
from metadata_stamping_client.models import (
    CreateStampData,
    GenerateHashData,
    StampOptions,
    StampRecord,
)
from onextree_client import OnexTreeClient
from onextree_client.models import IntelligenceData

from resilient_client import (
    CacheConfig,
    CircuitState,
    ClientConfig,
    EnvelopeError,
    NotFoundError,
    RetryConfig,
)

BASE = "http://stamping.test"
API = f"{BASE}/api/v1/metadata-stamping"
HASH = "ab" * 32
STAMP_ID = str(uuid.uuid4())
OP_ID = str(uuid.uuid4())


def envelope(data: object, status: str = "success") -> dict[str, object]:
    return {"status": status, "data": data, "error": None, "message": None, "metadata": {}}


HASH_DATA = {
    "file_hash": HASH,
    "execution_time_ms": 0.4,
    "file_size_bytes": 15,
    "performance_grade": "A",
}
METRICS = {
    "execution_time_ms": 1.0,
    "file_size_bytes": 15,
    "cpu_usage_percent": 0.5,
    "performance_grade": "A",
}
STAMP_DATA = {
    "success": True,
    "stamp_id": STAMP_ID,
    "file_hash": HASH,
    "stamped_content": "<stamp> content to hash",
    "stamp": "<stamp>",
    "stamp_type": "lightweight",
    "performance_metrics": METRICS,
    "created_at": "2026-11-22T05:00:00Z",
    "op_id": OP_ID,
}
RECORD = {
    "id": STAMP_ID,
    "file_hash": HASH,
    "file_path": "/tmp/x",
    "file_size": 15,
    "stamp_data": {"stamp_type": "lightweight"},
    "protocol_version": "1.0",
    "op_id": OP_ID,
    "namespace": "default",
    "metadata_version": "0.1",
    "created_at": "2026-11-22T05:00:00+00:00",
}
INTELLIGENCE = {
    "intelligence": {
        "analysis_type": "security_analysis",
        "confidence_score": "0.85",
        "recommendations": ["rotate keys"],
    },
    "patterns": ["auth"],
    "relationships": [],
    "metadata": {"analysis_time_ms": 1.5, "tree_loaded": True, "context_analyzed": "auth"},
}


def fast(**overrides: object) -> ClientConfig:
    retry = RetryConfig(max_attempts=3, backoff_base=0.0, backoff_cap=0.0, jitter=False)
    return ClientConfig(retry=retry, **overrides)  # type: ignore[arg-type]


async def test_seed_flow_hash_then_stamp_then_read_back(respx_mock: respx.MockRouter) -> None:
    hash_route = respx_mock.post(f"{API}/hash").respond(200, json=envelope(HASH_DATA))
    stamp_route = respx_mock.post(f"{API}/stamp").respond(200, json=envelope(STAMP_DATA))
    get_route = respx_mock.get(f"{API}/stamp/{HASH}").respond(200, json=envelope(RECORD))

    async with MetadataStampingClient(BASE) as client:
        hashed = await client.generate_hash(file=b"content to hash", namespace="default")
        stamp = await client.create_stamp(content="content to hash", namespace="default")
        row = await client.get_stamp(hashed.file_hash)

    assert isinstance(hashed, GenerateHashData) and hashed.file_hash == HASH
    assert isinstance(stamp, CreateStampData) and str(stamp.stamp_id) == STAMP_ID
    assert isinstance(row, StampRecord) and row.file_size == 15
    upload = hash_route.calls.last.request
    assert upload.headers["content-type"].startswith("multipart/form-data")
    assert b'name="file"' in upload.content and b"content to hash" in upload.content
    assert upload.url.params["namespace"] == "default"
    sent = json.loads(stamp_route.calls.last.request.content)
    assert sent["content"] == "content to hash" and sent["namespace"] == "default"
    # create_stamp is idempotent by content (x-resilience): it carries an Idempotency-Key
    assert stamp_route.calls.last.request.headers["idempotency-key"]
    assert get_route.call_count == 1


async def test_one_correlation_id_on_every_attempt(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(f"{API}/stamp/{HASH}")
    route.side_effect = [
        httpx.Response(503, json={"detail": "busy"}),
        httpx.Response(502, json={"detail": "bad gateway"}),
        httpx.Response(200, json=envelope(RECORD)),
    ]
    cid = uuid.uuid4()
    async with MetadataStampingClient(BASE, config=fast()) as client:
        row = await client.get_stamp(HASH, correlation_id=cid)
    assert row.file_hash == HASH
    seen = [call.request.headers["x-correlation-id"] for call in route.calls]
    assert seen == [str(cid)] * 3


async def test_envelope_error_raises_even_under_http_200(respx_mock: respx.MockRouter) -> None:
    failed = envelope(None, status="error") | {"error": "content rejected", "message": "no"}
    respx_mock.post(f"{API}/stamp").respond(200, json=failed)
    async with MetadataStampingClient(BASE, config=fast()) as client:
        with pytest.raises(EnvelopeError) as caught:
            await client.create_stamp(content="bad")
    error = caught.value
    assert (error.envelope_status, error.error, error.envelope_message) == (
        "error",
        "content rejected",
        "no",
    )
    assert error.operation == "create_stamp" and error.correlation_id
    # one readable line that carries both the message and the error detail
    assert "no - content rejected" in str(error) and "\n" not in str(error)


async def test_unknown_hash_is_not_found_and_leaves_the_breaker_closed(
    respx_mock: respx.MockRouter,
) -> None:
    route = respx_mock.get(f"{API}/stamp/{HASH}").respond(
        404, json={"detail": envelope(None, status="error") | {"error": "Stamp not found"}}
    )
    async with MetadataStampingClient(BASE, config=fast()) as client:
        for _ in range(8):  # more than the breaker's failure threshold
            with pytest.raises(NotFoundError):
                await client.get_stamp(HASH)
        assert client.circuit_breaker.state is CircuitState.CLOSED
    assert route.call_count == 8  # a 404 is never retried


async def test_intelligence_twice_hits_the_network_once(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post("http://tree.test/intelligence").respond(
        200, json=envelope(INTELLIGENCE)
    )
    async with OnexTreeClient("http://tree.test") as tree:
        first = await tree.get_intelligence(context="auth")
        second = await tree.get_intelligence(context="auth")
        stats = tree.cache_stats()
        refreshed = await tree.get_intelligence(context="auth", use_cache=False)
    assert isinstance(first, IntelligenceData)
    assert first.intelligence.confidence_score == "0.85"
    assert second == first == refreshed
    assert (stats.size, stats.hits, stats.misses) == (1, 1, 1)
    assert route.call_count == 2  # the refresh, and only the refresh, went out again


async def test_the_specs_per_operation_cache_bound_reaches_the_client(
    respx_mock: respx.MockRouter,
) -> None:
    # onextree.yaml: get_intelligence has x-resilience cache {ttl: 300, max_entries: 1000}
    respx_mock.post("http://tree.test/intelligence").respond(200, json=envelope(INTELLIGENCE))
    config = ClientConfig(cache=CacheConfig(max_entries=5000))
    async with OnexTreeClient("http://tree.test", config=config) as tree:
        for index in range(1001):
            await tree.get_intelligence(context=f"question {index}")
        stats = tree.cache_stats()
    assert (stats.size, stats.misses, stats.evictions) == (1000, 1001, 1)


async def test_only_the_fields_the_caller_named_go_on_the_wire(
    respx_mock: respx.MockRouter,
) -> None:
    """The committed client sends no spec default the caller did not name: create_stamp
    documents protocol_version "1.0", namespace "omninode.services.metadata", version 1
    and metadata_version "0.1", and the server applies them itself."""
    route = respx_mock.post(f"{API}/stamp").respond(200, json=envelope(STAMP_DATA))
    async with MetadataStampingClient(BASE) as client:
        assert "(server default: 1)" in (client.create_stamp.__doc__ or "")
        await client.create_stamp(content="c")
        assert json.loads(route.calls.last.request.content) == {"content": "c"}
        # namespace is nullable: None is sent as null, to clear it
        await client.create_stamp(content="c", namespace=None, version=2)
        assert json.loads(route.calls.last.request.content) == {
            "content": "c",
            "namespace": None,
            "version": 2,
        }
        # a model argument sends only the fields that were set on it
        await client.create_stamp(content="c", options=StampOptions(include_metadata=False))
        sent = json.loads(route.calls.last.request.content)
        assert sent == {"content": "c", "options": {"include_metadata": False}}


async def test_query_defaults_are_not_sent_either(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(f"{API}/hash").respond(200, json=envelope(HASH_DATA))
    async with MetadataStampingClient(BASE) as client:
        await client.generate_hash(file=b"x")
    assert "namespace" not in route.calls.last.request.url.params
