"""A lazily named response type is resolved on the first response it decodes, once."""

from __future__ import annotations

from typing import Any, ClassVar

import httpx
import pytest
from pydantic import BaseModel

from resilient_client import BaseServiceClient, NotFoundError, Operation, ResponseSpec


class Thing(BaseModel):
    id: int


class Problem(BaseModel):
    detail: str


class ThingClient(BaseServiceClient):
    service_name: ClassVar[str] = "Things"
    default_base_url: ClassVar[str | None] = "http://things.test"


def test_lazy_type_is_not_resolved_until_read() -> None:
    calls: list[int] = []

    def resolve() -> Any:
        calls.append(1)
        return Thing

    spec = ResponseSpec("json", lazy=resolve)
    assert not spec.resolved and calls == []
    assert "lazy" in repr(spec)
    assert spec.type is Thing and spec.type is Thing
    assert spec.resolved and calls == [1]
    assert spec == ResponseSpec("json", Thing)
    assert hash(spec) == hash(ResponseSpec("json", Thing))


def test_response_spec_stays_immutable_and_takes_one_type() -> None:
    spec = ResponseSpec("json", Thing)
    with pytest.raises(AttributeError):
        spec.kind = "text"  # type: ignore[misc]
    with pytest.raises(ValueError):
        ResponseSpec("json", Thing, lazy=lambda: Thing)


async def test_first_call_resolves_each_lazy_type_once_and_only_when_needed() -> None:
    resolved: list[str] = []

    def thing() -> Any:
        resolved.append("Thing")
        return Thing

    def problem() -> Any:
        resolved.append("Problem")
        return Problem

    operation: Operation[Thing] = Operation(
        "get_thing",
        "GET",
        "/things/{id}",
        responses={
            "200": ResponseSpec("json", lazy=thing),
            "404": ResponseSpec("json", lazy=problem),
        },
    )
    status = {"code": 200}

    def handler(request: httpx.Request) -> httpx.Response:
        if status["code"] == 404:
            return httpx.Response(404, json={"detail": "gone"})
        return httpx.Response(200, json={"id": 7})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with ThingClient(http_client=http) as client:
        assert resolved == []  # building the client resolves nothing
        first = await client._request(operation, path_params={"id": 7})
        second = await client._request(operation, path_params={"id": 7})
        assert isinstance(first, Thing) and second == first
        assert resolved == ["Thing"]  # the error model is not needed yet
        status["code"] = 404
        for _ in range(2):
            with pytest.raises(NotFoundError) as caught:
                await client._request(operation, path_params={"id": 7}, max_attempts=1)
            assert isinstance(caught.value.model, Problem)
    await http.aclose()
    assert resolved == ["Thing", "Problem"]
