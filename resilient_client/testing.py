"""Typed mocks of generated clients, for users' own tests (needs ``respx``).

Each generated package ships ``<pkg>/testing.py`` with a ``Mock<Name>Client``: one
attribute per operation, typed with the operation's models, so a team tests its own
code against the real client without writing a URL::

    from metadata_stamping_client.testing import MockMetadataStampingClient

    with MockMetadataStampingClient() as mock:
        mock.get_stamp.returns(GetStampData(...))
        mock.create_stamp.fails(503, times=2).returns(CreateStampData(...))
        await code_under_test(MetadataStampingClient())   # the real client, mocked HTTP
        assert mock.create_stamp.call_count == 3

``returns`` serialises the model as the server would (by alias, JSON mode, wrapped in
the spec's ``x-envelope`` when the operation has one); ``fails(status, times=N)``
answers the first N calls with that status (then what ``returns`` set, or the failure
forever without ``times``); ``returns_pages(page1, page2, ...)`` answers the next calls
one page each, for code that walks ``<operation>_iter``; ``returns_events(*events)``
answers a ``text/event-stream`` (for ``<name>_events``; an operation answering JSON or
events keeps both, and each request gets the one its Accept asks for). Every call goes through the real
client pipeline: retries, breaker, cache and decoding behave as against a server.

This module imports respx, a test dependency: the runtime itself never imports it.
"""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar

import httpx
import respx
from pydantic import TypeAdapter

from ._operation import Operation
from ._sse import ServerSentEvent

T = TypeVar("T")

_PARAM = re.compile(r"\{[^{}]+\}")


class MockedOperation(Generic[T]):
    """The mocked answers of one operation (see the module docstring)."""

    def __init__(self, router: respx.MockRouter, base_url: str, operation: Operation[T]) -> None:
        self._operation = operation
        self._base_url = base_url.rstrip("/")
        pattern = "".join(
            re.escape(part) if i % 2 == 0 else "[^/?]+"
            for i, part in enumerate(_split(operation.path))
        )
        self._route = router.route(
            method=operation.method,
            url__regex=f"^{re.escape(base_url.rstrip('/'))}{pattern}(?:\\?.*)?$",
        )
        self._answer: httpx.Response | None = None
        #: what a request asking for ``text/event-stream`` gets (``returns_events``): an
        #: operation answering JSON or events is told apart by Accept, as a server does
        self._events_answer: httpx.Response | None = None
        #: answers for the next calls, in order (failures, pages), before ``_answer``
        self._failures: list[httpx.Response] = []
        self._route.side_effect = self._respond

    def returns(
        self, value: T, *, status: int = 200, headers: dict[str, str] | None = None
    ) -> MockedOperation[T]:
        """Answer with ``value`` (the operation's own result type) from now on."""
        self._answer = self._response(value, status, headers)
        return self

    def returns_pages(self, *pages: T, links: bool = False) -> MockedOperation[T]:
        """Answer the next calls with ``pages``, one each, in order: a walk of
        ``<operation>_iter``. The last page must end the walk as the server's would
        (``has_more`` false, no next cursor, or an empty list for offset and page
        numbers). ``links=True`` adds a ``Link: <...>; rel="next"`` header to every page
        but the last, as GitHub does."""
        for index, page in enumerate(pages):
            last = index == len(pages) - 1
            link = f'<{self._base_url}/?page={index + 2}>; rel="next"'
            self._failures.append(
                self._response(page, 200, None if last or not links else {"Link": link})
            )
        return self

    def _response(self, value: Any, status: int, headers: dict[str, str] | None) -> httpx.Response:
        envelope = self._operation.envelope
        payload: Any = TypeAdapter(Any).dump_python(value, mode="json", by_alias=True)
        if envelope is not None:
            payload = {
                envelope.status_field: envelope.success[0],
                envelope.data_field: payload,
                envelope.error_field: None,
            }
        return httpx.Response(status, json=payload, headers=headers)

    def returns_events(
        self, *events: Any, status: int = 200, headers: dict[str, str] | None = None
    ) -> MockedOperation[T]:
        """Answer with a ``text/event-stream`` of ``events`` (for ``<name>_events``): each
        a ``ServerSentEvent`` (its event name, id and retry are sent too), a ``str``
        (sent as the data) or any other value, a model included (sent as JSON data)."""
        blocks = [_event_block(event) for event in events]
        self._events_answer = httpx.Response(
            status,
            content="".join(blocks).encode(),
            headers={"content-type": "text/event-stream", **(headers or {})},
        )
        return self

    def fails(
        self,
        status: int,
        *,
        times: int | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> MockedOperation[T]:
        """Answer the next ``times`` calls (every call: None) with an error status."""
        response = httpx.Response(status, json=json, headers=headers)
        if times is None:
            self._answer = response
        else:
            self._failures.extend(
                httpx.Response(status, json=json, headers=headers) for _ in range(times)
            )
        return self

    @property
    def calls(self) -> list[httpx.Request]:
        """The requests this operation received, in order."""
        return [call.request for call in self._route.calls]

    @property
    def call_count(self) -> int:
        return self._route.call_count

    def _respond(self, request: httpx.Request) -> httpx.Response:
        if self._failures:
            return self._failures.pop(0)
        answer = self._answer
        wants_events = "text/event-stream" in request.headers.get("accept", "")
        # by Accept, as the real client asks (``<op>_events`` for events, the plain method
        # of an operation that also answers JSON for JSON); else whichever was set
        if (wants_events or answer is None) and self._events_answer is not None:
            answer = self._events_answer
        if answer is None:
            raise AssertionError(
                f"{self._operation.name} was called ({request.method} {request.url}) but the "
                "mock has no answer for it: call .returns(...) or .fails(...) first"
            )
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)


def _event_block(event: Any) -> str:
    lines: list[str] = []
    if isinstance(event, ServerSentEvent):
        if event.event != "message":
            lines.append(f"event: {event.event}")
        if event.id is not None:
            lines.append(f"id: {event.id}")
        if event.retry is not None:
            lines.append(f"retry: {event.retry}")
        data = event.raw_data or _event_data(event.data)
    else:
        data = _event_data(event)
    lines += [f"data: {line}" for line in data.split("\n")]
    return "\n".join(lines) + "\n\n"


def _event_data(value: Any) -> str:
    if isinstance(value, str):
        return value
    return TypeAdapter(Any).dump_json(value, by_alias=True).decode()


def _split(path: str) -> list[str]:
    """``/a/{x}/b`` -> ``["/a/", "{x}", "/b"]``: literal parts at even positions."""
    parts: list[str] = []
    last = 0
    for match in _PARAM.finditer(path):
        parts += [path[last : match.start()], match.group()]
        last = match.end()
    return [*parts, path[last:]]


class MockClient:
    """Base of the generated ``Mock<Name>Client``: a respx router for one base URL."""

    default_base_url: ClassVar[str | None] = None

    def __init__(self, base_url: str | None = None) -> None:
        resolved = base_url or self.default_base_url
        if not resolved:
            raise ValueError(f"{type(self).__name__} needs a base_url (the spec has no server)")
        self.base_url = resolved.rstrip("/")
        self.router = respx.mock(assert_all_called=False, assert_all_mocked=True)
        self._operations: dict[str, MockedOperation[Any]] = {}

    def _mocked(self, operation: Operation[T]) -> MockedOperation[T]:
        mocked = self._operations.get(operation.name)
        if mocked is None:
            mocked = MockedOperation(self.router, self.base_url, operation)
            self._operations[operation.name] = mocked
        return mocked

    def __enter__(self: _M) -> _M:
        self.router.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.router.__exit__(kind, error, traceback)


_M = TypeVar("_M", bound=MockClient)
