"""Reading schemas in a bundled document: ``$ref`` chains, keywords beside a ``$ref``,
and the properties an ``allOf`` merges.

The converter decides what a schema means as a type; everything it needs to know about
where a schema's keywords come from is answered here, so the two concerns stay apart.
Problems found while reading (a ``$ref`` that points to nothing) are warnings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.errors import Problem, json_pointer


def unescape_pointer_part(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def is_ref(schema: Any) -> bool:
    return isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str)


def _split(pointer: str) -> list[str]:
    return [unescape_pointer_part(part) for part in pointer.split("/")[1:]]


class SchemaReader:
    """Navigates the schemas of one document, reporting problems into ``problems``."""

    def __init__(
        self, document: Mapping[str, Any], *, source_name: str, problems: list[Problem]
    ) -> None:
        self._doc = document
        self._source = source_name
        self._problems = problems

    def view(self, schema: Any, pointer: str) -> Mapping[str, Any]:
        """The schema's keywords with a ``$ref`` target's underneath: 3.1 (and common
        practice) puts ``default``/``readOnly``/``description`` beside the ``$ref``."""
        target, _ = self.deref(schema, pointer)
        merged = dict(target) if isinstance(target, Mapping) else {}
        if isinstance(schema, Mapping):
            merged.update((k, v) for k, v in schema.items() if k != "$ref")
        return merged

    def warn(self, pointer: str, message: str) -> None:
        self._problems.append(Problem(self._source, pointer, message, "warning"))

    def resolve(self, pointer: str) -> Any:
        node: Any = self._doc
        for raw in pointer.split("/")[1:]:
            part = unescape_pointer_part(raw)
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow ``$ref`` chains (of any object kind) to the target and its pointer."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                self.warn(pointer, f"unresolvable or cyclic $ref {ref!r}")
                return {}, pointer
            seen.add(ref)
            pointer = ref[1:]
            node = self.resolve(pointer)
            if node is None:
                self.warn(pointer, f"$ref {ref!r} points to nothing")
                return {}, pointer
        return node, pointer

    def object_properties(
        self, schema: Any, pointer: str
    ) -> tuple[dict[str, tuple[Any, str]], set[str]] | None:
        """Properties (schema and pointer by JSON key) and required keys of an object
        schema, allOf parts merged in; None when the schema is not an object."""
        props: dict[str, tuple[Any, str]] = {}
        required: set[str] = set()
        if not self._collect(schema, pointer, props, required, set()):
            return None
        return props, required

    def _collect(
        self,
        schema: Any,
        pointer: str,
        props: dict[str, tuple[Any, str]],
        required: set[str],
        seen: set[str],
    ) -> bool:
        schema, pointer = self.deref(schema, pointer)
        if not isinstance(schema, Mapping) or pointer in seen:
            return False
        seen.add(pointer)
        found = False
        parts = schema.get("allOf")
        if isinstance(parts, list):
            for index, part in enumerate(parts):
                found |= self._collect(part, f"{pointer}/allOf/{index}", props, required, seen)
        own = schema.get("properties")
        if isinstance(own, Mapping):
            # split and joined again only when that can change it (a ~ escape); else the
            # same text without unescaping every part for every property
            base = json_pointer(*_split(pointer)) if "~" in pointer else pointer
            for key, value in own.items():
                props[str(key)] = (value, base + json_pointer("properties", str(key)))
            found = True
        if schema.get("type") == "object":
            found = True
        names = schema.get("required")
        if isinstance(names, list):
            required.update(str(name) for name in names)
        return found

    def _is_object(self, schema: Any, pointer: str, seen: frozenset[str] = frozenset()) -> bool:
        schema, pointer = self.deref(schema, pointer)
        if not isinstance(schema, Mapping) or pointer in seen:
            return False  # ``A: {allOf: [{$ref: A}]}`` adds no property by naming itself
        if isinstance(schema.get("properties"), Mapping) and schema["properties"]:
            return True
        parts = schema.get("allOf")
        return isinstance(parts, list) and any(
            self._is_object(part, f"{pointer}/allOf/{i}", seen | {pointer})
            for i, part in enumerate(parts)
        )
