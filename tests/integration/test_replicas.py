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
    aggregate_rate,
    breaker_opened_by_one,
    cache_filled_by_one,
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


def test_the_aggregate_rate_stays_under_the_shared_limit(
    replicas: Replicas, server: RunningServer, redis_server: RedisServer
) -> None:
    shared = aggregate_rate(replicas, server, redis_server.url, "shared")
    assert shared["backend_failures"] == 0, shared
    assert shared["requests"] <= shared["allowed_by_limit"], shared
    assert shared["requests"] >= 0.5 * shared["allowed_by_limit"], shared  # it did run
    local = aggregate_rate(replicas, server, redis_server.url, "local")
    # each replica alone keeps its own limit, so together they send about n times more
    assert local["requests"] > 2 * shared["requests"], (local, shared)


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
