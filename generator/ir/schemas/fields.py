"""The fields of an object model, from its merged properties.

Apart from ``SchemaConverter`` because it is the one place that decides what a
property means for a field (required, default, read/write-only, documentation), while
the converter decides types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.ir import naming
from generator.ir.nodes import ModelField
from generator.ir.schemas.protocol import Converter


def model_fields(
    converter: Converter,
    model_name: str,
    props: dict[str, tuple[Any, str]],
    required: set[str],
    *,
    reserved: frozenset[str],
) -> tuple[ModelField, ...]:
    """One field per property (schema and pointer by JSON key), in property order."""
    names = naming.assign_unique(
        [(key, naming.snake_identifier(key, prefix="field")) for key in props],
        reserved=reserved,
    )
    fields: list[ModelField] = []
    for key, (prop, prop_pointer) in props.items():
        prop_schema = converter.view(prop, prop_pointer)
        type_ = converter.type_of(
            prop,
            hint=model_name + naming.pascal_case(key, prefix="Field"),
            pointer=prop_pointer,
        )
        read_only = prop_schema.get("readOnly") is True
        write_only = prop_schema.get("writeOnly") is True
        is_required = key in required and not read_only and not write_only
        default = converter.default_for(prop_schema, type_)
        fields.append(
            ModelField(
                name=names[key],
                wire_name=key,
                type=type_,
                required=is_required and default is None,
                default=default,
                description=_own_description(prop),
                deprecated=prop_schema.get("deprecated") is True,
                read_only=read_only,
                write_only=write_only,
            )
        )
    return tuple(fields)


def _own_description(prop: Any) -> str | None:
    """The property's own description; a bare ``$ref``'s target describes its type, not
    the field, so it is not repeated on every field of that type."""
    return plain_text(prop.get("description")) if isinstance(prop, Mapping) else None


def plain_text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
