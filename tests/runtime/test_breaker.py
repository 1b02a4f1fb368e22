"""Circuit breaker state machine, driven resilience4j-style with a fake clock."""

from __future__ import annotations

import asyncio
import logging

import pytest
from fakes import FakeClock
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from resilient_client._breaker import (
    BreakerTransition,
    CircuitBreaker,
    CircuitBreakerConfig,
    CircuitState,
)


def make(clock: FakeClock | None = None, **overrides: object) -> CircuitBreaker:
    config = CircuitBreakerConfig.model_validate(overrides)
    return CircuitBreaker(config, name="svc", clock=clock or FakeClock(1000.0))


def assert_state(breaker: CircuitBreaker, expected: CircuitState) -> None:
    # A helper, not inline asserts: mypy would narrow the property after the first one.
    assert breaker.state is expected


def fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        assert breaker.try_acquire()
        breaker.record_failure()


def succeed(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        assert breaker.try_acquire()
        breaker.record_success()


def open_then_half_open(breaker: CircuitBreaker, clock: FakeClock) -> None:
    breaker.force_open()
    clock.advance(breaker.config.recovery_timeout)
    assert_state(breaker, CircuitState.HALF_OPEN)


# -- closed -> open ---------------------------------------------------------------


def test_opens_after_consecutive_failures_threshold() -> None:
    breaker = make(failure_threshold=3)
    fail(breaker, 2)
    assert_state(breaker, CircuitState.CLOSED)
    fail(breaker, 1)
    assert_state(breaker, CircuitState.OPEN)
    assert not breaker.try_acquire()


def test_success_resets_consecutive_failures() -> None:
    breaker = make(failure_threshold=3)
    fail(breaker, 2)
    succeed(breaker, 1)
    fail(breaker, 2)
    assert_state(breaker, CircuitState.CLOSED)
    assert breaker.stats().consecutive_failures == 2


def test_opens_on_failure_rate_over_window() -> None:
    # Alternating outcomes never reach 3 consecutive failures; only the rate can trip.
    breaker = make(
        failure_threshold=3, failure_rate_threshold=0.5, window_size=10, minimum_calls=10
    )
    for _ in range(4):
        fail(breaker, 1)
        succeed(breaker, 1)
    fail(breaker, 1)
    assert_state(breaker, CircuitState.CLOSED)  # 9 calls: below minimum_calls
    succeed(breaker, 1)  # 5 failures / 10 calls = 0.5
    assert_state(breaker, CircuitState.OPEN)


def test_rate_below_threshold_stays_closed() -> None:
    breaker = make(
        failure_threshold=100, failure_rate_threshold=0.5, window_size=10, minimum_calls=10
    )
    for _ in range(10):
        fail(breaker, 1)
        succeed(breaker, 2)
    assert_state(breaker, CircuitState.CLOSED)
    assert breaker.stats().failure_rate == pytest.approx(0.3, abs=0.1)


def test_rate_threshold_uses_exact_fraction() -> None:
    breaker = make(
        failure_threshold=100, failure_rate_threshold=0.3, window_size=10, minimum_calls=10
    )
    succeed(breaker, 7)
    fail(breaker, 3)
    assert_state(breaker, CircuitState.OPEN)


def test_rate_not_judged_below_minimum_calls() -> None:
    breaker = make(
        failure_threshold=100, failure_rate_threshold=0.1, window_size=20, minimum_calls=10
    )
    fail(breaker, 9)
    assert_state(breaker, CircuitState.CLOSED)
    fail(breaker, 1)
    assert_state(breaker, CircuitState.OPEN)


def test_window_slides_old_failures_out() -> None:
    breaker = make(
        failure_threshold=100, failure_rate_threshold=0.5, window_size=10, minimum_calls=10
    )
    fail(breaker, 4)
    succeed(breaker, 6)
    assert breaker.stats().failure_rate == pytest.approx(0.4)
    succeed(breaker, 4)  # the four failures slide out
    stats = breaker.stats()
    assert stats.failure_rate == 0.0
    assert stats.window_calls == 10
    fail(breaker, 4)
    assert_state(breaker, CircuitState.CLOSED)
    fail(breaker, 1)
    assert_state(breaker, CircuitState.OPEN)


def test_without_rate_threshold_only_consecutive_failures_count() -> None:
    breaker = make(failure_threshold=3, failure_rate_threshold=None, window_size=4, minimum_calls=2)
    for _ in range(10):
        fail(breaker, 2)
        succeed(breaker, 1)
    assert_state(breaker, CircuitState.CLOSED)


# -- open -> half-open ------------------------------------------------------------


def test_open_rejects_until_recovery_timeout_elapsed() -> None:
    clock = FakeClock(1000.0)
    breaker = make(clock, failure_threshold=1, recovery_timeout=30.0)
    fail(breaker, 1)
    clock.advance(29.999)
    assert_state(breaker, CircuitState.OPEN)
    assert not breaker.try_acquire()
    assert breaker.retry_after() == pytest.approx(0.001)
    clock.advance(0.001)
    assert_state(breaker, CircuitState.HALF_OPEN)
    assert breaker.retry_after() == 0.0


def test_try_acquire_moves_open_to_half_open_lazily() -> None:
    clock = FakeClock(1000.0)
    breaker = make(clock, failure_threshold=1, recovery_timeout=5.0)
    fail(breaker, 1)
    clock.advance(5.0)
    assert breaker.try_acquire()  # reading .state first is not required
    assert breaker.stats().state is CircuitState.HALF_OPEN


def test_rejections_are_counted() -> None:
    breaker = make(failure_threshold=1)
    fail(breaker, 1)
    for _ in range(3):
        assert not breaker.try_acquire()
    assert breaker.stats().rejections == 3


def test_retry_after_is_zero_when_closed() -> None:
    assert make().retry_after() == 0.0


# -- half-open --------------------------------------------------------------------


def test_half_open_limits_probes_in_flight() -> None:
    clock = FakeClock(1000.0)
    breaker = make(clock, half_open_max_calls=2, success_threshold=5)
    open_then_half_open(breaker, clock)
    assert breaker.try_acquire()
    assert breaker.try_acquire()
    assert not breaker.try_acquire()
    assert 0.0 < breaker.retry_after() <= 1.0
    breaker.record_success()  # one probe finishes, its slot is free again
    assert breaker.try_acquire()
    assert not breaker.try_acquire()


async def test_half_open_probe_limit_under_concurrency() -> None:
    clock = FakeClock(1000.0)
    breaker = make(clock, half_open_max_calls=3, success_threshold=3)
    open_then_half_open(breaker, clock)
    gate = asyncio.Event()
    max_concurrent = 0
    concurrent = 0

    async def call() -> bool:
        nonlocal concurrent, max_concurrent
        if not breaker.try_acquire():
            return False
        concurrent += 1
        max_concurrent = max(max_concurrent, concurrent)
        await gate.wait()
        concurrent -= 1
        breaker.record_success()
        return True

    tasks = [asyncio.create_task(call()) for _ in range(10)]
    for _ in range(3):
        await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(*tasks)
    assert results.count(True) == 3
    assert max_concurrent == 3
    assert_state(breaker, CircuitState.CLOSED)


def test_success_threshold_closes() -> None:
    clock = FakeClock(1000.0)
    breaker = make(clock, half_open_max_calls=1, success_threshold=3)
    open_then_half_open(breaker, clock)
    succeed(breaker, 2)
    assert_state(breaker, CircuitState.HALF_OPEN)
    succeed(breaker, 1)
    assert_state(breaker, CircuitState.CLOSED)
    assert breaker.stats().consecutive_failures == 0


def test_failing_probe_reopens_and_restarts_timer() -> None:
    clock = FakeClock(1000.0)
    breaker = make(clock, failure_threshold=1, recovery_timeout=10.0, success_threshold=2)
    fail(breaker, 1)
    clock.advance(10.0)
    succeed(breaker, 1)
    assert_state(breaker, CircuitState.HALF_OPEN)
    fail(breaker, 1)
    assert_state(breaker, CircuitState.OPEN)
    clock.advance(9.0)
    assert_state(breaker, CircuitState.OPEN)  # timer restarted at the failed probe
    assert breaker.retry_after() == pytest.approx(1.0)
    clock.advance(1.0)
    assert_state(breaker, CircuitState.HALF_OPEN)
    # the earlier probe success does not carry over into the new half-open period
    succeed(breaker, 1)
    assert_state(breaker, CircuitState.HALF_OPEN)


def test_release_frees_probe_slot_without_verdict() -> None:
    clock = FakeClock(1000.0)
    breaker = make(clock, half_open_max_calls=1, success_threshold=1)
    open_then_half_open(breaker, clock)
    assert breaker.try_acquire()
    assert not breaker.try_acquire()
    breaker.release()
    assert_state(breaker, CircuitState.HALF_OPEN)
    assert breaker.try_acquire()
    stats = breaker.stats()
    assert (stats.successes, stats.failures) == (0, 0)


def test_release_in_closed_counts_nothing() -> None:
    breaker = make(failure_threshold=2)
    fail(breaker, 1)
    assert breaker.try_acquire()
    breaker.release()
    fail(breaker, 1)
    assert_state(breaker, CircuitState.OPEN)


# -- manual control ---------------------------------------------------------------


def test_reset_closes_and_clears_counters() -> None:
    breaker = make(failure_threshold=2, failure_rate_threshold=0.5, minimum_calls=2)
    fail(breaker, 2)
    assert_state(breaker, CircuitState.OPEN)
    breaker.reset()
    assert_state(breaker, CircuitState.CLOSED)
    stats = breaker.stats()
    assert stats.consecutive_failures == 0
    assert stats.window_calls == 0
    assert stats.failures == 2  # lifetime totals survive a reset
    fail(breaker, 1)
    assert_state(breaker, CircuitState.CLOSED)


def test_reset_while_closed_clears_counters_without_transition() -> None:
    breaker = make(failure_threshold=2)
    fail(breaker, 1)
    breaker.reset()
    fail(breaker, 1)
    assert_state(breaker, CircuitState.CLOSED)
    assert breaker.stats().transitions == 0


def test_force_open_starts_timer_now() -> None:
    clock = FakeClock(1000.0)
    breaker = make(clock, recovery_timeout=20.0)
    breaker.force_open()
    assert not breaker.try_acquire()
    assert breaker.retry_after() == pytest.approx(20.0)
    clock.advance(20.0)
    assert_state(breaker, CircuitState.HALF_OPEN)


def test_disabled_breaker_never_opens() -> None:
    breaker = make(failure_threshold=1, enabled=False)
    fail(breaker, 50)
    assert_state(breaker, CircuitState.CLOSED)
    assert breaker.try_acquire()


# -- observability ----------------------------------------------------------------


def test_listeners_receive_transitions_in_order() -> None:
    clock = FakeClock(now=50.0)
    breaker = make(clock, failure_threshold=1, recovery_timeout=5.0, success_threshold=1)
    seen: list[BreakerTransition] = []
    breaker.add_listener(seen.append)
    fail(breaker, 1)
    clock.advance(5.0)
    succeed(breaker, 1)
    assert [(t.from_state, t.to_state, t.reason, t.at) for t in seen] == [
        (CircuitState.CLOSED, CircuitState.OPEN, "failure_threshold", 50.0),
        (CircuitState.OPEN, CircuitState.HALF_OPEN, "recovery_timeout", 55.0),
        (CircuitState.HALF_OPEN, CircuitState.CLOSED, "success_threshold", 55.0),
    ]
    assert all(t.name == "svc" for t in seen)
    assert breaker.stats().transitions == 3


def test_raising_listener_is_logged_and_tolerated(caplog: pytest.LogCaptureFixture) -> None:
    breaker = make(failure_threshold=1)
    seen: list[CircuitState] = []

    def broken(_: BreakerTransition) -> None:
        raise RuntimeError("listener bug")

    breaker.add_listener(broken)
    breaker.add_listener(lambda t: seen.append(t.to_state))
    with caplog.at_level(logging.INFO, logger="resilient_client.breaker"):
        fail(breaker, 1)
    assert_state(breaker, CircuitState.OPEN)
    assert seen == [CircuitState.OPEN]  # later listeners still run
    assert any("listener" in r.getMessage() and r.exc_info for r in caplog.records)


def test_transition_log_record_carries_structured_fields(
    caplog: pytest.LogCaptureFixture,
) -> None:
    breaker = make(failure_threshold=1)
    with caplog.at_level(logging.INFO, logger="resilient_client.breaker"):
        fail(breaker, 1)
    (record,) = [r for r in caplog.records if r.name == "resilient_client.breaker"]
    assert record.levelno == logging.WARNING
    fields = tuple(record.__dict__[k] for k in ("breaker", "from_state", "to_state"))
    assert fields == ("svc", "closed", "open")


# -- configuration ----------------------------------------------------------------


def test_config_defaults_match_documented_values() -> None:
    config = CircuitBreakerConfig()
    assert (config.failure_threshold, config.recovery_timeout) == (10, 60.0)
    assert (config.half_open_max_calls, config.success_threshold) == (1, 2)
    # the rate trigger is on by default: half of the last 50 attempts, judged after 20
    assert (config.failure_rate_threshold, config.window_size, config.minimum_calls) == (
        0.5,
        50,
        20,
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"failure_threshold": 0}, "greater than or equal to 1"),
        ({"recovery_timeout": 0}, "greater than 0"),
        ({"half_open_max_calls": 0}, "greater than or equal to 1"),
        ({"success_threshold": 0}, "greater than or equal to 1"),
        ({"failure_rate_threshold": 1.5}, "less than or equal to 1"),
        ({"failure_rate_threshold": 0}, "greater than 0"),
        ({"minimum_calls": 30, "window_size": 20}, "raise window_size or lower minimum_calls"),
        ({"failure_treshold": 3}, "Extra inputs are not permitted"),
    ],
)
def test_config_rejects_nonsense_with_guidance(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CircuitBreakerConfig.model_validate(fields)


def test_config_is_frozen() -> None:
    config = CircuitBreakerConfig()
    with pytest.raises(ValidationError):
        config.failure_threshold = 9  # type: ignore[misc]


# -- property: random call sequences keep the state machine consistent ------------

VERDICTS = {"success": "record_success", "failure": "record_failure", "release": "release"}


class Observer:
    """Replays what a breaker's callers saw and checks each transition against it."""

    def __init__(self, config: CircuitBreakerConfig, breaker: CircuitBreaker) -> None:
        self.config = config
        self.breaker = breaker
        self.events: list[BreakerTransition] = []
        breaker.add_listener(self.events.append)
        self.checked = 0
        self.outstanding: list[int] = []  # per unfinished permitted call: its period
        self.stale_finishes = 0  # calls from an earlier period ending in this half-open one
        self.consecutive = self.period_successes = self.successes = self.failures = 0

    def acquire(self) -> None:
        before = self.breaker._state
        if self.breaker.try_acquire():
            self.outstanding.append(len(self.events))
        else:
            assert before is not CircuitState.CLOSED
        self.check_new_events()

    def finish(self, index: int, verdict: str) -> None:
        period = self.outstanding.pop(-1 - index % len(self.outstanding))
        before = self.breaker._state
        if before is CircuitState.HALF_OPEN and period != len(self.events):
            self.stale_finishes += 1
        if before is CircuitState.CLOSED and verdict != "release":
            self.consecutive = self.consecutive + 1 if verdict == "failure" else 0
        self.period_successes += verdict == "success"
        self.successes += verdict == "success"
        self.failures += verdict == "failure"
        getattr(self.breaker, VERDICTS[verdict])()
        self.check_new_events()

    def check_new_events(self) -> None:
        config = self.config
        for i in range(self.checked, len(self.events)):
            event, previous = self.events[i], self.events[i - 1] if i else None
            assert event.from_state is (previous.to_state if previous else CircuitState.CLOSED)
            if event.reason == "failure_threshold":
                assert self.consecutive >= config.failure_threshold
            if event.reason == "failure_rate":
                assert config.failure_rate_threshold is not None
            if event.to_state is CircuitState.HALF_OPEN:
                assert previous is not None
                assert event.at >= previous.at + config.recovery_timeout
            if event.reason == "success_threshold":
                assert self.period_successes >= config.success_threshold
            if event.to_state is not CircuitState.OPEN:
                self.consecutive = 0
            self.period_successes = self.stale_finishes = 0
        self.checked = len(self.events)

    def check_invariants(self) -> None:
        stats = self.breaker.stats()  # may itself move OPEN to HALF_OPEN
        self.check_new_events()
        assert (stats.successes, stats.failures) == (self.successes, self.failures)
        assert self.breaker.stats().transitions == len(self.events)
        if self.breaker._state is CircuitState.HALF_OPEN:
            probes = self.outstanding.count(len(self.events))
            # A call permitted before this period that ends during it frees a probe slot
            # it never held (there is no per-call token): the one documented leeway.
            assert probes <= self.config.half_open_max_calls + self.stale_finishes


@settings(max_examples=100, deadline=None)
@given(
    config=st.builds(
        CircuitBreakerConfig,
        failure_threshold=st.integers(1, 3),
        recovery_timeout=st.sampled_from([1.0, 2.5]),
        half_open_max_calls=st.integers(1, 3),
        success_threshold=st.integers(1, 3),
        failure_rate_threshold=st.none() | st.sampled_from([0.3, 0.5, 1.0]),
        window_size=st.just(6),
        minimum_calls=st.integers(1, 6),
    ),
    steps=st.lists(
        # weighted towards acquiring and failing, so open and half-open periods with
        # several concurrent probes come up often
        st.tuples(
            st.sampled_from(["acquire"] * 3 + ["failure"] * 2 + ["success", "release", "tick"]),
            # finishing the newest call is most common, as with probes in real life;
            # old calls finishing late are the exception
            st.sampled_from([0, 0, 0, 1, 2, 3, 5, 7]),
        ),
        min_size=10,
        max_size=60,
    ),
)
def test_random_call_sequences_keep_the_state_machine_consistent(
    config: CircuitBreakerConfig, steps: list[tuple[str, int]]
) -> None:
    clock = FakeClock(1000.0)
    observer = Observer(config, CircuitBreaker(config, name="p", clock=clock))
    for action, arg in steps:
        if action == "tick":
            clock.advance(arg * 0.5)
        elif action == "acquire":
            observer.acquire()
        elif observer.outstanding:
            observer.finish(arg, action)
        observer.check_invariants()
