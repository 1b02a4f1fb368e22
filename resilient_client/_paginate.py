"""Walking an operation's pages: ``<name>_iter(...)`` returns an ``AsyncPaginator``.

``async for item in client.list_things_iter(limit=50)`` yields the items of every
page; ``async for page in client.list_things_iter().pages()`` yields the pages
themselves (typed with the operation's return type). Each page is one ordinary call of
the operation (``BaseServiceClient._request``), so retries, the breaker, the bulkhead,
the cache and fallbacks apply page by page, and one correlation id, resolved when the
walk starts, goes with every page.

One small strategy per style (``Pagination.style``) reads a page and gives the query
of the next one, or None at the end:

- ``cursor``: the page's next-cursor field goes into ``cursor_param``; the end is a
  missing or empty cursor or an empty page. A cursor that is an absolute URL (a
  "next" link in the body) is replayed like a ``Link`` header.
- ``has_more``: while the page's flag is true, the last item's ``cursor_field`` (its
  id) goes into ``cursor_param`` (Stripe's ``starting_after``, OpenAI's ``after``); a
  walk the caller started with ``ending_before``/``before`` goes backwards, the first
  item's id going into that parameter.
- ``link``: the ``Link`` header's ``rel="next"`` URL. Its query replaces the call's
  query and the request goes to the operation's own path on the client's base URL,
  never to the link's host, so credentials are never sent anywhere the client was not
  configured to call.
- ``offset``: ``cursor_param`` (the offset) advances by each page's item count; the end
  is an empty page (a short page is not trusted as the last: servers cap page sizes).
- ``page``: ``cursor_param`` (the page number) counts up from ``first_page``; the end
  is an empty page.

A walk whose next request would repeat one it already made raises
``PaginationLoopError`` instead of looping for ever; ``max_pages`` stops it early.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import parse_qsl, urlsplit
from uuid import UUID

import httpx

from ._correlation import resolve_correlation_id
from ._exceptions import ClientError
from ._operation import NotGiven

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT")

Style = Literal["cursor", "has_more", "link", "offset", "page"]
Query = dict[str, Any]
#: sends one page: (query, the walk's correlation id, whether the headers are needed)
#: -> (the decoded page, the response headers)
SendPage = Callable[[Query, str, bool], Awaitable[tuple[Any, httpx.Headers]]]


@dataclass(frozen=True, slots=True)
class Pagination(Generic[ItemT]):
    """How an operation's pages link up; generated code builds one per paging operation.

    Field names are the attributes the runtime reads from a decoded page (keys when the
    page is plain JSON); ``cursor_param`` is the wire name of a query parameter.
    ``ItemT`` is the item type ``<name>_iter`` yields; nothing reads it at run time.
    """

    style: Style
    #: the page's list of items; None when the page is the list
    items: str | None = None
    cursor_param: str | None = None
    next_cursor: str | None = None
    has_more: str | None = None
    cursor_field: str | None = None
    first_page: int = 1

    def items_of(self, page: Any) -> Sequence[ItemT]:
        found = page if self.items is None else _field(page, self.items)
        return found if isinstance(found, Sequence) and not isinstance(found, str) else ()


class PaginationLoopError(ClientError):
    """The server sent a next page that leads back to a request already made."""


def _field(obj: Any, path: str) -> Any:
    """``path``'s value (``metadata.continue_``: one attribute or key after another)."""
    for name in path.split("."):
        obj = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def _given(value: Any) -> bool:
    return value is not None and not isinstance(value, NotGiven)


def _number(value: Any, default: int) -> int:
    """An offset or page number the caller passed (or a link carried as text)."""
    return int(value) if _given(value) else default


def _query_of(url: str) -> Query:
    """The query of a next-page URL; a key given several times becomes a list."""
    query: Query = {}
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key in query:
            previous = query[key]
            query[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            query[key] = value
    return query


_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_NEXT = re.compile(r"""(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE)


def next_link(header: str | None) -> str | None:
    """The ``rel="next"`` target of a ``Link`` header (RFC 8288), or None."""
    for match in _LINK.finditer(header or ""):
        for rel in _NEXT.finditer(match.group(2)):
            if "next" in (rel.group(1) or rel.group(2) or "").lower().split():
                return match.group(1)
    return None


def _cursor(
    paging: Pagination[Any], page: Any, headers: httpx.Headers, query: Query
) -> Query | None:
    cursor = _field(page, paging.next_cursor or "")
    if not _given(cursor) or cursor == "" or not paging.items_of(page):
        return None
    if isinstance(cursor, str) and cursor.startswith(("http://", "https://")):
        return _query_of(cursor)
    return {**query, paging.cursor_param or "": cursor}


#: a walk started with the second parameter goes backwards (Stripe, OpenAI)
_BACKWARD = {"starting_after": "ending_before", "after": "before"}


def _has_more(
    paging: Pagination[Any], page: Any, headers: httpx.Headers, query: Query
) -> Query | None:
    items = paging.items_of(page)
    if _field(page, paging.has_more or "") is not True or not items:
        return None
    forward = paging.cursor_param or ""
    backward = _BACKWARD.get(forward)
    if backward is not None and _given(query.get(backward)) and not _given(query.get(forward)):
        # ending_before=X lists what precedes X: the next page precedes the first item
        # (as openai-python and stripe-python walk it)
        key, item = backward, items[0]
    else:
        key, item = forward, items[-1]
    cursor = _field(item, paging.cursor_field or "")
    return {**query, key: cursor} if _given(cursor) else None


def _link(paging: Pagination[Any], page: Any, headers: httpx.Headers, query: Query) -> Query | None:
    target = next_link(headers.get("link"))
    return None if target is None else _query_of(target)


def _offset(
    paging: Pagination[Any], page: Any, headers: httpx.Headers, query: Query
) -> Query | None:
    count = len(paging.items_of(page))
    if not count:
        return None
    key = paging.cursor_param or "offset"
    return {**query, key: _number(query.get(key), 0) + count}


def _page(paging: Pagination[Any], page: Any, headers: httpx.Headers, query: Query) -> Query | None:
    if not paging.items_of(page):
        return None
    key = paging.cursor_param or "page"
    return {**query, key: _number(query.get(key), paging.first_page) + 1}


_STRATEGIES = {
    "cursor": _cursor,
    "has_more": _has_more,
    "link": _link,
    "offset": _offset,
    "page": _page,
}


def _request_key(query: Query) -> str:
    return repr(sorted((k, v) for k, v in query.items() if _given(v)))


class AsyncPaginator(Generic[ItemT, PageT]):
    """The items of every page (``async for item in paginator``), or the pages
    (``async for page in paginator.pages()``). Nothing is sent until iteration starts;
    each iteration is a new walk from the first page."""

    def __init__(
        self,
        paging: Pagination[ItemT],
        send: SendPage,
        query: Mapping[str, Any],
        *,
        operation: str,
        max_pages: int | None,
        correlation_id: str | UUID | None = None,
    ) -> None:
        if max_pages is not None and max_pages < 1:
            raise ValueError(f"max_pages must be at least 1, not {max_pages!r}")
        self._paging = paging
        self._send = send
        self._query: Query = dict(query)
        self._operation = operation
        self._max_pages = max_pages
        self._correlation_id = correlation_id

    def __aiter__(self) -> AsyncIterator[ItemT]:
        return self._items()

    async def _items(self) -> AsyncIterator[ItemT]:
        async for page in self.pages():
            for item in self._paging.items_of(page):
                yield item

    def pages(self) -> AsyncIterator[PageT]:
        """Each page as the operation returns it (``max_pages`` applies)."""
        return self._pages()

    async def _pages(self) -> AsyncIterator[PageT]:
        paging, strategy = self._paging, _STRATEGIES[self._paging.style]
        query = self._query
        sent = {_request_key(query)}
        count = 0
        # resolved here, as the walk starts: inside the caller's correlation_scope
        walk_id = resolve_correlation_id(self._correlation_id)
        while True:
            page, headers = await self._send(query, walk_id, paging.style == "link")
            count += 1
            yield page
            if self._max_pages is not None and count >= self._max_pages:
                return
            following = strategy(paging, page, headers, query)
            if following is None:
                return
            key = _request_key(following)
            if key in sent:
                raise PaginationLoopError(
                    f"page {count + 1} would repeat an earlier request ({paging.style} "
                    "pagination); the server's next page leads back",
                    operation=self._operation,
                    correlation_id=walk_id,
                )
            sent.add(key)
            query = following
