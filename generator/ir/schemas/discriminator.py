"""``oneOf`` + ``discriminator`` as a pydantic discriminated union, where that is valid.

pydantic needs every member to be a model whose discriminator field is a ``Literal``.
The member models are narrowed to that ``Literal`` only when it is safe: the field is
the model's own (narrowing an inherited field would change the parent), and no other
union already narrowed it to different values. Otherwise the plain union stays, which
pydantic still validates (just without the tag shortcut).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from generator.errors import INCOMPLETE_MAPPING
from generator.ir.nodes import ModelField, ObjectModel, TypeRef


def discriminated(
    options: list[Any],
    members: list[TypeRef],
    discriminator: Any,
    models: dict[str, Any],
) -> TypeRef | None:
    """The discriminated union, narrowing member models in ``models``; None when invalid."""
    if not isinstance(discriminator, Mapping):
        return None
    prop = discriminator.get("propertyName")
    if not isinstance(prop, str) or len(options) != len(members) or len(members) < 2:
        return None
    raw_mapping = discriminator.get("mapping")
    values_by_ref: dict[str, list[str]] = {}
    if isinstance(raw_mapping, Mapping):
        for value, target in raw_mapping.items():
            if isinstance(target, str):
                key = target if target.startswith("#") else f"#/components/schemas/{target}"
                values_by_ref.setdefault(key, []).append(str(value))
    narrowed: dict[str, ObjectModel] = {}
    field_names: set[str] = set()
    for option, member in zip(options, members, strict=True):
        ref = option.get("$ref") if isinstance(option, Mapping) else None
        model = models.get(member.name) if member.kind == "model" else None
        if (
            not isinstance(ref, str)
            or not isinstance(model, ObjectModel)
            or member.name in narrowed
        ):
            return None
        values = values_by_ref.get(ref)
        if not values and discriminator.get(INCOMPLETE_MAPPING) is True:
            return None  # its entry may be the one dropped: the schema name is no tag
        values = values or [ref.rsplit("/", 1)[-1]]
        field = next((f for f in model.fields if f.wire_name == prop), None)
        if field is None:
            return None
        new_field = _narrow(field, tuple(values))
        if new_field is None:
            return None
        field_names.add(new_field.name)
        narrowed[member.name] = replace(
            model, fields=tuple(new_field if f is field else f for f in model.fields)
        )
    if len(field_names) != 1:
        return None  # pydantic names the field once for every member
    models.update(narrowed)
    return TypeRef("discriminated", name=field_names.pop(), args=tuple(members))


def _narrow(field: ModelField, values: tuple[str, ...]) -> ModelField | None:
    literal = TypeRef("literal", values=values)
    current = field.type
    if current.kind == "literal":
        if not set(values) <= set(current.values):
            return None
    elif not (current.kind == "builtin" and current.name == "str"):
        return None
    default = field.default
    if default is not None and default.value not in values:
        default = None
    # pydantic refuses an optional tag; OpenAPI requires the property to be present anyway
    return replace(field, type=literal, required=default is None, default=default)
