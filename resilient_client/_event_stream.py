"""``EventStream``: a ``text/event-stream`` response as an async iterator of typed events.

Built on ``OuterPipeline.stream`` (the path of ``<op>_stream``): everything up to the
status goes through the usual pipeline (auth, correlation id, bulkhead, breaker permit,
retries, typed errors), and the bulkhead slot and breaker permit stay taken while the
events are read. What differs from a download:

- the body has no total size cap and no total time cap (``stream_deadline`` is for
  downloads; a per-call ``deadline=`` still caps the whole stream, reconnects
  included). ``max_response_bytes`` bounds each event instead (``_sse``), and the idle
  timeout (``stream_idle_timeout``, else the read timeout) still frees the slot of a
  connection that went silent; a server's ``:`` keep-alive comments count as data.
- a connection that drops mid-stream (``StreamInterruptedError``, or the idle timeout)
  is reconnected when the operation is idempotent (GET, PUT, DELETE... or
  ``x-resilience: {idempotent: true}``): after the server's ``retry:`` (else
  ``EventStreamConfig.reconnect_delay``, never above ``max_reconnect_delay``) on the
  client's ``sleep``, with ``Last-Event-ID`` set to the last whole event's id and the
  same correlation id, at most ``max_reconnects`` times in a row without an event in
  between. A reconnect that a restarting server refuses (a transport error or a 5xx,
  once that call's own retries are spent) counts as one more. A non-idempotent stream
  raises the error instead: sending the request again could repeat what it did.
- leaving the iteration early closes the connection and frees the slot and permit:
  at once for ``async with`` (or ``aclose()``), and for a bare ``async for ... break``
  when the abandoned iterator is finalised (immediately in CPython, where nothing
  else refers to it, by asyncio's async-generator hook on the next loop turn).
"""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
import weakref
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import ValidationError

from ._decode import _type_name, _validation_summary, adapter_for
from ._exceptions import (
    ClientError,
    ResponseValidationError,
    ServerError,
    StreamInterruptedError,
    TransportError,
)
from ._open import OPEN_CONTEXT
from ._operation import ResponseSpec
from ._parts import RequestParts
from ._sse import RawEvent, ServerSentEvent, SSEDecoder
from ._stream import StreamedResponse

if TYPE_CHECKING:
    from ._outer import OuterPipeline

T = TypeVar("T")

logger = logging.getLogger("resilient_client")

#: OpenAI's end-of-stream sentinel, which OpenAI-compatible servers send after the last
#: JSON event; data typed by a schema cannot be it, so it ends the stream.
DONE = "[DONE]"
_EVENT_STREAM = "text/event-stream"
_TEXT = ResponseSpec("text")


class EventStream(Generic[T]):
    """The events of one ``text/event-stream`` response, ``data`` typed as ``T``.

    ``async with client.op_events(...) as events: async for event in events: ...``
    (the status is checked, and typed errors raised, on entering the block), or
    ``async for event in client.op_events(...)`` (checked at the first event). Each
    item is a ``ServerSentEvent[T]``. A stream is iterated once.
    """

    def __init__(
        self,
        pipeline: OuterPipeline,
        parts: RequestParts,
        spec: ResponseSpec | None,
    ) -> None:
        plan = pipeline.plan(parts.operation)
        if plan.auto_idempotency_key and parts.options.idempotency_key is None:
            # One key for the whole stream: a reconnect repeats the same request, which
            # the server must not take for a new one (a second job started).
            options = parts.options._replace(idempotency_key=str(uuid.uuid4()))
            parts = parts._replace(options=options)
        self._pipeline = pipeline
        self._parts = parts
        self._spec = spec if spec is not None else _TEXT
        self._may_reconnect = plan.may_repeat
        self._open_enums = plan.open_responses
        self._settings = pipeline.config.event_stream
        self._max_event = pipeline.rt.max_response_bytes
        self._context: AbstractAsyncContextManager[StreamedResponse] | None = None
        self._response: StreamedResponse | None = None
        self._decoder = SSEDecoder(self._max_event)
        self._correlation_id: str | None = None
        self._started: float | None = None
        self._iterator: weakref.ref[AsyncGenerator[ServerSentEvent[T], None]] | None = None
        self._iterated = False
        self._closed = False
        self._quiet_reconnects = 0
        #: reconnects made so far (after dropped connections)
        self.reconnects = 0

    def __repr__(self) -> str:
        return (
            f"EventStream(operation={self._parts.operation.name!r}, "
            f"last_event_id={self.last_event_id!r}, reconnects={self.reconnects})"
        )

    # -- what the caller reads -------------------------------------------------------

    @property
    def response(self) -> StreamedResponse | None:
        """The current connection's response (status, headers); None before the first."""
        return self._response

    @property
    def last_event_id(self) -> str | None:
        """The last event id the server set (None: none), sent as ``Last-Event-ID`` on
        a reconnect; a caller can resume a stream with it after an error too."""
        return self._decoder.last_event_id or None

    @property
    def correlation_id(self) -> str | None:
        """The id every connection of this stream carries (None before the first)."""
        return self._correlation_id

    # -- the protocols ---------------------------------------------------------------

    async def __aenter__(self) -> EventStream[T]:
        if self._response is None and not self._closed:
            await self._connect(self._parts)
        return self

    async def connected(self) -> EventStream[T]:
        """Connect (status checked, typed errors raised) and return the stream: what the
        plain method of an events-only operation awaits."""
        return await self.__aenter__()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._close(None if isinstance(error, Exception) else error)

    def __aiter__(self) -> AsyncIterator[ServerSentEvent[T]]:
        if self._closed:
            raise RuntimeError("the EventStream is closed")
        if self._iterated:
            raise RuntimeError("an EventStream can be iterated only once")
        self._iterated = True
        # Only a weak reference: the iterator refers to the stream, and a cycle would
        # keep an abandoned ``async for`` (and its connection) alive until a GC pass.
        iterator = self._events()
        self._iterator = weakref.ref(iterator)
        return iterator

    async def aclose(self) -> None:
        """Close the connection (idempotent); the iteration, if any, ends."""
        await self._close(None)

    # -- the iteration ---------------------------------------------------------------

    async def _events(self) -> AsyncGenerator[ServerSentEvent[T], None]:
        ended: BaseException | None = None
        try:
            if self._response is None:
                await self._connect(self._parts)
            while True:
                response = self._response
                assert response is not None
                try:
                    async for chunk in response.iter_bytes(None):
                        for event in self._parse(response, chunk):
                            if event is None or self._closed:
                                # the OpenAI sentinel (the last event was sent), or an
                                # aclose() from another task while this one was reading
                                return
                            self._quiet_reconnects = 0
                            yield event
                    return  # the server ended the stream
                except StreamInterruptedError as exc:
                    if self._closed:
                        return  # aclose() from another task broke the read off
                    if not self._reconnectable(exc):
                        raise
                    failure: ClientError = exc
                while True:
                    try:
                        await self._reconnect(failure)
                        break
                    except (TransportError, ServerError) as exc:
                        # A server restarting refuses or fails a few reconnects: each
                        # counts against max_reconnects, like a drop.
                        if not self._reconnectable(exc):
                            raise
                        failure = exc
        except BaseException as exc:
            # A cancellation (or KeyboardInterrupt) is handed to the pipeline, which
            # then gives the breaker no verdict; a ``break`` (GeneratorExit) or an error
            # already recorded on the response is an ordinary close.
            if not isinstance(exc, Exception | GeneratorExit):
                ended = exc
            raise
        finally:
            await self._close(ended)

    def _parse(self, response: StreamedResponse, chunk: bytes) -> list[ServerSentEvent[T] | None]:
        try:
            return [self._typed(raw) for raw in self._decoder.feed(chunk)]
        except ClientError as exc:
            response.fail(exc)
            raise

    def _typed(self, raw: RawEvent) -> ServerSentEvent[T] | None:
        spec = self._spec
        data: Any = raw.data
        if spec.kind != "text":
            if raw.data == DONE:
                return None
            tp = spec.type
            try:
                if tp is None:
                    data = json.loads(raw.data)
                else:
                    context = OPEN_CONTEXT if self._open_enums else None
                    data = adapter_for(tp).validate_json(raw.data, context=context)
            except ValidationError as exc:
                raise ResponseValidationError(
                    f"{raw.event!r} event data does not match {_type_name(tp)}: "
                    f"{_validation_summary(exc)}",
                    body=raw.data[:200],
                ) from exc
            except ValueError as exc:
                raise ResponseValidationError(
                    f"{raw.event!r} event data is not JSON: {exc}", body=raw.data[:200]
                ) from exc
        return ServerSentEvent(raw.event, data, raw.data, raw.id, raw.retry)

    # -- connections -----------------------------------------------------------------

    async def _connect(self, parts: RequestParts) -> None:
        pipeline = self._pipeline
        if self._started is None:
            self._started = pipeline.clock()
        context = pipeline.stream(parts, event_stream=True)
        response = await context.__aenter__()
        self._context, self._response = context, response
        self._correlation_id = response.correlation_id
        media = (response.content_type or "").split(";", 1)[0].strip().lower()
        if media and media != _EVENT_STREAM and response.status_code != 204:
            # A server that ignored ``Accept`` (JSON where events were asked for):
            # parsing that as events would silently yield nothing.
            error = response.fail(
                ResponseValidationError(f"expected a {_EVENT_STREAM} response, got {media!r}")
            )
            await self._disconnect(None)
            raise error
        previous = self._decoder
        self._decoder = SSEDecoder(
            self._max_event, last_event_id=previous.last_event_id, retry=previous.retry
        )

    def _reconnectable(self, error: ClientError) -> bool:
        if not self._may_reconnect:
            return False
        if getattr(error, "timeout_kind", None) == "deadline" or self._remaining() == 0:
            return False  # the caller's own limit for the whole stream
        if self._quiet_reconnects >= self._settings.max_reconnects:
            error.add_note(
                f"gave up after {self._quiet_reconnects} reconnects in a row without an event"
            )
            return False
        return True

    def _remaining(self) -> float | None:
        """Seconds left of a per-call ``deadline=`` (0 when it passed; None: none)."""
        deadline = self._parts.options.deadline
        if deadline is None or self._started is None:
            return None
        return max(0.0, deadline - (self._pipeline.clock() - self._started))

    async def _reconnect(self, error: ClientError) -> None:
        await self._disconnect(None)  # the broken body is already recorded as a failure
        self._quiet_reconnects += 1
        self.reconnects += 1
        settings = self._settings
        retry = self._decoder.retry
        delay = min(
            settings.reconnect_delay if retry is None else retry / 1000,
            settings.max_reconnect_delay,
        )
        logger.info(
            "%s: event stream reconnect %d in %gs after: %s",
            self._parts.operation.name,
            self._quiet_reconnects,
            delay,
            error,
            extra={"correlation_id": self._correlation_id, "last_event_id": self.last_event_id},
        )
        await self._pipeline.rt.sleep(delay)
        options = self._parts.options
        headers = dict(options.extra_headers or {})
        if self._decoder.last_event_id:
            headers["last-event-id"] = self._decoder.last_event_id
        deadline = self._remaining()
        if deadline == 0:
            raise error  # the stream's deadline passed while it waited
        overrides = options._replace(
            correlation_id=self._correlation_id, extra_headers=headers, deadline=deadline
        )
        await self._connect(self._parts._replace(options=overrides))

    async def _disconnect(self, error: BaseException | None) -> None:
        context, self._context = self._context, None
        if context is None:
            return
        if error is None:
            await context.__aexit__(None, None, None)
        else:
            await context.__aexit__(type(error), error, error.__traceback__)

    async def _close(self, error: BaseException | None) -> None:
        self._closed = True
        # The connection first: the suspended iterator's own cleanup then finds
        # nothing left to close, and a cancellation reaches the pipeline as such.
        await self._disconnect(error)
        iterator = self._iterator() if self._iterator is not None else None
        self._iterator = None
        if iterator is not None and not getattr(iterator, "ag_running", False):
            with contextlib.suppress(Exception):
                await iterator.aclose()
