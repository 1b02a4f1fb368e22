"""Bulkhead: a cap on concurrent calls with a bounded, FIFO wait for a slot.

Not ``asyncio.Semaphore``: we need a wait bounded by time that answers False instead
of raising, counters for observability, and hand-over semantics that make
cancellation safe (a freed slot goes straight to the next live waiter, so a caller
cancelled while waiting can neither leak a slot nor let a newcomer jump the queue).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Bulkhead", "BulkheadConfig"]


class BulkheadConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    max_concurrency: int = Field(ge=1)
    #: seconds to wait for a slot; 0 means fail at once when full
    acquire_timeout: float = Field(default=0.0, ge=0)


class Bulkhead:
    def __init__(self, config: BulkheadConfig) -> None:
        self.config = config
        self._limit = config.max_concurrency
        self._timeout = config.acquire_timeout
        self._in_flight = 0
        self._max_in_flight_seen = 0
        self._rejected = 0
        # Each waiter's future resolves True when a slot is handed to it, False when
        # its wait timed out.
        self._waiters: deque[asyncio.Future[bool]] = deque()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def max_in_flight_seen(self) -> int:
        return self._max_in_flight_seen

    @property
    def rejected(self) -> int:
        return self._rejected

    @property
    def waiting(self) -> int:
        return sum(1 for w in self._waiters if not w.done())

    def try_acquire(self) -> bool:
        """A free slot taken at once, without a coroutine; False: ``acquire`` must wait."""
        if self._in_flight < self._limit and not self._waiters:
            self._take_slot()
            return True
        return False

    async def acquire(self) -> bool:
        if self.try_acquire():
            return True
        if self._timeout <= 0:
            self._rejected += 1
            return False
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[bool] = loop.create_future()
        self._waiters.append(waiter)
        timer = loop.call_later(self._timeout, self._expire, waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.result():
                # The slot was handed over just before the cancellation landed: pass
                # it on rather than leak it.
                self.release()
            else:
                self._discard(waiter)
            raise
        finally:
            timer.cancel()

    def release(self) -> None:
        if self._in_flight <= 0:
            raise RuntimeError("Bulkhead.release() called without a matching acquire()")
        self._in_flight -= 1
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._take_slot()
                waiter.set_result(True)
                return

    def _take_slot(self) -> None:
        self._in_flight += 1
        if self._in_flight > self._max_in_flight_seen:
            self._max_in_flight_seen = self._in_flight

    def _expire(self, waiter: asyncio.Future[bool]) -> None:
        if not waiter.done():
            self._rejected += 1
            self._discard(waiter)
            waiter.set_result(False)

    def _discard(self, waiter: asyncio.Future[bool]) -> None:
        with contextlib.suppress(ValueError):
            self._waiters.remove(waiter)
