"""User configuration: ``ClientConfig`` and the settings it holds.

All models are frozen. Which fields the user actually set matters (pydantic's
``model_fields_set``): a field left at its default yields to the spec's
``x-resilience``, a field the user set wins over it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import httpx
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ._auth import Auth, coerce_auth
from ._breaker import CircuitBreakerConfig
from ._bulkhead import BulkheadConfig
from ._cache import CacheConfig
from ._events import ClientEvents
from ._exceptions import ConfigError
from ._ratelimit import RateLimitConfig
from ._redact import redact_headers, redact_url
from ._retry import DEFAULT_BUDGET_MAX_TOKENS, DEFAULT_BUDGET_TOKEN_RATIO
from ._state import StateBackend

_FROZEN = ConfigDict(frozen=True, extra="forbid", defer_build=True)

#: Statuses worth another attempt when the call may be repeated safely.
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class RetryConfig(BaseModel):
    """How failed attempts are repeated. ``max_attempts`` counts the first attempt."""

    model_config = _FROZEN

    max_attempts: int = Field(default=3, ge=1)
    backoff_base: float = Field(default=0.5, ge=0)
    backoff_cap: float = Field(default=8.0, ge=0)
    #: full jitter (a random wait between 0 and the exponential step) avoids herds
    jitter: bool = True
    #: a server's ``Retry-After`` is honoured up to this many seconds; longer -> fail now
    retry_after_cap: float = Field(default=30.0, ge=0)
    retry_statuses: frozenset[int] = RETRYABLE_STATUSES
    #: retry budget (gRPC-style token bucket); None turns it off. The defaults keep
    #: retries on below about 30% failed attempts and off in an outage (see RetryBudget)
    budget_max_tokens: float | None = Field(default=DEFAULT_BUDGET_MAX_TOKENS, gt=0)
    budget_token_ratio: float = Field(default=DEFAULT_BUDGET_TOKEN_RATIO, ge=0)

    @model_validator(mode="after")
    def _check(self) -> RetryConfig:
        if self.backoff_base > self.backoff_cap:
            raise ValueError(
                f"retry backoff_base ({self.backoff_base}) is above backoff_cap "
                f"({self.backoff_cap}); lower backoff_base or raise backoff_cap"
            )
        return self


class TimeoutConfig(BaseModel):
    """Per-attempt timeouts in seconds (None = no limit for that phase)."""

    model_config = _FROZEN

    connect: float | None = Field(default=5.0, gt=0)
    read: float | None = Field(default=30.0, gt=0)
    write: float | None = Field(default=30.0, gt=0)
    pool: float | None = Field(default=5.0, gt=0)

    @classmethod
    def of(cls, seconds: float) -> TimeoutConfig:
        return cls(connect=seconds, read=seconds, write=seconds, pool=seconds)

    def longest(self) -> float | None:
        values = [v for v in (self.connect, self.read, self.write, self.pool) if v is not None]
        return max(values) if values else None

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


class PoolLimits(BaseModel):
    """Connection pool sizing for the client's ``httpx.AsyncClient``."""

    model_config = _FROZEN

    max_connections: int | None = Field(default=100, ge=1)
    max_keepalive_connections: int | None = Field(default=20, ge=0)
    # Below the 5 s after which uvicorn, Node and many proxies close an idle connection:
    # with equal timers a request can go out on a connection the server is closing, and a
    # POST that meets that reset is not safe to retry.
    keepalive_expiry: float | None = Field(default=4.0, ge=0)

    def to_httpx(self) -> httpx.Limits:
        return httpx.Limits(
            max_connections=self.max_connections,
            max_keepalive_connections=self.max_keepalive_connections,
            keepalive_expiry=self.keepalive_expiry,
        )


class EventStreamConfig(BaseModel):
    """Reconnection of server-sent event streams (``<op>_events``) whose connection
    drops mid-stream; only idempotent operations reconnect."""

    model_config = _FROZEN

    #: reconnects in a row without an event in between before the drop is raised
    max_reconnects: int = Field(default=5, ge=0)
    #: seconds to wait before reconnecting until the server sends ``retry:``
    reconnect_delay: float = Field(default=3.0, ge=0)
    #: the longest wait a server's ``retry:`` can ask for
    max_reconnect_delay: float = Field(default=30.0, ge=0)


#: ``fn(error, call)``: sync or async; returns what the operation would have returned.
Fallback = Callable[..., Any]


class ClientConfig(BaseModel):
    """Everything a client can be told. Invalid combinations fail here, not per call."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", arbitrary_types_allowed=True, defer_build=True
    )

    base_url: str | None = None
    retry: RetryConfig = Field(default_factory=RetryConfig)
    circuit_breaker: CircuitBreakerConfig = Field(default_factory=CircuitBreakerConfig)
    #: None turns caching off entirely; the default caches only spec-cacheable operations
    cache: CacheConfig | None = Field(default_factory=CacheConfig)
    #: operation names to cache even though the spec does not mark them cacheable
    cache_operations: frozenset[str] = frozenset()
    bulkhead: BulkheadConfig | None = None
    #: per attempt: seconds for every phase, or a ``TimeoutConfig``
    timeout: TimeoutConfig = Field(default_factory=TimeoutConfig)
    #: seconds for the whole call, every attempt and backoff included
    deadline: float | None = Field(default=None, gt=0)
    #: seconds for a whole ``<op>_stream`` call, from its start to the end of its body
    #: (it also bounds the wait for the status); None: no total cap. An hour by default:
    #: the default max_response_bytes (64 MiB) arrives in an hour at 18 KiB/s, far below
    #: a working link, while a server dripping bytes can no longer hold a bulkhead slot
    #: and a breaker permit for ever.
    stream_deadline: float | None = Field(default=3600.0, gt=0)
    #: longest wait for the next data of a streamed body; None: the read timeout.
    #: At most the read timeout, which bounds every socket read anyway.
    stream_idle_timeout: float | None = Field(default=None, gt=0)
    event_stream: EventStreamConfig = Field(default_factory=EventStreamConfig)
    auth: Auth | None = None
    headers: Mapping[str, str] = Field(default_factory=dict)
    correlation_header: str = "X-Correlation-ID"
    user_agent: str | None = None
    max_response_bytes: int | None = Field(default=64 * 1024 * 1024, gt=0)
    pool: PoolLimits = Field(default_factory=PoolLimits)
    #: True, False, or the path of a CA bundle
    verify: bool | str = True
    #: mTLS client certificate: a PEM path holding both, or (certfile, keyfile)
    client_cert: str | tuple[str, str] | None = None
    follow_redirects: bool = True
    max_redirects: int = Field(default=5, ge=0)
    #: what sends the requests: "httpx" (the default), "aiohttp" (the ``[aiohttp]``
    #: extra) or "httptools" (the ``[httptools]`` extra: HTTP/1.1 only, no proxies),
    #: each several times faster per request than httpx under concurrency
    transport: Literal["httpx", "aiohttp", "httptools"] = "httpx"
    events: Sequence[ClientEvents] = ()
    fallbacks: Mapping[str, Fallback] = Field(default_factory=dict)
    #: refuse a response whose enum value the spec does not list (ResponseValidationError)
    #: instead of keeping it: today's contract, for users who want to hear about drift
    strict_responses: bool = False
    #: where breaker state, cached responses and a shared rate limit are kept for every
    #: replica (e.g. ``resilient_client.redis.RedisBackend``); None: this client only
    state_backend: Any = None
    #: client-side rate limit (GCRA), local or on the state backend; None: no limit
    rate_limit: RateLimitConfig | None = None

    @field_validator("state_backend")
    @classmethod
    def _is_backend(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, StateBackend):
            raise ValueError(
                f"state_backend must be a StateBackend such as "
                f"resilient_client.redis.RedisBackend, got {type(value).__name__}"
            )
        return value

    @field_validator("timeout", mode="before")
    @classmethod
    def _timeout_from_number(cls, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if value <= 0:
                raise ValueError(f"timeout must be positive seconds, got {value}")
            return TimeoutConfig.of(float(value))
        return value

    @field_validator("auth", mode="before")
    @classmethod
    def _coerce_auth(cls, value: Any) -> Any:
        return coerce_auth(value)

    @field_validator("correlation_header")
    @classmethod
    def _header_name(cls, value: str) -> str:
        if not value or any(ch in value for ch in " :\r\n\t"):
            raise ValueError(f"correlation_header {value!r} is not a valid header name")
        return value

    @model_validator(mode="after")
    def _check(self) -> ClientConfig:
        longest = self.timeout.longest()
        if self.deadline is not None and longest is not None and longest > self.deadline:
            raise ValueError(
                f"the per-attempt timeout ({longest}s) is above the total deadline "
                f"({self.deadline}s), so the deadline would always cut the first attempt "
                "short; lower timeout or raise deadline"
            )
        if (
            self.deadline is not None
            and self.bulkhead is not None
            and self.bulkhead.acquire_timeout > self.deadline
        ):
            raise ValueError(
                f"bulkhead acquire_timeout ({self.bulkhead.acquire_timeout}s) is above the "
                f"total deadline ({self.deadline}s); lower acquire_timeout or raise deadline"
            )
        idle, read = self.stream_idle_timeout, self.timeout.read
        if idle is not None and read is not None and idle > read:
            raise ValueError(
                f"stream_idle_timeout ({idle}s) is above the read timeout ({read}s), which "
                "bounds every read of a body, so it would never apply; lower "
                "stream_idle_timeout or raise the read timeout"
            )
        limit = self.rate_limit
        if limit is not None and limit.scope == "shared" and self.state_backend is None:
            raise ValueError(
                "rate_limit has scope='shared' but there is no state_backend to share "
                "it through; set state_backend=RedisBackend(...) or scope='local'"
            )
        if self.cache_operations and (self.cache is None or not self.cache.enabled):
            raise ValueError(
                "cache_operations names operations to cache but caching is off; set "
                "cache=CacheConfig() or drop cache_operations"
            )
        return self

    def __repr_args__(self) -> Any:
        # repr() and str() of a config are logged at start-up: credentials that came in
        # through headers or a URL's userinfo/query are masked (auth objects mask
        # themselves); model_dump() still returns the real values.
        for name, value in super().__repr_args__():
            if name == "headers" and isinstance(value, Mapping):
                value = redact_headers(value)
            elif name == "base_url" and isinstance(value, str):
                value = redact_url(value)
            yield name, value

    def user_set(self, section: str, name: str) -> bool:
        """True when the user explicitly gave ``section.name`` (e.g. retry.max_attempts)."""
        if section not in self.model_fields_set:
            return False
        value = getattr(self, section)
        return isinstance(value, BaseModel) and name in value.model_fields_set

    @classmethod
    def from_env(cls, prefix: str, environ: Mapping[str, str] | None = None) -> ClientConfig:
        """Build a config from ``{PREFIX}_*`` environment variables (twelve-factor).

        Only variables that are present count as "set by the user".
        """
        from ._env import config_kwargs_from_env

        kwargs = config_kwargs_from_env(prefix, environ)
        try:
            return cls(**kwargs)
        except ValidationError as exc:
            detail = "; ".join(str(err["msg"]) for err in exc.errors())
            names = ", ".join(sorted(kwargs))
            raise ConfigError(
                f"{prefix.rstrip('_').upper()}_* environment variables ({names}) do not "
                f"combine: {detail}"
            ) from None


def with_convenience(
    config: ClientConfig,
    timeout: float | None,
    max_retries: int | None,
    auth: Auth | str | tuple[str, str] | None,
    headers: Mapping[str, str] | None,
) -> ClientConfig:
    if timeout is None and max_retries is None and auth is None and headers is None:
        return config
    # Rebuilt from the fields the user set so "explicitly set" survives the merge.
    values: dict[str, Any] = {name: getattr(config, name) for name in config.model_fields_set}
    if timeout is not None:
        values["timeout"] = timeout
    if max_retries is not None:
        if max_retries < 0:
            raise ConfigError(f"max_retries must be 0 or more, got {max_retries}")
        retry = config.retry
        kept = {name: getattr(retry, name) for name in retry.model_fields_set}
        values["retry"] = RetryConfig(**{**kept, "max_attempts": max_retries + 1})
    if auth is not None:
        values["auth"] = auth
    if headers is not None:
        values["headers"] = {**config.headers, **headers}
    return ClientConfig(**values)
