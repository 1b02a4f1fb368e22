"""Circuit breaker: a CLOSED/OPEN/HALF_OPEN state machine driven by call verdicts.

Hand-written because the Python libraries lack a failure-rate window, bounded
concurrent half-open probes and an injectable clock. The breaker never raises on the
request path: ``try_acquire`` answers True/False and the client maps a refusal to its
own typed error. It is meant for one event loop and takes no locks: every method runs
to completion without awaiting, so asyncio tasks cannot interleave inside it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "BreakerStats",
    "BreakerTransition",
    "CircuitBreaker",
    "CircuitBreakerConfig",
    "CircuitState",
]

logger = logging.getLogger("resilient_client.breaker")

#: How long a caller rejected because every half-open probe slot is taken should wait:
#: a probe normally finishes within one request's time, so retrying much sooner than
#: the recovery timeout is reasonable.
HALF_OPEN_RETRY_AFTER = 0.5


class CircuitState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreakerConfig(BaseModel):
    """User-facing breaker settings; ``extra="forbid"`` turns a typo into an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Defaults measured with bench/retry_budget.py (RESULTS.md): 5 consecutive failures
    # trip about once per 3,000 attempts at an ordinary 20% brown-out and then refuse
    # every call for recovery_timeout, so a brown-out lost half its calls. Ten in a row,
    # or half of the last 50 attempts (after 20), still open within ten requests of a
    # real outage and almost never at 20%.
    failure_threshold: int = Field(default=10, ge=1)
    recovery_timeout: float = Field(default=60.0, gt=0)
    half_open_max_calls: int = Field(default=1, ge=1)
    success_threshold: int = Field(default=2, ge=1)
    failure_rate_threshold: float | None = Field(default=0.5, gt=0, le=1)
    window_size: int = Field(default=50, ge=1)
    minimum_calls: int = Field(default=20, ge=1)
    enabled: bool = True

    @model_validator(mode="after")
    def _window_can_reach_minimum(self) -> CircuitBreakerConfig:
        if self.minimum_calls > self.window_size:
            raise ValueError(
                f"minimum_calls ({self.minimum_calls}) must not exceed window_size "
                f"({self.window_size}): the failure rate could never be judged; "
                "raise window_size or lower minimum_calls"
            )
        return self


# Module-level aliases: looking a member up on an Enum class costs ~0.2 µs, which
# would be most of a rejection's budget.
_CLOSED = CircuitState.CLOSED
_OPEN = CircuitState.OPEN
_HALF_OPEN = CircuitState.HALF_OPEN


@dataclass(frozen=True, slots=True)
class BreakerTransition:
    name: str
    from_state: CircuitState
    to_state: CircuitState
    at: float
    reason: str


@dataclass(frozen=True, slots=True)
class BreakerStats:
    state: CircuitState
    consecutive_failures: int
    successes: int
    failures: int
    rejections: int
    transitions: int
    #: failures / calls over the sliding window (0.0 when the window is empty)
    failure_rate: float
    window_calls: int


class CircuitBreaker:
    """One breaker guarding one downstream service.

    A call permitted while CLOSED that ends after the circuit moved on is still
    recorded against the current state (there is no per-call token), which errs on
    the side of the freshest evidence about the service.
    """

    def __init__(
        self,
        config: CircuitBreakerConfig,
        *,
        name: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.name = name
        self._clock = clock
        self._enabled = config.enabled
        self._failure_threshold = config.failure_threshold
        self._rate_threshold = config.failure_rate_threshold
        self._minimum_calls = config.minimum_calls
        self._listeners: list[Callable[[BreakerTransition], None]] = []

        self._state = _CLOSED
        self._open_until = 0.0
        self._consecutive_failures = 0
        self._probes_in_flight = 0
        self._probe_successes = 0
        # Count-based window as a ring of 0/1 outcomes with a running failure sum, so
        # recording is O(1) and allocation-free.
        self._window = [0] * config.window_size
        self._window_pos = 0
        self._window_calls = 0
        self._window_failures = 0

        self._successes = 0
        self._failures = 0
        self._rejections = 0
        self._transitions = 0

    # -- state -------------------------------------------------------------------

    @property
    def state(self) -> CircuitState:
        if self._state is _OPEN and self._clock() >= self._open_until:
            self._transition(_HALF_OPEN, "recovery_timeout")
        return self._state

    def peek_state(self) -> CircuitState:
        """``state`` without making the OPEN -> HALF_OPEN transition it reports: for a
        reader on another thread (a metrics scrape), which must not move the breaker
        nor run its listeners there."""
        state = self._state
        if state is _OPEN and self._clock() >= self._open_until:
            return _HALF_OPEN
        return state

    def try_acquire(self) -> bool:
        state = self._state
        if state is _CLOSED or not self._enabled:
            return True
        if state is _OPEN:
            if self._clock() < self._open_until:
                self._rejections += 1
                return False
            self._transition(_HALF_OPEN, "recovery_timeout")
        if self._probes_in_flight < self.config.half_open_max_calls:
            self._probes_in_flight += 1
            return True
        self._rejections += 1
        return False

    def retry_after(self) -> float:
        state = self.state
        if state is _OPEN:
            return max(0.0, self._open_until - self._clock())
        if state is _HALF_OPEN and self._probes_in_flight >= self.config.half_open_max_calls:
            return min(HALF_OPEN_RETRY_AFTER, self.config.recovery_timeout)
        return 0.0

    # -- verdicts ----------------------------------------------------------------

    def record_success(self) -> None:
        if not self._enabled:
            return
        self._successes += 1
        state = self._state
        if state is _CLOSED:
            self._consecutive_failures = 0
            self._push_outcome(0)
            threshold = self._rate_threshold
            if threshold is not None and self._rate_exceeded(threshold):
                self._open("failure_rate")
        elif state is _HALF_OPEN:
            self._free_probe_slot()
            self._probe_successes += 1
            if self._probe_successes >= self.config.success_threshold:
                self._transition(_CLOSED, "success_threshold")
        # A success arriving while OPEN came from a call permitted before the trip;
        # one late success is not evidence enough to close early.

    def record_failure(self) -> None:
        if not self._enabled:
            return
        self._failures += 1
        state = self._state
        if state is _CLOSED:
            self._consecutive_failures += 1
            self._push_outcome(1)
            if self._consecutive_failures >= self._failure_threshold:
                self._open("failure_threshold")
            elif (threshold := self._rate_threshold) is not None and self._rate_exceeded(threshold):
                self._open("failure_rate")
        elif state is _HALF_OPEN:
            self._free_probe_slot()
            self._consecutive_failures += 1
            self._open("probe_failed")
        else:
            self._consecutive_failures += 1

    def release(self) -> None:
        if self._state is _HALF_OPEN:
            self._free_probe_slot()

    # -- manual control ----------------------------------------------------------

    def reset(self) -> None:
        """Close the circuit and clear the state-machine counters.

        Lifetime totals (successes, failures, rejections, transitions) are kept:
        they describe history, not the current verdict.
        """
        if self._state is not _CLOSED:
            self._transition(_CLOSED, "manual_reset")
        else:
            self._clear_counters()

    def force_open(self) -> None:
        self._open("forced_open")

    def follow(self, to_state: CircuitState, open_for: float = 0.0) -> None:
        """Adopt a state another replica decided (a shared state backend said so).

        The transition is announced with reason ``"shared"`` so a listener that
        publishes this breaker's own trips can tell it apart from them.
        """
        if to_state is _OPEN:
            self._open_until = self._clock() + open_for
        if self._state is not to_state:
            self._transition(to_state, "shared")

    def note_rejection(self) -> None:
        """Count a call refused on the shared state's word."""
        self._rejections += 1

    def add_listener(self, fn: Callable[[BreakerTransition], None]) -> None:
        self._listeners.append(fn)

    def stats(self) -> BreakerStats:
        calls = self._window_calls
        return BreakerStats(
            state=self.state,
            consecutive_failures=self._consecutive_failures,
            successes=self._successes,
            failures=self._failures,
            rejections=self._rejections,
            transitions=self._transitions,
            failure_rate=self._window_failures / calls if calls else 0.0,
            window_calls=calls,
        )

    # -- internals ---------------------------------------------------------------

    def _push_outcome(self, failed: int) -> None:
        window = self._window
        pos = self._window_pos
        if self._window_calls == len(window):
            self._window_failures -= window[pos]
        else:
            self._window_calls += 1
        window[pos] = failed
        self._window_failures += failed
        pos += 1
        self._window_pos = 0 if pos == len(window) else pos

    def _rate_exceeded(self, threshold: float) -> bool:
        calls = self._window_calls
        # Division, not failures >= threshold * calls: 0.3 * 10 rounds above 3.0.
        return calls >= self._minimum_calls and self._window_failures / calls >= threshold

    def _free_probe_slot(self) -> None:
        if self._probes_in_flight > 0:
            self._probes_in_flight -= 1

    def _open(self, reason: str) -> None:
        # Re-opening (a failed probe, force_open while OPEN) restarts the timer even
        # when the state does not change.
        self._open_until = self._clock() + self.config.recovery_timeout
        if self._state is not _OPEN:
            self._transition(_OPEN, reason)

    def _clear_counters(self) -> None:
        self._consecutive_failures = 0
        self._probes_in_flight = 0
        self._probe_successes = 0
        window = self._window
        for i in range(len(window)):
            window[i] = 0
        self._window_pos = 0
        self._window_calls = 0
        self._window_failures = 0

    def _transition(self, to_state: CircuitState, reason: str) -> None:
        from_state = self._state
        self._state = to_state
        self._transitions += 1
        # Each state starts from a clean slate: a fresh CLOSED must not inherit the
        # failures that opened it, a fresh HALF_OPEN no stale probe counts.
        if to_state is _CLOSED:
            self._clear_counters()
        else:
            self._probes_in_flight = 0
            self._probe_successes = 0
        event = BreakerTransition(self.name, from_state, to_state, self._clock(), reason)
        logger.log(
            logging.WARNING if to_state is _OPEN else logging.INFO,
            "circuit breaker %r: %s -> %s (%s)",
            self.name,
            from_state.value,
            to_state.value,
            reason,
            extra={
                "breaker": self.name,
                "from_state": from_state.value,
                "to_state": to_state.value,
                "reason": reason,
            },
        )
        for listener in tuple(self._listeners):
            try:
                listener(event)
            except Exception:
                # A broken observer must not wedge the state machine mid-transition.
                logger.exception(
                    "circuit breaker %r: transition listener %r failed", self.name, listener
                )
