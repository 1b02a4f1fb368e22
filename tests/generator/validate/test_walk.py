"""The keyword walk over the plain document gives exactly openapi-spec-validator's keyword
phase (``describe.root_phase``), declines where it does not model a case, and needs
neither the validator nor jsonschema-path; its draft 4 meta-schema oracle is never more
lenient than jsonschema."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from typing import Any

import pytest
from validation_cases import _op, base, cases, keyword_cases, walked

from generator.validate import describe, walk, walk_checks, walk_defaults, walk_oracle
from generator.validate.fast import plain_json
from generator.validate.validation import _validator_kind

CASES = cases()
#: Shapes on which the library stops ("validator could not finish", "too deeply
#: recursive") or that the walk does not model: the walk must decline them.
DECLINED = {
    "responses_is_a_string",
    "tuple_as_array",
    "str_subclass",
    "deep_but_fine",
    "too_deep_for_jsonschema",
    "ref_with_siblings",
    "unbalanced_url_braces",
    "parameter_without_in",
    "paths_as_a_list",
    "circular_references",
    "reference_to_another_file",
    "reference_to_an_anchor",
    "allof_cycle",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_walk_gives_the_library_keyword_phase(name: str) -> None:
    document, version = CASES[name]
    kind = _validator_kind(document, version)
    snapshot = copy.deepcopy(document)
    expected = describe.root_phase(document, kind)
    own = walked(document, kind)
    if name in DECLINED:
        assert own is None
    else:
        assert own is not None, "the walk declined a case it models"
        assert (own, True) == expected
    assert walk.root_phase(document, kind) == expected
    assert document == snapshot


def test_every_keyword_check_is_exercised() -> None:
    """The broken-on-purpose cases reach each message the walk can produce itself."""
    messages = [
        message
        for name, (document, version) in keyword_cases().items()
        for _, message, _ in (walked(document, _validator_kind(document, version)) or [])
    ]
    for start in (
        "Duplicate tag name",
        "Duplicate parameter",
        "Operation ID",
        "Path parameter",
        "Required list has not defined properties",
        "default value does not match its schema",
        "Unknown JSON Schema dialect",
        "Tag 'c' references unknown parent tag 'nowhere'",
        "Circular tag hierarchy detected: x -> y -> x",
        "Circular tag hierarchy detected: d -> d",
    ):
        assert any(m.startswith(start) for m in messages), start
    assert any(m.endswith("is not of type 'object', 'boolean'") for m in messages)
    assert any("is not a 'regex'" in m for m in messages)


def test_another_validator_version_takes_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    document, kind = CASES["defaults_everywhere"]
    expected = describe.root_phase(document, kind)
    monkeypatch.setattr(walk, "installed_version", lambda name: "0.8.6")

    def refuse(*args: Any) -> None:
        raise AssertionError("the walk ran for a validator version it does not model")

    monkeypatch.setattr(walk, "KeywordWalk", refuse)
    assert not walk.modelled("3.0")
    assert walk.root_phase(document, kind) == expected


def test_the_modelled_kinds() -> None:
    assert all(walk.modelled(kind) for kind in ("3.0", "3.1", "3.2"))
    assert not walk.modelled("2.0")


@pytest.mark.parametrize("openapi", ["3.0.3", "3.1.0"])
def test_the_common_case_needs_neither_the_validator_nor_jsonschema(openapi: str) -> None:
    """A document whose defaults are plainly fine and whose schemas the oracles vouch
    for: the answer comes without openapi-spec-validator, jsonschema-path,
    pydantic-settings or even jsonschema being imported."""
    document = base(openapi)
    kind = openapi[:3]
    limit = {"type": "integer", "format": "int32", "minimum": 1, "maximum": 100, "default": 20}
    document["components"] = {
        "schemas": {
            "A": {"type": "object", "required": ["a"], "properties": {"a": {}}},
            "B": {"type": "string", "enum": ["x", "y"], "default": "y", "x-note": 1},
        },
        "parameters": {"limit": {"name": "limit", "in": "query", "schema": limit}},
    }
    _op(document)["parameters"].append({"$ref": "#/components/parameters/limit"})
    probe = (
        "import json, sys\n"
        "from generator.validate import walk\n"
        f"document = json.loads({json.dumps(json.dumps(document))})\n"
        f"print(walk.root_phase(document, {kind!r}))\n"
        "heavy = ['openapi_spec_validator', 'jsonschema_path', 'pydantic_settings', 'jsonschema']\n"
        "print([name for name in heavy if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[:2] == ["([], True)", "[]"]


def test_a_value_check_imports_only_openapi_schema_validator() -> None:
    document, _ = CASES["bad_default"]
    probe = (
        "import json, sys\n"
        "from generator.validate import walk\n"
        f"document = json.loads({json.dumps(json.dumps(document))})\n"
        "print(len(walk.root_phase(document, '3.0')[0]))\n"
        "print([n for n in ['openapi_spec_validator', 'jsonschema_path'] if n in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[:2] == ["1", "[]"]


def _allof_chain(links: int) -> dict[str, Any]:
    """A default whose schema is a chain of ``links`` anyOf references, listed so that the
    walk itself stays shallow (each link is visited from ``components`` before the one
    that refers to it): only jsonschema's recursion, the same code in the walk and in the
    library, grows with the chain."""
    schemas: dict[str, Any] = {"End": {"type": "integer"}}
    for index in reversed(range(links)):
        target = f"S{index + 1}" if index + 1 < links else "End"
        schemas[f"S{index}"] = {"anyOf": [{"$ref": f"#/components/schemas/{target}"}]}
    schemas["S0"]["default"] = "x"
    document = base()
    document["components"] = {"schemas": schemas}
    return document


@pytest.mark.parametrize("links", [60, 186, 188, 189, 190])
def test_near_the_recursion_limit_the_walk_agrees_or_declines(links: int) -> None:
    """Checks run on a stack at least as deep as the library's, so where the library
    runs out of recursion the walk cannot quietly succeed. Under pytest the library
    first runs out at 189 links, where a walk without ``_padded`` answered (wrongly)."""
    document = _allof_chain(links)
    expected = describe.root_phase(document, "3.0")
    own = walked(document, "3.0")
    assert own is None or (own, True) == expected
    assert walk.root_phase(document, "3.0") == expected


def test_padding_adds_the_frames_asked_for() -> None:
    here = walk_checks.stack_depth()
    assert walk_checks._padded(0, walk_checks.stack_depth) == here + 1
    assert walk_checks._padded(50, walk_checks.stack_depth) == here + 51


# -- the draft 4 meta-schema oracle ---------------------------------------------------------


def test_the_shipped_oracle_is_built_for_the_installed_libraries() -> None:
    from generator.validate import meta_draft4

    assert walk_oracle.cache_key() == meta_draft4.KEY
    expected = walk_oracle.source()
    with open(walk_oracle.TARGET, encoding="utf-8") as shipped:
        assert shipped.read() == expected, "run python -m generator.validate.walk_oracle"


def _schemas_of(value: Any) -> list[Any]:
    found = []
    if isinstance(value, dict):
        found.append(value)
        for item in value.values():
            found += _schemas_of(item)
    elif isinstance(value, list):
        for item in value:
            found += _schemas_of(item)
    return found


_ODD = [5, -1, 2.0, True, None, "(", "[a-", "string", [], ["a", "a"], [1, True], {}, {"type": 5}]
_KEYWORDS = ["type", "pattern", "required", "maxLength", "minimum", "exclusiveMinimum", "enum",
             "items", "properties", "allOf", "not", "additionalProperties", "format", "id"]  # fmt: skip


def _check_schema_passes(schema: Any) -> bool:
    from jsonschema.exceptions import SchemaError, ValidationError  # type: ignore[import-untyped]
    from openapi_schema_validator import OAS30Validator

    try:
        OAS30Validator.check_schema(schema)
    except (SchemaError, ValidationError):
        return False
    return True


def test_the_oracle_is_never_more_lenient_than_check_schema() -> None:
    """Every object in every case, and random damage to a rich schema: whenever the
    oracle vouches, ``OAS30Validator.check_schema`` raises nothing."""
    # The oracle is asked only about plain JSON (the walk checks the document first).
    candidates = [
        s for document, _ in CASES.values() if plain_json(document) for s in _schemas_of(document)
    ]
    seed = {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "string", "pattern": "^a+$", "maxLength": 3}},
        "items": [{"type": "integer", "minimum": 0, "exclusiveMinimum": False}],
        "allOf": [{"enum": [1, "a"]}],
    }
    rng = random.Random(4)
    for _ in range(600):
        schema = copy.deepcopy(seed)
        target = rng.choice(_schemas_of(schema))
        target[rng.choice(_KEYWORDS)] = copy.deepcopy(rng.choice(_ODD))
        candidates.append(schema)
    vouched = 0
    for schema in candidates:
        if walk_oracle.vouches_for_v30(schema):
            vouched += 1
            assert _check_schema_passes(schema), schema
    assert vouched > 100  # exercised, not merely refusing everything
    assert not walk_oracle.vouches_for_v30({"type": "string", "pattern": "("})
    assert not walk_oracle.vouches_for_v30({"maxLength": 2.0})


# -- the oracle for defaults ------------------------------------------------------------------

_VALUES = ["", "ab", "abcdef", 0, 1, -5, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63, 1.5,
           2.0, float("nan"), float("inf"), True, False, None, [], {}, ["ab"]]  # fmt: skip
_SCHEMA_PARTS: dict[str, list[Any]] = {
    "type": ["string", "integer", "number", "boolean", "array", ["string"], 5],
    "format": ["int32", "int64", "float", "date", "byte", 7],
    "enum": [["ab", "x"], ["x"], [1, True], "ab", [0]],
    "minimum": [0, 1, 1.5, "1", True, float("nan")],
    "maximum": [1, 2**31, -1, 2.0, None],
    "minLength": [0, 2, 3, 2.0, True],
    "maxLength": [0, 2, 3, -1],
    "nullable": [True, False],
    "exclusiveMinimum": [True],
    "pattern": ["^a"],
    "x-anything": [1],
    "description": ["d"],
    "anyOf": [
        [{"type": "string"}, {"type": "null"}],
        [{"type": "integer", "minimum": 3}],
        [],
        "x",
        [{"type": "string", "maxLength": 1}, {"anyOf": [{"type": "number"}]}],
        [{"enum": ["ab"]}],
        [{"type": "null"}, {"type": "string"}],
        [{"type": "integer", "minimum": "1"}, {"type": "string"}],
    ],
}


def _value_errors(kind: str, schema: dict[str, Any], value: Any) -> list[Any]:
    from openapi_schema_validator import (
        OAS30Validator,
        OAS31Validator,
        OAS32Validator,
        oas30_format_checker,
        oas31_format_checker,
        oas32_format_checker,
    )

    validator_class, checker = {
        "3.0": (OAS30Validator, oas30_format_checker),
        "3.1": (OAS31Validator, oas31_format_checker),
        "3.2": (OAS32Validator, oas32_format_checker),
    }[kind]
    return list(validator_class(schema, format_checker=checker).iter_errors(value))


def test_the_defaults_oracle_is_never_more_lenient_than_the_validators() -> None:
    rng = random.Random(13)
    vouched = 0
    for _ in range(3000):
        keys = rng.sample(sorted(_SCHEMA_PARTS), rng.randint(1, 4))
        schema = {key: rng.choice(_SCHEMA_PARTS[key]) for key in keys}
        if rng.random() < 0.5:
            schema["type"] = rng.choice(["string", "integer", "number"])
        value = rng.choice(_VALUES)
        schema["default"] = value
        for kind in ("3.0", "3.1", "3.2"):
            if walk_defaults.certainly_valid(schema, value, kind):
                vouched += 1
                assert _value_errors(kind, schema, value) == [], (kind, schema)
    assert vouched > 80  # exercised, not merely refusing everything


def test_the_defaults_oracle_refuses_what_the_validators_reject() -> None:
    assert not walk_defaults.certainly_valid({"type": "integer"}, True, "3.0")
    assert not walk_defaults.certainly_valid({"type": "integer", "format": "int32"}, 2**31, "3.0")
    assert not walk_defaults.certainly_valid({"type": "string", "enum": ["a"]}, "b", "3.0")
    assert not walk_defaults.certainly_valid({"type": "number", "minimum": 2}, 1.5, "3.0")
    assert not walk_defaults.certainly_valid({"type": "string", "maxLength": 1}, "ab", "3.0")
    assert not walk_defaults.certainly_valid({"type": "string", "nullable": True}, None, "3.0")
    assert walk_defaults.certainly_valid({"type": "number", "minimum": 1, "maximum": 2}, 1.5, "3.0")
    optional = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert walk_defaults.certainly_valid(optional, "x", "3.1")
    assert not walk_defaults.certainly_valid(optional, "x", "3.0")  # no "null" type in 3.0
    assert not walk_defaults.certainly_valid(optional, 5, "3.1")
    assert not walk_defaults.certainly_valid(optional, None, "3.1")  # None: no verdict
    # a branch the 3.0 validator would raise on (UnknownType) before reaching "string"
    assert not walk_defaults.certainly_valid(
        {"anyOf": [{"type": "null"}, {"type": "string"}]}, "x", "3.0"
    )


def test_an_unforeseen_exception_in_the_walk_takes_the_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document, version = CASES["defaults_everywhere"]
    expected = describe.root_phase(document, version)

    def broken(self: Any) -> None:
        raise KeyError("something the walk did not foresee")

    monkeypatch.setattr(walk.KeywordWalk, "run", broken)
    assert walk.root_phase(document, version) == expected


def _check_schema_v31_passes(schema: Any) -> bool:
    from jsonschema.exceptions import SchemaError, ValidationError  # type: ignore[import-untyped]
    from jsonschema.validators import validator_for  # type: ignore[import-untyped]
    from openapi_schema_validator import OAS31_BASE_DIALECT_ID, oas31_format_checker

    validator_class = validator_for({"$schema": OAS31_BASE_DIALECT_ID}, default=None)
    try:
        validator_class.check_schema(schema, format_checker=oas31_format_checker)
    except (SchemaError, ValidationError):
        return False
    return True


def test_the_3_1_dialect_is_the_libraries() -> None:
    from openapi_schema_validator import OAS31_BASE_DIALECT_ID

    assert walk_oracle.OAS31_BASE_DIALECT == OAS31_BASE_DIALECT_ID


_ODD_31 = [*_ODD, 0, 3, -2, 1.5, {"$ref": "#/x"}, {"$ref": "#/a b"}, {"$ref": "other#/x"},
           "#/ok", "a {b", ["string", "null"], ["string", "string"], ["nope"], False, {"x-a": 1},
           {"nullable": 5}, {"$schema": "x"}, {"discriminator": {}}, float("nan")]  # fmt: skip
_KEYWORDS_31 = [*_KEYWORDS, "$ref", "const", "examples", "multipleOf", "uniqueItems", "anyOf",
                "oneOf", "prefixItems", "$defs", "unevaluatedProperties", "minItems", "title",
                "readOnly", "$comment", "contentSchema", "x-b", "nullable", "$schema"]  # fmt: skip


def test_the_3_1_oracle_is_never_more_lenient_than_check_schema() -> None:
    """Every object of the 3.1 cases, and random damage to a rich schema: whenever the
    oracle vouches, the 3.1 base dialect's meta-schema check raises nothing."""
    candidates = [
        s
        for document, version in CASES.values()
        if version == "3.1" and plain_json(document)
        for s in _schemas_of(document)
    ]
    seed = {
        "type": ["object", "null"],
        "required": ["a"],
        "properties": {
            "a": {"type": "string", "pattern": "^a+$", "maxLength": 3, "examples": ["a"]},
            "b": {"$ref": "#/components/schemas/B", "description": "d"},
            "c": {"anyOf": [{"type": "integer", "minimum": 0}, True], "x-c": {}},
        },
        "items": {"prefixItems": [{"const": 1}], "uniqueItems": True},
        "allOf": [{"enum": [1, "a"]}, {"not": False}],
        "$defs": {"d": {"multipleOf": 2}},
    }
    rng = random.Random(31)
    for _ in range(700):
        schema = copy.deepcopy(seed)
        for _ in range(rng.randint(1, 2)):
            target = rng.choice(_schemas_of(schema))
            target[rng.choice(_KEYWORDS_31)] = copy.deepcopy(rng.choice(_ODD_31))
        candidates.append(schema)
    vouched = 0
    for schema in candidates:
        if walk_oracle.vouches_for_v31(schema):
            vouched += 1
            assert _check_schema_v31_passes(schema), schema
    assert vouched > 100  # exercised, not merely refusing everything
    assert walk_oracle.vouches_for_v31(seed) and _check_schema_v31_passes(seed)
    for refused in ({"type": "nope"}, {"minLength": -1}, {"pattern": "("}, {"required": "a"}):
        assert not walk_oracle.vouches_for_v31(refused)
        assert not _check_schema_v31_passes(refused)
