"""The httptools transport's HTTP/1.1 edge cases, against a raw asyncio server on
127.0.0.1 that writes exactly the bytes each test scripts (framing, broken answers,
connections closed at awkward moments), and against the connection fed byte by byte.

The behaviours every transport shares (timeouts, retries, the cap, redirects, TLS,
cancellation) are in test_transports.py; these are the ones only a hand-written
HTTP/1.1 client can get wrong. No test waits on a timer: the fake clock drives the
keep-alive expiry, and a hanging server is released by the test itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fakes import FakeClock, FakeSleep
from hypothesis import given, settings
from hypothesis import strategies as st
from transport_server import LoopbackClient

from resilient_client import (
    ClientConfig,
    ClientError,
    ConfigError,
    Operation,
    RequestTimeoutError,
    ResponseSpec,
    ResponseTooLargeError,
    RetryConfig,
    StreamInterruptedError,
    TimeoutConfig,
    TransportError,
)
from resilient_client._h1 import MAX_HEAD_BYTES, MAX_HEADER_FIELDS, H1Connection
from resilient_client._h1_request import request_head
from resilient_client._httptools import HttptoolsWire


@dataclass
class Seen:
    connection: int
    line: str
    headers: dict[str, str]
    body: bytes


#: answers one request: returns True to keep the connection open for the next one
Respond = Callable[[Seen, asyncio.StreamWriter], Awaitable[bool]]


class RawServer:
    """Reads requests (head and Content-Length body) and lets the test answer each."""

    def __init__(self, respond: Respond) -> None:
        self.respond = respond
        self.seen: list[Seen] = []
        self.connections = 0
        #: set each time the server has closed a connection
        self.closed = asyncio.Event()
        self.url = ""

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                headers = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                seen = Seen(number, lines[0], headers, body)
                self.seen.append(seen)
                keep = await self.respond(seen, writer)
                await writer.drain()
                if not keep:
                    return
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
            self.closed.set()


def answer(body: bytes = b'{"id": 1}', *, head: str = "", status: str = "200 OK") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n{head}\r\n"
    ).encode() + body


Make = Callable[..., LoopbackClient]
Serve = Callable[[Respond], Awaitable[RawServer]]


@pytest.fixture
async def raw() -> AsyncIterator[Serve]:
    listeners: list[asyncio.Server] = []

    async def start(respond: Respond) -> RawServer:
        server = RawServer(respond)
        listener = await asyncio.start_server(server.serve, "127.0.0.1", 0)
        listeners.append(listener)
        server.url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}"
        return server

    yield start
    for listener in listeners:
        listener.close()


@pytest.fixture
async def make(clock: FakeClock, sleeper: FakeSleep) -> AsyncIterator[Make]:
    created: list[LoopbackClient] = []

    def factory(url: str, **config: Any) -> LoopbackClient:
        config.setdefault("cache", None)
        config.setdefault("retry", RetryConfig(max_attempts=1))
        config.setdefault("timeout", 5)
        client = LoopbackClient(
            url, config=ClientConfig(transport="httptools", **config), clock=clock, sleep=sleeper
        )
        created.append(client)
        return client

    yield factory
    for client in created:
        await client.aclose()


def pool_of(client: LoopbackClient) -> Any:
    wire = client._rt.wire
    assert isinstance(wire, HttptoolsWire)
    return wire._pool


# -- framing, fed one byte at a time ---------------------------------------------------


class _Transport(asyncio.Transport):
    """Collects what the connection writes; the test feeds the answer by hand."""

    def __init__(self) -> None:
        super().__init__()
        self.written = b""
        self.closed = False
        self.paused = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += bytes(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def get_write_buffer_size(self) -> int:
        return 0  # every write "went out" at once

    def pause_reading(self) -> None:
        self.paused = True

    def resume_reading(self) -> None:
        self.paused = False


async def _fed_byte_by_byte(data: bytes, head_request: bool = False) -> tuple[H1Connection, bytes]:
    conn = H1Connection(asyncio.get_running_loop())
    conn.connection_made(_Transport())
    conn.send(b"GET / HTTP/1.1\r\nhost: x\r\n\r\n", None, head_request)
    for i in range(len(data)):
        conn.data_received(data[i : i + 1])
    await conn.read_head(None)
    body = b""
    while chunk := await conn.read(None):
        body += chunk
    return conn, body


async def test_a_chunked_body_split_at_every_byte_is_reassembled() -> None:
    data = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Tag: a\r\n\r\n"
        b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
    )
    conn, body = await _fed_byte_by_byte(data)
    assert (conn.status, conn.reason, body) == (200, "OK", b"hello world")
    assert (b"X-Tag", b"a") in conn.headers
    assert conn.complete and conn.reusable


async def test_an_informational_answer_is_skipped() -> None:
    data = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
    conn, body = await _fed_byte_by_byte(data)
    assert (conn.status, conn.reason, body, conn.headers) == (
        201,
        "Created",
        b"ok",
        [(b"Content-Length", b"2")],
    )


async def test_a_head_answer_ends_with_its_head() -> None:
    conn, body = await _fed_byte_by_byte(
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", head_request=True
    )
    assert (conn.status, body, conn.complete, conn.reusable) == (200, b"", True, True)
    # no length: llhttp would read until the close, so the connection is not kept
    conn, body = await _fed_byte_by_byte(b"HTTP/1.1 200 OK\r\n\r\n", head_request=True)
    assert (body, conn.complete, conn.reusable) == (b"", True, False)
    # but a HEAD answer's body, sent anyway, closes the connection (framing lost)
    conn = H1Connection(asyncio.get_running_loop())
    conn.connection_made(_Transport())
    conn.send(b"HEAD / HTTP/1.1\r\n\r\n", None, True)
    conn.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n")
    conn.data_received(b"ok")
    assert conn.closed


async def test_a_body_sent_with_a_head_answer_in_one_segment_drops_the_connection() -> None:
    conn = H1Connection(asyncio.get_running_loop())
    conn.connection_made(_Transport())
    conn.send(b"HEAD / HTTP/1.1\r\n\r\n", None, True)
    conn.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    await conn.read_head(None)
    assert (conn.complete, await conn.read(None), conn.reusable) == (True, b"", False)


@pytest.mark.parametrize("status", [204, 304])
async def test_no_body_statuses_end_with_their_head(status: int) -> None:
    conn, body = await _fed_byte_by_byte(f"HTTP/1.1 {status} X\r\n\r\n".encode())
    assert (conn.status, body, conn.reusable) == (status, b"", True)


async def test_bytes_after_a_complete_answer_make_the_connection_unusable() -> None:
    conn = H1Connection(asyncio.get_running_loop())
    transport = _Transport()
    conn.connection_made(transport)
    conn.send(b"GET / HTTP/1.1\r\n\r\n", None, False)
    conn.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n")
    await conn.read_head(None)
    assert await conn.read(None) == b"ok"
    assert (conn.reusable, transport.closed) == (False, True)


# -- over a socket: broken answers ---------------------------------------------------------


async def test_a_chunked_answer_written_a_byte_at_a_time(raw: Serve, make: Make) -> None:
    payload = json.dumps({"id": 9, "name": "dribbled"}).encode()
    wire = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
    )
    wire += b"".join(b"%x\r\n%s\r\n" % (1, payload[i : i + 1]) for i in range(len(payload)))
    wire += b"0\r\n\r\n"

    async def dribble(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        for i in range(len(wire)):
            writer.write(wire[i : i + 1])
            await writer.drain()
            await asyncio.sleep(0)
        return True

    server = await raw(dribble)
    client = make(server.url)
    assert await client.get("x") == {"id": 9, "name": "dribbled"}
    assert await client.get("x") == {"id": 9, "name": "dribbled"}
    assert server.connections == 1  # the chunked framing left the connection in step


async def test_a_head_over_the_cap_is_refused(raw: Serve, make: Make) -> None:
    async def huge(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(answer(head=f"x-big: {'a' * MAX_HEAD_BYTES}\r\n"))
        return False

    server = await raw(huge)
    with pytest.raises(TransportError, match=f"response head over {MAX_HEAD_BYTES} bytes"):
        await make(server.url).get("x")


async def test_too_many_header_fields_are_refused(raw: Serve, make: Make) -> None:
    async def many(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(answer(head="".join(f"x-{i}: v\r\n" for i in range(MAX_HEADER_FIELDS))))
        return False

    server = await raw(many)
    with pytest.raises(TransportError, match=f"more than {MAX_HEADER_FIELDS} fields"):
        await make(server.url).get("x")


async def test_a_bad_status_line_is_a_transport_error(raw: Serve, make: Make) -> None:
    async def bad(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTX/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
        return False

    server = await raw(bad)
    with pytest.raises(TransportError, match="RemoteProtocolError: malformed response") as caught:
        await make(server.url).get("x")
    assert caught.value.connect_error is False


async def test_a_connection_closed_mid_body(raw: Serve, make: Make) -> None:
    async def cut(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n" + b"x" * 10)
        return False

    server = await raw(cut)
    client = make(server.url)
    with pytest.raises(TransportError, match="before the answer was complete"):
        await client.get_bytes("x")
    with pytest.raises(StreamInterruptedError) as caught:
        async with client.stream("x") as response:
            async for _ in response.iter_bytes(5):
                pass
    assert caught.value.bytes_received == 10  # what arrived was handed over first
    assert pool_of(client).active == 0


async def test_http_1_0_without_a_length_reads_until_close(raw: Serve, make: Make) -> None:
    async def old(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b'HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n{"id": 10}')
        return False

    server = await raw(old)
    client = make(server.url)
    assert await client.get("x") == {"id": 10}
    assert await client.get("x") == {"id": 10}
    assert server.connections == 2
    assert pool_of(client).active == 0


async def test_connection_close_is_honoured_even_if_the_server_keeps_it_open(
    raw: Serve, make: Make
) -> None:
    async def closing(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(answer(head="connection: close\r\n"))
        return True  # the server would take another request: the client must not send one

    server = await raw(closing)
    client = make(server.url)
    await client.get("x")
    await client.get("x")
    assert [seen.connection for seen in server.seen] == [1, 2]


async def test_keep_alive_reuses_one_connection_until_its_expiry(
    raw: Serve, make: Make, clock: FakeClock
) -> None:
    async def ok(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(answer())
        return True

    server = await raw(ok)
    client = make(server.url, pool={"keepalive_expiry": 4})
    await client.get("x")
    clock.advance(3.9)
    await client.get("x")
    clock.advance(4.1)
    await client.get("x")
    assert [seen.connection for seen in server.seen] == [1, 1, 2]
    keepalive_off = make(server.url, pool={"max_keepalive_connections": 0})
    await keepalive_off.get("x")
    await keepalive_off.get("x")
    assert [seen.connection for seen in server.seen[3:]] == [3, 4]
    assert pool_of(keepalive_off).active == 0


# -- a connection the server closes ----------------------------------------------------


async def test_an_idle_connection_closed_by_the_server_is_replaced_before_sending(
    raw: Serve, make: Make
) -> None:
    async def once(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(answer(json.dumps({"n": len(server.seen)}).encode()))
        return False  # close after each answer, without saying so

    server = await raw(once)
    client = make(server.url)
    assert await client.get("x") == {"n": 1}
    await server.closed.wait()
    # a POST (not safe to repeat) goes out once, on a new connection
    assert await client.post("x", {"a": 1}) == {"n": 2}
    assert [(seen.connection, seen.line.split()[0]) for seen in server.seen] == [
        (1, "GET"),
        (2, "POST"),
    ]


async def test_a_write_refused_at_once_is_made_again_on_a_fresh_connection(
    raw: Serve, make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race the stale check cannot close: the server resets an idle connection just
    after the check. The first send then fails outright (not one byte left), so the
    request, a POST included, goes out once, on a new connection."""
    import socket
    import struct

    async def reset_after(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(answer(json.dumps({"n": len(server.seen)}).encode()))
        await writer.drain()
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        return False  # the close is a reset (linger 0)

    server = await raw(reset_after)
    client = make(server.url)
    assert await client.get("x") == {"n": 1}
    await server.closed.wait()
    monkeypatch.setattr(H1Connection, "stale", lambda self: False)  # checked "just before"
    assert await client.post("x", {"a": 1}) == {"n": 2}
    assert [(seen.connection, seen.line.split()[0]) for seen in server.seen] == [
        (1, "GET"),
        (2, "POST"),
    ]
    assert pool_of(client).active == 1


async def test_a_request_the_server_may_have_read_is_never_sent_again(
    raw: Serve, make: Make
) -> None:
    async def then_vanish(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if len(server.seen) == 1:
            writer.write(answer())
            return True
        return False  # read the POST, then close without a word

    server = await raw(then_vanish)
    client = make(server.url)
    await client.get("x")
    with pytest.raises(TransportError, match="closed the connection without answering") as caught:
        await client.post("x", {"a": 1})
    assert caught.value.connect_error is False  # the runtime must not resend it either
    assert [seen.line.split()[0] for seen in server.seen] == ["GET", "POST"]


async def test_cancelling_mid_body_frees_the_slot_and_drops_the_connection(
    raw: Serve, make: Make
) -> None:
    started = asyncio.Event()
    release = asyncio.Event()

    async def stall(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n" + b"x" * 10)
        await writer.drain()
        started.set()
        await release.wait()
        return False

    server = await raw(stall)
    client = make(server.url, pool={"max_connections": 1})
    call = asyncio.ensure_future(client.get_bytes("x"))
    await started.wait()
    assert pool_of(client).active == 1
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert pool_of(client).active == 0
    release.set()
    await server.closed.wait()


# -- what is refused before sending ----------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "match"),
    [
        ({"x-ok": "a\r\nx-injected: yes"}, "'x-ok' has CR, LF or NUL"),
        ({"x-ok": "a\nb"}, "'x-ok' has CR, LF or NUL"),
        ({"x-ok": "a\0b"}, "'x-ok' has CR, LF or NUL"),
        ({"x-bad\r\nname": "v"}, "not a valid field name"),
        ({"x bad": "v"}, "not a valid field name"),
    ],
)
def test_header_injection_is_refused(headers: dict[str, str], match: str) -> None:
    with pytest.raises(TransportError, match=match):
        request_head("GET", "/", "h", headers.items(), None, None)


async def test_nothing_is_sent_for_a_refused_header_or_target(raw: Serve, make: Make) -> None:
    async def ok(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(answer())
        return True

    server = await raw(ok)
    client = make(server.url, headers={"X-Team": "blue\r\nX-Admin: 1"})
    with pytest.raises(TransportError, match="CR, LF or NUL"):
        await client.get("x")
    wire = make(server.url)._rt.wire
    assert isinstance(wire, HttptoolsWire)
    with pytest.raises(TransportError, match="control character"):
        wire._split(f"{server.url}/a\r\nHost: evil")
    assert wire._split(f"{server.url}/a b?q=ü")[1] == "/a%20b?q=%C3%BC"
    assert server.connections == 0


def test_request_head_frames_the_body() -> None:
    head = request_head("POST", "/p?q=1", "h:1", [("x-a", "1")], b"abc", "c=1")
    assert head == (
        b"POST /p?q=1 HTTP/1.1\r\nhost: h:1\r\nx-a: 1\r\naccept-encoding: gzip, deflate\r\n"
        b"cookie: c=1\r\ncontent-length: 3\r\n\r\n"
    )
    # a caller's framing headers are replaced by the body actually sent
    head = request_head("PUT", "/", "h", [("Content-Length", "99")], None, None)
    assert head.endswith(b"content-length: 0\r\n\r\n") and b"99" not in head


# -- decoding, proxies ------------------------------------------------------------------


async def test_deflate_raw_and_wrapped_and_a_corrupt_gzip(raw: Serve, make: Make) -> None:
    import zlib

    wrapped = zlib.compress(b'{"id": 1}')
    bare = zlib.compressobj(wbits=-15)
    raw_deflate = bare.compress(b'{"id": 2}') + bare.flush()
    bodies = [
        (wrapped, "deflate"),
        (raw_deflate, "deflate"),
        (gzip.compress(b'{"id": 3}')[:-6] + b"garbage", "gzip"),
    ]

    async def encoded(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        body, coding = bodies[len(server.seen) - 1]
        writer.write(answer(body, head=f"content-encoding: {coding}\r\n"))
        return True

    server = await raw(encoded)
    client = make(server.url)
    assert await client.get("x") == {"id": 1}
    assert await client.get("x") == {"id": 2}
    with pytest.raises(TransportError, match="DecodingError"):
        await client.get("x")


@pytest.mark.parametrize("transport", ["httptools", "aiohttp"])
def test_a_proxy_in_the_environment_is_refused_at_construction(
    monkeypatch: pytest.MonkeyPatch, transport: Any
) -> None:
    """Neither transport reads the proxy environment as httpx does; aiohttp used to go
    direct without a word (trust_env=False, found on review): both refuse to start."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://user:secret@proxy.internal:3128")
    with pytest.raises(ConfigError, match="cannot send through a proxy") as caught:
        LoopbackClient("https://api.example.com", config=ClientConfig(transport=transport))
    assert "\n" not in str(caught.value)
    assert f'transport="{transport}"' in str(caught.value)
    assert "secret" not in str(caught.value)
    # a host the environment exempts, or another scheme, goes direct as it would on httpx
    monkeypatch.setenv("NO_PROXY", "api.example.com")
    LoopbackClient("https://api.example.com", config=ClientConfig(transport=transport))
    LoopbackClient("http://other.example.com", config=ClientConfig(transport=transport))


HEAD: Operation[Any] = Operation(
    name="head", method="HEAD", path="/{path}", responses={"200": ResponseSpec("empty")}
)


async def test_head_and_204_over_a_socket(raw: Serve, make: Make) -> None:
    async def heads(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.line.startswith("HEAD"):
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n")  # no body follows
        else:
            writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
        return True

    server = await raw(heads)
    client = make(server.url)
    assert await client._request(HEAD, path_params={"path": "x"}) is None
    assert await client.get("x") is None
    assert await client.get("x") is None
    # the HEAD answer ended with its head (no wait for the 5000 bytes): one connection
    assert [seen.connection for seen in server.seen] == [1, 1, 1]


def test_header_values_are_sent_as_utf8() -> None:
    head = request_head("GET", "/", "h", [("x-name", "ü")], None, None)
    assert "x-name: ü".encode() in head


async def test_a_request_body_the_server_does_not_read_times_out_as_a_write(
    make: Make,
) -> None:
    # The server accepts and never reads: the socket buffers fill and the send stalls.
    release = asyncio.Event()

    async def deaf(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await release.wait()
        writer.close()

    listener = await asyncio.start_server(deaf, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    client = make(
        f"http://127.0.0.1:{port}", timeout=TimeoutConfig(connect=1, read=1, write=0.2, pool=1)
    )
    try:
        with pytest.raises(RequestTimeoutError, match="WriteTimeout") as caught:
            await client.post("x", {"blob": "x" * (32 * 1024 * 1024)})
        assert caught.value.connect_error is False
        assert pool_of(client).active == 0
    finally:
        release.set()
        listener.close()


async def test_max_connections_bounds_concurrent_calls(raw: Serve, make: Make) -> None:
    in_flight = 0
    most = 0

    async def slow(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0)  # let the other callers try their luck meanwhile
        in_flight -= 1
        writer.write(answer())
        return True

    server = await raw(slow)
    client = make(server.url, pool={"max_connections": 2})
    await asyncio.gather(*(client.get("x") for _ in range(20)))
    assert len(server.seen) == 20
    assert server.connections == 2 and most <= 2
    assert pool_of(client).active == 2 and pool_of(client).idle_count == 2


def test_the_stale_check_works_above_descriptor_1023() -> None:
    """select() refuses descriptors above 1023; a busy process has them, and a wrong
    answer there would drop every reused connection (or reuse a closed one)."""
    import os
    import socket

    from resilient_client._h1 import _readable

    a, b = socket.socketpair()
    try:
        high = os.dup2(a.fileno(), 1500)
    except OSError:  # a descriptor limit under 1500: the ordinary case still counts
        high = a.fileno()
    try:
        assert _readable(high) is False
        b.send(b"x")
        assert _readable(high) is True
    finally:
        if high != a.fileno():
            os.close(high)
        a.close()
        b.close()


@settings(max_examples=60, deadline=None)
@given(
    body=st.binary(max_size=300),
    chunk_sizes=st.lists(st.integers(1, 40), min_size=1, max_size=8),
    cuts=st.lists(st.integers(1, 50), min_size=1, max_size=30),
)
def test_any_chunking_cut_anywhere_gives_back_the_body(
    body: bytes, chunk_sizes: list[int], cuts: list[int]
) -> None:
    """Whatever chunk sizes the server picks and wherever TCP splits the bytes, the
    body comes back whole and the connection stays in step for the next answer."""
    framed = b""
    rest, turn = body, 0
    while rest:
        size = chunk_sizes[turn % len(chunk_sizes)]
        framed += b"%x\r\n%s\r\n" % (len(rest[:size]), rest[:size])
        rest, turn = rest[size:], turn + 1
    wire = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + framed + b"0\r\n\r\n"

    async def run() -> tuple[bytes, bool]:
        conn = H1Connection(asyncio.get_running_loop())
        conn.connection_made(_Transport())
        conn.send(b"GET / HTTP/1.1\r\n\r\n", None, False)
        at, turn = 0, 0
        while at < len(wire):
            step = cuts[turn % len(cuts)]
            conn.data_received(wire[at : at + step])
            at, turn = at + step, turn + 1
        await conn.read_head(None)
        received = b""
        while chunk := await conn.read(None):
            received += chunk
        return received, conn.reusable

    assert asyncio.run(run()) == (body, True)


async def test_a_body_nobody_reads_pauses_the_socket_until_it_is_read() -> None:
    conn = H1Connection(asyncio.get_running_loop())
    transport = _Transport()
    conn.connection_made(transport)
    conn.send(b"GET / HTTP/1.1\r\n\r\n", None, False)
    size = 1024 * 1024
    conn.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size)
    piece = b"x" * (64 * 1024)
    for _ in range(5):  # 320 KiB: over the high-water mark
        conn.data_received(piece)
    assert transport.paused
    await conn.read_head(None)
    assert len(await conn.read(None)) == 5 * len(piece)
    assert not transport.paused  # drained: reading resumes


def test_a_client_used_from_a_second_event_loop_opens_new_connections() -> None:
    """asyncio.run twice with one client (a script, a test): the first loop's pool and
    its connections cannot serve the second loop, so the second opens its own."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive

        def do_GET(self) -> None:
            body = b'{"id": 1}'
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    # a short poll: shutdown() waits for the loop's next look at its flag
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        client = LoopbackClient(
            f"http://127.0.0.1:{server.server_address[1]}",
            config=ClientConfig(transport="httptools"),
        )
        assert asyncio.run(client.get("x")) == {"id": 1}
        first = pool_of(client)
        assert first.idle_count == 1  # kept alive, in a loop that has ended

        async def again() -> Any:
            try:
                return await client.get("x")
            finally:
                await client.aclose()

        assert asyncio.run(again()) == {"id": 1}
        assert pool_of(client) is not first and first.idle_count == 0
        # and closed from yet another loop than the one its connections belong to
        reused = LoopbackClient(
            f"http://127.0.0.1:{server.server_address[1]}",
            config=ClientConfig(transport="httptools"),
        )
        assert asyncio.run(reused.get("x")) == {"id": 1}
        asyncio.run(reused.aclose())
        assert pool_of(reused).idle_count == 0 and reused.closed
    finally:
        server.shutdown()
        server.server_close()


async def test_an_answer_before_the_upload_is_sent_ends_the_call_and_the_connection(
    make: Make,
) -> None:
    # A server that refuses a large upload from its head alone, and never reads the body.
    done = asyncio.Event()
    connections = 0

    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answer(b'{"detail": "too large"}', status="413 Payload Too Large"))
        await writer.drain()
        await done.wait()
        writer.close()

    listener = await asyncio.start_server(refuse, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    # a write timeout longer than the test: the answer, not the timer, ends the call
    client = make(
        f"http://127.0.0.1:{port}", timeout=TimeoutConfig(connect=5, read=5, write=60, pool=5)
    )
    try:
        with pytest.raises(ClientError) as caught:
            await client.post("x", {"blob": "x" * (32 * 1024 * 1024)})
        assert getattr(caught.value, "status", None) == 413
        # the rest of the body could be taken for a next request: never reused
        pool = pool_of(client)
        assert (pool.active, pool.idle_count) == (0, 0)
    finally:
        done.set()
        listener.close()


async def test_tls_sends_the_host_name_and_checks_the_certificate_against_it(
    make: Make, tmp_path: Any
) -> None:
    import ssl

    import trustme

    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    names: list[str | None] = []

    async def run(cert_for: str) -> Any:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(cert_for).configure_cert(context)

        def sni(sock: ssl.SSLObject, name: str | None, ctx: ssl.SSLContext) -> None:
            names.append(name)

        context.sni_callback = sni

        async def ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
                await reader.readuntil(b"\r\n\r\n")
                writer.write(answer())
                await writer.drain()
            writer.close()

        listener = await asyncio.start_server(ok, "127.0.0.1", 0, ssl=context)
        port = listener.sockets[0].getsockname()[1]
        try:
            return await make(f"https://localhost:{port}", verify=str(bundle)).get("x")
        finally:
            listener.close()

    assert await run("localhost") == {"id": 1}
    assert names == ["localhost"]  # SNI: the URL's host name
    with pytest.raises(TransportError, match="ConnectError") as caught:
        await run("elsewhere.test")  # a valid certificate for another name
    assert caught.value.connect_error is True


async def test_the_sweep_closes_idle_connections_past_their_expiry_or_closed(
    clock: FakeClock,
) -> None:
    from resilient_client import PoolLimits
    from resilient_client._h1_pool import H1Pool

    pool = H1Pool(PoolLimits(keepalive_expiry=4), False, clock)
    a, b = ("http", "a", 80), ("http", "b", 80)

    def idle(origin: tuple[str, str, int]) -> _Transport:
        conn = H1Connection(asyncio.get_running_loop())
        transport = _Transport()
        conn.connection_made(transport)
        conn.reusable = True
        conn.origin = origin
        pool.active += 1  # as acquire counts it
        pool.release(conn, origin)
        return transport

    old_a, old_b = idle(a), idle(b)
    clock.advance(3)
    fresh_a, closed_b = idle(a), idle(b)
    closed_b_conn = pool._idle[b][-1]
    closed_b_conn.closed = True  # the server closed it while idle
    clock.advance(2)  # old ones 5 s idle, fresh ones 2 s
    pool._sweep()
    assert (old_a.closed, old_b.closed, fresh_a.closed, closed_b.closed) == (
        True,
        True,
        False,
        True,
    )
    assert (pool.idle_count, pool.active) == (1, 1)


async def test_refusals_and_failures_name_no_secret(raw: Serve, make: Make) -> None:
    import traceback

    from resilient_client import ApiKeyAuth

    async def cut(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nshort")
        return False

    server = await raw(cut)
    shown = ""
    for client, call in (
        # a credential with a line break in it: refused, and not repeated in the error
        (make(server.url, headers={"Authorization": "Bearer sk-SECRET\r\nX-Admin: 1"}), "x"),
        # an API key in the query, on a call whose answer breaks off
        (make(server.url, auth=ApiKeyAuth("sk-SECRET", name="key", location="query")), "x"),
        # and with a NUL in the path (percent-encoded on the way: the same cut answer)
        (make(server.url, auth=ApiKeyAuth("sk-SECRET", name="key", location="query")), "a\0b"),
    ):
        with pytest.raises(TransportError) as caught:
            await client.get_bytes(call)
        error = caught.value
        shown += "".join(traceback.format_exception(error)) + repr(error) + error.message
    assert "SECRET" not in shown
    assert "CR, LF or NUL" in shown and shown.count("before the answer was complete") >= 2
    assert server.seen[-1].line.split()[1].startswith("/a%00b?key=")


async def test_a_complete_answer_left_unread_past_the_high_water_mark_resumes_reading() -> None:
    """Found on review: a body that arrived whole but unread (a stream closed early, an
    error body read in part) paused the socket, and the connection went back to the
    pool paused; the next request on it never saw its answer (a read timeout)."""
    conn = H1Connection(asyncio.get_running_loop())
    transport = _Transport()
    conn.connection_made(transport)
    conn.send(b"GET / HTTP/1.1\r\n\r\n", None, False)
    size = 320 * 1024
    conn.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size)
    for _ in range(5):
        conn.data_received(b"x" * (64 * 1024))
    await conn.read_head(None)
    assert conn.complete and conn.reusable and transport.paused
    conn.send(b"GET / HTTP/1.1\r\n\r\n", None, False)  # reused, as the pool hands it out
    assert not transport.paused
    conn.data_received(answer(b"next"))
    await conn.read_head(None)
    assert await conn.read(None) == b"next"


async def test_a_stream_closed_unread_leaves_its_connection_usable(raw: Serve, make: Make) -> None:
    """The same over a socket: a 300 KiB body arrives whole while nobody reads it, the
    stream is closed, and the next call on the kept connection gets its answer."""
    big = b"y" * (300 * 1024)

    async def answers(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(answer(big if len(server.seen) == 1 else b'{"id": 2}'))
        return True

    server = await raw(answers)
    client = make(server.url, timeout=TimeoutConfig(read=2.0))
    async with client.stream("x") as response:
        # wait until the whole body is in (parsed, the socket paused), reading none of it
        conn = response._response._conn
        for _ in range(400):
            if conn.complete:
                break
            await asyncio.sleep(0.005)
        assert conn.complete and conn._read_paused
    assert pool_of(client).idle_count == 1
    assert await client.get("x") == {"id": 2}
    assert [seen.connection for seen in server.seen] == [1, 1]


async def test_a_gzip_bomb_is_never_inflated_past_the_cap_in_memory(raw: Serve, make: Make) -> None:
    """Found on review: each read's compressed bytes were inflated whole into a list
    before the cap was checked, so 128 KiB of gzip held 128 MiB at once. Decoded
    pieces now come out one at a time and the cap stops them."""
    import tracemalloc
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(1024 * 1024)
    bomb = b"".join(packer.compress(zeros) for _ in range(128)) + packer.flush()
    del zeros

    async def send_bomb(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(answer(bomb, head="content-encoding: gzip\r\n"))
        return True

    server = await raw(send_bomb)
    client = make(server.url, max_response_bytes=1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError):
            await client.get_bytes("x")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024
