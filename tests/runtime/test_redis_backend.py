"""The Redis backend against a real redis-server: round trips, Redis killed and
restarted mid-run, Redis frozen (slow), and the runtime importing without redis-py.

Round trips are counted by Redis itself (``INFO stats`` total_commands_processed),
not inferred from the code. A test that takes Redis away runs its own server so the
session's stays up for the rest; the backend's health clock is a fake one, so "retry
after the interval" is decided by the test, not by waiting.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import redis.asyncio as aioredis
import respx
from fakes import FakeClock, FakeSleep
from redis_server import RedisServer
from runtime_helpers import ItemClient

from resilient_client import (
    CircuitBreakerConfig,
    CircuitOpenError,
    CircuitState,
    ClientConfig,
    RateLimitConfig,
    RetryConfig,
    ServerError,
)
from resilient_client.redis import RedisBackend

OK = {"id": 1, "name": "a"}


def config_for(backend: RedisBackend, *, cache: bool = True) -> ClientConfig:
    return ClientConfig(
        state_backend=backend,
        retry=RetryConfig(max_attempts=1),
        circuit_breaker=CircuitBreakerConfig(
            failure_threshold=3, recovery_timeout=10.0, failure_rate_threshold=None
        ),
        cache_operations=frozenset({"get_item"}) if cache else frozenset(),
    )


class Commands:
    """Commands a backend's client sent (each one round trip: nothing is pipelined),
    counted where redis-py sends them."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def watch(self, backend: RedisBackend) -> RedisBackend:
        send = backend.client.execute_command

        async def counted(*args: Any, **options: Any) -> Any:
            self.sent.append(str(args[0]))
            return await send(*args, **options)

        backend.client.execute_command = counted  # type: ignore[method-assign]
        return backend

    async def count(self, work: Callable[[], Any]) -> int:
        before = len(self.sent)
        await work()
        return len(self.sent) - before


@pytest.fixture
def commands() -> Commands:
    return Commands()


@pytest.fixture
async def backend_on(
    redis_server: RedisServer, clock: FakeClock
) -> AsyncIterator[Callable[..., RedisBackend]]:
    made: list[RedisBackend] = []
    prefix = f"test-{uuid.uuid4().hex}"

    def factory(**options: Any) -> RedisBackend:
        options.setdefault("timeout", 2.0)  # a busy machine must not fake an outage
        backend = RedisBackend.from_url(redis_server.url, prefix=prefix, clock=clock, **options)
        made.append(backend)
        return backend

    yield factory
    for backend in made:
        await backend.aclose()


async def test_a_closed_breaker_call_costs_one_round_trip(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    backend_on: Callable[..., RedisBackend],
    commands: Commands,
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    # the retry budget's background merges are counted in their own test
    backend = commands.watch(backend_on(refresh_interval=0.0, share_budget=False))
    client = make_client(config_for(backend, cache=False))
    await client.get_item(1)  # connects and loads the script

    async def ten_calls() -> None:
        for _ in range(10):
            await client.get_item(1)

    assert await commands.count(ten_calls) == 10
    assert set(commands.sent[-10:]) == {"EVALSHA"}


async def test_a_closed_answer_is_reused_for_the_refresh_interval(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    backend_on: Callable[..., RedisBackend],
    commands: Commands,
    clock: FakeClock,
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    backend = commands.watch(backend_on(refresh_interval=0.005, share_budget=False))
    client = make_client(config_for(backend, cache=False))
    await client.get_item(1)

    async def calls() -> None:
        for _ in range(10):
            await client.get_item(1)  # the fake clock stands still
        clock.advance(0.006)
        await client.get_item(1)

    assert await commands.count(calls) == 1


async def test_a_shared_cache_hit_costs_one_round_trip_and_a_local_hit_none(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    backend_on: Callable[..., RedisBackend],
    commands: Commands,
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    respx_mock.get("/items/2").respond(200, json=OK)
    backend = commands.watch(backend_on(refresh_interval=0.0, share_budget=False))
    one, two = make_client(config_for(backend)), make_client(config_for(backend))
    await one.get_item(1)
    assert route.call_count == 1
    await two.get_item(2)  # connects and loads the scripts
    assert await commands.count(lambda: two.get_item(1)) == 1  # the lookup; no breaker call
    assert await commands.count(lambda: two.get_item(1)) == 0
    assert route.call_count == 1


async def test_the_retry_budget_merges_in_the_background_once_per_interval(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    backend_on: Callable[..., RedisBackend],
    commands: Commands,
    clock: FakeClock,
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    backend = commands.watch(
        backend_on(share_breaker=False, share_cache=False, budget_sync_interval=0.1)
    )
    client = make_client(config_for(backend, cache=False))
    await client.get_item(1)
    await client.aclose()  # flushes the first merge (and loads the script)

    client = make_client(config_for(backend, cache=False))

    async def calls() -> None:
        for _ in range(20):
            await client.get_item(1)
            await asyncio.sleep(0)  # a merge in flight gets to run
            clock.advance(0.025)

    # 20 calls over 0.5 s of the clock: at most a merge per 0.1 s (fewer when one is
    # still in flight), never one per call
    assert 1 <= await commands.count(calls) <= 6
    await client.aclose()
    assert client.retry_budget is not None
    assert client.retry_budget.tokens == pytest.approx(50.0)


async def test_breaker_shared_through_redis(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    backend_on: Callable[..., RedisBackend],
    clock: FakeClock,
) -> None:
    route = respx_mock.get("/items/1").respond(503)
    backend = backend_on(refresh_interval=0.0)
    one, two = make_client(config_for(backend)), make_client(config_for(backend))
    for _ in range(3):
        with pytest.raises(ServerError):
            await one.get_item(1, use_cache=False)
    await one._shared.aclose()  # type: ignore[union-attr]  # the trip has reached Redis
    with pytest.raises(CircuitOpenError) as refused:
        await two.get_item(1, use_cache=False)
    assert refused.value.retry_after == pytest.approx(10.0, abs=0.01)
    assert route.call_count == 3
    clock.advance(10.0)
    route.respond(200, json=OK)
    await two.get_item(1, use_cache=False)  # the one probe; success_threshold is 2
    await two._shared.aclose()  # type: ignore[union-attr]
    await one.get_item(1, use_cache=False)
    await one._shared.aclose()  # type: ignore[union-attr]
    assert one.circuit_breaker.state is CircuitState.CLOSED
    await two.get_item(1, use_cache=False)
    assert two.circuit_breaker.state is CircuitState.CLOSED


async def test_a_probe_permit_whose_caller_was_cancelled_is_handed_back(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    backend_on: Callable[..., RedisBackend],
    clock: FakeClock,
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    backend = backend_on(refresh_interval=0.0)
    one, two = make_client(config_for(backend)), make_client(config_for(backend))
    one.circuit_breaker.force_open()  # published to Redis: open for every replica
    await one._shared.aclose()  # type: ignore[union-attr]
    clock.advance(10.0)  # half-open: one probe permit (half_open_max_calls=1)
    # Replica one asks for it; Redis grants it, but the reply is still on its way
    # when the caller is cancelled.
    granted, reply_arrives = asyncio.Event(), asyncio.Event()
    run = backend.run

    async def slow_reply(script: Any, key: str, *args: Any, **options: Any) -> Any:
        reply = await run(script, key, *args, **options)
        if script is backend._acquire:
            granted.set()
            await reply_arrives.wait()
        return reply

    backend.run = slow_reply  # type: ignore[method-assign]
    caller = asyncio.create_task(one.get_item(1, use_cache=False))
    await granted.wait()
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    reply_arrives.set()
    await one._shared.aclose()  # type: ignore[union-attr]  # the permit went back
    # Replica two may probe now, not 30 s (the permit's lease) from now.
    await two.get_item(1, use_cache=False)
    assert route.call_count == 1


async def test_a_rate_limit_slot_whose_caller_was_cancelled_in_flight_is_given_back(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    backend_on: Callable[..., RedisBackend],
    sleeper: FakeSleep,
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    backend = backend_on(share_breaker=False, share_cache=False)
    config = ClientConfig(
        state_backend=backend,
        rate_limit=RateLimitConfig(rate=10, scope="shared"),
        retry=RetryConfig(max_attempts=1),
    )
    one, two = make_client(config), make_client(config)
    await one.get_item(1)  # takes the free slot
    # Replica one reserves the next (+0.1 s); Redis grants it, but the caller is
    # cancelled before the reply reaches it.
    granted, reply_arrives = asyncio.Event(), asyncio.Event()
    run = backend.run

    async def slow_reply(script: Any, key: str, *args: Any, **options: Any) -> Any:
        reply = await run(script, key, *args, **options)
        if script is backend._take:
            granted.set()
            await reply_arrives.wait()
        return reply

    backend.run = slow_reply  # type: ignore[method-assign]
    caller = asyncio.create_task(one.get_item(1))
    await granted.wait()
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    backend.run = run  # type: ignore[method-assign]
    reply_arrives.set()
    await one._shared.aclose()  # type: ignore[union-attr]  # the slot went back
    await two.get_item(1)  # the slot at +0.1 s, not the one after it
    assert sleeper.delays == [pytest.approx(0.1, abs=1e-3)]


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.stop()


async def keys(url: str, pattern: str) -> list[bytes]:
    raw = aioredis.Redis.from_url(url)
    try:
        return [key async for key in raw.scan_iter(match=pattern)]
    finally:
        await raw.aclose()


async def test_redis_killed_mid_run_falls_back_warns_once_and_is_used_again(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    own_redis: RedisServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    health_clock = FakeClock()
    backend = RedisBackend.from_url(
        own_redis.url,
        prefix="killed",
        timeout=0.5,
        retry_interval=1.0,
        refresh_interval=0.0,
        health_clock=health_clock,
    )
    try:
        one, two = make_client(config_for(backend)), make_client(config_for(backend))
        await one.get_item(1)
        # the shared cache write runs after the call returned: let it end before the
        # count (and before the kill, where it would fail and count as a failure)
        assert one._pipeline.shared_cache is not None
        await one._pipeline.shared_cache.flush()
        assert len(await keys(own_redis.url, "killed:*:cache:*")) == 1

        own_redis.kill()
        with caplog.at_level(logging.INFO, logger="resilient_client.state"):
            for _ in range(10):  # every call still answers, from local state
                assert (await two.get_item(1)).id == 1
                assert (await one.get_item(1, use_cache=False)).id == 1
            # two's first call missed Redis and fetched; its local cache answered the rest
            assert route.call_count == 1 + 1 + 10
            # one failed command per operation in flight when Redis went (a breaker
            # check, perhaps a retry-budget merge), then Redis is skipped
            assert backend.health.down and 1 <= backend.health.failures <= 2

            # the local breakers go on deciding alone
            route.respond(503)
            for _ in range(3):
                with pytest.raises(ServerError):
                    await one.get_item(1, use_cache=False)
            # the trip's publication (in the background) finds Redis down
            await one._shared.breaker.aclose()  # type: ignore[union-attr]
            assert one.circuit_breaker.state is CircuitState.OPEN
            assert two.circuit_breaker.state is CircuitState.CLOSED

            own_redis.start()  # same port, empty (no persistence)
            health_clock.advance(1.0)
            route.respond(200, json=OK)
            await two.get_item(1, use_cache=False)  # asks Redis again, stores the answer
            assert two._pipeline.shared_cache is not None
            await two._pipeline.shared_cache.flush()
            assert not backend.health.down
            # one's trip, missed by Redis, is published at its next call...
            with pytest.raises(CircuitOpenError):
                await one.get_item(1, use_cache=False)
            await one._shared.aclose()  # type: ignore[union-attr]
            # ...and from then on refuses the other replica's calls too
            with pytest.raises(CircuitOpenError) as refused:
                await two.get_item(1, use_cache=False)
            assert "every replica" in str(refused.value)
            assert route.call_count == 1 + 1 + 10 + 3 + 1
        assert len(await keys(own_redis.url, "killed:*:cache:*")) == 1
        records = [r for r in caplog.records if r.name == "resilient_client.state"]
        assert [r.levelno for r in records] == [logging.WARNING, logging.INFO]
        assert "using local state" in records[0].getMessage()
    finally:
        await backend.aclose()


async def test_a_frozen_redis_costs_one_timeout_then_is_skipped(
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
    own_redis: RedisServer,
) -> None:
    respx_mock.get("/items/1").respond(200, json=OK)
    health_clock = FakeClock()
    backend = RedisBackend.from_url(
        own_redis.url,
        prefix="frozen",
        timeout=0.2,  # bounded; generous enough that a busy machine is not an outage
        refresh_interval=0.0,
        health_clock=health_clock,
    )
    client = make_client(config_for(backend))
    try:
        await client.get_item(1, use_cache=False)
        # that call's shared cache write runs after it returned: let it end before the freeze
        assert client._pipeline.shared_cache is not None
        await client._pipeline.shared_cache.flush()
        assert own_redis.process is not None
        own_redis.process.send_signal(signal.SIGSTOP)  # accepts connections, never answers
        try:
            # wait_for only guards against a hang; the backend's own timeout ends it
            for _ in range(5):
                item = await asyncio.wait_for(client.get_item(1, use_cache=False), 10)
                assert item.id == 1
            # at most one timeout per operation in flight (breaker check, budget merge),
            # not one per call
            assert 1 <= backend.health.failures <= 2
        finally:
            own_redis.process.send_signal(signal.SIGCONT)
        health_clock.advance(1.0)
        await client.get_item(1, use_cache=False)
        assert not backend.health.down
    finally:
        await backend.aclose()


def test_the_runtime_imports_and_limits_rates_without_redis_installed() -> None:
    script = textwrap.dedent("""
        import sys

        class NoRedis:
            def find_spec(self, name, path=None, target=None):
                if name == "redis" or name.startswith("redis."):
                    raise ImportError("redis is not installed")
                return None

        sys.meta_path.insert(0, NoRedis())
        import resilient_client
        from resilient_client import ClientConfig, MemoryBackend, RateLimitConfig

        ClientConfig(
            state_backend=MemoryBackend(),
            rate_limit=RateLimitConfig(rate=5, scope="shared"),
        )
        assert not any(m == "redis" or m.startswith("redis.") for m in sys.modules)
        try:
            import resilient_client.redis
        except ImportError as exc:
            print(exc)
        """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "pip install 'resilient-openapi-clients[redis]'" in done.stdout


async def test_the_backend_never_shows_the_redis_password() -> None:
    backend = RedisBackend.from_url("redis://:s3cret-pw@127.0.0.1:1/2", prefix="p")
    try:
        text = repr(ClientConfig(state_backend=backend))
        assert "s3cret-pw" not in text and "127.0.0.1:1/2" in text
        assert "s3cret-pw" not in backend.namespace("svc", "http://u:pw2@h/")
        assert "pw2" not in backend.namespace("svc", "http://u:pw2@h/")
    finally:
        await backend.aclose()
