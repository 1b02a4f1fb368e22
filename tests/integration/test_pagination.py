"""``<name>_iter`` over real sockets: a client generated at test time from
``tests/data/pagination/paging.yaml`` walks a loopback server that pages the way
GitHub (``Link`` headers, ``page``/``per_page``) and Stripe (``has_more`` +
``starting_after``) do, and the committed MetadataStamping client walks the fault
server's offset-paged namespace listing.
"""

from __future__ import annotations

import importlib
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import uvicorn
from metadata_stamping_client import MetadataStampingClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from testdata import DATA

from fault_server.testing import RunningServer
from generator.pipeline import generate
from resilient_client import ClientConfig, RetryConfig

pytestmark = pytest.mark.integration

ISSUES = [{"number": n, "title": f"issue {n}"} for n in range(1, 8)]
CUSTOMERS = [{"id": f"cus_{n:03d}", "email": f"c{n}@example.test"} for n in range(1, 6)]


class Shop:
    """The server's memory: every request it saw, and faults still to serve."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, str], str | None]] = []
        self.fail_next: dict[str, int] = {}

    def record(self, request: Request) -> Response | None:
        path = request.url.path
        self.seen.append(
            (path, dict(request.query_params), request.headers.get("x-correlation-id"))
        )
        key = f"{path}?{request.url.query}"
        if self.fail_next.get(key, 0) > 0:
            self.fail_next[key] -= 1
            return JSONResponse({"message": "try again"}, status_code=503)
        return None

    async def issues(self, request: Request) -> Response:
        failure = self.record(request)
        if failure is not None:
            return failure
        page = int(request.query_params.get("page", "1"))
        per_page = int(request.query_params.get("per_page", "30"))
        state = request.query_params.get("state", "open")
        chunk = ISSUES[(page - 1) * per_page : page * per_page]
        links = []
        # GitHub's links point at its canonical host and path; the client replays the
        # query on its own base URL and path instead of following them.
        canonical = f"https://api.github.example/repositories/42/issues?state={state}"
        if page * per_page < len(ISSUES):
            links.append(f'<{canonical}&per_page={per_page}&page={page + 1}>; rel="next"')
        if page > 1:
            links.append(f'<{canonical}&per_page={per_page}&page={page - 1}>; rel="prev"')
        headers = {"Link": ", ".join(links)} if links else {}
        return JSONResponse(chunk, headers=headers)

    async def customers(self, request: Request) -> Response:
        failure = self.record(request)
        if failure is not None:
            return failure
        limit = int(request.query_params.get("limit", "10"))
        after = request.query_params.get("starting_after")
        start = 0 if after is None else [c["id"] for c in CUSTOMERS].index(after) + 1
        chunk = CUSTOMERS[start : start + limit]
        return JSONResponse(
            {
                "object": "list",
                "url": "/v1/customers",
                "data": chunk,
                "has_more": start + limit < len(CUSTOMERS),
            }
        )


@pytest.fixture(scope="module")
def shop() -> Iterator[tuple[Shop, str]]:
    state = Shop()
    app = Starlette(
        routes=[
            Route("/repos/{owner}/issues", state.issues),
            Route("/v1/customers", state.customers),
        ]
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    try:
        yield state, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def paging_client(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The package the real generator makes from the paging spec."""
    out = tmp_path_factory.mktemp("paging-client")
    result = generate(
        DATA / "pagination" / "paging.yaml", out_dir=out, package_name="paging_client"
    )
    assert result.written
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module("paging_client")
    finally:
        sys.path.remove(str(out))


def _client(module: ModuleType, base_url: str, **config: Any) -> Any:
    sleeps: list[float] = []

    async def no_wait(seconds: float) -> None:
        sleeps.append(seconds)

    cls: Callable[..., Any] = module.PagingShopClient
    return cls(base_url, config=ClientConfig(timeout=5.0, **config), sleep=no_wait)


async def test_github_style_link_pages(shop: tuple[Shop, str], paging_client: ModuleType) -> None:
    state, base = shop
    state.seen.clear()
    async with _client(paging_client, base) as client:
        issues = [i async for i in client.list_issues_iter("octo", state="all", per_page=3)]
    assert [i.number for i in issues] == list(range(1, 8))
    assert type(issues[0]).__name__ == "Issue"  # the spec's model, not a dict
    assert [(path, query.get("page")) for path, query, _ in state.seen] == [
        ("/repos/octo/issues", None),
        ("/repos/octo/issues", "2"),
        ("/repos/octo/issues", "3"),
    ]
    assert all(query["state"] == "all" and query["per_page"] == "3" for _, query, _ in state.seen)
    assert len({cid for _, _, cid in state.seen}) == 1


async def test_stripe_style_pages_and_a_retried_page(
    shop: tuple[Shop, str], paging_client: ModuleType
) -> None:
    state, base = shop
    state.seen.clear()
    state.fail_next["/v1/customers?limit=2&starting_after=cus_002"] = 1
    retry = RetryConfig(max_attempts=3, backoff_base=0.01, jitter=False)
    async with _client(paging_client, base, retry=retry) as client:
        pages = [page async for page in client.list_customers_iter(limit=2).pages()]
        assert client.metrics().total.retries == 1
    assert [[c.id for c in page.data] for page in pages] == [
        ["cus_001", "cus_002"],
        ["cus_003", "cus_004"],
        ["cus_005"],
    ]
    assert [query.get("starting_after") for _, query, _ in state.seen] == [
        None,
        "cus_002",
        "cus_002",  # the 503, retried
        "cus_004",
    ]
    assert len({cid for _, _, cid in state.seen}) == 1


async def test_max_pages_over_the_wire(shop: tuple[Shop, str], paging_client: ModuleType) -> None:
    state, base = shop
    state.seen.clear()
    async with _client(paging_client, base) as client:
        first = [c.id async for c in client.list_customers_iter(limit=2, max_pages=1)]
    assert first == ["cus_001", "cus_002"] and len(state.seen) == 1


async def test_the_stamping_clients_namespace_listing_walks_every_stamp(
    make_stamping: Callable[..., MetadataStampingClient], stamping_server: RunningServer
) -> None:
    client = make_stamping()
    for n in range(5):
        await client.create_stamp(content=f"paged content {n}\n", namespace="paged")
    await client.create_stamp(content="elsewhere\n", namespace="other")
    before = stamping_server.stats.requests
    hashes = [s.file_hash async for s in client.list_namespace_stamps_iter("paged", limit=2)]
    assert len(hashes) == 5 and len(set(hashes)) == 5
    # pages of 2, 2 and 1, then the empty page that ends an offset walk
    assert stamping_server.stats.requests - before == 4
    walk = stamping_server.stats.records[before:]
    assert len({r.correlation_id for r in walk}) == 1


def test_the_readme_example_runs(
    stamping_server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Paging: `<operation>_iter`", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert code is not None
    source = code.group(1).replace("http://localhost:8053", stamping_server.base_url)
    exec(compile(source, "README.md", "exec"), {"__name__": "readme_example"})
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 + 2  # five stamps, then two pages of the capped walk
    assert lines[5:] == ["5 2", "5 2"]
