"""An operation answering only ``text/event-stream`` that also declares a 204: its plain
method still returns the stream (typed ``EventStream[T]``; a 204 is a stream without
events), on the async and the sync client, and the package passes ``mypy --strict``."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from _gen import generate, render_files

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = "feed_no_content_client"


def feed_spec() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Feed", "version": "1"},
        "servers": [{"url": "http://feed.test"}],
        "paths": {
            "/feed": {
                "get": {
                    "operationId": "follow_feed",
                    "responses": {
                        "200": {
                            "description": "items as they come",
                            "content": {
                                "text/event-stream": {
                                    "schema": {"$ref": "#/components/schemas/Item"}
                                }
                            },
                        },
                        "204": {"description": "nothing to follow"},
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Item": {
                    "type": "object",
                    "required": ["n"],
                    "properties": {"n": {"type": "integer"}},
                }
            }
        },
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("feed_gen")
    generate(feed_spec(), out, PACKAGE)
    sys.path.insert(0, str(out))
    try:
        yield out
    finally:
        sys.path.remove(str(out))
        for mod in [m for m in sys.modules if m.startswith(PACKAGE)]:
            del sys.modules[mod]


def test_the_plain_method_returns_the_stream_and_knows_the_204() -> None:
    files, _ = render_files(feed_spec(), package=PACKAGE)
    client, sync = files["_client.py"], files["_sync_client.py"]
    assert '"204": ResponseSpec("empty")' in client
    assert "events_only=True" in client
    assert client.count(") -> EventStream[models.Item]:") == 2  # plain method and _events
    assert ") -> None:" not in client
    assert ") -> SyncEventStream[models.Item]:" in sync
    for text in (client, sync):
        assert "An answer without content (204) is a stream without events." in text


def _answer(status: int) -> httpx.AsyncClient:
    if status == 204:
        response = httpx.Response(204)
    else:
        body = b'data: {"n": 1}\n\ndata: {"n": 2}\n\n'
        response = httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})
    return httpx.AsyncClient(transport=httpx.MockTransport(lambda request: response))


@pytest.mark.parametrize(("status", "expected"), [(204, []), (200, [1, 2])])
async def test_the_async_methods_yield_the_events_or_none(
    generated: Path, status: int, expected: list[int]
) -> None:
    module = importlib.import_module(PACKAGE)
    async with module.FeedClient(http_client=_answer(status)) as client:
        async with await client.follow_feed() as events:
            assert [event.data.n async for event in events] == expected
        async with client.follow_feed_events() as events:
            assert [event.data.n async for event in events] == expected


@pytest.mark.parametrize(("status", "expected"), [(204, []), (200, [1, 2])])
def test_the_sync_method_yields_the_events_or_none(
    generated: Path, status: int, expected: list[int]
) -> None:
    module = importlib.import_module(PACKAGE)
    with (
        module.FeedSyncClient(http_client=_answer(status)) as client,
        client.follow_feed() as events,
    ):
        assert [event.data.n for event in events] == expected


USAGE = f"""
from {PACKAGE} import FeedClient, FeedSyncClient
from {PACKAGE}.models import Item


async def follow(client: FeedClient) -> int:
    total = 0
    async for event in await client.follow_feed():
        item: Item = event.data
        total += item.n
    return total


def follow_sync(client: FeedSyncClient) -> int:
    with client.follow_feed() as events:
        return sum(event.data.n for event in events)


async def wrong(client: FeedClient) -> None:
    nothing: None = await client.follow_feed()
"""


@pytest.mark.slow
def test_the_package_passes_mypy_strict_and_the_204_is_not_typed_none(generated: Path) -> None:
    (generated / "usage_feed.py").write_text(USAGE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(generated / ".mypy_cache"), "--no-error-summary",
         PACKAGE, "usage_feed.py"],
        cwd=generated,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": f"{generated}{os.pathsep}{ROOT}"},
    )  # fmt: skip
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    # exactly the deliberate mistake: the stream assigned to None
    assert len(errors) == 1, result.stdout[-4000:] + result.stderr[-2000:]
    assert "usage_feed.py:20" in errors[0] and "EventStream" in errors[0]
