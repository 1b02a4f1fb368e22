"""Response caching through the client: opt-in, keys, TTL, bypass, coalescing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from runtime_helpers import ItemClient

from resilient_client import (
    BearerAuth,
    CacheConfig,
    ClientConfig,
    Operation,
    ResponseSpec,
    RetryConfig,
    ServerError,
    SpecPolicy,
)

INTEL: Operation[dict[str, Any]] = Operation(
    "get_intelligence",
    "POST",
    "/intelligence",
    responses={"200": ResponseSpec("json")},
    policy=SpecPolicy(cache_ttl=300),
)
LIST: Operation[list[int]] = Operation(
    "list_ids", "GET", "/ids", responses={"200": ResponseSpec("json", list[int])}
)


async def test_cacheable_operation_answers_repeat_calls_from_cache(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.post("/intelligence").respond(200, json={"answer": 1})
    client = make_client()
    first = await client._request(INTEL, json={"context": "auth"})
    second = await client._request(INTEL, json={"context": "auth"})
    assert first == second == {"answer": 1}
    assert route.call_count == 1
    stats = client.cache_stats()
    assert (stats.size, stats.hits, stats.misses) == (1, 1, 1)
    assert stats["hit_rate"] == 0.5
    assert client.metrics().operations["get_intelligence"].cache_hits == 1


async def test_key_covers_body_query_and_path(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.post("/intelligence").respond(200, json={})
    client = make_client()
    await client._request(INTEL, json={"context": "a"})
    await client._request(INTEL, json={"context": "b"})
    await client._request(INTEL, json={"context": "a"}, query={"x": 1})
    await client._request(INTEL, json={"context": "a"}, query={"x": 1})
    assert route.call_count == 3


async def test_entries_expire_after_ttl(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock
) -> None:
    route = respx_mock.post("/intelligence").respond(200, json={})
    client = make_client()
    await client._request(INTEL, json={"context": "a"})
    clock.advance(299)
    await client._request(INTEL, json={"context": "a"})
    clock.advance(2)
    await client._request(INTEL, json={"context": "a"})
    assert route.call_count == 2


async def test_user_cache_ttl_overrides_spec(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock
) -> None:
    route = respx_mock.post("/intelligence").respond(200, json={})
    client = make_client(ClientConfig(cache=CacheConfig(ttl=10)))
    await client._request(INTEL, json={"context": "a"})
    clock.advance(11)
    await client._request(INTEL, json={"context": "a"})
    assert route.call_count == 2


async def test_use_cache_false_skips_lookup_and_refreshes_entry(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.post("/intelligence")
    route.side_effect = [
        httpx.Response(200, json={"v": 1}),
        httpx.Response(200, json={"v": 2}),
    ]
    client = make_client()
    assert await client._request(INTEL, json={}) == {"v": 1}
    assert await client._request(INTEL, json={}, use_cache=False) == {"v": 2}
    assert await client._request(INTEL, json={}) == {"v": 2}
    assert route.call_count == 2


async def test_non_cacheable_operations_and_errors_are_not_cached(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    ids = respx_mock.get("/ids").respond(200, json=[1])
    intel = respx_mock.post("/intelligence")
    intel.side_effect = [httpx.Response(500), httpx.Response(200, json={"ok": True})]
    client = make_client(ClientConfig(retry=RetryConfig(max_attempts=1)))
    await client._request(LIST)
    await client._request(LIST)
    assert ids.call_count == 2
    with pytest.raises(ServerError):
        await client._request(INTEL, json={})
    assert await client._request(INTEL, json={}) == {"ok": True}


async def test_opt_in_by_operation_name_and_off_switch(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    ids = respx_mock.get("/ids").respond(200, json=[1])
    intel = respx_mock.post("/intelligence").respond(200, json={})
    opted = make_client(ClientConfig(cache_operations=frozenset({"list_ids"})))
    await opted._request(LIST)
    await opted._request(LIST)
    assert ids.call_count == 1
    off = make_client(ClientConfig(cache=None))
    await off._request(INTEL, json={})
    await off._request(INTEL, json={})
    assert intel.call_count == 2
    assert off.cache_stats().size == 0


async def test_credentials_never_share_entries_and_are_not_stored_in_keys(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.post("/intelligence").respond(200, json={})
    client = make_client(auth=BearerAuth("token-alpha-SECRET"))
    keys: list[Any] = []
    assert client._pipeline.cache is not None
    original_set = client._pipeline.cache.set

    def spy(key: Any, value: Any, **kwargs: Any) -> None:
        keys.append(key)
        original_set(key, value, **kwargs)

    client._pipeline.cache.set = spy  # type: ignore[method-assign]
    await client._request(INTEL, json={})
    client.set_auth(BearerAuth("token-beta-SECRET"))
    await client._request(INTEL, json={})
    await client._request(INTEL, json={})
    assert route.call_count == 2
    assert len(keys) == 2 and keys[0] != keys[1]
    assert "SECRET" not in repr(keys)


async def test_clear_cache_is_synchronous(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.post("/intelligence").respond(200, json={})
    client = make_client()
    await client._request(INTEL, json={})
    assert client.clear_cache() is None
    await client._request(INTEL, json={})
    assert route.call_count == 2


async def test_twenty_concurrent_identical_misses_make_one_request(
    make_client: Callable[..., ItemClient],
) -> None:
    calls = 0
    release = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        await release.wait()
        return httpx.Response(200, json={"n": calls})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = make_client(http_client=http)
    tasks = [asyncio.create_task(client._request(INTEL, json={"context": "x"})) for _ in range(20)]
    for _ in range(10):
        await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*tasks)
    assert calls == 1
    assert results == [{"n": 1}] * 20


async def test_key_covers_spec_headers_and_cookies_but_not_the_correlation_id(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.post("/intelligence").respond(200, json={})
    client = make_client()
    await client._request(INTEL, json={"context": "a"}, headers={"X-Tenant": "one"})
    await client._request(INTEL, json={"context": "a"}, headers={"X-Tenant": "two"})
    await client._request(INTEL, json={"context": "a"}, cookies={"locale": "fr"})
    assert route.call_count == 3
    # a different correlation id is the same question: answered from the cache
    await client._request(
        INTEL, json={"context": "a"}, headers={"X-Tenant": "one"}, correlation_id="other-id"
    )
    assert route.call_count == 3


async def test_max_bytes_bounds_what_the_client_keeps(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    big = {"blob": "x" * 600}
    respx_mock.post("/intelligence").respond(200, json=big)
    client = make_client(ClientConfig(cache=CacheConfig(max_bytes=1000)))
    await client._request(INTEL, json={"context": "a"})
    await client._request(INTEL, json={"context": "b"})
    stats = client.cache_stats()
    # two ~600-byte answers do not fit in 1000 bytes: the older one was evicted
    assert stats.size == 1
    assert stats.evictions == 1
    assert 600 < stats.bytes <= 1000


BOUNDED: Operation[dict[str, Any]] = Operation(
    "search",
    "GET",
    "/search",
    responses={"200": ResponseSpec("json")},
    policy=SpecPolicy(cache_ttl=300, cache_max_entries=2),
)


async def test_spec_max_entries_bounds_the_operations_own_entries_lru(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: Any
) -> None:
    search = respx_mock.get("/search").respond(200, json={})
    intel = respx_mock.post("/intelligence").respond(200, json={})
    client = make_client()
    await client._request(INTEL, json={"context": "kept"})  # another operation's entry
    for q in ("a", "b"):
        await client._request(BOUNDED, query={"q": q})
    clock.advance(1)
    await client._request(BOUNDED, query={"q": "a"})  # a hit: b is now search's oldest
    await client._request(BOUNDED, query={"q": "c"})  # over search's bound of 2: b goes
    assert search.call_count == 3
    stats = client.cache_stats()
    assert (stats.size, stats.evictions, stats.hits) == (3, 1, 1)
    await client._request(BOUNDED, query={"q": "a"})
    await client._request(BOUNDED, query={"q": "c"})
    await client._request(INTEL, json={"context": "kept"})  # untouched by search's churn
    assert (search.call_count, intel.call_count) == (3, 1)
    await client._request(BOUNDED, query={"q": "b"})  # evicted: asked again
    assert search.call_count == 4
    stats = client.cache_stats()
    assert (stats.size, stats.hits, stats.misses, stats.evictions) == (3, 4, 5, 2)


async def test_client_wide_max_entries_still_bounds_every_operation_together(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/search").respond(200, json={})
    intel = respx_mock.post("/intelligence").respond(200, json={})
    client = make_client(ClientConfig(cache=CacheConfig(max_entries=3)))
    await client._request(INTEL, json={"context": "first"})
    for q in ("a", "b", "c", "d"):  # search keeps its newest 2 ...
        await client._request(BOUNDED, query={"q": q})
    await client._request(INTEL, json={"context": "second"})  # ... and the total is 3
    stats = client.cache_stats()
    assert (stats.size, stats.evictions) == (3, 3)
    await client._request(INTEL, json={"context": "first"})  # the oldest overall went
    assert intel.call_count == 3


async def test_spec_max_entries_zero_caches_nothing(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    op: Operation[dict[str, Any]] = Operation(
        "search",
        "GET",
        "/search",
        responses={"200": ResponseSpec("json")},
        policy=SpecPolicy(cache_ttl=300, cache_max_entries=0),
    )
    route = respx_mock.get("/search").respond(200, json={})
    client = make_client()
    await client._request(op)
    await client._request(op)
    assert route.call_count == 2
    stats = client.cache_stats()
    assert (stats.size, stats.misses) == (0, 0)


SEARCH: Operation[dict[str, Any]] = Operation(
    "search",
    "GET",
    "/search",
    responses={"200": ResponseSpec("json")},
    policy=SpecPolicy(cache_ttl=300),
)


async def test_a_get_key_covers_extra_headers_even_one_replacing_a_client_header(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    # A GET without headers of its own keys on the client's headers (computed once per
    # client); one that adds or replaces a header must not be answered from that entry.
    route = respx_mock.get("/search").respond(200, json={})
    client = make_client(ClientConfig(headers={"X-Api-Version": "2"}))
    await client._request(SEARCH, query={"q": "a"})
    await client._request(SEARCH, query={"q": "a"}, correlation_id="another")
    assert route.call_count == 1
    await client._request(SEARCH, query={"q": "a"}, extra_headers={"X-Api-Version": "1"})
    await client._request(SEARCH, query={"q": "a"}, extra_headers={"X-Extra": "1"})
    assert route.call_count == 3
    # replaced by the same value: the same request, so the same entry
    await client._request(SEARCH, query={"q": "a"}, extra_headers={"x-api-version": "2"})
    assert route.call_count == 3
