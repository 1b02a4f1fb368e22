"""``_stream``: binary bodies in chunks or to a file, with the pipeline's guarantees.

Bodies come from generator-backed ``httpx.AsyncByteStream``s, so a test can see how
far the server side had produced when the client got a chunk (the body is never held
whole), fail in the middle, or block until the test cancels the reader.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from runtime_helpers import BASE

from resilient_client import (
    BaseServiceClient,
    BulkheadConfig,
    BulkheadFullError,
    CacheConfig,
    CircuitBreakerConfig,
    CircuitOpenError,
    CircuitState,
    ClientClosedError,
    ClientConfig,
    ConfigError,
    NotFoundError,
    Operation,
    RequestTimeoutError,
    ResponseSpec,
    ResponseTooLargeError,
    RetryConfig,
    ServerError,
    SpecPolicy,
    StreamedResponse,
    StreamInterruptedError,
    StreamTimeoutError,
    TimeoutConfig,
)

MIB = 1024 * 1024
PIECE = 64 * 1024

DOWNLOAD: Operation[bytes] = Operation(
    name="download",
    method="GET",
    path="/blobs/{blob_id}",
    responses={"200": ResponseSpec("bytes"), "404": ResponseSpec("json", None)},
)


def piece(index: int) -> bytes:
    """64 KiB whose content says where it belongs, so reordering would show."""
    return index.to_bytes(4, "big") * (PIECE // 4)


class Body(httpx.AsyncByteStream):
    """``pieces`` 64 KiB pieces, produced lazily; optionally failing or blocking."""

    def __init__(
        self,
        pieces: int,
        *,
        fail_after: int | None = None,
        block_after: int | None = None,
        on_piece: Callable[[int], None] | None = None,
    ) -> None:
        self.pieces = pieces
        self.fail_after = fail_after
        self.block_after = block_after
        self.on_piece = on_piece
        self.produced = 0
        self.closed = False
        self.blocked = asyncio.Event()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for index in range(self.pieces):
            if index == self.fail_after:
                raise httpx.ReadError("connection reset by peer")
            if index == self.block_after:
                self.blocked.set()
                await asyncio.Event().wait()  # until cancelled
            if self.on_piece is not None:
                self.on_piece(index)
            self.produced += 1
            yield piece(index)

    async def aclose(self) -> None:
        self.closed = True


def expected_digest(pieces: int) -> str:
    digest = hashlib.sha256()
    for index in range(pieces):
        digest.update(piece(index))
    return digest.hexdigest()


class BlobClient(BaseServiceClient):
    service_name: ClassVar[str] = "BlobService"
    default_base_url: ClassVar[str | None] = BASE

    def download_stream(self, blob_id: str, **kwargs: Any) -> Any:
        return self._stream(DOWNLOAD, path_params={"blob_id": blob_id}, **kwargs)

    async def download(self, blob_id: str, **kwargs: Any) -> bytes:
        return await self._request(DOWNLOAD, path_params={"blob_id": blob_id}, **kwargs)


class Server:
    """A MockTransport handler answering from a queue of responses; counts requests."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.pop(0)


def stream_response(body: Body, **headers: str) -> httpx.Response:
    return httpx.Response(
        200, headers={"content-type": "application/octet-stream", **headers}, stream=body
    )


@pytest.fixture
def make_blob_client(clock: Any, sleeper: Any) -> Callable[..., BlobClient]:
    def factory(server: Server, config: ClientConfig | None = None, **kw: Any) -> BlobClient:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        client = BlobClient(config=config, http_client=http, clock=clock, sleep=sleeper, **kw)
        client._rt.rand = lambda: 1.0
        return client

    return factory


def metrics_of(client: BaseServiceClient) -> Any:
    return client.metrics().operations.get("download")


async def test_chunks_arrive_in_order_while_the_body_is_still_being_produced(
    make_blob_client: Callable[..., BlobClient],
) -> None:
    pieces = 8 * MIB // PIECE  # 8 MiB
    body = Body(pieces)
    client = make_blob_client(Server(stream_response(body)))
    digest = hashlib.sha256()
    sizes: list[int] = []
    produced_at_chunk: list[int] = []
    async with client.download_stream("b1") as response:
        assert isinstance(response, StreamedResponse)
        assert response.status_code == 200
        assert response.content_type == "application/octet-stream"
        async for chunk in response.iter_bytes(chunk_size=256 * 1024):
            sizes.append(len(chunk))
            produced_at_chunk.append(body.produced)
            digest.update(chunk)
        assert response.complete
        assert response.bytes_received == 8 * MIB
    assert digest.hexdigest() == expected_digest(pieces)
    assert sizes == [256 * 1024] * 32  # re-chunked exactly, never one whole-body chunk
    # When the first chunk reached the caller, the server side had produced only what
    # that chunk needed: the body is pulled on demand, not buffered whole.
    assert produced_at_chunk[0] <= 256 * 1024 // PIECE + 1
    assert produced_at_chunk == sorted(produced_at_chunk)
    assert body.closed


async def test_save_to_writes_exact_bytes_via_a_temporary_file(
    make_blob_client: Callable[..., BlobClient], tmp_path: Path
) -> None:
    target = tmp_path / "blob.bin"
    target.write_bytes(b"previous version")
    seen_midway: list[tuple[bytes, list[str]]] = []

    def check(index: int) -> None:
        if index == 20:  # midway: the old file is untouched, the new one is a .part
            seen_midway.append((target.read_bytes(), sorted(p.name for p in tmp_path.iterdir())))

    body = Body(40, on_piece=check)
    client = make_blob_client(Server(stream_response(body)))
    async with client.download_stream("b1") as response:
        written = await response.save_to(target)
    assert written == 40 * PIECE
    assert hashlib.sha256(target.read_bytes()).hexdigest() == expected_digest(40)
    ((old, names),) = seen_midway
    assert old == b"previous version"
    assert len(names) == 2 and any(
        n.startswith(".blob.bin.") and n.endswith(".part") for n in names
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blob.bin"]


async def test_mid_body_failure_raises_typed_error_removes_partial_file_and_never_retries(
    make_blob_client: Callable[..., BlobClient], tmp_path: Path, sleeper: Any
) -> None:
    target = tmp_path / "blob.bin"
    target.write_bytes(b"previous version")
    server = Server(stream_response(Body(40, fail_after=10)), stream_response(Body(40)))
    client = make_blob_client(server, ClientConfig(auth="s3cret-token"))
    with pytest.raises(StreamInterruptedError) as caught:
        async with client.download_stream("b1", correlation_id="cid-1") as response:
            await response.save_to(target)
    error = caught.value
    assert error.bytes_received == 10 * PIECE
    assert (error.operation, error.correlation_id) == ("download", "cid-1")
    assert "s3cret-token" not in str(error) and "s3cret-token" not in repr(error)
    assert isinstance(error.__cause__, httpx.ReadError)
    assert target.read_bytes() == b"previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blob.bin"]
    assert len(server.requests) == 1 and sleeper.delays == []
    assert server.requests[0].headers["authorization"] == "Bearer s3cret-token"
    assert client.circuit_breaker.stats().failures == 1
    op = metrics_of(client)
    assert (op.calls, op.failures, dict(op.failures_by_kind)) == (1, 1, {"transport": 1})


async def test_error_status_is_read_and_raised_as_its_typed_error(
    make_blob_client: Callable[..., BlobClient],
) -> None:
    server = Server(httpx.Response(404, json={"detail": "no such blob"}))
    client = make_blob_client(server)
    with pytest.raises(NotFoundError) as caught:
        async with client.download_stream("missing"):
            pytest.fail("the block must not run for an error status")
    assert caught.value.body == {"detail": "no such blob"}
    assert "no such blob" in str(caught.value)
    assert caught.value.operation == "download"
    assert metrics_of(client).failures_by_kind == {"http_4xx": 1}


async def test_huge_error_body_is_read_only_up_to_a_bound(
    make_blob_client: Callable[..., BlobClient],
) -> None:
    body = Body(1000)  # 62.5 MiB of error page
    server = Server(httpx.Response(500, stream=body))
    client = make_blob_client(server, max_retries=0)
    with pytest.raises(ServerError):
        async with client.download_stream("b1"):
            pass
    assert body.produced <= 2 and body.closed


async def test_retries_before_the_first_byte_then_streams(
    make_blob_client: Callable[..., BlobClient], sleeper: Any
) -> None:
    server = Server(httpx.Response(503), httpx.Response(502), stream_response(Body(4)))
    client = make_blob_client(server)
    async with client.download_stream("b1") as response:
        data = b"".join([chunk async for chunk in response.iter_bytes()])
    assert hashlib.sha256(data).hexdigest() == expected_digest(4)
    assert len(server.requests) == 3
    assert len(sleeper.delays) == 2
    op = metrics_of(client)
    assert (op.calls, op.successes, op.retries) == (1, 1, 2)


async def test_declared_length_over_the_cap_is_refused_before_the_block(
    make_blob_client: Callable[..., BlobClient],
) -> None:
    body = Body(32)
    response = stream_response(body, **{"content-length": str(32 * PIECE)})
    client = make_blob_client(Server(response), ClientConfig(max_response_bytes=MIB))
    with pytest.raises(ResponseTooLargeError):
        async with client.download_stream("b1"):
            pytest.fail("the block must not run for an oversized body")
    assert body.produced == 0 and body.closed


async def test_cap_enforced_while_streaming_and_partial_file_removed(
    make_blob_client: Callable[..., BlobClient], tmp_path: Path
) -> None:
    body = Body(32)  # 2 MiB, chunked: no Content-Length to refuse up front
    client = make_blob_client(Server(stream_response(body)), ClientConfig(max_response_bytes=MIB))
    target = tmp_path / "big.bin"
    with pytest.raises(ResponseTooLargeError) as caught:
        async with client.download_stream("b1") as response:
            await response.save_to(target)
    assert caught.value.limit == MIB and caught.value.operation == "download"
    assert body.produced <= MIB // PIECE + 1 and body.closed
    assert list(tmp_path.iterdir()) == []
    assert metrics_of(client).failures_by_kind == {"too_large": 1}
    assert client.circuit_breaker.stats().failures == 0  # not the service's fault


async def test_early_exit_closes_the_connection_and_counts_as_success(
    make_blob_client: Callable[..., BlobClient],
) -> None:
    body = Body(100)
    client = make_blob_client(Server(stream_response(body)))
    async with client.download_stream("b1") as response:
        async for _chunk in response.iter_bytes(PIECE):
            break
    assert body.closed and body.produced < 100
    op = metrics_of(client)
    assert (op.calls, op.successes) == (1, 1)
    with pytest.raises(RuntimeError, match="closed"):
        response.iter_bytes()


async def test_body_can_be_read_only_once(make_blob_client: Callable[..., BlobClient]) -> None:
    client = make_blob_client(Server(stream_response(Body(2))))
    async with client.download_stream("b1") as response:
        assert len(b"".join([c async for c in response.iter_bytes()])) == 2 * PIECE
        with pytest.raises(RuntimeError, match="only once"):
            response.iter_bytes()


async def test_cancellation_releases_connection_bulkhead_slot_and_breaker_permit(
    make_blob_client: Callable[..., BlobClient],
) -> None:
    body = Body(100, block_after=3)
    config = ClientConfig(bulkhead=BulkheadConfig(max_concurrency=1, acquire_timeout=0))
    client = make_blob_client(Server(stream_response(body)), config)
    assert client._pipeline.bulkhead is not None
    received: list[int] = []

    async def reader() -> None:
        async with client.download_stream("b1") as response:
            async for chunk in response.iter_bytes(PIECE):
                received.append(len(chunk))

    task = asyncio.create_task(reader())
    await body.blocked.wait()
    assert client._pipeline.bulkhead.in_flight == 1  # held while the body streams
    with pytest.raises(BulkheadFullError):
        await client.download("other")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert received == [PIECE] * 3
    assert body.closed
    assert client._pipeline.bulkhead.in_flight == 0
    stats = client.circuit_breaker.stats()
    assert (stats.failures, stats.successes) == (0, 0)  # cancellation: no verdict
    assert dict(metrics_of(client).failures_by_kind) == {"bulkhead_full": 1, "cancelled": 1}


async def test_breaker_probe_permit_is_held_until_the_stream_closes(
    make_blob_client: Callable[..., BlobClient], clock: Any
) -> None:
    breaker = CircuitBreakerConfig(
        failure_threshold=1, recovery_timeout=10, half_open_max_calls=1, success_threshold=1
    )
    server = Server(httpx.Response(500), stream_response(Body(2)))
    client = make_blob_client(server, ClientConfig(circuit_breaker=breaker), max_retries=0)
    with pytest.raises(ServerError):
        await client.download("b1")
    assert client.circuit_breaker.state is CircuitState.OPEN
    clock.advance(11)
    async with client.download_stream("b1") as response:
        with pytest.raises(CircuitOpenError):  # the only probe is this stream's
            await client.download("other")
        assert client.circuit_breaker.state is CircuitState.HALF_OPEN
        async for _chunk in response.iter_bytes():
            pass
    assert client.circuit_breaker.state is CircuitState.CLOSED


async def test_metrics_recorded_when_the_stream_closes_with_its_whole_duration(
    make_blob_client: Callable[..., BlobClient], clock: Any
) -> None:
    client = make_blob_client(Server(stream_response(Body(2))))
    async with client.download_stream("b1") as response:
        assert metrics_of(client) is None  # nothing recorded while streaming
        clock.advance(2.5)
        async for _chunk in response.iter_bytes():
            pass
    op = metrics_of(client)
    assert (op.calls, op.successes) == (1, 1)
    assert op.latency_max == pytest.approx(2.5)


async def test_correlation_id_is_sent_and_cache_is_never_used(
    make_blob_client: Callable[..., BlobClient],
) -> None:
    cached_op: Operation[bytes] = Operation(
        name="download",
        method="GET",
        path="/blobs/{blob_id}",
        responses={"200": ResponseSpec("bytes")},
        policy=SpecPolicy(cache_ttl=60),
    )
    server = Server(stream_response(Body(1)), stream_response(Body(1)))
    client = make_blob_client(server, ClientConfig(cache=CacheConfig()))
    for cid in ("c-1", "c-2"):
        async with client._stream(cached_op, path_params={"blob_id": "b"}, correlation_id=cid) as r:
            assert r.correlation_id == cid
            assert len(b"".join([c async for c in r.iter_bytes()])) == PIECE
    assert [r.headers["x-correlation-id"] for r in server.requests] == ["c-1", "c-2"]
    assert client.cache_stats().hits == 0


async def test_repr_shows_no_headers(make_blob_client: Callable[..., BlobClient]) -> None:
    response = stream_response(Body(1), **{"set-cookie": "session=s3cret"})
    client = make_blob_client(Server(response))
    async with client.download_stream("b1") as streamed:
        assert "s3cret" not in repr(streamed)
        assert "download" in repr(streamed)


async def test_closed_client_refuses_to_stream(
    make_blob_client: Callable[..., BlobClient],
) -> None:
    client = make_blob_client(Server())
    await client.aclose()
    with pytest.raises(ClientClosedError):
        async with client.download_stream("b1"):
            pass


async def test_read_timeout_mid_body_is_an_interruption_not_a_retry(
    make_blob_client: Callable[..., BlobClient],
) -> None:
    class SlowBody(Body):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield piece(0)
            raise httpx.ReadTimeout("read timed out")

    server = Server(stream_response(SlowBody(2)), stream_response(Body(2)))
    client = make_blob_client(server)
    received: list[bytes] = []
    with pytest.raises(StreamInterruptedError, match="timed out") as caught:
        async with client.download_stream("b1") as response:
            async for chunk in response.iter_bytes():
                received.append(chunk)
    assert received == [piece(0)] and caught.value.bytes_received == PIECE
    assert len(server.requests) == 1
    # httpx's read timeout is the idle limit too: a timeout, and a failure for the breaker
    assert isinstance(caught.value, StreamTimeoutError) and caught.value.timeout_kind == "idle"
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert client.circuit_breaker.stats().failures == 1
    assert dict(metrics_of(client).failures_by_kind) == {"timeout": 1}


async def test_cancelled_save_to_leaves_no_partial_file(
    make_blob_client: Callable[..., BlobClient], tmp_path: Path
) -> None:
    body = Body(100, block_after=5)
    client = make_blob_client(Server(stream_response(body)))

    async def save() -> None:
        async with client.download_stream("b1") as response:
            await response.save_to(tmp_path / "blob.bin")

    task = asyncio.create_task(save())
    await body.blocked.wait()
    assert len(list(tmp_path.iterdir())) == 1  # the .part file, being written
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert list(tmp_path.iterdir()) == [] and body.closed


# -- time limits on the body: idle timeout and stream deadline ----------------------


class TimedBody(Body):
    """64 KiB pieces, each arriving ``gaps[i]`` seconds (on the fake clock) after the
    previous one was asked for; the body ends after the last gap."""

    def __init__(self, clock: Any, gaps: list[float]) -> None:
        super().__init__(len(gaps))
        self.clock = clock
        self.gaps = gaps

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for index, gap in enumerate(self.gaps):
            self.clock.advance(gap)
            self.produced += 1
            yield piece(index)


def one_slot(**values: Any) -> ClientConfig:
    return ClientConfig(bulkhead=BulkheadConfig(max_concurrency=1), **values)


async def read_all(client: BlobClient, **call_options: Any) -> list[bytes]:
    received: list[bytes] = []
    async with client.download_stream("b1", **call_options) as response:
        async for chunk in response.iter_bytes(PIECE):
            received.append(chunk)
    return received


async def test_idle_timeout_ends_a_body_that_stops_arriving(
    make_blob_client: Callable[..., BlobClient], clock: Any, sleeper: Any
) -> None:
    body = TimedBody(clock, [1, 1, 9.9, 10.0, 1])
    server = Server(stream_response(body), stream_response(Body(1)))
    client = make_blob_client(server, one_slot(stream_idle_timeout=10))
    received: list[bytes] = []
    with pytest.raises(StreamTimeoutError, match="no data for 10s") as caught:
        async with client.download_stream("b1") as response:
            async for chunk in response.iter_bytes(PIECE):
                received.append(chunk)
                clock.advance(100)  # the caller's own time between reads is not idleness
    error = caught.value
    assert isinstance(error, RequestTimeoutError) and isinstance(error, StreamInterruptedError)
    assert error.timeout_kind == "idle" and error.operation == "download"
    assert received == [piece(0), piece(1), piece(2)] and error.bytes_received == 3 * PIECE
    assert body.closed and body.produced == 4  # the fourth piece came too late
    assert len(server.requests) == 1 and sleeper.delays == []  # never retried
    assert client._pipeline.bulkhead is not None and client._pipeline.bulkhead.in_flight == 0
    assert client.circuit_breaker.stats().failures == 1
    op = metrics_of(client)
    assert (op.calls, op.failures, dict(op.failures_by_kind)) == (1, 1, {"timeout": 1})


async def test_stream_deadline_counts_from_the_calls_start_and_removes_the_partial_file(
    make_blob_client: Callable[..., BlobClient], clock: Any, tmp_path: Path
) -> None:
    target = tmp_path / "blob.bin"
    target.write_bytes(b"previous version")
    body = TimedBody(clock, [3, 3, 3, 3])  # 12 s in all, each gap well within idle
    client = make_blob_client(Server(stream_response(body)), one_slot(stream_deadline=10))
    with pytest.raises(StreamTimeoutError, match="stream deadline of 10s") as caught:
        async with client.download_stream("b1") as response:
            clock.advance(0.5)  # time in the block before reading counts as well
            await response.save_to(target)
    error = caught.value
    assert error.timeout_kind == "deadline" and error.bytes_received == 3 * PIECE
    assert target.read_bytes() == b"previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blob.bin"]
    assert body.closed
    assert client._pipeline.bulkhead is not None and client._pipeline.bulkhead.in_flight == 0
    assert client.circuit_breaker.stats().failures == 1
    op = metrics_of(client)
    assert dict(op.failures_by_kind) == {"timeout": 1}
    assert op.latency_max == pytest.approx(12.5)  # recorded when the late piece came


async def test_a_block_that_outlives_the_deadline_fails_on_its_next_read(
    make_blob_client: Callable[..., BlobClient], clock: Any
) -> None:
    body = Body(4)
    client = make_blob_client(Server(stream_response(body)), ClientConfig(stream_deadline=10))
    with pytest.raises(StreamTimeoutError) as caught:
        async with client.download_stream("b1") as response:
            clock.advance(10)
            await response.save_to(os.devnull)
    assert caught.value.bytes_received == 0 and body.produced == 0 and body.closed


async def test_default_stream_deadline_is_an_hour_and_none_lifts_it(
    make_blob_client: Callable[..., BlobClient], clock: Any
) -> None:
    assert ClientConfig().stream_deadline == 3600.0
    capped = make_blob_client(Server(stream_response(TimedBody(clock, [1, 1]))))
    with pytest.raises(StreamTimeoutError, match="3600s"):
        async with capped.download_stream("b1") as response:
            clock.advance(3599)
            await response.save_to(os.devnull)
    uncapped = make_blob_client(
        Server(stream_response(TimedBody(clock, [20] * 300))), ClientConfig(stream_deadline=None)
    )
    assert len(await read_all(uncapped)) == 300  # 6000 s, and no gap reached the idle limit


async def test_per_call_deadline_replaces_the_stream_deadline_for_that_call(
    make_blob_client: Callable[..., BlobClient], clock: Any
) -> None:
    config = ClientConfig(stream_deadline=None, deadline=100.0)
    client = make_blob_client(
        Server(stream_response(TimedBody(clock, [2, 2, 2])), stream_response(Body(3))), config
    )
    with pytest.raises(StreamTimeoutError, match="stream deadline of 5s"):
        await read_all(client, deadline=5)
    assert len(await read_all(client)) == 3
    with pytest.raises(ConfigError, match="deadline must be positive"):
        await read_all(client, deadline=0)


async def test_idle_timeout_defaults_to_the_calls_read_timeout(
    make_blob_client: Callable[..., BlobClient], clock: Any
) -> None:
    server = Server(
        stream_response(TimedBody(clock, [4, 6])), stream_response(TimedBody(clock, [1, 3]))
    )
    client = make_blob_client(server, ClientConfig(timeout=TimeoutConfig(read=5.0)))
    with pytest.raises(StreamTimeoutError, match="no data for 5s"):
        await read_all(client)
    with pytest.raises(StreamTimeoutError, match="no data for 2s"):
        await read_all(client, timeout=2.0)  # a per-call timeout moves it along


async def test_the_wait_for_the_status_is_held_to_the_stream_deadline(
    make_blob_client: Callable[..., BlobClient], sleeper: Any
) -> None:
    server = Server(*(httpx.Response(503) for _ in range(5)))
    retry = RetryConfig(max_attempts=5, backoff_base=0.6, backoff_cap=0.6)
    client = make_blob_client(server, ClientConfig(retry=retry, stream_deadline=1.0))
    with pytest.raises(ServerError):
        async with client.download_stream("b1"):
            pytest.fail("the block must not run for an error status")
    # attempts at 0 and 0.6 s; another at 1.2 s would start after the stream's deadline
    assert len(server.requests) == 2 and sleeper.delays == [0.6]


async def test_idle_timeout_and_deadline_are_enforced_in_real_time(
    make_blob_client: Callable[..., BlobClient], clock: Any
) -> None:
    # The fake clock never moves here: only the real-time timers can end these reads.
    stalled = Body(10, block_after=2)
    config = one_slot(stream_idle_timeout=0.05)
    client = make_blob_client(Server(stream_response(stalled)), config)
    with pytest.raises(StreamTimeoutError, match="idle timeout") as caught:
        await read_all(client)
    assert caught.value.timeout_kind == "idle" and caught.value.bytes_received == 2 * PIECE
    assert isinstance(caught.value.__cause__, TimeoutError) and stalled.closed
    assert client._pipeline.bulkhead is not None and client._pipeline.bulkhead.in_flight == 0

    stalled = Body(10, block_after=1)
    client = make_blob_client(Server(stream_response(stalled)), one_slot(stream_deadline=0.1))
    with pytest.raises(StreamTimeoutError, match="stream deadline") as caught:
        await read_all(client)
    assert caught.value.timeout_kind == "deadline" and stalled.closed
    assert client._pipeline.bulkhead is not None and client._pipeline.bulkhead.in_flight == 0
    assert client.circuit_breaker.stats().failures == 1


async def test_a_cancelled_read_is_not_turned_into_a_timeout(
    make_blob_client: Callable[..., BlobClient],
) -> None:
    body = Body(10, block_after=1)
    client = make_blob_client(Server(stream_response(body)), ClientConfig(stream_deadline=60))
    task = asyncio.create_task(read_all(client))
    await body.blocked.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert body.closed
    assert dict(metrics_of(client).failures_by_kind) == {"cancelled": 1}
    assert client.circuit_breaker.stats().failures == 0


def test_stream_time_limits_are_validated() -> None:
    with pytest.raises(ValueError, match="stream_idle_timeout"):
        ClientConfig(timeout=TimeoutConfig(read=5.0), stream_idle_timeout=6.0)
    with pytest.raises(ValueError, match="greater than 0"):
        ClientConfig(stream_deadline=0)
    with pytest.raises(ValueError, match="greater than 0"):
        ClientConfig(stream_idle_timeout=-1)
    assert ClientConfig(
        timeout=TimeoutConfig(read=None), stream_idle_timeout=600
    ).stream_idle_timeout
    env = ClientConfig.from_env(
        "APP", {"APP_STREAM_DEADLINE": "off", "APP_STREAM_IDLE_TIMEOUT": "5"}
    )
    assert (env.stream_deadline, env.stream_idle_timeout) == (None, 5.0)
    assert ClientConfig.from_env("APP", {"APP_STREAM_DEADLINE": "90"}).stream_deadline == 90.0
