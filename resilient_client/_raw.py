"""Raw response access: the parsed model together with the status and headers.

``await client.with_raw_response(client.get_stamp, file_hash)`` calls any generated
method exactly as usual (every resilience rule applies) and returns a ``RawResponse``
holding what it returned (``.parsed``) and the HTTP answer it came from: status code,
headers (``ETag``, ``RateLimit-*``, ``Link``), attempts and correlation id. The method
is passed in, not looked up by name, so ``mypy`` checks its arguments (``ParamSpec``)
and types ``.parsed`` as the method's own return type, without a second generated
class of methods.

How: the call runs with a capture slot in a ``ContextVar``; the attempt that succeeds
fills it. A cached answer has no response of its own, so a call made this way skips
the cache lookup (and refreshes the entry, like ``use_cache=False``).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx

T = TypeVar("T")


class Capture:
    """Where the succeeding attempt writes its response (one per ``with_raw_response``)."""

    __slots__ = ("attempts", "correlation_id", "headers", "status_code", "url")

    def __init__(self) -> None:
        self.status_code: int | None = None
        self.headers = httpx.Headers()
        self.url = ""
        self.attempts = 0
        self.correlation_id = ""


CAPTURE: ContextVar[Capture | None] = ContextVar("resilient_client_capture", default=None)


@dataclass(frozen=True, slots=True)
class RawResponse(Generic[T]):
    """A method's result with the HTTP response it was decoded from."""

    parsed: T
    #: None only when the client's fallback answered instead of the service
    status_code: int | None
    headers: httpx.Headers
    #: the request URL, credentials masked
    url: str
    attempts: int
    correlation_id: str

    def __repr__(self) -> str:
        return (
            f"RawResponse(status_code={self.status_code}, url={self.url!r}, "
            f"attempts={self.attempts}, parsed={type(self.parsed).__name__})"
        )
