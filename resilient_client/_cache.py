"""In-memory TTL + LRU response cache, and coalescing of concurrent identical misses.

Entries live in an ``OrderedDict`` rather than ``cachetools``: the runtime promises to
need only httpx, tenacity and pydantic, cachetools' TTLCache has one TTL per cache
(we need one per entry and a byte bound), and LRU order plus expiry is ~20 lines here.

An entry may belong to a group (the client uses the operation's name) with its own
entry bound, the spec's per-operation ``x-resilience: {cache: {max_entries: N}}``: a
group over its bound evicts its own least recently used entry, so one operation with
many distinct keys cannot push every other operation's answers out, while the
cache-wide bounds still hold for all entries together.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterator
from dataclasses import asdict, dataclass, fields
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CacheConfig", "CacheStats", "Coalescer", "ResponseCache"]

T = TypeVar("T")


class CacheConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ttl: float = Field(default=300.0, gt=0)
    max_entries: int = Field(default=1000, ge=1)
    max_bytes: int | None = Field(default=None, ge=1)
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class CacheStats:
    """A point-in-time view; also readable as a mapping (``stats["hit_rate"]``),
    the shape the hand-written clients returned."""

    size: int
    hits: int
    misses: int
    evictions: int
    hit_rate: float
    bytes: int
    #: entries dropped because their TTL passed (not counted as evictions)
    expirations: int = 0

    def __getitem__(self, key: str) -> Any:
        if key not in _STATS_KEYS:
            raise KeyError(key)
        return getattr(self, key)

    def __contains__(self, key: object) -> bool:
        return key in _STATS_KEYS

    def __iter__(self) -> Iterator[str]:
        return iter(_STATS_KEYS)

    def __len__(self) -> int:
        return len(_STATS_KEYS)

    def keys(self) -> tuple[str, ...]:
        return _STATS_KEYS

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_STATS_KEYS: tuple[str, ...] = tuple(f.name for f in fields(CacheStats))


@dataclass(slots=True)
class _Entry:
    expires_at: float
    value: Any
    size: int
    #: the group with its own bound this entry counts against, if any
    group: Hashable | None = None


class ResponseCache:
    """Bounded by entry count and optionally by the sum of entry sizes.

    ``clear()`` drops the entries but keeps the hit/miss/eviction counters, which
    describe the cache's history; ``reset_stats()`` zeroes those separately.
    """

    def __init__(
        self,
        *,
        max_entries: int = 1000,
        max_bytes: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        if max_bytes is not None and max_bytes < 1:
            raise ValueError("max_bytes must be at least 1 (or None for no byte bound)")
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._clock = clock
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        #: per bounded group, its keys in LRU order (oldest first), mirroring _entries
        self._groups: dict[Hashable, OrderedDict[Hashable, None]] = {}
        self._bytes = 0
        self._hits = 0
        self._misses = 0
        self._evictions = 0
        self._expirations = 0

    def get(self, key: Hashable) -> tuple[bool, Any]:
        entry = self._entries.get(key)
        if entry is None:
            self._misses += 1
            return False, None
        if entry.expires_at <= self._clock():
            self._drop(key, entry)
            self._expirations += 1
            self._misses += 1
            return False, None
        self._entries.move_to_end(key)
        if entry.group is not None:
            self._groups[entry.group].move_to_end(key)
        self._hits += 1
        return True, entry.value

    def peek(self, key: Hashable) -> tuple[bool, Any]:
        """Like ``get`` but counts nothing and leaves recency alone."""
        entry = self._entries.get(key)
        if entry is None or entry.expires_at <= self._clock():
            return False, None
        return True, entry.value

    def set(
        self,
        key: Hashable,
        value: Any,
        *,
        ttl: float,
        size: int = 0,
        group: Hashable | None = None,
        group_max_entries: int | None = None,
    ) -> None:
        """Store ``value`` for ``ttl`` seconds.

        With ``group_max_entries``, the entry counts against ``group``'s own bound: when
        the group holds more than that many entries, its least recently used one is
        evicted (counted in ``stats().evictions``). A bound below 1 stores nothing.
        """
        old = self._entries.get(key)
        if old is not None:
            # Drop first: a refresh that cannot be stored must not leave the stale value.
            self._drop(key, old)
        if ttl <= 0 or (self._max_bytes is not None and size > self._max_bytes):
            return
        bound = group_max_entries if group is not None else None
        if bound is not None and bound < 1:
            return
        self._entries[key] = _Entry(
            self._clock() + ttl, value, size, None if bound is None else group
        )
        self._bytes += size
        if bound is not None:
            members = self._groups.setdefault(group, OrderedDict())
            members[key] = None
            while len(members) > bound:
                oldest = next(iter(members))
                self._drop(oldest, self._entries[oldest])
                self._evictions += 1
        self._evict_beyond_bounds()

    def invalidate(self, key: Hashable) -> None:
        entry = self._entries.get(key)
        if entry is not None:
            self._drop(key, entry)

    def clear(self) -> None:
        self._entries.clear()
        self._groups.clear()
        self._bytes = 0

    def reset_stats(self) -> None:
        self._hits = self._misses = self._evictions = self._expirations = 0

    def purge_expired(self) -> int:
        """Drop every expired entry now; returns how many went."""
        now = self._clock()
        expired = [k for k, e in self._entries.items() if e.expires_at <= now]
        for key in expired:
            self._drop(key, self._entries[key])
        self._expirations += len(expired)
        return len(expired)

    def stats(self) -> CacheStats:
        lookups = self._hits + self._misses
        return CacheStats(
            size=len(self._entries),
            hits=self._hits,
            misses=self._misses,
            evictions=self._evictions,
            hit_rate=self._hits / lookups if lookups else 0.0,
            bytes=self._bytes,
            expirations=self._expirations,
        )

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return self.peek(key)[0] if isinstance(key, Hashable) else False

    def _drop(self, key: Hashable, entry: _Entry) -> None:
        del self._entries[key]
        self._bytes -= entry.size
        if entry.group is not None:
            self._leave_group(key, entry.group)

    def _leave_group(self, key: Hashable, group: Hashable) -> None:
        members = self._groups[group]
        del members[key]
        if not members:
            del self._groups[group]

    def _evict_beyond_bounds(self) -> None:
        entries = self._entries
        max_bytes = self._max_bytes
        while len(entries) > self._max_entries or (
            max_bytes is not None and self._bytes > max_bytes
        ):
            key, entry = entries.popitem(last=False)
            self._bytes -= entry.size
            if entry.group is not None:
                self._leave_group(key, entry.group)
            self._evictions += 1


class _Flight:
    __slots__ = ("task", "waiters")

    def __init__(self, task: asyncio.Task[Any]) -> None:
        self.task = task
        self.waiters = 0


class Coalescer:
    """Concurrent calls with the same key share one run of the factory.

    The shared work runs in its own task and each caller awaits it through
    ``asyncio.shield``: cancelling one caller (the first included) only stops that
    caller waiting. When the last caller has gone the shared task is cancelled, so
    abandoned work does not run on. The task copies the first caller's context
    (correlation id, for instance).
    """

    def __init__(self) -> None:
        self._flights: dict[Hashable, _Flight] = {}

    def in_flight(self) -> int:
        return len(self._flights)

    async def run(self, key: Hashable, factory: Callable[[], Awaitable[T]]) -> T:
        flight = self._flights.get(key)
        if flight is None:
            flight = self._start(key, factory)
        flight.waiters += 1
        try:
            result: T = await asyncio.shield(flight.task)
            return result
        except asyncio.CancelledError:
            if flight.waiters == 1 and not flight.task.done():
                # Forget the key now, not when the cancellation lands: a caller
                # arriving in between must start afresh instead of joining doomed work.
                self._forget(key, flight)
                flight.task.cancel()
            raise
        finally:
            flight.waiters -= 1

    def _start(self, key: Hashable, factory: Callable[[], Awaitable[T]]) -> _Flight:
        async def call() -> T:
            return await factory()

        flight = _Flight(asyncio.get_running_loop().create_task(call()))
        self._flights[key] = flight

        flight.task.add_done_callback(lambda _: self._forget(key, flight))
        return flight

    def _forget(self, key: Hashable, flight: _Flight) -> None:
        # Identity check: a newer flight may already own the key.
        if self._flights.get(key) is flight:
            del self._flights[key]
