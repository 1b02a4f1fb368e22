"""``<pkg>.testing``: typed mocks of the committed clients, for users' own tests.

The user's code under test keeps using the real client; the mock stands in for the
server, by operation name and with the operation's models, no URL written anywhere.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest
from metadata_stamping_client import MetadataStampingClient
from metadata_stamping_client.models import (
    CreateStampData,
    NamespaceStamp,
    NamespaceStampsData,
    PerformanceMetrics,
    StampType,
)
from metadata_stamping_client.testing import MockMetadataStampingClient
from onextree_client import OnexTreeClient
from onextree_client.models import HealthData
from onextree_client.testing import MockOnexTreeClient

from resilient_client import ClientConfig, RetryConfig, ServerError

STAMP = CreateStampData(
    success=True,
    stamp_id=uuid.uuid4(),
    file_hash="ab" * 32,
    stamped_content="<stamp> c",
    stamp="<stamp>",
    stamp_type=StampType.LIGHTWEIGHT,
    performance_metrics=PerformanceMetrics(
        execution_time_ms=1.0, file_size_bytes=1, cpu_usage_percent=0.1, performance_grade="A"
    ),
)
FAST = ClientConfig(retry=RetryConfig(max_attempts=3, backoff_base=0.0, backoff_cap=0.0))


async def stamp_twice(client: MetadataStampingClient) -> list[str]:
    """Stands for a team's own code: it knows the client, not the URLs."""
    return [str((await client.create_stamp(content=c)).stamp_id) for c in ("a", "b")]


async def test_a_mocked_operation_answers_the_real_client_with_its_model() -> None:
    with MockMetadataStampingClient() as mock:
        mock.create_stamp.returns(STAMP)
        async with MetadataStampingClient(config=FAST) as client:
            ids = await stamp_twice(client)
    assert ids == [str(STAMP.stamp_id)] * 2
    assert mock.create_stamp.call_count == 2
    assert [r.url.path for r in mock.create_stamp.calls] == ["/api/v1/metadata-stamping/stamp"] * 2
    assert isinstance(mock.create_stamp.calls[0], httpx.Request)


async def test_failures_first_then_the_answer_and_retries_apply() -> None:
    with MockMetadataStampingClient() as mock:
        mock.create_stamp.fails(503, times=2).returns(STAMP)
        async with MetadataStampingClient(config=FAST) as client:
            stamp = await client.create_stamp(content="c")
    assert stamp == STAMP and mock.create_stamp.call_count == 3


async def test_a_failure_without_times_fails_every_call() -> None:
    with MockOnexTreeClient("http://tree.test") as mock:
        mock.health.fails(500, json={"detail": "down"})
        async with OnexTreeClient("http://tree.test", config=FAST) as client:
            with pytest.raises(ServerError, match="down"):
                await client.health()
    assert mock.health.call_count == 3


async def test_an_operation_without_an_answer_says_so() -> None:
    with MockOnexTreeClient() as mock:
        mock.health.returns(HealthData(status="healthy", tree_loaded=True, total_files=3))
        stats = mock.get_stats  # mocked, but told nothing
        async with OnexTreeClient() as client:
            assert (await client.health()).total_files == 3
            with pytest.raises(AssertionError, match=r"get_stats was called .* no answer"):
                await client.get_stats()
            with pytest.raises(AssertionError, match="not mocked"):  # never mocked at all
                await client.get_root()
    assert stats.call_count == 1


async def test_path_parameters_match_any_value_and_envelopes_are_wrapped() -> None:
    from metadata_stamping_client.models import StampRecord

    record = StampRecord.model_validate(
        {"id": str(uuid.uuid4()), "file_hash": "cd" * 32, "file_path": "/x", "file_size": 2,
         "stamp_data": {}, "protocol_version": "1.0", "op_id": str(uuid.uuid4()),
         "namespace": "n", "metadata_version": "0.1", "created_at": "2026-12-04T00:00:00Z"}
    )  # fmt: skip
    with MockMetadataStampingClient() as mock:
        mock.get_stamp.returns(record)
        async with MetadataStampingClient() as client:
            assert await client.get_stamp("cd" * 32) == record
            assert await client.get_stamp("ef" * 32) == record
    sent = mock.get_stamp.calls[-1]
    assert sent.url.path.endswith("/stamp/" + "ef" * 32)


async def test_returns_pages_answers_a_walk_of_an_iter_method() -> None:
    def page(*hashes: str) -> NamespaceStampsData:
        stamps = [
            NamespaceStamp(
                stamp_id=uuid.uuid4(),
                file_hash=h,
                file_path=f"/{h}",
                stamp_type="lightweight",
                created_at=datetime.now(UTC),
                op_id=uuid.uuid4(),
            )
            for h in hashes
        ]
        return NamespaceStampsData(namespace="n", total_stamps=3, stamps=stamps)

    with MockMetadataStampingClient() as mock:
        mock.list_namespace_stamps.returns_pages(page("a", "b"), page("c"), page())
        async with MetadataStampingClient(config=FAST) as client:
            found = [s.file_hash async for s in client.list_namespace_stamps_iter("n", limit=2)]
    assert found == ["a", "b", "c"]
    offsets = [r.url.params.get("offset") for r in mock.list_namespace_stamps.calls]
    assert offsets == [None, "2", "3"]
