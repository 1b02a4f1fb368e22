"""Thread-safe views of a sync client's breaker, bulkhead and retry budget.

The async client's ``CircuitBreaker``, ``Bulkhead`` and ``RetryBudget`` take no locks:
they are safe because only the event loop's thread touches them. A sync client's caller
runs on another thread, so handing it those objects would let it read half-updated
counters, or move the breaker (``state`` makes the OPEN -> HALF_OPEN transition and runs
its listeners) at the same moment as a call on the loop. These views hold the object and
the client's ``Portal``: every read that needs a consistent answer and every change runs
on the loop's thread (``Portal.run_sync``: directly while the loop has not started, as
nothing else can touch the object then). Only ``peek_state()`` reads from the caller's
thread, as a metrics scrape does: it moves nothing and runs no listener.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ._breaker import BreakerStats, BreakerTransition, CircuitBreakerConfig, CircuitState
from ._bulkhead import Bulkhead, BulkheadConfig

if TYPE_CHECKING:
    from ._breaker import CircuitBreaker
    from ._portal import Portal
    from ._retry import RetryBudget

__all__ = ["SyncBulkheadView", "SyncCircuitBreakerView", "SyncRetryBudgetView"]


class SyncCircuitBreakerView:
    """``sync_client.circuit_breaker``: the async client's breaker, read and driven on
    its loop's thread."""

    __slots__ = ("_breaker", "_portal")

    def __init__(self, portal: Portal, breaker: CircuitBreaker) -> None:
        self._portal = portal
        self._breaker = breaker

    def __repr__(self) -> str:
        return f"<SyncCircuitBreakerView {self.name!r} {self.peek_state().value}>"

    @property
    def name(self) -> str:
        return self._breaker.name

    @property
    def config(self) -> CircuitBreakerConfig:
        return self._breaker.config  # frozen: safe from any thread

    @property
    def state(self) -> CircuitState:
        """The state now; an OPEN circuit whose recovery timeout passed moves to
        HALF_OPEN here, on the loop's thread, as ``CircuitBreaker.state`` does."""
        breaker = self._breaker
        return self._portal.run_sync(lambda: breaker.state)

    def peek_state(self) -> CircuitState:
        """``state`` read from this thread without moving the breaker (for a scrape)."""
        return self._breaker.peek_state()

    def stats(self) -> BreakerStats:
        """Counters and state taken together, in one step on the loop's thread."""
        return self._portal.run_sync(self._breaker.stats)

    def retry_after(self) -> float:
        return self._portal.run_sync(self._breaker.retry_after)

    def reset(self) -> None:
        """Close the circuit (see ``CircuitBreaker.reset``); listeners run on the loop."""
        self._portal.run_sync(self._breaker.reset)

    def force_open(self) -> None:
        self._portal.run_sync(self._breaker.force_open)

    def add_listener(self, fn: Callable[[BreakerTransition], None]) -> None:
        """``fn`` is called on the loop's thread at each transition: it must not call
        the sync client (that would wait for itself)."""
        breaker = self._breaker
        self._portal.run_sync(lambda: breaker.add_listener(fn))


class SyncBulkheadView:
    """``sync_client.bulkhead``: the concurrency cap every thread's calls share, its
    counters read on the loop's thread."""

    __slots__ = ("_bulkhead", "_portal")

    def __init__(self, portal: Portal, bulkhead: Bulkhead) -> None:
        self._portal = portal
        self._bulkhead = bulkhead

    def __repr__(self) -> str:
        return f"<SyncBulkheadView max_concurrency={self.config.max_concurrency}>"

    @property
    def config(self) -> BulkheadConfig:
        return self._bulkhead.config

    @property
    def in_flight(self) -> int:
        bulkhead = self._bulkhead
        return self._portal.run_sync(lambda: bulkhead.in_flight)

    @property
    def max_in_flight_seen(self) -> int:
        bulkhead = self._bulkhead
        return self._portal.run_sync(lambda: bulkhead.max_in_flight_seen)

    @property
    def rejected(self) -> int:
        bulkhead = self._bulkhead
        return self._portal.run_sync(lambda: bulkhead.rejected)

    @property
    def waiting(self) -> int:
        # walks the waiters' deque, which the loop changes: never from another thread
        bulkhead = self._bulkhead
        return self._portal.run_sync(lambda: bulkhead.waiting)


class SyncRetryBudgetView:
    """``sync_client.retry_budget``: the retry budget's tokens, read on the loop's thread
    (a shared budget changes them there when it syncs with the backend)."""

    __slots__ = ("_budget", "_portal")

    def __init__(self, portal: Portal, budget: RetryBudget) -> None:
        self._portal = portal
        self._budget = budget

    def __repr__(self) -> str:
        return f"<SyncRetryBudgetView max_tokens={self.max_tokens:g}>"

    @property
    def max_tokens(self) -> float:
        return self._budget.max_tokens

    @property
    def tokens(self) -> float:
        budget = self._budget
        return self._portal.run_sync(lambda: budget.tokens)

    def can_retry(self) -> bool:
        return self._portal.run_sync(self._budget.can_retry)
