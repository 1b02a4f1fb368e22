"""The retry loop and a single attempt: breaker permit, send, classify, decode.

Breaker granularity: every *attempt* takes its own permit and records its own
verdict (resilience4j instead wraps the whole retried call once). Per-attempt
recording opens the circuit after ``failure_threshold`` failed requests rather than
``failure_threshold`` failed calls of up to ``max_attempts`` requests each, and the
retry loop stops as soon as the circuit opens, so an outage is detected sooner and
hammered less. The first attempt runs outside tenacity as a fast path; a fresh
``AsyncRetrying`` drives the rest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, cast

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

from ._auth import Auth, apply_auth
from ._breaker import CircuitBreaker, CircuitState
from ._call import Call, annotate, outcome_of
from ._decode import decode_success, status_error
from ._events import ClientEvents, RequestEvent, ResponseEvent, RetryEvent
from ._exceptions import (
    CircuitOpenError,
    ClientError,
    HTTPStatusError,
    RequestTimeoutError,
    TransportError,
)
from ._ratelimit import RateLimiter
from ._raw import CAPTURE, Capture
from ._redact import redact_headers
from ._retry import RetryBudget, backoff_delay, is_retryable
from ._shared import SharedBreaker, limit_rate, settle_probe, shared_permit
from ._transport import RawResponse, exchange

if TYPE_CHECKING:
    from ._wire import Wire

logger = logging.getLogger("resilient_client")

_BREAKER_FAILURE_STATUSES = frozenset({408, 429})


@dataclass(slots=True)
class Runtime:
    """What the pipeline needs from its client; built once per client."""

    http: httpx.AsyncClient
    breaker: CircuitBreaker
    budget: RetryBudget | None
    clock: Callable[[], float]
    sleep: Callable[[float], Awaitable[None]]
    rand: Callable[[], float]
    events: Sequence[ClientEvents]
    max_response_bytes: int | None
    follow_redirects: bool
    max_redirects: int
    #: the aiohttp or httptools transport's send step; None: httpx (``http``) sends
    wire: Wire | None = None
    #: the state backend's breaker in front of ``breaker`` (None: local state only)
    shared_breaker: SharedBreaker | None = None
    limiter: RateLimiter | None = None


def emit(events: Sequence[ClientEvents], hook: str, event: object) -> None:
    for sink in events:
        try:
            getattr(sink, hook)(event)
        except Exception:  # a broken metrics exporter must never fail the call
            logger.exception("event hook %s.%s failed", type(sink).__name__, hook)


def settle(rt: Runtime, verdict: int) -> None:
    """Return an attempt's breaker permit: 1 success, -1 failure, 0 no verdict."""
    if verdict > 0:
        rt.breaker.record_success()
        if rt.budget is not None:
            rt.budget.on_success()
    elif verdict < 0:
        rt.breaker.record_failure()
        if rt.budget is not None:
            rt.budget.on_failure()
    else:
        rt.breaker.release()


def _attempt_timeout(rt: Runtime, call: Call) -> tuple[httpx.Timeout, float | None]:
    """This attempt's timeout and the time left before the call's deadline (None: none)."""
    timeout = call.timeout
    if call.deadline_at is None:
        return timeout, None
    remaining = call.deadline_at - rt.clock()
    if remaining <= 0:
        expired = RequestTimeoutError(
            f"deadline of {call.deadline}s exceeded before attempt {call.attempts}"
        )
        annotate(expired, call)
        raise expired
    if call.timeout_seconds is None or call.timeout_seconds > remaining:
        timeout = httpx.Timeout(remaining)
    return timeout, remaining


def _refuse(rt: Runtime, call: Call) -> NoReturn:
    """The breaker gave no permit: the typed error, with the call's context."""
    breaker = rt.breaker
    error = CircuitOpenError(
        f"circuit breaker is {breaker.state.value}; not calling the service",
        retry_after=breaker.retry_after(),
    )
    annotate(error, call)
    raise error


def _fill(capture: Capture, call: Call, raw: RawResponse) -> None:
    capture.status_code = raw.status
    capture.headers = raw.headers
    capture.url = call.safe_url()
    capture.attempts = call.attempts
    capture.correlation_id = call.correlation_id


async def _authorised(auth: Auth, call: Call) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The call's headers and query pairs with the credential added, on copies: a token
    provider may hand out a fresh token for each attempt."""
    headers = dict(call.headers)
    params = list(call.params)
    cookies: dict[str, str] = {}
    await apply_auth(auth, headers, params, cookies)
    if cookies:
        jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
        headers["cookie"] = f"{headers['cookie']}; {jar}" if "cookie" in headers else jar
    return headers, params


def _build_request(
    rt: Runtime,
    call: Call,
    timeout: httpx.Timeout,
    headers: dict[str, str],
    params: list[tuple[str, str]],
) -> httpx.Request:
    plan = call.plan
    if rt.http.cookies:
        # Cookies a server set earlier live in the client's jar; httpx merges them.
        return rt.http.build_request(
            plan.method,
            call.url,
            params=cast(Any, params) or None,
            headers=headers,
            content=call.content,
            data=call.data,
            files=call.files,
            timeout=timeout,
        )
    # The call's headers already include the http client's defaults, so build_request's
    # URL and header merging (half of httpx's cost) is skipped.
    return httpx.Request(
        plan.method,
        call.url,
        params=cast(Any, params) or None,
        headers=headers,
        content=call.content,
        data=call.data,
        files=call.files,
        extensions={"timeout": timeout.as_dict()},
    )


def _announce_request(
    rt: Runtime, call: Call, headers: Sequence[tuple[str, str]]
) -> dict[str, str] | None:
    """Tell the sinks and the log about this attempt; returns the headers sinks add to it
    (trace context), for the caller to put on the request of its transport."""
    plan = call.plan
    added: dict[str, str] | None = None
    if rt.events:
        event = RequestEvent(
            plan.name,
            plan.method,
            call.safe_url(),
            call.attempts,
            call.correlation_id,
            redact_headers(headers, call.secret_headers()),
        )
        emit(rt.events, "on_request", event)
        added = _sink_headers(rt.events, event)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "request %s %s attempt %d",
            plan.method,
            call.safe_url(),
            call.attempts,
            extra={
                "operation": plan.name,
                "method": plan.method,
                "url": call.safe_url(),
                "attempt": call.attempts,
                "correlation_id": call.correlation_id,
            },
        )
    return added


def _sink_headers(events: Sequence[ClientEvents], event: RequestEvent) -> dict[str, str] | None:
    """Headers sinks add to this attempt (trace context); a failing sink adds none."""
    added: dict[str, str] | None = None
    for sink in events:
        try:
            extra = sink.attempt_headers(event)
            if extra:
                added = {**(added or {}), **{k.lower(): v for k, v in extra.items()}}
        except Exception:
            logger.exception("event hook %s.attempt_headers failed", type(sink).__name__)
    return added


def _exchange(rt: Runtime, call: Call, request: httpx.Request) -> Coroutine[Any, Any, RawResponse]:
    return exchange(
        rt.http,
        request,
        max_bytes=rt.max_response_bytes,
        follow_redirects=rt.follow_redirects,
        max_redirects=rt.max_redirects,
        secret_headers=call.secret_headers(),
        secret_params=call.secret_params(),
        stream=call.stream,
    )


async def _within_deadline(
    send: Coroutine[Any, Any, RawResponse], remaining: float, call: Call
) -> RawResponse:
    try:
        async with asyncio.timeout(remaining):
            return await send
    except TimeoutError as exc:
        raise RequestTimeoutError(f"deadline of {call.deadline}s exceeded") from exc


def _status_failure(call: Call, raw: RawResponse) -> tuple[HTTPStatusError, int]:
    """The typed error of an error status, and its breaker verdict (-1 or no verdict)."""
    status = raw.status
    error = status_error(
        status,
        raw.reason,
        raw.headers,
        raw.content,
        raw.headers.get("content-type"),
        call.plan.response_for(status),
        open_enums=call.plan.open_responses,
    )
    annotate(error, call, raw.headers)
    return error, -1 if status >= 500 or status in _BREAKER_FAILURE_STATUSES else 0


def _announce_response(
    rt: Runtime, call: Call, status: int | None, started: float, failure: BaseException | None
) -> None:
    plan = call.plan
    emit(
        rt.events,
        "on_response",
        ResponseEvent(
            plan.name,
            plan.method,
            call.safe_url(),
            call.attempts,
            call.correlation_id,
            status,
            rt.clock() - started,
            "success" if failure is None else outcome_of(failure),
        ),
    )


async def _attempt(rt: Runtime, call: Call) -> Any:
    """One attempt: deadline, breaker permit, send, classify, decode; the verdict settles
    the permit (or, for a stream, is left to the ``StreamedResponse``)."""
    call.attempts += 1
    if call.deadline_at is None:  # the common case, without a call
        timeout, remaining = call.timeout, None
    else:
        timeout, remaining = _attempt_timeout(rt, call)
    probe = False
    if rt.shared_breaker is not None:
        probe = await shared_permit(rt.shared_breaker, call)
    if not probe and not rt.breaker.try_acquire():
        _refuse(rt, call)
    if rt.limiter is not None:
        # After the permit: a call the breaker refuses neither waits for a slot nor
        # spends one. The wait counts against the deadline, so the timeout follows it.
        try:
            await limit_rate(rt.limiter, call)
            if call.deadline_at is not None:
                timeout, remaining = _attempt_timeout(rt, call)
        except BaseException:
            if probe:
                settle_probe(rt.shared_breaker, rt.budget, 0)
            else:
                rt.breaker.release()
            raise
    verdict = 0  # 1 success, -1 failure, 0 release (no verdict), 2 handed to a stream
    started = rt.clock()
    status: int | None = None
    failure: BaseException | None = None
    try:
        headers, params = call.headers, call.params
        if call.auth is not None:
            headers, params = await _authorised(call.auth, call)
        if rt.wire is None:
            request = _build_request(rt, call, timeout, headers, params)
            if rt.events or logger.isEnabledFor(logging.DEBUG):
                added = _announce_request(rt, call, request.headers.multi_items())
                if added:
                    request.headers.update(added)
            send = _exchange(rt, call, request)
        else:
            if rt.events or logger.isEnabledFor(logging.DEBUG):
                added = _announce_request(rt, call, list(headers.items()))
                if added:
                    headers = {**headers, **added}  # a copy: call.headers serve every attempt
            send = rt.wire.exchange(
                call,
                timeout,
                headers,
                params,
                rt.max_response_bytes,
                rt.follow_redirects,
                rt.max_redirects,
            )
        raw = await (send if remaining is None else _within_deadline(send, remaining, call))
        status = raw.status
        if rt.limiter is not None:
            rt.limiter.observe(call.plan.name, status, raw.headers)
        if status >= 400:
            error, verdict = _status_failure(call, raw)
            raise error
        if raw.stream is not None:
            # The permit stays taken while the body streams: the StreamedResponse
            # records the verdict when it closes, once the body's fate is known.
            verdict = 2
            return raw
        plan = call.plan
        result = decode_success(
            plan.success_for(status),
            plan.envelope,
            raw.content,
            raw.headers.get("content-type"),
            open_enums=plan.open_responses,
        )
        verdict = 1
        call.response_bytes = len(raw.content)
        call.raw = raw
        capture = CAPTURE.get()
        if capture is not None:  # client.with_raw_response(...) is waiting for it
            _fill(capture, call, raw)
        return result
    except TransportError as exc:
        verdict = -1
        failure = exc
        annotate(exc, call)
        raise
    except ClientError as exc:
        failure = exc
        if exc.operation is None:
            annotate(exc, call)
        raise
    except BaseException as exc:  # cancellation: no verdict, but the event says so
        failure = exc
        raise
    finally:
        if probe:  # a stream's probe counts its status: the service answered
            settle_probe(rt.shared_breaker, rt.budget, 1 if verdict == 2 else verdict)
            if verdict == 2:
                call.shared_probe = True  # settled: the stream's end must not settle again
        elif verdict != 2:
            settle(rt, verdict)
        if rt.events:
            _announce_response(rt, call, status, started, failure)


def _delay_for(rt: Runtime, call: Call, error: BaseException, retry_number: int) -> float:
    retry_after = getattr(error, "retry_after", None)
    if isinstance(error, HTTPStatusError) and retry_after is not None:
        return float(retry_after)
    plan = call.plan
    return backoff_delay(
        retry_number, plan.backoff_base, plan.backoff_cap, jitter=plan.jitter, rand=rt.rand
    )


def _may_continue(rt: Runtime, call: Call, delay: float) -> bool:
    if call.attempts >= call.max_attempts:
        return False
    if rt.budget is not None and not rt.budget.can_retry():
        return False
    if rt.breaker.state is CircuitState.OPEN:
        return False  # our own failures opened it: further attempts would be refused
    return call.deadline_at is None or rt.clock() + delay < call.deadline_at


def _retryable(call: Call, error: BaseException) -> bool:
    plan = call.plan
    return is_retryable(
        error,
        may_repeat=call.may_repeat,
        statuses=plan.retry_statuses,
        retry_after_cap=plan.retry_after_cap,
    )


def _announce_retry(rt: Runtime, call: Call, error: BaseException, delay: float) -> None:
    plan = call.plan
    if logger.isEnabledFor(logging.INFO):
        logger.info(
            "retrying %s after %s (attempt %d of %d, waiting %.3fs)",
            plan.name,
            outcome_of(error),
            call.attempts + 1,
            call.max_attempts,
            delay,
            extra={
                "operation": plan.name,
                "method": plan.method,
                "url": call.safe_url(),
                "status": getattr(error, "status", None),
                "attempt": call.attempts,
                "correlation_id": call.correlation_id,
            },
        )
    if rt.events:
        emit(
            rt.events,
            "on_retry",
            RetryEvent(
                plan.name,
                plan.method,
                call.safe_url(),
                call.attempts + 1,
                call.correlation_id,
                delay,
                error,
            ),
        )


async def run_attempts(rt: Runtime, call: Call) -> Any:
    """All attempts of one call; raises the last attempt's typed error."""
    try:
        return await _attempt(rt, call)
    except ClientError as first:
        if not _retryable(call, first):
            raise
        delay = _delay_for(rt, call, first, 1)
        if not _may_continue(rt, call, delay):
            raise
        _announce_retry(rt, call, first, delay)
        first_error = first
    await rt.sleep(delay)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        return _delay_for(rt, call, error or first_error, call.attempts)

    def stop(state: RetryCallState) -> bool:
        return not _may_continue(rt, call, state.upcoming_sleep)

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        _announce_retry(rt, call, error or first_error, state.upcoming_sleep)

    retrying = AsyncRetrying(
        sleep=rt.sleep,
        wait=wait,
        stop=stop,
        retry=retry_if_exception(lambda exc: _retryable(call, exc)),
        before_sleep=before_sleep,
        reraise=True,
    )
    return await retrying(_attempt, rt, call)
