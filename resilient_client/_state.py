"""Where a client's resilience state lives: the backend protocols and the in-memory one.

A client keeps its breaker, cache and rate limiter in its own process unless
``ClientConfig(state_backend=...)`` names a backend; then the state that must be
common to every replica of a service is kept there as well: the breaker's open /
half-open state and its probe permits, the cached responses, the rate limiter's
bucket. The in-process pieces stay in front: the local breaker still counts
failures (and decides alone while the backend is unreachable), the local cache
answers repeated hits without a round trip.

Each store method is one atomic step (one Lua script on Redis), and takes its time
from the backend's own clock, so replicas on several machines agree on when a
circuit reopens. ``MemoryBackend`` implements the same steps in-process: it shares
state between clients of one process and is the reference the Redis scripts are
tested against (tests/runtime/test_state_stores.py runs both through one suite).
"""

from __future__ import annotations

import bisect
import logging
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

__all__ = [
    "BackendHealth",
    "BreakerStore",
    "BudgetStore",
    "CacheStore",
    "LimiterStore",
    "MemoryBackend",
    "ReturnableLimiterStore",
    "StateBackend",
    "gcra",
]

logger = logging.getLogger("resilient_client.state")

# Shared breaker states as the stores report them.
SHARED_CLOSED = 0
SHARED_OPEN = 1
SHARED_PROBE = 2  # half-open, and this caller holds a probe permit
SHARED_BUSY = 3  # half-open, every probe permit is taken


class BreakerStore(Protocol):
    """The open / half-open state of one service's breaker, common to every replica."""

    async def acquire(self, max_probes: int, probe_lease: float) -> tuple[int, float]:
        """(state, seconds): CLOSED; OPEN and the time left; PROBE (a permit, leased for
        ``probe_lease`` s so a replica that dies holding it cannot wedge the circuit);
        BUSY and the time until the newest lease ends."""
        ...

    async def trip(self, recovery_timeout: float) -> None:
        """Open the circuit for ``recovery_timeout`` s (an open one keeps the later end)."""
        ...

    async def reset(self) -> None:
        """Close the circuit for every replica (a manual ``CircuitBreaker.reset()``)."""
        ...

    async def probe_done(
        self, verdict: int, success_threshold: int, recovery_timeout: float
    ) -> int:
        """Return a probe permit with its verdict (1 success, -1 failure, 0 none); the
        state afterwards: CLOSED after ``success_threshold`` successes, OPEN after a
        failure, else PROBE (still half-open)."""
        ...


class CacheStore(Protocol):
    async def get(self, key: str) -> tuple[bytes, float] | None:
        """The stored bytes and the seconds they have left, or None."""
        ...

    async def set(self, key: str, value: bytes, ttl: float) -> None: ...


class LimiterStore(Protocol):
    async def reserve(
        self, key: str, interval: float, burst: int, max_wait: float
    ) -> tuple[bool, float]:
        """Take the next slot of a GCRA bucket: (True, wait) when it was taken and the
        caller may send after ``wait`` s; (False, wait) when the wait would exceed
        ``max_wait``, in which case nothing was taken."""
        ...

    async def pause(self, key: str, seconds: float, interval: float, burst: int) -> None:
        """Hold the bucket for ``seconds`` (the server said its quota resets then)."""
        ...


@runtime_checkable
class ReturnableLimiterStore(LimiterStore, Protocol):
    """A ``LimiterStore`` that can take back the slot of a waiter that was cancelled.

    Optional: the limiter uses these two when a store has them, so a custom store
    written against ``LimiterStore`` alone keeps working (its cancelled waiters' slots
    simply lapse)."""

    async def take(
        self, key: str, interval: float, burst: int, max_wait: float
    ) -> tuple[bool, float, float]:
        """``reserve``, plus the slot's send time on the store's clock: the ticket
        ``give_back`` needs."""
        ...

    async def give_back(self, key: str, slot: float, interval: float, burst: int) -> None:
        """Return a slot that will not be used: the bucket's newest reservation is
        undone; an earlier one becomes a hole the next ``take`` fills (a hole whose
        time has passed is dropped: sending later would crowd the next slot)."""
        ...


class BudgetStore(Protocol):
    async def add(self, delta: float, max_tokens: float) -> float:
        """Add ``delta`` tokens to the retry budget (a full bucket if none yet), kept
        within 0 and ``max_tokens``; returns the tokens now there."""
        ...


@runtime_checkable
class StateBackend(Protocol):
    """What ``ClientConfig(state_backend=...)`` accepts. A store method may raise (the
    backend is down, or slow past its timeout): the client then falls back to its
    local state, and ``health`` decides when to try the backend again."""

    health: BackendHealth

    def namespace(self, service: str, base_url: str) -> str: ...

    def breaker_store(self, namespace: str) -> BreakerStore | None: ...

    def cache_store(self, namespace: str) -> CacheStore | None: ...

    def limiter_store(self, namespace: str) -> LimiterStore: ...

    def budget_store(self, namespace: str) -> BudgetStore | None: ...


def gcra(
    tat: float, now: float, interval: float, burst: int, max_wait: float
) -> tuple[bool, float, float]:
    """Generic cell rate algorithm: (granted, wait, new theoretical arrival time).

    ``tat`` is when the bucket is next empty; a request may go at ``tat - interval *
    (burst - 1)``. Granting a request with a wait reserves its slot, so waiters queue
    in order instead of all waking at once.
    """
    tat = max(tat, now)
    wait = max(0.0, tat - interval * (burst - 1) - now)
    if wait > max_wait:
        return False, wait, tat
    return True, wait, tat + interval


def newest_slot(tat: float, slot: float, interval: float, burst: int) -> bool:
    """Whether ``slot`` is the bucket's newest reservation: GCRA moved ``tat`` to one
    ``interval`` past it plus the burst's allowance. Reservations are ``interval``
    apart, so a quarter of one tells them apart through any rounding."""
    return abs(tat - (slot + interval * burst)) < interval / 4


class BackendHealth:
    """Whether to use the backend now, with one warning per outage.

    After a failure the backend is skipped for ``retry_interval`` s, doubling per
    further failure up to ``max_retry_interval``; the first success afterwards logs
    that it is back and resets the interval.
    """

    def __init__(
        self,
        name: str,
        *,
        retry_interval: float = 1.0,
        max_retry_interval: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.retry_interval = retry_interval
        self.max_retry_interval = max_retry_interval
        self._clock = clock
        self.down = False
        self._skip_until = 0.0
        self._interval = retry_interval
        #: failures seen (every failed call, not every outage)
        self.failures = 0
        self.outages = 0

    def usable(self) -> bool:
        return not self.down or self._clock() >= self._skip_until

    def failed(self, error: BaseException) -> None:
        self.failures += 1
        if not self.down:
            self.down = True
            self.outages += 1
            self._interval = self.retry_interval
            # The error's type and text only: a connection error from a client library
            # names host and port, never a password.
            logger.warning(
                "state backend %s failed (%s: %s); using local state, retrying in %.1fs",
                self.name,
                type(error).__name__,
                error,
                self._interval,
                extra={"backend": self.name, "error_type": type(error).__name__},
            )
        elif self._clock() >= self._skip_until:
            # a retry after the interval failed: wait longer next time
            self._interval = min(self._interval * 2.0, self.max_retry_interval)
        else:
            return  # a call already in flight when the outage began: same outage
        self._skip_until = self._clock() + self._interval

    def succeeded(self) -> None:
        if self.down:
            self.down = False
            self._interval = self.retry_interval
            logger.info(
                "state backend %s is reachable again; sharing state",
                self.name,
                extra={"backend": self.name},
            )


# -- in-memory stores ----------------------------------------------------------------


class _MemoryBreaker:
    """The breaker steps, as the Redis scripts perform them (resilient_client/redis.py)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.state = SHARED_CLOSED
        self.open_until = 0.0
        self.probes = 0
        self.successes = 0
        self.lease_until = 0.0

    async def acquire(self, max_probes: int, probe_lease: float) -> tuple[int, float]:
        now = self._clock()
        if self.state == SHARED_CLOSED:
            return SHARED_CLOSED, 0.0
        if self.state == SHARED_OPEN:
            if now < self.open_until:
                return SHARED_OPEN, self.open_until - now
            self._half_open()
        if self.probes >= max_probes and now >= self.lease_until:
            self.probes = 0  # every permit outlived its lease: their holders are gone
        if self.probes < max_probes:
            self.probes += 1
            self.lease_until = now + probe_lease
            return SHARED_PROBE, 0.0
        return SHARED_BUSY, self.lease_until - now

    async def trip(self, recovery_timeout: float) -> None:
        until = self._clock() + recovery_timeout
        if self.state == SHARED_OPEN:
            until = max(until, self.open_until)
        self._half_open()
        self.state = SHARED_OPEN
        self.open_until = until

    async def probe_done(
        self, verdict: int, success_threshold: int, recovery_timeout: float
    ) -> int:
        if self.state != SHARED_PROBE:
            return self.state
        self.probes = max(0, self.probes - 1)
        if verdict > 0:
            self.successes += 1
            if self.successes >= success_threshold:
                self.state = SHARED_CLOSED
        elif verdict < 0:
            self._half_open()
            self.state = SHARED_OPEN
            self.open_until = self._clock() + recovery_timeout
        return self.state

    async def reset(self) -> None:
        self._half_open()
        self.state = SHARED_CLOSED

    def _half_open(self) -> None:
        self.state = SHARED_PROBE
        self.probes = 0
        self.successes = 0
        self.lease_until = 0.0


def answers_at_once(store: object) -> bool:
    """Whether ``store`` is one of the in-memory stores, whose steps never suspend: a
    caller cannot be cancelled while its step is in flight, so nothing needs shielding."""
    return isinstance(store, _MemoryBreaker | _MemoryLimiter)


class _MemoryCache:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._entries: dict[str, tuple[bytes, float]] = {}

    async def get(self, key: str) -> tuple[bytes, float] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        left = entry[1] - self._clock()
        if left <= 0:
            del self._entries[key]
            return None
        return entry[0], left

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        self._entries[key] = (value, self._clock() + ttl)


class _MemoryLimiter:
    """GCRA buckets with returnable slots, as the Redis scripts keep them."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._tat: dict[str, float] = {}
        #: send times of given-back slots that later reservations queue behind, sorted
        self._holes: dict[str, list[float]] = {}

    def take_now(
        self, key: str, interval: float, burst: int, max_wait: float
    ) -> tuple[bool, float, float]:
        now = self._clock()
        holes = self._holes.get(key)
        if holes:
            del holes[: bisect.bisect_left(holes, now)]  # passed: of no use any more
            if holes and holes[0] - now <= max_wait:
                slot = holes.pop(0)
                return True, slot - now, slot
        granted, wait, tat = gcra(self._tat.get(key, now), now, interval, burst, max_wait)
        self._tat[key] = tat
        return granted, wait, now + wait

    def reserve_now(
        self, key: str, interval: float, burst: int, max_wait: float
    ) -> tuple[bool, float]:
        granted, wait, _ = self.take_now(key, interval, burst, max_wait)
        return granted, wait

    def give_back_now(self, key: str, slot: float, interval: float, burst: int) -> None:
        now = self._clock()
        tat = self._tat.get(key)
        holes = self._holes.setdefault(key, [])
        if tat is not None and newest_slot(tat, slot, interval, burst):
            tat -= interval
            # the reservation before it may have been given back already: undo it too
            while holes and newest_slot(tat, holes[-1], interval, burst):
                holes.pop()
                tat -= interval
            self._tat[key] = tat
        elif slot > now:
            bisect.insort(holes, slot)

    async def reserve(
        self, key: str, interval: float, burst: int, max_wait: float
    ) -> tuple[bool, float]:
        return self.reserve_now(key, interval, burst, max_wait)

    async def take(
        self, key: str, interval: float, burst: int, max_wait: float
    ) -> tuple[bool, float, float]:
        return self.take_now(key, interval, burst, max_wait)

    async def give_back(self, key: str, slot: float, interval: float, burst: int) -> None:
        self.give_back_now(key, slot, interval, burst)

    def pause_now(self, key: str, seconds: float, interval: float, burst: int) -> None:
        target = self._clock() + seconds + interval * (burst - 1)
        if target > self._tat.get(key, 0.0):
            self._tat[key] = target
        holes = self._holes.get(key)
        if holes:  # a hole inside the pause must not let a request through
            del holes[: bisect.bisect_left(holes, self._clock() + seconds)]

    async def pause(self, key: str, seconds: float, interval: float, burst: int) -> None:
        self.pause_now(key, seconds, interval, burst)


class _MemoryBudget:
    def __init__(self) -> None:
        self.tokens: float | None = None

    async def add(self, delta: float, max_tokens: float) -> float:
        tokens = max_tokens if self.tokens is None else self.tokens
        self.tokens = min(max_tokens, max(0.0, tokens + delta))
        return self.tokens


class MemoryBackend:
    """State shared by the clients of one process (one event loop), kept in memory.

    The default (no ``state_backend``) keeps each client's state to itself; this
    backend lets several clients of one service share a breaker, a cache and a rate
    limit without Redis. It never fails, so ``health`` never goes down.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.health = BackendHealth("memory", clock=clock)
        self._breakers: dict[str, _MemoryBreaker] = {}
        self._caches: dict[str, _MemoryCache] = {}
        self._limiters: dict[str, _MemoryLimiter] = {}
        self._budgets: dict[str, _MemoryBudget] = {}
        #: as RedisBackend's: how often a client merges its retry-budget changes
        self.budget_sync_interval = 0.1

    def namespace(self, service: str, base_url: str) -> str:
        return f"{service}:{base_url}"

    def breaker_store(self, namespace: str) -> BreakerStore:
        return self._breakers.setdefault(namespace, _MemoryBreaker(self._clock))

    def cache_store(self, namespace: str) -> CacheStore:
        return self._caches.setdefault(namespace, _MemoryCache(self._clock))

    def limiter_store(self, namespace: str) -> LimiterStore:
        return self._limiters.setdefault(namespace, _MemoryLimiter(self._clock))

    def budget_store(self, namespace: str) -> BudgetStore:
        return self._budgets.setdefault(namespace, _MemoryBudget())
