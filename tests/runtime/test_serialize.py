"""Request serialisation: path encoding, parameter styles, bodies."""

from __future__ import annotations

import datetime as dt
import enum
import io
import json
import uuid
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest
import respx
from pydantic import BaseModel, Field
from runtime_helpers import ItemClient

from resilient_client import Operation, ParamStyle, ResponseSpec
from resilient_client._serialize import PathTemplate, query_pairs, scalar_text, simple_text


class Color(enum.Enum):
    RED = "red"


class Body(BaseModel):
    file_path: str = Field(alias="filePath")
    note: str | None = None
    when: dt.datetime


def test_scalars() -> None:
    assert scalar_text(True) == "true"
    assert scalar_text(False) == "false"
    assert scalar_text(Color.RED) == "red"
    assert scalar_text(dt.date(2024, 1, 2)) == "2024-01-02"
    assert scalar_text(Decimal("1.50")) == "1.50"
    u = uuid.UUID(int=1)
    assert scalar_text(u) == str(u)


def test_path_values_are_percent_encoded() -> None:
    template = PathTemplate("/stamp/{hash}/x")
    assert template.format({"hash": "a/b c?"}, {}) == "/stamp/a%2Fb%20c%3F/x"


def test_missing_path_value_is_an_error() -> None:
    with pytest.raises(ValueError, match="hash"):
        PathTemplate("/stamp/{hash}").format({}, {})


@pytest.mark.parametrize(
    ("style", "value", "expected"),
    [
        (ParamStyle("simple", False), [1, 2], "/p/1,2"),
        (ParamStyle("label", False), [1, 2], "/p/.1,2"),
        (ParamStyle("label", True), [1, 2], "/p/.1.2"),
        (ParamStyle("matrix", False), [1, 2], "/p/;id=1,2"),
        (ParamStyle("matrix", True), [1, 2], "/p/;id=1;id=2"),
        (ParamStyle("simple", True), {"a": 1, "b": "x"}, "/p/a=1,b=x"),
        (ParamStyle("simple", False), {"a": 1}, "/p/a,1"),
    ],
)
def test_path_styles(style: ParamStyle, value: object, expected: str) -> None:
    assert PathTemplate("/p/{id}").format({"id": value}, {"id": style}) == expected


@pytest.mark.parametrize(
    ("style", "value", "expected"),
    [
        (None, [1, 2], [("q", "1"), ("q", "2")]),
        (ParamStyle("form", False), [1, 2], [("q", "1,2")]),
        (ParamStyle("spaceDelimited", False), ["a", "b"], [("q", "a b")]),
        (ParamStyle("pipeDelimited", False), ["a", "b"], [("q", "a|b")]),
        (ParamStyle("deepObject", True), {"a": 1, "b": True}, [("q[a]", "1"), ("q[b]", "true")]),
        (None, {"a": 1}, [("a", "1")]),
        (ParamStyle("form", False), {"a": 1, "b": 2}, [("q", "a,1,b,2")]),
        (None, True, [("q", "true")]),
    ],
)
def test_query_styles(
    style: ParamStyle | None, value: object, expected: list[tuple[str, str]]
) -> None:
    assert query_pairs("q", value, style) == expected


def test_header_values() -> None:
    assert simple_text([1, 2]) == "1,2"
    assert simple_text(False) == "false"
    assert simple_text({"a": 1}, ParamStyle("simple", True)) == "a=1"


async def test_request_serialises_query_headers_cookies_and_json_body() -> None:
    op: Operation[None] = Operation(
        "post_it",
        "POST",
        "/things/{id}",
        responses={"204": ResponseSpec("empty")},
        request_content_type="application/json",
        param_styles={"tags": ParamStyle("pipeDelimited", False)},
    )
    when = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    with respx.mock(base_url="http://svc.test/api") as router:
        route = router.post("/things/a%2Fb").respond(204)
        async with ItemClient() as client:
            result = await client._request(
                op,
                path_params={"id": "a/b"},
                query={"tags": ["x", "y"], "flag": False, "skip": None, "color": Color.RED},
                headers={"X-Trace": True, "X-None": None},
                cookies={"session_pref": "dark"},
                json={"body": Body(filePath="/f", when=when), "n": Decimal("2.5")},
            )
    assert result is None
    request = route.calls.last.request
    assert request.url.params.multi_items() == [
        ("tags", "x|y"),
        ("flag", "false"),
        ("color", "red"),
    ]
    assert request.headers["x-trace"] == "true"
    assert "x-none" not in request.headers
    assert request.headers["cookie"] == "session_pref=dark"
    assert request.headers["content-type"] == "application/json"
    payload = json.loads(request.content)
    assert payload == {
        "body": {"filePath": "/f", "when": "2024-05-06T07:08:09Z"},
        "n": "2.5",
    }


async def test_multipart_files_and_form_fields() -> None:
    op: Operation[None] = Operation(
        "upload",
        "POST",
        "/hash",
        responses={"204": ResponseSpec("empty")},
        request_content_type="multipart/form-data",
    )
    with respx.mock(base_url="http://svc.test/api") as router:
        route = router.post("/hash").respond(204)
        async with ItemClient() as client:
            await client._request(
                op,
                data={"namespace": "ns", "count": 3},
                files={
                    "raw": b"abc",
                    "obj": io.BytesIO(b"defg"),
                    "tup": ("report.txt", b"hij", "text/plain"),
                },
            )
    request = route.calls.last.request
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = request.content
    for piece in (
        b'name="namespace"',
        b"ns",
        b'name="count"',
        b"abc",
        b"defg",
        b'filename="report.txt"',
        b"Content-Type: text/plain",
        b"hij",
    ):
        assert piece in body


async def test_multipart_list_of_files_and_form_only_multipart() -> None:
    op: Operation[None] = Operation(
        "upload",
        "POST",
        "/hash",
        responses={"204": ResponseSpec("empty")},
        request_content_type="multipart/form-data",
    )
    with respx.mock(base_url="http://svc.test/api") as router:
        route = router.post("/hash").respond(204)
        async with ItemClient() as client:
            # an OpenAPI array of binary: several parts under one name; None is "not given"
            await client._request(
                op, files={"docs": [b"first", ("b.txt", b"second")], "skipped": None}
            )
            many = route.calls.last.request
            # declared multipart with no file given is still multipart, not urlencoded
            await client._request(op, data={"namespace": "ns"}, files={"file": None})
            form_only = route.calls.last.request
    assert many.content.count(b'name="docs"') == 2
    assert b"first" in many.content and b"second" in many.content
    assert b'name="skipped"' not in many.content
    assert form_only.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="namespace"' in form_only.content and b"ns" in form_only.content


async def test_urlencoded_form_and_raw_content() -> None:
    form_op: Operation[None] = Operation(
        "form",
        "POST",
        "/form",
        responses={"204": ResponseSpec("empty")},
        request_content_type="application/x-www-form-urlencoded",
    )
    raw_op: Operation[None] = Operation(
        "raw",
        "PUT",
        "/raw",
        responses={"204": ResponseSpec("empty")},
        request_content_type="application/octet-stream",
    )
    with respx.mock(base_url="http://svc.test/api") as router:
        form_route = router.post("/form").respond(204)
        raw_route = router.put("/raw").respond(204)
        async with ItemClient() as client:
            await client._request(form_op, data={"a": True, "b": None, "c": [1, 2]})
            await client._request(raw_op, content=b"\x00bin")
    assert form_route.calls.last.request.content == b"a=true&c=1&c=2"
    raw = raw_route.calls.last.request
    assert raw.content == b"\x00bin"
    assert raw.headers["content-type"] == "application/octet-stream"


async def test_json_null_body_is_sent_but_no_body_is_not() -> None:
    op: Operation[None] = Operation("n", "POST", "/n", responses={"204": ResponseSpec("empty")})
    with respx.mock(base_url="http://svc.test/api") as router:
        route = router.post("/n").respond(204)
        async with ItemClient() as client:
            await client._request(op, json=None)
            await client._request(op)
    assert route.calls[0].request.content == b"null"
    assert route.calls[1].request.content == b""
    assert isinstance(route.calls[1].request, httpx.Request)


async def test_multipart_body_is_identical_on_every_attempt(
    make_client: Callable[..., ItemClient],
) -> None:
    op: Operation[None] = Operation(
        "upload",
        "POST",
        "/hash",
        responses={"204": ResponseSpec("empty")},
        request_content_type="multipart/form-data",
    )
    with respx.mock(base_url="http://svc.test/api") as router:
        route = router.post("/hash")
        route.side_effect = [httpx.Response(503), httpx.Response(204)]
        client = make_client()
        await client._request(
            op, files={"file": io.BytesIO(b"payload-bytes")}, idempotency_key="k-1"
        )
    first, second = (call.request for call in route.calls)
    assert first.content == second.content
    assert b"payload-bytes" in second.content
    assert first.headers["content-type"] == second.headers["content-type"]
