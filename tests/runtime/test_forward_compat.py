"""Responses are forward compatible; requests stay strict.

A deployed client must survive its server's next release: an enum value the spec does
not list, an unknown field and an absent optional field all decode, the unknown value
kept and visible. Requests (models built by hand, method arguments) stay closed, and
``ClientConfig(strict_responses=True)`` keeps the old strict decoding.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import pytest
import respx
from pydantic import BaseModel, ConfigDict, ValidationError
from runtime_helpers import ItemClient

from resilient_client import (
    ClientConfig,
    OpenEnum,
    OpenLiteral,
    Operation,
    ResponseSpec,
    ResponseValidationError,
)
from resilient_client._open import OPEN_CONTEXT


class Phase(str, OpenEnum):
    READY = "ready"
    DRAINING = "draining"


class Priority(int, OpenEnum):
    LOW = 1
    HIGH = 2


class Health(BaseModel):  # shaped like a generated model
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    status: Annotated[Literal["healthy", "degraded"], OpenLiteral]
    phase: Phase
    priorities: list[Priority] = []
    note: str | None = None


GET_HEALTH: Operation[Health] = Operation(
    "get_health", "GET", "/health", responses={"200": ResponseSpec("json", Health)}
)
LIST_PHASES: Operation[list[Phase]] = Operation(
    "list_phases", "GET", "/phases", responses={"200": ResponseSpec("json", list[Phase])}
)
NEXT_RELEASE = {
    "status": "starting",  # a new inline enum value
    "phase": "warming",  # a new member of a named enum
    "priorities": [2, 3],  # and of an int enum
    "uptime_s": 12,  # a new field; "note" (optional) is absent
}


async def test_a_newer_servers_answer_decodes_with_the_new_values_kept(
    respx_mock: respx.MockRouter,
) -> None:
    respx_mock.get("/health").respond(200, json=NEXT_RELEASE)
    async with ItemClient() as client:
        health = await client._request(GET_HEALTH)
    assert health.status == "starting"
    assert isinstance(health.phase, Phase) and health.phase == "warming"
    assert health.phase.value == "warming" and not Phase.is_known(health.phase)
    assert health.priorities[0] is Priority.HIGH and Priority.is_known(health.priorities[0])
    assert health.priorities[1].value == 3 and not Priority.is_known(health.priorities[1])
    assert health.note is None and health.model_extra == {"uptime_s": 12}
    # sent back unchanged: what came in goes out
    assert json.loads(health.model_dump_json()) == {**NEXT_RELEASE, "note": None}


async def test_unknown_values_of_a_top_level_enum_list_are_kept(
    respx_mock: respx.MockRouter,
) -> None:
    respx_mock.get("/phases").respond(200, json=["ready", "paused"])
    async with ItemClient() as client:
        phases = await client._request(LIST_PHASES)
    assert phases[0] is Phase.READY and phases[1] == "paused"
    assert [Phase.is_known(p) for p in phases] == [True, False]


async def test_strict_responses_refuses_what_the_spec_does_not_list(
    respx_mock: respx.MockRouter,
) -> None:
    respx_mock.get("/health").respond(200, json=NEXT_RELEASE)
    async with ItemClient(config=ClientConfig(strict_responses=True)) as client:
        with pytest.raises(ResponseValidationError, match="does not match Health"):
            await client._request(GET_HEALTH)
    respx_mock.get("/health").respond(200, json={**NEXT_RELEASE, "status": "healthy"})
    async with ItemClient(config=ClientConfig(strict_responses=True)) as client:
        with pytest.raises(ResponseValidationError):  # the enum member is still new
            await client._request(GET_HEALTH)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "starting", "phase": "ready"},
        {"status": "healthy", "phase": "warming"},
        {"status": "healthy", "phase": "ready", "priorities": [3]},
    ],
)
def test_request_side_values_stay_closed(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Health(**fields)
    with pytest.raises(ValueError):
        Phase("warming")


def test_an_unknown_member_is_one_object_per_value() -> None:
    one = Health.model_validate({"status": "healthy", "phase": "x"}, context=OPEN_CONTEXT)
    two = Health.model_validate({"status": "healthy", "phase": "x"}, context=OPEN_CONTEXT)
    assert one.phase is two.phase and repr(one.phase) == "<Phase.UNKNOWN: 'x'>"
