"""``BaseServiceClient``: the class every generated client subclasses."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import inspect
import logging
import ssl
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import httpx

from ._auth import Auth, coerce_auth
from ._breaker import CircuitBreaker
from ._bulkhead import Bulkhead
from ._cache import CacheStats, Coalescer, ResponseCache
from ._config import ClientConfig, Fallback, RetryConfig
from ._correlation import resolve_correlation_id
from ._events import FallbackEvent
from ._exceptions import (
    BulkheadFullError,
    CircuitOpenError,
    ClientClosedError,
    ClientError,
    ConfigError,
    TransportError,
)
from ._health import HEALTH_OPERATION, HealthStatus, health_from_error, health_from_result
from ._metrics import Metrics, MetricsSnapshot
from ._operation import NO_BODY, Operation
from ._pipeline import Call, Runtime, _emit, logger, outcome_of, run_attempts
from ._policy import Plan, resolve_plan
from ._redact import protect_httpx_logs
from ._retry import RetryBudget, default_rand
from ._serialize import form_fields, json_bytes, query_pairs, simple_text
from ._version import __version__

T = TypeVar("T")

_FALLBACK_ERRORS = (CircuitOpenError, BulkheadFullError, TransportError)


@dataclass(frozen=True, slots=True)
class CallInfo:
    """The arguments of a failed call, handed to its fallback."""

    operation: str
    correlation_id: str
    path_params: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    json: Any = None


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~0.3 s; one verifying context serves every client.
    return httpx.create_ssl_context()


def _ssl_context(config: ClientConfig) -> ssl.SSLContext | bool:
    if config.client_cert is None and not isinstance(config.verify, str):
        return _default_ssl_context() if config.verify else False
    cafile = config.verify if isinstance(config.verify, str) else None
    context = ssl.create_default_context(cafile=cafile)
    if config.verify is False:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if config.client_cert is not None:
        if isinstance(config.client_cert, tuple):
            context.load_cert_chain(config.client_cert[0], config.client_cert[1])
        else:
            context.load_cert_chain(config.client_cert)
    return context


def _merge_convenience(
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


class BaseServiceClient:
    """Async client base: one pooled ``httpx.AsyncClient`` and the resilience pipeline."""

    service_name: ClassVar[str] = "service"
    default_base_url: ClassVar[str | None] = None
    health_operation: ClassVar[Operation[Any] | None] = None

    def __init__(
        self,
        base_url: str | None = None,
        *,
        config: ClientConfig | None = None,
        http_client: httpx.AsyncClient | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        auth: Auth | str | tuple[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        config = _merge_convenience(config or ClientConfig(), timeout, max_retries, auth, headers)
        self._config = config
        resolved = base_url or config.base_url or self.default_base_url
        if resolved is None and http_client is not None and str(http_client.base_url):
            resolved = str(http_client.base_url)
        if not resolved:
            raise ConfigError(
                f"{type(self).__name__} has no base URL: pass base_url=... or set "
                "ClientConfig(base_url=...)"
            )
        self.base_url = resolved.rstrip("/")
        self._clock = clock or time.monotonic
        self._owns_http = http_client is None
        if http_client is None:
            http_client = httpx.AsyncClient(
                limits=config.pool.to_httpx(),
                timeout=config.timeout.to_httpx(),
                verify=_ssl_context(config),
                follow_redirects=False,
            )
        self._http = http_client
        self._closed = False
        self._auth = config.auth
        protect_httpx_logs(self._auth.secret_params if self._auth is not None else frozenset())
        user_agent = config.user_agent or (
            f"{self.service_name} (resilient_client/{__version__}; httpx/{httpx.__version__})"
        )
        # Lower-case keys throughout, so a spec header, a config header and an extra
        # header with the same name replace each other instead of being sent twice.
        self._base_headers: dict[str, str] = {k.lower(): v for k, v in http_client.headers.items()}
        self._base_headers["user-agent"] = user_agent
        self._base_headers.update((k.lower(), v) for k, v in config.headers.items())
        self._correlation_header = config.correlation_header.lower()
        self._breaker = CircuitBreaker(
            config.circuit_breaker, name=self.service_name, clock=self._clock
        )
        retry = config.retry
        budget = (
            RetryBudget(retry.budget_max_tokens, retry.budget_token_ratio)
            if retry.budget_max_tokens is not None
            else None
        )
        self._metrics = Metrics(clock=self._clock)
        cache = config.cache
        self._cache: ResponseCache | None = None
        if cache is not None and cache.enabled:
            self._cache = ResponseCache(
                max_entries=cache.max_entries, max_bytes=cache.max_bytes, clock=self._clock
            )
        self._coalescer = Coalescer()
        self._bulkhead = Bulkhead(config.bulkhead) if config.bulkhead is not None else None
        self._fallbacks: dict[str, Fallback] = dict(config.fallbacks)
        self._plans: dict[int, tuple[Operation[Any], Plan]] = {}
        events = tuple(config.events)
        self._rt = Runtime(
            http=http_client,
            breaker=self._breaker,
            budget=budget,
            clock=self._clock,
            sleep=sleep or asyncio.sleep,
            rand=default_rand,
            events=events,
            max_response_bytes=config.max_response_bytes,
            follow_redirects=config.follow_redirects,
            max_redirects=config.max_redirects,
        )
        for sink in events:
            self._breaker.add_listener(sink.on_breaker_transition)

    # -- lifecycle -------------------------------------------------------------------

    async def __aenter__(self: T) -> T:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (an injected ``http_client`` is left open)."""
        if self._closed:
            return
        self._closed = True
        if self._owns_http:
            await self._http.aclose()

    @property
    def closed(self) -> bool:
        return self._closed

    # -- configuration and observability ---------------------------------------------

    @property
    def config(self) -> ClientConfig:
        return self._config

    @property
    def circuit_breaker(self) -> CircuitBreaker:
        return self._breaker

    @property
    def retry_budget(self) -> RetryBudget | None:
        return self._rt.budget

    def set_auth(self, auth: Auth | str | tuple[str, str] | None) -> None:
        """Switch credentials for every later call; cached answers stay per credential."""
        self._auth = coerce_auth(auth)
        if self._auth is not None:
            protect_httpx_logs(self._auth.secret_params)

    def set_fallback(self, operation: str, fallback: Fallback | None) -> None:
        """Answer ``operation`` with ``fallback(error, call_info)`` when the service is out.

        Used for an open breaker, a full bulkhead or a transport error (never for an
        HTTP error status). It may be sync or async and must return the operation's
        own result type, so typed results stay typed; the call is recorded with the
        outcome ``"fallback"`` in metrics, logs and ``ClientEvents.on_fallback``.
        """
        if fallback is None:
            self._fallbacks.pop(operation, None)
        else:
            self._fallbacks[operation] = fallback

    def metrics(self) -> MetricsSnapshot:
        return self._metrics.snapshot()

    def cache_stats(self) -> CacheStats:
        if self._cache is None:
            return ResponseCache(max_entries=1, max_bytes=None, clock=self._clock).stats()
        return self._cache.stats()

    def clear_cache(self) -> None:
        if self._cache is not None:
            self._cache.clear()

    async def health_check(self) -> HealthStatus:
        """Call the spec's health operation (else ``GET /health``) without raising on 5xx."""
        operation = self.health_operation or HEALTH_OPERATION
        started = self._clock()
        try:
            result = await self._request(operation)
        except ClientClosedError:
            raise
        except ClientError as exc:
            return health_from_error(exc, self._clock() - started)
        return health_from_result(result, self._clock() - started)

    # -- the request path ------------------------------------------------------------

    def _plan(self, operation: Operation[Any]) -> Plan:
        entry = self._plans.get(id(operation))
        if entry is not None and entry[0] is operation:
            return entry[1]
        plan = resolve_plan(operation, self._config)
        self._plans[id(operation)] = (operation, plan)
        return plan

    async def _request(
        self,
        operation: Operation[T],
        *,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        json: Any = NO_BODY,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        content: bytes | str | None = None,
        correlation_id: str | uuid.UUID | None = None,
        timeout: float | None = None,
        max_attempts: int | None = None,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        use_cache: bool = True,
    ) -> T:
        if self._closed:
            raise ClientClosedError(
                f"{type(self).__name__} is closed; create a new client", operation=operation.name
            )
        plan = self._plan(operation)
        cid = resolve_correlation_id(correlation_id)
        started = self._clock()
        call = self._build_call(
            plan,
            cid,
            started,
            path_params,
            query,
            headers,
            cookies,
            json,
            data,
            files,
            content,
            idempotency_key,
            extra_headers,
        )
        if timeout is not None:
            if timeout <= 0:
                raise ConfigError(f"timeout must be positive, got {timeout}")
            call.timeout = httpx.Timeout(timeout)
            call.timeout_seconds = timeout
        if max_attempts is not None:
            if max_attempts < 1:
                raise ConfigError("max_attempts counts the first attempt and must be >= 1")
            call.max_attempts = max_attempts
        try:
            if plan.cache_ttl is not None and self._cache is not None:
                result = await self._cached(call, json, use_cache)
            else:
                result = await self._guarded(call)
        except _FALLBACK_ERRORS as exc:
            fallback = self._fallbacks.get(plan.name)
            if fallback is None:
                self._record(call, exc)
                raise
            return await self._fallback(fallback, exc, call, path_params, query, json)  # type: ignore[no-any-return]
        except BaseException as exc:
            self._record(call, exc)
            raise
        self._record(call, None)
        return result  # type: ignore[no-any-return]

    def _build_call(
        self,
        plan: Plan,
        cid: str,
        started: float,
        path_params: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        cookies: Mapping[str, Any] | None,
        json: Any,
        data: Mapping[str, Any] | None,
        files: Mapping[str, Any] | None,
        content: bytes | str | None,
        idempotency_key: str | None,
        extra_headers: Mapping[str, str] | None,
    ) -> Call:
        styles = plan.param_styles
        url = self.base_url + plan.path.format(path_params, styles)
        params: list[tuple[str, str]] = []
        if query:
            for name, value in query.items():
                if value is not None:
                    params.extend(query_pairs(name, value, styles.get(name)))
        request_headers = dict(self._base_headers)
        request_headers[self._correlation_header] = cid
        if headers:
            for name, value in headers.items():
                if value is not None:
                    request_headers[name.lower()] = simple_text(value, styles.get(name))
        if cookies:
            pairs = [
                pair
                for name, value in cookies.items()
                if value is not None
                for pair in query_pairs(name, value, styles.get(name))
            ]
            if pairs:
                request_headers["cookie"] = "; ".join(f"{k}={v}" for k, v in pairs)
        call = Call(
            plan,
            url,
            cid,
            started,
            request_headers,
            params,
            self._auth if plan.authenticated else None,
        )
        if json is not NO_BODY:
            call.content = json_bytes(json)
            request_headers["content-type"] = (
                plan.content_type
                if (plan.content_type and "json" in plan.content_type)
                else "application/json"
            )
        elif files:
            call.data = form_fields(data) if data else None
            call.files = files
        elif data is not None:
            call.data = form_fields(data)
        elif content is not None:
            call.content = content
            if plan.content_type:
                request_headers["content-type"] = plan.content_type
        if idempotency_key is None and plan.auto_idempotency_key:
            idempotency_key = str(uuid.uuid4())
        if idempotency_key is not None:
            request_headers["idempotency-key"] = idempotency_key
            call.may_repeat = True
        if extra_headers:
            request_headers.update((k.lower(), v) for k, v in extra_headers.items())
        return call

    async def _guarded(self, call: Call) -> Any:
        bulkhead = self._bulkhead
        if bulkhead is None:
            return await run_attempts(self._rt, call)
        if not await bulkhead.acquire():
            raise BulkheadFullError(
                f"all {bulkhead.config.max_concurrency} concurrency slots stayed busy for "
                f"{bulkhead.config.acquire_timeout}s",
                operation=call.plan.name,
                method=call.plan.method,
                url=call.safe_url(),
                correlation_id=call.correlation_id,
            )
        try:
            return await run_attempts(self._rt, call)
        finally:
            bulkhead.release()

    async def _cached(self, call: Call, json: Any, use_cache: bool) -> Any:
        cache = self._cache
        assert cache is not None and call.plan.cache_ttl is not None
        key = await self._cache_key(call, json)
        if use_cache:
            hit, value = cache.get(key)
            if hit:
                call.attempts = 0
                return value
            return await self._coalescer.run(key, lambda: self._fetch_and_store(call, key))
        return await self._fetch_and_store(call, key)

    async def _fetch_and_store(self, call: Call, key: tuple[str, ...]) -> Any:
        result = await self._guarded(call)
        assert self._cache is not None and call.plan.cache_ttl is not None
        self._cache.set(key, result, ttl=call.plan.cache_ttl)
        return result

    async def _cache_key(self, call: Call, json: Any) -> tuple[str, ...]:
        body = b""
        if isinstance(call.content, bytes):
            body = call.content
        elif isinstance(call.content, str):
            body = call.content.encode()
        elif call.data is not None:
            body = json_bytes(dict(call.data))
        identity = await call.auth.identity() if call.auth is not None else ""
        return (
            call.plan.name,
            call.url,
            repr(sorted(call.params)),
            hashlib.sha256(body).hexdigest() if body else "",
            identity,
        )

    async def _fallback(
        self,
        fallback: Fallback,
        error: ClientError,
        call: Call,
        path_params: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        json: Any,
    ) -> Any:
        info = CallInfo(
            call.plan.name,
            call.correlation_id,
            dict(path_params or {}),
            dict(query or {}),
            None if json is NO_BODY else json,
        )
        result = fallback(error, info)
        if inspect.isawaitable(result):
            result = await result
        self._metrics.record(
            call.plan.name,
            outcome="fallback",
            latency=self._clock() - call.started,
            attempts=max(call.attempts, 1),
        )
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "%s answered by its fallback after %s",
                call.plan.name,
                outcome_of(error),
                extra=self._log_extra(call, error),
            )
        if self._rt.events:
            _emit(
                self._rt.events,
                "on_fallback",
                FallbackEvent(call.plan.name, call.correlation_id, error),
            )
        return result

    def _record(self, call: Call, error: BaseException | None) -> None:
        # Failures are logged at INFO, not WARNING: the caller gets the exception and
        # decides; a WARNING per failed call would flood logs during an outage.
        latency = self._clock() - call.started
        plan = call.plan
        cache_hit = error is None and call.attempts == 0
        self._metrics.record(
            plan.name,
            outcome="success" if error is None else outcome_of(error),
            latency=latency,
            attempts=max(call.attempts, 1),
            cache_hit=cache_hit,
        )
        if error is None:
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug("%s succeeded", plan.name, extra=self._log_extra(call, None))
        elif logger.isEnabledFor(logging.INFO) and not isinstance(error, asyncio.CancelledError):
            logger.info("%s failed: %s", plan.name, error, extra=self._log_extra(call, error))

    def _log_extra(self, call: Call, error: BaseException | None) -> dict[str, Any]:
        return {
            "operation": call.plan.name,
            "method": call.plan.method,
            "url": call.safe_url(),
            "status": getattr(error, "status", None) if error is not None else None,
            "attempt": call.attempts,
            "latency_ms": round((self._clock() - call.started) * 1000.0, 3),
            "correlation_id": call.correlation_id,
        }
