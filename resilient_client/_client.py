"""``BaseServiceClient``: the class every generated client subclasses."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, ParamSpec, TypeVar

import httpx
from typing_extensions import Unpack

from ._auth import Auth, coerce_auth
from ._breaker import CircuitBreaker
from ._bulkhead import Bulkhead
from ._cache import CacheStats, ResponseCache
from ._config import ClientConfig, Fallback, with_convenience
from ._event_stream import EventStream
from ._exceptions import ClientClosedError, ClientError, ConfigError
from ._health import HEALTH_OPERATION, HealthStatus, health_from_error, health_from_result
from ._metrics import Metrics, MetricsSnapshot
from ._operation import NO_BODY, NotGiven, Operation
from ._outer import OuterPipeline
from ._paginate import AsyncPaginator, ItemT, Pagination
from ._parts import (
    NO_OVERRIDES,
    CallOverrides,
    RequestArgs,
    RequestParts,
    parts_of,
    with_accept,
)
from ._raw import CAPTURE, Capture, RawResponse
from ._redact import protect_httpx_logs, redact_url
from ._retry import RetryBudget, default_rand
from ._runtime import Runtime
from ._shared import attach_state
from ._stream import StreamContext
from ._tls import ssl_context
from ._version import __version__
from ._wire import Wire, httptools_wire, refuse_proxies

if TYPE_CHECKING:
    from ._aiohttp import AiohttpWire

T = TypeVar("T")
P = ParamSpec("P")


def _aiohttp_wire(
    config: ClientConfig, http_client: httpx.AsyncClient | None, base_url: str | None
) -> AiohttpWire:
    """The send step of ``ClientConfig(transport="aiohttp")``, with the same TLS settings
    as the httpx transport. aiohttp is imported here, only when selected."""
    if http_client is not None:
        raise ConfigError(
            'ClientConfig(transport="aiohttp") sends through its own aiohttp session, so an '
            "http_client cannot be used with it; drop http_client or the transport setting"
        )
    try:
        from ._aiohttp import AiohttpWire
    except ImportError as exc:
        raise ConfigError(
            f'ClientConfig(transport="aiohttp") needs aiohttp ({exc}); install it with '
            "pip install 'resilient-openapi-clients[aiohttp]'"
        ) from None
    # its session does not read the proxy environment (trust_env=False): refuse, as
    # httptools does, rather than silently going direct where httpx would use the proxy
    refuse_proxies(base_url, "aiohttp")
    return AiohttpWire(config, ssl_context(config))


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
        self.base_url = self._resolve_base_url(base_url, config, http_client)
        self._clock = clock or time.monotonic
        self._owns_http = http_client is None
        wire: Wire | None = None
        if config.transport == "aiohttp":
            wire = _aiohttp_wire(config, http_client, self.base_url)
        elif config.transport == "httptools":
            wire = httptools_wire(config, http_client, self.base_url, self._clock)
        if http_client is None:
            # On the aiohttp transport this client sends nothing (no connection is ever
            # opened); it still supplies the default headers, as on the httpx transport.
            http_client = httpx.AsyncClient(
                limits=config.pool.to_httpx(),
                timeout=config.timeout.to_httpx(),
                verify=ssl_context(config),
                follow_redirects=False,
            )
        self._http = http_client
        protect_httpx_logs(config.auth.secret_params if config.auth is not None else frozenset())
        user_agent = config.user_agent or (
            f"{self.service_name} (resilient_client/{__version__}; httpx/{httpx.__version__})"
        )
        # Lower-case keys throughout, so a spec header, a config header and an extra
        # header with the same name replace each other instead of being sent twice.
        base_headers = {k.lower(): v for k, v in http_client.headers.items()}
        base_headers["user-agent"] = user_agent
        if wire is not None:
            # aiohttp offers the encodings it can decode (brotli, zstd with their extras)
            base_headers.pop("accept-encoding", None)
        base_headers.update((k.lower(), v) for k, v in config.headers.items())
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
            wire=wire,
        )
        for sink in events:
            self._breaker.add_listener(sink.on_breaker_transition)
        self._pipeline = OuterPipeline(
            config,
            self._rt,
            self._metrics,
            client_name=type(self).__name__,
            base_url=self.base_url,
            base_headers=base_headers,
            auth=config.auth,
        )
        self._shared = attach_state(
            config,
            self._breaker,
            service=self.service_name,
            base_url=self.base_url,
            clock=self._clock,
            sleep=self._rt.sleep,
        )
        if self._shared is not None:
            self._rt.shared_breaker = self._shared.breaker
            self._rt.limiter = self._shared.limiter
            if self._shared.budget is not None:
                self._rt.budget = self._shared.budget
            self._pipeline.shared_cache = self._shared.cache
        for sink in events:
            sink.attach(self)

    @classmethod
    def _resolve_base_url(
        cls, base_url: str | None, config: ClientConfig, http_client: httpx.AsyncClient | None
    ) -> str:
        resolved = base_url or config.base_url or cls.default_base_url
        if resolved is None and http_client is not None and str(http_client.base_url):
            resolved = str(http_client.base_url)
        if not resolved:
            raise ConfigError(
                f"{cls.__name__} has no base URL: pass base_url=... or set "
                "ClientConfig(base_url=...)"
            )
        if not resolved.startswith(("http://", "https://")):
            raise ConfigError(
                f"base URL {resolved!r} must be absolute and start with http:// or https://"
            )
        return resolved.rstrip("/")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={redact_url(self.base_url)!r})"

    # -- lifecycle -------------------------------------------------------------------

    async def __aenter__(self: T) -> T:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (an injected ``http_client`` is left open)."""
        if self._pipeline.closed:
            return
        self._pipeline.closed = True
        # Each step even when an earlier one is cancelled or fails: a second aclose()
        # returns at once, so what is skipped here would stay open for good.
        try:
            if self._shared is not None:
                await self._shared.aclose()
        finally:
            try:
                if self._owns_http:
                    await self._http.aclose()
            finally:
                if self._rt.wire is not None:
                    await self._rt.wire.aclose()

    @property
    def closed(self) -> bool:
        return self._pipeline.closed

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

    @property
    def bulkhead(self) -> Bulkhead | None:
        """The concurrency cap (``in_flight``, ``waiting``, ``rejected``), if configured."""
        return self._pipeline.bulkhead

    def set_auth(self, auth: Auth | str | tuple[str, str] | None) -> None:
        """Switch credentials for every later call; cached answers stay per credential."""
        coerced = coerce_auth(auth)
        self._pipeline.auth = coerced
        if coerced is not None:
            protect_httpx_logs(coerced.secret_params)

    def set_fallback(self, operation: str, fallback: Fallback | None) -> None:
        """Answer ``operation`` with ``fallback(error, call_info)`` when the service is out.

        Used for an open breaker, a full bulkhead or a transport error (never for an
        HTTP error status). It may be sync or async and must return the operation's
        own result type, so typed results stay typed; the call is recorded with the
        outcome ``"fallback"`` in metrics, logs and ``ClientEvents.on_fallback``.
        """
        if fallback is None:
            self._pipeline.fallbacks.pop(operation, None)
        else:
            self._pipeline.fallbacks[operation] = fallback

    def metrics(self) -> MetricsSnapshot:
        return self._metrics.snapshot()

    def cache_stats(self) -> CacheStats:
        cache = self._pipeline.cache
        if cache is None:
            return ResponseCache(max_entries=1, max_bytes=None, clock=self._clock).stats()
        return cache.stats()

    def clear_cache(self) -> None:
        if self._pipeline.cache is not None:
            self._pipeline.cache.clear()

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

    async def with_raw_response(
        self, method: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> RawResponse[T]:
        """Call ``method`` (one of this client's operations) and return its result with
        the HTTP status and headers it came from: ``raw = await
        client.with_raw_response(client.get_stamp, file_hash)``, then ``raw.parsed``,
        ``raw.headers["etag"]``, ``raw.status_code``. Arguments are type-checked as for
        the method itself. The call skips the cache lookup (a cached answer has no
        response); a fallback's answer comes back with ``status_code`` None."""
        capture = Capture()
        token = CAPTURE.set(capture)
        try:
            parsed = await method(*args, **kwargs)
        finally:
            CAPTURE.reset(token)
        return RawResponse(
            parsed,
            capture.status_code,
            capture.headers,
            capture.url,
            capture.attempts,
            capture.correlation_id,
        )

    # -- the request path ------------------------------------------------------------

    def _request(
        self,
        operation: Operation[T],
        *,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        json: Any = NO_BODY,
        data: Mapping[str, Any] | NotGiven | None = None,
        files: Mapping[str, Any] | NotGiven | None = None,
        content: bytes | str | NotGiven | None = None,
        correlation_id: str | uuid.UUID | None = None,
        timeout: float | None = None,
        deadline: float | None = None,
        max_attempts: int | None = None,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        use_cache: bool = True,
    ) -> Coroutine[Any, Any, T]:
        """Send one call of ``operation`` through the pipeline (``_outer``) and decode it.

        A plain function returning the pipeline's coroutine (``await self._request(...)``
        as before): one coroutine frame less on every call. An operation that answers
        only ``text/event-stream`` returns its connected ``EventStream`` instead."""
        events_only = operation.events_only
        if events_only:
            extra_headers = with_accept("text/event-stream", extra_headers)
        elif operation.events is not None:  # JSON or events: say which (httpx sends */*)
            extra_headers = with_accept("application/json", extra_headers)
        options = (
            NO_OVERRIDES
            if correlation_id is None
            and timeout is None
            and deadline is None
            and max_attempts is None
            and idempotency_key is None
            and extra_headers is None
            and use_cache
            else CallOverrides(
                correlation_id,
                timeout,
                deadline,
                max_attempts,
                idempotency_key,
                extra_headers,
                use_cache,
            )
        )  # most calls override nothing: no second object to build
        parts = RequestParts(
            operation, path_params, query, headers, cookies, json, data, files, content, options
        )
        if events_only:
            stream: EventStream[Any] = EventStream(self._pipeline, parts, operation.events)
            return stream.connected()  # type: ignore[return-value]  # T is EventStream[...]
        return self._pipeline.request(parts)

    def _paginate(
        self,
        operation: Operation[T],
        pagination: Pagination[ItemT],
        *,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        max_pages: int | None = None,
        correlation_id: str | uuid.UUID | None = None,
        **options: Any,
    ) -> AsyncPaginator[ItemT, T]:
        """``<name>_iter``: the operation's pages, each an ordinary ``_request`` call (so
        every resilience rule applies per page) with one correlation id for the walk:
        the caller's, else the enclosing scope's, else a new one when the walk starts.
        ``options`` are the call's other ``CallOptions`` (and ``use_cache``)."""

        async def send(
            page_query: dict[str, Any], walk_id: str, want_headers: bool
        ) -> tuple[T, httpx.Headers]:
            capture = Capture() if want_headers else None  # with_raw_response's slot
            token = CAPTURE.set(capture) if capture is not None else None
            try:
                page = await self._request(
                    operation,
                    path_params=path_params,
                    query=page_query,
                    headers=headers,
                    cookies=cookies,
                    correlation_id=walk_id,
                    **options,
                )
            finally:
                if token is not None:
                    CAPTURE.reset(token)
            return page, capture.headers if capture is not None else httpx.Headers()

        return AsyncPaginator(
            pagination,
            send,
            query or {},
            operation=operation.name,
            max_pages=max_pages,
            correlation_id=correlation_id,
        )

    def _stream(self, operation: Operation[Any], **args: Unpack[RequestArgs]) -> StreamContext:
        """``_request`` for a body read in chunks: ``async with self._stream(op) as r``.

        Everything up to the success status goes through the usual pipeline
        (correlation id, auth, bulkhead, breaker, retries, redirects, timeouts); an
        error status is read (bounded) and raised as its typed error. The cache and
        fallbacks are never used: neither can hand out a live body. While the block
        runs, the bulkhead slot and the breaker permit stay taken; leaving it closes
        the connection, settles the breaker and records the call's metrics.

        Time limits: ``ClientConfig.deadline`` (or the spec's) covers the wait for the
        status only, so an API-sized deadline does not cut a long download off;
        ``ClientConfig.stream_deadline`` (an hour by default) covers the whole call,
        status and body, from its start; a per-call ``deadline=`` replaces both for this
        call. Each wait for body data is bounded by ``stream_idle_timeout`` (default:
        the read timeout). A body that runs out of either raises ``StreamTimeoutError``.
        """
        parts = parts_of(operation, args)
        return self._pipeline.stream(parts)

    def _events(self, operation: Operation[Any], **args: Unpack[RequestArgs]) -> EventStream[Any]:
        """``_stream`` for a ``text/event-stream`` answer: the events, typed by
        ``operation.events`` (see ``_event_stream``). Nothing is sent until the stream
        is entered (``async with``) or iterated."""
        parts = parts_of(operation, args, accept="text/event-stream")
        return EventStream(self._pipeline, parts, operation.events)
