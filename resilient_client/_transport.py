"""One HTTP exchange: send, follow redirects safely, read the body within a size cap.

Redirects are followed here rather than by httpx because httpx strips only
``Authorization`` when the origin changes; API keys in custom headers or the query
string would otherwise travel to whatever host a ``Location`` names.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

import httpx

from ._exceptions import RequestTimeoutError, ResponseTooLargeError, TransportError

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_BODY_HEADERS = ("content-length", "content-type", "transfer-encoding")
#: What a streamed call reads of an error body: enough for the typed error's detail
#: and error model, never the gigabytes a misbehaving download endpoint might send.
STREAM_ERROR_BODY_LIMIT = 64 * 1024


class OpenResponse(Protocol):
    """What the runtime reads of a response whose body is still open: an
    ``httpx.Response``, the aiohttp transport's ``AiohttpBody`` or the httptools
    transport's ``H1Response``. All raise httpx's exception types while reading."""

    @property
    def headers(self) -> httpx.Headers: ...

    def aiter_bytes(self) -> AsyncIterator[bytes]: ...

    async def aread(self) -> bytes: ...

    async def aclose(self) -> None: ...


@dataclass(slots=True)
class RawResponse:
    status: int
    reason: str
    headers: httpx.Headers
    content: bytes
    #: the still-open response of a streamed success; its body is not read yet
    stream: OpenResponse | None = None


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    port = url.port or {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, port


def next_hop(
    method: str,
    url: httpx.URL,
    headers: httpx.Headers,
    status: int,
    location: str,
    secret_headers: frozenset[str],
    secret_params: frozenset[str],
) -> tuple[str, httpx.URL, httpx.Headers, bool]:
    """Method, URL and headers of a redirect's next request, without credentials if the
    origin changes; the flag says the body is dropped (the method became GET)."""
    target = url.join(location)
    next_method = method
    # RFC 9110: 303 becomes GET; browsers (and httpx) do the same for a POST on 301/302.
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        next_method = "GET"
    headers = httpx.Headers(headers)
    headers.pop("host", None)
    if _origin(target) != _origin(url):
        for name in ("authorization", "cookie", "proxy-authorization", *secret_headers):
            headers.pop(name, None)
        if secret_params and target.query:
            kept = [
                (k, v) for k, v in target.params.multi_items() if k.lower() not in secret_params
            ]
            target = target.copy_with(params=kept)
    dropped = next_method != method
    if dropped:
        for name in _BODY_HEADERS:
            headers.pop(name, None)
    return next_method, target, headers, dropped


def redirect_request(
    request: httpx.Request,
    response: httpx.Response,
    secret_headers: frozenset[str],
    secret_params: frozenset[str],
) -> httpx.Request:
    """The next request of a redirect chain, without credentials if the origin changes."""
    method, url, headers, dropped = next_hop(
        request.method,
        request.url,
        request.headers,
        response.status_code,
        response.headers["location"],
        secret_headers,
        secret_params,
    )
    # httpx adds Host only to a request it builds the body of; this one reuses a stream.
    headers["host"] = url.netloc.decode("ascii")
    stream = httpx.ByteStream(b"") if dropped else request.stream
    return httpx.Request(method, url, headers=headers, stream=stream, extensions=request.extensions)


async def read_capped(response: OpenResponse, limit: int | None) -> bytes:
    if limit is None:
        return await response.aread()
    check_declared(response, limit)
    chunks: list[bytes] = []
    total = 0
    # Counting decoded bytes also caps a small compressed body that inflates hugely.
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > limit:
            raise too_large(limit, f"more than {limit} bytes received")
        chunks.append(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def check_declared(response: OpenResponse, limit: int | None) -> None:
    """Refuse a body whose ``Content-Length`` already exceeds the cap, before reading."""
    if limit is None:
        return
    declared = response.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(limit, f"Content-Length {declared}")


async def read_prefix(response: OpenResponse, limit: int) -> bytes:
    """At most ``limit`` bytes of the body; the rest is dropped with the connection."""
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk[: limit - total])
        total += len(chunks[-1])
        if total >= limit:
            break
    return b"".join(chunks)


def too_large(limit: int, what: str) -> ResponseTooLargeError:
    error = ResponseTooLargeError(
        f"response body exceeds max_response_bytes={limit} ({what}); raise "
        "ClientConfig.max_response_bytes if this size is expected"
    )
    error.limit = limit
    return error


async def exchange(
    http: httpx.AsyncClient,
    request: httpx.Request,
    *,
    max_bytes: int | None,
    follow_redirects: bool,
    max_redirects: int,
    secret_headers: frozenset[str],
    secret_params: frozenset[str],
    stream: bool = False,
) -> RawResponse:
    """Send ``request`` and return the final response, fully read; httpx errors mapped.

    With ``stream`` a success (< 400) comes back unread and open in
    ``RawResponse.stream``: the caller owns it and must close it. An error status is
    still read (its first ``STREAM_ERROR_BODY_LIMIT`` bytes) so it becomes the usual
    typed error.
    """
    try:
        hops = 0
        while True:
            response = await http.send(request, stream=True, follow_redirects=False)
            handed_over = False
            try:
                if (
                    follow_redirects
                    and response.status_code in REDIRECT_STATUSES
                    and "location" in response.headers
                ):
                    if hops >= max_redirects:
                        raise TransportError(f"more than {max_redirects} redirects")
                    hops += 1
                    request = redirect_request(request, response, secret_headers, secret_params)
                    continue
                if stream and response.status_code < 400:
                    check_declared(response, max_bytes)
                    handed_over = True
                    return RawResponse(
                        response.status_code,
                        response.reason_phrase,
                        response.headers,
                        b"",
                        response,
                    )
                if stream:
                    limit = STREAM_ERROR_BODY_LIMIT
                    if max_bytes is not None:
                        limit = min(limit, max_bytes)
                    content = await read_prefix(response, limit)
                else:
                    content = await read_capped(response, max_bytes)
                return RawResponse(
                    response.status_code,
                    response.reason_phrase,
                    response.headers,
                    content,
                )
            finally:
                if not handed_over:
                    await response.aclose()
    except httpx.HTTPError as exc:
        raise typed_transport_error(exc) from exc


def typed_transport_error(exc: httpx.HTTPError) -> TransportError:
    """The runtime's error for an httpx failure (the aiohttp transport maps its own
    failures to httpx's types first, and the httptools one raises them, so every transport
    raises the same errors)."""
    if isinstance(exc, httpx.TimeoutException):
        error: TransportError = RequestTimeoutError(f"{type(exc).__name__}: timed out")
        # Nothing was sent when the connection or a pool slot never came.
        error.connect_error = isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
        return error
    if isinstance(exc, httpx.ConnectError):
        error = TransportError(f"ConnectError: {exc}")
        error.connect_error = True
        return error
    return TransportError(f"{type(exc).__name__}: {exc}")
