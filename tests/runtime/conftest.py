"""Runtime fixtures: a client subclass wired to respx with a fake clock and sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import respx
from runtime_helpers import BASE, ItemClient

from resilient_client import ClientConfig


@pytest.fixture
async def respx_mock() -> AsyncIterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
def make_client(clock: Any, sleeper: Any) -> Callable[..., ItemClient]:
    """Build an ItemClient with the fake clock/sleep; jitter off so delays are exact."""
    created: list[ItemClient] = []

    def factory(config: ClientConfig | None = None, **kwargs: Any) -> ItemClient:
        client = ItemClient(config=config, clock=clock, sleep=sleeper, **kwargs)
        client._rt.rand = lambda: 1.0
        created.append(client)
        return client

    return factory


def json_response(status: int, body: Any, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)
