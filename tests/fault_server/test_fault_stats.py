"""Stats without a server: counting, waiting, snapshots."""

from __future__ import annotations

import threading
import time

import pytest

from fault_server.stats import RequestRecord, Stats


def record(path: str = "/x", *, key: str | None = None, fault: str | None = None) -> RequestRecord:
    return RequestRecord("GET", path, "cid", key, 200, fault, replayed=False)


def test_in_flight_and_maximum() -> None:
    stats = Stats()
    for _ in range(3):
        stats.enter()
    stats.leave(record())
    stats.enter()
    assert (stats.in_flight, stats.max_in_flight, stats.requests) == (3, 3, 4)


def test_side_effects_faults_and_per_path_counts() -> None:
    stats = Stats()
    for key in ("a", "a", None):
        stats.handler_ran(key)
    stats.enter()
    stats.leave(record("/p", fault="reset"))
    stats.enter()
    stats.leave(record("/q"))
    assert stats.side_effects == {"a": 2}
    assert stats.handler_runs == 3
    assert stats.faults_injected == {"reset": 1}
    assert (stats.requests_to("/p"), stats.requests_to("/p", "post")) == (1, 0)
    snapshot = stats.snapshot()
    assert snapshot["correlation_ids"] == ["cid", "cid"]
    stats.reset()
    assert stats.snapshot()["records"] == [] and stats.side_effects == {}


def test_wait_until_wakes_when_a_request_starts() -> None:
    stats = Stats()
    threading.Timer(0.05, stats.enter).start()
    started = time.perf_counter()
    stats.wait_until(lambda s: s.in_flight == 1, timeout=5.0)
    assert time.perf_counter() - started < 2.0


def test_wait_idle_times_out_while_busy() -> None:
    stats = Stats()
    stats.enter()
    with pytest.raises(TimeoutError):
        stats.wait_idle(timeout=0.02)
    stats.leave(record())
    stats.wait_idle(timeout=0.02)
    stats.wait_finished(1, timeout=0.02)


def test_reset_keeps_requests_in_flight() -> None:
    stats = Stats()
    stats.enter()
    stats.reset()
    assert (stats.in_flight, stats.max_in_flight, stats.requests) == (1, 1, 0)
    stats.leave(record())
    assert stats.in_flight == 0
