"""Request bodies: which media type is sent and which keyword arguments carry it.

An object body is flattened into keyword arguments (``create_stamp(content=...)``)
because that is how callers think of it; anything that cannot be flattened without
ambiguity (arrays, unions, names that would collide) is one ``body`` argument.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from generator.errors import json_pointer
from generator.ir import naming
from generator.ir.nodes import (
    ANY,
    BYTES,
    FILE,
    STR,
    Body,
    BodyField,
    BodyKind,
    TypeRef,
    dict_of,
    list_of,
)
from generator.ir.schemas.converter import SchemaConverter
from generator.ir.schemas.reader import unescape_pointer_part

_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"


def is_json_media(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def _choose(media_types: list[str]) -> str:
    """JSON first (typed), then forms, then raw bodies."""
    lowered = [m.split(";", 1)[0].strip().lower() for m in media_types]
    predicates: tuple[Callable[[str], bool], ...] = (
        lambda m: m == "application/json" or m.endswith("+json"),
        lambda m: m == _FORM,
        lambda m: m == _MULTIPART,
        lambda m: not m.startswith("text/") and m != "*/*",
        lambda m: m.startswith("text/"),
    )
    for predicate in predicates:
        for original, media in zip(media_types, lowered, strict=True):
            if predicate(media):
                return original
    return media_types[0]


def build_body(
    raw: Any,
    converter: SchemaConverter,
    hint: str,
    pointer: str,
    taken: set[str],
) -> Body | None:
    """The request body of one operation; ``taken`` holds its parameter names."""
    if raw is None:
        return None
    request, pointer = converter.deref(raw, pointer)
    content = request.get("content") if isinstance(request, Mapping) else None
    if not isinstance(content, Mapping) or not content:
        return None
    media_type = _choose([str(m) for m in content])
    entry = content[media_type]
    schema = entry.get("schema") if isinstance(entry, Mapping) else None
    schema_pointer = json_pointer(*_parts(pointer), "content", media_type, "schema")
    required = request.get("required") is True
    description = (
        request.get("description") if isinstance(request.get("description"), str) else None
    )
    base = media_type.split(";", 1)[0].strip().lower()
    kind: BodyKind
    if base == "application/json" or base.endswith("+json"):
        kind = "json_fields"
    elif base == _FORM:
        kind = "form"
    elif base == _MULTIPART:
        kind = "multipart"
    elif base.startswith("text/"):
        return _single(media_type, "text", "content", STR, required, description, taken)
    else:
        return _single(media_type, "bytes", "content", BYTES, required, description, taken)

    fields = _flatten(schema, schema_pointer, converter, hint, taken, required, kind)
    if fields is not None:
        return Body(media_type, kind, fields, required, description)
    if kind == "json_fields":
        type_ = (
            converter.type_of(schema, hint=f"{hint}Request", pointer=schema_pointer)
            if schema is not None
            else ANY
        )
        return _single(media_type, "json", "body", type_, required, description, taken)
    converter.warn(schema_pointer, "form body is not an object with properties; sent as a dict")
    return _single(media_type, kind, "body", dict_of(ANY), required, description, taken)


def _single(
    media_type: str,
    kind: BodyKind,
    desired: str,
    type_: TypeRef,
    required: bool,
    description: str | None,
    taken: set[str],
) -> Body:
    name = naming.assign_unique([("body", desired)], taken=taken)["body"]
    field = BodyField(
        name=name,
        wire_name=name,
        type=type_,  # optional: NOT_GIVEN when left out; None only if the schema allows null
        required=required,
        description=description,
    )
    return Body(media_type, kind, (field,), required, description, single_argument=True)


def _flatten(
    schema: Any,
    pointer: str,
    converter: SchemaConverter,
    hint: str,
    taken: set[str],
    body_required: bool,
    kind: BodyKind,
) -> tuple[BodyField, ...] | None:
    resolved, _ = converter.deref(schema, pointer)
    if not isinstance(resolved, Mapping) or any(
        k in resolved for k in ("oneOf", "anyOf", "discriminator")
    ):
        return None
    collected = converter.object_properties(schema, pointer)
    if collected is None or not collected[0]:
        return None
    props, required = collected
    props = {k: v for k, v in props.items() if not _read_only(converter, *v)}
    desired = {
        key: naming.avoid_reserved(
            naming.snake_identifier(key, prefix="field"), naming.RESERVED_ARGUMENT_NAMES
        )
        for key in props
    }
    if len(set(desired.values())) < len(desired) or set(desired.values()) & taken:
        return None  # flattening would be ambiguous: one ``body`` argument instead
    if kind == "json_fields":
        # Built even though no argument names it: building it names the inline models of
        # its properties, which the arguments share. It is left out of the package unless
        # something else uses it (``generator.ir.usage``).
        converter.type_of(schema, hint=f"{hint}Request", pointer=pointer)
    converter.note_flattened(schema, pointer)
    fields: list[BodyField] = []
    for key, (prop, prop_pointer) in props.items():
        prop_schema = converter.view(prop, prop_pointer)
        is_file = kind == "multipart" and _is_binary(converter, prop, prop_pointer)
        if is_file:
            type_ = list_of(FILE) if prop_schema.get("type") == "array" else FILE
        else:
            type_ = converter.type_of(
                prop, hint=hint + naming.pascal_case(key, prefix="Field"), pointer=prop_pointer
            )
        default = None if is_file else converter.default_for(prop_schema, type_)
        # A default is documented, never sent for the caller: a field the schema requires
        # stays required even when it also names a default.
        is_required = body_required and key in required
        fields.append(
            BodyField(
                name=desired[key],
                wire_name=key,
                type=type_,  # None is accepted (and sent as null) only if the schema says so
                required=is_required,
                default=default,
                description=(
                    prop.get("description")
                    if isinstance(prop, Mapping) and isinstance(prop.get("description"), str)
                    else None
                ),
                is_file=is_file,
            )
        )
    fields.sort(key=lambda f: not f.required)
    return tuple(fields)


def _read_only(converter: SchemaConverter, prop: Any, pointer: str) -> bool:
    return converter.view(prop, pointer).get("readOnly") is True


def _is_binary(converter: SchemaConverter, prop: Any, pointer: str) -> bool:
    resolved, _ = converter.deref(prop, pointer)
    if not isinstance(resolved, Mapping):
        return False
    if resolved.get("type") == "array":
        return _is_binary(converter, resolved.get("items"), f"{pointer}/items")
    return resolved.get("format") == "binary" or resolved.get("contentMediaType") in (
        "application/octet-stream",
    )


def _parts(pointer: str) -> list[str]:
    return [unescape_pointer_part(p) for p in pointer.split("/")[1:]]
