"""The README's usage, end to end: what a user of both generated clients does first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from metadata_stamping_client import MetadataStampingClient, models
from onextree_client import OnexTreeClient
from onextree_client import models as tree_models

from fault_server.testing import RunningServer, start_server
from resilient_client import (
    CallInfo,
    CircuitBreakerConfig,
    CircuitOpenError,
    CircuitState,
    ClientError,
    NotFoundError,
    RetryConfig,
    TransportError,
)

from .conftest import fast_config

pytestmark = pytest.mark.integration


def degraded_intelligence(error: ClientError, call: CallInfo) -> tree_models.IntelligenceData:
    """What the hand-written OnexTree client answered when the service was out."""
    context = call.json["context"] if isinstance(call.json, dict) else ""
    return tree_models.IntelligenceData(
        intelligence=tree_models.Intelligence(
            analysis_type="error_fallback", confidence_score="0.0", recommendations=[]
        ),
        patterns=[],
        relationships=[],
        metadata=tree_models.IntelligenceMetadata(
            analysis_time_ms=0.0, context_analyzed=context, error=type(error).__name__
        ),
    )


async def test_hash_stamp_then_read_back_the_stored_stamp(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    data = b"content to hash"
    stamping = make_stamping()

    hashed = await stamping.generate_hash(file=data, namespace="default")
    stamp = await stamping.create_stamp(content=data.decode(), namespace="default")
    row = await stamping.get_stamp(stamp.file_hash)

    assert isinstance(row, models.StampRecord)  # a typed model, not a dict
    assert hashed.file_hash == stamp.file_hash == row.file_hash
    assert str(row.id) == str(stamp.stamp_id) and row.namespace == "default"
    assert stamping_server.service_state.stamps_created == 1


async def test_intelligence_twice_hits_the_server_once_and_the_stats_say_so(
    make_tree: Callable[..., OnexTreeClient], tree_server: RunningServer
) -> None:
    tree = make_tree()

    first = await tree.get_intelligence(context="authentication patterns")
    again = await tree.get_intelligence(context="authentication patterns")  # from cache

    assert again == first
    await tree_server.wait_idle()
    assert tree_server.stats.requests_to("/intelligence") == 1
    stats = tree.cache_stats()
    assert (stats.size, stats.hits, stats.misses, stats.evictions) == (1, 1, 1, 0)
    assert stats.hit_rate == pytest.approx(0.5)
    assert tree.circuit_breaker.state is CircuitState.CLOSED
    snapshot = tree.metrics()
    assert snapshot.total.calls == 2


async def test_fallback_answers_degraded_intelligence_when_the_server_is_down(
    project: Path,
) -> None:
    srv = start_server("onextree", tree_root=str(project))
    config = fast_config(
        retry=RetryConfig(max_attempts=2, backoff_base=0.01, backoff_cap=0.02),
        circuit_breaker=CircuitBreakerConfig(failure_threshold=2, recovery_timeout=60.0),
        fallbacks={"get_intelligence": degraded_intelligence},
    )
    async with OnexTreeClient(srv.base_url, config=config) as tree:
        live = await tree.get_intelligence(context="authentication patterns")
        assert live.intelligence.analysis_type != "error_fallback"
        srv.stop()  # the service goes away: connections are now refused

        down = await tree.get_intelligence(context="payments")
        assert down.intelligence.analysis_type == "error_fallback"
        assert down.metadata.context_analyzed == "payments"
        assert down.metadata.error == TransportError.__name__

        # The refused connections opened the breaker; the fallback also covers that.
        assert tree.circuit_breaker.state is CircuitState.OPEN
        again = await tree.get_intelligence(context="search")
        assert again.metadata.error == CircuitOpenError.__name__

        # A degraded answer is not cached as if it were the service's.
        assert tree.cache_stats().size == 1
        assert tree.metrics().operations["get_intelligence"].calls == 3


async def test_without_a_fallback_the_outage_is_a_typed_error(project: Path) -> None:
    srv = start_server("onextree", tree_root=str(project))
    base_url = srv.base_url
    srv.stop()
    async with OnexTreeClient(base_url, config=fast_config()) as tree:
        with pytest.raises(TransportError):
            await tree.get_intelligence(context="authentication patterns")


async def test_unknown_hash_is_not_found_and_leaves_the_breaker_closed(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    stamping = make_stamping(
        fast_config(circuit_breaker=CircuitBreakerConfig(failure_threshold=1, recovery_timeout=60))
    )

    with pytest.raises(NotFoundError) as caught:
        await stamping.get_stamp("f" * 64)

    assert caught.value.status == 404 and caught.value.operation == "get_stamp"
    assert stamping.circuit_breaker.state is CircuitState.CLOSED
    # With a threshold of one failure, a counted 404 would have opened it: the next call
    # reaches the server.
    assert isinstance(await stamping.health(), models.HealthData)
    assert stamping_server.stats.requests == 2


async def test_health_check_of_both_clients(
    make_stamping: Callable[..., MetadataStampingClient],
    make_tree: Callable[..., OnexTreeClient],
    stamping_server: RunningServer,
    tree_server: RunningServer,
) -> None:
    stamping, tree = make_stamping(), make_tree()

    stamping_health = await stamping.health_check()
    tree_health = await tree.health_check()

    assert stamping_health.healthy and stamping_health.status == "healthy"
    assert isinstance(stamping_health.body, models.HealthData)
    assert tree_health.healthy and isinstance(tree_health.body, tree_models.HealthData)
    assert tree_health.body.tree_loaded
    # health_check calls the x-health operation of each spec, not a guessed /health.
    await stamping_server.wait_idle()
    assert stamping_server.stats.requests_to("/api/v1/metadata-stamping/health") == 1
    await tree_server.wait_idle()
    assert tree_server.stats.requests_to("/health") == 1


async def test_health_check_reports_an_unreachable_service_instead_of_raising() -> None:
    srv = start_server("metadata-stamping")
    base_url = srv.base_url
    srv.stop()
    async with MetadataStampingClient(base_url, config=fast_config()) as stamping:
        health = await stamping.health_check()

    assert not health.healthy and health.status == "unreachable"
    assert health.detail is not None


async def test_health_check_reports_an_error_status_as_unhealthy(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    # fast_config sets retry.max_attempts, which (user config beats spec) also applies to
    # the probe, so every attempt must fail for the check to see the 503.
    stamping = make_stamping()
    stamping_server.faults.fail_for(60.0, status=503)

    health = await stamping.health_check()

    assert not health.healthy and health.http_status == 503
    assert stamping_server.stats.requests == 3


async def test_health_probe_keeps_the_spec_policy_of_one_attempt(
    stamping_server: RunningServer,
) -> None:
    # No user retry settings: the spec's x-resilience for the probe (one attempt) applies,
    # so a single 503 is reported rather than retried away.
    async with MetadataStampingClient(stamping_server.base_url) as stamping:
        stamping_server.faults.fail_next(1, status=503)
        health = await stamping.health_check()

    assert not health.healthy and health.http_status == 503
    assert stamping_server.stats.requests == 1
