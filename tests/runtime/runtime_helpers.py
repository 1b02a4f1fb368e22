"""The client the runtime tests drive: importable by a unique name.

Test modules import these as ``from runtime_helpers import ...``: a bare ``conftest``
import resolves to whichever ``tests/*/conftest.py`` was imported first, so it breaks
as soon as pytest collects another folder first.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel

from resilient_client import BaseServiceClient, Operation, ResponseSpec

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
