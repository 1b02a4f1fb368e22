"""Replicas sharing resilience state through one real Redis, as separate processes.

Each scenario (tests/integration/replicas.py) starts client processes against one
fault server and the session's redis-server; the fault server's request counter is
the evidence. bench/shared_state.py prints the same scenarios for bench/RESULTS.md.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis_server import RedisServer

from fault_server.testing import RunningServer, serve

from .replicas import (
    Replicas,
    breaker_opened_by_one,
    cache_filled_by_one,
    fresh_prefix,
    limited_by_count,
    probes_into_outage,
    redis_killed_mid_run,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with serve("metadata-stamping") as srv:
        yield srv


@pytest.fixture(scope="module")
def replicas() -> Iterator[Replicas]:
    pool = Replicas(4)
    yield pool
    pool.close()


def test_a_breaker_opened_by_one_replica_rejects_calls_in_the_others(
    replicas: Replicas, server: RunningServer, redis_server: RedisServer
) -> None:
    result = breaker_opened_by_one(replicas, server, redis_server.url)
    # the first replica sent failure_threshold requests, then refused its own calls
    assert result["requests_by_first"] == 5
    assert result["first_outcomes"] == {"http_503": 5, "circuit_open": 5}
    # the other three never reached the service
    assert result["other_refused"] == result["other_calls"] == 30
    assert result["requests_by_others"] == 0


def test_probes_into_a_failing_service_stay_bounded_across_replicas(
    replicas: Replicas, server: RunningServer, redis_server: RedisServer
) -> None:
    shared = probes_into_outage(replicas, server, redis_server.url)
    alone = probes_into_outage(replicas, server, None)
    # Shared: each replica may count its own failures before it hears of the trip, then
    # at most one probe per recovery window goes out for all of them (plus, per replica,
    # one request on a CLOSED answer it reused for the 5 ms refresh interval).
    bound = shared["trip_requests_bound"] + shared["recovery_windows"] + shared["replicas"]
    assert shared["requests"] <= bound, shared
    # Without sharing every replica probes on its own schedule.
    assert alone["requests"] > shared["requests"], (alone, shared)
    assert shared["refused"] > 0.8 * shared["calls"]


def test_a_cache_filled_by_one_replica_serves_the_others(
    replicas: Replicas, server: RunningServer, redis_server: RedisServer
) -> None:
    result = cache_filled_by_one(replicas, server, redis_server.url)
    assert result["requests_by_first"] == 1 and result["first_ok"] == 1
    assert result["other_ok"] == result["other_calls"] == 15
    assert result["requests_by_others"] == 0
    assert result["other_shared_hits"] == 3  # one Redis lookup per replica...
    assert result["other_cache_hits"] == 15  # ...then its own cache


def test_the_replicas_share_one_rate_limit_bucket(
    replicas: Replicas, server: RunningServer, redis_server: RedisServer
) -> None:
    """Four processes, ten calls each, one shared bucket (burst 5, one request per 100 s)
    with every clock frozen: the counts are the limit's, not the machine's speed."""
    prefix = fresh_prefix()
    at = 1_800_000_000.0
    shared = limited_by_count(replicas, server, redis_server.url, "shared", at=at, prefix=prefix)
    assert shared["backend_failures"] == 0, shared
    # the burst, for all four together; every other call refused before it was sent
    assert shared["requests"] == shared["ok"] == 5, shared
    assert shared["refused_locally"] == shared["calls"] - 5, shared
    # 200 s later (the injected clock) the shared bucket has refilled two slots, not one
    # per replica: GCRA's 100 s interval, taken from the same Redis key
    later = limited_by_count(
        replicas, server, redis_server.url, "shared", at=at + 200.0, prefix=prefix
    )
    assert later["requests"] == later["ok"] == 2, later
    # each replica alone keeps its own bucket: four bursts
    local = limited_by_count(
        replicas, server, redis_server.url, "local", at=at, prefix=fresh_prefix()
    )
    assert local["requests"] == local["ok"] == 4 * 5, local
    assert local["refused_locally"] == local["calls"] - 20, local


def test_replicas_ride_out_redis_killed_mid_run_and_use_it_again() -> None:
    redis = RedisServer().start()  # its own server: this test takes it away
    try:
        with serve("metadata-stamping") as server:
            pool = Replicas(4)
            try:
                result = redis_killed_mid_run(pool, server, redis)
            finally:
                pool.close()
    finally:
        redis.stop()
    # no call failed because Redis went away: every one reached the healthy service
    assert result["ok"] == result["calls"] == result["requests"], result
    # each replica noticed the outage once (one warning for ~25 calls while Redis was
    # gone; a second only if a loaded machine also made Redis miss the 0.2 s timeout)
    # and was using Redis again at the end
    assert all(1 <= seen <= 2 for seen in result["outages_seen"]), result
    assert result["down_at_end"] == [False] * 4, result
