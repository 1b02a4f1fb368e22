"""Every operation of both generated clients, once each, against the fakes over real sockets.

A typed result is the product's promise: each call must come back as the model the
spec declares (not a dict), with the values the fake really sent. The tests also check
that they called every operation the generated class offers, so an operation added to
a spec without an integration call here fails instead of going untested.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from metadata_stamping_client import MetadataStampingClient, models
from onextree_client import OnexTreeClient
from onextree_client import models as tree_models

from fault_server.testing import RunningServer
from resilient_client import BaseServiceClient, EnvelopeError

from .conftest import fast_config

pytestmark = pytest.mark.integration

HEX64 = "0123456789abcdef" * 4


def _operations(cls: type[BaseServiceClient]) -> set[str]:
    """The public async methods the generator wrote on ``cls`` (inherited ones excluded)."""
    return {
        name
        for name, member in vars(cls).items()
        if not name.startswith("_") and inspect.iscoroutinefunction(member)
    }


class Recorder:
    """Remembers which operations a test called, to compare with what the class offers."""

    def __init__(self) -> None:
        self.called: set[str] = set()

    def __call__(self, name: str) -> str:
        self.called.add(name)
        return name


@pytest.mark.parametrize("transport", ["httpx", "aiohttp", "httptools"])
async def test_every_metadata_stamping_operation_returns_its_typed_model(
    make_stamping: Callable[..., MetadataStampingClient],
    stamping_server: RunningServer,
    transport: str,
) -> None:
    client = make_stamping(fast_config(transport=transport))
    op = Recorder()
    content = "integration content\n"

    op("generate_hash")
    hashed = await client.generate_hash(file=content.encode(), namespace="it")
    assert isinstance(hashed, models.GenerateHashData)
    assert len(hashed.file_hash) == 64 and hashed.file_size_bytes == len(content.encode())

    op("create_stamp")
    stamp = await client.create_stamp(content=content, namespace="it", file_path="/it/a.txt")
    assert isinstance(stamp, models.CreateStampData)
    assert stamp.success and stamp.file_hash == hashed.file_hash
    assert stamp.performance_metrics.execution_time_ms >= 0

    op("get_stamp")
    row = await client.get_stamp(stamp.file_hash, namespace="it")
    assert isinstance(row, models.StampRecord)
    assert row.file_hash == stamp.file_hash and row.namespace == "it"
    assert row.file_size == len(content.encode())

    op("validate_stamp")
    valid = await client.validate_stamp(content=stamp.stamped_content)
    assert isinstance(valid, models.ValidateStampData)
    assert valid.is_valid and valid.stamps_found == 1
    assert all(isinstance(d, models.ValidationDetail) for d in valid.validation_details)

    op("batch_create_stamps")
    batch = await client.batch_create_stamps(
        items=[
            models.BatchStampItem(id="one", content="batch one"),
            models.BatchStampItem(id="two", content="batch two"),
        ],
        namespace="it",
    )
    assert isinstance(batch, models.BatchStampData)
    assert (batch.total_items, batch.successful_items, batch.failed_items) == (2, 2, 0)
    assert [r.id for r in batch.results] == ["one", "two"]

    op("validate_protocol")
    protocol = await client.validate_protocol(content=stamp.stamped_content)
    assert isinstance(protocol, models.ProtocolValidationData)
    assert isinstance(protocol.validation_result, models.ProtocolValidationResult)
    assert protocol.validation_result.is_valid

    op("list_namespace_stamps")
    page = await client.list_namespace_stamps("it", limit=2, offset=0)
    assert isinstance(page, models.NamespaceStampsData)
    assert page.total_stamps == 3 and len(page.stamps) == 2
    assert page.pagination is not None and page.pagination.has_more

    op("health_live")
    live = await client.health_live()
    assert isinstance(live, models.LivenessData) and live.status == "alive"

    op("health_ready")
    ready = await client.health_ready()
    assert isinstance(ready, models.ReadinessData) and ready.overall_ready is True

    op("health")
    health = await client.health()
    assert isinstance(health, models.HealthData)
    assert health.status == models.HealthStatus.HEALTHY
    assert all(isinstance(c, models.ComponentHealth) for c in health.components.values())

    op("get_metrics")
    metrics = await client.get_metrics()
    assert isinstance(metrics, models.MetricsData)
    assert metrics.database["total_stamps"] == 3

    op("transform_stamp")
    transformed = await client.transform_stamp(content="to transform")
    assert isinstance(transformed, dict) and len(transformed["file_hash"]) == 64

    op("transform_validate")
    checked = await client.transform_validate(content="to transform")
    assert isinstance(checked, dict) and checked["stamps_found"] == 0
    # The transform routes answer HTTP 200 with envelope status "error" on a failed check;
    # the client must raise it as a typed error rather than return data.
    with pytest.raises(EnvelopeError):
        await client.transform_validate(content="to transform", expected_hash=HEX64)

    op("list_transformers")
    transformers = await client.list_transformers()
    assert {t["name"] for t in transformers["transformers"]} == {"stamping", "validation"}

    op("list_schemas")
    schemas = await client.list_schemas()
    assert "StampingInput" in schemas["schemas"]

    op("registry_health")
    assert (await client.registry_health())["status"] == "healthy"

    op("discover_service")
    assert (await client.discover_service("metadata-stamping"))["found"] is True

    op("list_services")
    assert (await client.list_services())["services"] == ["metadata-stamping"]

    op("get_root")
    root = await client.get_root()
    assert isinstance(root, models.ServiceInfo) and root.status == "running"

    op("simple_health")
    simple = await client.simple_health()
    assert isinstance(simple, models.SimpleHealth) and simple.status == "ok"

    assert op.called == _operations(MetadataStampingClient)
    # One request per call (plus the one EnvelopeError call): no hidden retries.
    assert stamping_server.stats.requests == len(op.called) + 1


@pytest.mark.parametrize("transport", ["httpx", "aiohttp", "httptools"])
async def test_every_onextree_operation_returns_its_typed_model(
    make_tree: Callable[..., OnexTreeClient],
    tree_server: RunningServer,
    project: Path,
    transport: str,
) -> None:
    client = make_tree(fast_config(transport=transport))
    op = Recorder()

    op("get_root")
    root = await client.get_root()
    assert isinstance(root, tree_models.ServiceInfo) and root.status == "ready"

    op("health")
    health = await client.health()
    assert isinstance(health, tree_models.HealthData)
    assert health.tree_loaded and health.total_files == 5

    op("get_intelligence")
    intel = await client.get_intelligence(context="authentication patterns")
    assert isinstance(intel, tree_models.IntelligenceData)
    assert isinstance(intel.intelligence, tree_models.Intelligence)
    assert intel.metadata.context_analyzed == "authentication patterns"

    op("generate_tree")
    generated = await client.generate_tree(project_root=str(project))
    assert isinstance(generated, tree_models.GenerateTreeData)
    assert generated.success and generated.total_files == 5

    op("query_files")
    found = await client.query_files(query=".py", query_type=tree_models.QueryType.EXTENSION)
    assert isinstance(found, tree_models.QueryFilesData)
    assert found.query_type == tree_models.QueryType.EXTENSION
    assert found.count == 4 and all(isinstance(f, tree_models.FileInfo) for f in found.results)

    op("get_stats")
    stats = await client.get_stats()
    assert isinstance(stats, tree_models.StatsData)
    assert stats.tree_loaded and stats.statistics is not None

    assert op.called == _operations(OnexTreeClient)
    assert tree_server.stats.requests == len(op.called)


def test_operations_are_discovered_from_the_generated_classes() -> None:
    # Guards the guard: an empty discovery would make the equality checks above vacuous.
    stamping: set[Any] = _operations(MetadataStampingClient)
    assert {"create_stamp", "get_stamp", "generate_hash", "health"} <= stamping
    assert {"get_intelligence", "generate_tree", "query_files"} <= _operations(OnexTreeClient)
