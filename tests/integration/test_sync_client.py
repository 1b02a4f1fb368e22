"""The committed sync clients against the fault server on 127.0.0.1, over real sockets.

Plain (not async) tests, as a script or a WSGI app would call the client: no event
loop in the test's thread; the client's own loop runs in its thread. Faults are armed
server-side and both ends are checked, as in ``test_resilience``.
"""

from __future__ import annotations

import signal
import threading
import uuid
from pathlib import Path

import pytest
from metadata_stamping_client import MetadataStampingSyncClient, models
from onextree_client import OnexTreeSyncClient

from fault_server.testing import RunningServer
from resilient_client import (
    BulkheadConfig,
    CircuitState,
    ClientClosedError,
    NotFoundError,
    ServerError,
    correlation_scope,
)

from .conftest import fast_config

pytestmark = pytest.mark.integration

STAMP = "/api/v1/metadata-stamping/stamp"


def test_seed_flow_with_a_retried_fault(stamping_server: RunningServer) -> None:
    with MetadataStampingSyncClient(stamping_server.base_url, config=fast_config()) as client:
        hashed = client.generate_hash(file=b"content to hash", namespace="default")
        stamp = client.create_stamp(content="content to hash", namespace="default")
        assert stamp.file_hash == hashed.file_hash
        stamping_server.stats.wait_idle()  # the stamp's request recorded before the reset
        stamping_server.reset()
        stamping_server.faults.fail_next(2, status=503)
        with correlation_scope("sync-trace-1"):
            row = client.get_stamp(stamp.file_hash)
        assert isinstance(row, models.StampRecord) and row.file_hash == stamp.file_hash
        assert client.metrics().operations["get_stamp"].retries == 2
    stamping_server.stats.wait_idle()
    assert stamping_server.stats.requests == 3
    assert stamping_server.stats.faults_injected == {"status": 2}
    # the caller's correlation scope reached every attempt, from another thread's loop
    assert stamping_server.stats.correlation_ids == ["sync-trace-1"] * 3


def test_typed_errors_and_exhausted_retries(stamping_server: RunningServer) -> None:
    with MetadataStampingSyncClient(stamping_server.base_url, config=fast_config()) as client:
        with pytest.raises(NotFoundError) as missing:
            client.get_stamp("ab" * 32)
        assert missing.value.status == 404 and missing.value.correlation_id
        stamping_server.faults.fail_next(5, status=502)
        with pytest.raises(ServerError) as caught:
            client.get_metrics()
        assert caught.value.status == 502 and caught.value.attempts == 3


def test_a_dropped_idempotent_post_is_retried_with_one_key(
    stamping_server: RunningServer,
) -> None:
    with MetadataStampingSyncClient(stamping_server.base_url, config=fast_config()) as client:
        stamping_server.faults.reset_connections(1, route=STAMP, after_handler=True)
        stamp = client.create_stamp(content="stamp me once", idempotency_key="key-sync-1")
    stamping_server.stats.wait_idle()
    assert stamp.file_hash
    assert stamping_server.stats.requests == 2
    assert stamping_server.stats.side_effects == {"key-sync-1": 1}  # stamped once, replayed


def test_threads_share_one_client_and_its_bulkhead(stamping_server: RunningServer) -> None:
    config = fast_config(bulkhead=BulkheadConfig(max_concurrency=2, acquire_timeout=5.0))
    with MetadataStampingSyncClient(stamping_server.base_url, config=config) as client:
        stamp = client.create_stamp(content="shared")
        stamping_server.stats.wait_idle()
        stamping_server.reset()
        stamping_server.faults.add_latency(0.02)
        found: list[str] = []

        def worker() -> None:
            for _ in range(5):
                found.append(client.get_stamp(stamp.file_hash).file_hash)

        threads = [threading.Thread(target=worker) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert found == [stamp.file_hash] * 30
    stamping_server.stats.wait_idle()
    assert stamping_server.stats.requests == 30
    # six threads, one client: the bulkhead of two held on the wire, and it was used
    assert stamping_server.stats.max_in_flight == 2
    assert client.bulkhead is not None and client.bulkhead.in_flight == 0


def test_ctrl_c_cancels_the_request_on_the_wire(stamping_server: RunningServer) -> None:
    with MetadataStampingSyncClient(stamping_server.base_url, config=fast_config()) as client:
        client.get_metrics()  # the loop and a pooled connection exist
        stamping_server.stats.wait_idle()  # counted out, so in_flight below is the next call
        stamping_server.reset()
        stamping_server.faults.add_latency(3.0, count=1)

        def interrupt() -> None:
            stamping_server.stats.wait_until(
                lambda stats: stats.requests == 1 and stats.in_flight == 1, timeout=10
            )
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

        threading.Thread(target=interrupt, daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            client.get_metrics(timeout=30.0)
        # before the server's answer: it still holds the request, nothing recorded as done
        assert stamping_server.stats.in_flight == 1 and stamping_server.stats.records == []
        # recorded as cancelled, not blamed on the service, and the client still works
        cancelled = client.metrics().operations["get_metrics"]
        assert dict(cancelled.failures_by_kind) == {"cancelled": 1}, (
            cancelled,
            stamping_server.stats.records,
        )
        assert client.circuit_breaker.state is CircuitState.CLOSED
        assert isinstance(client.get_metrics(), models.MetricsData)
    stamping_server.stats.wait_idle(timeout=5)  # the abandoned request, server-side
    with pytest.raises(ClientClosedError):
        client.get_metrics()


def test_onextree_cache_and_health(tree_server: RunningServer, project: Path) -> None:
    with OnexTreeSyncClient(tree_server.base_url, config=fast_config()) as tree:
        generated = tree.generate_tree(project_root=str(project))
        assert generated.total_files >= 5
        first = tree.get_intelligence(context="authentication", correlation_id=uuid.uuid4())
        second = tree.get_intelligence(context="authentication")
        assert second == first
        assert tree.cache_stats().hits == 1
        found = tree.query_files(query=".py", limit=10)
        assert found.count >= 3 and all(f.path.endswith(".py") for f in found.results)
        health = tree.health_check()
        assert health.healthy
    tree_server.stats.wait_idle()
    # generate, one intelligence miss, query, health: the cache hit never left the client
    assert tree_server.stats.requests == 4


@pytest.mark.parametrize("transport", ["aiohttp", "httptools"])
def test_a_fast_transport_runs_on_the_clients_loop(
    stamping_server: RunningServer, transport: str
) -> None:
    """aiohttp's session and the httptools pool belong to the loop they are created
    on: the sync client's."""
    config = fast_config(transport=transport)
    with MetadataStampingSyncClient(stamping_server.base_url, config=config) as client:
        stamp = client.create_stamp(content=f"over {transport}")
        stamping_server.stats.wait_idle()
        stamping_server.reset()
        stamping_server.faults.fail_next(2, status=503)
        row = client.get_stamp(stamp.file_hash)
        assert row.file_hash == stamp.file_hash
        assert client.metrics().operations["get_stamp"].retries == 2
    stamping_server.stats.wait_idle()
    assert stamping_server.stats.requests == 3


def test_the_namespace_listing_walks_every_stamp(stamping_server: RunningServer) -> None:
    with MetadataStampingSyncClient(stamping_server.base_url, config=fast_config()) as client:
        for n in range(5):
            client.create_stamp(content=f"sync paged {n}\n", namespace="sync-paged")
        stamping_server.stats.wait_idle()
        before = stamping_server.stats.requests
        walk = client.list_namespace_stamps_iter("sync-paged", limit=2)
        hashes = [stamp.file_hash for stamp in walk]
        pages = list(client.list_namespace_stamps_iter("sync-paged", limit=2).pages())
    assert len(hashes) == 5 and len(set(hashes)) == 5
    assert [len(page.stamps) for page in pages] == [2, 2, 1, 0]
    stamping_server.stats.wait_idle()
    records = stamping_server.stats.records[before:]
    # pages of 2, 2 and 1, then the empty page that ends an offset walk; twice
    assert len(records) == 8
    assert len({r.correlation_id for r in records[:4]}) == 1  # one id per walk
