"""``StreamedResponse``: a binary success body read chunk by chunk, never held whole.

``BaseServiceClient._stream`` hands one out once the retry loop has produced a
success status. From then on nothing is retried: the caller may already have
consumed or written part of the body, so a broken body raises
``StreamInterruptedError`` (and an oversized one ``ResponseTooLargeError``) instead
of starting again or ending short without a word.

Time limits on the body: each wait for the next data is bounded by the idle timeout,
and every wait ends at the stream's deadline, which counts from the call's start; either
raises ``StreamTimeoutError``. Both are checked against the client's clock (so tests can
drive them with a fake one) and enforced in real time by one ``ReadTimer`` per body
(cheaper than an ``asyncio.timeout`` per read, see ``_read_timer``), so a
server dripping a byte just under the read timeout cannot hold the call (its bulkhead
slot, its breaker permit) for ever.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import TypeAlias

import httpx

from ._call import Call, annotate
from ._exceptions import (
    ClientError,
    StreamInterruptedError,
    StreamTimeoutError,
    TransportError,
)
from ._read_timer import ReadTimer
from ._transport import RawResponse, too_large

#: 64 KiB: large enough that per-chunk overhead vanishes next to the network, small
#: enough that many concurrent downloads stay cheap.
DEFAULT_CHUNK_SIZE = 64 * 1024


class StreamedResponse:
    """A success response whose body has not been read yet; read it once.

    ``iter_bytes()`` yields the (content-decoded) body in chunks, ``save_to(path)``
    writes it to a file atomically. Only valid inside the ``async with`` that
    produced it: leaving the block closes the connection, read to the end or not.
    """

    __slots__ = (
        "_call",
        "_clock",
        "_closed",
        "_complete",
        "_consumed",
        "_deadline",
        "_deadline_at",
        "_failure",
        "_idle",
        "_iterator",
        "_limit",
        "_received",
        "_response",
        "headers",
        "status_code",
    )

    def __init__(
        self,
        raw: RawResponse,
        call: Call,
        limit: int | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        deadline: float | None = None,
        idle_timeout: float | None = None,
    ) -> None:
        """``deadline``: seconds from the call's start (``call.started``) to the end of
        the body; ``idle_timeout``: the longest wait for the next data. None: no limit."""
        assert raw.stream is not None
        self._response = raw.stream
        self._call = call
        self._limit = limit
        self._clock = clock
        self._deadline = deadline
        self._deadline_at = None if deadline is None else call.started + deadline
        self._idle = idle_timeout
        self._received = 0
        self._consumed = False
        self._complete = False
        self._closed = False
        self._failure: ClientError | None = None
        self._iterator: AsyncGenerator[bytes, None] | None = None
        self.status_code = raw.status
        #: the server's response headers, as received
        self.headers = raw.headers

    def __repr__(self) -> str:
        # No headers: a Set-Cookie or a signed URL in a header must not reach a log.
        return (
            f"StreamedResponse(operation={self._call.plan.name!r}, "
            f"status_code={self.status_code}, bytes_received={self._received})"
        )

    @property
    def content_type(self) -> str | None:
        value: str | None = self.headers.get("content-type")
        return value

    @property
    def content_length(self) -> int | None:
        """The declared ``Content-Length`` (None when absent or chunked)."""
        declared = self.headers.get("content-length")
        return int(declared) if declared is not None and declared.isdigit() else None

    @property
    def correlation_id(self) -> str:
        return self._call.correlation_id

    @property
    def bytes_received(self) -> int:
        return self._received

    @property
    def complete(self) -> bool:
        """True once the body was read to its end."""
        return self._complete

    @property
    def failure(self) -> ClientError | None:
        """The error that ended the body early, if one did."""
        return self._failure

    def iter_bytes(self, chunk_size: int | None = DEFAULT_CHUNK_SIZE) -> AsyncIterator[bytes]:
        """The body in chunks of ``chunk_size`` bytes (the last may be shorter); with
        None, each piece as it arrives (what an event stream needs: an event must not
        wait for a full chunk)."""
        if chunk_size is not None and chunk_size <= 0:
            raise ValueError(f"chunk_size must be positive, got {chunk_size}")
        if self._closed:
            raise RuntimeError("the StreamedResponse is closed: read it inside its async with")
        if self._consumed:
            raise RuntimeError("the body of a StreamedResponse can be read only once")
        self._consumed = True
        self._iterator = self._chunks(chunk_size)
        return self._iterator

    async def _chunks(self, chunk_size: int | None) -> AsyncGenerator[bytes, None]:
        # The body's data as it arrives (decoded), re-chunked here rather than by httpx:
        # the idle timeout must see every arrival, not only each full chunk_size.
        limit = self._limit
        arrivals = self._response.aiter_bytes()
        timer = ReadTimer() if self._idle is not None or self._deadline_at is not None else None
        pending = bytearray()
        try:
            while True:
                data = await (
                    anext(arrivals, None) if timer is None else self._next(arrivals, timer)
                )
                if data is None:
                    break
                # Decoded bytes count, so a small compressed body that inflates hugely
                # is stopped as well.
                if limit is not None and self._received + len(pending) + len(data) > limit:
                    raise self._failed(too_large(limit, f"more than {limit} bytes streamed"))
                if chunk_size is None:
                    if data:
                        self._received += len(data)
                        yield data
                    continue
                if not pending and len(data) == chunk_size:
                    self._received += chunk_size
                    yield data
                    continue
                pending += data
                while len(pending) >= chunk_size:
                    chunk = bytes(pending[:chunk_size])
                    del pending[:chunk_size]
                    self._received += chunk_size
                    yield chunk
            if pending:
                self._received += len(pending)
                yield bytes(pending)
        except httpx.TimeoutException as exc:
            # httpx's own read timeout: the same idle limit, or the deadline when the
            # attempt's timeouts were clipped to it.
            raise self._timed_out(self._expired_limit(), str(exc)) from exc
        except httpx.HTTPError as exc:
            error = StreamInterruptedError(
                f"response body broke off after {self._received} bytes "
                f"({type(exc).__name__}: {exc})"
            )
            error.bytes_received = self._received
            raise self._failed(error) from exc
        finally:
            if timer is not None:
                timer.close()
        self._complete = True

    async def _next(self, arrivals: AsyncIterator[bytes], timer: ReadTimer) -> bytes | None:
        """The next data of the body (None at its end) within the idle timeout and the
        deadline, whichever ends first (one ``ReadTimer`` for all the body's reads)."""
        clock = self._clock
        started = clock()
        wait, kind = self._idle, "idle"
        deadline_at = self._deadline_at
        if deadline_at is not None:
            remaining = deadline_at - started
            if remaining <= 0:
                raise self._timed_out("deadline")
            if wait is None or remaining < wait:
                wait, kind = remaining, "deadline"
        assert wait is not None
        timer.arm(wait)
        try:
            data = await anext(arrivals, None)
        except asyncio.CancelledError:
            if timer.expired():  # the cause, as with asyncio.timeout: a TimeoutError
                raise self._timed_out(kind) from TimeoutError()
            raise
        finally:
            timer.disarm()
        # The same limits on the client's clock: data that came only after one ran out
        # (on a test's fake clock, or just as the timer fired) is too late as well.
        now = clock()
        if deadline_at is not None and now >= deadline_at:
            raise self._timed_out("deadline")
        if self._idle is not None and now - started >= self._idle:
            raise self._timed_out("idle")
        return data

    def _expired_limit(self) -> str:
        deadline_at = self._deadline_at
        return "deadline" if deadline_at is not None and self._clock() >= deadline_at else "idle"

    def _timed_out(self, kind: str, detail: str | None = None) -> ClientError:
        if kind == "deadline":
            limit = f"the stream deadline of {self._deadline:g}s passed"
        elif self._idle is not None:
            limit = f"no data for {self._idle:g}s (idle timeout)"
        else:
            limit = "the read timed out"
        message = f"response body timed out after {self._received} bytes: {limit}"
        if detail:
            message += f" ({detail})"
        error = StreamTimeoutError(message)
        error.bytes_received = self._received
        error.timeout_kind = kind
        return self._failed(error)

    def fail(self, error: ClientError) -> ClientError:
        """Record ``error``, found while interpreting the body (an event stream's event
        that is too large or does not match its model), as this body's failure: it is
        annotated with the call and recorded when the block ends. Returns it to raise."""
        return self._failed(error)

    def _failed(self, error: ClientError) -> ClientError:
        annotate(error, self._call)
        self._failure = error
        return error

    async def save_to(
        self, path: str | os.PathLike[str], *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> int:
        """Write the body to ``path`` and return the number of bytes written.

        The body goes to a temporary file next to ``path`` that replaces ``path`` only
        once the body is complete and synced, so ``path`` never holds a partial
        download; on any failure (including cancellation) the temporary file is
        removed. Like every ``tempfile`` file, the result is readable by its owner
        only (mode 0600). Writes are synchronous: one chunk to a local disk takes less
        than a thread hand-off would cost.
        """
        target = os.fspath(path)
        directory, name = os.path.split(os.path.abspath(target))
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as file:
                async for chunk in self.iter_bytes(chunk_size):
                    file.write(chunk)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        return self._received

    def verdict(self, caller_error: BaseException | None) -> int:
        """The breaker verdict once the block ended (see ``_runtime.settle``).

        The service is blamed only for a body that broke off; a caller that stopped
        reading or raised its own error got a working answer, and a cancellation or
        an oversized body says nothing about the service's health.
        """
        if isinstance(self._failure, TransportError):
            return -1
        if self._failure is not None:
            return 0
        if caller_error is not None and not isinstance(caller_error, Exception):
            return 0  # cancellation (or KeyboardInterrupt): no verdict
        return 1

    async def aclose(self) -> None:
        """Release the connection (an unread body is dropped with it)."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._iterator is not None:
                # A caller that left its ``async for`` early leaves the generator
                # suspended; close it here rather than whenever it is collected.
                with contextlib.suppress(Exception):
                    await self._iterator.aclose()
        finally:
            with contextlib.suppress(httpx.HTTPError):
                await self._response.aclose()


#: What a generated ``<operation>_stream`` method returns: use it with ``async with``.
#: An alias, so generated modules name one runtime symbol instead of importing
#: ``contextlib`` themselves.
StreamContext: TypeAlias = AbstractAsyncContextManager[StreamedResponse]
