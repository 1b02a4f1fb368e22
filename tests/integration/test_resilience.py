"""Resilience behaviour of the generated clients over real sockets, faults injected server-side.

Each test arms a fault on the fault server, calls through a generated client and then
checks both sides: what the caller got (a typed result or a typed error) and what the
server saw (request counts, correlation ids, idempotency keys, concurrency). Waits are
kept to the few tens of milliseconds the behaviour needs (backoffs of 10-50 ms, a
recovery window of 0.2 s).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

import pytest
from metadata_stamping_client import MetadataStampingClient, models
from onextree_client import OnexTreeClient

from fault_server.testing import FakeClock, RunningServer, serve
from resilient_client import (
    BulkheadConfig,
    CircuitBreakerConfig,
    CircuitOpenError,
    CircuitState,
    ClientError,
    RequestTimeoutError,
    RetryConfig,
    ServerError,
    TransportError,
)

from .conftest import RecordingSleep, fast_config

pytestmark = pytest.mark.integration

STAMP = "/api/v1/metadata-stamping/stamp"
HEX64 = "ab" * 32


def _state(client: MetadataStampingClient) -> CircuitState:
    # A function call, so mypy does not narrow the state across the awaits in between.
    return client.circuit_breaker.state


async def _stamp(client: MetadataStampingClient, content: str = "hello") -> models.CreateStampData:
    return await client.create_stamp(content=content)


async def test_retries_get_through_count_mode_failures(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    client = make_stamping()
    stamp = await _stamp(client)
    stamping_server.reset()
    stamping_server.faults.fail_next(2, status=503)

    row = await client.get_stamp(stamp.file_hash)

    assert row.file_hash == stamp.file_hash
    assert stamping_server.stats.requests == 3
    await stamping_server.wait_idle()
    assert stamping_server.stats.faults_injected == {"status": 2}
    assert client.metrics().total.calls == 2


async def test_retries_stop_at_max_attempts_with_the_last_typed_error(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    client = make_stamping()
    stamping_server.faults.fail_next(5, status=502)

    with pytest.raises(ServerError) as caught:
        await client.get_stamp(HEX64)

    assert caught.value.status == 502 and caught.value.attempts == 3
    assert stamping_server.stats.requests == 3


async def test_retry_after_is_honoured(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    sleep = RecordingSleep()
    # Backoff would wait at most 5 ms: a 0.15 s wait can only come from Retry-After.
    config = fast_config(retry=RetryConfig(max_attempts=3, backoff_base=0.001, backoff_cap=0.005))
    client = make_stamping(config, sleep=sleep)
    stamping_server.faults.fail_next(1, status=429, retry_after=0.15)

    started = time.monotonic()
    metrics = await client.get_metrics()
    elapsed = time.monotonic() - started

    assert isinstance(metrics, models.MetricsData)
    assert sleep.delays == [pytest.approx(0.15)]
    # The wait really happened, it was not only planned (asyncio may wake a hair early).
    assert elapsed >= 0.14
    assert stamping_server.stats.requests == 2


async def test_retry_after_above_the_cap_fails_now_instead_of_waiting(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    sleep = RecordingSleep()
    config = fast_config(
        retry=RetryConfig(max_attempts=3, backoff_base=0.001, backoff_cap=0.005, retry_after_cap=1)
    )
    client = make_stamping(config, sleep=sleep)
    stamping_server.faults.fail_next(1, status=503, retry_after=120)

    with pytest.raises(ServerError) as caught:
        await client.get_metrics()

    assert caught.value.retry_after == 120
    assert sleep.delays == []
    assert stamping_server.stats.requests == 1


async def test_breaker_opens_under_an_outage_fails_fast_and_closes_after_recovery() -> None:
    # The server's fault window runs on a fake clock: the outage ends when the test says,
    # without sleeping through it. The client's recovery window is real and short.
    server_clock = FakeClock()
    with serve("metadata-stamping", clock=server_clock) as srv:
        config = fast_config(
            retry=RetryConfig(max_attempts=1),
            circuit_breaker=CircuitBreakerConfig(
                failure_threshold=3, recovery_timeout=0.2, success_threshold=1
            ),
        )
        async with MetadataStampingClient(srv.base_url, config=config) as client:
            srv.faults.fail_for(60.0, status=503)
            for _ in range(3):
                with pytest.raises(ServerError):
                    await client.get_metrics()
            assert _state(client) is CircuitState.OPEN
            seen = srv.stats.requests

            with pytest.raises(CircuitOpenError) as caught:
                await client.get_metrics()
            assert srv.stats.requests == seen  # failed fast: nothing reached the server
            assert caught.value.retry_after is not None and 0 < caught.value.retry_after <= 0.2

            server_clock.advance(61.0)  # the outage is over
            await asyncio.sleep(0.2)
            metrics = await client.get_metrics()

            assert isinstance(metrics, models.MetricsData)
            assert _state(client) is CircuitState.CLOSED
            assert srv.stats.requests == seen + 1


async def test_half_open_lets_only_the_configured_probes_reach_the_server(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    config = fast_config(
        retry=RetryConfig(max_attempts=1),
        circuit_breaker=CircuitBreakerConfig(
            failure_threshold=2, recovery_timeout=0.1, half_open_max_calls=2, success_threshold=2
        ),
    )
    client = make_stamping(config)
    stamping_server.faults.fail_next(2, status=503)
    for _ in range(2):
        with pytest.raises(ServerError):
            await client.get_metrics()
    assert _state(client) is CircuitState.OPEN
    await asyncio.sleep(0.1)
    stamping_server.reset()
    # Probes stay in flight ~50 ms, so the other callers arrive while both slots are taken.
    stamping_server.faults.add_latency(0.05)

    outcomes = await asyncio.gather(
        *(client.get_metrics() for _ in range(10)), return_exceptions=True
    )

    assert sum(isinstance(o, models.MetricsData) for o in outcomes) == 2
    assert sum(isinstance(o, CircuitOpenError) for o in outcomes) == 8
    assert stamping_server.stats.requests == 2
    assert _state(client) is CircuitState.CLOSED


async def test_create_stamp_retried_with_one_idempotency_key_has_one_side_effect(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    client = make_stamping()
    # The handler runs, then the connection drops: the client cannot know the stamp was
    # made, so it must retry, and the retry must not stamp a second time.
    stamping_server.faults.reset_connections(1, route=f"POST {STAMP}", after_handler=True)

    stamp = await client.create_stamp(content="exactly once")

    await stamping_server.wait_idle()
    records = stamping_server.stats.records
    keys = {r.idempotency_key for r in records}
    assert len(records) == 2 and len(keys) == 1 and None not in keys
    (key,) = keys
    assert stamping_server.stats.side_effects == {key: 1}
    assert stamping_server.stats.replays == 1
    assert stamping_server.service_state.stamps_created == 1
    assert stamp.file_hash == stamping_server.service_state.get(stamp.file_hash).file_hash


async def test_retry_after_a_timed_out_attempt_is_not_refused_by_the_late_original(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    # Attempt 1 waits 0.6 s in the server; the client gives up after 0.1 s and retries at
    # ~0.9 s, after the original has gone on to the handler (0.3 s of margin either way).
    client = make_stamping(
        fast_config(
            retry=RetryConfig(max_attempts=2, backoff_base=0.8, backoff_cap=0.8, jitter=False)
        )
    )
    stamping_server.faults.add_latency(0.6, route=f"POST {STAMP}", count=1)

    stamp = await client.create_stamp(content="late original", timeout=0.1)

    await stamping_server.wait_idle()
    assert stamp.success
    assert list(stamping_server.stats.side_effects.values()) == [1]


async def test_caller_idempotency_key_is_sent_on_every_attempt(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    client = make_stamping()
    stamping_server.faults.fail_next(2, status=503)

    await client.create_stamp(content="keyed", idempotency_key="caller-key-1")

    await stamping_server.wait_idle()
    assert [r.idempotency_key for r in stamping_server.stats.records] == ["caller-key-1"] * 3
    assert stamping_server.stats.side_effects == {"caller-key-1": 1}


async def test_post_without_idempotency_is_sent_once(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    # transform_stamp is a POST the spec does not mark idempotent: a 503 may have come
    # after the work was done, so repeating it is not the client's call to make.
    client = make_stamping()
    stamping_server.faults.fail_next(1, status=503)

    with pytest.raises(ServerError):
        await client.transform_stamp(content="not idempotent")

    await stamping_server.wait_idle()
    records = stamping_server.stats.records
    assert len(records) == 1
    assert records[0].idempotency_key is None


async def test_latency_beyond_the_timeout_raises_request_timeout(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    client = make_stamping()
    stamping_server.faults.add_latency(0.5, count=2)

    with pytest.raises(RequestTimeoutError) as caught:
        await client.get_metrics(timeout=0.1, max_attempts=2)

    assert isinstance(caught.value, TransportError)
    assert caught.value.attempts == 2 and caught.value.operation == "get_metrics"
    assert stamping_server.stats.requests == 2
    # No slow rule is left: the next call is fast and succeeds, the client is not wedged.
    assert isinstance(await client.get_metrics(timeout=1.0), models.MetricsData)


async def test_server_sees_one_correlation_id_on_every_attempt(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    client = make_stamping()
    cid = uuid.uuid4()
    stamping_server.faults.fail_next(2, status=503)

    await client.get_metrics(correlation_id=cid)
    await client.get_metrics()  # a new call gets a fresh id of its own

    await stamping_server.wait_idle()
    ids = stamping_server.stats.correlation_ids
    assert ids[:3] == [str(cid)] * 3
    assert ids[3] is not None and ids[3] != str(cid)


async def test_correlation_id_is_on_the_typed_error(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    client = make_stamping(fast_config(retry=RetryConfig(max_attempts=1)))
    stamping_server.faults.fail_next(1, status=500)

    with pytest.raises(ServerError) as caught:
        await client.get_metrics(correlation_id="trace-123")

    assert caught.value.correlation_id == "trace-123"
    await stamping_server.wait_idle()
    assert stamping_server.stats.correlation_ids == ["trace-123"]


async def test_cache_hits_never_reach_the_server(
    make_tree: Callable[..., OnexTreeClient], tree_server: RunningServer
) -> None:
    client = make_tree()

    first = await client.get_intelligence(context="authentication patterns")
    hits = [await client.get_intelligence(context="authentication patterns") for _ in range(5)]
    other = await client.get_intelligence(context="api patterns")

    assert all(hit == first for hit in hits)
    assert other.metadata.context_analyzed == "api patterns"
    await tree_server.wait_idle()
    assert tree_server.stats.requests_to("/intelligence") == 2
    stats = client.cache_stats()
    assert (stats.hits, stats.misses, stats.size) == (5, 2, 2)

    # Bypassing the cache reaches the server and refreshes the entry.
    await client.get_intelligence(context="authentication patterns", use_cache=False)
    await tree_server.wait_idle()
    assert tree_server.stats.requests_to("/intelligence") == 3


async def test_concurrent_identical_misses_are_coalesced(
    make_tree: Callable[..., OnexTreeClient], tree_server: RunningServer
) -> None:
    client = make_tree()
    tree_server.faults.add_latency(0.05, count=1)  # keep the first miss in flight a while

    results = await asyncio.gather(
        *(client.get_intelligence(context="coalesce me") for _ in range(10))
    )

    assert len({r.model_dump_json() for r in results}) == 1
    await tree_server.wait_idle()
    assert tree_server.stats.requests_to("/intelligence") == 1


async def test_bulkhead_keeps_server_in_flight_at_or_below_its_limit(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    limit = 3
    client = make_stamping(
        fast_config(bulkhead=BulkheadConfig(max_concurrency=limit, acquire_timeout=5.0))
    )
    # Each request holds its slot ~30 ms so 20 concurrent calls really queue up.
    stamping_server.faults.add_latency(0.03)

    results = await asyncio.gather(*(client.get_metrics() for _ in range(20)))

    assert len(results) == 20
    assert stamping_server.stats.requests == 20
    assert stamping_server.stats.max_in_flight == limit  # reached, never exceeded


async def test_bulkhead_full_is_a_typed_error_and_never_reaches_the_server(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    from resilient_client import BulkheadFullError

    client = make_stamping(fast_config(bulkhead=BulkheadConfig(max_concurrency=1)))
    stamping_server.faults.add_latency(0.1, count=1)

    outcomes = await asyncio.gather(
        client.get_metrics(), client.get_metrics(), return_exceptions=True
    )

    assert sum(isinstance(o, models.MetricsData) for o in outcomes) == 1
    assert sum(isinstance(o, BulkheadFullError) for o in outcomes) == 1
    assert stamping_server.stats.requests == 1


async def test_connection_reset_mid_request_becomes_a_typed_error(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    client = make_stamping(fast_config(retry=RetryConfig(max_attempts=1)))
    stamping_server.faults.reset_connections(1)

    with pytest.raises(TransportError) as caught:
        await client.get_metrics()

    assert not isinstance(caught.value, RequestTimeoutError)
    assert caught.value.operation == "get_metrics" and caught.value.correlation_id
    await stamping_server.wait_idle()
    assert stamping_server.stats.faults_injected == {"reset": 1}


async def test_truncated_body_becomes_a_typed_error(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    client = make_stamping(fast_config(retry=RetryConfig(max_attempts=1)))
    stamping_server.faults.truncate_next(1)

    with pytest.raises(ClientError) as caught:
        await client.get_metrics()

    assert isinstance(caught.value, TransportError)


async def test_connection_resets_are_retried_for_idempotent_calls(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    client = make_stamping()
    stamping_server.faults.reset_connections(2)

    metrics = await client.get_metrics()

    assert isinstance(metrics, models.MetricsData)
    assert stamping_server.stats.requests == 3


async def test_not_found_is_typed_and_never_opens_the_breaker(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    from resilient_client import NotFoundError

    client = make_stamping(
        fast_config(circuit_breaker=CircuitBreakerConfig(failure_threshold=2, recovery_timeout=60))
    )

    for _ in range(5):
        with pytest.raises(NotFoundError) as caught:
            await client.get_stamp(HEX64)
        assert caught.value.status == 404

    assert client.circuit_breaker.state is CircuitState.CLOSED
    assert stamping_server.stats.requests == 5  # a 404 is not retried either


async def test_upload_retried_with_one_idempotency_key_is_replayed_not_refused(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    client = make_stamping()
    # The hash is computed, then the response is lost: the retry carries the same key,
    # so it must be the same request, or the server cannot tell it is a retry.
    stamping_server.faults.reset_connections(
        1, route="POST /api/v1/metadata-stamping/hash", after_handler=True
    )

    hashed = await client.generate_hash(file=b"upload once")

    assert len(hashed.file_hash) == 64
    await stamping_server.wait_idle()
    assert stamping_server.stats.replays == 1
    assert list(stamping_server.stats.side_effects.values()) == [1]


async def test_the_spec_timeout_applies_when_the_user_sets_none(
    tree_server: RunningServer,
) -> None:
    # x-resilience gives get_intelligence 1 s per attempt. With no user timeout the
    # generated Operation's policy must reach the socket: a 1.3 s answer is cut at ~1 s.
    async with OnexTreeClient(tree_server.base_url) as tree:
        tree_server.faults.add_latency(1.3, route="POST /intelligence", count=1)
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await tree.get_intelligence(context="slow", max_attempts=1)
        elapsed = time.monotonic() - started

    # Not a shorter limit from somewhere else (a longer one would have let the answer in).
    assert elapsed >= 0.9
    assert tree_server.stats.requests == 1
