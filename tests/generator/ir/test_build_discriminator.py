"""oneOf + discriminator: a real pydantic discriminated union when valid, else a plain one."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest
from _gen import generate
from pydantic import TypeAdapter, ValidationError

from generator.ir.build import build_service
from generator.ir.nodes import ObjectModel, TypeRef


def pets_spec() -> dict[str, Any]:
    def animal(kind_values: list[str] | None, extra: str) -> dict[str, Any]:
        kind: dict[str, Any] = {"type": "string"}
        if kind_values:
            kind["enum"] = kind_values
        return {"type": "object", "required": ["petType"],
                "properties": {"petType": kind, extra: {"type": "integer"}}}  # fmt: skip

    return {
        "openapi": "3.0.3",
        "info": {"title": "Zoo", "version": "1"},
        "paths": {},
        "components": {"schemas": {
            "Cat": animal(None, "lives"),
            "Dog": animal(["dog", "puppy"], "barks"),
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"},
                              {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {"propertyName": "petType",
                                      "mapping": {"cat": "#/components/schemas/Cat",
                                                  "dog": "Dog", "puppy": "Dog"}}},
            "Owner": {"type": "object", "properties": {
                "pet": {"$ref": "#/components/schemas/Pet"},
                "other": {"oneOf": [{"$ref": "#/components/schemas/Cat"},
                                    {"$ref": "#/components/schemas/Dog"}],
                          "discriminator": {"propertyName": "petType"}}}},
        }},
    }  # fmt: skip


def test_members_are_narrowed_to_literal_tags() -> None:
    service, _ = build_service(pets_spec(), source_name="zoo.yaml")
    models = {m.name: m for m in service.models}
    cat, dog, owner = models["Cat"], models["Dog"], models["Owner"]
    assert isinstance(cat, ObjectModel) and isinstance(dog, ObjectModel)
    assert isinstance(owner, ObjectModel)
    assert cat.fields[0].type == TypeRef("literal", values=("cat",))
    assert dog.fields[0].type == TypeRef("literal", values=("dog", "puppy"))
    pet = {f.name: f.type for f in owner.fields}["pet"]
    assert pet.kind == "discriminated" and pet.name == "pet_type"
    # without a mapping the tags would be the schema names, which Cat no longer accepts
    assert {f.name: f.type for f in owner.fields}["other"].kind == "union"


def test_generated_union_validates_by_tag(tmp_path: Path) -> None:
    generate(pets_spec(), tmp_path, "zoo_client")
    sys.path.insert(0, str(tmp_path))
    try:
        models = importlib.import_module("zoo_client.models")
        owner = models.Owner.model_validate({"pet": {"petType": "puppy", "barks": 3}})
        assert isinstance(owner.pet, models.Dog) and owner.pet.barks == 3
        cat = TypeAdapter(models.Owner).validate_python({"pet": {"petType": "cat", "lives": 9}})
        assert isinstance(cat.pet, models.Cat)
        with pytest.raises(ValidationError, match="tag"):
            models.Owner.model_validate({"pet": {"petType": "cow"}})
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("zoo_client")]:
            del sys.modules[name]
