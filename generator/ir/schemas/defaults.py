"""Spec defaults that can be printed as Python and still type-check."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from generator.ir.nodes import Default, EnumModel, Model, TypeRef


def default_of(
    schema: Mapping[str, Any], type_: TypeRef, models: Mapping[str, Model] | None = None
) -> Default | None:
    """The schema's default, when it is a literal that type-checks against ``type_``
    (or a member of an enum class in ``models`` that ``type_`` names)."""
    if "default" not in schema:
        return None
    value = schema["default"]
    if value is None:
        return None
    if _fits(value, type_):
        return Default(value)
    for member_type in type_.args if type_.kind == "union" else (type_,):
        enum = models.get(member_type.name) if models and member_type.kind == "model" else None
        if isinstance(enum, EnumModel):
            for member in enum.members:
                if member.value == value and type(member.value) is type(value):
                    return Default(value, enum_member=(enum.name, member.name))
    return None


def _fits(value: Any, type_: TypeRef) -> bool:
    if type_.kind == "union":
        return any(_fits(value, member) for member in type_.args)
    if type_.kind == "literal":
        return any(value == v and type(value) is type(v) for v in type_.values)
    if type_.kind != "builtin":
        return False
    if isinstance(value, bool):
        return type_.name == "bool"
    if isinstance(value, int):
        return type_.name in ("int", "float")
    if isinstance(value, float):
        # NaN/infinity (YAML .nan/.inf) have no Python literal and no JSON spelling
        return type_.name == "float" and math.isfinite(value)
    if isinstance(value, str):
        return type_.name == "str"
    return False
