"""The committed sync clients (``<Name>SyncClient``), driven through respx.

Every kind of method: a multipart upload, a flattened JSON body, a path parameter with a
query, a cacheable call with ``use_cache``, an envelope error, retries, ``health_check``,
``with_raw_response``, fallbacks; and the package's typed mocks, which are respx too and
so answer the sync client's loop thread as well. Plain (not async) tests: a sync client
is what code without an event loop uses.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
import respx
from metadata_stamping_client import MetadataStampingClient, MetadataStampingSyncClient
from metadata_stamping_client.models import CreateStampData, GenerateHashData, StampRecord
from metadata_stamping_client.testing import MockMetadataStampingClient
from onextree_client import OnexTreeSyncClient
from onextree_client.models import IntelligenceData
from test_generated_clients_respx import (
    API,
    BASE,
    HASH,
    HASH_DATA,
    INTELLIGENCE,
    RECORD,
    STAMP_DATA,
    envelope,
    fast,
)
from test_generated_mocks import STAMP

from resilient_client import (
    CircuitState,
    ClientClosedError,
    EnvelopeError,
    HealthStatus,
    NotFoundError,
    ServerError,
    TransportError,
    correlation_scope,
)


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        yield mock


def test_seed_flow_hash_then_stamp_then_read_back(router: respx.MockRouter) -> None:
    hash_route = router.post(f"{API}/hash").respond(200, json=envelope(HASH_DATA))
    stamp_route = router.post(f"{API}/stamp").respond(200, json=envelope(STAMP_DATA))
    get_route = router.get(f"{API}/stamp/{HASH}").respond(200, json=envelope(RECORD))

    with MetadataStampingSyncClient(BASE) as client:
        hashed = client.generate_hash(file=b"content to hash", namespace="default")
        stamp = client.create_stamp(content="content to hash", namespace="default")
        row = client.get_stamp(hashed.file_hash, namespace="default")

    assert isinstance(hashed, GenerateHashData) and hashed.file_hash == HASH
    assert isinstance(stamp, CreateStampData) and str(stamp.stamp_id) == STAMP_DATA["stamp_id"]
    assert isinstance(row, StampRecord) and row.file_size == 15
    upload = hash_route.calls.last.request
    assert upload.headers["content-type"].startswith("multipart/form-data")
    assert b"content to hash" in upload.content
    sent = json.loads(stamp_route.calls.last.request.content)
    assert sent == {"content": "content to hash", "namespace": "default"}  # only what was named
    assert stamp_route.calls.last.request.headers["idempotency-key"]
    assert get_route.calls.last.request.url.params["namespace"] == "default"


def test_retries_keep_one_correlation_id_from_the_callers_scope(
    router: respx.MockRouter,
) -> None:
    route = router.get(f"{API}/stamp/{HASH}")
    route.side_effect = [
        httpx.Response(503, json={"detail": "busy"}),
        httpx.Response(200, json=envelope(RECORD)),
    ]
    with MetadataStampingSyncClient(BASE, config=fast()) as client, correlation_scope("cid-1"):
        assert client.get_stamp(HASH).file_hash == HASH
    assert [c.request.headers["x-correlation-id"] for c in route.calls] == ["cid-1"] * 2


def test_typed_errors_and_the_breaker(router: respx.MockRouter) -> None:
    router.get(f"{API}/stamp/{HASH}").respond(404, json={"detail": "Stamp not found"})
    failed = envelope(None, status="error") | {"error": "content rejected", "message": "no"}
    router.post(f"{API}/stamp").respond(200, json=failed)
    with MetadataStampingSyncClient(BASE, config=fast()) as client:
        for _ in range(3):
            with pytest.raises(NotFoundError) as info:
                client.get_stamp(HASH)
        assert info.value.status == 404 and info.value.operation == "get_stamp"
        with pytest.raises(EnvelopeError) as caught:
            client.create_stamp(content="bad")
        assert caught.value.error == "content rejected"
        assert client.circuit_breaker.state is CircuitState.CLOSED


def test_cache_use_cache_and_raw_response(router: respx.MockRouter) -> None:
    route = router.post("http://tree.test/intelligence").respond(
        200, json=envelope(INTELLIGENCE), headers={"etag": '"v1"'}
    )
    with OnexTreeSyncClient("http://tree.test") as tree:
        first = tree.get_intelligence(context="auth")
        second = tree.get_intelligence(context="auth")
        stats = tree.cache_stats()
        tree.get_intelligence(context="auth", use_cache=False)
        raw = tree.with_raw_response(tree.get_intelligence, context="auth")
    assert isinstance(first, IntelligenceData) and second == first
    assert (stats.hits, stats.misses) == (1, 1)
    assert route.call_count == 3  # the refresh and the raw call went out
    assert raw.parsed == first and raw.status_code == 200 and raw.headers["etag"] == '"v1"'


def test_health_check_and_a_fallback(router: respx.MockRouter) -> None:
    router.get("http://tree.test/health").respond(503, json={"detail": "down"})
    router.post("http://tree.test/query").mock(side_effect=httpx.ConnectError("refused"))
    with OnexTreeSyncClient("http://tree.test", config=fast()) as tree:
        health = tree.health_check()
        with pytest.raises(TransportError):
            tree.query_files(query=".py")
        degraded = object()
        tree.set_fallback("query_files", lambda error, call: degraded)
        assert tree.query_files(query=".py") is degraded
    assert isinstance(health, HealthStatus) and not health.healthy and health.http_status == 503


def test_the_typed_mocks_answer_the_sync_client() -> None:
    with MockMetadataStampingClient() as mock:
        mock.create_stamp.fails(503, times=2).returns(STAMP)
        with MetadataStampingSyncClient(config=fast()) as client:
            stamp = client.create_stamp(content="c")
        mock.get_stamp.fails(500)
        with MetadataStampingSyncClient(config=fast()) as client, pytest.raises(ServerError):
            client.get_stamp(HASH)
    assert stamp == STAMP and mock.create_stamp.call_count == 3
    assert mock.get_stamp.call_count == 3


def test_sync_and_async_clients_share_nothing_but_their_code(router: respx.MockRouter) -> None:
    router.get(f"{API}/stamp/{HASH}").respond(200, json=envelope(RECORD))
    client = MetadataStampingSyncClient(BASE)
    assert isinstance(client._async, MetadataStampingClient)
    assert MetadataStampingSyncClient.default_base_url == MetadataStampingClient.default_base_url
    assert client.get_stamp(HASH, correlation_id=uuid.uuid4()).file_hash == HASH
    assert client.metrics().operations["get_stamp"].calls == 1
    assert repr(client) == f"MetadataStampingSyncClient(base_url={BASE!r})"
    client.close()
    with pytest.raises(ClientClosedError):
        client.get_stamp(HASH)
