"""Lifecycle, URLs, headers and the happy path of ``_request``."""

from __future__ import annotations

import httpx
import pytest
import respx
from runtime_helpers import BASE, GET_ITEM, Item, ItemClient

from resilient_client import (
    BaseServiceClient,
    ClientClosedError,
    ClientConfig,
    ConfigError,
    Operation,
    PoolLimits,
    ResponseSpec,
    __version__,
)


async def test_happy_path_returns_typed_model(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get("/items/7").respond(200, json={"id": 7, "name": "seven"})
    async with ItemClient() as client:
        item = await client.get_item(7)
    assert item == Item(id=7, name="seven")
    assert route.called
    assert str(route.calls.last.request.url) == f"{BASE}/items/7"


async def test_user_agent_names_service_and_runtime_version(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get("/items/1").respond(200, json={"id": 1, "name": "a"})
    async with ItemClient(headers={"X-Team": "core"}) as client:
        await client.get_item(1)
    headers = route.calls.last.request.headers
    assert "ItemService" in headers["user-agent"]
    assert f"resilient_client/{__version__}" in headers["user-agent"]
    assert headers["x-team"] == "core"


async def test_base_url_argument_replaces_default_including_path() -> None:
    with respx.mock(assert_all_called=True) as router:
        router.get("http://other.test:9000/v2/items/3").respond(200, json={"id": 3, "name": "c"})
        async with ItemClient("http://other.test:9000/v2/") as client:
            assert (await client.get_item(3)).id == 3


async def test_missing_base_url_is_a_config_error() -> None:
    class Bare(BaseServiceClient):
        pass

    with pytest.raises(ConfigError, match="base_url"):
        Bare()
    with pytest.raises(ConfigError, match="absolute"):
        Bare("localhost:8053/api")


async def test_injected_http_client_is_used_and_not_closed() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": 1, "name": "x"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = ItemClient(http_client=http)
    await client.get_item(1)
    await client.aclose()
    assert len(seen) == 1
    assert not http.is_closed
    await http.aclose()


async def test_owned_http_client_is_closed_by_aclose() -> None:
    client = ItemClient()
    http = client._http
    async with client:
        pass
    assert http.is_closed
    assert client.closed


async def test_call_after_close_raises_clear_error() -> None:
    client = ItemClient()
    await client.aclose()
    with pytest.raises(ClientClosedError, match="closed") as info:
        await client.get_item(1, correlation_id="c-9")
    assert info.value.correlation_id == "c-9" and info.value.operation == "get_item"
    await client.aclose()  # idempotent


async def test_one_http_client_serves_many_calls(respx_mock: respx.MockRouter) -> None:
    respx_mock.get("/items/1").respond(200, json={"id": 1, "name": "a"})
    async with ItemClient() as client:
        http = client._http
        for _ in range(3):
            await client.get_item(1)
        assert client._http is http


def test_pool_limits_reach_httpx() -> None:
    client = ItemClient(config=ClientConfig(pool=PoolLimits(max_connections=7)))
    pool = client._http._transport._pool  # type: ignore[attr-defined]
    assert pool._max_connections == 7


def test_idle_connections_expire_before_common_server_keep_alive() -> None:
    # uvicorn's timeout_keep_alive and Node's keepAliveTimeout default to 5 s; an equal
    # client timer races the server's close, and the loser is a non-retryable POST.
    client = ItemClient()
    pool = client._http._transport._pool  # type: ignore[attr-defined]
    assert pool._keepalive_expiry is not None and pool._keepalive_expiry < 5.0


async def test_response_kinds_text_bytes_empty(respx_mock: respx.MockRouter) -> None:
    text_op: Operation[str] = Operation("t", "GET", "/t", responses={"200": ResponseSpec("text")})
    bytes_op: Operation[bytes] = Operation(
        "b", "GET", "/b", responses={"200": ResponseSpec("bytes")}
    )
    empty_op: Operation[None] = Operation(
        "e", "DELETE", "/e", responses={"204": ResponseSpec("empty")}
    )
    respx_mock.get("/t").respond(200, text="héllo", headers={"content-type": "text/plain"})
    respx_mock.get("/b").respond(200, content=b"\x00\x01")
    respx_mock.delete("/e").respond(204)
    async with ItemClient() as client:
        assert await client._request(text_op) == "héllo"
        assert await client._request(bytes_op) == b"\x00\x01"
        assert await client._request(empty_op) is None


async def test_range_and_default_responses(respx_mock: respx.MockRouter) -> None:
    op: Operation[Item] = Operation(
        "r",
        "GET",
        "/r",
        responses={"2XX": ResponseSpec("json", Item), "default": ResponseSpec("empty")},
    )
    respx_mock.get("/r").respond(203, json={"id": 2, "name": "b"})
    async with ItemClient() as client:
        assert await client._request(op) == Item(id=2, name="b")


async def test_raw_json_without_model(respx_mock: respx.MockRouter) -> None:
    op: Operation[object] = Operation("raw", "GET", "/raw", responses={"200": ResponseSpec("json")})
    respx_mock.get("/raw").respond(200, json={"free": [1, 2]})
    async with ItemClient() as client:
        assert await client._request(op) == {"free": [1, 2]}


async def test_plan_is_resolved_once_per_operation(
    respx_mock: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    import resilient_client._outer as client_module

    calls = 0
    original = client_module.resolve_plan

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(client_module, "resolve_plan", counting)
    respx_mock.get("/items/1").respond(200, json={"id": 1, "name": "a"})
    async with ItemClient() as client:
        for _ in range(5):
            await client._request(GET_ITEM, path_params={"item_id": 1})
    assert calls == 1


async def test_headers_with_the_same_name_replace_each_other(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get("/items/1").respond(200, json={"id": 1, "name": "a"})
    async with ItemClient(headers={"Accept": "application/json"}) as client:
        await client.get_item(1, extra_headers={"ACCEPT": "application/x-special"})
    request = route.calls.last.request
    assert request.headers.get_list("accept") == ["application/x-special"]
    assert len(request.headers.get_list("user-agent")) == 1


async def test_cookies_set_by_the_server_are_sent_back(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [
        httpx.Response(200, json={"id": 1, "name": "a"}, headers={"Set-Cookie": "affinity=n2"}),
        httpx.Response(200, json={"id": 1, "name": "a"}),
    ]
    async with ItemClient() as client:
        await client.get_item(1)
        await client.get_item(1)
    assert "cookie" not in route.calls[0].request.headers
    assert route.calls[1].request.headers["cookie"] == "affinity=n2"
    assert route.calls[1].request.headers["x-correlation-id"]
