"""``StreamedResponse``: a binary success body read chunk by chunk, never held whole.

``BaseServiceClient._stream`` hands one out once the retry loop has produced a
success status. From then on nothing is retried: the caller may already have
consumed or written part of the body, so a broken body raises
``StreamInterruptedError`` (and an oversized one ``ResponseTooLargeError``) instead
of starting again or ending short without a word.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import TypeAlias

import httpx

from ._call import Call, annotate
from ._exceptions import ClientError, ResponseTooLargeError, StreamInterruptedError, TransportError
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
        "_closed",
        "_complete",
        "_consumed",
        "_failure",
        "_iterator",
        "_limit",
        "_received",
        "_response",
        "headers",
        "status_code",
    )

    def __init__(self, raw: RawResponse, call: Call, limit: int | None) -> None:
        assert raw.stream is not None
        self._response = raw.stream
        self._call = call
        self._limit = limit
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

    def iter_bytes(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> AsyncIterator[bytes]:
        """The body in chunks of ``chunk_size`` bytes (the last may be shorter)."""
        if chunk_size <= 0:
            raise ValueError(f"chunk_size must be positive, got {chunk_size}")
        if self._closed:
            raise RuntimeError("the StreamedResponse is closed: read it inside its async with")
        if self._consumed:
            raise RuntimeError("the body of a StreamedResponse can be read only once")
        self._consumed = True
        self._iterator = self._chunks(chunk_size)
        return self._iterator

    async def _chunks(self, chunk_size: int) -> AsyncGenerator[bytes, None]:
        limit = self._limit
        try:
            async for chunk in self._response.aiter_bytes(chunk_size):
                self._received += len(chunk)
                # Decoded bytes count, so a small compressed body that inflates hugely
                # is stopped as well.
                if limit is not None and self._received > limit:
                    raise too_large(limit, f"more than {limit} bytes streamed")
                yield chunk
        except ResponseTooLargeError as exc:
            raise self._failed(exc) from None
        except httpx.HTTPError as exc:
            timed_out = isinstance(exc, httpx.TimeoutException)
            error = StreamInterruptedError(
                f"response body broke off after {self._received} bytes "
                f"({'timed out' if timed_out else type(exc).__name__}: {exc})"
            )
            error.bytes_received = self._received
            raise self._failed(error) from exc
        self._complete = True

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
        """The breaker verdict once the block ended (see ``_attempts.settle``).

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
