"""Every operation of two petstore clients, called the way a user would."""

from __future__ import annotations

from petstore_expanded_client import NewPet, Pet, SwaggerPetstoreClient
from swagger_petstore_client import SwaggerPetstoreOpenAPI30Client as FullPetstoreClient
from swagger_petstore_client import models as sp_models

from resilient_client import NOT_GIVEN


async def expanded(client: SwaggerPetstoreClient) -> list[str]:
    pets: list[Pet] = await client.find_pets(tags=["dog"], limit=10)
    # the raw response: arguments checked as for the method, .parsed typed by its return
    raw = await client.with_raw_response(client.find_pets, tags=["dog"], limit=10)
    pets = raw.parsed
    etag: str | None = raw.headers.get("etag")
    assert raw.status_code is None or raw.status_code >= 200 or etag
    created: Pet = await client.add_pet(name="Rex", tag="dog")
    found: Pet = await client.find_pet_by_id(created.id, correlation_id="abc", timeout=2.0)
    await client.find_pet_by_id(found.id, deadline=5.0)  # the call's total seconds
    await client.delete_pet(found.id, max_attempts=1, extra_headers={"X": "1"})
    new: NewPet = found  # allOf with one $ref: Pet is a NewPet
    return [p.name for p in pets] + [new.name]


async def full(client: FullPetstoreClient) -> int:
    category = sp_models.Category(id=1, name="dogs")
    pet = await client.add_pet(name="Rex", photo_urls=["u"], category=category, status="sold")
    # a response's optional field is `int | None`; a request's optional argument is
    # `int | NotGiven` (None is no id the spec allows): say which one you mean
    pet_id = pet.id if pet.id is not None else NOT_GIVEN
    pet = await client.update_pet(name="Rex", photo_urls=[], id=pet_id, idempotency_key="k")
    by_status: list[sp_models.Pet] = await client.find_pets_by_status(status="pending")
    by_tags: list[sp_models.Pet] = await client.find_pets_by_tags(tags=["a", "b"])
    one: sp_models.Pet = await client.get_pet_by_id(1)
    await client.update_pet_with_form(1, name="n", status="s")
    await client.delete_pet(1, api_key="secret")
    uploaded = await client.upload_file(1, additional_metadata="m", content=b"\x89PNG")
    inventory: dict[str, int] = await client.get_inventory()
    order = await client.place_order(
        pet_id=NOT_GIVEN if one.id is None else one.id, quantity=2, status="placed", complete=False
    )
    fetched: sp_models.Order = await client.get_order_by_id(order.id or 0)
    await client.delete_order(fetched.id or 0)
    user = await client.create_user(username="u", first_name="F", user_status=1)
    await client.create_users_with_list_input(body=[user])
    token: str = await client.login_user(username="u", password="p")
    await client.logout_user()
    same: sp_models.User = await client.get_user_by_name("u")
    await client.update_user("u", body=same)
    await client.delete_user("u")
    return len(by_status) + len(by_tags) + len(inventory) + len(token) + (uploaded.code or 0)


def mocked() -> None:
    from petstore_expanded_client.testing import MockSwaggerPetstoreClient

    with MockSwaggerPetstoreClient("http://pets.test") as mock:
        mock.find_pet_by_id.returns(Pet(id=1, name="rex")).fails(503, times=1)
        mock.find_pets.returns([Pet(id=2, name="fido")])
        assert mock.find_pets.call_count == 0
