"""Per-operation call metrics with bounded-memory latency percentiles.

Latencies go into log-linear buckets (each 4% wider than the last, from 1 µs to
about 4 hours) rather than a sample list: memory is fixed per operation however many
calls are recorded, recording is one ``log`` and one list increment, and a reported
percentile is within 2% of the true (nearest-rank) value: the bucket's geometric
midpoint, clamped to the exact minimum and maximum seen. Below 1 µs the error is
under 1 µs instead; beyond the range the exact maximum is reported.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

__all__ = ["Metrics", "MetricsSnapshot", "OperationMetrics"]

#: Latencies at or below this land in bucket 0.
_SMALLEST = 1e-6
_GROWTH = 1.04
_INV_LOG_GROWTH = 1.0 / math.log(_GROWTH)
_BUCKETS = 600
# Bucket index = log_g(latency / _SMALLEST) + 1, folded into one multiply-add.
_INDEX_OFFSET = 1.0 - math.log(_SMALLEST) * _INV_LOG_GROWTH
_log = math.log
#: Free-form failure kinds beyond this many per operation are counted as "other", so a
#: caller passing unbounded strings (an exception message, say) cannot grow memory.
MAX_FAILURE_KINDS = 32
OTHER_KIND = "other"


@dataclass(frozen=True, slots=True)
class OperationMetrics:
    calls: int
    successes: int
    failures: int
    failures_by_kind: Mapping[str, int]
    #: attempts beyond the first, summed over calls
    retries: int
    cache_hits: int
    #: calls refused by an open circuit (outcome "circuit_open")
    breaker_rejections: int
    error_rate: float
    #: latencies in seconds; 0.0 when no call was recorded
    latency_p50: float
    latency_p95: float
    latency_p99: float
    latency_max: float
    latency_mean: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "successes": self.successes,
            "failures": self.failures,
            "failures_by_kind": dict(self.failures_by_kind),
            "retries": self.retries,
            "cache_hits": self.cache_hits,
            "breaker_rejections": self.breaker_rejections,
            "error_rate": self.error_rate,
            "latency_p50": self.latency_p50,
            "latency_p95": self.latency_p95,
            "latency_p99": self.latency_p99,
            "latency_max": self.latency_max,
            "latency_mean": self.latency_mean,
        }


@dataclass(frozen=True, slots=True)
class MetricsSnapshot:
    total: OperationMetrics
    operations: Mapping[str, OperationMetrics]
    #: seconds covered by these figures (since creation or the last reset)
    elapsed: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "elapsed": self.elapsed,
            "total": self.total.as_dict(),
            "operations": {name: m.as_dict() for name, m in sorted(self.operations.items())},
        }


class _Accumulator:
    __slots__ = (
        "buckets",
        "cache_hits",
        "calls",
        "failures_by_kind",
        "latency_max",
        "latency_min",
        "latency_sum",
        "retries",
        "successes",
    )

    def __init__(self) -> None:
        self.calls = 0
        self.successes = 0
        self.retries = 0
        self.cache_hits = 0
        self.failures_by_kind: dict[str, int] = {}
        self.buckets = [0] * _BUCKETS
        self.latency_sum = 0.0
        self.latency_max = 0.0
        self.latency_min = math.inf

    def merge(self, other: _Accumulator) -> None:
        self.calls += other.calls
        self.successes += other.successes
        self.retries += other.retries
        self.cache_hits += other.cache_hits
        for kind, n in other.failures_by_kind.items():
            self.failures_by_kind[kind] = self.failures_by_kind.get(kind, 0) + n
        self.buckets = [a + b for a, b in zip(self.buckets, other.buckets, strict=True)]
        self.latency_sum += other.latency_sum
        self.latency_max = max(self.latency_max, other.latency_max)
        self.latency_min = min(self.latency_min, other.latency_min)

    def percentile(self, q: float) -> float:
        if self.calls == 0:
            return 0.0
        rank = max(1, math.ceil(q * self.calls))
        seen = 0
        index = 0
        for index, n in enumerate(self.buckets):  # noqa: B007 - index is used after
            seen += n
            if seen >= rank:
                break
        if index == _BUCKETS - 1:
            # The last bucket also holds everything beyond the range: no midpoint to use.
            return self.latency_max
        if index == 0:
            # Sub-microsecond calls (cache hits, rejections): the error is < 1 µs anyway.
            return self.latency_min
        estimate: float = _SMALLEST * _GROWTH ** (index - 0.5)
        return min(max(estimate, self.latency_min), self.latency_max)

    def freeze(self) -> OperationMetrics:
        calls = self.calls
        failures = calls - self.successes
        return OperationMetrics(
            calls=calls,
            successes=self.successes,
            failures=failures,
            failures_by_kind=MappingProxyType(dict(self.failures_by_kind)),
            retries=self.retries,
            cache_hits=self.cache_hits,
            breaker_rejections=self.failures_by_kind.get("circuit_open", 0),
            error_rate=failures / calls if calls else 0.0,
            latency_p50=self.percentile(0.50),
            latency_p95=self.percentile(0.95),
            latency_p99=self.percentile(0.99),
            latency_max=self.latency_max,
            latency_mean=self.latency_sum / calls if calls else 0.0,
        )


class Metrics:
    """Collects one record per finished call; ``snapshot()`` summarises them."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = clock()
        self._operations: dict[str, _Accumulator] = {}

    def record(
        self,
        operation: str,
        outcome: str,
        latency: float,
        attempts: int = 1,
        cache_hit: bool = False,
    ) -> None:
        acc = self._operations.get(operation)
        if acc is None:
            acc = self._operations[operation] = _Accumulator()
        acc.calls += 1
        if outcome == "success":
            acc.successes += 1
        else:
            kinds = acc.failures_by_kind
            if outcome not in kinds and len(kinds) >= MAX_FAILURE_KINDS:
                outcome = OTHER_KIND
            kinds[outcome] = kinds.get(outcome, 0) + 1
        if attempts > 1:
            acc.retries += attempts - 1
        if cache_hit:
            acc.cache_hits += 1
        if latency > _SMALLEST:
            index = int(_log(latency) * _INV_LOG_GROWTH + _INDEX_OFFSET)
            acc.buckets[index if index < _BUCKETS else _BUCKETS - 1] += 1
        else:
            latency = max(latency, 0.0)
            acc.buckets[0] += 1
        acc.latency_sum += latency
        if latency > acc.latency_max:
            acc.latency_max = latency
        if latency < acc.latency_min:
            acc.latency_min = latency

    def snapshot(self) -> MetricsSnapshot:
        total = _Accumulator()
        operations: dict[str, OperationMetrics] = {}
        for name, acc in self._operations.items():
            total.merge(acc)
            operations[name] = acc.freeze()
        return MetricsSnapshot(
            total=total.freeze(),
            operations=MappingProxyType(operations),
            elapsed=self._clock() - self._started,
        )

    def reset(self) -> None:
        self._operations.clear()
        self._started = self._clock()
