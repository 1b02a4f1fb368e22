"""Documents for the validation exactness tests: valid ones and deliberately broken ones.

Shared by tests/generator/validate/test_validate_fast.py, test_walk.py and
tests/corpus/test_validate_exact.py, which hold every fast path (fastjsonschema oracles,
split phases, forked workers, the keyword walk over the plain document) to the
validator's own answer on each of them. ``keyword_cases`` breaks each check of the
keyword walk on purpose.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from generator.validate import describe as validate_describe
from generator.validate import validation as validate_module
from generator.validate import walk as validate_walk
from generator.validate import workers as validate_workers
from generator.validate.describe import run_sequential


def base(openapi: str = "3.0.3") -> dict[str, Any]:
    return {
        "openapi": openapi,
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/items/{id}": {
                "get": {
                    "operationId": "getItem",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }


def _op(document: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"]["/items/{id}"]["get"]
    return operation


def _edit(change: Callable[[dict[str, Any]], None], openapi: str = "3.0.3") -> dict[str, Any]:
    document = base(openapi)
    change(document)
    return document


def _nested(levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"a": schema}}
    return schema


def _components(schemas: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda d: d.update(components={"schemas": schemas})


def cases() -> dict[str, tuple[dict[str, Any], str]]:
    """name -> (document, version as ``load`` reports it)."""
    broken: dict[str, Callable[[dict[str, Any]], None]] = {
        "valid": lambda d: None,
        "title_is_a_number": lambda d: d["info"].update(title=5),
        "responses_is_a_string": lambda d: _op(d).update(responses="x"),
        "missing_info_version": lambda d: d["info"].pop("version"),
        "missing_responses": lambda d: _op(d).pop("responses"),
        "bad_status_code": lambda d: _op(d).update(responses={"abc": {"description": "x"}}),
        "status_code_with_newline": lambda d: _op(d).update(
            responses={"200\n": {"description": "x"}}
        ),
        "bad_default": lambda d: _op(d)["parameters"].append(
            {"name": "n", "in": "query", "schema": {"type": "integer", "default": "x"}}
        ),
        "duplicate_operation_ids": lambda d: d["paths"].update(
            {
                "/other": {
                    "get": {"operationId": "getItem", "responses": {"200": {"description": "o"}}}
                }
            }
        ),
        "undeclared_path_parameter": lambda d: _op(d).update(parameters=[]),
        "path_parameter_required_is_1": lambda d: _op(d)["parameters"][0].update(required=1),
        "path_parameter_required_false": lambda d: _op(d)["parameters"][0].update(required=False),
        "version_with_trailing_newline": lambda d: d.update(openapi="3.0.3\n"),
        "unknown_fields": lambda d: _op(d).update(title="stray", **{"x-ok": 1}),
        "boolean_where_number": _components({"A": {"type": "string", "maxLength": True}}),
        "float_where_integer": _components({"A": {"type": "string", "maxLength": 2.0}}),
        "tuple_as_array": _components({"A": {"type": "object", "required": ("a",)}}),
        "str_subclass": lambda d: d["info"].update(title=_Text("T")),
        "deep_but_fine": _components({"A": _nested(40)}),
        "too_deep_for_jsonschema": _components({"A": _nested(140)}),
        "unicode": lambda d: d["info"].update(title="日本語 ☃ \u0000", description="\ud800"),
        "enum_not_a_list": _components({"A": {"type": "string", "enum": "a"}}),
        "ref_with_siblings": _components({"A": {"$ref": "#/components/schemas/B", "type": 5}}),
        "bad_ref_target_type": _components({"A": {"$ref": 5}}),
        "non_finite_numbers": _components({"A": {"type": "number", "maximum": float("inf")}}),
        "nullable_and_defaults": _components(
            {"A": {"type": "integer", "nullable": True, "default": None, "minimum": 0}}
        ),
        "bad_security_scheme": lambda d: d.update(
            components={"securitySchemes": {"s": {"type": "http", "scheme": 5}}}
        ),
        "paths_key_without_slash": lambda d: d["paths"].update(items={}),
    }
    result = {name: (_edit(change), "3.0") for name, change in broken.items()}
    result.update(keyword_cases())
    for name in (
        "valid",
        "title_is_a_number",
        "missing_responses",
        "bad_status_code",
        "bad_default",
        "duplicate_operation_ids",
        "undeclared_path_parameter",
        "unknown_fields",
    ):
        result[f"{name}_3_1"] = (_edit(broken[name], "3.1.0"), "3.1")
    return result


class _Text(str):
    """A str subclass: JSON-like, but not a type the fast oracle vouches for."""


def walked(document: dict[str, Any], kind: str) -> list[Any] | None:
    """The keyword walk's own answer, or None where it declines (the library answers)."""
    try:
        return validate_walk.KeywordWalk(document, kind).run()
    except validate_walk.Unmodelled:
        return None


def assert_exact(document: dict[str, Any], version: str) -> None:
    """In-process fast path and forked workers both give the sequential answer, the
    keyword walk gives the library's keyword phase, and none changes the document."""
    snapshot = copy.deepcopy(document)
    kind = validate_module._validator_kind(document, version)
    expected = run_sequential(document, kind)
    library = validate_describe.root_phase(document, kind)
    assert validate_walk.root_phase(document, kind) == library
    own = walked(document, kind) if validate_walk.modelled(kind) else None
    assert own is None or (own, True) == library
    assert validate_module._run(document, kind) == expected
    pending = validate_workers.start(document, kind, use_cache=False)
    assert pending is not None, "fork was expected to be available here"
    assert pending.result() == expected
    assert document == snapshot


def _schemas(openapi: str, schemas: dict[str, Any]) -> dict[str, Any]:
    document = base(openapi)
    document["components"] = {"schemas": schemas}
    return document


def _operation_with(openapi: str = "3.0.3", **fields: Any) -> dict[str, Any]:
    document = base(openapi)
    _op(document).update(fields)
    return document


def _media(schema: Any, openapi: str = "3.0.3") -> dict[str, Any]:
    content = {"application/json": {"schema": schema}}
    return _operation_with(openapi, responses={"200": {"description": "ok", "content": content}})


_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
_OBJECT_WITH_A = {"type": "object", "properties": {"a": {"type": "integer"}}}


def keyword_cases() -> dict[str, tuple[dict[str, Any], str]]:
    """Each check of openapi-spec-validator's keyword walk, broken on purpose (and the
    shapes on which the walk must decline and leave the answer to the library)."""
    shared_parameters = base()
    shared_parameters["paths"]["/items/{id}"]["parameters"] = [_ID]
    shared_parameters["paths"]["/items/{id}"]["post"] = {
        "operationId": "getItem",
        "parameters": [{"name": "q", "in": "path", "required": True, "schema": {}}],
        "responses": {"200": {"description": "ok"}},
    }
    referenced = base()
    referenced["paths"]["/items/{id}"] = {"$ref": "#/components/x-items/item~1one%25"}
    referenced["components"] = {
        "x-items": {"item/one%": copy.deepcopy(base()["paths"]["/items/{id}"])},
        "schemas": {
            "Tree": {
                "type": "object",
                "properties": {"child": {"$ref": "#/components/schemas/Tree"}},
            },
            "Alias": {"$ref": "#/components/schemas/Tree"},
            "WithDefault": {
                "allOf": [{"$ref": "#/components/schemas/Tree"}],
                "default": {"child": {"child": 5}},
            },
        },
    }
    named: dict[str, dict[str, Any]] = {
        "duplicate_tags": base() | {"tags": [{"name": "a"}, {"name": "b"}, {"name": "a"}]},
        "duplicate_parameters": _operation_with(
            parameters=[_ID, {"name": "id", "in": "path", "required": True}, _ID]
        ),
        "parameter_not_in_the_url": _operation_with(
            parameters=[_ID, {"name": "other", "in": "path", "required": True, "schema": {}}]
        ),
        "path_level_parameters_locate_operation_errors": shared_parameters,
        "references_everywhere": referenced,
        "schema_not_an_object": _schemas("3.0.3", {"A": 5, "B": {"properties": {"a": "x"}}}),
        "schema_against_the_meta_schema": _schemas(
            "3.0.3",
            {
                "A": {"type": 5},
                "B": {"type": "string", "pattern": "("},
                "C": {"type": "number", "exclusiveMaximum": True},
                "D": {"type": "object", "required": []},
            },
        ),
        "required_not_in_properties": _schemas(
            "3.0.3",
            {
                "A": {"allOf": [_OBJECT_WITH_A], "required": ["a", "b", "c"]},
                "B": {"allOf": [{"anyOf": [_OBJECT_WITH_A]}], "required": ["a"]},
                "C": {"items": {"allOf": [_OBJECT_WITH_A], "required": ["z"]}},
                "D": {"allOf": [{"items": {"not": _OBJECT_WITH_A}}], "required": "ab"},
            },
        ),
        "defaults_everywhere": _schemas(
            "3.0.3",
            {
                "A": {"type": "integer", "default": "x"},
                "B": {"allOf": [{"type": "string", "default": 1}], "anyOf": [{"default": 2}]},
                "C": {"oneOf": [{"type": "string"}, {"type": "integer"}], "default": 1.5},
                "D": {"not": {"type": "string", "default": 3}, "items": {"default": 4}},
                "E": {"type": "integer", "format": "int32", "default": 2**40},
                "F": {"type": "string", "format": "date-time", "default": "yesterday"},
                "G": {"type": "string", "nullable": True, "default": None},
                "H": {"type": "string", "default": None},
                "I": {"$ref": "#/components/schemas/A"},
                "J": {"properties": {"a": {"$ref": "#/components/schemas/A", "default": 7}}},
                "K": {
                    "type": "object",
                    "properties": {"a": {"type": "integer"}},
                    "default": {"a": "b"},
                },
                "L": {"type": "string", "format": "no-such-format", "default": "x"},
            },
        ),
        "defaults_in_parameters_and_media_types": _media(
            {"type": "array", "items": {"type": "integer"}, "default": ["x", 2]}
        ),
        "boolean_schemas_3_1": _schemas("3.1.0", {"A": True, "B": False, "C": {"not": True}}),
        "dialects_3_1": _schemas(
            "3.1.0",
            {
                "A": {"$schema": 5},
                "B": {"$schema": "https://example.com/unknown"},
                "C": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": 5},
                "D": {"type": "integer", "default": "x"},
            },
        ),
        "json_schema_dialect_3_1": _schemas("3.1.0", {"A": {"type": "string"}})
        | {"jsonSchemaDialect": "https://example.com/unknown"},
        # Where the library stops with "validator could not finish", the walk declines.
        "unbalanced_url_braces": base() | {"paths": {"/a/{b": {"get": {"responses": {}}}}},
        "parameter_without_in": _operation_with(parameters=[{"name": "x"}]),
        "paths_as_a_list": base() | {"paths": []},
        "circular_references": _schemas(
            "3.0.3",
            {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}},
        ),
        "reference_to_another_file": _schemas("3.0.3", {"A": {"$ref": "other.yaml#/A"}}),
        "reference_to_an_anchor": _schemas("3.0.3", {"A": {"$ref": "#anchor"}}),
        "allof_cycle": _schemas(
            "3.0.3",
            {
                "A": {"allOf": [{"$ref": "#/components/schemas/B"}], "required": ["x"]},
                "B": {"items": {"$ref": "#/components/schemas/B"}},
            },
        ),
    }
    query = base("3.2.0")
    item = query["paths"]["/items/{id}"]
    item["query"] = {"operationId": "getItem", "responses": {"200": {"description": "q"}}}
    item["additionalOperations"] = {
        "COPY": {"parameters": [{"name": "to", "in": "path", "required": True}], "responses": {}},
        "LOCK": {"operationId": "getItem", "responses": {}},
    }
    named["query_and_additional_operations_3_2"] = query
    named["tag_hierarchy_3_2"] = base("3.2.0") | {
        "tags": [
            {"name": "a", "parent": "b"},
            {"name": "b", "parent": "a"},
            {"name": "c", "parent": "nowhere"},
            {"name": "d", "parent": "d"},
            {"name": "e", "parent": "a"},
            {"name": "a"},
            {"name": "x", "parent": "y"},
            {"name": "y", "parent": "x"},
        ]
    }
    result = {name: (document, _version(document)) for name, document in named.items()}
    for name in (
        "duplicate_tags",
        "duplicate_parameters",
        "required_not_in_properties",
        "defaults_everywhere",
        "references_everywhere",
        "dialects_3_1",
        "json_schema_dialect_3_1",
    ):
        for openapi in ("3.1.0", "3.2.0"):
            document = copy.deepcopy(named[name])
            document["openapi"] = openapi
            suffix = "_3_1" if openapi == "3.1.0" else "_3_2"
            result[name.removesuffix("_3_1") + suffix] = (document, _version(document))
    return result


def _version(document: dict[str, Any]) -> str:
    """The version as ``load`` reports it (3.2 documents are validated as 3.2 all the same)."""
    return "3.0" if document["openapi"].startswith("3.0") else "3.1"
