"""Correlation ids: generated, overridden, scoped, inherited, same on every attempt."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import httpx
import pytest
import respx
from runtime_helpers import ItemClient

from resilient_client import ClientConfig, correlation_scope, get_correlation_id

OK = {"id": 1, "name": "a"}


async def test_generated_uuid4_when_absent(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client()
    await client.get_item(1)
    await client.get_item(1)
    ids = [call.request.headers["x-correlation-id"] for call in route.calls]
    assert uuid.UUID(ids[0]).version == 4
    assert ids[0] != ids[1]


async def test_per_call_uuid_is_sent_canonically_on_every_attempt(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [httpx.Response(503), httpx.Response(503), httpx.Response(200, json=OK)]
    client = make_client()
    cid = uuid.UUID("12345678-1234-5678-1234-567812345678")
    await client.get_item(1, correlation_id=cid)
    assert [c.request.headers["x-correlation-id"] for c in route.calls] == [str(cid)] * 3


async def test_scope_applies_and_per_call_wins(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client()
    with correlation_scope("req-42") as cid:
        assert cid == "req-42" and get_correlation_id() == "req-42"
        await client.get_item(1)
        await client.get_item(1, correlation_id="explicit")
    assert get_correlation_id() is None
    await client.get_item(1)
    sent = [c.request.headers["x-correlation-id"] for c in route.calls]
    assert sent[:2] == ["req-42", "explicit"]
    assert sent[2] not in ("req-42", "explicit")


async def test_tasks_spawned_in_scope_inherit_it(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client()
    with correlation_scope() as cid:
        await asyncio.gather(*(asyncio.create_task(client.get_item(1)) for _ in range(3)))
    assert {c.request.headers["x-correlation-id"] for c in route.calls} == {cid}


async def test_header_name_is_configurable(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client(ClientConfig(correlation_header="X-Request-ID"))
    await client.get_item(1, correlation_id="abc")
    headers = route.calls.last.request.headers
    assert headers["x-request-id"] == "abc"
    assert "x-correlation-id" not in headers


def test_invalid_ids_are_rejected() -> None:
    with pytest.raises(ValueError), correlation_scope("bad\r\nheader"):
        pass
    with pytest.raises(ValueError):
        ClientConfig(correlation_header="Bad Header")
