"""Typed errors: classes by status, context carried, one-line str, envelopes, models."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import respx
from pydantic import BaseModel
from runtime_helpers import ItemClient

from resilient_client import (
    BadRequestError,
    ClientConfig,
    ClientError,
    ConflictError,
    Envelope,
    EnvelopeError,
    ForbiddenError,
    HTTPStatusError,
    NotFoundError,
    Operation,
    RateLimitedError,
    ResponseSpec,
    ResponseValidationError,
    RetryConfig,
    ServerError,
    UnauthorizedError,
    UnprocessableEntityError,
)


class StampData(BaseModel):
    file_hash: str


class Problem(BaseModel):
    code: str
    message: str


ENVELOPED: Operation[StampData] = Operation(
    "get_stamp",
    "GET",
    "/stamp/{h}",
    responses={"200": ResponseSpec("json", StampData), "400": ResponseSpec("json", Problem)},
    envelope=Envelope(),
)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (418, HTTPStatusError),
        (422, UnprocessableEntityError),
        (429, RateLimitedError),
        (500, ServerError),
        (507, ServerError),
    ],
)
async def test_status_classes(
    status: int,
    cls: type[HTTPStatusError],
    respx_mock: respx.MockRouter,
    make_client: Callable[..., ItemClient],
) -> None:
    respx_mock.get("/items/5").respond(status, json={"detail": "nope"}, headers={"X-Req": "r1"})
    client = make_client(ClientConfig(retry=RetryConfig(max_attempts=1)))
    with pytest.raises(cls) as info:
        await client.get_item(5)
    error = info.value
    assert type(error) is cls
    assert isinstance(error, HTTPStatusError) and isinstance(error, ClientError)
    assert error.status == status
    assert error.operation == "get_item"
    assert error.method == "GET"
    assert error.url == "http://svc.test/api/items/5"
    assert error.body == {"detail": "nope"}
    assert error.headers["x-req"] == "r1"
    assert error.correlation_id
    text = str(error)
    assert "\n" not in text
    assert f"HTTP {status}" in text and "nope" in text and "get_item" in text
    assert error.correlation_id in text


async def test_error_model_is_validated_from_declared_error_response(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/stamp/x").respond(400, json={"code": "bad_hash", "message": "hash invalid"})
    client = make_client()
    with pytest.raises(BadRequestError) as info:
        await client._request(ENVELOPED, path_params={"h": "x"})
    assert info.value.model == Problem(code="bad_hash", message="hash invalid")
    assert "hash invalid" in str(info.value)


async def test_fastapi_detail_envelope_message_in_str(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    detail = {
        "status": "error",
        "data": None,
        "error": "db down",
        "message": "Database unavailable",
    }
    respx_mock.get("/stamp/y").respond(503, json={"detail": detail})
    client = make_client(ClientConfig(retry=RetryConfig(max_attempts=1)))
    with pytest.raises(ServerError) as info:
        await client._request(ENVELOPED, path_params={"h": "y"})
    assert "Database unavailable" in str(info.value)


async def test_fastapi_detail_envelope_without_message_uses_its_error(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    detail = {"status": "error", "data": None, "error": "tree not loaded", "message": None}
    respx_mock.get("/stamp/q").respond(400, json={"detail": detail})
    client = make_client()
    with pytest.raises(BadRequestError, match="tree not loaded"):
        await client._request(ENVELOPED, path_params={"h": "q"})


async def test_fastapi_plain_detail_in_str(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/stamp/z").respond(400, json={"detail": "Invalid project root"})
    client = make_client()
    with pytest.raises(BadRequestError, match="Invalid project root"):
        await client._request(ENVELOPED, path_params={"h": "z"})


async def test_envelope_success_returns_typed_data(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/stamp/a").respond(
        200, json={"status": "partial", "data": {"file_hash": "abc"}, "error": None}
    )
    client = make_client()
    assert await client._request(ENVELOPED, path_params={"h": "a"}) == StampData(file_hash="abc")


async def test_envelope_error_under_http_200_raises(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/stamp/b").respond(
        200,
        json={
            "status": "error",
            "data": None,
            "error": [{"code": "E1", "message": "transform failed"}],
            "message": None,
        },
    )
    client = make_client()
    with pytest.raises(EnvelopeError) as info:
        await client._request(ENVELOPED, path_params={"h": "b"})
    error = info.value
    assert error.envelope_status == "error"
    assert error.error == [{"code": "E1", "message": "transform failed"}]
    assert "transform failed" in str(error)
    assert error.operation == "get_stamp" and error.correlation_id
    assert client.circuit_breaker.stats().consecutive_failures == 0


async def test_envelope_data_not_matching_model(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/stamp/c").respond(200, json={"status": "success", "data": {"nope": 1}})
    client = make_client()
    with pytest.raises(ResponseValidationError, match="file_hash"):
        await client._request(ENVELOPED, path_params={"h": "c"})


async def test_body_not_matching_model(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(200, json={"id": 1})
    client = make_client()
    with pytest.raises(ResponseValidationError) as info:
        await client.get_item(1)
    assert "name" in str(info.value)
    assert info.value.body == {"id": 1}
    assert info.value.operation == "get_item"


async def test_invalid_json_is_a_validation_error(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/stamp/d").respond(
        200, content=b"<html>", headers={"content-type": "text/html"}
    )
    client = make_client()
    with pytest.raises(ResponseValidationError):
        await client._request(ENVELOPED, path_params={"h": "d"})


async def test_non_json_error_body_is_kept_as_text(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(
        502, content=b"Bad gateway from proxy", headers={"content-type": "text/plain"}
    )
    client = make_client(ClientConfig(retry=RetryConfig(max_attempts=1)))
    with pytest.raises(ServerError) as info:
        await client.get_item(1)
    assert info.value.body == "Bad gateway from proxy"
    assert info.value.model is None
