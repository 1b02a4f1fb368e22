"""``SyncEventStream`` and ``SyncPaginator``: blocking views of an ``EventStream``
(server-sent events) and of an ``AsyncPaginator`` (``<op>_iter``).

``with client.op_events(...) as events: for event in events: ...`` or ``for event in
client.op_events(...)``, as the async stream is used with ``async with``/``async for``.
Entering, each event and closing are calls on the sync client's loop (``_portal``), in
one context shared by all of them; reconnects, idle timeouts and decoding are the async
stream's own.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TypeVar

from ._event_stream import EventStream
from ._paginate import AsyncPaginator
from ._sse import ServerSentEvent
from ._stream import StreamedResponse
from ._sync_views import SyncIterator

if TYPE_CHECKING:
    from ._portal import Portal

T = TypeVar("T")
ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT")


class SyncEventStream(Generic[T]):
    """The events of one ``text/event-stream`` response, blocking; iterated once."""

    __slots__ = ("_context", "_portal", "_stream")

    def __init__(
        self, portal: Portal, stream: EventStream[T], context: contextvars.Context
    ) -> None:
        self._portal = portal
        self._stream = stream
        self._context = context

    def __repr__(self) -> str:
        return "Sync" + repr(self._stream)

    @property
    def response(self) -> StreamedResponse | None:
        """The current connection's response (status, headers); None before the first."""
        return self._stream.response

    @property
    def last_event_id(self) -> str | None:
        return self._stream.last_event_id

    @property
    def correlation_id(self) -> str | None:
        return self._stream.correlation_id

    def __enter__(self) -> SyncEventStream[T]:
        self._portal.call(self._stream.__aenter__(), context=self._context)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._portal.call(self._stream.__aexit__(kind, error, traceback), context=self._context)

    def __iter__(self) -> Iterator[ServerSentEvent[T]]:
        return SyncIterator(self._portal, self._stream.__aiter__(), self._context)

    def close(self) -> None:
        """Close the connection (idempotent); the iteration, if any, ends."""
        if not self._portal.closed:
            self._portal.call(self._stream.aclose(), context=self._context)


class SyncPaginator(Generic[ItemT, PageT]):
    """The blocking view of an ``AsyncPaginator`` (``<op>_iter``): ``for item in
    client.op_iter(...)`` or ``for page in client.op_iter(...).pages()``; every page is
    one call of the async pipeline on the client's loop."""

    __slots__ = ("_context", "_paginator", "_portal")

    def __init__(
        self,
        portal: Portal,
        paginator: AsyncPaginator[ItemT, PageT],
        context: contextvars.Context,
    ) -> None:
        self._portal = portal
        self._paginator = paginator
        self._context = context

    def __iter__(self) -> Iterator[ItemT]:
        return SyncIterator(self._portal, self._paginator.__aiter__(), self._context)

    def pages(self) -> Iterator[PageT]:
        return SyncIterator(self._portal, self._paginator.pages(), self._context)
