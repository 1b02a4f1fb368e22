"""One attempt of a call: admission, send, classify, decode.

Breaker granularity: every *attempt* takes its own permit and records its own
verdict (resilience4j instead wraps the whole retried call once). Per-attempt
recording opens the circuit after ``failure_threshold`` failed requests rather than
``failure_threshold`` failed calls of up to ``max_attempts`` requests each, and the
retry loop (``_retrying``) stops as soon as the circuit opens, so an outage is
detected sooner and hammered less.

The default client (local breaker, no rate limit, no sinks, no deadline) runs the
whole attempt in this one coroutine on top of the send step: what it does not need
(the deadline's timer, the shared permit, the slot, the announcements) costs it a
test of a field each.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, cast

import httpx

from ._announce import announce_request, announce_response
from ._auth import Auth, apply_auth
from ._call import Call, annotate
from ._deadline import watch_for
from ._decode import decode_success, status_error
from ._exceptions import ClientError, HTTPStatusError, RequestTimeoutError, TransportError
from ._gate import admit, attempt_timeout, refuse, settle_probe
from ._raw import CAPTURE, Capture
from ._runtime import Runtime, logger, settle
from ._transport import RawResponse, exchange

_BREAKER_FAILURE_STATUSES = frozenset({408, 429})


async def attempt(rt: Runtime, call: Call) -> Any:
    """One attempt: deadline, breaker permit (and slot), send, classify, decode; the
    verdict settles the permit (or, for a stream, is left to the ``StreamedResponse``)."""
    call.attempts += 1
    if call.deadline_at is None:  # the common case, without a call
        timeout, remaining = call.timeout, None
    else:
        timeout, remaining = attempt_timeout(rt, call)
    probe = False
    if rt.shared_breaker is not None or rt.limiter is not None:
        probe, timeout, remaining = await admit(rt, call, timeout, remaining)
    elif not rt.breaker.try_acquire():
        refuse(rt, call)
    verdict = 0  # 1 success, -1 failure, 0 release (no verdict), 2 handed to a stream
    started = rt.clock() if rt.events else 0.0
    status: int | None = None
    failure: BaseException | None = None
    try:
        headers, params = call.headers, call.params
        if call.auth is not None:
            headers, params = await _authorised(call.auth, call)
        send = _send_step(rt, call, timeout, headers, params)
        if remaining is None:
            raw = await send
        else:
            # The call's deadline bounds the attempt as a whole, not phase by phase
            # (asyncio.timeout's rules, one timer for the loop's attempts: _deadline).
            watch = rt.deadlines = watch_for(rt.deadlines)
            guard = watch.enter(remaining)
            try:
                raw = await send
            except asyncio.CancelledError as exc:
                if watch.leave(guard):
                    message = f"deadline of {call.deadline}s exceeded"
                    raise RequestTimeoutError(message) from _expired(exc)
                raise
            except BaseException:
                watch.leave(guard)
                raise
            watch.leave(guard)
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
        result = _decoded(call, raw)
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
        elif verdict == 1:  # settle(rt, 1), inline: every successful call passes here
            rt.breaker.record_success()
            if rt.budget is not None:
                rt.budget.on_success()
        elif verdict != 2:
            settle(rt, verdict)
        if rt.events:
            announce_response(rt, call, status, started, failure)


def _send_step(
    rt: Runtime,
    call: Call,
    timeout: httpx.Timeout,
    headers: dict[str, str],
    params: list[tuple[str, str]],
) -> Coroutine[Any, Any, RawResponse]:
    """The transport's send of this attempt, not started yet (a plain function: no
    coroutine of its own between the attempt and the send)."""
    if rt.wire is None:
        request = _build_request(rt, call, timeout, headers, params)
        if rt.events or logger.isEnabledFor(logging.DEBUG):
            added = announce_request(rt, call, request.headers.multi_items())
            if added:
                request.headers.update(added)
        return _exchange(rt, call, request)
    if rt.events or logger.isEnabledFor(logging.DEBUG):
        added = announce_request(rt, call, list(headers.items()))
        if added:
            headers = {**headers, **added}  # a copy: call.headers serve every attempt
    return rt.wire.exchange(
        call,
        timeout,
        headers,
        params,
        rt.max_response_bytes,
        rt.follow_redirects,
        rt.max_redirects,
    )


def _decoded(call: Call, raw: RawResponse) -> Any:
    plan = call.plan
    spec = plan.success_for(raw.status)
    return decode_success(
        spec,
        plan.envelope,
        raw.content,
        # only a text body reads it (for its charset): a header lookup saved otherwise
        raw.headers.get("content-type") if spec is not None and spec.kind == "text" else None,
        open_enums=plan.open_responses,
    )


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


def _expired(cancelled: asyncio.CancelledError) -> TimeoutError:
    """What a deadline's timeout error is chained to, as with asyncio.timeout: a
    TimeoutError caused by the cancellation."""
    expired = TimeoutError()
    expired.__cause__ = cancelled
    return expired


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
