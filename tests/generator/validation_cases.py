"""Documents for the validation exactness tests: valid ones and deliberately broken ones.

Shared by tests/generator/validate/test_validate_fast.py and tests/corpus/test_validate_exact.py,
which hold every fast path (fastjsonschema oracle, split phases, forked workers) to the
validator's own sequential answer on each of them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from generator.validate import validation as validate_module
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


def assert_exact(document: dict[str, Any], version: str) -> None:
    """In-process fast path and forked workers both give the sequential answer, and
    neither changes the document."""
    snapshot = copy.deepcopy(document)
    kind = validate_module._validator_kind(document, version)
    expected = run_sequential(document, kind)
    assert validate_module._run(document, kind) == expected
    pending = validate_workers.start(document, kind, use_cache=False)
    assert pending is not None, "fork was expected to be available here"
    assert pending.result() == expected
    assert document == snapshot
