"""Recursive schemas that are not objects become named ``TypeAliasType`` aliases: the
generated package imports lazily, pydantic validates nested data against them, and
``mypy --strict`` reads them."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from _gen import generate, render_files
from pydantic import TypeAdapter, ValidationError

from generator.ir.build import build_service
from generator.ir.nodes import NONE, AliasModel, TypeRef, builtin, dict_of, list_of, union

PKG = "rec_alias_client"
ROOT = Path(__file__).resolve().parents[3]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_response(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "", "content": {"application/json": {"schema": schema}}}}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Rec Alias", "version": "1"},
    "servers": [{"url": "http://rec.test"}],
    "paths": {
        "/json": {"get": {"operationId": "getJson", "responses": _json_response(_ref("Json"))}},
        "/holder": {
            # a flattened body alone would leave Holder out of the package (ir/usage.py)
            "get": {"operationId": "getHolder", "responses": _json_response(_ref("Holder"))},
            "post": {
                "operationId": "postHolder",
                "requestBody": {"content": {"application/json": {"schema": _ref("Holder")}}},
                "responses": _json_response(_ref("Tree")),
            },
        },
    },
    "components": {"schemas": {
        "Json": {"nullable": True, "oneOf": [
            {"type": "string"}, {"type": "number"}, {"type": "boolean"},
            {"type": "array", "items": _ref("Json")},
            {"type": "object", "additionalProperties": _ref("Json")},
        ]},
        "Tree": {"type": "array", "items": _ref("Tree"), "description": "A tree:\nonly trees."},
        # mutual recursion through a union and an array: the first one entered is named
        "Pair": {"type": "array", "items": _ref("PairItem")},
        "PairItem": {"oneOf": [{"type": "integer"}, _ref("Pair")]},
        # a discriminated union whose member contains the union again (entered first:
        # were a member entered first, the union would be spelled out inside it instead)
        "Node": {"oneOf": [_ref("NodeLeaf"), _ref("NodeBranch")],
                  "discriminator": {"propertyName": "kind"}},
        "NodeLeaf": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "enum": ["NodeLeaf"]}, "size": {"type": "integer"}}},
        "NodeBranch": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "enum": ["NodeBranch"]},
            "children": {"type": "array", "items": _ref("Node")}}},
        # an array of inline objects that refer back to the array
        "Listing": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "more": _ref("Listing")}}},
        "Holder": {"type": "object", "required": ["data"], "properties": {
            "data": _ref("Json"), "tree": _ref("Tree"), "pair": _ref("Pair"),
            "node": _ref("Node"), "listing": _ref("Listing")}},
        "Unused": {"type": "string"},
    }},
}  # fmt: skip


def _alias(models: dict[str, Any], name: str) -> AliasModel:
    found = models[name]
    assert isinstance(found, AliasModel), found
    return found


def test_recursive_non_objects_become_named_aliases() -> None:
    service, problems = build_service(SPEC, source_name="spec.yaml")
    assert problems == []
    models = {m.name: m for m in service.models}
    json_ = TypeRef("model", "Json")
    number = builtin("float")
    assert _alias(models, "Json").target == union(
        [builtin("str"), number, builtin("bool"), list_of(json_), dict_of(json_), NONE]
    )
    assert _alias(models, "Tree").target == list_of(TypeRef("model", "Tree"))
    # Pair is entered first (components in name order), so Pair is the name and
    # PairItem is spelled out structurally where it is used
    assert _alias(models, "Pair").target == list_of(
        union([builtin("int"), TypeRef("model", "Pair")])
    )
    assert "PairItem" not in models
    assert _alias(models, "Node").target.kind == "discriminated"
    listing = _alias(models, "Listing")
    assert listing.target == list_of(TypeRef("model", "ListingItem"))
    holder = {f.name: f.type for f in models["Holder"].fields}
    assert holder["data"] == json_ and holder["node"] == TypeRef("model", "Node")


def test_a_union_naming_itself_directly_is_its_least_solution() -> None:
    # datamodel-code-generator's type_alias_mutual_recursive.yaml: A = int | B, B = str | A
    doc = {**SPEC, "paths": {}, "components": {"schemas": {
        "NodeA": {"oneOf": [{"type": "integer"}, _ref("NodeB")]},
        "NodeB": {"oneOf": [{"type": "string"}, _ref("NodeA")]},
        "Uses": {"type": "object", "properties": {"b": _ref("NodeB")}},
    }}}  # fmt: skip
    service, problems = build_service(doc, source_name="spec.yaml")
    assert problems == []
    models = {m.name: m for m in service.models}
    assert _alias(models, "NodeA").target == union([builtin("int"), builtin("str")])
    uses = models["Uses"].fields[0]  # type: ignore[union-attr]
    assert uses.type == union([builtin("str"), TypeRef("model", "NodeA")])


def test_a_schema_that_is_only_itself_stays_any_with_a_warning() -> None:
    doc = {**SPEC, "paths": {}, "components": {"schemas": {
        "Loop": {"oneOf": [_ref("Loop")]},
        "Echo": {"allOf": [_ref("Echo")], "description": "only itself"},
    }}}  # fmt: skip
    service, problems = build_service(doc, source_name="spec.yaml")
    message = "recursive schema that is only a reference to itself; typed as Any"
    assert sorted((p.pointer, p.message) for p in problems if p.severity == "warning") == [
        ("/components/schemas/Echo", message), ("/components/schemas/Loop", message)]  # fmt: skip
    for model in service.models:
        assert isinstance(model, AliasModel) and model.target.is_any


def test_alias_output_is_deterministic() -> None:
    first, _ = render_files(SPEC, package=PKG)
    second, _ = render_files(SPEC, package=PKG)
    assert first == second
    line = (
        'Json = TypeAliasType("Json", "str | float | bool | list[Json] | dict[str, Json] | None")'
    )
    defining = [name for name, text in first.items() if line in text.splitlines()]
    assert len(defining) == 1 and defining[0].startswith("models/_")
    assert "from typing_extensions import TypeAliasType" in first[defining[0]]
    assert f'"Json": "{defining[0][7:-3]}",' in first["models/__init__.py"]
    tree = '# A tree: only trees.\nTree = TypeAliasType("Tree", "list[Tree]")\n'
    assert sum(tree in text for text in first.values()) == 1


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rec_alias")
    assert generate(SPEC, out, PKG) == []
    return out


@pytest.fixture()
def package(generated: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(generated))
    try:
        yield importlib.import_module(PKG)
    finally:
        sys.path.remove(str(generated))
        for name in [m for m in sys.modules if m.startswith(PKG)]:
            del sys.modules[name]


def test_aliases_load_lazily_and_validate_nested_data(package: ModuleType) -> None:
    assert not [m for m in sys.modules if m.startswith(f"{PKG}.models.")]
    holder = package.models.Holder.model_validate({
        "data": {"a": [1.5, "x", None, {"b": True}]},
        "tree": [[], [[]]],
        "pair": [1, [2, [3]]],
        "node": {"kind": "NodeBranch", "children": [{"kind": "NodeLeaf", "size": 2},
                                                     {"kind": "NodeBranch", "children": []}]},
        "listing": [{"name": "a", "more": [{"name": "b"}]}],
    })  # fmt: skip
    assert holder.data == {"a": [1.5, "x", None, {"b": True}]}
    assert isinstance(holder.node.children[0], package.models.NodeLeaf)
    assert holder.listing[0].more[0].name == "b"
    assert TypeAdapter(package.models.Json).validate_python(None) is None
    bad_leaves: list[dict[str, Any]] = [
        {"data": {"a": [object()]}},  # not a JSON value
        {"data": 1, "tree": [[["leaf"]]]},  # a Tree holds only Trees
        {"data": 1, "pair": [[1, ["x"]]]},  # a Pair holds ints and Pairs
        {"data": 1, "node": {"kind": "NodeBranch", "children": [{"kind": "Root"}]}},
        {"data": 1, "listing": [{"more": [{"name": 3}]}]},
    ]
    for bad in bad_leaves:
        with pytest.raises(ValidationError):
            package.models.Holder.model_validate(bad)


async def test_a_response_typed_by_an_alias_is_validated(package: ModuleType) -> None:
    body: Any = {"k": [1, {"z": None}]}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with package.RecAliasClient(http_client=http) as client:
        assert await client.get_json() == body
        body = [[[]], []]
        tree = await client.post_holder(data="x")
        assert tree == [[[]], []]
    await http.aclose()


@pytest.mark.slow
def test_generated_aliases_pass_mypy_strict(generated: Path) -> None:
    usage = generated / "usage_rec.py"
    usage.write_text(
        "from rec_alias_client.models import Json, Tree\n"
        "ok: Json = {'a': [1.0, 'x', None, {'b': True}]}\n"
        "tree: Tree = [[], [[]]]\n"
        "bad: Tree = [[1]]  # the one error expected\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(generated / ".mypy_cache"), PKG, "usage_rec.py"],
        cwd=generated, capture_output=True, text=True, check=False,
        env={**os.environ, "MYPYPATH": str(generated)},
    )  # fmt: skip
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and errors[0].startswith("usage_rec.py:4:"), (
        result.stdout + result.stderr
    )
