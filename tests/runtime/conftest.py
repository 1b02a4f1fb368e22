"""Runtime fixtures: a client subclass wired to respx with a fake clock and sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

import httpx
import pytest
import respx
from pydantic import BaseModel

from resilient_client import BaseServiceClient, ClientConfig, Operation, ResponseSpec

BASE = "http://svc.test/api"


class Item(BaseModel):
    id: int
    name: str


GET_ITEM: Operation[Item] = Operation(
    name="get_item",
    method="GET",
    path="/items/{item_id}",
    responses={"200": ResponseSpec("json", Item), "404": ResponseSpec("json", None)},
)
CREATE_ITEM: Operation[Item] = Operation(
    name="create_item",
    method="POST",
    path="/items",
    responses={"201": ResponseSpec("json", Item)},
    request_content_type="application/json",
)


class ItemClient(BaseServiceClient):
    service_name: ClassVar[str] = "ItemService"
    default_base_url: ClassVar[str | None] = BASE

    async def get_item(self, item_id: int, **kwargs: Any) -> Item:
        return await self._request(GET_ITEM, path_params={"item_id": item_id}, **kwargs)

    async def create_item(self, name: str, **kwargs: Any) -> Item:
        return await self._request(CREATE_ITEM, json={"name": name}, **kwargs)


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
