"""Every operation of the two services' exported (FastAPI) specs."""

from __future__ import annotations

from typing import Any

from metadata_stamping_export_client import MetadataStampingClient
from onextree_export_client import OnexTreeClient
from onextree_export_client.models import UnifiedResponse

from resilient_client import NOT_GIVEN


async def onextree(client: OnexTreeClient) -> UnifiedResponse:
    await client.root()
    health: Any = await client.health()
    assert health is not None
    await client.get_intelligence(context="ctx", include_patterns=False)
    await client.generate_tree(project_root="/srv")
    await client.query_files(query="*.py", query_type="extension", limit=5)
    return await client.get_stats()


async def stamping(client: MetadataStampingClient) -> None:
    await client.create_metadata_stamp(content="hello", namespace="ns", metadata={"k": 1})
    # nullable fields take None (sent as null) or NOT_GIVEN (not sent), like any omission
    await client.create_metadata_stamp(content="hello", namespace=None, metadata=NOT_GIVEN)
    await client.validate_stamps(content="hello")
    await client.generate_file_hash(file=b"bytes", namespace="ns")
    await client.get_metadata_stamp("ab" * 32, namespace="ns")
    await client.batch_stamp_operations(items=[{"content": "x"}], protocol_version="1.0")
    await client.validate_protocol_compliance(content="x", validation_level="lenient")
    await client.query_namespace_stamps("ns", limit=10, offset=0)
    await client.liveness_check()
    await client.readiness_check()
    await client.health_check_()  # renamed: BaseServiceClient.health_check exists
    await client.get_metrics(namespace="ns")
    await client.transformer_stamp_content(content="x", file_size=3, stamp_type="rich")
    await client.transformer_validate_content(content="x", expected_hash="h")
    await client.list_transformers()
    await client.list_schemas()
    await client.registry_health()
    await client.discover_service("svc")
    await client.list_registered_services()
    await client.root()
    await client.simple_health()
