"""``allOf`` whose members are not objects: one Python type when the members agree.

``allOf: [{$ref: Slug}, {maxLength: 16}]`` and ``allOf: [{$ref: Status}, {description:
...}]`` are the usual ways to constrain or document a referenced scalar. A Python type
cannot carry ``maxLength``, so a member that only constrains adds nothing to the type;
what matters is that every member is the same kind of value (string, integer/number,
boolean, array, map). An ``enum``/``const`` member narrows the type to its values, and
a ``$ref`` keeps its name (an enum class, a recursive alias). Anything else (an object
beside a scalar, two kinds, a member with ``oneOf``) stays ``Any`` with a warning that
names the schema: a strange schema must never cost the user an operation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.ir.nodes import ANY, NONE, TypeRef, dict_of, list_of, nullable
from generator.ir.schemas.protocol import Converter

#: Keywords that say nothing about the type of a value.
ANNOTATION_KEYS = frozenset(
    {
        "title",
        "description",
        "required",
        "example",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "default",
        "externalDocs",
        "xml",
        "minProperties",
        "maxProperties",
    }
)
#: Constraint keywords that only apply to one kind of value: a member made of them
#: (``{maxLength: 16}``) belongs to that kind.
_KIND_OF_KEYWORD = {
    **dict.fromkeys(("minLength", "maxLength", "pattern"), "string"),
    **dict.fromkeys(("contentEncoding", "contentMediaType"), "string"),
    **dict.fromkeys(("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"), "number"),
    "multipleOf": "number",
    **dict.fromkeys(("items", "minItems", "maxItems", "uniqueItems", "prefixItems"), "array"),
    **dict.fromkeys(("additionalProperties", "patternProperties", "propertyNames"), "object"),
}
_FORMAT_KINDS = {"int32": "integer", "int64": "integer", "float": "number", "double": "number"}
_NOT_A_MEMBER = frozenset({"allOf", "oneOf", "anyOf", "discriminator", "not", "if", "then", "else"})
_SCALARS = frozenset({"string", "integer", "number", "boolean", "null"})


def is_annotation_only(schema: Any) -> bool:
    return isinstance(schema, Mapping) and all(
        key in ANNOTATION_KEYS or str(key).startswith("x-") for key in schema
    )


def _is_metadata(schema: Any) -> bool:
    """Adds nothing to the type (``nullable`` is read separately)."""
    return schema is True or (
        isinstance(schema, Mapping)
        and all(k == "nullable" or k in ANNOTATION_KEYS or str(k).startswith("x-") for k in schema)
    )


Member = tuple[Any, str, Mapping[str, Any]]  # schema, pointer, keywords ($ref resolved)


def all_of_type(
    converter: Converter, schema: Mapping[str, Any], *, hint: str, pointer: str
) -> TypeRef:
    """The type of a non-object schema with ``allOf`` (its siblings count as a member)."""
    parts = [(part, f"{pointer}/allOf/{i}") for i, part in enumerate(schema["allOf"])]
    # ``oneOf`` beside ``allOf`` narrows further; the allOf type still holds every value
    parts.append(({k: v for k, v in schema.items() if k not in _NOT_A_MEMBER}, pointer))
    members = [(m, p, converter.view(m, p)) for m, p in parts]
    # lenient on purpose: a member that says ``nullable`` means the API sends null
    may_be_null = any(_nullable(view) for _, _, view in members)
    typed = [member for member in members if not _is_metadata(member[0])]
    result = _merged(converter, typed, hint=hint, pointer=pointer)
    return nullable(result) if may_be_null and not result.is_any else result


def _nullable(view: Mapping[str, Any]) -> bool:
    kinds = view.get("type")
    return view.get("nullable") is True or (isinstance(kinds, list) and "null" in kinds)


def _merged(converter: Converter, typed: list[Member], *, hint: str, pointer: str) -> TypeRef:
    if not typed:
        return ANY  # only documentation: any value is allowed
    if len(typed) == 1:
        return converter.type_of(typed[0][0], hint=hint, pointer=typed[0][1])
    kinds = {_kind(converter, view, p, set()) for _, p, view in typed}
    if None in kinds:
        converter.warn(pointer, "allOf member without one plain type (oneOf, not...); typed as Any")
        return ANY
    if kinds >= {"integer", "number"}:
        kinds.discard("number")  # every integer is a number: the intersection is integer
    if "object" in kinds and len(kinds) > 1:
        converter.warn(pointer, "allOf mixes object and non-object schemas; typed as Any")
        return ANY
    if len(kinds) > 1:
        names = ", ".join(sorted(str(k) for k in kinds))
        converter.warn(pointer, f"allOf of incompatible types ({names}); typed as Any")
        return ANY
    kind = str(kinds.pop())
    enums = [member for member in typed if "enum" in member[2] or "const" in member[2]]
    if len(enums) == 1:
        return converter.type_of(enums[0][0], hint=hint, pointer=enums[0][1])
    if enums:
        return _common_values(converter, [view for _, _, view in enums], pointer)
    refs = [(m, p) for m, p, _ in typed if isinstance(m, Mapping) and "$ref" in m]
    if len(refs) == 1:
        return converter.type_of(refs[0][0], hint=hint, pointer=refs[0][1])
    if kind in _SCALARS:
        formats = [view["format"] for _, _, view in typed if isinstance(view.get("format"), str)]
        plain = {"type": kind, **({"format": formats[0]} if formats else {})}
        return converter.type_of(plain, hint=hint, pointer=pointer)
    return _container(converter, typed, kind, hint=hint, pointer=pointer)


def _container(
    converter: Converter, typed: list[Member], kind: str, *, hint: str, pointer: str
) -> TypeRef:
    """Arrays or maps: the one member that says what they hold decides."""
    key = "items" if kind == "array" else "additionalProperties"
    carriers = {
        converter.type_of(m, hint=hint, pointer=p)
        for m, p, view in typed
        if isinstance(view.get(key), Mapping) and view[key]
    }
    if len(carriers) > 1:
        converter.warn(pointer, f"allOf of {kind}s with different contents; typed as Any")
        return ANY
    if carriers:
        return carriers.pop()
    return list_of(ANY) if kind == "array" else dict_of(ANY)


def _common_values(converter: Converter, views: list[Mapping[str, Any]], pointer: str) -> TypeRef:
    """Several enum/const members: only the values all of them allow."""
    value_lists = [view["enum"] if "enum" in view else [view["const"]] for view in views]
    if not all(isinstance(values, list) for values in value_lists):
        converter.warn(pointer, "allOf of enums that are not lists; typed as Any")
        return ANY
    common = [
        value
        for value in value_lists[0]
        if isinstance(value, str | int | bool | None)
        and all(any(_same(value, other) for other in values) for values in value_lists[1:])
    ]
    if not common:
        converter.warn(pointer, "allOf of enums with no value in common; typed as Any")
        return ANY
    literal = tuple(dict.fromkeys(value for value in common if value is not None))
    if not literal:
        return NONE
    result = TypeRef("literal", values=literal)
    return nullable(result) if None in common else result


def _same(left: Any, right: Any) -> bool:
    """JSON equality: ``1`` and ``True`` are different values."""
    return type(left) is type(right) and left == right


def _kind(
    converter: Converter, view: Mapping[str, Any], pointer: str, seen: set[str]
) -> str | None:
    """The one kind of value a schema allows, or None when it has no single kind."""
    if pointer in seen or any(k in view for k in ("oneOf", "anyOf", "not", "if")):
        return None
    if isinstance(view.get("properties"), Mapping) and view["properties"]:
        return "object"
    declared = _declared_kind(view)
    kinds: set[str | None] = {declared} if declared else set()
    kinds |= {kind for key, kind in _KIND_OF_KEYWORD.items() if key in view}
    fmt = view.get("format")
    if isinstance(fmt, str) and not declared:
        kinds.add(_FORMAT_KINDS.get(fmt, "string"))
    values = [view["const"]] if "const" in view else view.get("enum")
    if isinstance(values, list):
        kinds |= {_value_kind(v) for v in values if v is not None}
    parts = view.get("allOf")
    if isinstance(parts, list):
        for index, part in enumerate(parts):
            part_pointer = f"{pointer}/allOf/{index}"
            if not _is_metadata(part):
                _, target = converter.deref(part, part_pointer)  # cycles are seen by target
                part_view = converter.view(part, part_pointer)
                kinds.add(_kind(converter, part_view, target, seen | {pointer}))
    if kinds >= {"integer", "number"}:
        kinds.discard("number")
    return kinds.pop() if len(kinds) == 1 else None


def _declared_kind(view: Mapping[str, Any]) -> str | None:
    declared = view.get("type")
    if isinstance(declared, list):
        names = [t for t in declared if t != "null"]
        declared = names[0] if len(names) == 1 else ("null" if not names else None)
    return declared if isinstance(declared, str) else None


def _value_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object" if isinstance(value, dict) else None
