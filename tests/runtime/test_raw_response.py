"""``client.with_raw_response(method, ...)``: the parsed result with its HTTP response."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import respx
from runtime_helpers import Item, ItemClient

from resilient_client import (
    ClientConfig,
    NotFoundError,
    Operation,
    ResponseSpec,
    RetryConfig,
    SpecPolicy,
)

CACHED: Operation[Item] = Operation(
    "get_cached",
    "GET",
    "/cached/{item_id}",
    responses={"200": ResponseSpec("json", Item)},
    policy=SpecPolicy(cache_ttl=60.0),
)


class CachingClient(ItemClient):
    async def get_cached(self, item_id: int) -> Item:
        return await self._request(CACHED, path_params={"item_id": item_id})


async def test_parsed_model_comes_with_status_and_headers(respx_mock: respx.MockRouter) -> None:
    respx_mock.get("/items/1").respond(
        200, json={"id": 1, "name": "a"}, headers={"ETag": '"v7"', "RateLimit-Remaining": "41"}
    )
    async with ItemClient() as client:
        raw = await client.with_raw_response(client.get_item, 1, correlation_id="cid-9")
    assert raw.parsed == Item(id=1, name="a")
    assert raw.status_code == 200 and raw.headers["etag"] == '"v7"'
    assert raw.headers["ratelimit-remaining"] == "41"
    assert raw.attempts == 1 and raw.correlation_id == "cid-9"
    assert raw.url.endswith("/items/1")


async def test_retries_apply_and_the_answer_is_the_last_attempt(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [
        respx.MockResponse(503),
        respx.MockResponse(200, json={"id": 1, "name": "a"}, headers={"X-Try": "2"}),
    ]
    client = make_client(ClientConfig(retry=RetryConfig(max_attempts=2, jitter=False)))
    raw = await client.with_raw_response(client.get_item, 1)
    assert raw.attempts == 2 and raw.headers["x-try"] == "2"
    await client.aclose()


async def test_errors_raise_as_usual(respx_mock: respx.MockRouter) -> None:
    respx_mock.get("/items/404").respond(404, json={"detail": "no"})
    async with ItemClient() as client:
        with pytest.raises(NotFoundError):
            await client.with_raw_response(client.get_item, 404)


async def test_a_raw_call_is_never_answered_from_the_cache(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get("/cached/1").respond(200, json={"id": 1, "name": "a"})
    async with CachingClient() as client:
        await client.get_cached(1)
        await client.get_cached(1)  # a hit
        raw = await client.with_raw_response(client.get_cached, 1)
        assert raw.status_code == 200 and route.call_count == 2
        assert await client.get_cached(1) == raw.parsed and route.call_count == 2


async def test_a_fallback_answer_has_no_status(respx_mock: respx.MockRouter) -> None:
    respx_mock.get("/items/1").respond(503)
    async with ItemClient(config=ClientConfig(retry=RetryConfig(max_attempts=1))) as client:
        client.circuit_breaker.force_open()
        client.set_fallback("get_item", lambda error, call: Item(id=0, name="cached"))
        raw = await client.with_raw_response(client.get_item, 1)
    assert raw.parsed == Item(id=0, name="cached") and raw.status_code is None
