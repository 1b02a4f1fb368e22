"""Server-sent events: an incremental ``text/event-stream`` parser (WHATWG HTML, 9.2).

``SSEDecoder.feed(chunk)`` takes body bytes exactly as they arrive, split anywhere (in
the middle of a line, of a CRLF pair or of a UTF-8 sequence), and returns the events
completed so far. The rules are the standard's: lines end with CRLF, LF or CR; a BOM
at the start of the stream is dropped; ``:`` starts a comment; ``data:`` lines are
joined with "\\n"; ``event:`` names the event (default ``message``); ``id:`` sets the
last event id once its event is dispatched (one containing NUL is ignored) and it
persists to later events; ``retry:``
(ASCII digits only) sets the reconnection time in milliseconds; a blank line dispatches
the event, unless no ``data`` came; an unfinished event at the end of the stream is
discarded (``SSEDecoder`` simply never sees its blank line).

A stream has no total size, but one event must fit in memory: ``max_event_bytes``
bounds the data of one event plus the line being read, so a server that never sends a
blank line (or a line end) cannot grow the buffers without limit.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Generic, TypeVar

from ._transport import too_large

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ServerSentEvent(Generic[T]):
    """One dispatched event. ``data`` is the event's data decoded into the spec's type
    (the raw text when the spec gives the stream no schema); ``raw_data`` is the text as
    sent. ``id`` is the stream's last event id when the event was dispatched (None when
    none was set), ``retry`` the reconnection time (ms) this event's lines gave, if any.
    """

    event: str
    data: T
    raw_data: str = ""
    id: str | None = None
    retry: int | None = None


#: the ``retry:`` (ms) kept for a longer value: some 30,000 years, past any cap
_LONGEST_RETRY = 10**15


@dataclass(frozen=True, slots=True)
class RawEvent:
    """An event as parsed, before its data is decoded."""

    event: str
    data: str
    id: str | None
    retry: int | None


class SSEDecoder:
    """Feed body bytes in, get completed ``RawEvent`` values out (see the module doc)."""

    __slots__ = (
        "_data",
        "_data_size",
        "_decoder",
        "_event",
        "_id_buffer",
        "_last_id",
        "_limit",
        "_line",
        "_line_size",
        "_pending_cr",
        "_retry",
        "_started",
        "retry",
    )

    def __init__(
        self,
        max_event_bytes: int | None = None,
        *,
        last_event_id: str = "",
        retry: int | None = None,
    ) -> None:
        """``last_event_id`` and ``retry``: what a previous connection of the same stream
        ended with (the standard keeps both across reconnects; every buffer starts empty)."""
        # errors="replace": the standard decodes the stream as UTF-8 with U+FFFD for
        # invalid sequences rather than failing the stream.
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._limit = max_event_bytes
        self._line: list[str] = []  # the pieces of the line not ended yet
        self._line_size = 0
        self._pending_cr = False  # the last chunk ended in CR: an LF next is its pair
        self._started = False  # the BOM check is done
        self._data: list[str] = []
        self._data_size = 0
        self._event = ""
        self._retry: int | None = None  # a retry: line in the event being read
        # An id line fills the buffer; only a dispatch (a blank line) makes it the
        # stream's last event id, so the id of an event cut off half-way is not
        # reported as received (nor sent as Last-Event-ID on a reconnect).
        self._id_buffer = self._last_id = last_event_id
        #: the latest reconnection time (ms) a ``retry:`` line gave; None until one does
        self.retry = retry

    @property
    def last_event_id(self) -> str:
        """The last event id the stream set ("" when none): what a reconnect sends."""
        return self._last_id

    def feed(self, chunk: bytes) -> list[RawEvent]:
        text = self._decoder.decode(chunk)
        return self._text(text) if text else []

    def _text(self, text: str) -> list[RawEvent]:
        if not self._started:
            self._started = True
            if text.startswith("\ufeff"):
                text = text[1:]
        if self._pending_cr:
            self._pending_cr = False
            if text.startswith("\n"):
                text = text[1:]  # the LF of a CRLF cut between two chunks
        if "\r" in text:
            # A CR ending the chunk ends a line now; an LF starting the next is its pair.
            self._pending_cr = text.endswith("\r")
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        # str.split does the scanning in C: several times faster than a find() per line
        # on a chunk holding many events
        lines = text.split("\n")
        rest = lines.pop()  # what follows the last line end: a line not ended yet
        events: list[RawEvent] = []
        if lines:
            if self._line:
                self._line.append(lines[0])
                lines[0] = "".join(self._line)
                self._line.clear()
                self._line_size = 0
            for line in lines:
                event = self._process(line)
                if event is not None:
                    events.append(event)
        if rest:
            self._line.append(rest)
            self._line_size += len(rest)
            self._check_size()
        return events

    def _check_size(self) -> None:
        if self._limit is None:
            return
        if self._data_size + self._line_size > self._limit:
            raise too_large(self._limit, "one server-sent event grew past it without ending")

    def _process(self, line: str) -> RawEvent | None:
        if not line:
            return self._dispatch()
        if line[0] == ":":
            return None  # a comment (servers send them as keep-alives)
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
            self._data_size += len(value) + 1
            self._check_size()
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._id_buffer = value
        elif name == "retry" and value.isascii() and value.isdigit():  # "" is not digits
            # int() refuses more than 4300 digits; such a wait is capped by the client
            # (max_reconnect_delay) anyway
            self._retry = self.retry = int(value) if len(value) <= 15 else _LONGEST_RETRY
        return None  # any other field is ignored, as the standard says

    def _dispatch(self) -> RawEvent | None:
        self._last_id = self._id_buffer  # even for a block without data, as the standard says
        retry, self._retry = self._retry, None
        event, self._event = self._event, ""
        if not self._data:
            return None  # a block without data (only event:, id: or retry:) dispatches nothing
        data = "\n".join(self._data)
        self._data.clear()
        self._data_size = 0
        return RawEvent(event or "message", data, self._last_id or None, retry)
