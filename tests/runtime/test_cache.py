"""TTL + LRU response cache (fake clock) and miss coalescing (real asyncio, no sleeps)."""

from __future__ import annotations

import asyncio

import pytest
from fakes import FakeClock
from pydantic import ValidationError

from resilient_client._cache import CacheConfig, CacheStats, Coalescer, ResponseCache

# -- ResponseCache ----------------------------------------------------------------


def test_get_returns_stored_value_and_counts_hit() -> None:
    cache = ResponseCache(clock=FakeClock(500.0))
    cache.set("k", {"a": 1}, ttl=10)
    assert cache.get("k") == (True, {"a": 1})
    assert cache.get("other") == (False, None)
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.size) == (1, 1, 1)
    assert stats.hit_rate == 0.5


def test_cached_none_is_a_hit() -> None:
    cache = ResponseCache(clock=FakeClock(500.0))
    cache.set("k", None, ttl=10)
    assert cache.get("k") == (True, None)


def test_entry_expires_after_its_own_ttl() -> None:
    clock = FakeClock(500.0)
    cache = ResponseCache(clock=clock)
    cache.set("short", 1, ttl=5)
    cache.set("long", 2, ttl=50)
    clock.now += 4.999
    assert cache.get("short") == (True, 1)
    clock.now += 0.001
    assert cache.get("short") == (False, None)
    assert cache.get("long") == (True, 2)
    assert len(cache) == 1  # the expired entry was removed, not just hidden
    stats = cache.stats()
    assert (stats.misses, stats.expirations, stats.evictions) == (1, 1, 0)


def test_lru_evicts_least_recently_used_and_get_refreshes_recency() -> None:
    cache = ResponseCache(max_entries=3, clock=FakeClock(500.0))
    for key in "abc":
        cache.set(key, key, ttl=60)
    cache.get("a")  # a is now most recent; b is the oldest
    cache.set("d", "d", ttl=60)
    assert cache.peek("b") == (False, None)
    assert all(cache.peek(k)[0] for k in "acd")
    assert cache.stats().evictions == 1


def test_set_existing_key_replaces_and_refreshes_recency() -> None:
    cache = ResponseCache(max_entries=2, clock=FakeClock(500.0))
    cache.set("a", 1, ttl=60, size=10)
    cache.set("b", 2, ttl=60)
    cache.set("a", 3, ttl=60, size=4)
    cache.set("c", 4, ttl=60)
    assert cache.peek("a") == (True, 3)
    assert cache.peek("b") == (False, None)
    assert cache.stats().bytes == 4


def test_peek_counts_nothing_and_keeps_recency() -> None:
    cache = ResponseCache(max_entries=2, clock=FakeClock(500.0))
    cache.set("a", 1, ttl=60)
    cache.set("b", 2, ttl=60)
    assert cache.peek("a") == (True, 1)
    cache.set("c", 3, ttl=60)
    assert "a" not in cache  # peek did not make "a" recent
    stats = cache.stats()
    assert (stats.hits, stats.misses) == (0, 0)


def test_byte_bound_evicts_oldest_until_it_fits() -> None:
    cache = ResponseCache(max_entries=100, max_bytes=100, clock=FakeClock(500.0))
    cache.set("a", "a", ttl=60, size=40)
    cache.set("b", "b", ttl=60, size=40)
    cache.set("c", "c", ttl=60, size=40)  # 120 > 100: a goes
    assert [k for k in "abc" if k in cache] == ["b", "c"]
    assert cache.stats().bytes == 80
    cache.set("d", "d", ttl=60, size=100)  # needs everything else gone
    assert [k for k in "abcd" if k in cache] == ["d"]
    stats = cache.stats()
    assert (stats.bytes, stats.evictions) == (100, 3)


def test_entry_larger_than_byte_bound_is_not_stored_and_drops_stale_value() -> None:
    cache = ResponseCache(max_bytes=50, clock=FakeClock(500.0))
    cache.set("a", "old", ttl=60, size=10)
    cache.set("other", "x", ttl=60, size=10)
    cache.set("a", "huge", ttl=60, size=51)
    assert cache.peek("a") == (False, None)
    assert cache.peek("other") == (True, "x")  # nothing evicted for an unstorable entry
    stats = cache.stats()
    assert (stats.size, stats.bytes, stats.evictions) == (1, 10, 0)


def test_non_positive_ttl_is_not_stored() -> None:
    cache = ResponseCache(clock=FakeClock(500.0))
    cache.set("a", 1, ttl=0)
    assert len(cache) == 0


def test_invalidate_and_clear() -> None:
    cache = ResponseCache(clock=FakeClock(500.0))
    cache.set("a", 1, ttl=60, size=3)
    cache.set("b", 2, ttl=60, size=4)
    cache.get("a")
    cache.invalidate("a")
    cache.invalidate("missing")
    assert "a" not in cache
    assert cache.stats().bytes == 4
    cache.clear()
    stats = cache.stats()
    assert (stats.size, stats.bytes) == (0, 0)
    assert stats.hits == 1  # clear keeps history ...
    cache.reset_stats()
    assert cache.stats().hits == 0  # ... reset_stats zeroes it


def test_purge_expired() -> None:
    clock = FakeClock(500.0)
    cache = ResponseCache(clock=clock)
    cache.set("a", 1, ttl=1, size=5)
    cache.set("b", 2, ttl=10, size=5)
    clock.now += 2
    assert cache.purge_expired() == 1
    assert (len(cache), cache.stats().bytes) == (1, 5)


def test_group_bound_evicts_the_groups_own_least_recently_used_entry() -> None:
    cache = ResponseCache(max_entries=100, clock=FakeClock(500.0))
    cache.set("other", 0, ttl=60)  # the oldest entry overall, in no group
    for key in ("a1", "a2", "a3"):
        cache.set(key, key, ttl=60, group="a", group_max_entries=3)
    cache.get("a1")  # a1 is now the group's most recent; a2 its oldest
    cache.set("a4", "a4", ttl=60, group="a", group_max_entries=3)
    assert cache.peek("a2") == (False, None)
    assert all(cache.peek(k)[0] for k in ("other", "a1", "a3", "a4"))
    stats = cache.stats()
    assert (stats.size, stats.evictions) == (4, 1)


def test_group_bounds_are_per_group_and_the_cache_wide_bound_still_holds() -> None:
    cache = ResponseCache(max_entries=4, clock=FakeClock(500.0), max_bytes=100)
    for index in range(5):
        cache.set(("a", index), index, ttl=60, size=1, group="a", group_max_entries=2)
        cache.set(("b", index), index, ttl=60, size=1, group="b", group_max_entries=3)
    kept = [(g, i) for g in "ab" for i in range(5) if (g, i) in cache]
    # a keeps its own 2; b's bound is 3 but the cache holds 4 in all, so b's oldest went
    assert kept == [("a", 3), ("a", 4), ("b", 3), ("b", 4)]
    assert (cache.stats().size, cache.stats().bytes) == (4, 4)


def test_an_entry_evicted_by_the_cache_wide_bound_leaves_its_group() -> None:
    cache = ResponseCache(max_entries=3, clock=FakeClock(500.0))
    cache.set("g1", 1, ttl=60, group="g", group_max_entries=2)
    for key in "xyz":
        cache.set(key, key, ttl=60)  # z pushes g1, the oldest, out
    assert "g1" not in cache
    cache.set("g2", 2, ttl=60, group="g", group_max_entries=2)
    cache.set("g3", 3, ttl=60, group="g", group_max_entries=2)
    # g holds g2 and g3 only (no ghost of g1), so neither was evicted by the group bound
    assert "g2" in cache and "g3" in cache
    assert [k for k in "xyz" if k in cache] == ["z"]


def test_group_membership_follows_replace_invalidate_expiry_and_clear() -> None:
    clock = FakeClock(500.0)
    cache = ResponseCache(clock=clock)
    cache.set("a", 1, ttl=60, group="g", group_max_entries=2)
    cache.set("a", 2, ttl=60, group="g", group_max_entries=2)  # a replacement, not a second
    cache.set("b", 3, ttl=1, group="g", group_max_entries=2)
    assert cache.stats().evictions == 0
    clock.now += 2
    assert cache.get("b") == (False, None)  # expired: left the group
    cache.set("c", 4, ttl=60, group="g", group_max_entries=2)
    assert cache.get("a") == (True, 2)
    cache.invalidate("a")
    cache.set("d", 5, ttl=60, group="g", group_max_entries=2)
    assert "c" in cache and "d" in cache and cache.stats().evictions == 0
    cache.clear()
    for key in "xy":
        cache.set(key, key, ttl=60, group="g", group_max_entries=2)
    assert "x" in cache and "y" in cache and cache.stats().evictions == 0


def test_group_bound_below_one_stores_nothing_and_a_group_without_bound_is_ignored() -> None:
    cache = ResponseCache(clock=FakeClock(500.0))
    cache.set("a", 1, ttl=60, group="g", group_max_entries=0)
    assert len(cache) == 0
    for key in "abc":
        cache.set(key, key, ttl=60, group="g")  # no bound: only the cache-wide one
    assert len(cache) == 3


def test_hit_rate_over_many_lookups() -> None:
    cache = ResponseCache(clock=FakeClock(500.0))
    cache.set("k", 1, ttl=60)
    for _ in range(3):
        cache.get("k")
    cache.get("nope")
    assert cache.stats().hit_rate == 0.75
    assert ResponseCache().stats().hit_rate == 0.0


def test_stats_reads_like_a_mapping() -> None:
    cache = ResponseCache(clock=FakeClock(500.0))
    cache.set("k", 1, ttl=60)
    cache.get("k")
    stats = cache.stats()
    assert stats["hit_rate"] == 1.0
    assert stats["size"] == 1
    assert "misses" in stats
    assert dict(stats) == stats.as_dict()
    assert set(stats.keys()) >= {"size", "hits", "misses", "evictions", "hit_rate", "bytes"}
    with pytest.raises(KeyError):
        stats["as_dict"]


def test_stats_is_a_snapshot() -> None:
    cache = ResponseCache(clock=FakeClock(500.0))
    before = cache.stats()
    cache.get("x")
    assert before.misses == 0
    assert isinstance(before, CacheStats)


def test_constructor_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="max_entries"):
        ResponseCache(max_entries=0)
    with pytest.raises(ValueError, match="max_bytes"):
        ResponseCache(max_bytes=0)


def test_cache_config_validation() -> None:
    assert CacheConfig().ttl == 300.0
    assert CacheConfig().max_entries == 1000
    with pytest.raises(ValidationError, match="greater than 0"):
        CacheConfig(ttl=0)
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        CacheConfig(max_entries=0)
    with pytest.raises(ValidationError, match="Extra inputs"):
        CacheConfig.model_validate({"tll": 5})


# -- Coalescer --------------------------------------------------------------------


class Backend:
    """A factory whose calls block until released, counting how often it ran."""

    def __init__(self) -> None:
        self.calls = 0
        self.cancelled = 0
        self.gate = asyncio.Event()
        self.error: Exception | None = None

    async def fetch(self, value: str = "value") -> str:
        self.calls += 1
        try:
            await self.gate.wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        if self.error is not None:
            raise self.error
        return value


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_concurrent_identical_calls_share_one_factory_run() -> None:
    coalescer = Coalescer()
    backend = Backend()
    tasks = [asyncio.create_task(coalescer.run("k", backend.fetch)) for _ in range(20)]
    await settle()
    assert coalescer.in_flight() == 1
    backend.gate.set()
    assert await asyncio.gather(*tasks) == ["value"] * 20
    assert backend.calls == 1
    await settle()
    assert coalescer.in_flight() == 0  # the key is forgotten once done


async def test_key_is_forgotten_so_a_later_call_runs_again() -> None:
    coalescer = Coalescer()
    backend = Backend()
    backend.gate.set()
    await coalescer.run("k", backend.fetch)
    await coalescer.run("k", backend.fetch)
    assert backend.calls == 2


async def test_exception_propagates_to_every_waiter() -> None:
    coalescer = Coalescer()
    backend = Backend()
    backend.error = ConnectionError("down")
    tasks = [asyncio.create_task(coalescer.run("k", backend.fetch)) for _ in range(5)]
    await settle()
    backend.gate.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(r is backend.error for r in results)
    assert backend.calls == 1


async def test_different_keys_do_not_coalesce() -> None:
    coalescer = Coalescer()
    backend = Backend()
    a = asyncio.create_task(coalescer.run("a", lambda: backend.fetch("A")))
    b = asyncio.create_task(coalescer.run("b", lambda: backend.fetch("B")))
    await settle()
    assert coalescer.in_flight() == 2
    backend.gate.set()
    assert (await a, await b) == ("A", "B")
    assert backend.calls == 2


async def test_cancelled_leader_leaves_followers_unaffected() -> None:
    coalescer = Coalescer()
    backend = Backend()
    leader = asyncio.create_task(coalescer.run("k", backend.fetch))
    await settle()
    followers = [asyncio.create_task(coalescer.run("k", backend.fetch)) for _ in range(3)]
    await settle()
    leader.cancel()
    await settle()
    assert leader.cancelled()
    assert backend.cancelled == 0  # the shared call keeps running for the others
    backend.gate.set()
    assert await asyncio.gather(*followers) == ["value"] * 3
    assert backend.calls == 1


async def test_cancelled_follower_leaves_others_unaffected() -> None:
    coalescer = Coalescer()
    backend = Backend()
    tasks = [asyncio.create_task(coalescer.run("k", backend.fetch)) for _ in range(3)]
    await settle()
    tasks[1].cancel()
    await settle()
    backend.gate.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert results[0] == results[2] == "value"
    assert isinstance(results[1], asyncio.CancelledError)


async def test_shared_call_is_cancelled_when_every_waiter_has_gone() -> None:
    coalescer = Coalescer()
    backend = Backend()
    tasks = [asyncio.create_task(coalescer.run("k", backend.fetch)) for _ in range(3)]
    await settle()
    for task in tasks:
        task.cancel()
    await settle()
    assert backend.cancelled == 1
    assert coalescer.in_flight() == 0
    # a new call after the abandonment starts afresh instead of joining a dead task
    backend.gate.set()
    assert await coalescer.run("k", backend.fetch) == "value"
    assert backend.calls == 2


async def test_caller_joining_while_the_last_waiter_cancels_gets_a_fresh_call() -> None:
    coalescer = Coalescer()
    backend = Backend()
    first = asyncio.create_task(coalescer.run("k", backend.fetch))
    await settle()
    first.cancel()
    # scheduled after the cancellation but before its effects have all landed
    second = asyncio.create_task(coalescer.run("k", backend.fetch))
    await settle()
    backend.gate.set()
    assert await asyncio.wait_for(second, 1.0) == "value"
    assert first.cancelled()
    assert (backend.calls, backend.cancelled) == (2, 1)
