"""Every error the runtime raises, in one place.

::

    ClientError                      base; carries operation, method, url, status, ...
    ├── ConfigError                  invalid configuration (also a ValueError)
    ├── ClientClosedError            a call on a closed client (also a RuntimeError)
    ├── AuthError                    the credential provider failed (token endpoint...)
    ├── TransportError               no usable HTTP answer (connect, read, protocol)
    │   ├── RequestTimeoutError      an attempt or the call's deadline ran out
    │   ├── StreamInterruptedError   a streamed body broke off after it started
    │   └── StreamTimeoutError       a streamed body went idle or passed its deadline
    │                                (both a RequestTimeoutError and a StreamInterruptedError)
    ├── HTTPStatusError              a 4xx/5xx answer (other 4xx use this class)
    │   ├── BadRequestError          400
    │   ├── UnauthorizedError        401
    │   ├── ForbiddenError           403
    │   ├── NotFoundError            404
    │   ├── ConflictError            409
    │   ├── UnprocessableEntityError 422
    │   ├── RateLimitedError         429 (``retry_after``)
    │   └── ServerError              5xx (``retry_after``)
    ├── CircuitOpenError             the breaker refused the call (``retry_after``)
    ├── RateLimitExceededError       the client's own rate limit had no slot in time
    ├── BulkheadFullError            no concurrency slot within the wait
    ├── ResponseValidationError      a success body that does not match its model
    ├── ResponseTooLargeError        a body above ``max_response_bytes``
    ├── PaginationLoopError          a next page repeating an earlier request (``_paginate``)
    └── EnvelopeError                an ``x-envelope`` status that is not a success

Every attribute is already redacted: URLs have secret query values masked and headers
have credentials masked, so errors can be logged or shown as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._redact import redact_text, redact_url


class ClientError(Exception):
    """Base of all runtime errors; ``str(e)`` is one readable line."""

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        method: str | None = None,
        url: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        model: Any = None,
        correlation_id: str | None = None,
        retry_after: float | None = None,
        attempts: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.method = method
        self.url = url
        self.status = status
        self.headers: Mapping[str, str] = dict(headers) if headers else {}
        self.body = body
        #: the body validated into the error model the spec declares for this status
        self.model = model
        self.correlation_id = correlation_id
        self.retry_after = retry_after
        self.attempts = attempts

    def __str__(self) -> str:
        # Masked here too, whoever built the error: a message or URL that carries a
        # credential never reaches a log line or a traceback through str() or repr().
        parts = [redact_text(self.message.replace("\n", " "))]
        context = []
        if self.operation:
            context.append(f"operation={self.operation}")
        if self.method and self.url:
            context.append(f"{self.method} {redact_url(self.url)}")
        if self.status is not None:
            context.append(f"status={self.status}")
        if self.attempts is not None and self.attempts > 1:
            context.append(f"attempts={self.attempts}")
        if self.retry_after is not None:
            context.append(f"retry_after={self.retry_after:g}s")
        if self.correlation_id:
            context.append(f"correlation_id={self.correlation_id}")
        if context:
            parts.append("(" + ", ".join(context) + ")")
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class ConfigError(ClientError, ValueError):
    """The configuration cannot work; the message says what to change."""


class ClientClosedError(ClientError, RuntimeError):
    """The client was closed (``aclose`` or the end of ``async with``)."""


class AuthError(ClientError):
    """The configured auth could not produce a credential (the cause is chained).

    Raised before anything is sent, so it neither counts against the breaker nor is
    retried by the client.
    """


class TransportError(ClientError):
    """The request got no usable HTTP answer.

    ``connect_error`` is True when nothing reached the server, which makes a retry
    safe for any method.
    """

    connect_error: bool = False


class RequestTimeoutError(TransportError):
    """An attempt's timeout or the call's total deadline elapsed."""


class StreamInterruptedError(TransportError):
    """A streamed body failed after the caller got the stream (read error, timeout, cut).

    Never retried: the caller may already have consumed or written part of the body,
    and repeating the request would hand it the start again. ``bytes_received`` says
    how far the stream got; the cause is chained.
    """

    bytes_received: int = 0


class StreamTimeoutError(RequestTimeoutError, StreamInterruptedError):
    """A streamed body timed out after the caller got the stream.

    ``timeout_kind`` says which limit ran out: ``"idle"`` (no data for the stream idle
    timeout, or the read timeout) or ``"deadline"`` (the stream's total deadline, which
    counts from the call's start). Both a ``RequestTimeoutError`` (it is a timeout: the
    breaker counts it as a failure, metrics as ``timeout``) and a
    ``StreamInterruptedError`` (the body ended early: never retried, ``bytes_received``
    says how far it got), so handlers written for either catch it.
    """

    timeout_kind: str = "idle"


class HTTPStatusError(ClientError):
    """The server answered with a 4xx or 5xx status."""


class BadRequestError(HTTPStatusError):
    """400."""


class UnauthorizedError(HTTPStatusError):
    """401."""


class ForbiddenError(HTTPStatusError):
    """403."""


class NotFoundError(HTTPStatusError):
    """404; never counted against the circuit breaker."""


class ConflictError(HTTPStatusError):
    """409."""


class UnprocessableEntityError(HTTPStatusError):
    """422."""


class RateLimitedError(HTTPStatusError):
    """429; ``retry_after`` holds the server's ``Retry-After`` in seconds if sent."""


class ServerError(HTTPStatusError):
    """5xx; ``retry_after`` holds the server's ``Retry-After`` in seconds if sent."""


class CircuitOpenError(ClientError):
    """The circuit breaker is open; ``retry_after`` says when a trial call is allowed."""


class RateLimitExceededError(ClientError):
    """The client's own rate limit (``RateLimitConfig``) had no slot within the call's
    deadline or ``max_wait``; nothing was sent. ``retry_after`` is the wait it would
    have taken. Not an ``HTTPStatusError``: the server's 429 stays ``RateLimitedError``."""


class BulkheadFullError(ClientError):
    """Every concurrency slot stayed busy for the whole ``acquire_timeout``."""


class ResponseValidationError(ClientError):
    """A success response whose body does not match the declared model."""


class ResponseTooLargeError(ClientError):
    """The body exceeded ``max_response_bytes``; it was not read into memory."""

    limit: int | None = None


class EnvelopeError(ClientError):
    """An ``x-envelope`` answer whose status is not a success value (even under HTTP 200)."""

    def __init__(
        self,
        message: str,
        *,
        envelope_status: str | None = None,
        error: Any = None,
        envelope_message: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.envelope_status = envelope_status
        self.error = error
        self.envelope_message = envelope_message


_STATUS_CLASSES: dict[int, type[HTTPStatusError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitedError,
}


def status_error_class(status: int) -> type[HTTPStatusError]:
    """The most specific ``HTTPStatusError`` subclass for ``status``."""
    if status >= 500:
        return ServerError
    return _STATUS_CLASSES.get(status, HTTPStatusError)
