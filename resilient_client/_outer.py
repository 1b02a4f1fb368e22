"""The outer pipeline of one call: cache, bulkhead, fallback, record.

correlation id -> cache lookup (coalescing identical misses) -> bulkhead slot ->
the attempts (``_attempts.attempt``, then ``_retrying`` after a failure) -> record
(metrics, log) -> cache store. The first attempt is awaited by ``_guarded`` itself,
not through a retry-loop coroutine. A fallback answers instead of raising when the call
failed with an error the service's absence explains (open breaker, full bulkhead,
transport error). Streams take the same path without the cache and fallbacks, neither
of which can hand out a live body.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import httpx

from ._attempts import attempt
from ._auth import Auth, auth_identity
from ._bulkhead import Bulkhead
from ._cache import Coalescer, ResponseCache
from ._call import (
    CacheKey,
    Call,
    annotate,
    build_call,
    cache_key,
    key_headers,
    log_extra,
    outcome_of,
)
from ._config import ClientConfig, Fallback
from ._correlation import resolve_correlation_id
from ._events import CallEvent, FallbackEvent
from ._exceptions import BulkheadFullError, ClientClosedError, ClientError, ConfigError
from ._fallback import FALLBACK_ERRORS, CallInfo, call_fallback
from ._metrics import Metrics
from ._operation import Operation
from ._parts import NO_OVERRIDES, RequestParts
from ._policy import Plan, resolve_plan
from ._raw import CAPTURE
from ._retrying import first_delay, retry_after, run_attempts
from ._runtime import Runtime, emit, logger, settle
from ._shared_cache import SharedCache
from ._stream import StreamedResponse


class OuterPipeline:
    """One client's call path around the attempt loop; the client delegates to it.

    ``auth`` and ``closed`` are the client's current credentials and state: the client
    writes them (``set_auth``, ``aclose``) and every later call reads them.
    """

    def __init__(
        self,
        config: ClientConfig,
        rt: Runtime,
        metrics: Metrics,
        *,
        client_name: str,
        base_url: str,
        base_headers: Mapping[str, str],
        auth: Auth | None,
    ) -> None:
        self.config = config
        self.rt = rt
        self.metrics = metrics
        self.clock: Callable[[], float] = rt.clock
        self.client_name = client_name
        self.base_url = base_url
        self.base_headers = base_headers
        self.correlation_header = config.correlation_header.lower()
        self._base_key_headers = key_headers(base_headers, self.correlation_header)
        self.auth = auth
        self.closed = False
        cache = config.cache
        self.cache: ResponseCache | None = None
        if cache is not None and cache.enabled:
            self.cache = ResponseCache(
                max_entries=cache.max_entries, max_bytes=cache.max_bytes, clock=rt.clock
            )
        #: the state backend's cache behind ``cache`` (None: this client's cache only)
        self.shared_cache: SharedCache | None = None
        self.coalescer = Coalescer()
        self.bulkhead = Bulkhead(config.bulkhead) if config.bulkhead is not None else None
        self.fallbacks: dict[str, Fallback] = dict(config.fallbacks)
        self._plans: dict[int, tuple[Operation[Any], Plan]] = {}

    def plan(self, operation: Operation[Any]) -> Plan:
        entry = self._plans.get(id(operation))
        if entry is not None and entry[0] is operation:
            return entry[1]
        plan = resolve_plan(operation, self.config)
        self._plans[id(operation)] = (operation, plan)
        return plan

    def new_call(self, parts: RequestParts) -> Call:
        options = parts.options
        if self.closed:
            raise ClientClosedError(
                f"{self.client_name} is closed; create a new client",
                operation=parts.operation.name,
                correlation_id=resolve_correlation_id(options.correlation_id),
            )
        plan = self.plan(parts.operation)
        call = build_call(
            plan,
            parts,
            self.base_url,
            self.base_headers,
            self.correlation_header,
            self.auth,
            resolve_correlation_id(options.correlation_id),
            self.clock(),
        )
        if options is NO_OVERRIDES:  # most calls: nothing to check or apply
            return call
        if options.timeout is not None:
            if options.timeout <= 0:
                raise ConfigError(f"timeout must be positive, got {options.timeout}")
            call.timeout = httpx.Timeout(options.timeout)
            call.timeout_seconds = options.timeout
        if options.deadline is not None:
            if options.deadline <= 0:
                raise ConfigError(f"deadline must be positive, got {options.deadline}")
            call.deadline = options.deadline
            call.deadline_at = call.started + options.deadline
        if options.max_attempts is not None:
            if options.max_attempts < 1:
                raise ConfigError("max_attempts counts the first attempt and must be >= 1")
            call.max_attempts = options.max_attempts
        return call

    # -- answers -------------------------------------------------------------------

    async def request(self, parts: RequestParts) -> Any:
        call = self.new_call(parts)
        plan = call.plan
        try:
            if plan.cache_ttl is not None and self.cache is not None:
                # a raw-response call needs a response of its own, not a cached answer
                fresh = not parts.options.use_cache or CAPTURE.get() is not None
                result = await self._cached(call, not fresh)
            else:
                result = await self._guarded(call)
        except FALLBACK_ERRORS as exc:
            fallback = self.fallbacks.get(plan.name)
            if fallback is None:
                self.record(call, exc)
                raise
            return await self._fallback(fallback, exc, call)
        except BaseException as exc:
            if isinstance(exc, ClientError) and exc.operation is None:
                annotate(exc, call)
            self.record(call, exc)
            raise
        self.record(call, None)
        return result

    @contextlib.asynccontextmanager
    async def stream(
        self, parts: RequestParts, *, event_stream: bool = False
    ) -> AsyncIterator[StreamedResponse]:
        """``request`` for a body read in chunks (see ``BaseServiceClient._stream``).

        An event stream (``_event_stream``) may rightly last for days: no total cap
        but a per-call ``deadline=``, and no body size cap (``_sse`` caps each event)."""
        call = self.new_call(parts)
        call.stream = True
        if event_stream:
            total = parts.options.deadline
        else:
            total = self._stream_deadline(call, parts.options.deadline)
        idle = self.config.stream_idle_timeout
        read = call.timeout.read  # every socket read is bounded by it anyway
        if idle is None or (read is not None and read < idle):
            idle = read
        try:
            await self._acquire_slot(call)
        except BaseException as exc:
            self.record(call, exc)
            raise
        try:
            try:
                raw = await run_attempts(self.rt, call)
            except BaseException as exc:
                if isinstance(exc, ClientError) and exc.operation is None:
                    annotate(exc, call)
                self.record(call, exc)
                raise
            stream = StreamedResponse(
                raw,
                call,
                None if event_stream else self.rt.max_response_bytes,
                clock=self.clock,
                deadline=total,
                idle_timeout=idle,
            )
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
                    if not getattr(call, "shared_probe", False):
                        # (a shared probe's permit was settled with its status)
                        settle(self.rt, stream.verdict(caller_error))
                    call.response_bytes = stream.bytes_received
                    # A caller's own exception is not the service's failure; a
                    # cancellation is recorded as one.
                    recorded: BaseException | None = stream.failure
                    if recorded is None and not isinstance(caller_error, Exception | None):
                        recorded = caller_error
                    self.record(call, recorded)
        finally:
            if self.bulkhead is not None:
                self.bulkhead.release()

    def _stream_deadline(self, call: Call, per_call: float | None) -> float | None:
        """A stream's total seconds from its start (None: no cap); the wait for the
        status is held to it too, when the call's own deadline is later or absent."""
        if per_call is not None:
            return per_call  # new_call made it the call's deadline already
        total = self.config.stream_deadline
        if total is not None:
            ends = call.started + total
            if call.deadline_at is None or ends < call.deadline_at:
                call.deadline_at = ends
                call.deadline = total
        return total

    # -- the stages ------------------------------------------------------------------

    async def _acquire_slot(self, call: Call) -> None:
        bulkhead = self.bulkhead
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
        """``run_attempts`` in a bulkhead slot (when there is a bulkhead), its first
        attempt inline: the one coroutine between ``request`` and the attempt's, which
        every suspension of the send (each wait for the socket) passes through."""
        bulkhead = self.bulkhead
        if bulkhead is not None and not bulkhead.try_acquire():
            await self._acquire_slot(call)
        try:
            try:
                result = await attempt(self.rt, call)
            except ClientError as exc:
                delay = first_delay(self.rt, call, exc)
                if delay is None:
                    raise
                first = exc
            else:
                return result
            return await retry_after(self.rt, call, first, delay)
        finally:
            if bulkhead is not None:
                bulkhead.release()

    async def _cached(self, call: Call, use_cache: bool) -> Any:
        cache = self.cache
        assert cache is not None and call.plan.cache_ttl is not None
        identity = "" if call.auth is None else await auth_identity(call.auth)
        key = cache_key(call, self.correlation_header, identity, self._base_key_headers)
        if use_cache:
            hit, value = cache.get(key)
            if hit:
                call.attempts = 0
                return value
            if self.shared_cache is not None:
                return await self.coalescer.run(key, lambda: self._from_shared(call, key))
            return await self.coalescer.run(key, lambda: self._fetch_and_store(call, key))
        return await self._fetch_and_store(call, key)

    async def _from_shared(self, call: Call, key: CacheKey) -> Any:
        """A local miss: another replica may have cached the answer (one round trip)."""
        plan = call.plan
        assert self.shared_cache is not None and self.cache is not None
        assert plan.cache_ttl is not None
        found = await self.shared_cache.get(plan, key)
        if found is None:
            return await self._fetch_and_store(call, key)
        value, size, ttl = found
        self.cache.set(
            key,
            value,
            ttl=min(ttl, plan.cache_ttl),
            size=size,
            group=plan.name,
            group_max_entries=plan.cache_max_entries,
        )
        call.attempts = 0
        return value

    async def _fetch_and_store(self, call: Call, key: CacheKey) -> Any:
        result = await self._guarded(call)
        plan = call.plan
        assert self.cache is not None and plan.cache_ttl is not None
        raw = getattr(call, "raw", None)  # unset when the answer came from a fallback
        if self.shared_cache is not None and raw is not None:
            await self.shared_cache.put(key, raw, plan.cache_ttl)
        self.cache.set(
            key,
            result,
            ttl=plan.cache_ttl,
            size=call.response_bytes,
            group=plan.name,
            group_max_entries=plan.cache_max_entries,
        )
        return result

    async def _fallback(self, fallback: Fallback, error: ClientError, call: Call) -> Any:
        parts = call.parts
        info = CallInfo(
            call.plan.name,
            call.correlation_id,
            dict(parts.path_params or {}),
            dict(parts.query or {}),
            parts.json_body,
        )
        try:
            result = await call_fallback(fallback, error, info)
        except BaseException:
            # The fallback's own exception propagates (chained to the original), and
            # the call is recorded with the original failure kind.
            self.record(call, error)
            raise
        self.metrics.record(
            call.plan.name,
            outcome="fallback",
            latency=self.clock() - call.started,
            attempts=max(call.attempts, 1),
        )
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "%s answered by its fallback after %s",
                call.plan.name,
                outcome_of(error),
                extra=log_extra(call, error, self.clock()),
            )
        if self.rt.events:
            emit(
                self.rt.events,
                "on_fallback",
                FallbackEvent(call.plan.name, call.correlation_id, error),
            )
            self._announce_call(call, "fallback")
        return result

    def record(self, call: Call, error: BaseException | None) -> None:
        # Failures are logged at INFO, not WARNING: the caller gets the exception and
        # decides; a WARNING per failed call would flood logs during an outage.
        plan = call.plan
        attempts = call.attempts
        outcome = "success" if error is None else outcome_of(error)
        # positional: this runs once per call
        self.metrics.record(
            plan.name,
            outcome,
            self.clock() - call.started,
            attempts or 1,
            error is None and attempts == 0,  # a cache hit
        )
        if self.rt.events:
            self._announce_call(call, outcome)
        if error is None:
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug("%s succeeded", plan.name, extra=log_extra(call, None, self.clock()))
        elif logger.isEnabledFor(logging.INFO) and not isinstance(error, asyncio.CancelledError):
            logger.info(
                "%s failed: %s", plan.name, error, extra=log_extra(call, error, self.clock())
            )

    def _announce_call(self, call: Call, outcome: str) -> None:
        plan = call.plan
        cache = None
        if plan.cache_ttl is not None and self.cache is not None and not call.stream:
            cache = "hit" if call.attempts == 0 and outcome == "success" else "miss"
        emit(
            self.rt.events,
            "on_call",
            CallEvent(
                plan.name,
                plan.method,
                call.correlation_id,
                outcome,
                self.clock() - call.started,
                call.attempts,
                cache,
            ),
        )
