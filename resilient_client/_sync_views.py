"""Blocking views of an async iterator and an async context manager, through a ``Portal``.

Each step (``next``, enter, exit) is one call on the portal's loop, in one context shared
by all the steps, as they would share one task inside ``async for``/``async with``.
Generated sync clients reach them through ``SyncServiceClient._iterate`` and
``_context`` (pagination, event streams) and ``_stream_context`` (downloads).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from ._portal import Portal

T = TypeVar("T")
U = TypeVar("U")

_END: Any = object()


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


class SyncIterator(Generic[T]):
    """A blocking view of an async iterator, driven through a ``Portal``.

    ``close()`` (also called by ``with`` and when collected) closes the async iterator,
    so an async generator's ``finally`` runs even when the caller stops early.
    """

    def __init__(
        self, portal: Portal, iterator: AsyncIterator[T], context: contextvars.Context
    ) -> None:
        self._portal = portal
        self._iterator = iterator
        self._context = context
        self._finished = False

    def __iter__(self) -> SyncIterator[T]:
        return self

    def __next__(self) -> T:
        if self._finished:
            raise StopIteration
        try:
            item = self._portal.call(_await(anext(self._iterator, _END)), context=self._context)
        except BaseException:
            self._finished = True
            raise
        if item is _END:
            self._finished = True
            raise StopIteration
        result: T = item
        return result

    def close(self) -> None:
        if self._finished:
            return
        self._finished = True
        aclose = getattr(self._iterator, "aclose", None)
        if aclose is None or self._portal.closed:
            return
        if self._portal.in_loop_thread():
            # collected on the loop's own thread: it cannot wait for itself
            with contextlib.suppress(RuntimeError):
                asyncio.get_running_loop().create_task(aclose())
            return
        self._portal.call(aclose(), context=self._context)

    def __enter__(self) -> SyncIterator[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # nothing to report an error to at collection time
        with contextlib.suppress(Exception):
            self.close()


class SyncContextManager(AbstractContextManager[U], Generic[T, U]):
    """A blocking ``with`` over an async context manager, driven through a ``Portal``.

    Enter and exit run as tasks in one shared context, so a context manager that sets a
    contextvar on entry and resets it on exit works as in one ``async with``.
    """

    def __init__(
        self,
        portal: Portal,
        manager: AbstractAsyncContextManager[T],
        convert: Callable[[T, contextvars.Context], U],
        context: contextvars.Context,
    ) -> None:
        self._portal = portal
        self._manager = manager
        self._convert = convert
        self._context = context

    def __enter__(self) -> U:
        value = self._portal.call(_await(self._manager.__aenter__()), context=self._context)
        return self._convert(value, self._context)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        return self._portal.call(
            _await(self._manager.__aexit__(exc_type, exc, traceback)), context=self._context
        )
