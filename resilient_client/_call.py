"""One call's state and how it is built from the ``RequestParts`` a generated method sent."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._auth import Auth
from ._exceptions import (
    AuthError,
    BulkheadFullError,
    CircuitOpenError,
    ClientError,
    EnvelopeError,
    HTTPStatusError,
    RateLimitExceededError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ResponseValidationError,
    TransportError,
)
from ._operation import NO_BODY, NOT_GIVEN, NotGiven
from ._parts import RequestParts
from ._policy import Plan
from ._redact import redact_headers, redact_url
from ._serialize import form_fields, json_bytes, multipart_parts, omitted, query_pairs, simple_text

if TYPE_CHECKING:
    from ._transport import RawResponse


class Call:
    """One call's state, shared by all of its attempts."""

    __slots__ = (
        "attempts",
        "auth",
        "content",
        "correlation_id",
        "data",
        "deadline",
        "deadline_at",
        "files",
        "headers",
        "max_attempts",
        "may_repeat",
        # headers beyond the client's base headers and the correlation id (a spec
        # header or cookie, a body's type, an idempotency key, extra headers)
        "own_headers",
        "params",
        "parts",
        "plan",
        # the decoded success's RawResponse, set by the attempt that succeeded; left
        # unset until then (read with getattr) so building a call costs nothing more
        "raw",
        "response_bytes",
        # set (True) by a streamed attempt that held the shared state's probe permit,
        # which that attempt settled already; unset otherwise (read with getattr)
        "shared_probe",
        "started",
        "stream",
        "timeout",
        "timeout_seconds",
        "url",
    )

    raw: RawResponse
    shared_probe: bool

    def __init__(
        self,
        plan: Plan,
        parts: RequestParts,
        url: str,
        correlation_id: str,
        started: float,
        headers: dict[str, str],
        params: list[tuple[str, str]],
        auth: Auth | None,
    ) -> None:
        self.plan = plan
        #: what the caller sent, as given (the fallback's ``CallInfo`` reads it)
        self.parts = parts
        self.url = url
        self.correlation_id = correlation_id
        self.started = started
        self.headers = headers
        self.params = params
        self.auth = auth
        self.content: bytes | str | None = None
        self.data: Mapping[str, Any] | None = None
        self.files: Mapping[str, Any] | None = None
        self.attempts = 0
        #: size of the decoded success body: what a cached answer weighs against max_bytes
        self.response_bytes = 0
        #: True for ``_stream``: a success comes back unread (see ``exchange``)
        self.stream = False
        self.own_headers = False
        self.max_attempts = plan.max_attempts
        self.may_repeat = plan.may_repeat
        self.timeout = plan.timeout
        self.timeout_seconds = plan.timeout_seconds
        #: seconds for the call (the plan's, a per-call one, or a stream's if shorter)
        self.deadline = plan.deadline
        self.deadline_at = None if plan.deadline is None else started + plan.deadline

    def secret_headers(self) -> frozenset[str]:
        return self.auth.secret_headers if self.auth is not None else frozenset()

    def secret_params(self) -> frozenset[str]:
        return self.auth.secret_params if self.auth is not None else frozenset()

    def safe_url(self) -> str:
        url = self.url
        if self.params:
            url = str(httpx.URL(url, params=self.params))
        return redact_url(url, self.secret_params())


def outcome_of(error: BaseException) -> str:
    if isinstance(error, HTTPStatusError):
        return "http_5xx" if (error.status or 0) >= 500 else "http_4xx"
    if isinstance(error, RequestTimeoutError):
        return "timeout"
    if isinstance(error, TransportError):
        return "transport"
    if isinstance(error, CircuitOpenError):
        return "circuit_open"
    if isinstance(error, BulkheadFullError):
        return "bulkhead_full"
    if isinstance(error, RateLimitExceededError):
        return "rate_limited"
    if isinstance(error, ResponseValidationError):
        return "validation"
    if isinstance(error, EnvelopeError):
        return "envelope"
    if isinstance(error, ResponseTooLargeError):
        return "too_large"
    if isinstance(error, AuthError):
        return "auth"
    if isinstance(error, asyncio.CancelledError):
        return "cancelled"
    return "error"


def annotate(error: ClientError, call: Call, headers: httpx.Headers | None = None) -> None:
    """Fill the call's context into an error raised deep in the pipeline."""
    plan = call.plan
    error.operation = plan.name
    error.method = plan.method
    error.url = call.safe_url()
    error.correlation_id = call.correlation_id
    error.attempts = call.attempts
    if headers is not None:
        error.headers = redact_headers(headers.multi_items(), call.secret_headers())


def build_call(
    plan: Plan,
    parts: RequestParts,
    base_url: str,
    base_headers: Mapping[str, str],
    correlation_header: str,
    auth: Auth | None,
    cid: str,
    started: float,
) -> Call:
    """The URL, query pairs, headers and encoded body of one call, shared by its attempts."""
    styles = plan.param_styles
    url = base_url + plan.path.format(parts.path_params, styles)
    query, headers, cookies = parts.query, parts.headers, parts.cookies
    params: list[tuple[str, str]] = []
    if query:
        for name, value in query.items():
            if value is not None and value is not NOT_GIVEN:  # inline: the hot loop
                params.extend(query_pairs(name, value, styles.get(name)))
    request_headers = dict(base_headers)
    request_headers[correlation_header] = cid
    if headers:
        for name, value in headers.items():
            if value is not None and value is not NOT_GIVEN:
                request_headers[name.lower()] = simple_text(value, styles.get(name))
    if cookies:
        pairs = [
            pair
            for name, value in cookies.items()
            if not omitted(value)
            for pair in query_pairs(name, value, styles.get(name))
        ]
        if pairs:
            request_headers["cookie"] = "; ".join(f"{k}={v}" for k, v in pairs)
    call = Call(
        plan,
        parts,
        url,
        cid,
        started,
        request_headers,
        params,
        auth if plan.authenticated else None,
    )
    own_headers = bool(headers) or "cookie" in request_headers
    if (
        parts.json is not NO_BODY
        or parts.data is not None
        or parts.files is not None
        or parts.content is not None
    ):
        _encode_body(call, parts, request_headers)  # most GETs have no body at all
        own_headers = True
    idempotency_key = parts.options.idempotency_key
    if idempotency_key is None and plan.auto_idempotency_key:
        idempotency_key = str(uuid.uuid4())
    if idempotency_key is not None:
        request_headers["idempotency-key"] = idempotency_key
        call.may_repeat = True
        own_headers = True
    extra_headers = parts.options.extra_headers
    if extra_headers:
        request_headers.update((k.lower(), v) for k, v in extra_headers.items())
        own_headers = True
    call.own_headers = own_headers
    return call


def _encode_body(call: Call, parts: RequestParts, request_headers: dict[str, str]) -> None:
    plan = call.plan
    # An optional body the caller did not pass (NOT_GIVEN) is no body at all.
    json = NO_BODY if parts.json is NOT_GIVEN else parts.json
    data = None if isinstance(parts.data, NotGiven) else parts.data
    files = None if isinstance(parts.files, NotGiven) else parts.files
    content = None if isinstance(parts.content, NotGiven) else parts.content
    if json is not NO_BODY:
        call.content = json_bytes(json)
        request_headers["content-type"] = (
            plan.content_type
            if (plan.content_type and "json" in plan.content_type)
            else "application/json"
        )
    elif files or (data is not None and (plan.content_type or "").startswith("multipart/")):
        # Encoded once per call, not per attempt: httpx draws a random boundary each
        # time, and a retry must repeat the same bytes under the same Idempotency-Key
        # (file objects could not be read twice anyway).
        encoded = httpx.Request("POST", call.url, files=multipart_parts(data, files))
        call.content = encoded.read()
        request_headers["content-type"] = encoded.headers.get("content-type", "multipart/form-data")
    elif data is not None:
        call.data = form_fields(data)
    elif content is not None:
        call.content = content
        if plan.content_type:
            request_headers["content-type"] = plan.content_type


#: operation, URL, query pairs, body (or its digest), varying headers, auth identity
CacheKey = tuple[
    str, str, tuple[tuple[str, str], ...], str | bytes, tuple[tuple[str, str], ...], str
]

#: headers that differ on every call without changing the answer
_UNCACHED_HEADERS = frozenset({"idempotency-key"})


def cache_key(
    call: Call,
    correlation_header: str,
    identity: str,
    base_items: tuple[tuple[str, str], ...],
) -> CacheKey:
    """``identity``: ``auth_identity`` of the call's credential ("" without one), awaited
    by the caller only when there is one, so a cache hit runs no coroutine of its own.
    ``base_items``: ``key_headers(base headers)``, what a call with no headers of its own
    (``Call.own_headers``) has for its varying headers, computed once per client."""
    # Spec header and cookie parameters (a tenant, a locale) and per-call extra headers can
    # change the answer, so they are part of the key; the correlation id never does.
    # Plain tuples: hashing them is cheaper than digesting a repr on every cache hit.
    varying = key_headers(call.headers, correlation_header) if call.own_headers else base_items
    body = b""
    if isinstance(call.content, bytes):
        body = call.content
    elif isinstance(call.content, str):
        body = call.content.encode()
    elif call.data is not None:
        body = json_bytes(dict(call.data))
    return (
        call.plan.name,
        call.url,
        tuple(sorted(call.params)),
        # a digest, so a large body is not kept alive by the key
        hashlib.sha256(body).hexdigest() if len(body) > 64 else body,
        varying,
        identity,
    )


def key_headers(headers: Mapping[str, str], correlation_header: str) -> tuple[tuple[str, str], ...]:
    """The headers of a cache key: all but the correlation id and the idempotency key."""
    return tuple(
        sorted(
            item
            for item in headers.items()
            if item[0] != correlation_header and item[0] not in _UNCACHED_HEADERS
        )
    )


def log_extra(call: Call, error: BaseException | None, now: float) -> dict[str, Any]:
    return {
        "operation": call.plan.name,
        "method": call.plan.method,
        "url": call.safe_url(),
        "status": getattr(error, "status", None) if error is not None else None,
        "attempt": call.attempts,
        "latency_ms": round((now - call.started) * 1000.0, 3),
        "correlation_id": call.correlation_id,
    }
