"""Generated petstore clients driven end to end through the real runtime (HTTP mocked)."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
import respx
from _gen import generate
from testdata import CORPUS

from resilient_client import NotFoundError, ResponseValidationError, ServerError

BASE = "http://pets.test:8080/api/v9"


def _import_generated(tmp: Path, spec: Path, package: str) -> Iterator[ModuleType]:
    generate(spec, tmp, package)
    sys.path.insert(0, str(tmp))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(tmp))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def expanded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    spec = CORPUS / "oai-learn-examples/v3.0/petstore-expanded.yaml"
    yield from _import_generated(tmp_path_factory.mktemp("gen"), spec, "gen_expanded_client")


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    spec = CORPUS / "swagger-petstore/master/openapi.yaml"
    yield from _import_generated(tmp_path_factory.mktemp("gen"), spec, "gen_full_client")


async def test_find_pet_by_id_uses_callers_base_url_and_allof_model(expanded: ModuleType) -> None:
    client_cls = expanded.SwaggerPetstoreClient
    assert client_cls.default_base_url == "https://petstore.swagger.io/v2"
    with respx.mock(assert_all_called=True) as router:
        route = router.get(f"{BASE}/pets/42").respond(200, json={"id": 42, "name": "Rex", "x": 1})
        async with client_cls(BASE, max_retries=0) as client:
            pet = await client.find_pet_by_id(42)
    assert isinstance(pet, expanded.Pet) and isinstance(pet, expanded.NewPet)
    assert (pet.id, pet.name, pet.tag) == (42, "Rex", None)
    assert pet.model_extra == {"x": 1}  # servers may add fields
    assert route.calls.last.request.url.path == "/api/v9/pets/42"  # spec's /v2 replaced


async def test_add_pet_flattens_ref_body_into_keywords(expanded: ModuleType) -> None:
    with respx.mock(assert_all_called=True) as router:
        route = router.post(f"{BASE}/pets").respond(200, json={"id": 1, "name": "Rex"})
        async with expanded.SwaggerPetstoreClient(BASE) as client:
            created = await client.add_pet(name="Rex")
            await client.add_pet(name="Tom", tag="cat")
    assert created.id == 1
    first, second = (json.loads(call.request.content) for call in route.calls)
    assert first == {"name": "Rex"}  # None optional fields are not sent
    assert second == {"name": "Tom", "tag": "cat"}
    assert route.calls.last.request.headers["content-type"] == "application/json"


async def test_query_lists_errors_and_empty_responses(expanded: ModuleType) -> None:
    with respx.mock(assert_all_called=True) as router:
        listing = router.get(f"{BASE}/pets").respond(200, json=[{"id": 1, "name": "a"}])
        router.get(f"{BASE}/pets/7").respond(404, json={"code": 404, "message": "gone"})
        router.delete(f"{BASE}/pets/8").respond(204)
        async with expanded.SwaggerPetstoreClient(BASE, max_retries=0) as client:
            pets = await client.find_pets(tags=["dog", "cat"], limit=2)
            with pytest.raises(NotFoundError) as caught:
                await client.find_pet_by_id(7)
            assert await client.delete_pet(8) is None
    assert [p.name for p in pets] == ["a"]
    params = listing.calls.last.request.url.params
    assert params.get_list("tags") == ["dog", "cat"] and params["limit"] == "2"
    assert isinstance(caught.value.model, expanded.Error)  # the declared default response
    assert caught.value.model.message == "gone"


async def test_wrong_response_shape_is_a_validation_error(expanded: ModuleType) -> None:
    with respx.mock() as router:
        router.get(f"{BASE}/pets/1").respond(200, json={"id": "not-a-number"})
        async with expanded.SwaggerPetstoreClient(BASE) as client:
            with pytest.raises(ResponseValidationError):
                await client.find_pet_by_id(1)


async def test_full_petstore_forms_uploads_headers_and_aliases(full: ModuleType) -> None:
    models = full.models
    client_cls = next(getattr(full, n) for n in full.__all__ if n.endswith("Client"))
    with respx.mock(assert_all_called=True) as router:
        add = router.post(f"{BASE}/pet").respond(
            200, json={"id": 5, "name": "Rex", "photoUrls": ["u"], "status": "sold"}
        )
        upload = router.post(f"{BASE}/pet/5/uploadImage").respond(
            200, json={"code": 200, "type": "ok", "message": "stored"}
        )
        delete = router.delete(f"{BASE}/pet/5").respond(200)
        router.get(f"{BASE}/store/order/3").respond(
            200, json={"id": 3, "petId": 5, "shipDate": "2024-01-02T03:04:05Z", "status": "placed"}
        )
        login = router.get(f"{BASE}/user/login").respond(200, json="token-123")
        async with client_cls(BASE) as client:
            pet = await client.add_pet(
                name="Rex", photo_urls=["u"], category=models.Category(id=1, name="dogs")
            )
            result = await client.upload_file(5, additional_metadata="m", content=b"\x89PNG")
            await client.delete_pet(5, api_key="secret")
            fetched = await client.get_order_by_id(3)
            token = await client.login_user(username="u", password="p")
    sent = json.loads(add.calls.last.request.content)
    assert sent == {"name": "Rex", "photoUrls": ["u"], "category": {"id": 1, "name": "dogs"}}
    assert pet.photo_urls == ["u"] and pet.status == "sold"
    assert result.message == "stored"
    request = upload.calls.last.request
    assert request.content == b"\x89PNG"
    assert request.headers["content-type"] == "application/octet-stream"
    assert request.url.params["additionalMetadata"] == "m"
    assert delete.calls.last.request.headers["api_key"] == "secret"
    assert fetched.pet_id == 5 and fetched.ship_date.year == 2024
    assert token == "token-123"
    assert login.calls.last.request.url.params["username"] == "u"


async def test_server_errors_are_typed(full: ModuleType) -> None:
    client_cls = next(getattr(full, n) for n in full.__all__ if n.endswith("Client"))
    with respx.mock() as router:
        router.get(f"{BASE}/store/inventory").mock(return_value=httpx.Response(503))
        async with client_cls(BASE, max_retries=0) as client:
            with pytest.raises(ServerError):
                await client.get_inventory()
