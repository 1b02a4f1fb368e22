"""One HTTP/1.1 connection of the ``transport="httptools"`` send step: an asyncio
Protocol that writes a request and parses the answer with httptools (llhttp, in C).

Why a Protocol and not streams: the bytes go from ``data_received`` straight into the C
parser, whose callbacks collect the head and the body; a call at rest costs one future
per wait and no Python loop over lines. Everything here raises httpx's exception types
(``ReadTimeout``, ``RemoteProtocolError``, ...), so the runtime maps them exactly as it
maps the httpx transport's (``_transport.typed_transport_error``) and the stream wrapper
needs no second error mapping.

Limits on what a server can make this side hold: the response head (status line and
fields) is capped at ``MAX_HEAD_BYTES`` and ``MAX_HEADER_FIELDS``; a body waiting to be
read pauses the socket above ``_HIGH_WATER`` bytes (a slow stream reader never buffers a
whole download); decoded bytes come out in bounded pieces (``_h1_decode``), so a
gzip bomb is stopped at the cap without ever being inflated whole.

Framing is llhttp's (Content-Length, chunked, 204/304 and 1xx without a body), except
two cases it cannot see from this side: the answer to HEAD (its head is all there is;
each request gets a fresh parser, and a byte after that head drops the connection) and
a body read until the connection closes (no length, no chunking), which ends at a clean
close.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import socket
from collections import deque

import httptools
import httpx

MAX_HEAD_BYTES = 64 * 1024
MAX_HEADER_FIELDS = 256
#: body bytes buffered before the socket stops being read (a slow stream consumer)
_HIGH_WATER = 256 * 1024
_NO_BODY_STATUSES = frozenset({204, 304})
#: request bodies up to this size are copied behind the head and sent in one write
_JOIN_LIMIT = 16 * 1024


class H1Connection(asyncio.Protocol):
    """A keep-alive connection; one request at a time (no pipelining)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.transport: asyncio.Transport | None = None
        #: the connection can no longer be used: lost, or closed by either side
        self.closed = False
        #: when the connection last went back to the pool (the pool's clock)
        self.idle_since = 0.0
        #: (scheme, host, port) this connection was opened to (set by the pool)
        self.origin: tuple[str, str, int] = ("", "", 0)
        self._parser: httptools.HttpResponseParser | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._write_paused = False
        self._read_paused = False
        self._reset(False)

    def _reset(self, head_request: bool) -> None:
        self._head_request = head_request
        self.status = 0
        self._reason = b""
        self.headers: list[tuple[bytes, bytes]] = []
        #: bytes received while the head is incomplete, and the head's own size: a
        #: head too large is refused whether it arrives whole or a byte at a time
        self._head_bytes = 0
        self._head_size = 0
        self.head_done = False
        self.complete = False
        #: True once the answer ended with the connection fit for another request
        self.reusable = False
        #: any byte of the answer arrived (a reused connection that died without one
        #: never answered the request)
        self.answered = False
        self._until_close = False
        self._informational = False
        #: what the runtime asks of every answer, found in one pass over the head
        #: (httpx.Headers lookups cost more than the parse)
        self.content_length: int | None = None
        self.content_encoding: str | None = None
        self.sets_cookie = False
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        self._error: httpx.HTTPError | None = None

    # -- asyncio.Protocol ---------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        parser = self._parser
        if parser is None or self.complete:
            # Bytes nobody asked for (on an idle connection, or after the answer): the
            # connection's framing can no longer be trusted.
            self.close()
            return
        self.answered = True
        if not self.head_done:
            self._head_bytes += len(data)
        try:
            parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(httpx.RemoteProtocolError("the server switched protocols (upgrade)"))
        except httptools.HttpParserError as exc:
            if self.complete and self._error is None:
                # the answer is whole; only the connection is unusable (see on_message_begin)
                self.reusable = False
                self.close()
                return
            self._fail(self._error or httpx.RemoteProtocolError(f"malformed response: {exc}"))
        if not self.head_done and self._head_bytes > MAX_HEAD_BYTES and self._error is None:
            self._fail(httpx.RemoteProtocolError(f"response head over {MAX_HEAD_BYTES} bytes"))

    def eof_received(self) -> bool | None:
        return None  # close the transport; connection_lost finishes the answer

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._parser is not None and not self.complete and self._error is None:
            if self._until_close and self.head_done and exc is None:
                self.complete = True  # a body delimited by the close has ended
            elif not self.answered:
                self._error = httpx.RemoteProtocolError(
                    "the server closed the connection without answering"
                )
            else:
                self._error = httpx.RemoteProtocolError(
                    "the server closed the connection before the answer was complete"
                )
        self._wake()

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        self._wake()

    # -- httptools callbacks ------------------------------------------------------------

    def on_message_begin(self) -> None:
        if self.complete:
            # Bytes after the end of the answer: not a second answer anyone asked for.
            raise _ExtraBytes

    def on_status(self, status: bytes) -> None:
        self._reason += status
        self._head_size += len(status)

    def on_header(self, name: bytes, value: bytes) -> None:
        headers = self.headers
        headers.append((name, value))
        self._head_size += len(name) + len(value) + 4
        if self._head_size > MAX_HEAD_BYTES:
            self._error = httpx.RemoteProtocolError(f"response head over {MAX_HEAD_BYTES} bytes")
            raise self._error
        if len(headers) > MAX_HEADER_FIELDS:
            self._error = httpx.RemoteProtocolError(
                f"response head has more than {MAX_HEADER_FIELDS} fields"
            )
            raise self._error

    def on_headers_complete(self) -> None:
        assert self._parser is not None
        status = self._parser.get_status_code()
        if status < 200:  # 100 Continue, 103 Early Hints: the answer follows
            self._informational = True
            return
        self.status = status
        self.head_done = True
        if self._head_request:
            # llhttp cannot be told the request was HEAD: the answer ends with its head.
            # The parser's wait for the announced body does not matter: each request
            # gets a fresh parser, and a byte after the head closes the connection.
            self._scan_head()
            self.complete = True
            self.reusable = self._parser.should_keep_alive()
        elif status not in _NO_BODY_STATUSES and not self._scan_head():
            self._until_close = True
        self._wake()

    def _scan_head(self) -> bool:
        """Note the fields the runtime reads; True if the answer says where its body
        ends (a length or chunking), rather than at the close of the connection."""
        framed = False
        for name, value in self.headers:
            lowered = name.lower()
            if lowered == b"content-length":
                framed = True
                if value.isdigit():
                    self.content_length = int(value)
            elif lowered == b"transfer-encoding":
                framed = framed or b"chunked" in value.lower()
            elif lowered == b"content-encoding":
                self.content_encoding = value.decode("latin-1")
            elif lowered == b"set-cookie":
                self.sets_cookie = True
        return framed

    def on_body(self, body: bytes) -> None:
        if self.complete:
            # a body after a HEAD answer: never read, and the framing is lost with it
            self.reusable = False
            return
        self._chunks.append(body)
        self._buffered += len(body)
        if self._buffered > _HIGH_WATER and not self._read_paused and self.transport:
            self._read_paused = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self._informational:
            self._informational = False
            self.headers = []
            self._reason = b""
            self._head_bytes = self._head_size = 0
            return
        if self.complete:
            return
        assert self._parser is not None
        self.complete = True
        self.reusable = self._parser.should_keep_alive()
        self._wake()

    # -- the client's side ------------------------------------------------------------------

    @property
    def reason(self) -> str:
        return self._reason.decode("latin-1")

    def stale(self) -> bool:
        """An idle connection the server has closed (or written to) since its last
        answer: anything readable on an idle socket means it must not be used. Checked
        before a request is written, so a request never goes out on it."""
        if self.closed or self.transport is None or self.transport.is_closing():
            return True
        sock = self.transport.get_extra_info("socket")
        if sock is None:
            return False
        try:
            return _readable(sock.fileno())
        except (OSError, ValueError):
            return True

    def write_failed(self) -> bool:
        """Right after ``send``: the transport's first attempt to send raised (a reset
        or a broken pipe), so nothing of the request left this side. Nothing else
        closes the transport between taking the connection and writing on it."""
        transport = self.transport
        return transport is None or transport.is_closing()

    def unsent(self) -> bool:
        """Part of the request is still waiting to go out: on this connection the next
        request would follow bytes the server may take for part of this one."""
        transport = self.transport
        return transport is not None and transport.get_write_buffer_size() > 0

    def send(self, head: bytes, body: bytes | None, head_request: bool) -> None:
        """Write a request and expect its answer: a small body in one write with the
        head (one segment), a large one after it without copying it."""
        assert self.transport is not None
        if self._read_paused:
            # the last answer arrived whole past the high-water mark and was left unread
            # (a stream closed early): its buffer is dropped below, so read again
            self._read_paused = False
            self.transport.resume_reading()
        self._reset(head_request)
        self._parser = httptools.HttpResponseParser(self)
        if not body:
            self.transport.write(head)
        elif len(body) <= _JOIN_LIMIT:
            self.transport.write(head + body)
        else:
            self.transport.write(head)
            self.transport.write(body)

    async def drain(self, timeout: float | None) -> None:
        """Wait until the socket took the request, within the write timeout; or until
        the answer's head came first (a server refusing an upload, 413, need not read
        it: the answer is what matters, and the connection is not reused, see
        ``unsent``)."""
        # A connection lost meanwhile is reported by read_head, with what was answered.
        while self._write_paused and not self.closed and not self.head_done:
            await self._wait(timeout, httpx.WriteTimeout, "timed out sending the request")

    async def read_head(self, timeout: float | None) -> None:
        """Wait for the answer's status line and fields (``status``, ``headers``)."""
        while not self.head_done:
            if self._error is not None:
                raise self._error
            await self._wait(timeout, httpx.ReadTimeout, "timed out waiting for the answer")

    async def read(self, timeout: float | None) -> bytes:
        """The body's next data as received (b"" at its end)."""
        while True:
            chunks = self._chunks
            if chunks:
                data = chunks.popleft()
                if len(chunks) > 1:
                    data += b"".join(chunks)
                    chunks.clear()
                self._buffered = 0
                if self._read_paused and self.transport is not None:
                    self._read_paused = False
                    self.transport.resume_reading()
                return data
            if self._error is not None:
                raise self._error
            if self.complete:
                return b""
            await self._wait(timeout, httpx.ReadTimeout, "timed out waiting for the body")

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def abort(self) -> None:
        """Drop the connection at once (an answer left unread, a cancelled call)."""
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    def abandon(self) -> None:
        """Drop a connection whose event loop has ended (a client used again under a
        new ``asyncio.run``): that loop can no longer schedule the close, so the socket
        is shut down here and its descriptor left to the transport's finaliser."""
        self.closed = True
        transport = self.transport
        if transport is None:
            return
        try:
            transport.abort()
        except RuntimeError:  # "Event loop is closed"
            sock = transport.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    # -- internals ----------------------------------------------------------------------

    def _fail(self, error: httpx.HTTPError) -> None:
        self._error = error
        self.abort()
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def _wait(
        self, timeout: float | None, expired: type[httpx.TimeoutException], message: str
    ) -> None:
        waiter = self._waiter = self._loop.create_future()
        timer = None
        if timeout is not None:
            timer = self._loop.call_later(timeout, _expire, waiter, expired, message)
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()


def _readable(fd: int) -> bool:
    """Whether ``fd`` has data or an EOF waiting, without blocking. poll, not select:
    select refuses descriptors above 1023, which a busy process soon has."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))
    readable, _, _ = select.select([fd], [], [], 0)  # Windows: no poll
    return bool(readable)


def _expire(
    waiter: asyncio.Future[None], expired: type[httpx.TimeoutException], message: str
) -> None:
    if not waiter.done():
        waiter.set_exception(expired(message))


class _ExtraBytes(Exception):
    """Stops the parser at bytes that follow a complete answer."""
