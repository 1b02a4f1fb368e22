"""What goes on the wire is what the caller meant, and what comes back is what the method
says it returns.

- ``NOT_GIVEN`` (the default of every optional argument) puts nothing on the wire, in a
  JSON body, the query, headers, cookies and form fields alike;
- ``None`` in a JSON body is ``null`` (the only way to clear a nullable field); where a
  location cannot say null (query, header, cookie, form) it is left out;
- a pydantic model body sends only the fields that were set (``exclude_unset``);
- an undeclared 2xx is decoded as the one declared success type, or refused;
- an error body that does not fit its model leaves ``exc.model`` empty and shows an
  excerpt of the server's words, credentials masked.
"""

from __future__ import annotations

import copy
import json
import logging
import pickle
from typing import Any

import pytest
import respx
from pydantic import BaseModel, ConfigDict, Field
from runtime_helpers import ItemClient

from resilient_client import (
    NOT_GIVEN,
    NotGiven,
    Operation,
    ResponseSpec,
    ResponseValidationError,
    UnprocessableEntityError,
)


class Flow(BaseModel):
    id: int
    name: str


class Schedule(BaseModel):
    interval: int = 60
    active: bool = True


class DeploymentUpdate(BaseModel):
    description: str | None = None
    paused: bool = False
    schedule: Schedule | None = None
    tags: list[str] = Field(default_factory=list, alias="tagList")


class ValidationIssue(BaseModel):
    loc: list[str] | None = None
    msg: str | None = None


class HTTPValidationError(BaseModel):  # FastAPI's: every field optional
    model_config = ConfigDict(extra="allow")  # as generated models are

    detail: list[ValidationIssue] | None = None


PATCH: Operation[None] = Operation(
    "update_deployment",
    "PATCH",
    "/deployments/{id}",
    responses={"204": ResponseSpec("empty")},
    request_content_type="application/json",
)
SEARCH: Operation[Any] = Operation(
    "search", "GET", "/search", responses={"200": ResponseSpec("json")}
)
FORM: Operation[None] = Operation(
    "submit",
    "POST",
    "/form",
    responses={"204": ResponseSpec("empty")},
    request_content_type="application/x-www-form-urlencoded",
)
CREATE_FLOW: Operation[Flow] = Operation(
    "create_flow",
    "POST",
    "/flows",
    responses={
        "200": ResponseSpec("json", Flow),
        "422": ResponseSpec("json", HTTPValidationError),
    },
    request_content_type="application/json",
)
TWO_SUCCESSES: Operation[Flow | None] = Operation(
    "get_or_nothing",
    "GET",
    "/maybe",
    responses={"200": ResponseSpec("json", Flow), "204": ResponseSpec("empty")},
)
ONLY_DEFAULT: Operation[Flow] = Operation(
    "by_default", "GET", "/default", responses={"default": ResponseSpec("json", Flow)}
)
UNDECLARED: Operation[Any] = Operation("anything", "GET", "/anything", responses={})


def _sent_json(route: respx.Route) -> Any:
    return json.loads(route.calls.last.request.content)


# -- the sentinel -----------------------------------------------------------------------


def test_not_given_is_one_falsy_sentinel_that_survives_copies() -> None:
    assert NotGiven() is NOT_GIVEN
    assert copy.deepcopy(NOT_GIVEN) is NOT_GIVEN
    assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN
    assert not NOT_GIVEN and repr(NOT_GIVEN) == "NOT_GIVEN"


# -- requests ---------------------------------------------------------------------------


async def test_json_body_sends_only_named_fields_and_none_as_null(
    respx_mock: respx.MockRouter,
) -> None:
    route = respx_mock.patch("/deployments/d1").respond(204)
    async with ItemClient() as client:
        body = {"description": None, "paused": NOT_GIVEN, "tags": NOT_GIVEN}
        await client._request(PATCH, path_params={"id": "d1"}, json=body)
    assert _sent_json(route) == {"description": None}


async def test_model_body_sends_only_the_fields_that_were_set(
    respx_mock: respx.MockRouter,
) -> None:
    route = respx_mock.patch("/deployments/d1").respond(204)
    async with ItemClient() as client:
        update = DeploymentUpdate(description="d1", schedule=Schedule(interval=5))
        await client._request(PATCH, path_params={"id": "d1"}, json=update)
        assert _sent_json(route) == {"description": "d1", "schedule": {"interval": 5}}
        cleared = DeploymentUpdate(description=None, tagList=["a"])
        await client._request(PATCH, path_params={"id": "d1"}, json={"update": cleared})
        assert _sent_json(route) == {"update": {"description": None, "tagList": ["a"]}}


async def test_query_header_and_cookie_values_not_given_or_none_are_left_out(
    respx_mock: respx.MockRouter,
) -> None:
    route = respx_mock.get("/search").respond(200, json=[])
    async with ItemClient() as client:
        await client._request(
            SEARCH,
            query={"q": "x", "limit": NOT_GIVEN, "cursor": None},
            headers={"X-Tenant": NOT_GIVEN, "X-Trace": None, "X-Locale": "de"},
            cookies={"session": NOT_GIVEN, "theme": "dark"},
        )
    request = route.calls.last.request
    assert request.url.params.multi_items() == [("q", "x")]
    assert "x-tenant" not in request.headers and "x-trace" not in request.headers
    assert request.headers["x-locale"] == "de"
    assert request.headers["cookie"] == "theme=dark"


async def test_form_fields_not_given_or_none_are_left_out(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post("/form").respond(204)
    async with ItemClient() as client:
        await client._request(FORM, data={"a": "1", "b": NOT_GIVEN, "c": None})
    assert route.calls.last.request.content == b"a=1"


# -- success decoding -------------------------------------------------------------------


async def test_an_undeclared_2xx_is_decoded_as_the_one_declared_success(
    respx_mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    respx_mock.post("/flows").respond(201, json={"id": 1, "name": "etl"})
    caplog.set_level(logging.DEBUG, logger="resilient_client")
    async with ItemClient() as client:
        created = await client._request(CREATE_FLOW, json={"name": "etl"})
    assert created == Flow(id=1, name="etl")
    [note] = [r for r in caplog.records if "not declared" in r.getMessage()]
    assert "HTTP 201" in note.getMessage() and "200" in note.getMessage()
    assert note.levelno == logging.DEBUG


async def test_an_undeclared_2xx_that_does_not_fit_the_success_type_is_an_error(
    respx_mock: respx.MockRouter,
) -> None:
    respx_mock.post("/flows").respond(201, json={"unexpected": True})
    async with ItemClient() as client:
        with pytest.raises(ResponseValidationError):
            await client._request(CREATE_FLOW, json={"name": "etl"})


async def test_an_undeclared_2xx_among_several_success_types_is_refused(
    respx_mock: respx.MockRouter,
) -> None:
    respx_mock.get("/maybe").respond(202, json={"id": 1, "name": "etl"})
    async with ItemClient() as client:
        with pytest.raises(ResponseValidationError) as info:
            await client._request(TWO_SUCCESSES)
    assert "HTTP 202" in str(info.value) and "200, 204" in str(info.value)
    assert info.value.operation == "get_or_nothing"


async def test_default_describes_success_only_without_a_declared_2xx(
    respx_mock: respx.MockRouter,
) -> None:
    respx_mock.get("/default").respond(201, json={"id": 2, "name": "d"})
    respx_mock.get("/anything").respond(201, json={"free": "form"})
    async with ItemClient() as client:
        assert await client._request(ONLY_DEFAULT) == Flow(id=2, name="d")
        # nothing declared at all: the method's type is Any, the JSON comes back as is
        assert await client._request(UNDECLARED) == {"free": "form"}


# -- error decoding ---------------------------------------------------------------------


async def test_error_body_that_does_not_fit_its_model_keeps_the_servers_words(
    respx_mock: respx.MockRouter,
) -> None:
    body = {
        "exception_message": "Invalid request received.",
        "exception_detail": [{"loc": ["body", "name"], "msg": "field required"}],
        "request_body": {"api_key": "sk-live-123456", "name": None},
    }
    respx_mock.post("/flows").respond(422, json=body)
    async with ItemClient() as client:
        with pytest.raises(UnprocessableEntityError) as info:
            await client._request(CREATE_FLOW, json={"name": None})
    exc = info.value
    assert exc.model is None  # not an empty HTTPValidationError
    assert exc.body == body
    assert "Invalid request received." in str(exc)
    assert "sk-live-123456" not in str(exc) and "[REDACTED]" in str(exc)
    assert len(str(exc)) < 400


async def test_error_body_that_fits_its_model_is_parsed(respx_mock: respx.MockRouter) -> None:
    body = {"detail": [{"loc": ["body", "name"], "msg": "field required"}]}
    respx_mock.post("/flows").respond(422, json=body)
    async with ItemClient() as client:
        with pytest.raises(UnprocessableEntityError) as info:
            await client._request(CREATE_FLOW, json={})
    assert info.value.model == HTTPValidationError.model_validate(body)
    assert "name: field required" in str(info.value)


async def test_an_optional_body_not_given_sends_no_body(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.patch("/deployments/d1").respond(204)
    async with ItemClient() as client:
        for body in ({"json": NOT_GIVEN}, {"content": NOT_GIVEN}, {"data": NOT_GIVEN}):
            await client._request(PATCH, path_params={"id": "d1"}, **body)
            sent = route.calls.last.request
            assert sent.content == b"" and "content-type" not in sent.headers, body
        await client._request(PATCH, path_params={"id": "d1"}, json=None)
        assert route.calls.last.request.content == b"null"  # a nullable body, cleared
