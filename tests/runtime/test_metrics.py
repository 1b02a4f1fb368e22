"""Call metrics: counters, retries, percentiles within the documented 2%, bounded memory."""

from __future__ import annotations

import json
import math
import random
import sys

import pytest
from fakes import FakeClock

from resilient_client._metrics import MAX_FAILURE_KINDS, OTHER_KIND, Metrics

#: the documented bound on a percentile's relative error
TOLERANCE = 0.02


def nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


def test_counts_successes_failures_and_kinds() -> None:
    metrics = Metrics(clock=FakeClock(10.0))
    for _ in range(7):
        metrics.record("get_stamp", outcome="success", latency=0.01)
    metrics.record("get_stamp", outcome="http_5xx", latency=0.02)
    metrics.record("get_stamp", outcome="http_5xx", latency=0.02)
    metrics.record("get_stamp", outcome="timeout", latency=0.5)
    op = metrics.snapshot().operations["get_stamp"]
    assert (op.calls, op.successes, op.failures) == (10, 7, 3)
    assert dict(op.failures_by_kind) == {"http_5xx": 2, "timeout": 1}
    assert op.error_rate == pytest.approx(0.3)


def test_retries_sum_attempts_beyond_the_first() -> None:
    metrics = Metrics()
    metrics.record("op", outcome="success", latency=0.1, attempts=1)
    metrics.record("op", outcome="success", latency=0.1, attempts=3)
    metrics.record("op", outcome="http_5xx", latency=0.1, attempts=4)
    assert metrics.snapshot().operations["op"].retries == 5


def test_cache_hits_and_breaker_rejections() -> None:
    metrics = Metrics()
    metrics.record("op", outcome="success", latency=1e-5, cache_hit=True)
    metrics.record("op", outcome="success", latency=1e-5, cache_hit=True)
    metrics.record("op", outcome="circuit_open", latency=2e-6)
    op = metrics.snapshot().operations["op"]
    assert (op.cache_hits, op.breaker_rejections, op.failures) == (2, 1, 1)


def test_total_aggregates_every_operation() -> None:
    metrics = Metrics()
    metrics.record("a", outcome="success", latency=0.001, attempts=2)
    metrics.record("a", outcome="transport", latency=0.002)
    metrics.record("b", outcome="transport", latency=0.003, cache_hit=True)
    metrics.record("b", outcome="circuit_open", latency=0.004)
    total = metrics.snapshot().total
    assert (total.calls, total.successes, total.failures) == (4, 1, 3)
    assert dict(total.failures_by_kind) == {"transport": 2, "circuit_open": 1}
    assert (total.retries, total.cache_hits, total.breaker_rejections) == (1, 1, 1)
    assert total.latency_max == 0.004
    assert total.latency_mean == pytest.approx(0.0025)


@pytest.mark.parametrize(
    "draw",
    [
        lambda rng: rng.uniform(0.001, 0.2),
        lambda rng: rng.lognormvariate(math.log(0.02), 1.0),
        lambda rng: rng.expovariate(1 / 0.05),
    ],
    ids=["uniform", "lognormal", "exponential"],
)
def test_percentiles_within_documented_error(draw: object) -> None:
    rng = random.Random(1234)
    values = [draw(rng) for _ in range(20_000)]  # type: ignore[operator]
    metrics = Metrics()
    for v in values:
        metrics.record("op", outcome="success", latency=v)
    op = metrics.snapshot().operations["op"]
    for q, got in ((0.5, op.latency_p50), (0.95, op.latency_p95), (0.99, op.latency_p99)):
        expected = nearest_rank(values, q)
        assert abs(got - expected) <= TOLERANCE * expected, (q, got, expected)
    assert op.latency_max == max(values)
    assert op.latency_mean == pytest.approx(sum(values) / len(values))


def test_percentiles_of_a_known_two_level_distribution() -> None:
    metrics = Metrics()
    for _ in range(90):
        metrics.record("op", outcome="success", latency=0.010)
    for _ in range(10):
        metrics.record("op", outcome="success", latency=1.0)
    op = metrics.snapshot().operations["op"]
    assert op.latency_p50 == pytest.approx(0.010, rel=TOLERANCE)
    assert op.latency_p95 == pytest.approx(1.0, rel=TOLERANCE)
    assert op.latency_p99 == pytest.approx(1.0, rel=TOLERANCE)


def test_single_value_is_reported_exactly() -> None:
    metrics = Metrics()
    metrics.record("op", outcome="success", latency=0.0123)
    op = metrics.snapshot().operations["op"]
    assert op.latency_p50 == op.latency_p99 == op.latency_max == 0.0123


def test_extreme_latencies_are_clamped_not_lost() -> None:
    metrics = Metrics()
    metrics.record("op", outcome="success", latency=0.0)
    metrics.record("op", outcome="success", latency=-1e-9)  # a clock that stepped back
    metrics.record("op", outcome="success", latency=1e7)
    op = metrics.snapshot().operations["op"]
    assert op.calls == 3
    assert op.latency_max == 1e7
    assert op.latency_p99 == 1e7
    assert op.latency_p50 == 0.0


def test_empty_snapshot_is_all_zero() -> None:
    snapshot = Metrics().snapshot()
    assert snapshot.operations == {}
    assert (snapshot.total.calls, snapshot.total.error_rate, snapshot.total.latency_p99) == (
        0,
        0.0,
        0.0,
    )


def test_memory_does_not_grow_with_calls() -> None:
    metrics = Metrics()
    rng = random.Random(7)

    def footprint() -> int:
        acc = metrics._operations["op"]
        ints = sum(sys.getsizeof(n) for n in acc.buckets)
        return sys.getsizeof(acc.buckets) + ints + sys.getsizeof(acc.failures_by_kind)

    for _ in range(1_000):
        metrics.record("op", outcome="success", latency=rng.uniform(1e-4, 10.0))
    before = footprint()
    buckets_before = len(metrics._operations["op"].buckets)
    for _ in range(100_000):
        metrics.record("op", outcome="success", latency=rng.uniform(1e-4, 10.0))
    # int objects for larger counts may be a few bytes wider; nothing per call is kept
    assert footprint() <= before * 1.1
    assert len(metrics._operations["op"].buckets) == buckets_before


def test_unbounded_failure_kinds_are_capped() -> None:
    metrics = Metrics()
    for i in range(MAX_FAILURE_KINDS + 50):
        metrics.record("op", outcome=f"weird-{i}", latency=0.001)
    kinds = metrics.snapshot().operations["op"].failures_by_kind
    assert len(kinds) == MAX_FAILURE_KINDS + 1
    assert kinds[OTHER_KIND] == 50


def test_snapshot_is_frozen_and_independent() -> None:
    metrics = Metrics()
    metrics.record("op", outcome="timeout", latency=0.1)
    snapshot = metrics.snapshot()
    metrics.record("op", outcome="timeout", latency=0.1)
    assert snapshot.operations["op"].calls == 1
    assert snapshot.operations["op"].failures_by_kind["timeout"] == 1
    with pytest.raises(TypeError):
        snapshot.operations["op"].failures_by_kind["timeout"] = 5  # type: ignore[index]


def test_as_dict_is_json_ready() -> None:
    clock = FakeClock(now=100.0)
    metrics = Metrics(clock=clock)
    metrics.record("b", outcome="success", latency=0.01)
    metrics.record("a", outcome="http_4xx", latency=0.02)
    clock.now = 130.0
    data = json.loads(json.dumps(metrics.snapshot().as_dict()))
    assert data["elapsed"] == 30.0
    assert list(data["operations"]) == ["a", "b"]
    assert data["operations"]["a"]["failures_by_kind"] == {"http_4xx": 1}
    assert data["total"]["calls"] == 2


def test_reset_starts_afresh() -> None:
    clock = FakeClock(now=5.0)
    metrics = Metrics(clock=clock)
    metrics.record("op", outcome="success", latency=0.1)
    clock.now = 9.0
    metrics.reset()
    snapshot = metrics.snapshot()
    assert snapshot.total.calls == 0
    assert snapshot.elapsed == 0.0
