"""The ``transport="httptools"`` send step: HTTP/1.1 over asyncio Protocols (``_h1``) and
a keep-alive pool (``_h1_pool``), with the llhttp parser of httptools.

Why a third transport: aiohttp's own Python work is about 100 us of CPU per call, which
leaves no room for the resilience pipeline within 1.1x of bare aiohttp. This one does
the least an HTTP/1.1 client must: the request head is one formatted string, the answer
is parsed in C, and a call at rest waits on one future. It replaces only the send step
(``_transport.exchange``), with the same interface as ``AiohttpWire``; everything around
it (deadline, breaker, retries, bulkhead, decoding, the stream wrapper) is shared.

What it does as the other transports do: redirects through ``_transport.next_hop``
(credentials dropped on a new origin), httpx's query, form and multipart encoding, a
cookie jar (``httpx.Cookies``), gzip/deflate decoding counted against the cap, errors
raised as httpx's types and mapped by ``typed_transport_error``. Timeouts: connect, the
pool wait, each wait for the answer or the next body data (read) and a send that
cannot go out (write), each as configured.

What it does not do: HTTP/2, proxies (the client refuses to start when the environment
names one for its base URL, see ``refuse_proxies``), brotli/zstd (not offered in
Accept-Encoding, so not sent), credentials in the URL, ``Expect: 100-continue``.

Importing this module imports httptools: ``_client`` does it only when the transport is
selected, so ``resilient_client`` imports without the ``[httptools]`` extra.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import httpx

from ._config import ClientConfig
from ._exceptions import TransportError
from ._h1 import H1Connection
from ._h1_decode import decoder_for
from ._h1_pool import H1Pool
from ._h1_request import Origin, encoded_form, request_head, split_url
from ._transport import (
    REDIRECT_STATUSES,
    STREAM_ERROR_BODY_LIMIT,
    RawResponse,
    check_declared,
    next_hop,
    read_prefix,
    too_large,
    typed_transport_error,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from ._call import Call


class H1Response:
    """An answer whose body is still on the connection, as the runtime reads it (the
    ``OpenResponse`` of ``_transport``): decoded, raising httpx's exception types."""

    __slots__ = (
        "_conn",
        "_done",
        "_encoding",
        "_length",
        "_pool",
        "_read_timeout",
        "headers",
        "reason_phrase",
        "sets_cookie",
        "status_code",
    )

    def __init__(self, pool: H1Pool, conn: H1Connection, read_timeout: float | None) -> None:
        self._pool = pool
        self._conn: H1Connection | None = conn
        self._read_timeout = read_timeout
        self._done = False
        self.status_code = conn.status
        self.reason_phrase = conn.reason
        self.headers = httpx.Headers(conn.headers)
        self._length = conn.content_length
        self._encoding = conn.content_encoding
        self.sets_cookie = conn.sets_cookie

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        conn = self._conn
        if conn is None:
            return
        decoder = decoder_for(self._encoding)
        while True:
            data = await conn.read(self._read_timeout)
            if not data:
                break
            if decoder is None:
                yield data
            else:
                for piece in decoder.pieces(data):
                    yield piece
        if decoder is not None:
            tail = decoder.flush()
            if tail:
                yield tail
        self._finish()

    async def aread(self) -> bytes:
        return await self.read_capped(None)

    async def read_capped(self, limit: int | None) -> bytes:
        """The whole (decoded) body, refused past ``limit`` bytes."""
        if limit is not None and self._length is not None and self._length > limit:
            raise too_large(limit, f"Content-Length {self._length}")
        conn = self._conn
        if conn is None:
            return b""
        if self._encoding is None:
            # the common case: no decoder, no per-chunk generator
            chunks: list[bytes] = []
            total = 0
            while True:
                data = await conn.read(self._read_timeout)
                if not data:
                    break
                total += len(data)
                if limit is not None and total > limit:
                    raise too_large(limit, f"more than {limit} bytes received")
                chunks.append(data)
            self._finish()
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)
        chunks = []
        total = 0
        async for piece in self.aiter_bytes():
            total += len(piece)
            if limit is not None and total > limit:
                raise too_large(limit, f"more than {limit} bytes received")
            chunks.append(piece)
        return b"".join(chunks)

    def _finish(self) -> None:
        """The body was read to its end: the connection goes back to the pool."""
        conn = self._conn
        if conn is not None and not self._done:
            self._done = True
            self._conn = None
            self._pool.release(conn, conn.origin)

    async def aclose(self) -> None:
        conn = self._conn
        if conn is None:
            return
        self._conn = None
        self._done = True
        if conn.complete and not conn.closed:
            self._pool.release(conn, conn.origin)
        else:
            self._pool.discard(conn)  # an unread rest would desynchronise the connection


class HttptoolsWire:
    """The pool of one client, created in the first call's event loop."""

    __slots__ = ("_clock", "_closed", "_config", "_cookies", "_origins", "_pool", "_ssl")

    def __init__(
        self,
        config: ClientConfig,
        ssl_context: ssl.SSLContext | bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self._ssl = ssl_context
        self._clock = clock
        self._pool: H1Pool | None = None
        self._closed = False
        self._cookies = httpx.Cookies()
        #: authority -> (origin, Host header), parsed once per authority
        self._origins: dict[tuple[str, str], tuple[Origin, str]] = {}

    def _open(self) -> H1Pool:
        if self._closed:
            raise TransportError("the client's connection pool is closed")
        self._pool = H1Pool(self._config.pool, self._ssl, self._clock)
        return self._pool

    async def aclose(self) -> None:
        self._closed = True
        pool = self._pool
        if pool is not None:
            if pool.loop is asyncio.get_running_loop():
                await pool.aclose()
            else:  # closed from a later event loop than the one it served
                pool.abandon()

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
        pool = self._pool
        if pool is None or pool.loop is not asyncio.get_running_loop():
            pool = self._open() if pool is None else self._reopen(pool)
        method = call.plan.method
        url = call.url
        if params:
            # httpx's query encoding, so every transport puts the same bytes on the wire
            url = str(httpx.URL(url, params=params))
        body: bytes | None
        out_headers: Iterable[tuple[str, str]] = headers.items()
        if call.data is not None or call.files is not None:
            body, out_headers = await encoded_form(call, headers)
        else:
            content = call.content
            body = content.encode() if isinstance(content, str) else content
        hops = 0
        try:
            while True:
                response = await self._send(pool, method, url, out_headers, body, timeout)
                handed_over = False
                try:
                    status = response.status_code
                    if response.sets_cookie:
                        self._keep_cookies(method, url, response)
                    if (
                        follow_redirects
                        and status in REDIRECT_STATUSES
                        and "location" in response.headers
                    ):
                        if hops >= max_redirects:
                            raise TransportError(f"more than {max_redirects} redirects")
                        hops += 1
                        method, next_url, next_headers, dropped = next_hop(
                            method,
                            httpx.URL(url),
                            httpx.Headers(list(out_headers)),
                            status,
                            response.headers["location"],
                            call.secret_headers(),
                            call.secret_params(),
                        )
                        url = str(next_url)
                        out_headers = next_headers.multi_items()
                        if dropped:
                            body = None
                        continue
                    if call.stream and status < 400:
                        check_declared(response, max_bytes)
                        handed_over = True
                        return RawResponse(
                            status, response.reason_phrase, response.headers, b"", response
                        )
                    if call.stream:
                        limit = STREAM_ERROR_BODY_LIMIT
                        if max_bytes is not None:
                            limit = min(limit, max_bytes)
                        content_bytes = await read_prefix(response, limit)
                    else:
                        content_bytes = await response.read_capped(max_bytes)
                    return RawResponse(
                        status, response.reason_phrase, response.headers, content_bytes
                    )
                finally:
                    if not handed_over:
                        await response.aclose()
        except httpx.HTTPError as exc:
            # this module's own texts: no URL, header value or query in them
            raise typed_transport_error(exc) from exc

    async def _send(
        self,
        pool: H1Pool,
        method: str,
        url: str,
        headers: Iterable[tuple[str, str]],
        body: bytes | None,
        timeout: httpx.Timeout,
    ) -> H1Response:
        """Write one request and wait for its answer's head."""
        origin, target, host = self._split(url)
        cookie = self._cookie_header(method, url) if self._cookies.jar else None
        head = request_head(method, target, host, headers, body, cookie)
        conn, reused = await pool.acquire(origin, timeout)
        # A reused connection was checked by acquire (stale): the request goes out on a
        # connection not known to be closed. If the server closed it in the moment
        # since, the first write fails at once with not one byte sent (the socket's
        # send raised): then, and only then, the request is written once more, on a
        # fresh connection. A failure any later may follow bytes the server read, and
        # is reported instead (TransportError, connect_error False).
        _write(pool, conn, head, body, method)
        if reused and conn.write_failed():
            pool.discard(conn)
            conn, _ = await pool.acquire(origin, timeout, fresh=True)
            _write(pool, conn, head, body, method)
        try:
            await conn.drain(timeout.write)
            await conn.read_head(timeout.read)
        except BaseException:
            pool.discard(conn)
            raise
        return H1Response(pool, conn, timeout.read)

    def _reopen(self, pool: H1Pool) -> H1Pool:
        # A client used from a second event loop (asyncio.run twice): the first loop's
        # connections cannot be used here; they are dropped with that pool.
        pool.abandon()
        return self._open()

    def _split(self, url: str) -> tuple[Origin, str, str]:
        if len(self._origins) >= 256:  # redirects to ever new hosts
            self._origins.clear()
        return split_url(url, self._origins)

    def _cookie_header(self, method: str, url: str) -> str | None:
        request = httpx.Request(method, url)
        self._cookies.set_cookie_header(request)
        cookie: str | None = request.headers.get("cookie")
        return cookie

    def _keep_cookies(self, method: str, url: str, response: H1Response) -> None:
        self._cookies.extract_cookies(
            httpx.Response(
                response.status_code,
                headers=response.headers,
                request=httpx.Request(method, url),
            )
        )


def _write(pool: H1Pool, conn: H1Connection, head: bytes, body: bytes | None, method: str) -> None:
    try:
        conn.send(head, body, method == "HEAD")
    except BaseException:
        pool.discard(conn)
        raise
