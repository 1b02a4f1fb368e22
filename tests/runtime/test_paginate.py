"""``BaseServiceClient._paginate`` (what ``<name>_iter`` calls), over respx.

One small client with one operation per style. Each test checks the requests a walk
makes (what query each page carries, where it stops) as well as what it yields, and
the resilience rules are checked per page: a 503 on page 2 is retried, the breaker
judges every page, one correlation id goes with every page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import httpx
import pytest
import respx
from fakes import FakeClock, FakeSleep
from pydantic import BaseModel
from runtime_helpers import BASE

from resilient_client import (
    AsyncPaginator,
    BaseServiceClient,
    CircuitBreakerConfig,
    CircuitOpenError,
    ClientConfig,
    Operation,
    Pagination,
    PaginationLoopError,
    ResponseSpec,
    RetryConfig,
    ServerError,
    SpecPolicy,
    correlation_scope,
)
from resilient_client._paginate import next_link
from resilient_client.testing import MockClient


class Thing(BaseModel):
    id: str


class ThingList(BaseModel):
    data: list[Thing]
    has_more: bool


class TokenPage(BaseModel):
    things: list[Thing]
    next_page_token: str | None = None


def _op(name: str, path: str, page: Any, **extra: Any) -> Operation[Any]:
    return Operation(name, "GET", path, responses={"200": ResponseSpec("json", page)}, **extra)


ISSUES = _op("list_issues", "/repos/{owner}/issues", list[Thing])
CUSTOMERS = _op("list_customers", "/v1/customers", ThingList)
THINGS = _op("list_things", "/things", TokenPage, policy=SpecPolicy(cache_ttl=60.0))
EVENTS = _op("list_events", "/events", list[Thing])
REPORTS = _op("list_reports", "/reports", list[Thing])
RAW = _op("list_raw", "/raw", None)

BY_LINK: Pagination[Thing] = Pagination("link")
BY_HAS_MORE: Pagination[Thing] = Pagination(
    "has_more", items="data", cursor_param="starting_after", has_more="has_more", cursor_field="id"
)
BY_TOKEN: Pagination[Thing] = Pagination(
    "cursor", items="things", cursor_param="page_token", next_cursor="next_page_token"
)
BY_OFFSET: Pagination[Thing] = Pagination("offset", cursor_param="offset")
BY_PAGE: Pagination[Thing] = Pagination("page", cursor_param="page", first_page=0)
BY_RAW_CURSOR: Pagination[Any] = Pagination(
    "cursor", items="rows", cursor_param="after", next_cursor="next"
)


class PagingClient(BaseServiceClient):
    service_name: ClassVar[str] = "Paging"
    default_base_url: ClassVar[str | None] = BASE

    def list_issues_iter(
        self, owner: str, *, max_pages: int | None = None, **kw: Any
    ) -> AsyncPaginator[Thing, list[Thing]]:
        return self._paginate(
            ISSUES,
            BY_LINK,
            path_params={"owner": owner},
            query={"state": kw.pop("state", None), "per_page": kw.pop("per_page", None)},
            max_pages=max_pages,
            **kw,
        )

    def list_customers_iter(self, **kw: Any) -> AsyncPaginator[Thing, ThingList]:
        names = ("limit", "starting_after", "ending_before")
        query = {name: kw.pop(name, None) for name in names}
        return self._paginate(CUSTOMERS, BY_HAS_MORE, query=query, **kw)

    def list_things_iter(self, **kw: Any) -> AsyncPaginator[Thing, TokenPage]:
        return self._paginate(THINGS, BY_TOKEN, query={"page_size": 2}, **kw)

    def list_events_iter(self, **kw: Any) -> AsyncPaginator[Thing, list[Thing]]:
        query = {"offset": kw.pop("offset", None), "limit": kw.pop("limit", None)}
        return self._paginate(EVENTS, BY_OFFSET, query=query, **kw)

    def list_reports_iter(self, **kw: Any) -> AsyncPaginator[Thing, list[Thing]]:
        return self._paginate(REPORTS, BY_PAGE, query={"page": kw.pop("page", None)}, **kw)

    def list_raw_iter(self, **kw: Any) -> AsyncPaginator[Any, Any]:
        return self._paginate(RAW, BY_RAW_CURSOR, **kw)


@pytest.fixture
def respx_mock() -> Any:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
def make(clock: FakeClock, sleeper: FakeSleep) -> Callable[..., PagingClient]:
    def factory(config: ClientConfig | None = None) -> PagingClient:
        client = PagingClient(config=config, clock=clock, sleep=sleeper)
        client._rt.rand = lambda: 1.0
        return client

    return factory


def things(*ids: str) -> list[dict[str, str]]:
    return [{"id": i} for i in ids]


def queries(route: respx.Route) -> list[dict[str, str]]:
    return [dict(call.request.url.params) for call in route.calls]


async def collect(paginator: AsyncPaginator[Thing, Any]) -> list[str]:
    return [item.id async for item in paginator]


# -- GitHub: Link header ------------------------------------------------------------------


def _link(url: str, rel: str = "next") -> dict[str, str]:
    return {"Link": f'<{url}>; rel="{rel}", <https://api.example/x?page=9>; rel="last"'}


async def test_link_pages_replay_the_next_links_query_on_the_operations_own_path(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/repos/octo/issues")
    route.side_effect = [
        httpx.Response(200, json=things("1", "2"), headers=_link(
            "https://elsewhere.example/repositories/7/issues?state=open&per_page=2&page=2")),
        httpx.Response(200, json=things("3", "4"), headers=_link(
            "https://elsewhere.example/repositories/7/issues?state=open&per_page=2&page=3")),
        httpx.Response(200, json=things("5"), headers={"Link": '<https://x/?page=1>; rel="prev"'}),
    ]  # fmt: skip
    async with make() as client:
        assert await collect(client.list_issues_iter("octo", state="open", per_page=2)) == list(
            "12345"
        )
    assert queries(route) == [
        {"state": "open", "per_page": "2"},
        {"state": "open", "per_page": "2", "page": "2"},
        {"state": "open", "per_page": "2", "page": "3"},
    ]
    # never to the link's host: credentials stay with the configured base URL
    assert {call.request.url.host for call in route.calls} == {"svc.test"}


async def test_one_correlation_id_for_every_page_and_a_new_one_per_walk(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/repos/octo/issues")
    pages = [
        httpx.Response(200, json=things("1"), headers=_link(f"{BASE}/x?page={n + 2}"))
        for n in range(2)
    ] + [httpx.Response(200, json=things("3"))]
    route.side_effect = pages + [httpx.Response(r.status_code, content=r.content,
                                                headers=r.headers) for r in pages]  # fmt: skip
    async with make() as client:
        paginator = client.list_issues_iter("octo")
        await collect(paginator)
        await collect(paginator)  # each iteration is a walk of its own
    ids = [call.request.headers["x-correlation-id"] for call in route.calls]
    assert len(ids) == 6 and len(set(ids[:3])) == 1 and len(set(ids[3:])) == 1
    assert ids[0] != ids[3]


async def test_the_callers_correlation_id_or_scope_goes_with_every_page(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/v1/customers")
    route.side_effect = lambda request: httpx.Response(
        200, json={"data": things("a") if "starting_after" not in request.url.params else things(
            "b"), "has_more": "starting_after" not in request.url.params}
    )  # fmt: skip
    async with make() as client:
        await collect(client.list_customers_iter(correlation_id="walk-1"))
        with correlation_scope("scope-7"):
            await collect(client.list_customers_iter())
    ids = [call.request.headers["x-correlation-id"] for call in route.calls]
    assert ids == ["walk-1", "walk-1", "scope-7", "scope-7"]


async def test_a_503_on_page_two_is_retried_and_the_walk_goes_on(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient], sleeper: FakeSleep
) -> None:
    route = respx_mock.get("/repos/octo/issues")
    route.side_effect = [
        httpx.Response(200, json=things("1"), headers=_link(f"{BASE}/x?page=2")),
        httpx.Response(503),
        httpx.Response(200, json=things("2")),
    ]
    config = ClientConfig(retry=RetryConfig(max_attempts=3, backoff_base=0.5, jitter=False))
    async with make(config) as client:
        assert await collect(client.list_issues_iter("octo")) == ["1", "2"]
        metrics = client.metrics().total
    assert queries(route) == [{}, {"page": "2"}, {"page": "2"}]  # the retry repeats page 2
    assert sleeper.delays == [0.5]
    assert (metrics.calls, metrics.retries) == (2, 1)  # one call per page
    ids = {call.request.headers["x-correlation-id"] for call in route.calls}
    assert len(ids) == 1


async def test_the_breaker_judges_every_page(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/repos/octo/issues")
    route.side_effect = [
        httpx.Response(200, json=things("1"), headers=_link(f"{BASE}/x?page=2")),
        httpx.Response(503),
    ]
    config = ClientConfig(
        retry=RetryConfig(max_attempts=3, jitter=False),
        circuit_breaker=CircuitBreakerConfig(failure_threshold=1, failure_rate_threshold=None),
    )
    seen: list[str] = []
    async with make(config) as client:
        with pytest.raises(ServerError):
            async for item in client.list_issues_iter("octo"):
                seen.append(item.id)
        # page 1 arrived; page 2's 503 opened the circuit, which stopped its retries
        assert seen == ["1"] and route.call_count == 2
        assert client.circuit_breaker.state.value == "open"
        with pytest.raises(CircuitOpenError):  # the next walk's first page is refused
            await collect(client.list_issues_iter("octo"))
    assert route.call_count == 2


async def test_an_error_on_a_page_raises_after_the_earlier_items(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/repos/octo/issues")
    route.side_effect = [
        httpx.Response(200, json=things("1"), headers=_link(f"{BASE}/x?page=2")),
        httpx.Response(500),
    ]
    seen: list[str] = []
    async with make(ClientConfig(retry=RetryConfig(max_attempts=1))) as client:
        with pytest.raises(ServerError) as caught:
            async for item in client.list_issues_iter("octo"):
                seen.append(item.id)
    assert seen == ["1"] and caught.value.status == 500


async def test_max_pages_stops_the_walk(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/repos/octo/issues")
    route.side_effect = lambda request: httpx.Response(
        200,
        json=things(request.url.params.get("page", "1")),
        headers=_link(f"{BASE}/x?page={int(request.url.params.get('page', '1')) + 1}"),
    )
    async with make() as client:
        assert await collect(client.list_issues_iter("octo", max_pages=3)) == ["1", "2", "3"]
        with pytest.raises(ValueError, match="max_pages must be at least 1"):
            client.list_issues_iter("octo", max_pages=0)
    assert route.call_count == 3


def test_next_link_reads_rfc_8288_headers() -> None:
    assert next_link('<https://a/?page=2>; rel="next", <https://a/?page=9>; rel="last"') == (
        "https://a/?page=2"
    )
    assert next_link('<https://a/?page=1>; rel="prev", <https://a/?p=3>; rel=next') == (
        "https://a/?p=3"
    )
    assert next_link('<https://a/?p=4>; title="x"; rel="last next"') == "https://a/?p=4"
    assert next_link('<https://a/?p=1>; rel="prev"') is None
    assert next_link("") is None and next_link(None) is None
    assert next_link('<https://a/?p=5>; rel="nextish"') is None


# -- Stripe: has_more + starting_after -------------------------------------------------------


async def test_has_more_sends_the_last_items_id_until_has_more_is_false(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/v1/customers")
    route.side_effect = [
        httpx.Response(200, json={"object": "list", "data": things("c1", "c2"), "has_more": True}),
        httpx.Response(200, json={"object": "list", "data": things("c3", "c4"), "has_more": True}),
        httpx.Response(200, json={"object": "list", "data": things("c5"), "has_more": False}),
    ]
    async with make() as client:
        pages = [page async for page in client.list_customers_iter(limit=2).pages()]
    assert [[t.id for t in p.data] for p in pages] == [["c1", "c2"], ["c3", "c4"], ["c5"]]
    assert queries(route) == [
        {"limit": "2"},
        {"limit": "2", "starting_after": "c2"},
        {"limit": "2", "starting_after": "c4"},
    ]


async def test_has_more_with_an_empty_page_stops_and_a_start_point_is_kept(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/v1/customers")
    route.side_effect = [
        httpx.Response(200, json={"data": things("c9"), "has_more": True}),
        httpx.Response(200, json={"data": [], "has_more": True}),  # a server's odd end
    ]
    async with make() as client:
        assert await collect(client.list_customers_iter(starting_after="c8")) == ["c9"]
    assert queries(route) == [{"starting_after": "c8"}, {"starting_after": "c9"}]


async def test_a_walk_started_with_ending_before_goes_backwards(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/v1/customers")
    route.side_effect = [
        httpx.Response(200, json={"data": things("c7", "c8"), "has_more": True}),
        httpx.Response(200, json={"data": things("c6"), "has_more": False}),
    ]
    async with make() as client:
        assert await collect(client.list_customers_iter(ending_before="c9")) == ["c7", "c8", "c6"]
    # the page that precedes c7, the first item; never starting_after beside ending_before
    assert queries(route) == [{"ending_before": "c9"}, {"ending_before": "c7"}]


# -- cursor in the body -----------------------------------------------------------------------


async def test_a_cursor_goes_back_until_it_is_null(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/things")
    route.side_effect = [
        httpx.Response(200, json={"things": things("a", "b"), "next_page_token": "t2"}),
        httpx.Response(200, json={"things": things("c"), "next_page_token": None}),
    ]
    async with make() as client:
        assert await collect(client.list_things_iter(use_cache=False)) == ["a", "b", "c"]
    assert queries(route) == [{"page_size": "2"}, {"page_size": "2", "page_token": "t2"}]


async def test_pages_of_a_cacheable_operation_are_cached_page_by_page(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/things")
    route.side_effect = [
        httpx.Response(200, json={"things": things("a"), "next_page_token": "t2"}),
        httpx.Response(200, json={"things": things("b"), "next_page_token": ""}),
    ]
    async with make() as client:
        assert await collect(client.list_things_iter()) == ["a", "b"]
        assert await collect(client.list_things_iter()) == ["a", "b"]  # from the cache
        assert client.cache_stats().hits == 2
    assert route.call_count == 2


async def test_a_cursor_that_leads_back_raises_instead_of_looping(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/things")
    route.side_effect = lambda request: httpx.Response(
        200, json={"things": things("x"), "next_page_token": "same"}
    )
    async with make() as client:
        with pytest.raises(PaginationLoopError, match="page 3 would repeat") as caught:
            await collect(client.list_things_iter(use_cache=False, correlation_id="c-1"))
    assert route.call_count == 2
    assert caught.value.operation == "list_things" and caught.value.correlation_id == "c-1"


async def test_plain_json_pages_and_a_cursor_that_is_a_url(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/raw")
    route.side_effect = [
        httpx.Response(200, json={"rows": [1, 2], "next": f"{BASE}/raw?after=r2&tag=a&tag=b"}),
        httpx.Response(200, json={"rows": [3], "next": None}),
    ]
    async with make() as client:
        assert [row async for row in client.list_raw_iter()] == [1, 2, 3]
    assert str(route.calls[1].request.url) == f"{BASE}/raw?after=r2&tag=a&tag=b"


# -- offset and page numbers -------------------------------------------------------------------


async def test_offset_advances_by_the_items_received_and_ends_on_an_empty_page(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/events")
    route.side_effect = [
        httpx.Response(200, json=things("e1", "e2")),
        httpx.Response(200, json=things("e3")),  # short: the server may cap page sizes
        httpx.Response(200, json=[]),
    ]
    async with make() as client:
        assert await collect(client.list_events_iter(offset=10, limit=2)) == ["e1", "e2", "e3"]
    assert queries(route) == [
        {"offset": "10", "limit": "2"},
        {"offset": "12", "limit": "2"},
        {"offset": "13", "limit": "2"},
    ]


async def test_page_numbers_count_up_from_the_first_page(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/reports")
    route.side_effect = [
        httpx.Response(200, json=things("r1")),
        httpx.Response(200, json=things("r2")),
        httpx.Response(200, json=[]),
    ]
    async with make() as client:
        assert await collect(client.list_reports_iter()) == ["r1", "r2"]
    # the first request leaves page out (the server's first page, 0 here); then 1, 2
    assert queries(route) == [{}, {"page": "1"}, {"page": "2"}]


async def test_nothing_is_sent_until_iteration_starts(
    respx_mock: respx.MockRouter, make: Callable[..., PagingClient]
) -> None:
    route = respx_mock.get("/reports")
    async with make() as client:
        client.list_reports_iter()
    assert route.call_count == 0


async def test_typed_mocks_answer_a_link_walk_page_by_page(
    make: Callable[..., PagingClient],
) -> None:
    with MockClient(BASE) as mock:
        issues = mock._mocked(ISSUES)
        issues.returns_pages([Thing(id="1")], [Thing(id="2")], [Thing(id="3")], links=True)
        async with make() as client:
            assert await collect(client.list_issues_iter("o")) == ["1", "2", "3"]
    assert [r.url.params.get("page") for r in issues.calls] == [None, "2", "3"]


class Meta(BaseModel):
    continue_: str | None = None


class KubeList(BaseModel):
    items: list[Thing]
    metadata: Meta


KUBE = _op("list_pods", "/pods", KubeList)
BY_NESTED: Pagination[Thing] = Pagination(
    "cursor", items="items", cursor_param="continue", next_cursor="metadata.continue_"
)


async def test_a_cursor_one_level_down(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get("/pods")
    route.side_effect = [
        httpx.Response(200, json={"items": things("p1"), "metadata": {"continue_": "k2"}}),
        httpx.Response(200, json={"items": things("p2"), "metadata": {}}),
    ]
    async with PagingClient() as client:
        found = await collect(client._paginate(KUBE, BY_NESTED, query={"limit": 1}))
    assert found == ["p1", "p2"]
    assert queries(route) == [{"limit": "1"}, {"limit": "1", "continue": "k2"}]
