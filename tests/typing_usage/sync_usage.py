"""The blocking clients (``<Name>SyncClient``), called the way a script would."""

from __future__ import annotations

from pathlib import Path

from metadata_stamping_client import MetadataStampingSyncClient
from metadata_stamping_client.models import CreateStampData, StampRecord
from onextree_client import OnexTreeSyncClient
from onextree_client.models import IntelligenceData
from petstore_expanded_client import NewPet, Pet, SwaggerPetstoreSyncClient
from security_examples_client import APISyncClient

from resilient_client import BearerAuth, CircuitState, HealthStatus, RawResponse, correlation_scope


def expanded(client: SwaggerPetstoreSyncClient) -> list[str]:
    pets: list[Pet] = client.find_pets(tags=["dog"], limit=10)
    raw: RawResponse[list[Pet]] = client.with_raw_response(client.find_pets, limit=1)
    created: Pet = client.add_pet(name="Rex", tag="dog", idempotency_key="k")
    found: Pet = client.find_pet_by_id(created.id, correlation_id="abc", timeout=2.0)
    client.delete_pet(found.id, max_attempts=1, extra_headers={"X": "1"})
    new: NewPet = found
    return [p.name for p in pets + raw.parsed] + [new.name]


def services(target: Path) -> int:
    with MetadataStampingSyncClient("http://localhost:8053") as stamping:
        stamp: CreateStampData = stamping.create_stamp(content="c", namespace=None)
        with correlation_scope("trace"):
            row: StampRecord = stamping.get_stamp(stamp.file_hash)
        health: HealthStatus = stamping.health_check()
        state: CircuitState = stamping.circuit_breaker.state
    with OnexTreeSyncClient(auth=APISyncClient.auth_jwt_bearer("t")) as tree:
        intelligence: IntelligenceData = tree.get_intelligence(context="x", use_cache=False)
        calls: int = tree.metrics().total.calls
        tree.set_fallback("get_intelligence", lambda error, call: intelligence)
    token: BearerAuth = APISyncClient.auth_jwt_bearer("t")
    assert health.healthy and state and token and row.file_size
    return calls + len(intelligence.patterns) + tree.cache_stats().hits + target.stat().st_size
