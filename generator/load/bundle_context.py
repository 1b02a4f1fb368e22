"""Part of stage 1 (load): where a node sits in an OpenAPI document (schema, map of
schemas, literal data, discriminator mapping) and the JSON-pointer helpers the bundler
uses, kept apart so the bundler itself stays about references."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any


class Ctx(enum.Enum):
    OTHER = "other"
    SCHEMA = "schema"
    SCHEMA_MAP = "schema map"
    SCHEMA_LIST = "schema list"
    DISCRIMINATOR = "discriminator"
    MAPPING = "mapping"
    DATA = "data"


_SCHEMA_CHILD = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "additionalItems",
        "contentSchema",
    }
)
_SCHEMA_MAP_CHILD = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
_SCHEMA_LIST_CHILD = frozenset({"allOf", "oneOf", "anyOf", "prefixItems"})
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
# Not "default": outside a schema that is mostly the `default` response.
_OTHER_DATA_KEYS = frozenset({"example", "enum", "value"})
Target = tuple[Path, str]


def child_ctx(ctx: Ctx, key: str, parent_key: str | None, at_root: bool) -> Ctx:
    if ctx is Ctx.SCHEMA_MAP or ctx is Ctx.SCHEMA_LIST:
        return Ctx.SCHEMA
    if ctx is Ctx.SCHEMA:
        if key in _SCHEMA_CHILD:
            return Ctx.SCHEMA
        if key in _SCHEMA_MAP_CHILD:
            return Ctx.SCHEMA_MAP
        if key in _SCHEMA_LIST_CHILD:
            return Ctx.SCHEMA_LIST
        if key == "discriminator":
            return Ctx.DISCRIMINATOR
        return Ctx.DATA if key in _DATA_KEYS else Ctx.OTHER
    if ctx is Ctx.DISCRIMINATOR:
        return Ctx.MAPPING if key == "mapping" else Ctx.DATA
    if key == "schema":
        return Ctx.SCHEMA
    if (key == "schemas" and parent_key == "components") or (key == "definitions" and at_root):
        return Ctx.SCHEMA_MAP
    return Ctx.DATA if key in _OTHER_DATA_KEYS else Ctx.OTHER


def is_ref_string(value: str) -> bool:
    return "#" in value or "/" in value or value.endswith((".yaml", ".yml", ".json"))


def decode_pointer(fragment: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in fragment.split("/")[1:]]


def resolve_pointer(document: Any, fragment: str) -> Any:
    node = document
    for part in decode_pointer(fragment):
        if isinstance(node, dict):
            node = node[part]
        elif isinstance(node, list) and part.isdigit():
            node = node[int(part)]
        else:
            raise KeyError(part)
    return node


DOCUMENT_SUFFIXES = frozenset({".yaml", ".yml", ".json"})


def reference_root(root: Path) -> Path:
    """The folder references may read from: the spec's parent folder, so ``../common``
    works in split specs, but never the filesystem root or the home folder as a whole
    (a spec dropped in /tmp or ~ must not reach every file on the machine)."""
    spec_dir = root.parent
    parent = spec_dir.parent
    try:
        home = Path.home().resolve()
    except (RuntimeError, OSError):
        home = None
    if parent == Path(parent.anchor) or (home is not None and home.is_relative_to(parent)):
        return spec_dir
    return parent
