"""Blocking clients: ``SyncServiceClient``, the base of every generated ``<Name>SyncClient``.

A sync client owns an instance of its async client and runs that client's coroutines
on a private event loop in a daemon thread (``_portal.Portal``), blocking the calling
thread for each answer. There is no second copy of the pipeline: retries, breaker,
cache, bulkhead, fallbacks, auth, redaction, metrics and decoding are the async
client's own code, and errors are the same classes (the same objects, even).

Generated code subclasses it with one method per operation::

    class MetadataStampingSyncClient(SyncServiceClient[MetadataStampingClient]):
        _async_class = MetadataStampingClient

        def get_stamp(self, file_hash: str, *, ..., **call_options) -> models.StampRecord:
            return self._call(self._async.get_stamp(file_hash, ..., **call_options))

Threads: many threads may share one sync client (its calls run concurrently on its
loop, bounded by the same pool and bulkhead); the client's state is read and changed
on the loop's thread only (``metrics()``, ``cache_stats()``, ``set_fallback``, and the
``circuit_breaker``/``bulkhead``/``retry_budget`` views of ``_sync_state``). A
sync client may be called from inside a running event loop (it blocks that loop while
it waits, so async code should use the async client). Fallbacks, auth callables and
event sinks run on the client's loop thread; they must not call the same sync client.
"""

from __future__ import annotations

import contextvars
import os
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator, Mapping
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from types import TracebackType
from typing import Any, ClassVar, Generic, ParamSpec, TypeAlias, TypeVar

import httpx

from ._auth import Auth
from ._cache import CacheStats
from ._client import BaseServiceClient
from ._config import ClientConfig, Fallback
from ._event_stream import EventStream
from ._exceptions import ClientError
from ._health import HealthStatus
from ._metrics import MetricsSnapshot
from ._paginate import AsyncPaginator
from ._portal import Portal
from ._raw import CAPTURE, Capture, RawResponse
from ._stream import DEFAULT_CHUNK_SIZE, StreamedResponse
from ._sync_events import SyncEventStream, SyncPaginator
from ._sync_state import SyncBulkheadView, SyncCircuitBreakerView, SyncRetryBudgetView
from ._sync_views import SyncIterator

A = TypeVar("A", bound=BaseServiceClient)
T = TypeVar("T")
U = TypeVar("U")
P = ParamSpec("P")

__all__ = [
    "SyncBulkheadView",
    "SyncCircuitBreakerView",
    "SyncEventStream",
    "SyncIterator",
    "SyncPaginator",
    "SyncRetryBudgetView",
    "SyncServiceClient",
    "SyncStreamContext",
    "SyncStreamedResponse",
]


class SyncServiceClient(Generic[A]):
    """Blocking client base: an async client ``A`` driven on a private event loop.

    Takes exactly the async client's constructor arguments. ``sleep=`` is still an
    async callable (it runs on the loop); an injected ``http_client`` must be an
    ``httpx.AsyncClient`` that nothing else uses, since it runs on that loop too.
    """

    #: the generated async client class this one drives
    _async_class: type[A]
    #: copied from ``_async_class`` (see ``BaseServiceClient``)
    service_name: ClassVar[str] = BaseServiceClient.service_name
    default_base_url: ClassVar[str | None] = None
    security_schemes: ClassVar[Mapping[str, str]] = {}
    security_requirements: ClassVar[tuple[tuple[str, ...], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        source = cls.__dict__.get("_async_class")
        if source is not None:
            cls.service_name = source.service_name
            cls.default_base_url = source.default_base_url
            cls.security_schemes = source.security_schemes
            cls.security_requirements = source.security_requirements

    def __init__(
        self,
        base_url: str | None = None,
        *,
        config: ClientConfig | None = None,
        http_client: httpx.AsyncClient | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        auth: Auth | str | tuple[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        if isinstance(http_client, httpx.Client):
            raise TypeError(
                "http_client must be an httpx.AsyncClient: the sync client runs the async "
                "pipeline on its own event loop"
            )
        self._async: A = self._async_class(
            base_url,
            config=config,
            http_client=http_client,
            timeout=timeout,
            max_retries=max_retries,
            auth=auth,
            headers=headers,
            clock=clock,
            sleep=sleep,
        )
        self._portal = Portal(name=type(self).__name__)
        # Collected without close(): close the pool and stop the thread anyway. Neither
        # argument refers back to self, so the finalizer does not keep it alive.
        self._finalizer = weakref.finalize(self, _shut_down, self._portal, self._async)

    def __repr__(self) -> str:
        return repr(self._async).replace(type(self._async).__name__, type(self).__name__, 1)

    # -- calls -----------------------------------------------------------------------

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run one of the async client's coroutines and block for its result."""
        return self._portal.call(coro)

    def _iterate(self, iterator: AsyncIterator[T]) -> SyncIterator[T]:
        """An async iterator of the async client (``<op>_iter``) as a blocking one."""
        return self._portal.iterate(iterator)

    def _context(
        self,
        manager: AbstractAsyncContextManager[T],
        convert: Callable[[T, contextvars.Context], U],
    ) -> AbstractContextManager[U]:
        """An async context manager of the async client as a blocking ``with``; ``convert``
        turns what it yields into its blocking view (``self._sync_iterator`` for an
        async iterator of events)."""
        return self._portal.wrap_context(manager, convert)

    def _event_stream(self, stream: EventStream[T]) -> SyncEventStream[T]:
        """An ``<op>_events`` stream (or an events-only method's connected stream) of the
        async client as a blocking one: ``with``, ``for``, ``close()``."""
        return SyncEventStream(self._portal, stream, contextvars.copy_context())

    def _paginated(self, paginator: AsyncPaginator[T, U]) -> SyncPaginator[T, U]:
        """An ``<op>_iter`` walk of the async client as a blocking one (items, ``pages()``)."""
        return SyncPaginator(self._portal, paginator, contextvars.copy_context())

    def _sync_iterator(
        self, iterator: AsyncIterator[T], context: contextvars.Context
    ) -> SyncIterator[T]:
        """A ``convert`` for ``_context``: the yielded async iterator, blocking."""
        return SyncIterator(self._portal, iterator, context)

    def _stream_context(
        self, manager: AbstractAsyncContextManager[StreamedResponse]
    ) -> SyncStreamContext:
        """An ``<op>_stream`` context of the async client as a blocking ``with``."""
        portal = self._portal
        return portal.wrap_context(
            manager, lambda response, context: SyncStreamedResponse(portal, response, context)
        )

    def with_raw_response(
        self, method: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
    ) -> RawResponse[T]:
        """Call ``method`` (one of this client's operations) and return its result with
        the HTTP status and headers it came from, as ``BaseServiceClient.with_raw_response``
        does: ``raw = client.with_raw_response(client.get_stamp, file_hash)``."""
        capture = Capture()
        # set in the calling thread's context, which every call copies onto the loop
        token = CAPTURE.set(capture)
        try:
            parsed = method(*args, **kwargs)
        finally:
            CAPTURE.reset(token)
        return RawResponse(
            parsed,
            capture.status_code,
            capture.headers,
            capture.url,
            capture.attempts,
            capture.correlation_id,
        )

    def health_check(self) -> HealthStatus:
        """Call the spec's health operation (else ``GET /health``) without raising on 5xx."""
        return self._call(self._async.health_check())

    # -- lifecycle -------------------------------------------------------------------

    def __enter__(self: T) -> T:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool (an injected ``http_client`` is left open) and stop
        the loop's thread. Idempotent; later calls raise ``ClientClosedError``."""
        self._finalizer.detach()
        _shut_down(self._portal, self._async)

    @property
    def closed(self) -> bool:
        return self._portal.closed or self._async.closed

    # -- configuration and observability (the async client's, read on its loop) -------

    @property
    def base_url(self) -> str:
        return self._async.base_url

    @property
    def config(self) -> ClientConfig:
        return self._async.config

    @property
    def circuit_breaker(self) -> SyncCircuitBreakerView:
        """The breaker, read and driven on the loop's thread (``state``, ``stats()``,
        ``reset()``...): the async client's own object is not safe from this thread."""
        return SyncCircuitBreakerView(self._portal, self._async.circuit_breaker)

    @property
    def retry_budget(self) -> SyncRetryBudgetView | None:
        budget = self._async.retry_budget
        return None if budget is None else SyncRetryBudgetView(self._portal, budget)

    @property
    def bulkhead(self) -> SyncBulkheadView | None:
        """The concurrency cap every thread's calls share (see ``BaseServiceClient``),
        its counters read on the loop's thread."""
        bulkhead = self._async.bulkhead
        return None if bulkhead is None else SyncBulkheadView(self._portal, bulkhead)

    def set_auth(self, auth: Auth | str | tuple[str, str] | None) -> None:
        """Switch credentials for every later call (see ``BaseServiceClient.set_auth``)."""
        self._portal.run_sync(lambda: self._async.set_auth(auth))

    def set_fallback(self, operation: str, fallback: Fallback | None) -> None:
        """See ``BaseServiceClient.set_fallback``; the fallback runs on the loop's thread."""
        self._portal.run_sync(lambda: self._async.set_fallback(operation, fallback))

    def metrics(self) -> MetricsSnapshot:
        return self._portal.run_sync(self._async.metrics)

    def cache_stats(self) -> CacheStats:
        return self._portal.run_sync(self._async.cache_stats)

    def clear_cache(self) -> None:
        self._portal.run_sync(self._async.clear_cache)


def _shut_down(portal: Portal, client: BaseServiceClient) -> None:
    portal.close(client.aclose() if portal.started else None)


class SyncStreamedResponse:
    """The blocking view of a ``StreamedResponse`` (inside ``with client.<op>_stream()``).

    ``iter_bytes()`` is a plain iterator and ``save_to(path)`` a plain call; each chunk
    is read on the client's loop, under the same idle timeout and stream deadline.
    """

    __slots__ = ("_context", "_portal", "_response")

    def __init__(
        self, portal: Portal, response: StreamedResponse, context: contextvars.Context
    ) -> None:
        self._portal = portal
        self._response = response
        self._context = context

    def __repr__(self) -> str:
        return repr(self._response).replace("StreamedResponse", "SyncStreamedResponse", 1)

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self._response.headers

    @property
    def content_type(self) -> str | None:
        return self._response.content_type

    @property
    def content_length(self) -> int | None:
        return self._response.content_length

    @property
    def correlation_id(self) -> str:
        return self._response.correlation_id

    @property
    def bytes_received(self) -> int:
        return self._response.bytes_received

    @property
    def complete(self) -> bool:
        return self._response.complete

    @property
    def failure(self) -> ClientError | None:
        """The error that ended the body early, if one did."""
        return self._response.failure

    def iter_bytes(self, chunk_size: int | None = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """The body in chunks of ``chunk_size`` bytes (the last may be shorter; None:
        each piece as it arrives); once."""
        chunks = self._response.iter_bytes(chunk_size)
        return SyncIterator(self._portal, chunks, self._context)

    def save_to(self, path: str | os.PathLike[str], *, chunk_size: int = DEFAULT_CHUNK_SIZE) -> int:
        """Write the body to ``path`` atomically and return the bytes written (see
        ``StreamedResponse.save_to``)."""
        return self._portal.call(
            self._response.save_to(path, chunk_size=chunk_size), context=self._context
        )


#: What a generated sync ``<operation>_stream`` method returns: use it with ``with``.
SyncStreamContext: TypeAlias = AbstractContextManager[SyncStreamedResponse]
