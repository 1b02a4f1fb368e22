"""JSON Schema (as OpenAPI uses it) to ``TypeRef`` values and model definitions.

Object schemas become pydantic models; everything else (arrays, unions, primitives,
maps) is expressed structurally where it is used, except a recursive one, which needs
a name to refer to itself and becomes an alias (``alias``). Anything that cannot
be expressed becomes ``Any`` with a warning: a strange schema must never cost the user
an operation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.errors import Problem, json_pointer
from generator.ir import naming
from generator.ir.nodes import (
    ANY,
    NONE,
    AliasModel,
    Default,
    Model,
    ObjectModel,
    TypeRef,
    builtin,
    dict_of,
    list_of,
    nullable,
    union,
)
from generator.ir.schemas.alias import well_founded
from generator.ir.schemas.allof import all_of_type, is_annotation_only
from generator.ir.schemas.defaults import default_of
from generator.ir.schemas.discriminator import discriminated
from generator.ir.schemas.enums import enum_type
from generator.ir.schemas.fields import model_fields, plain_text
from generator.ir.schemas.order import order_models
from generator.ir.schemas.reader import SchemaReader, is_ref, unescape_pointer_part

_STRING_FORMATS = {
    "date-time": "datetime",
    "date": "date",
    "time": "time",
    "uuid": "UUID",
    "binary": "bytes",
    "decimal": "Decimal",
}
_COMPONENT_PREFIX = "/components/schemas/"


class SchemaConverter(SchemaReader):
    """Converts schemas on demand, remembering results by JSON pointer.

    A model's name is registered before its fields are converted, so a schema that
    refers to itself (directly or through others) resolves to its own class.
    """

    def __init__(
        self,
        document: Mapping[str, Any],
        *,
        source_name: str,
        problems: list[Problem],
        reserved_names: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(document, source_name=source_name, problems=problems)
        self._by_pointer: dict[str, TypeRef] = {}
        self._in_progress: set[str] = set()
        self._aliases: dict[str, str] = {}  # pointer -> alias name, for recursive non-objects
        self._models: dict[str, Model] = {}
        #: models of request bodies flattened into keyword arguments (``note_flattened``)
        self._flattened: set[str] = set()
        self._taken: set[str] = set(naming.MODULE_LEVEL_NAMES | reserved_names)
        self._field_reserved = naming.reserved_field_names()
        components = document.get("components")
        schemas = components.get("schemas") if isinstance(components, Mapping) else None
        self._components: Mapping[str, Any] = schemas if isinstance(schemas, Mapping) else {}
        assigned = naming.assign_unique(
            [(key, naming.pascal_case(key)) for key in self._components],
            taken=self._taken,
            separator="",
        )
        self._component_names = {
            _COMPONENT_PREFIX + key.replace("~", "~0").replace("/", "~1"): name
            for key, name in assigned.items()
        }
        self._taken.update(assigned.values())

    # -- public --------------------------------------------------------------------

    def convert_components(self) -> None:
        """Models for every component schema, whether or not an operation uses it."""
        for key in sorted(self._components):
            self.ref_type(json_pointer("components", "schemas", key))

    def models(self) -> tuple[Model, ...]:
        """All models in definition order (see ``order``)."""
        return order_models(self._models)

    def note_flattened(self, schema: Any, pointer: str) -> None:
        """``schema`` (at ``pointer``), a request body, was flattened into keyword
        arguments: the model it was converted to, if any, is generated only if something
        else uses it (``generator.ir.usage``). Converts nothing."""
        ref = schema.get("$ref") if isinstance(schema, Mapping) else None
        key = ref[1:] if isinstance(ref, str) and ref.startswith("#") else pointer
        found = self._by_pointer.get(key)
        if found is not None:
            self._flattened.update(t.name for t in (found, *found.args) if t.kind == "model")

    def flattened_models(self) -> frozenset[str]:
        """The models ``note_flattened`` recorded."""
        return frozenset(self._flattened)

    def default_for(self, schema: Mapping[str, Any], type_: TypeRef) -> Default | None:
        return default_of(schema, type_, self._models)

    def type_of(self, schema: Any, *, hint: str, pointer: str) -> TypeRef:
        """The Python type for ``schema``; inline objects become models named ``hint``."""
        if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
            ref: str = schema["$ref"]
            if not ref.startswith("#"):
                self.warn(pointer, f"external $ref {ref!r} was not bundled; typed as Any")
                return ANY
            result = self.ref_type(ref[1:])
            return nullable(result) if schema.get("nullable") is True else result
        if pointer in self._by_pointer:
            return self._by_pointer[pointer]
        return self._convert(schema, hint=hint, pointer=pointer)

    def ref_type(self, pointer: str) -> TypeRef:
        if pointer in self._by_pointer:
            return self._by_pointer[pointer]
        if pointer in self._in_progress:
            # an object would already be in ``_by_pointer``: this one needs an alias
            if pointer not in self._aliases:
                self._aliases[pointer] = self._model_name(self._hint_for(pointer), pointer)
            return TypeRef("model", self._aliases[pointer])
        target = self.resolve(pointer)
        if target is None:
            self.warn(pointer, "$ref points to nothing; typed as Any")
            return ANY
        self._in_progress.add(pointer)
        try:
            result = self.type_of(target, hint=self._hint_for(pointer), pointer=pointer)
        finally:
            self._in_progress.discard(pointer)
        if pointer in self._aliases:
            result = self._alias(self._aliases[pointer], result, target, pointer)
        self._by_pointer[pointer] = result
        return result

    def _hint_for(self, pointer: str) -> str:
        return self._component_names.get(pointer) or naming.pascal_case(
            unescape_pointer_part(pointer.rsplit("/", 1)[-1])
        )

    def _alias(self, name: str, target: TypeRef, schema: Any, pointer: str) -> TypeRef:
        """The named alias a recursive non-object schema refers to itself by."""
        founded = well_founded(target, name)
        if founded is None:
            self.warn(pointer, "recursive schema that is only a reference to itself; typed as Any")
        target = ANY if founded is None else founded
        description = schema.get("description") if isinstance(schema, Mapping) else None
        self._models[name] = AliasModel(name, target, plain_text(description), pointer)
        return TypeRef("model", name)

    # -- conversion ----------------------------------------------------------------

    def _convert(self, schema: Any, *, hint: str, pointer: str) -> TypeRef:
        if schema is True or schema is None:
            return ANY
        if not isinstance(schema, Mapping):
            if schema is not False:
                self.warn(pointer, "schema is not an object; typed as Any")
            return ANY
        is_nullable = schema.get("nullable") is True
        types = schema.get("type")
        if isinstance(types, list):
            names = [t for t in types if t != "null"]
            is_nullable = is_nullable or len(names) < len(types)
            if not names:
                return NONE
            if len(names) > 1:
                members = [
                    self._convert({**schema, "type": t}, hint=hint, pointer=pointer) for t in names
                ]
                return union([*members, NONE] if is_nullable else members)
            schema = {**schema, "type": names[0]}
        result = self._convert_non_null(schema, hint=hint, pointer=pointer)
        return nullable(result) if is_nullable else result

    def _convert_non_null(self, schema: Mapping[str, Any], *, hint: str, pointer: str) -> TypeRef:
        if "const" in schema:
            value = schema["const"]
            if value is None:
                return NONE
            if isinstance(value, str | int | bool):
                return TypeRef("literal", values=(value,))
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            enum_type = self._enum(schema, hint=hint, pointer=pointer)
            if enum_type is not None:
                return enum_type
        if self._is_object(schema, pointer):
            return self._model(schema, hint=hint, pointer=pointer)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of:
            return all_of_type(self, schema, hint=hint, pointer=pointer)
        for keyword in ("oneOf", "anyOf"):
            options = schema.get(keyword)
            if isinstance(options, list) and options:
                choices = self._union(options, keyword, hint=hint, pointer=pointer)
                if choices is None:
                    return ANY
                tagged = discriminated(options, choices, schema.get("discriminator"), self._models)
                return tagged if tagged is not None else union(choices)
        return self._by_type(schema, hint=hint, pointer=pointer)

    def _by_type(self, schema: Mapping[str, Any], *, hint: str, pointer: str) -> TypeRef:
        kind = schema.get("type")
        if kind == "string":
            fmt = schema.get("format")
            return builtin(_STRING_FORMATS.get(fmt, "str") if isinstance(fmt, str) else "str")
        if kind == "integer":
            return builtin("int")
        if kind == "number":
            return builtin("Decimal" if schema.get("format") == "decimal" else "float")
        if kind == "boolean":
            return builtin("bool")
        if kind == "null":
            return NONE
        if kind == "array" or (kind is None and "items" in schema):
            items = schema.get("items")
            if items is None or isinstance(items, list):
                return list_of(ANY)
            return list_of(self.type_of(items, hint=f"{hint}Item", pointer=f"{pointer}/items"))
        if kind == "object" or (kind is None and "additionalProperties" in schema):
            extra = schema.get("additionalProperties")
            if isinstance(extra, Mapping) and extra:
                value = self.type_of(
                    extra, hint=f"{hint}Value", pointer=f"{pointer}/additionalProperties"
                )
                return dict_of(value)
            return dict_of(ANY)
        if kind is not None:
            self.warn(pointer, f"unknown schema type {kind!r}; typed as Any")
        return ANY

    def _union(
        self, options: list[Any], keyword: str, *, hint: str, pointer: str
    ) -> list[TypeRef] | None:
        members: list[TypeRef] = []
        for index, option in enumerate(options):
            option_pointer = f"{pointer}/{keyword}/{index}"
            if is_annotation_only(option):
                # ``oneOf: [{required: [a]}, {required: [b]}]`` constrains, it adds no type
                return None
            members.append(
                self.type_of(option, hint=f"{hint}Option{index + 1}", pointer=option_pointer)
            )
        return members

    def _enum(self, schema: Mapping[str, Any], *, hint: str, pointer: str) -> TypeRef | None:
        result, model = enum_type(schema, self._component_names.get(pointer), pointer)
        if model is not None:
            self._models[model.name] = model
        return result

    def _model_name(self, hint: str, pointer: str) -> str:
        if pointer in self._component_names:
            return self._component_names[pointer]
        base = naming.pascal_case(hint)
        name, number = base, 2
        while name in self._taken:
            name, number = f"{base}{number}", number + 1
        self._taken.add(name)
        return name

    def _model(self, schema: Mapping[str, Any], *, hint: str, pointer: str) -> TypeRef:
        name = self._model_name(hint, pointer)
        ref = TypeRef("model", name)
        self._by_pointer[pointer] = ref
        base, inherited = self._single_base(schema, pointer)
        collected = self.object_properties(schema, pointer)
        props, required = collected if collected is not None else ({}, set())
        if base is not None:
            own_props: dict[str, tuple[Any, str]] = {}
            own_required: set[str] = set()
            for index, part in enumerate(schema.get("allOf") or []):
                if not is_ref(part):
                    self._collect(part, f"{pointer}/allOf/{index}", own_props, own_required, set())
            siblings = {k: v for k, v in schema.items() if k != "allOf"}
            self._collect(siblings, pointer, own_props, own_required, set())
            if own_props.keys() & inherited or own_required & inherited:
                base = None  # a child redefining its parent's fields is flattened instead
            else:
                props, required = own_props, own_required | required
        fields = model_fields(self, name, props, required, reserved=self._field_reserved)
        extra = schema.get("additionalProperties")
        self._models[name] = ObjectModel(
            name=name,
            fields=fields,
            base=base,
            description=plain_text(schema.get("description")),
            deprecated=schema.get("deprecated") is True,
            extra="ignore" if extra is False else "allow",
            source=pointer,
        )
        return ref

    def _single_base(self, schema: Mapping[str, Any], pointer: str) -> tuple[str | None, set[str]]:
        """The parent class when ``allOf`` has exactly one ``$ref`` to an object model."""
        parts = schema.get("allOf")
        if not isinstance(parts, list):
            return None, set()
        refs = [part for part in parts if is_ref(part)]
        if len(refs) != 1 or not self._is_object(refs[0], pointer):
            return None, set()
        base = self.type_of(refs[0], hint="Base", pointer=pointer)
        if base.kind != "model" or base.name not in self._models:
            return None, set()  # the parent is still being built (a cycle): flatten
        inherited = self.object_properties(refs[0], pointer)
        return base.name, set(inherited[0]) if inherited else set()
