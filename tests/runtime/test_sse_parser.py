"""The ``text/event-stream`` parser against the WHATWG rules, fed in any chunking."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resilient_client import ResponseTooLargeError
from resilient_client._sse import RawEvent, SSEDecoder


def parse(*chunks: bytes, limit: int | None = None) -> tuple[list[RawEvent], SSEDecoder]:
    decoder = SSEDecoder(limit)
    events: list[RawEvent] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    return events, decoder


def test_data_lines_join_with_newlines_and_the_default_type_is_message() -> None:
    events, _ = parse(b"data: first\ndata:second\ndata:  two spaces\n\n")
    assert events == [RawEvent("message", "first\nsecond\n two spaces", None, None)]


def test_event_id_and_retry_fields() -> None:
    events, decoder = parse(b"event: tick\nid: 7\nretry: 2500\ndata: {}\n\n")
    assert events == [RawEvent("tick", "{}", "7", 2500)]
    assert decoder.retry == 2500
    assert decoder.last_event_id == "7"


def test_the_last_event_id_persists_until_changed_and_an_empty_id_resets_it() -> None:
    events, decoder = parse(b"id: a\ndata: 1\n\ndata: 2\n\nid\ndata: 3\n\n")
    assert [e.id for e in events] == ["a", "a", None]
    assert decoder.last_event_id == ""


def test_an_id_containing_nul_is_ignored() -> None:
    events, decoder = parse(b"id: good\ndata: 1\n\nid: b\x00ad\ndata: 2\n\n")
    assert [e.id for e in events] == ["good", "good"]
    assert decoder.last_event_id == "good"


def test_an_id_counts_once_its_block_ends_even_without_data() -> None:
    events, decoder = parse(b"id: 1\ndata: a\n\nid: 2\n\nid: 3\ndata: cut off")
    assert [e.id for e in events] == ["1"]
    assert decoder.last_event_id == "2"  # 3's event never arrived whole


def test_retry_must_be_ascii_digits_only() -> None:
    _, decoder = parse(b"retry: 10s\n\nretry: -5\n\nretry: \xd9\xa3\n\nretry:\n\n")
    assert decoder.retry is None
    _, decoder = parse(b"retry: 15\n\n")  # without data: no event, but the time is set
    assert decoder.retry == 15


def test_comments_unknown_fields_and_blocks_without_data_dispatch_nothing() -> None:
    events, _ = parse(b": keep-alive\n\nfoo: bar\n\nevent: lonely\n\ndata: x\n\n")
    # the "lonely" type does not leak into the next event: a dispatch resets it
    assert events == [RawEvent("message", "x", None, None)]


def test_an_empty_data_line_is_an_event_with_empty_data() -> None:
    events, _ = parse(b"data\n\ndata:\n\n")
    assert [e.data for e in events] == ["", ""]


def test_a_field_without_colon_and_only_one_leading_space_removed() -> None:
    events, _ = parse(b"event:x\ndata:a: b\n\n")
    assert events == [RawEvent("x", "a: b", None, None)]


@pytest.mark.parametrize("newline", [b"\n", b"\r", b"\r\n"])
def test_every_line_ending(newline: bytes) -> None:
    body = newline.join([b"event: e", b"data: 1", b"data: 2", b"", b"data: 3", b"", b""])
    events, _ = parse(body)
    assert [(e.event, e.data) for e in events] == [("e", "1\n2"), ("message", "3")]


def test_a_bom_is_dropped_at_the_start_only() -> None:
    events, _ = parse(b"\xef\xbb\xbfdata: 1\n\n", b"\xef\xbb\xbfdata: 2\n\n")
    # the second BOM is part of a field name ("\ufeffdata"), an unknown field
    assert [e.data for e in events] == ["1"]


def test_a_trailing_incomplete_event_is_not_dispatched() -> None:
    events, _ = parse(b"data: done\n\ndata: half")
    assert [e.data for e in events] == ["done"]
    events, _ = parse(b"data: done\n\ndata: no blank line\n")
    assert [e.data for e in events] == ["done"]


def test_invalid_utf8_becomes_the_replacement_character() -> None:
    events, _ = parse(b"data: a\xffb\n\n")
    assert events[0].data == "a\ufffdb"


def test_one_event_larger_than_the_limit_raises() -> None:
    with pytest.raises(ResponseTooLargeError) as caught:
        parse(b"data: " + b"x" * 40 + b"\n", b"data: " + b"y" * 40 + b"\n", limit=64)
    assert caught.value.limit == 64
    with pytest.raises(ResponseTooLargeError):  # a line that never ends
        parse(*[b"z" * 30] * 3, limit=64)


def test_the_limit_is_per_event_not_per_stream() -> None:
    body = b"".join(b"data: " + b"x" * 40 + b"\n\n" for _ in range(100))
    events, _ = parse(body, limit=64)
    assert len(events) == 100


# -- any chunking gives the same events ----------------------------------------------

_field_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\r\n"),
    max_size=12,
)
_line = st.one_of(
    _field_text.map(lambda v: f"data: {v}"),
    _field_text.map(lambda v: f"data:{v}"),
    _field_text.map(lambda v: f"event: {v}"),
    _field_text.map(lambda v: f"id: {v}"),
    st.integers(0, 10_000).map(lambda v: f"retry: {v}"),
    _field_text.map(lambda v: f": {v}"),
    st.just("data"),
    st.just(""),
)


@st.composite
def _streams(draw: st.DrawFn) -> tuple[bytes, list[int]]:
    lines = draw(st.lists(_line, max_size=30))
    endings = draw(st.lists(st.sampled_from(["\n", "\r", "\r\n"]), min_size=len(lines)))
    bom = "\ufeff" if draw(st.booleans()) else ""
    text = bom + "".join(line + end for line, end in zip(lines, endings, strict=False))
    body = text.encode("utf-8")
    cuts = draw(st.lists(st.integers(0, len(body)), max_size=12))
    return body, sorted(cuts)


def reference(body: bytes) -> tuple[list[RawEvent], str]:
    """The standard's algorithm written plainly over the whole body, as an oracle."""
    text = body.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = re.split(r"\r\n|\r|\n", text)[:-1]  # what follows the last line end never ends
    events: list[RawEvent] = []
    data, event_type, id_buffer, last_id, retry = "", "", "", "", None
    for line in lines:
        if line == "":
            last_id = id_buffer
            if data:
                events.append(RawEvent(event_type or "message", data[:-1], last_id or None, retry))
            data, event_type, retry = "", "", None
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            data += value + "\n"
        elif name == "event":
            event_type = value
        elif name == "id" and "\0" not in value:
            id_buffer = value
        elif name == "retry" and value and all("0" <= c <= "9" for c in value):
            retry = int(value)
    return events, last_id


@settings(max_examples=300, deadline=None)
@given(_streams())
def test_chunk_boundaries_anywhere_give_the_same_events(stream: tuple[bytes, list[int]]) -> None:
    body, cuts = stream
    whole, whole_decoder = parse(body)
    edges = [0, *cuts, len(body)]
    chunks = [body[a:b] for a, b in itertools.pairwise(edges)]
    split, split_decoder = parse(*chunks)
    one_byte, _ = parse(*[body[i : i + 1] for i in range(len(body))])
    assert (whole, whole_decoder.last_event_id) == reference(body)
    assert split == whole
    assert one_byte == whole
    assert split_decoder.last_event_id == whole_decoder.last_event_id
    assert split_decoder.retry == whole_decoder.retry


def test_a_cr_at_the_end_of_one_chunk_and_lf_at_the_start_of_the_next_are_one_line_end() -> None:
    events, _ = parse(b"data: 1\r", b"\ndata: 2\r", b"\n\r", b"\n")
    assert [e.data for e in events] == ["1\n2"]


def test_a_retry_too_long_for_int_is_a_long_wait_not_a_crash() -> None:
    # Python refuses int() of more than 4300 digits (ValueError, outside ClientError);
    # any such value asks for longer than max_reconnect_delay, which caps it anyway
    events, decoder = parse(b"retry: " + b"9" * 5000 + b"\ndata: x\n\n")
    assert [e.data for e in events] == ["x"]
    assert decoder.retry is not None and decoder.retry >= 10**15
