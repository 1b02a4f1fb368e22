"""Redis as the state backend: breaker state, cache and rate limit shared by replicas.

Install with ``pip install 'resilient-openapi-clients[redis]'`` (redis-py's asyncio client);
the rest of the runtime never imports this module, so redis stays optional::

    backend = RedisBackend.from_url("redis://127.0.0.1:6379/0")
    client = MyServiceClient(config=ClientConfig(state_backend=backend))

Every state change that replicas could race on is one Lua script run with EVALSHA
(redis-py loads it again after a server restart): a breaker trip, a half-open probe
permit, a probe's verdict, a rate-limit slot. Times are milliseconds of the
backend's clock (``time.time`` unless injected), passed to the scripts, so all
replicas must have roughly synchronised clocks; a cached response expires by Redis's
own TTL. Keys are ``{prefix}:{service}:{base URL}:...``, the base URL with any
password masked, cached responses under a SHA-256 of the request's cache key.

Every command is bounded by ``timeout`` (50 ms by default). A failure or timeout
makes the client use its local state; ``BackendHealth`` logs one warning per outage
and tries Redis again after ``retry_interval`` s (doubling up to
``max_retry_interval``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any

try:
    import redis.asyncio as aioredis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff
    from redis.commands.core import AsyncScript
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "resilient_client.redis needs redis-py: pip install 'resilient-openapi-clients[redis]'"
    ) from exc

from ._redact import redact_url
from ._state import BackendHealth

__all__ = ["RedisBackend"]

# Numbers are stored with three decimals: Lua turns a bare number into a string with
# 14 significant digits, which would round away the milliseconds of today's time.
_FORMAT = "local function f(x) return string.format('%.3f', x) end\n"

_BREAKER_ACQUIRE = _FORMAT + """
local now, max_probes, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local h = redis.call('HMGET', KEYS[1], 'state', 'until', 'probes', 'lease')
if not h[1] then return {0, '0'} end
local probes, lease_until = tonumber(h[3]) or 0, tonumber(h[4]) or 0
if h[1] == 'open' then
  local open_until = tonumber(h[2]) or 0
  if now < open_until then return {1, f(open_until - now)} end
  probes, lease_until = 0, 0
  redis.call('HSET', KEYS[1], 'state', 'half', 'ok', 0)
end
if probes >= max_probes and now >= lease_until then probes = 0 end
if probes < max_probes then
  redis.call('HSET', KEYS[1], 'probes', probes + 1, 'lease', f(now + lease))
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return {2, '0'}
end
return {3, f(lease_until - now)}
"""

_BREAKER_TRIP = _FORMAT + """
local now = tonumber(ARGV[1])
local open_until = now + tonumber(ARGV[2])
local h = redis.call('HMGET', KEYS[1], 'state', 'until')
if h[1] == 'open' then
  local current = tonumber(h[2]) or 0
  if current > open_until then open_until = current end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'state', 'open', 'until', f(open_until), 'probes', 0, 'ok', 0,
  'lease', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""

_BREAKER_PROBE_DONE = _FORMAT + """
local now, verdict = tonumber(ARGV[1]), tonumber(ARGV[2])
local h = redis.call('HMGET', KEYS[1], 'state', 'probes')
if not h[1] then return 0 end
if h[1] == 'open' then return 1 end
local probes = (tonumber(h[2]) or 0) - 1
if probes < 0 then probes = 0 end
if verdict > 0 then
  if redis.call('HINCRBY', KEYS[1], 'ok', 1) >= tonumber(ARGV[3]) then
    redis.call('DEL', KEYS[1])
    return 0
  end
elseif verdict < 0 then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'state', 'open', 'until', f(now + tonumber(ARGV[4])),
    'probes', 0, 'ok', 0, 'lease', 0)
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
redis.call('HSET', KEYS[1], 'probes', probes)
return 2
"""

_CACHE_GET = """
local value = redis.call('GET', KEYS[1])
if not value then return false end
return {value, redis.call('PTTL', KEYS[1])}
"""

# KEYS[1]: the bucket's theoretical arrival time; KEYS[2]: the given-back slots (a
# sorted set of send times, scored by them) that the next reservations fill first.
_LIMIT_TAKE = _FORMAT + """
local now, interval, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local max_wait = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. f(now))
local hole = redis.call('ZRANGEBYSCORE', KEYS[2], f(now), f(now + max_wait), 'LIMIT', 0, 1)
if hole[1] then
  redis.call('ZREM', KEYS[2], hole[1])
  return {1, f(tonumber(hole[1]) - now), hole[1]}
end
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local wait = tat - interval * (burst - 1) - now
if wait < 0 then wait = 0 end
if wait > max_wait then return {0, f(wait), '0'} end
tat = tat + interval
redis.call('SET', KEYS[1], f(tat), 'PX', math.ceil(tat - now) + 1000)
return {1, f(wait), f(now + wait)}
"""

# As _MemoryLimiter.give_back_now: undo the newest reservation (and any given-back
# ones right before it), else keep a future slot as a hole.
_LIMIT_GIVE_BACK = _FORMAT + """
local now, slot = tonumber(ARGV[1]), tonumber(ARGV[2])
local interval, burst = tonumber(ARGV[3]), tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]))
local function newest(t, s) return math.abs(t - (s + interval * burst)) < interval / 4 end
if tat and newest(tat, slot) then
  tat = tat - interval
  while true do
    local last = redis.call('ZREVRANGE', KEYS[2], 0, 0)
    if not last[1] or not newest(tat, tonumber(last[1])) then break end
    redis.call('ZREM', KEYS[2], last[1])
    tat = tat - interval
  end
  if tat > now then
    redis.call('SET', KEYS[1], f(tat), 'PX', math.ceil(tat - now) + 1000)
  else
    redis.call('DEL', KEYS[1])
  end
  return 1
end
if slot > now then
  redis.call('ZADD', KEYS[2], slot, f(slot))
  local ttl = math.ceil(slot - now) + 1000
  if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
  return 2
end
return 0
"""

_LIMIT_PAUSE = _FORMAT + """
local now = tonumber(ARGV[1])
local target = now + tonumber(ARGV[2]) + tonumber(ARGV[3]) * (tonumber(ARGV[4]) - 1)
local tat = tonumber(redis.call('GET', KEYS[1])) or 0
if target > tat then
  redis.call('SET', KEYS[1], f(target), 'PX', math.ceil(target - now) + 1000)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. f(now + tonumber(ARGV[2])))
return 1
"""

_BUDGET_ADD = _FORMAT + """
local max_tokens = tonumber(ARGV[2])
local tokens = (tonumber(redis.call('GET', KEYS[1])) or max_tokens) + tonumber(ARGV[1])
if tokens > max_tokens then tokens = max_tokens end
if tokens < 0 then tokens = 0 end
redis.call('SET', KEYS[1], f(tokens), 'PX', ARGV[3])
return f(tokens)
"""

#: a retry budget nobody touched for this long starts full again
_BUDGET_TTL_MS = 600_000

#: breaker keys outlive the state they hold by this much, then vanish (= closed)
_KEY_SLACK_MS = 60_000


def _ms(seconds: float) -> str:
    return f"{seconds * 1000.0:.3f}"


class RedisBackend:
    """Shared state for every client given this backend, in one Redis database.

    ``share_cache`` / ``share_breaker`` choose what is shared (a shared rate limit is
    asked for by ``RateLimitConfig(scope="shared")``). ``refresh_interval`` is how
    long a CLOSED breaker answer is reused before Redis is asked again: the price of
    a closed-breaker call is then at most one round trip per that interval.
    """

    def __init__(
        self,
        client: aioredis.Redis,
        *,
        prefix: str = "resilient",
        timeout: float = 0.05,
        retry_interval: float = 1.0,
        max_retry_interval: float = 30.0,
        share_cache: bool = True,
        share_breaker: bool = True,
        share_budget: bool = True,
        budget_sync_interval: float = 0.1,
        probe_lease: float = 30.0,
        refresh_interval: float = 0.005,
        clock: Callable[[], float] = time.time,
        health_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive seconds, got {timeout}")
        self.client = client
        self.prefix = prefix
        self.timeout = timeout
        self.share_cache = share_cache
        self.share_breaker = share_breaker
        self.share_budget = share_budget
        self.budget_sync_interval = budget_sync_interval
        self.breaker_options: dict[str, float] = {
            "probe_lease": probe_lease,
            "refresh_interval": refresh_interval,
        }
        self._clock = clock
        kwargs = client.connection_pool.connection_kwargs
        where = f"redis://{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"
        self.health = BackendHealth(
            where,
            retry_interval=retry_interval,
            max_retry_interval=max_retry_interval,
            clock=health_clock,
        )
        register = client.register_script
        self._acquire = register(_BREAKER_ACQUIRE)
        self._trip = register(_BREAKER_TRIP)
        self._probe_done = register(_BREAKER_PROBE_DONE)
        self._cache_get = register(_CACHE_GET)
        self._take = register(_LIMIT_TAKE)
        self._give_back = register(_LIMIT_GIVE_BACK)
        self._pause = register(_LIMIT_PAUSE)
        self._budget_add = register(_BUDGET_ADD)

    @classmethod
    def from_url(cls, url: str, **options: Any) -> RedisBackend:
        """A backend with its own connection pool; socket timeouts match ``timeout``
        and redis-py's own retries are off (the client falls back instead of waiting)."""
        timeout = float(options.get("timeout", 0.05))
        client = aioredis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
        return cls(client, **options)

    def __repr__(self) -> str:
        # host, port and database only: the client's password never reaches a log
        return f"RedisBackend({self.health.name!r}, prefix={self.prefix!r})"

    def namespace(self, service: str, base_url: str) -> str:
        return f"{self.prefix}:{service}:{redact_url(base_url)}"

    def breaker_store(self, namespace: str) -> _RedisBreaker | None:
        return _RedisBreaker(self, f"{namespace}:breaker") if self.share_breaker else None

    def cache_store(self, namespace: str) -> _RedisCache | None:
        return _RedisCache(self, f"{namespace}:cache:") if self.share_cache else None

    def limiter_store(self, namespace: str) -> _RedisLimiter:
        return _RedisLimiter(self, f"{namespace}:rate:")

    def budget_store(self, namespace: str) -> _RedisBudget | None:
        return _RedisBudget(self, f"{namespace}:budget") if self.share_budget else None

    def now_ms(self) -> str:
        return _ms(self._clock())

    async def run(
        self, script: AsyncScript, key: str, *args: str | int | float, keys: Sequence[str] = ()
    ) -> Any:
        try:
            async with asyncio.timeout(self.timeout):
                return await script(keys=[key, *keys], args=list(args))
        except (aioredis.ConnectionError, OSError):
            await self._drop_idle_connections()
            raise

    async def set_px(self, key: str, value: bytes, ttl_ms: int) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                await self.client.set(key, value, px=ttl_ms)
        except (aioredis.ConnectionError, OSError):
            await self._drop_idle_connections()
            raise

    async def _drop_idle_connections(self) -> None:
        # The pool's other connections went down with this one (a restarted server):
        # without this, each would fail once more after Redis is back, each a new
        # "outage" with its own warning.
        try:
            async with asyncio.timeout(self.timeout):
                await self.client.connection_pool.disconnect(inuse_connections=False)
        except Exception:  # closing dead sockets; nothing to report
            pass

    async def aclose(self) -> None:
        """Close the connection pool (when the backend made it, with ``from_url``)."""
        await self.client.aclose()


def _pair(reply: Sequence[Any]) -> tuple[int, float]:
    return int(reply[0]), float(reply[1]) / 1000.0


class _RedisBreaker:
    def __init__(self, backend: RedisBackend, key: str) -> None:
        self._b = backend
        self._key = key

    def _ttl(self, *seconds: float) -> int:
        return int(sum(seconds) * 1000.0) + _KEY_SLACK_MS

    async def acquire(self, max_probes: int, probe_lease: float) -> tuple[int, float]:
        b = self._b
        reply = await b.run(
            b._acquire, self._key, b.now_ms(), max_probes, _ms(probe_lease), self._ttl(probe_lease)
        )
        return _pair(reply)

    async def trip(self, recovery_timeout: float) -> None:
        b = self._b
        await b.run(
            b._trip, self._key, b.now_ms(), _ms(recovery_timeout), self._ttl(recovery_timeout)
        )

    async def reset(self) -> None:
        b = self._b
        async with asyncio.timeout(b.timeout):
            await b.client.delete(self._key)

    async def probe_done(
        self, verdict: int, success_threshold: int, recovery_timeout: float
    ) -> int:
        b = self._b
        reply = await b.run(
            b._probe_done,
            self._key,
            b.now_ms(),
            verdict,
            success_threshold,
            _ms(recovery_timeout),
            self._ttl(recovery_timeout),
        )
        return int(reply)


class _RedisCache:
    def __init__(self, backend: RedisBackend, prefix: str) -> None:
        self._b = backend
        self._prefix = prefix

    async def get(self, key: str) -> tuple[bytes, float] | None:
        reply = await self._b.run(self._b._cache_get, self._prefix + key)
        if reply is None:
            return None
        value, ttl_ms = reply
        return bytes(value), max(0.0, int(ttl_ms) / 1000.0)

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        await self._b.set_px(self._prefix + key, value, max(1, int(ttl * 1000.0)))


class _RedisLimiter:
    def __init__(self, backend: RedisBackend, prefix: str) -> None:
        self._b = backend
        self._prefix = prefix

    async def take(
        self, key: str, interval: float, burst: int, max_wait: float
    ) -> tuple[bool, float, float]:
        b = self._b
        k = self._prefix + key
        reply = await b.run(
            b._take, k, b.now_ms(), _ms(interval), burst, _ms(max_wait), keys=(k + ":holes",)
        )
        granted, wait = _pair(reply)
        return bool(granted), wait, float(reply[2]) / 1000.0

    async def reserve(
        self, key: str, interval: float, burst: int, max_wait: float
    ) -> tuple[bool, float]:
        granted, wait, _ = await self.take(key, interval, burst, max_wait)
        return granted, wait

    async def give_back(self, key: str, slot: float, interval: float, burst: int) -> None:
        b = self._b
        k = self._prefix + key
        await b.run(
            b._give_back,
            k,
            b.now_ms(),
            _ms(slot),
            _ms(interval),
            burst,
            keys=(k + ":holes",),
        )

    async def pause(self, key: str, seconds: float, interval: float, burst: int) -> None:
        b = self._b
        k = self._prefix + key
        await b.run(
            b._pause, k, b.now_ms(), _ms(seconds), _ms(interval), burst, keys=(k + ":holes",)
        )


class _RedisBudget:
    def __init__(self, backend: RedisBackend, key: str) -> None:
        self._b = backend
        self._key = key

    async def add(self, delta: float, max_tokens: float) -> float:
        b = self._b
        reply = await b.run(b._budget_add, self._key, f"{delta:.3f}", max_tokens, _BUDGET_TTL_MS)
        return float(reply)
