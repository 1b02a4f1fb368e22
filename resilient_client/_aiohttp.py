"""The ``transport="aiohttp"`` send step: one attempt's exchange over an aiohttp session.

Why a second transport: over loopback httpx (httpcore's pool, anyio, its URL and model
objects) costs several times what aiohttp does per request, and far more at high
concurrency, where httpcore's pool becomes the bottleneck. This module replaces only the
send step (``_transport.exchange``): everything around it (deadline, breaker permit,
retries, bulkhead, decoding, the size cap, the stream wrapper) is the same code on both
transports.

It never builds an ``httpx.Request`` on the common path (that object alone costs about
as much as the rest of the runtime's per-call work); httpx's own models are used only
where behaviour must match byte for byte and the path is rare: form and multipart bodies
are encoded by httpx, and a redirect hop goes through ``_transport.next_hop``.

Contract with the rest of the runtime:

- Errors leave as the ``TransportError``/``RequestTimeoutError`` the httpx path raises
  (``_transport.typed_transport_error``), with ``connect_error`` set when nothing was sent.
- A streamed success hands back an ``AiohttpBody`` that looks like the part of an
  ``httpx.Response`` ``StreamedResponse`` uses (``aiter_bytes``, ``aclose``) and raises
  httpx's exception types, so the stream wrapper needs no second error mapping.
- Timeouts (see ``client_timeout``): httpx's connect -> aiohttp's ``sock_connect``, pool
  + connect -> ``connect`` (aiohttp's covers the wait for a pool slot and the connect),
  read -> ``sock_read`` (the longest wait for data, like httpx's). aiohttp has no write
  timeout; a body that cannot be sent is bounded by the call's deadline.

Importing this module imports aiohttp: ``_client`` does it only when the transport is
selected, so ``resilient_client`` imports without the ``[aiohttp]`` extra.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import aiohttp
import httpx
from multidict import CIMultiDict
from yarl import URL

from ._config import ClientConfig
from ._exceptions import TransportError
from ._transport import (
    REDIRECT_STATUSES,
    STREAM_ERROR_BODY_LIMIT,
    RawResponse,
    check_declared,
    next_hop,
    read_capped,
    read_prefix,
    typed_transport_error,
)

if TYPE_CHECKING:
    from ._call import Call


#: a URL's query (and fragment) in an exception's text
_URL_QUERY = re.compile(r"""(\bhttps?://[^\s'"?#]*)[?#][^\s'")]*""")


def describe(exc: BaseException) -> str:
    """``exc``'s type and text without the query of any URL in it: aiohttp's errors
    name the request's full URL (a connect timeout, a malformed answer), and the query
    may carry an API key. A ClientResponseError's URL is left out altogether."""
    if isinstance(exc, aiohttp.ClientResponseError):
        return f"{type(exc).__name__}: {exc.status}, message={exc.message!r}"
    return f"{type(exc).__name__}: " + _URL_QUERY.sub(r"\1?[query hidden]", str(exc))


def as_httpx_error(exc: BaseException) -> httpx.HTTPError:
    """The httpx exception the httpx transport would have raised for ``exc``; raise it
    ``from None``: ``exc`` itself names the full URL (see ``describe``)."""
    message = describe(exc)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message)
    if isinstance(exc, aiohttp.ServerTimeoutError):  # SocketTimeoutError: a read
        return httpx.ReadTimeout(message)
    if isinstance(exc, aiohttp.ClientConnectorError):  # refused, DNS, TLS handshake
        return httpx.ConnectError(message)
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError)):
        return httpx.RemoteProtocolError(message)
    return httpx.ReadError(message)


class AiohttpBody:
    """An open aiohttp response as the runtime reads it: status, reason and headers as
    httpx has them, and the (content-decoded) body through httpx's method names."""

    __slots__ = ("_response", "headers", "reason_phrase", "status_code")

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self.status_code = response.status
        self.reason_phrase = response.reason or ""
        # raw_headers keeps repeated fields (Set-Cookie, Link) and their order.
        self.headers = httpx.Headers(response.raw_headers)

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body's data as it arrives, decoded (gzip, deflate, br), in chunks of at
        most the session's read buffer."""
        content = self._response.content
        try:
            while True:
                data = await content.readany()
                if not data:
                    return
                yield data
        except aiohttp.ClientError as exc:
            raise as_httpx_error(exc) from None

    async def aread(self) -> bytes:
        try:
            return await self._response.read()
        except aiohttp.ClientError as exc:
            raise as_httpx_error(exc) from None

    async def aclose(self) -> None:
        # A body read to its end has already gone back to the pool; close() drops a
        # connection whose body was left unread (as httpx does), release() is a no-op then.
        response = self._response
        if response.content.at_eof():
            response.release()
        else:
            response.close()


def client_timeout(timeout: dict[str, float | None]) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for one attempt's httpx timeouts (see the module docstring)."""
    connect, read, pool = timeout["connect"], timeout["read"], timeout["pool"]
    total_connect = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(
        total=None, connect=total_connect, sock_connect=connect, sock_read=read
    )


#: distinct per-attempt timeouts remembered (usually one per client: the configured one)
_TIMEOUTS_KEPT = 32


class AiohttpWire:
    """The aiohttp session of one client, created in the first call's event loop."""

    __slots__ = ("_closed", "_config", "_session", "_ssl", "_timeouts")

    def __init__(self, config: ClientConfig, ssl_context: ssl.SSLContext | bool) -> None:
        self._config = config
        self._ssl = ssl_context
        self._session: aiohttp.ClientSession | None = None
        self._closed = False
        self._timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}

    def _open(self) -> aiohttp.ClientSession:
        if self._closed:
            raise TransportError("the client's aiohttp session is closed")
        pool = self._config.pool
        connector = aiohttp.TCPConnector(
            limit=pool.max_connections or 0,  # aiohttp: 0 is unlimited
            limit_per_host=0,
            keepalive_timeout=pool.keepalive_expiry,
            ssl=self._ssl,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            # The cookie jar follows httpx's policy: a server on an IP address may set
            # cookies too (aiohttp's default jar refuses them).
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            auto_decompress=True,
            # Redirects are followed by ``exchange`` (credentials dropped on a new origin).
            timeout=aiohttp.ClientTimeout(total=None),
            raise_for_status=False,
            trust_env=False,
        )
        return self._session

    def _timeout(self, timeout: httpx.Timeout) -> aiohttp.ClientTimeout:
        key = (timeout.connect, timeout.read, timeout.pool)
        found = self._timeouts.get(key)
        if found is None:
            if len(self._timeouts) >= _TIMEOUTS_KEPT:
                # Deadline-clipped timeouts differ on every attempt: keep the cache small.
                self._timeouts.clear()
            found = self._timeouts[key] = client_timeout(timeout.as_dict())
        return found

    async def aclose(self) -> None:
        self._closed = True
        if self._session is not None:
            await self._session.close()

    async def exchange(
        self,
        call: Call,
        timeout: httpx.Timeout,
        headers: dict[str, str],
        params: list[tuple[str, str]],
        max_bytes: int | None,
        follow_redirects: bool,
        max_redirects: int,
    ) -> RawResponse:
        """``_transport.exchange`` over aiohttp: send, follow redirects safely, read
        within the cap (or hand a streamed success over unread)."""
        session = self._session or self._open()
        method = call.plan.method
        url = call.url
        if params:
            # httpx's query encoding, so both transports put the same bytes on the wire.
            url = str(httpx.URL(url, params=params))
        body: bytes | None
        out_headers: dict[str, str] | CIMultiDict[str] = headers
        if call.data is not None or call.files is not None:
            body, out_headers = await _encoded_form(call, headers)
        else:
            content = call.content
            body = content.encode() if isinstance(content, str) else content
        client_timeout_ = self._timeout(timeout)
        hops = 0
        try:
            while True:
                response = await session.request(
                    method,
                    URL(url),
                    headers=out_headers,
                    data=body,
                    allow_redirects=False,
                    timeout=client_timeout_,
                    ssl=self._ssl,
                )
                wrapped = AiohttpBody(response)
                handed_over = False
                try:
                    status = response.status
                    if (
                        follow_redirects
                        and status in REDIRECT_STATUSES
                        and "location" in wrapped.headers
                    ):
                        if hops >= max_redirects:
                            raise TransportError(f"more than {max_redirects} redirects")
                        hops += 1
                        method, next_url, next_headers, dropped = next_hop(
                            method,
                            httpx.URL(url),
                            httpx.Headers(out_headers),
                            status,
                            wrapped.headers["location"],
                            call.secret_headers(),
                            call.secret_params(),
                        )
                        url = str(next_url)
                        out_headers = CIMultiDict(next_headers.multi_items())
                        if dropped:
                            body = None
                        continue
                    if call.stream and status < 400:
                        check_declared(wrapped, max_bytes)
                        handed_over = True
                        return RawResponse(
                            status, wrapped.reason_phrase, wrapped.headers, b"", wrapped
                        )
                    if call.stream:
                        limit = STREAM_ERROR_BODY_LIMIT
                        if max_bytes is not None:
                            limit = min(limit, max_bytes)
                        content_bytes = await read_prefix(wrapped, limit)
                    else:
                        content_bytes = await _read(wrapped, response, max_bytes)
                    return RawResponse(
                        status, wrapped.reason_phrase, wrapped.headers, content_bytes
                    )
                finally:
                    if not handed_over:
                        await wrapped.aclose()
        except httpx.HTTPError as exc:  # raised by AiohttpBody while reading
            raise typed_transport_error(exc) from exc
        except aiohttp.ClientError as exc:
            # chained to the mapped error: aiohttp's own names the full URL
            mapped = as_httpx_error(exc)
            raise typed_transport_error(mapped) from mapped
        except (ValueError, TypeError) as exc:  # yarl/aiohttp refusing a URL or header
            raise TransportError(describe(exc)) from None


async def _read(wrapped: AiohttpBody, response: aiohttp.ClientResponse, limit: int | None) -> bytes:
    declared = response.content_length
    if (
        declared is not None
        and (limit is None or declared <= limit)
        and "content-encoding" not in wrapped.headers
    ):
        # An identity body of a declared size within the cap: aiohttp reads exactly
        # that many bytes, so one read() replaces the counting loop.
        return await wrapped.aread()
    return await read_capped(wrapped, limit)


async def _encoded_form(call: Call, headers: dict[str, str]) -> tuple[bytes, CIMultiDict[str]]:
    """A form or multipart body encoded by httpx (boundary, field encoding and headers as
    on the httpx transport); read into memory, so an upload is held whole once."""
    request = httpx.Request(
        call.plan.method, call.url, headers=headers, data=call.data, files=call.files
    )
    body = await request.aread()
    return body, CIMultiDict(request.headers.multi_items())
