"""``enum`` schemas: a named ``Enum`` class for components, ``Literal`` inline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.ir import naming
from generator.ir.nodes import NONE, EnumMember, EnumModel, TypeRef, nullable


def enum_type(
    schema: Mapping[str, Any], class_name: str | None, pointer: str
) -> tuple[TypeRef | None, EnumModel | None]:
    """The type of an enum schema (None: not expressible, use the base type) and, for
    a component (``class_name``) of only strings or only integers, its class."""
    raw = schema["enum"]
    values = [v for v in raw if v is not None]
    if not values:
        return NONE, None
    result: TypeRef | None = None
    model: EnumModel | None = None
    if all(isinstance(v, str) for v in values) or all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        distinct = list(dict.fromkeys(values))
        if class_name is not None:
            model = _enum_model(class_name, distinct, schema, pointer)
            result = TypeRef("model", class_name)
        else:
            result = TypeRef("literal", values=tuple(distinct))
    elif all(isinstance(v, str | int | bool) for v in values):
        # mixed (or boolean) values have no Enum mixin type; a Literal states them exactly
        result = TypeRef("literal", values=tuple(dict.fromkeys(values)))
    if result is not None and None in raw:
        result = nullable(result)
    return result, model


def _enum_model(
    name: str, values: list[str | int], schema: Mapping[str, Any], pointer: str
) -> EnumModel:
    # members are numbered in spec order, so values that differ only by case ("on",
    # "On") get stable, distinct names (ON, ON_2)
    assigned = naming.assign_unique(
        [(f"{index:06d}", naming.enum_member_name(v)) for index, v in enumerate(values)]
    )
    description = schema.get("description")
    return EnumModel(
        name=name,
        value_type="str" if isinstance(values[0], str) else "int",
        members=tuple(
            EnumMember(assigned[f"{index:06d}"], value) for index, value in enumerate(values)
        ),
        description=description.strip() or None if isinstance(description, str) else None,
        deprecated=schema.get("deprecated") is True,
        source=pointer,
    )
