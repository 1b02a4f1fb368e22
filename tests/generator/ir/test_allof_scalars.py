"""``allOf`` of schemas that are not objects gets the one type its members agree on; a
disagreement stays ``Any`` with a warning naming the schema."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from _gen import generate, render_files
from pydantic import ValidationError

from generator.ir.build import build_service
from generator.ir.nodes import TypeRef, builtin, list_of, nullable

PKG = "allof_scalars_client"
ROOT = Path(__file__).resolve().parents[3]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


AGREEING: dict[str, Any] = {
    "StatusDoc": {"allOf": [_ref("Status"), {"description": "documented", "default": "on"}]},
    "StatusNullable": {"allOf": [_ref("Status"), {"nullable": True, "readOnly": True}]},
    "SlugShort": {"allOf": [_ref("Slug"), {"maxLength": 16}]},
    "TwoStrings": {"allOf": [{"type": "string", "minLength": 1}, {"type": "string"}]},
    "NarrowedEnum": {"allOf": [{"type": "string", "maxLength": 3}, {"enum": ["a", "b"]}]},
    "TwoEnums": {"allOf": [{"enum": ["a", "b", "c"]}, {"enum": ["c", "b", "z"]}]},
    "WhenRef": {"allOf": [_ref("When"), {"nullable": True, "type": "string"}]},
    "NumberAndInteger": {"allOf": [{"type": "number", "minimum": 0}, _ref("Count")]},
    "TagsShort": {"allOf": [_ref("Tags"), {"maxItems": 3}]},
    "TypedSibling": {"type": "string", "allOf": [_ref("Status")]},
}
DISAGREEING: dict[str, tuple[dict[str, Any], str]] = {
    "Mixed": (
        {"allOf": [_ref("Slug"), {"type": "object", "additionalProperties": {"type": "string"}}]},
        "allOf mixes object and non-object schemas; typed as Any",
    ),
    "Clash": (
        {"allOf": [{"type": "string"}, {"type": "integer"}]},
        "allOf of incompatible types (integer, string); typed as Any",
    ),
    "Composite": (
        {"allOf": [{"oneOf": [{"type": "string"}, {"type": "integer"}]}, {"maxLength": 3}]},
        "allOf member without one plain type (oneOf, not...); typed as Any",
    ),
    "NoCommon": (
        {"allOf": [{"enum": ["a"]}, {"enum": ["b"]}]},
        "allOf of enums with no value in common; typed as Any",
    ),
}
SCHEMAS: dict[str, Any] = {
    "Status": {"type": "string", "enum": ["on", "off"]},
    "Slug": {"type": "string", "description": "a slug"},
    "When": {"type": "string", "format": "date-time"},
    "Count": {"type": "integer"},
    "Tags": {"type": "array", "items": {"type": "string"}},
    **AGREEING,
    **{name: schema for name, (schema, _) in DISAGREEING.items()},
    # every case as a field, the way real documents use them (DigitalOcean's labels)
    "Holder": {
        "type": "object",
        "properties": {name: _ref(name) for name in [*AGREEING, *DISAGREEING]}
        | {"label": {"allOf": [_ref("Slug"), {"maxLength": 16}]}},
    },
}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "AllOf Scalars", "version": "1"},
    "paths": {"/holder": {"get": {"operationId": "getHolder", "responses": {"200": {
        "description": "", "content": {"application/json": {"schema": _ref("Holder")}}}}}}},
    "components": {"schemas": SCHEMAS},
}  # fmt: skip


def _fields() -> dict[str, TypeRef]:
    service, _ = build_service(SPEC, source_name="spec.yaml")
    holder = next(m for m in service.models if m.name == "Holder")
    return {f.wire_name: f.type for f in holder.fields}  # type: ignore[union-attr]


def test_members_of_one_kind_give_that_type() -> None:
    status = TypeRef("model", "Status")
    assert _fields() == {
        "StatusDoc": status,  # the ref keeps its enum class
        "StatusNullable": nullable(status),
        "SlugShort": builtin("str"),
        "TwoStrings": builtin("str"),
        "NarrowedEnum": TypeRef("literal", values=("a", "b")),
        "TwoEnums": TypeRef("literal", values=("b", "c")),  # only values both allow
        "WhenRef": nullable(builtin("datetime")),
        "NumberAndInteger": builtin("int"),
        "TagsShort": list_of(builtin("str")),
        "TypedSibling": status,
        **{name: builtin("Any") for name in DISAGREEING},
        "label": builtin("str"),
    }


def test_disagreeing_members_warn_with_the_pointer() -> None:
    _, problems = build_service(SPEC, source_name="spec.yaml")
    warnings = {(p.pointer, p.message) for p in problems if p.severity == "warning"}
    assert warnings == {
        (f"/components/schemas/{name}", message) for name, (_, message) in DISAGREEING.items()
    }


def test_output_is_deterministic() -> None:
    first, _ = render_files(SPEC, package=PKG)
    second, _ = render_files(SPEC, package=PKG)
    assert first == second


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out: Path = tmp_path_factory.mktemp("allof_scalars")
    generate(SPEC, out, PKG)
    return out


@pytest.fixture()
def package(generated: Path) -> Iterator[ModuleType]:
    out = generated
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PKG)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.startswith(PKG)]:
            del sys.modules[name]


def test_pydantic_accepts_what_the_members_allow(package: ModuleType) -> None:
    holder = package.models.Holder.model_validate({
        "StatusDoc": "on", "StatusNullable": None, "SlugShort": "s", "TwoStrings": "t",
        "NarrowedEnum": "b", "TwoEnums": "c", "WhenRef": "2024-01-02T03:04:05Z",
        "NumberAndInteger": 3, "TagsShort": ["x"], "TypedSibling": "off",
        "Mixed": {"anything": 1}, "label": "l",
    })  # fmt: skip
    assert holder.status_doc is package.models.Status.ON and holder.status_nullable is None
    assert holder.when_ref.year == 2024 and holder.two_enums == "c"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("StatusDoc", "maybe"),
        ("NarrowedEnum", "c"),
        ("TwoEnums", "a"),  # allowed by one member only
        ("WhenRef", "not a date"),
        ("NumberAndInteger", 1.5),
        ("TagsShort", [1]),
        ("SlugShort", 7),
    ],
)
def test_pydantic_rejects_what_a_member_forbids(
    package: ModuleType, field: str, value: object
) -> None:
    with pytest.raises(ValidationError):
        package.models.Holder.model_validate({field: value})


@pytest.mark.slow
def test_generated_package_passes_mypy_strict(generated: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(generated / ".mypy_cache"), "-p", PKG],
        cwd=generated, capture_output=True, text=True, check=False,
        env={**os.environ, "MYPYPATH": str(generated)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
