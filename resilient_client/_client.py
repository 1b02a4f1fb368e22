"""``BaseServiceClient``: the class every generated client subclasses."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, ClassVar, TypeVar

import httpx

from ._auth import Auth, coerce_auth
from ._breaker import CircuitBreaker
from ._bulkhead import Bulkhead
from ._cache import CacheStats, Coalescer, ResponseCache
from ._call import CacheKey, Call, annotate, build_call, cache_key, log_extra, outcome_of
from ._config import ClientConfig, Fallback, with_convenience
from ._correlation import resolve_correlation_id
from ._events import FallbackEvent
from ._exceptions import (
    BulkheadFullError,
    ClientClosedError,
    ClientError,
    ConfigError,
)
from ._fallback import FALLBACK_ERRORS, CallInfo, call_fallback
from ._health import HEALTH_OPERATION, HealthStatus, health_from_error, health_from_result
from ._metrics import Metrics, MetricsSnapshot
from ._operation import NO_BODY, Operation
from ._pipeline import Runtime, emit, logger, run_attempts, settle
from ._policy import Plan, resolve_plan
from ._redact import protect_httpx_logs
from ._retry import RetryBudget, default_rand
from ._stream import StreamedResponse
from ._tls import ssl_context
from ._version import __version__

T = TypeVar("T")


class BaseServiceClient:
    """Async client base: one pooled ``httpx.AsyncClient`` and the resilience pipeline."""

    service_name: ClassVar[str] = "service"
    default_base_url: ClassVar[str | None] = None
    health_operation: ClassVar[Operation[Any] | None] = None
    #: the spec's security schemes (name -> kind) and top-level requirements; generated
    #: clients with schemes override both and add one ``auth_*`` helper per scheme
    security_schemes: ClassVar[Mapping[str, str]] = {}
    security_requirements: ClassVar[tuple[tuple[str, ...], ...]] = ()

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
        config = with_convenience(config or ClientConfig(), timeout, max_retries, auth, headers)
        self._config = config
        resolved = base_url or config.base_url or self.default_base_url
        if resolved is None and http_client is not None and str(http_client.base_url):
            resolved = str(http_client.base_url)
        if not resolved:
            raise ConfigError(
                f"{type(self).__name__} has no base URL: pass base_url=... or set "
                "ClientConfig(base_url=...)"
            )
        if not resolved.startswith(("http://", "https://")):
            raise ConfigError(
                f"base URL {resolved!r} must be absolute and start with http:// or https://"
            )
        self.base_url = resolved.rstrip("/")
        self._clock = clock or time.monotonic
        self._owns_http = http_client is None
        if http_client is None:
            http_client = httpx.AsyncClient(
                limits=config.pool.to_httpx(),
                timeout=config.timeout.to_httpx(),
                verify=ssl_context(config),
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
        call = self._new_call(
            operation,
            path_params,
            query,
            headers,
            cookies,
            json,
            data,
            files,
            content,
            correlation_id,
            timeout,
            max_attempts,
            idempotency_key,
            extra_headers,
        )
        plan = call.plan
        try:
            if plan.cache_ttl is not None and self._cache is not None:
                result = await self._cached(call, json, use_cache)
            else:
                result = await self._guarded(call)
        except FALLBACK_ERRORS as exc:
            fallback = self._fallbacks.get(plan.name)
            if fallback is None:
                self._record(call, exc)
                raise
            return await self._fallback(fallback, exc, call, path_params, query, json)  # type: ignore[no-any-return]
        except BaseException as exc:
            if isinstance(exc, ClientError) and exc.operation is None:
                annotate(exc, call)
            self._record(call, exc)
            raise
        self._record(call, None)
        return result  # type: ignore[no-any-return]

    @contextlib.asynccontextmanager
    async def _stream(
        self,
        operation: Operation[Any],
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
    ) -> AsyncIterator[StreamedResponse]:
        """``_request`` for a body read in chunks: ``async with self._stream(op) as r``.

        Everything up to the success status goes through the usual pipeline
        (correlation id, auth, bulkhead, breaker, retries, redirects, timeouts); an
        error status is read (bounded) and raised as its typed error. The cache and
        fallbacks are never used: neither can hand out a live body. While the block
        runs, the bulkhead slot and the breaker permit stay taken; leaving it closes
        the connection, settles the breaker and records the call's metrics. The
        call's deadline covers the wait for the status; each chunk's read is bounded
        by the read timeout instead, so a long download is not cut off.
        """
        call = self._new_call(
            operation,
            path_params,
            query,
            headers,
            cookies,
            json,
            data,
            files,
            content,
            correlation_id,
            timeout,
            max_attempts,
            idempotency_key,
            extra_headers,
        )
        call.stream = True
        try:
            await self._acquire_slot(call)
        except BaseException as exc:
            self._record(call, exc)
            raise
        try:
            try:
                raw = await run_attempts(self._rt, call)
            except BaseException as exc:
                if isinstance(exc, ClientError) and exc.operation is None:
                    annotate(exc, call)
                self._record(call, exc)
                raise
            stream = StreamedResponse(raw, call, self._rt.max_response_bytes)
            caller_error: BaseException | None = None
            try:
                yield stream
            except BaseException as exc:
                caller_error = exc
                raise
            finally:
                try:
                    await stream.aclose()
                finally:
                    settle(self._rt, stream.verdict(caller_error))
                    call.response_bytes = stream.bytes_received
                    # A caller's own exception is not the service's failure; a
                    # cancellation is recorded as one.
                    recorded: BaseException | None = stream.failure
                    if recorded is None and not isinstance(caller_error, Exception | None):
                        recorded = caller_error
                    self._record(call, recorded)
        finally:
            if self._bulkhead is not None:
                self._bulkhead.release()

    def _new_call(
        self,
        operation: Operation[Any],
        path_params: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        cookies: Mapping[str, Any] | None,
        json: Any,
        data: Mapping[str, Any] | None,
        files: Mapping[str, Any] | None,
        content: bytes | str | None,
        correlation_id: str | uuid.UUID | None,
        timeout: float | None,
        max_attempts: int | None,
        idempotency_key: str | None,
        extra_headers: Mapping[str, str] | None,
    ) -> Call:
        if self._closed:
            raise ClientClosedError(
                f"{type(self).__name__} is closed; create a new client",
                operation=operation.name,
                correlation_id=resolve_correlation_id(correlation_id),
            )
        plan = self._plan(operation)
        cid = resolve_correlation_id(correlation_id)
        started = self._clock()
        call = build_call(
            plan,
            self.base_url,
            self._base_headers,
            self._correlation_header,
            self._auth,
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
        return call

    async def _acquire_slot(self, call: Call) -> None:
        bulkhead = self._bulkhead
        if bulkhead is not None and not await bulkhead.acquire():
            raise BulkheadFullError(
                f"all {bulkhead.config.max_concurrency} concurrency slots stayed busy for "
                f"{bulkhead.config.acquire_timeout}s",
                operation=call.plan.name,
                method=call.plan.method,
                url=call.safe_url(),
                correlation_id=call.correlation_id,
            )

    async def _guarded(self, call: Call) -> Any:
        if self._bulkhead is None:
            return await run_attempts(self._rt, call)
        await self._acquire_slot(call)
        try:
            return await run_attempts(self._rt, call)
        finally:
            self._bulkhead.release()

    async def _cached(self, call: Call, json: Any, use_cache: bool) -> Any:
        cache = self._cache
        assert cache is not None and call.plan.cache_ttl is not None
        key = await cache_key(call, self._correlation_header)
        if use_cache:
            hit, value = cache.get(key)
            if hit:
                call.attempts = 0
                return value
            return await self._coalescer.run(key, lambda: self._fetch_and_store(call, key))
        return await self._fetch_and_store(call, key)

    async def _fetch_and_store(self, call: Call, key: CacheKey) -> Any:
        result = await self._guarded(call)
        assert self._cache is not None and call.plan.cache_ttl is not None
        self._cache.set(key, result, ttl=call.plan.cache_ttl, size=call.response_bytes)
        return result

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
        try:
            result = await call_fallback(fallback, error, info)
        except BaseException:
            # The fallback's own exception propagates (chained to the original), and
            # the call is recorded with the original failure kind.
            self._record(call, error)
            raise
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
                extra=log_extra(call, error, self._clock()),
            )
        if self._rt.events:
            emit(
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
                logger.debug("%s succeeded", plan.name, extra=log_extra(call, None, self._clock()))
        elif logger.isEnabledFor(logging.INFO) and not isinstance(error, asyncio.CancelledError):
            logger.info(
                "%s failed: %s", plan.name, error, extra=log_extra(call, error, self._clock())
            )
