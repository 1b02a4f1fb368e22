"""Every runtime behaviour on every transport (``ClientConfig(transport=...)``), over
real sockets on 127.0.0.1: timeouts, deadline, retries, breaker, streaming, the size cap
(a gzip bomb included), server-sent events, redirects that drop credentials, TLS verify
and mTLS, cancellation releasing the bulkhead slot and the breaker permit.

Time: the client runs on the fake clock and sleep (backoff and breaker recovery never
wait); only the socket timeouts themselves are real, set to a fraction of a second, and
no test asserts how long anything took.
"""

from __future__ import annotations

import asyncio
import gzip
import ssl
import subprocess
import sys
import traceback
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import trustme
from fakes import FakeClock, FakeSleep
from transport_server import BIG, BOMB, BOMB_DECODED, LoopbackClient, LoopbackServer, serve

from resilient_client import (
    ApiKeyAuth,
    BulkheadConfig,
    CircuitBreakerConfig,
    CircuitOpenError,
    CircuitState,
    ClientConfig,
    ClientEvents,
    ConfigError,
    RequestTimeoutError,
    ResponseTooLargeError,
    RetryConfig,
    ServerError,
    StreamInterruptedError,
    StreamTimeoutError,
    TimeoutConfig,
    TransportError,
)
from resilient_client._client import BaseServiceClient

ROOT = Path(__file__).resolve().parents[2]

Factory = Callable[..., LoopbackClient]


@pytest.fixture(params=["httpx", "aiohttp", "httptools"])
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    async with serve() as running:
        yield running


@pytest.fixture
async def make(
    transport: str, server: LoopbackServer, clock: FakeClock, sleeper: FakeSleep
) -> AsyncIterator[Factory]:
    """A LoopbackClient on the transport under test, fake clock and sleep, no jitter."""
    created: list[LoopbackClient] = []

    def factory(base_url: str | None = None, **config: Any) -> LoopbackClient:
        config.setdefault("cache", None)
        client = LoopbackClient(
            base_url or server.url,
            config=ClientConfig(transport=transport, **config),
            clock=clock,
            sleep=sleeper,
        )
        client._rt.rand = lambda: 1.0
        created.append(client)
        return client

    yield factory
    for client in created:
        await client.aclose()


def test_the_default_transport_is_httpx() -> None:
    assert ClientConfig().transport == "httpx"
    assert BaseServiceClient("http://127.0.0.1:9")._rt.wire is None


# -- the request and the answer ------------------------------------------------------


async def test_json_body_query_and_form_reach_the_server_alike(
    make: Factory, server: LoopbackServer
) -> None:
    client = make(headers={"X-Team": "blue"})
    assert await client.get("item") == {"id": 1, "name": "widget"}
    echoed = await client.post("echo", {"name": "ü"})
    assert echoed["method"] == "POST"
    assert echoed["content_type"] == "application/json"
    assert echoed["body"].encode("latin-1").decode() == '{"name":"ü"}'
    assert (await client.search({"q": "a b&c", "tag": ["x", "y"]}))["query"] == (
        "q=a+b%26c&tag=x&tag=y"
    )
    form = await client.form({"who": "me & you"})
    assert form["content_type"] == "application/x-www-form-urlencoded"
    assert form["body"] == "who=me+%26+you"
    headers = server.seen[0].headers
    assert headers["x-team"] == "blue"
    assert headers["user-agent"].startswith("Loopback (resilient_client/")
    assert headers["x-correlation-id"]
    assert "gzip" in headers["accept-encoding"]


async def test_gzip_bodies_are_decoded(make: Factory) -> None:
    assert await make().get("gzip") == {"id": 3, "name": "squeezed"}


async def test_cookies_set_by_the_server_are_sent_back(
    make: Factory, server: LoopbackServer
) -> None:
    client = make()
    await client.get("set-cookie")
    await client.get("item")
    assert "cookie" not in server.seen[0].headers
    assert server.seen[1].headers["cookie"] == "affinity=n2"


async def test_error_status_becomes_the_typed_error(make: Factory) -> None:
    client = make(retry=RetryConfig(max_attempts=1))
    with pytest.raises(ServerError) as caught:
        await client.get("status-500")
    assert caught.value.status == 500


# -- timeouts and the deadline --------------------------------------------------------


async def test_read_timeout_is_a_request_timeout_after_sending(make: Factory) -> None:
    client = make(timeout=0.2, retry=RetryConfig(max_attempts=1))
    with pytest.raises(RequestTimeoutError) as caught:
        await client.get("hang")
    assert caught.value.connect_error is False  # the request went out: not safe to resend


async def test_waiting_for_a_connection_times_out_as_a_connect_timeout(
    make: Factory, server: LoopbackServer
) -> None:
    # One connection, held by a hanging call: the second call never gets one.
    client = make(
        timeout=TimeoutConfig(connect=0.2, read=5, write=5, pool=0.2),
        pool={"max_connections": 1},
        retry=RetryConfig(max_attempts=1),
    )
    holder = asyncio.ensure_future(client.get("hang"))
    await server.hanging.wait()
    with pytest.raises(RequestTimeoutError) as caught:
        await client.get("item")
    assert caught.value.connect_error is True  # nothing was sent: safe to retry any call
    holder.cancel()
    with pytest.raises(asyncio.CancelledError):
        await holder


async def test_connection_refused_is_a_connect_error(make: Factory) -> None:
    with _socket_without_listener() as url:
        client = make(url, retry=RetryConfig(max_attempts=1))
        with pytest.raises(TransportError) as caught:
            await client.get("item")
    assert caught.value.connect_error is True


async def test_per_attempt_timeout_then_a_retry_succeeds(
    make: Factory, server: LoopbackServer, sleeper: FakeSleep
) -> None:
    client = make(timeout=0.2, retry=RetryConfig(max_attempts=3, backoff_base=0.5))
    assert await client.get("hang-once") == {"id": 2, "name": "second attempt"}
    assert server.counts["hang-once"] == 2
    assert sleeper.delays == [0.5]


async def test_the_total_deadline_ends_a_hanging_call(make: Factory) -> None:
    client = make(timeout=TimeoutConfig(connect=1, read=2, write=2, pool=1), deadline=2.0)
    with pytest.raises(RequestTimeoutError, match="deadline"):
        await client.get("hang", deadline=0.2)


# -- retries and the breaker ---------------------------------------------------------


async def test_5xx_is_retried_until_it_succeeds(
    make: Factory, server: LoopbackServer, sleeper: FakeSleep
) -> None:
    client = make(retry=RetryConfig(max_attempts=3, backoff_base=0.1, backoff_cap=1))
    assert await client.get("flaky") == {"id": 7, "name": "third time"}
    assert server.counts["flaky"] == 3
    assert sleeper.delays == [0.1, 0.2]


async def test_breaker_opens_refuses_without_sending_and_recovers(
    make: Factory, server: LoopbackServer, clock: FakeClock
) -> None:
    client = make(
        retry=RetryConfig(max_attempts=1),
        circuit_breaker=CircuitBreakerConfig(
            failure_threshold=2, recovery_timeout=30, success_threshold=1
        ),
    )
    for _ in range(2):
        with pytest.raises(ServerError):
            await client.get("status-503")
    assert client.circuit_breaker.state is CircuitState.OPEN
    sent = len(server.seen)
    with pytest.raises(CircuitOpenError):
        await client.get("item")
    assert len(server.seen) == sent
    clock.advance(31)
    assert await client.get("item") == {"id": 1, "name": "widget"}
    assert client.circuit_breaker.state is CircuitState.CLOSED


async def test_transport_errors_count_against_the_breaker(make: Factory) -> None:
    with _socket_without_listener() as url:
        client = make(
            url,
            retry=RetryConfig(max_attempts=1),
            circuit_breaker=CircuitBreakerConfig(failure_threshold=2),
        )
        for _ in range(2):
            with pytest.raises(TransportError):
                await client.get("item")
    assert client.circuit_breaker.state is CircuitState.OPEN


# -- the size cap ---------------------------------------------------------------------


async def test_declared_length_over_the_cap_is_refused(make: Factory) -> None:
    with pytest.raises(ResponseTooLargeError, match="Content-Length"):
        await make(max_response_bytes=len(BIG) - 1).get_bytes("big")
    assert await make(max_response_bytes=len(BIG)).get_bytes("big") == BIG


async def test_chunked_body_over_the_cap_is_refused(make: Factory) -> None:
    with pytest.raises(ResponseTooLargeError, match="received"):
        await make(max_response_bytes=100_000).get_bytes("big-chunked")
    assert await make().get_bytes("big-chunked") == BIG


async def test_gzip_bomb_is_capped_on_its_decoded_size(make: Factory) -> None:
    assert len(BOMB) < 64 * 1024 < BOMB_DECODED  # small on the wire, large inflated
    with pytest.raises(ResponseTooLargeError):
        await make(max_response_bytes=1024 * 1024).get_bytes("bomb")
    assert await make().get_bytes("bomb") == gzip.decompress(BOMB)


async def test_a_body_cut_short_is_a_transport_error(make: Factory) -> None:
    with pytest.raises(TransportError):
        await make(retry=RetryConfig(max_attempts=1)).get_bytes("truncate")


async def test_a_malformed_answer_names_no_secret_query_value(make: Factory) -> None:
    # aiohttp's parse error (ClientResponseError) names the request's full URL; the
    # runtime's TransportError must not carry an API key sent in the query with it.
    async def malformed(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nno colon in this header\r\n\r\n")
        await writer.drain()
        writer.close()

    listener = await asyncio.start_server(malformed, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        client = make(
            f"http://127.0.0.1:{port}",
            retry=RetryConfig(max_attempts=1),
            auth=ApiKeyAuth("sk-live-SECRET", name="api_key", location="query"),
        )
        with pytest.raises(TransportError) as caught:
            await client.get("item")
    finally:
        listener.close()
    error = caught.value
    # what a log line or a printed traceback shows: the error and every cause chained
    shown = "".join(traceback.format_exception(error)) + repr(error) + error.message
    assert "SECRET" not in shown


def test_a_connect_timeout_text_keeps_the_url_but_not_its_query() -> None:
    from aiohttp import ConnectionTimeoutError

    from resilient_client._aiohttp import describe

    exc = ConnectionTimeoutError("Connection timeout to host http://127.0.0.1:1/item?key=S3CR")
    text = describe(exc)
    assert "S3CR" not in text and "http://127.0.0.1:1/item" in text


# -- streaming ------------------------------------------------------------------------


async def test_stream_yields_the_body_in_chunks(make: Factory, server: LoopbackServer) -> None:
    async with make().stream("big-chunked") as response:
        chunks = [chunk async for chunk in response.iter_bytes(10_000)]
    assert b"".join(chunks) == BIG
    assert all(len(chunk) == 10_000 for chunk in chunks[:-1])
    assert response.complete


async def test_stream_of_a_gzip_bomb_stops_at_the_cap(make: Factory) -> None:
    received = 0
    with pytest.raises(ResponseTooLargeError):
        async with make(max_response_bytes=1024 * 1024).stream("bomb") as response:
            async for chunk in response.iter_bytes():
                received += len(chunk)
    assert received <= 1024 * 1024


async def test_stream_declared_over_the_cap_fails_before_reading(make: Factory) -> None:
    with pytest.raises(ResponseTooLargeError, match="Content-Length"):
        async with make(max_response_bytes=1000).stream("big"):
            pass


async def test_stream_idle_timeout(make: Factory) -> None:
    client = make(stream_idle_timeout=0.2, timeout=5)
    with pytest.raises(StreamTimeoutError) as caught:
        async with client.stream("stall") as response:
            async for _ in response.iter_bytes(100):
                pass
    assert caught.value.timeout_kind == "idle"
    assert caught.value.bytes_received == 1000


async def test_stream_cut_short_is_interrupted(make: Factory) -> None:
    with pytest.raises(StreamInterruptedError):
        async with make().stream("truncate") as response:
            async for _ in response.iter_bytes(100):
                pass


async def test_server_sent_events_arrive_decoded(make: Factory) -> None:
    received: list[Any] = []
    async with make().ticks() as events:
        async for event in events:
            received.append((event.id, event.data))
            if len(received) == 3:
                break
    assert received == [("0", {"n": 0}), ("1", {"n": 1}), ("2", {"n": 2})]


async def test_stream_error_status_is_the_typed_error(make: Factory) -> None:
    with pytest.raises(ServerError):
        async with make(retry=RetryConfig(max_attempts=1)).stream("status-500"):
            pass


# -- redirects ------------------------------------------------------------------------


async def test_redirect_to_another_origin_drops_credentials(
    make: Factory, server: LoopbackServer
) -> None:
    async with serve() as other:
        client = make(auth="secret-token", headers={"X-Trace": "kept"})
        target = f"{other.url}/item"
        assert await client.redirect(target) == {"id": 1, "name": "widget"}
    first, second = server.seen[0].headers, other.seen[0].headers
    assert first["authorization"] == "Bearer secret-token"
    assert "authorization" not in second
    assert second["x-trace"] == "kept"


async def test_redirect_within_the_origin_keeps_credentials(
    make: Factory, server: LoopbackServer
) -> None:
    client = make(auth="secret-token")
    await client.redirect(f"{server.url}/item")
    assert [seen.path for seen in server.seen] == ["/redirect", "/item"]
    assert server.seen[1].headers["authorization"] == "Bearer secret-token"


async def test_303_after_post_becomes_a_get_without_the_body(
    make: Factory, server: LoopbackServer
) -> None:
    client = make()
    result = await client.post_redirect("/echo", 303, {"big": "x"})
    assert result["method"] == "GET" and result["body"] == ""
    assert "content-type" not in server.seen[1].headers


async def test_307_after_post_repeats_the_post_with_its_body(
    make: Factory, server: LoopbackServer
) -> None:
    result = await make().post_redirect("/echo", 307, {"big": "x"})
    assert result["method"] == "POST" and result["body"] == '{"big":"x"}'
    assert server.seen[1].headers["content-type"] == "application/json"


async def test_too_many_redirects(make: Factory, server: LoopbackServer) -> None:
    client = make(max_redirects=2, retry=RetryConfig(max_attempts=1))
    with pytest.raises(TransportError, match="more than 2 redirects"):
        await client.get("loop")
    assert [seen.path for seen in server.seen] == ["/loop"] * 3


# -- TLS ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def _server_context(ca: trustme.CA, *, require_client_cert: bool) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    if require_client_cert:
        context.verify_mode = ssl.CERT_REQUIRED
        ca.configure_trust(context)
    return context


async def test_tls_verifies_against_the_given_ca(
    make: Factory, ca: trustme.CA, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    async with serve(_server_context(ca, require_client_cert=False)) as tls:
        assert await make(tls.url, verify=str(bundle)).get("item") == {"id": 1, "name": "widget"}
        with pytest.raises(TransportError) as caught:  # not in the system's CAs
            await make(tls.url, retry=RetryConfig(max_attempts=1)).get("item")
        assert caught.value.connect_error is True
        assert await make(tls.url, verify=False).get("item") == {"id": 1, "name": "widget"}


async def test_mtls_sends_the_client_certificate(
    make: Factory, ca: trustme.CA, tmp_path: Path
) -> None:
    bundle, pem = tmp_path / "ca.pem", tmp_path / "client.pem"
    ca.cert_pem.write_to_path(str(bundle))
    identity = ca.issue_cert("client@example.test")
    identity.private_key_and_cert_chain_pem.write_to_path(str(pem))
    async with serve(_server_context(ca, require_client_cert=True)) as tls:
        client = make(tls.url, verify=str(bundle), client_cert=str(pem))
        assert await client.get("item") == {"id": 1, "name": "widget"}
        anonymous = make(tls.url, verify=str(bundle), retry=RetryConfig(max_attempts=1))
        with pytest.raises(TransportError):
            await anonymous.get("item")


# -- cancellation ---------------------------------------------------------------------


async def test_cancellation_releases_the_slot_and_the_permit(
    make: Factory, server: LoopbackServer, clock: FakeClock
) -> None:
    client = make(
        bulkhead=BulkheadConfig(max_concurrency=1, acquire_timeout=0.5),
        retry=RetryConfig(max_attempts=1),
        circuit_breaker=CircuitBreakerConfig(
            failure_threshold=1, recovery_timeout=10, half_open_max_calls=1, success_threshold=1
        ),
    )
    with pytest.raises(ServerError):
        await client.get("status-500")
    clock.advance(11)  # half-open: exactly one probe may go
    server.hanging.clear()
    probe = asyncio.ensure_future(client.get("hang"))
    await server.hanging.wait()
    probe.cancel()
    with pytest.raises(asyncio.CancelledError):
        await probe
    # Both the one bulkhead slot and the one half-open permit are free again.
    assert await client.get("item") == {"id": 1, "name": "widget"}
    assert client.circuit_breaker.state is CircuitState.CLOSED


async def test_cancelled_stream_releases_the_slot_and_the_permit(
    make: Factory, server: LoopbackServer
) -> None:
    client = make(bulkhead=BulkheadConfig(max_concurrency=1, acquire_timeout=0.5))

    async def read_forever() -> None:
        async with client.stream("stall") as response:
            async for _ in response.iter_bytes(100):
                pass

    reader = asyncio.ensure_future(read_forever())
    await server.hanging.wait()
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader
    assert client.circuit_breaker.stats().state is CircuitState.CLOSED
    assert await client.get("item") == {"id": 1, "name": "widget"}


# -- observability --------------------------------------------------------------------


class _Requests(ClientEvents):
    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []

    def on_request(self, event: Any) -> None:
        self.headers.append(dict(event.headers))


async def test_request_events_carry_redacted_headers(make: Factory) -> None:
    events = _Requests()
    await make(auth="secret-token", events=[events]).get("item")
    assert events.headers[0]["authorization"] == "[REDACTED]"
    assert events.headers[0]["x-correlation-id"]


class _Tracing(ClientEvents):
    def __init__(self) -> None:
        self.attempts = 0

    def attempt_headers(self, event: Any) -> dict[str, str]:
        self.attempts += 1
        return {"Traceparent": f"00-{self.attempts:032x}-{self.attempts:016x}-01"}


async def test_headers_from_sinks_go_on_each_attempt_only(
    make: Factory, server: LoopbackServer
) -> None:
    client = make(events=[_Tracing()], retry=RetryConfig(max_attempts=3, backoff_base=0))
    await client.get("flaky")
    sent = [seen.headers["traceparent"] for seen in server.seen]
    assert sent == [f"00-{n:032x}-{n:016x}-01" for n in (1, 2, 3)]
    await client.get("item")  # the call's own headers did not keep the last attempt's
    assert server.seen[-1].headers["traceparent"] == f"00-{4:032x}-{4:016x}-01"


# -- selection and the optional dependency ----------------------------------------------


@pytest.mark.parametrize("name", ["aiohttp", "httptools"])
def test_a_fast_transport_refuses_an_injected_http_client(name: str) -> None:
    import httpx

    with pytest.raises(ConfigError, match="http_client"):
        LoopbackClient(
            "http://127.0.0.1:9",
            config=ClientConfig(transport=name),  # type: ignore[arg-type]
            http_client=httpx.AsyncClient(),
        )


def test_unknown_transport_is_a_config_error() -> None:
    with pytest.raises(ValueError, match="transport"):
        ClientConfig(transport="curl")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["aiohttp", "httptools"])
def test_transport_from_the_environment(name: str) -> None:
    config = ClientConfig.from_env("SVC", {"SVC_TRANSPORT": name})
    assert config.transport == name


@pytest.mark.parametrize("name", ["aiohttp", "httptools"])
def test_runtime_imports_and_works_without_the_extra(name: str) -> None:
    """Without the extra: the package imports, the default transport works, and asking
    for the transport names the extra to install, in one line."""
    script = """
import sys
NAME = sys.argv[1]
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == NAME or name.startswith(NAME + "."):
            raise ImportError(f"No module named {NAME!r} (blocked by the test)")
sys.meta_path.insert(0, Block())
import resilient_client
from resilient_client import BaseServiceClient, ClientConfig, ConfigError
assert NAME not in sys.modules
BaseServiceClient("http://127.0.0.1:9")
try:
    BaseServiceClient("http://127.0.0.1:9", config=ClientConfig(transport=NAME))
except ConfigError as exc:
    assert f"pip install 'resilient-openapi-clients[{NAME}]'" in str(exc), exc
    assert "\\n" not in str(exc), exc
    print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", script, name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


class _socket_without_listener:
    """A URL on 127.0.0.1 whose port is bound but not listening: connecting is refused."""

    def __enter__(self) -> str:
        import socket

        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def __exit__(self, *exc_info: object) -> None:
        self._sock.close()


# -- the aiohttp adapter's mappings ---------------------------------------------------


def test_httpx_timeouts_map_onto_aiohttp_phases() -> None:
    from resilient_client._aiohttp import client_timeout

    mapped = client_timeout({"connect": 2.0, "read": 7.0, "write": 9.0, "pool": 3.0})
    # aiohttp's connect covers the wait for a pool slot and the connect itself
    assert (mapped.total, mapped.connect, mapped.sock_connect, mapped.sock_read) == (
        None,
        5.0,
        2.0,
        7.0,
    )
    unbounded = client_timeout({"connect": None, "read": None, "write": None, "pool": 3.0})
    assert (unbounded.connect, unbounded.sock_connect, unbounded.sock_read) == (None, None, None)


def test_aiohttp_errors_map_onto_httpx_types() -> None:
    import aiohttp
    import httpx

    from resilient_client._aiohttp import as_httpx_error
    from resilient_client._transport import typed_transport_error

    connect_timeout = typed_transport_error(as_httpx_error(aiohttp.ConnectionTimeoutError()))
    assert isinstance(connect_timeout, RequestTimeoutError) and connect_timeout.connect_error
    read_timeout = typed_transport_error(as_httpx_error(aiohttp.SocketTimeoutError()))
    assert isinstance(read_timeout, RequestTimeoutError) and not read_timeout.connect_error
    assert isinstance(as_httpx_error(aiohttp.ServerDisconnectedError()), httpx.RemoteProtocolError)
    assert isinstance(as_httpx_error(aiohttp.ClientPayloadError("cut")), httpx.RemoteProtocolError)
    assert isinstance(as_httpx_error(aiohttp.ClientOSError()), httpx.ReadError)


async def test_deadline_clipped_timeouts_do_not_grow_the_cache() -> None:
    import httpx

    async with LoopbackClient(
        "http://127.0.0.1:9", config=ClientConfig(transport="aiohttp")
    ) as client:
        wire = client._rt.wire
        assert wire is not None
        for step in range(200):
            assert wire._timeout(httpx.Timeout(1.0 + step / 1000)).sock_read == 1.0 + step / 1000
        assert len(wire._timeouts) <= 32
