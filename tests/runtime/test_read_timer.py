"""``ReadTimer``: one timer for all of a body's reads, and the stream built on it.

Before it, each read of a body with an idle timeout or a stream deadline entered its own
``asyncio.timeout``: a ``TimerHandle`` pushed on the loop's heap and cancelled per read,
so a body of many small in-memory chunks left the heap full of dead timers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import httpx
import pytest
from runtime_helpers import BASE

from resilient_client import (
    BaseServiceClient,
    ClientConfig,
    Operation,
    ResponseSpec,
    StreamTimeoutError,
)
from resilient_client._read_timer import ReadTimer

DOWNLOAD: Operation[bytes] = Operation(
    name="download",
    method="GET",
    path="/blobs/{blob_id}",
    responses={"200": ResponseSpec("bytes")},
)


class BlobClient(BaseServiceClient):
    service_name: ClassVar[str] = "BlobService"
    default_base_url: ClassVar[str | None] = BASE

    def download_stream(self, blob_id: str, **kwargs: Any) -> Any:
        return self._stream(DOWNLOAD, path_params={"blob_id": blob_id}, **kwargs)


class SmallChunks(httpx.AsyncByteStream):
    """``count`` chunks of 16 bytes, all ready at once; notes the loop's timer heap size
    at each chunk (the timers scheduled and not yet run or discarded)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.heap_sizes: list[int] = []

    async def __aiter__(self) -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        for index in range(self.count):
            self.heap_sizes.append(len(loop._scheduled))  # type: ignore[attr-defined]
            yield index.to_bytes(16, "big")


def live_timers() -> int:
    """Timers on the loop's heap that are still to run (cancelled ones wait there too)."""
    heap = asyncio.get_running_loop()._scheduled  # type: ignore[attr-defined]
    return sum(1 for handle in heap if not handle.cancelled())


async def test_many_ready_chunks_keep_one_timer_on_the_loop() -> None:
    body = SmallChunks(5_000)
    http = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, stream=body))
    )
    config = ClientConfig(stream_idle_timeout=30.0, stream_deadline=600.0)
    async with BlobClient(config=config, http_client=http) as client:
        before = live_timers()
        async with client.download_stream("b1") as response:
            received = [chunk async for chunk in response.iter_bytes(None)]
        after = live_timers()
    assert len(received) == 5_000 and response.complete
    # one idle timer for the whole body: the heap stays the same size from the first
    # chunk to the last (an asyncio.timeout per read grew it by one cancelled timer per
    # chunk, 5,000 here: ready data never yields to the loop, which would clean them up)
    assert min(body.heap_sizes) == max(body.heap_sizes), max(body.heap_sizes)
    assert after == before  # and it was cancelled with the body


async def test_a_wait_past_its_time_is_this_timers_cancellation() -> None:
    timer = ReadTimer()
    timer.arm(0.0)
    with pytest.raises(asyncio.CancelledError):
        await asyncio.get_running_loop().create_future()
    assert timer.expired()
    timer.disarm()
    current = asyncio.current_task()
    assert current is not None and current.cancelling() == 0  # uncancelled: the task goes on
    timer.close()


async def test_a_shorter_wait_after_a_longer_one_is_not_held_to_the_longer_timer() -> None:
    timer = ReadTimer()
    timer.arm(3600.0)
    await asyncio.sleep(0)
    timer.disarm()
    timer.arm(0.0)  # e.g. the stream deadline now nearer than the idle timeout
    with pytest.raises(asyncio.CancelledError):
        await asyncio.get_running_loop().create_future()
    assert timer.expired()
    timer.close()


async def test_someone_elses_cancellation_stays_a_cancellation() -> None:
    timer = ReadTimer()
    waiting = asyncio.Event()

    async def read() -> None:
        timer.arm(3600.0)
        try:
            waiting.set()
            await asyncio.get_running_loop().create_future()
        except asyncio.CancelledError:
            assert not timer.expired()
            raise
        finally:
            timer.disarm()

    task = asyncio.create_task(read())
    await waiting.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    timer.close()


async def test_a_stalled_small_chunk_body_still_times_out() -> None:
    async def stalls() -> AsyncIterator[bytes]:
        for index in range(100):
            yield index.to_bytes(16, "big")
        await asyncio.Event().wait()  # the server stops sending
        yield b""

    class Stalling(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            async for chunk in stalls():
                yield chunk

    http = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, stream=Stalling()))
    )
    config = ClientConfig(stream_idle_timeout=0.02)
    async with BlobClient(config=config, http_client=http) as client:
        with pytest.raises(StreamTimeoutError, match="idle timeout") as caught:
            async with client.download_stream("b1") as response:
                async for _ in response.iter_bytes(None):
                    pass
    assert caught.value.bytes_received == 100 * 16
    assert isinstance(caught.value.__cause__, TimeoutError)
