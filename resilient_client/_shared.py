"""A client's link to its state backend: the shared breaker, retry budget and the rest.

None of them ever fails a call because of the backend: a store call that raises or times
out (the backend bounds every call by its own timeout) marks the backend down in
``BackendHealth`` (one warning), and the client goes on with its local breaker and
cache until the backend answers again.

Breaker: the local ``CircuitBreaker`` still counts verdicts and decides when to trip;
a trip is published to the store, so every replica refuses calls, and from then on
the store decides: when the circuit half-opens, which replica may probe (at most
``half_open_max_calls`` across all of them) and when it closes. Each attempt asks
the store once (one round trip), except that a CLOSED answer is reused for
``refresh_interval`` s.

Cache: see ``_shared_cache``. Retry budget: ``SharedRetryBudget`` below.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from ._breaker import HALF_OPEN_RETRY_AFTER, BreakerTransition, CircuitBreaker, CircuitState
from ._config import ClientConfig
from ._ratelimit import RateLimiter
from ._retry import RetryBudget
from ._shared_cache import SharedCache
from ._state import (
    SHARED_BUSY,
    SHARED_CLOSED,
    SHARED_OPEN,
    SHARED_PROBE,
    BackendHealth,
    BreakerStore,
    BudgetStore,
    StateBackend,
    answers_at_once,
)

__all__ = ["SharedBreaker", "SharedRetryBudget", "SharedState", "attach_state"]

logger = logging.getLogger("resilient_client.state")

#: how long a replica that took a probe permit keeps it before others may reclaim it
DEFAULT_PROBE_LEASE = 30.0
#: how long a CLOSED answer from the store is trusted without asking again
DEFAULT_REFRESH_INTERVAL = 0.005


class _Background:
    """Store writes that need not hold up the call (publishing a trip, a probe's
    verdict); ``aclose`` waits for them so a closing client does not lose them."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Future[Any]] = set()

    def run(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # e.g. force_open() called from synchronous code: the local breaker has the
            # state; the store hears of it at the next call (the unpublished trip)
            work.close()
            return
        self.track(loop.create_task(work))

    def track(self, task: asyncio.Future[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        while self._tasks:  # (a finished one may have started another: a permit handed back)
            await asyncio.gather(*self._tasks, return_exceptions=True)


class SharedBreaker:
    """The store's breaker state in front of the local ``CircuitBreaker``."""

    def __init__(
        self,
        store: BreakerStore,
        health: BackendHealth,
        breaker: CircuitBreaker,
        *,
        clock: Callable[[], float],
        probe_lease: float = DEFAULT_PROBE_LEASE,
        refresh_interval: float = DEFAULT_REFRESH_INTERVAL,
    ) -> None:
        self.store = store
        self._answers_at_once = answers_at_once(store)
        self.health = health
        self.breaker = breaker
        self.config = breaker.config
        self._clock = clock
        self._probe_lease = probe_lease
        self._refresh_interval = refresh_interval
        self._closed_until = 0.0
        #: this replica tripped but the store has not heard it yet (it was down)
        self._unpublished_trip = False
        self._background = _Background()
        breaker.add_listener(self._on_local_transition)

    async def acquire(self) -> tuple[bool, float | None]:
        """(probe, refused): ``probe`` when this attempt holds a shared probe permit;
        ``refused`` is the retry-after of a refusal. (False, None): the store says
        CLOSED, or cannot be asked, and the local breaker decides."""
        if not self.config.enabled or self._clock() < self._closed_until:
            return False, None
        health = self.health
        if not health.usable():
            return False, None
        try:
            state, seconds = await self._ask_store()
        except Exception as exc:
            health.failed(exc)
            return False, None
        health.succeeded()
        breaker = self.breaker
        if state == SHARED_CLOSED:
            if self._refresh_interval > 0:
                self._closed_until = self._clock() + self._refresh_interval
            local = breaker.state
            if local is CircuitState.CLOSED:
                pass
            elif not self._unpublished_trip:
                breaker.follow(CircuitState.CLOSED)
            elif local is CircuitState.OPEN:
                # We tripped while the store was away: tell the others now, for the time
                # our circuit has left.
                self._background.run(self._publish_trip(breaker.retry_after()))
            return False, None
        if state == SHARED_PROBE:
            return True, None
        breaker.note_rejection()
        if state == SHARED_OPEN:
            breaker.follow(CircuitState.OPEN, seconds)
            return False, seconds
        assert state == SHARED_BUSY
        return False, min(HALF_OPEN_RETRY_AFTER, max(0.0, seconds))

    async def _ask_store(self) -> tuple[int, float]:
        """The store's answer, which a cancelled caller does not wait for but still hears:
        a probe permit granted to it would otherwise block every replica's probes until
        its lease ran out, so it is handed back (best effort: a store that fails then
        keeps it until the lease ends, as a replica that died holding it would)."""
        if self._answers_at_once:
            return await self.store.acquire(self.config.half_open_max_calls, self._probe_lease)
        asking = asyncio.ensure_future(
            self.store.acquire(self.config.half_open_max_calls, self._probe_lease)
        )
        try:
            return await asyncio.shield(asking)
        except asyncio.CancelledError:
            self._background.track(asking)
            asking.add_done_callback(self._return_orphaned_permit)
            raise

    def _return_orphaned_permit(self, asking: asyncio.Future[tuple[int, float]]) -> None:
        if asking.cancelled() or asking.exception() is not None:
            return
        if asking.result()[0] == SHARED_PROBE:
            self.settle_probe(0)

    def settle_probe(self, verdict: int) -> None:
        """A probe's verdict (1 success, -1 failure, 0 none) goes to the store."""
        self._background.run(self._report_probe(verdict))

    async def _report_probe(self, verdict: int) -> None:
        config = self.config
        try:
            state = await self.store.probe_done(
                verdict, config.success_threshold, config.recovery_timeout
            )
        except Exception as exc:
            self.health.failed(exc)
            return
        self.health.succeeded()
        if state == SHARED_CLOSED:
            self.breaker.follow(CircuitState.CLOSED)
        elif state == SHARED_OPEN:
            self.breaker.follow(CircuitState.OPEN, config.recovery_timeout)

    def _on_local_transition(self, event: BreakerTransition) -> None:
        if event.reason == "shared":
            return
        if event.to_state is CircuitState.OPEN:
            self._unpublished_trip = True
            self._closed_until = 0.0
            self._background.run(self._publish_trip(self.config.recovery_timeout))
        elif event.to_state is CircuitState.CLOSED:
            self._unpublished_trip = False
            if event.reason == "manual_reset":
                self._closed_until = 0.0
                self._background.run(self._publish_reset())

    async def _publish_reset(self) -> None:
        if not self.health.usable():
            return
        try:
            await self.store.reset()
        except Exception as exc:
            self.health.failed(exc)
            return
        self.health.succeeded()

    async def _publish_trip(self, open_for: float) -> None:
        if not self.health.usable():
            return
        try:
            await self.store.trip(open_for)
        except Exception as exc:
            self.health.failed(exc)
            return
        self.health.succeeded()
        self._unpublished_trip = False

    async def aclose(self) -> None:
        await self._background.drain()


class SharedRetryBudget(RetryBudget):
    """A retry budget whose tokens every replica spends and refunds together.

    Verdicts change the local tokens at once (no round trip on the call path); the
    changes are merged into the store at most every ``sync_interval`` s, in the
    background, and the store's total (with what arrived meanwhile) becomes the local
    view. So an outage seen by all replicas drains one shared bucket, and retries stop
    everywhere after ``max_tokens / 2`` net failures across the fleet, not per replica.
    """

    __slots__ = (
        "_background",
        "_clock",
        "_health",
        "_interval",
        "_next_sync",
        "_pending",
        "_store",
        "_syncing",
    )

    def __init__(
        self,
        max_tokens: float,
        ratio: float,
        store: BudgetStore,
        health: BackendHealth,
        *,
        clock: Callable[[], float],
        sync_interval: float,
    ) -> None:
        super().__init__(max_tokens, ratio)
        self._store = store
        self._health = health
        self._clock = clock
        self._interval = sync_interval
        self._next_sync = 0.0
        self._pending = 0.0
        self._syncing = False
        self._background = _Background()

    def on_failure(self) -> None:
        super().on_failure()
        self._pending -= 1.0
        self._maybe_sync()

    def on_success(self) -> None:
        super().on_success()
        self._pending += self._ratio
        self._maybe_sync()

    def _maybe_sync(self) -> None:
        if not self._syncing and self._clock() >= self._next_sync and self._health.usable():
            self._syncing = True
            self._background.run(self._sync())

    async def _sync(self) -> None:
        delta, self._pending = self._pending, 0.0
        try:
            total = await self._store.add(delta, self.max_tokens)
        except Exception as exc:
            self._health.failed(exc)
        else:
            self._health.succeeded()
            self.tokens = min(self.max_tokens, max(0.0, total + self._pending))
        finally:
            self._syncing = False
            self._next_sync = self._clock() + self._interval

    async def aclose(self) -> None:
        if self._pending:
            self._syncing = True
            self._background.run(self._sync())
        await self._background.drain()


class SharedState:
    """What one client holds of its state backend and rate limit."""

    def __init__(
        self,
        breaker: SharedBreaker | None,
        cache: SharedCache | None,
        limiter: RateLimiter | None,
        backend: StateBackend | None,
        budget: SharedRetryBudget | None = None,
    ) -> None:
        self.breaker = breaker
        self.cache = cache
        self.limiter = limiter
        self.backend = backend
        self.budget = budget

    async def aclose(self) -> None:
        if self.cache is not None:
            await self.cache.aclose()
        if self.budget is not None:
            await self.budget.aclose()
        if self.breaker is not None:
            await self.breaker.aclose()
        if self.limiter is not None:
            await self.limiter.aclose()


def attach_state(
    config: ClientConfig,
    breaker: CircuitBreaker,
    *,
    service: str,
    base_url: str,
    clock: Callable[[], float],
    sleep: Callable[[float], Any],
) -> SharedState | None:
    """The shared pieces a client's config asks for; None when it asks for none (the
    default, which leaves the call path exactly as without a backend)."""
    backend: StateBackend | None = config.state_backend
    limit = config.rate_limit
    if backend is None and limit is None:
        return None
    shared_breaker = shared_cache = None
    limiter = None
    budget = None
    namespace = backend.namespace(service, base_url) if backend is not None else ""
    if backend is not None:
        breaker_store = backend.breaker_store(namespace)
        if breaker_store is not None:
            options = getattr(backend, "breaker_options", {})
            shared_breaker = SharedBreaker(
                breaker_store, backend.health, breaker, clock=clock, **options
            )
        budget_store = backend.budget_store(namespace)
        retry = config.retry
        if budget_store is not None and retry.budget_max_tokens is not None:
            budget = SharedRetryBudget(
                retry.budget_max_tokens,
                retry.budget_token_ratio,
                budget_store,
                backend.health,
                clock=clock,
                sync_interval=float(getattr(backend, "budget_sync_interval", 0.1)),
            )
        cache_store = backend.cache_store(namespace)
        if cache_store is not None and config.cache is not None and config.cache.enabled:
            shared_cache = SharedCache(cache_store, backend.health)
    if limit is not None:
        shared_limiter = None
        if limit.scope == "shared" and backend is not None:
            shared_limiter = backend.limiter_store(namespace)
        limiter = RateLimiter(
            limit,
            clock=clock,
            sleep=sleep,
            shared=shared_limiter,
            health=backend.health if backend is not None else None,
        )
    return SharedState(shared_breaker, shared_cache, limiter, backend, budget)
