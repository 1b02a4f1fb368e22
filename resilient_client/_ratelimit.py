"""Client-side rate limiting: a GCRA bucket per client or per operation, local or shared.

Every attempt the circuit breaker lets through (retries included: the server counts
requests, not calls) takes a slot before it is sent; a refused call takes none. A
slot that is not free yet is reserved and waited for, so concurrent callers queue in
order. A wait that would pass the call's deadline, or
``RateLimitConfig.max_wait``, is not taken: the call fails at once with
``RateLimitExceededError`` (a ``ClientError``, not an ``HTTPStatusError``: no request
was sent) whose ``retry_after`` says how long the wait would have been.

The server's own view wins when it gives one: a 429 or 503 with ``Retry-After``, or
``RateLimit-Remaining: 0`` / ``X-RateLimit-Remaining: 0`` with a reset time (or the
structured ``RateLimit: remaining=0, reset=N`` header), pauses the bucket until then,
for every caller sharing it. After a pause the bucket starts empty: requests resume at
``rate`` and the burst refills from there. A pause is cut to ``RateLimitConfig.max_pause``
(60 s by default): a bogus or misread reset (a Unix time taken for seconds, an hourly
window's hour) would otherwise hold every caller for that long, a shared bucket every
replica too; past the cap the next request asks again, and a server still out of quota
says so in its answer, which pauses the bucket anew.

A caller cancelled while it waits for its slot gives the slot back, so the callers
behind it are not held up by a request that was never sent (see
``ReturnableLimiterStore``); so does one cancelled while a shared store's answer is on
its way, once that answer arrives.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ._retry import parse_retry_after
from ._state import (
    BackendHealth,
    LimiterStore,
    ReturnableLimiterStore,
    _MemoryLimiter,
    answers_at_once,
)

__all__ = ["RateLimitConfig", "RateLimiter", "server_pause"]

logger = logging.getLogger("resilient_client.ratelimit")

#: an ``X-RateLimit-Reset`` above this is a Unix time (GitHub's style), not seconds
_EPOCH_THRESHOLD = 1_000_000_000.0
#: ... and above this a Unix time in milliseconds (read as seconds, it would pause the
#: bucket, a shared one included, for some 50,000 years)
_EPOCH_MS_THRESHOLD = 1_000_000_000_000.0


class RateLimitConfig(BaseModel):
    """Requests per second a client (or each of its operations) may send."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    #: sustained requests per second
    rate: float = Field(gt=0)
    #: requests that may go back to back before the rate applies
    burst: int = Field(default=1, ge=1)
    #: "client": one bucket for every operation; "operation": one bucket each
    per: Literal["client", "operation"] = "client"
    #: "local": this process only; "shared": one bucket for every replica, kept in the
    #: ClientConfig's state_backend (local again while the backend is unreachable)
    scope: Literal["local", "shared"] = "local"
    #: the longest a call waits for a slot (the call's deadline may cut it shorter)
    max_wait: float = Field(default=30.0, ge=0)
    #: follow the server's RateLimit-*/X-RateLimit-* headers and 429 Retry-After
    adaptive: bool = True
    #: the longest pause a server's reset or Retry-After puts on the bucket; a longer one
    #: is cut to this (the next answer renews it while the server is still out of quota)
    max_pause: float = Field(default=60.0, gt=0)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip().split(",")[0])
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _structured(value: str) -> tuple[float | None, float | None]:
    """remaining and reset from ``RateLimit: limit=10, remaining=0, reset=5`` (the IETF
    draft; later drafts spell them r= and t=)."""
    remaining = reset = None
    for item in value.replace(";", ",").split(","):
        name, _, raw = item.strip().partition("=")
        if name in ("remaining", "r"):
            remaining = _number(raw)
        elif name in ("reset", "t"):
            reset = _number(raw)
    return remaining, reset


def server_pause(status: int, headers: Mapping[str, str], wall_now: float) -> float | None:
    """Seconds the server asked us to hold off, or None when it did not."""
    if status in (429, 503):
        retry_after = parse_retry_after(headers.get("retry-after"))
        if retry_after is not None:
            return retry_after
    remaining = _number(headers.get("ratelimit-remaining"))
    reset = _number(headers.get("ratelimit-reset"))
    if remaining is None:
        remaining = _number(headers.get("x-ratelimit-remaining"))
        reset = _number(headers.get("x-ratelimit-reset"))
    if remaining is None and (structured := headers.get("ratelimit")) is not None:
        remaining, reset = _structured(structured)
    if reset is None or (remaining is None and status != 429):
        return None
    if remaining is not None and remaining > 0:
        return None
    if reset > _EPOCH_MS_THRESHOLD:
        reset = reset / 1000.0 - wall_now
    elif reset > _EPOCH_THRESHOLD:
        reset -= wall_now
    return max(0.0, reset)


class RateLimiter:
    """The client's limiter; ``acquire`` before each attempt, ``observe`` each answer."""

    def __init__(
        self,
        config: RateLimitConfig,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
        shared: LimiterStore | None = None,
        health: BackendHealth | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self._interval = 1.0 / config.rate
        self._burst = config.burst
        self._per_operation = config.per == "operation"
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._local = _MemoryLimiter(clock)
        self._shared = shared
        #: the shared store, when it can take back a cancelled waiter's slot (optional)
        self._returnable = shared if isinstance(shared, ReturnableLimiterStore) else None
        self._shared_at_once = answers_at_once(shared)
        self._health = health
        self._pending: set[asyncio.Future[Any]] = set()
        #: attempts that waited, and the seconds they waited in all
        self.waits = 0
        self.waited = 0.0

    def key(self, operation: str) -> str:
        return operation if self._per_operation else "*"

    async def acquire(self, operation: str, deadline_at: float | None) -> float | None:
        """Wait for a slot; returns None, or the wait that was refused (the caller raises)."""
        max_wait = self.config.max_wait
        if deadline_at is not None:
            max_wait = min(max_wait, deadline_at - self._clock())
        key = self.key(operation)
        granted, wait, slot, store = await self._take(key, max(0.0, max_wait))
        if not granted:
            return wait
        if wait > 0:
            self.waits += 1
            self.waited += wait
            try:
                await self._sleep(wait)
            except BaseException:  # cancelled: the slot would go unused, so return it
                self._give_back(store, key, slot)
                raise
        return None

    async def _take(
        self, key: str, max_wait: float
    ) -> tuple[bool, float, float, ReturnableLimiterStore | None]:
        """(granted, wait, slot, store): ``store`` took the slot and can take it back
        (None: a store that cannot)."""
        shared, health = self._shared, self._health
        if shared is not None and health is not None and health.usable():
            try:
                returnable = self._returnable
                if returnable is not None:
                    granted, wait, slot = await self._take_shared(returnable, key, max_wait)
                    return granted, wait, slot, returnable
                granted, wait = await shared.reserve(key, self._interval, self._burst, max_wait)
            except Exception as exc:
                health.failed(exc)
            else:
                health.succeeded()
                return granted, wait, 0.0, None
        granted, wait, slot = self._local.take_now(key, self._interval, self._burst, max_wait)
        return granted, wait, slot, self._local

    async def _take_shared(
        self, store: ReturnableLimiterStore, key: str, max_wait: float
    ) -> tuple[bool, float, float]:
        """``store.take``, whose answer a cancelled caller does not wait for but still
        hears: a slot granted to it then is given back like a cancelled waiter's."""
        if self._shared_at_once:
            return await store.take(key, self._interval, self._burst, max_wait)
        taking = asyncio.ensure_future(store.take(key, self._interval, self._burst, max_wait))
        try:
            return await asyncio.shield(taking)
        except asyncio.CancelledError:
            self._pending.add(taking)
            taking.add_done_callback(self._pending.discard)
            taking.add_done_callback(functools.partial(self._return_orphaned_slot, store, key))
            raise

    def _return_orphaned_slot(
        self,
        store: ReturnableLimiterStore,
        key: str,
        taking: asyncio.Future[tuple[bool, float, float]],
    ) -> None:
        if taking.cancelled() or taking.exception() is not None:
            return
        granted, _, slot = taking.result()
        if granted:
            self._give_back(store, key, slot)

    def _give_back(self, store: ReturnableLimiterStore | None, key: str, slot: float) -> None:
        if store is self._local:
            self._local.give_back_now(key, slot, self._interval, self._burst)
        elif store is not None:
            # A round trip, not to be awaited by a task being cancelled: in the background,
            # best effort (a store that is down loses the slot, as before).
            self._background(self._give_back_shared(store, key, slot))

    async def _give_back_shared(self, store: ReturnableLimiterStore, key: str, slot: float) -> None:
        assert self._health is not None
        try:
            await store.give_back(key, slot, self._interval, self._burst)
        except Exception as exc:
            self._health.failed(exc)
        else:
            self._health.succeeded()

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    def observe(self, operation: str, status: int, headers: Mapping[str, str]) -> None:
        if not self.config.adaptive:
            return
        pause = server_pause(status, headers, self._wall_clock())
        if pause is None or pause <= 0:
            return
        pause = min(pause, self.config.max_pause)
        key = self.key(operation)
        self._local.pause_now(key, pause, self._interval, self._burst)
        shared, health = self._shared, self._health
        if shared is not None and health is not None and health.usable():
            self._background(self._share_pause(key, pause))

    async def _share_pause(self, key: str, pause: float) -> None:
        assert self._shared is not None and self._health is not None
        try:
            await self._shared.pause(key, pause, self._interval, self._burst)
        except Exception as exc:
            self._health.failed(exc)
        else:
            self._health.succeeded()

    async def aclose(self) -> None:
        while self._pending:  # (a finished one may have started another: a give-back)
            await asyncio.gather(*self._pending, return_exceptions=True)
