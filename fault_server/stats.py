"""What the server saw: requests, concurrency, correlation ids and side effects.

Written by the server's event loop and read by tests from another thread, hence the
lock and the copies handed out by every property.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

#: Upper bound on kept request records, so a long soak cannot grow memory without limit.
MAX_RECORDS = 100_000


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server handled it (``status`` is None when no answer was sent)."""

    method: str
    path: str
    correlation_id: str | None
    idempotency_key: str | None
    status: int | None
    fault: str | None
    replayed: bool
    #: the W3C trace context header as received, for checking a client propagates it
    traceparent: str | None = None


class Stats:
    def __init__(self) -> None:
        # Re-entrant so a wait_until predicate may read the public properties.
        self._lock = threading.RLock()
        # Lets tests wait for the server to finish: a client can see a dropped connection
        # (or even a whole response) before the server has recorded the request.
        self._changed = threading.Condition(self._lock)
        self.reset()

    def reset(self) -> None:
        with self._lock:
            # Requests in flight stay in flight: zeroing them would drive the count negative
            # when they finish (and break --max-concurrency) after a reset mid-run.
            self._in_flight: int = getattr(self, "_in_flight", 0)
            self._requests = 0
            self._max_in_flight = self._in_flight
            self._rejected = 0
            self._faults: Counter[str] = Counter()
            self._side_effects: Counter[str] = Counter()
            self._handler_runs = 0
            self._replays = 0
            self._records: list[RequestRecord] = []

    # ---- written by the middleware ----------------------------------------------------

    def enter(self) -> None:
        with self._lock:
            self._requests += 1
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
            self._changed.notify_all()

    def leave(self, record: RequestRecord) -> None:
        with self._lock:
            self._in_flight -= 1
            if record.fault is not None:
                self._faults[record.fault] += 1
            if record.replayed:
                self._replays += 1
            if len(self._records) < MAX_RECORDS:
                self._records.append(record)
            self._changed.notify_all()

    def rejected(self) -> None:
        with self._lock:
            self._rejected += 1

    def handler_ran(self, idempotency_key: str | None) -> None:
        """One execution of the service's handler: for a write, one side effect."""
        with self._lock:
            self._handler_runs += 1
            if idempotency_key is not None:
                self._side_effects[idempotency_key] += 1

    # ---- read by tests ----------------------------------------------------------------

    def wait_until(self, predicate: Callable[[Stats], bool], timeout: float = 2.0) -> None:
        """Block until ``predicate(stats)`` holds; re-checked as requests start and finish.

        Raises TimeoutError when it does not hold within ``timeout`` seconds.
        """
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self), timeout):
                raise TimeoutError("fault server stats did not reach the expected state")

    def wait_idle(self, timeout: float = 2.0) -> None:
        """Block until no request is in flight (each one recorded)."""
        self.wait_until(lambda s: s.in_flight == 0, timeout)

    def wait_finished(self, n: int, timeout: float = 2.0) -> None:
        """Block until at least ``n`` requests have finished and been recorded."""
        self.wait_until(lambda s: len(s.records) >= n, timeout)

    @property
    def requests(self) -> int:
        """Requests received (control API excluded), whatever happened to them."""
        with self._lock:
            return self._requests

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    @property
    def max_in_flight(self) -> int:
        with self._lock:
            return self._max_in_flight

    @property
    def rejected_over_capacity(self) -> int:
        with self._lock:
            return self._rejected

    @property
    def correlation_ids(self) -> list[str | None]:
        """The X-Correlation-ID of each finished request, in order (None when absent)."""
        with self._lock:
            return [r.correlation_id for r in self._records]

    @property
    def side_effects(self) -> dict[str, int]:
        """Handler executions per Idempotency-Key; 1 means replays worked."""
        with self._lock:
            return dict(self._side_effects)

    @property
    def handler_runs(self) -> int:
        with self._lock:
            return self._handler_runs

    @property
    def replays(self) -> int:
        with self._lock:
            return self._replays

    @property
    def faults_injected(self) -> dict[str, int]:
        with self._lock:
            return dict(self._faults)

    @property
    def records(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def requests_to(self, path: str, method: str | None = None) -> int:
        """How many finished requests hit exactly ``path`` (and ``method`` if given)."""
        with self._lock:
            return sum(
                1
                for r in self._records
                if r.path == path and (method is None or r.method == method.upper())
            )

    def snapshot(self, *, records: bool = True) -> dict[str, Any]:
        """Counters as JSON-ready data; ``records=False`` leaves out the per-request lists."""
        with self._lock:
            counters: dict[str, Any] = {
                "requests": self._requests,
                "in_flight": self._in_flight,
                "max_in_flight": self._max_in_flight,
                "rejected_over_capacity": self._rejected,
                "handler_runs": self._handler_runs,
                "replays": self._replays,
                "faults_injected": dict(self._faults),
                "side_effects": dict(self._side_effects),
            }
            if records:
                counters["correlation_ids"] = [r.correlation_id for r in self._records]
                counters["records"] = [asdict(r) for r in self._records]
            return counters
