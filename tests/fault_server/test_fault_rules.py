"""FaultState decisions without a server: matching, precedence, counts and windows."""

from __future__ import annotations

from collections import Counter

import pytest

from fault_server.faults import FaultKind, FaultState, RouteMatcher, format_retry_after
from fault_server.testing import FakeClock


@pytest.mark.parametrize(
    ("pattern", "method", "path", "hit"),
    [
        ("/health", "GET", "/health", True),
        ("/health", "GET", "/health/live", False),
        ("/stamp/{hash}", "GET", "/stamp/abc", True),
        ("/stamp/{hash}", "GET", "/stamp", False),
        ("/stamp/{hash}", "GET", "/stamp/a/b", False),
        ("POST /stamp", "POST", "/stamp", True),
        ("POST /stamp", "GET", "/stamp", False),
        ("post /stamp", "POST", "/stamp", True),
        ("/api/*", "GET", "/api/v1/x", True),
        ("/api/*", "GET", "/apix", False),
        ("/a.b", "GET", "/aXb", False),  # dots are literal, not regex wildcards
    ],
)
def test_route_matching(pattern: str, method: str, path: str, hit: bool) -> None:
    assert RouteMatcher(pattern).matches(method, path) is hit


def test_route_patterns_must_be_paths() -> None:
    with pytest.raises(ValueError, match="start with '/'"):
        RouteMatcher("health")


def test_no_rules_no_fault() -> None:
    decision = FaultState().decide("GET", "/")
    assert decision.fault is None and decision.latency == 0.0


def test_counted_rule_is_spent_then_inactive() -> None:
    faults = FaultState()
    faults.fail_next(2, status=502)
    kinds = [faults.decide("GET", "/x").fault for _ in range(2)]
    assert [k.status if k else None for k in kinds] == [502, 502]
    assert faults.rules[0].hits == 2 and faults.rules[0].remaining == 0
    assert faults.decide("GET", "/x").fault is None
    assert faults.rules == []  # spent rules are dropped at the next decision


def test_window_follows_the_injected_clock() -> None:
    clock = FakeClock()
    faults = FaultState(clock)
    faults.fail_for(2.0)
    assert faults.decide("GET", "/").fault is not None
    clock.advance(1.999)
    assert faults.decide("GET", "/").fault is not None
    clock.advance(0.001)
    assert faults.decide("GET", "/").fault is None


def test_precedence_route_then_count_then_age() -> None:
    clock = FakeClock()
    faults = FaultState(clock)
    faults.fail_for(10, status=500)  # global window
    faults.fail_next(1, status=502)  # global count
    faults.fail_for(10, status=503, route="/r")  # route window
    faults.fail_next(1, status=504, route="/r")  # route count
    seen = [faults.decide("GET", "/r").fault for _ in range(3)]
    assert [f.status if f else None for f in seen] == [504, 503, 503]
    other = [faults.decide("GET", "/other").fault for _ in range(2)]
    assert [f.status if f else None for f in other] == [502, 500]


def test_latency_is_chosen_alongside_a_fault() -> None:
    faults = FaultState()
    faults.add_latency(0.5, count=1)
    faults.reset_connections(1)
    decision = faults.decide("GET", "/")
    assert decision.latency == 0.5
    assert decision.fault is not None and decision.fault.kind is FaultKind.RESET
    assert faults.decide("GET", "/") == type(decision)()


def test_decisions_hand_out_copies() -> None:
    faults = FaultState()
    faults.fail_next(3)
    decided = faults.decide("GET", "/").fault
    assert decided is not None
    decided.remaining = 100
    assert faults.rules[0].remaining == 2


def test_rule_validation() -> None:
    faults = FaultState()
    with pytest.raises(ValueError, match="status"):
        faults.fail_next(1, status=200)
    with pytest.raises(ValueError, match="count"):
        faults.fail_next(-1)
    with pytest.raises(ValueError, match="duration"):
        faults.fail_for(-1)
    with pytest.raises(ValueError, match="chunk_size"):
        faults.slow_body(0.1, chunk_size=0)
    assert faults.rules == []


def test_remove_and_clear() -> None:
    faults = FaultState()
    first = faults.fail_next(1)
    faults.add_latency(0.1)
    assert faults.remove(first.id) is True
    assert faults.remove(first.id) is False
    assert [r.kind for r in faults.rules] == [FaultKind.LATENCY]
    faults.clear()
    assert faults.rules == []


@pytest.mark.parametrize(
    ("value", "header"),
    [(None, None), (1, "1"), (2.0, "2"), (0.05, "0.05"), ("Tue, 01 Dec 2026 00:00:00 GMT", None)],
)
def test_retry_after_formatting(value: float | str | None, header: str | None) -> None:
    expected = value if isinstance(value, str) else header
    assert format_retry_after(value) == expected


def shares(faults: FaultState, n: int) -> Counter[int | None]:
    seen: Counter[int | None] = Counter()
    for _ in range(n):
        fault = faults.decide("GET", "/").fault
        seen[fault.status if fault else None] += 1
    return seen


def test_random_rules_hit_their_share_and_share_one_draw() -> None:
    faults = FaultState(seed=11)
    faults.fail(status=503, probability=0.2)
    faults.fail(status=500, probability=0.05)
    seen = shares(faults, 4000)
    assert 0.17 < seen[503] / 4000 < 0.23
    assert 0.035 < seen[500] / 4000 < 0.065
    assert seen[None] == 4000 - seen[503] - seen[500]


def test_random_draws_repeat_with_the_seed() -> None:
    def run(seed: int) -> list[bool]:
        faults = FaultState(seed=seed)
        faults.reset_connections(None, probability=0.5)
        return [faults.decide("GET", "/").fault is not None for _ in range(50)]

    assert run(5) == run(5)
    assert run(5) != run(6)


def test_certain_rules_come_before_random_ones() -> None:
    faults = FaultState(seed=1)
    faults.fail(status=500, probability=0.99)
    faults.fail_next(2, status=504)
    assert shares(faults, 2) == {504: 2}


def test_a_random_counted_rule_counts_only_its_hits() -> None:
    faults = FaultState(seed=2)
    faults.fail(count=3, status=503, probability=0.5)
    assert shares(faults, 200)[503] == 3


@pytest.mark.parametrize("probability", [0.0, -0.1, 1.5])
def test_probability_must_be_a_share(probability: float) -> None:
    with pytest.raises(ValueError, match="probability"):
        FaultState().fail(probability=probability)
