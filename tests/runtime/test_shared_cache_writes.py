"""The shared cache's write on a miss runs beside the call, not in front of its answer.

Before, the caller waited for the store's ``set`` (up to the backend's timeout, 50 ms
for Redis) on every miss. Now the write is a task the ``SharedCache`` keeps, whose
failure reaches ``BackendHealth`` (one warning per outage), and which the client's
``aclose()`` waits for, or cancels past ``flush_timeout``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import respx
from fakes import FakeClock
from redis_server import RedisServer
from runtime_helpers import ItemClient

from resilient_client import ClientConfig, RetryConfig
from resilient_client._shared_cache import SharedCache
from resilient_client._state import BackendHealth, CacheStore, MemoryBackend
from resilient_client.redis import RedisBackend

ITEM = {"id": 7, "name": "seven"}


def cached(backend: Any) -> ClientConfig:
    return ClientConfig(
        state_backend=backend,
        retry=RetryConfig(max_attempts=1),
        cache_operations=frozenset({"get_item"}),
    )


class GatedCache:
    """A cache store whose ``set`` waits until the test opens the gate (never, for a
    stalled backend), or raises while ``error`` is set."""

    def __init__(self, store: CacheStore) -> None:
        self.store = store
        self.gate = asyncio.Event()
        self.started = 0
        self.written = 0
        self.cancelled = 0
        self.error: Exception | None = None

    async def get(self, key: str) -> tuple[bytes, float] | None:
        return await self.store.get(key)

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        self.started += 1
        if self.error is not None:
            raise self.error
        try:
            await self.gate.wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        await self.store.set(key, value, ttl)
        self.written += 1


class GatedBackend(MemoryBackend):
    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock=clock)
        self.health = BackendHealth("gated", retry_interval=1.0, clock=clock)
        self.gated: GatedCache | None = None

    def cache_store(self, namespace: str) -> CacheStore:
        if self.gated is None:
            self.gated = GatedCache(super().cache_store(namespace))
        return self.gated


def shared_cache_of(client: ItemClient) -> SharedCache:
    shared = client._pipeline.shared_cache
    assert shared is not None
    return shared


async def test_a_miss_answers_while_its_write_is_still_waiting(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    respx_mock.get("/items/7").respond(200, json=ITEM)
    backend = GatedBackend(clock)
    client = make_client(cached(backend))
    # (a guard against a hang only: a write awaited in the call never ends here)
    async with asyncio.timeout(30):
        item = await client.get_item(7)
    assert item.name == "seven"
    gated = backend.gated
    assert gated is not None
    await asyncio.sleep(0)  # the write task's first step
    assert (gated.started, gated.written) == (1, 0)
    shared = shared_cache_of(client)
    assert shared.pending_writes == 1
    # a stalled backend: close cancels the write rather than wait for ever
    shared.flush_timeout = 0.0
    with caplog.at_level(logging.WARNING, logger="resilient_client.state"):
        await client.aclose()
    assert (gated.cancelled, shared.pending_writes) == (1, 0)
    assert "1 shared cache write(s) still running at close were cancelled" in caplog.text


async def test_close_waits_for_a_slow_write_instead_of_losing_it(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    route = respx_mock.get("/items/7").respond(200, json=ITEM)
    backend = GatedBackend(clock)
    one = make_client(cached(backend))
    async with asyncio.timeout(30):  # a hang guard, as above
        await one.get_item(7)
    gated = backend.gated
    assert gated is not None

    async def open_gate_once_close_waits() -> None:
        while not gated.started:
            await asyncio.sleep(0)
        await asyncio.sleep(0)  # aclose() is waiting on the write by now
        gated.gate.set()

    await asyncio.gather(one.aclose(), open_gate_once_close_waits())
    assert (gated.written, gated.cancelled) == (1, 0)
    # the answer reached the store: another replica is served from it
    two = make_client(cached(backend))
    assert (await two.get_item(7)).name == "seven"
    assert route.call_count == 1 and shared_cache_of(two).hits == 1


async def test_failed_writes_reach_the_backends_health_once(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    respx_mock.get(url__regex=r"/items/\d+$").respond(200, json=ITEM)
    backend = GatedBackend(clock)
    client = make_client(cached(backend))
    backend.cache_store("init")  # the gated store exists before the first call
    gated = backend.gated
    assert gated is not None
    gated.error = ConnectionError("connection refused")
    with caplog.at_level(logging.WARNING, logger="resilient_client.state"):
        await client.get_item(1)
        await shared_cache_of(client).flush()
        assert backend.health.down and backend.health.failures == 1
        # while the backend is down (its retry interval) no write is even tried
        await client.get_item(2)
        await shared_cache_of(client).flush()
    assert gated.started == 1
    assert backend.health.failures == 1
    assert (await client.get_item(2)).name == "seven"  # the local cache still has it
    warnings = [r for r in caplog.records if "state backend gated failed" in r.getMessage()]
    assert len(warnings) == 1  # one warning for the outage, not one per write


async def test_against_redis_the_write_lands_after_the_answer(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    redis_server: RedisServer,
) -> None:
    route = respx_mock.get("/items/7").respond(200, json=ITEM)
    prefix = f"writes-{uuid.uuid4().hex[:8]}"
    backends = [RedisBackend.from_url(redis_server.url, prefix=prefix) for _ in range(2)]
    try:
        one = make_client(cached(backends[0]))
        await one.get_item(7)
        assert shared_cache_of(one).pending_writes == 1  # the answer came first
        await one.aclose()  # ...and closing waited for the write
        two = make_client(cached(backends[1]))
        assert (await two.get_item(7)).name == "seven"
        assert route.call_count == 1 and shared_cache_of(two).hits == 1
        await two.aclose()
    finally:
        for backend in backends:
            await backend.aclose()


class CleaningStore:
    """A cache store whose cancelled ``set`` cleans up before it ends, as a Redis
    client closing its connection does."""

    def __init__(self) -> None:
        self.cleaning = asyncio.Event()
        self.cleanup_done = asyncio.Event()

    async def get(self, key: str) -> tuple[bytes, float] | None:
        return None

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        try:
            await asyncio.Event().wait()  # a stalled backend
        except asyncio.CancelledError:
            self.cleaning.set()
            await self.cleanup_done.wait()
            raise


async def test_a_close_cancelled_while_a_write_cleans_up_stays_cancelled(clock: FakeClock) -> None:
    """Found on review: ``aclose`` awaited each cancelled write under
    ``suppress(CancelledError)``, which swallowed a cancellation of the close itself
    (a shutdown's own time limit) when it came during a write's cleanup."""
    import httpx

    from resilient_client._transport import RawResponse

    store = CleaningStore()
    shared = SharedCache(store, BackendHealth("cleaning", clock=clock), flush_timeout=0.0)
    await shared.put("key", RawResponse(200, "OK", httpx.Headers(), b"{}"), 60.0)
    await asyncio.sleep(0)  # the write starts and stalls
    closing = asyncio.create_task(shared.aclose())
    await store.cleaning.wait()  # close cancelled the write; it is cleaning up
    await asyncio.sleep(0)
    closing.cancel()
    store.cleanup_done.set()
    with pytest.raises(asyncio.CancelledError):
        await closing
    assert closing.cancelled()
    await asyncio.sleep(0)
    assert shared.pending_writes == 0
