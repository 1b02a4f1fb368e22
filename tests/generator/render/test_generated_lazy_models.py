"""Models load lazily: importing a client defines no model, each model module is imported
on first use, and recursion across model modules still validates."""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from _gen import generate, render_files

from generator.ir.build import build_service
from generator.render.models import group_models, references
from resilient_client import NOT_GIVEN

PKG = "lazy_zoo_client"


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": required or []}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _get(op_id: str, schema: str) -> dict[str, Any]:
    return {"get": {"operationId": op_id, "responses": {
        "200": {"description": "", "content": {"application/json": {"schema": _ref(schema)}}},
        "404": {"description": "", "content": {"application/json": {"schema": _ref("Err")}}},
    }}}  # fmt: skip


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Lazy Zoo", "version": "1"},
    "servers": [{"url": "http://zoo.test"}],
    "paths": {"/holder": _get("getHolder", "Holder"), "/other": _get("getOther", "Other"),
              "/node": _get("getNode", "Node")},
    "components": {"schemas": {
        # A <-> B are mutually recursive; both Holder and Other use A, so {A, B} is a
        # module of its own and Holder's module imports it.
        "A": _obj({"b": _ref("B"), "name": {"type": "string"}}),
        "B": _obj({"a": _ref("A"), "shared": _ref("Shared")}),
        "Shared": _obj({"tag": _ref("Tag")}),
        "Holder": _obj({"a": _ref("A"), "inner": _ref("Inner")}, ["a"]),
        "Inner": _obj({"x": {"type": "integer"}}),  # only Holder uses it: same module
        "Other": _obj({"a": _ref("A"), "shared": _ref("Shared")}),
        "Node": _obj({"children": {"type": "array", "items": _ref("Node")}, "tag": _ref("Tag")}),
        "Tag": {"type": "string", "enum": ["x", "y"]},
        "Err": _obj({"detail": {"type": "string"}}),
    }},
}  # fmt: skip


@pytest.fixture()
def zoo(tmp_path: Path) -> Iterator[ModuleType]:
    generate(SPEC, tmp_path, PKG)
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PKG)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith(PKG)]:
            del sys.modules[name]


def _model_modules() -> set[str]:
    return {m for m in sys.modules if m.startswith(f"{PKG}.models.")}


def test_grouping_keeps_cycles_together_and_merges_single_users() -> None:
    service, _ = build_service(SPEC, source_name="spec.yaml")
    modules = group_models(service.models)
    where = {m.name: module.name for module in modules for m in module.models}
    assert where["A"] == where["B"]  # a reference cycle shares a module
    assert where["Inner"] == where["Holder"]  # its only user's module
    assert len({where["A"], where["Holder"], where["Other"], where["Node"]}) == 4
    assert where["Tag"] not in {where["Node"], where["Shared"]}  # two users: its own module
    # imports between modules never form a cycle (each imports only earlier groups)
    graph = {module.name: {name for name, _ in module.imports} for module in modules}
    seen: set[str] = set()
    while graph:
        ready = {name for name, deps in graph.items() if deps <= seen}
        assert ready, f"import cycle among {sorted(graph)}"
        seen |= ready
        graph = {n: d for n, d in graph.items() if n not in ready}
    # every cross-module reference is imported
    by_module = {module.name: module for module in modules}
    for module in modules:
        imported = {n for _, names in module.imports for n in names}
        for model in module.models:
            for target in references(model):
                assert where[target] == module.name or target in imported
        assert all(module.name != name for name, _ in by_module[module.name].imports)


def test_grouping_is_deterministic() -> None:
    first, _ = render_files(SPEC, package=PKG)
    second, _ = render_files(SPEC, package=PKG)
    assert first == second
    assert "models/__init__.py" in first and "models.py" not in first


def test_importing_the_client_defines_no_model(zoo: ModuleType) -> None:
    assert _model_modules() == set()
    assert f"{PKG}._client" in sys.modules
    assert f"{PKG}._sync_client" not in sys.modules  # nor the blocking client
    assert "Holder" not in vars(zoo) and "Holder" not in vars(zoo.models)
    assert set(zoo.models.__all__) == {"A", "B", "Shared", "Holder", "Inner", "Other",
                                       "Node", "Tag", "Err"}  # fmt: skip
    assert set(zoo.__all__) == set(zoo.models.__all__) | {"LazyZooClient", "LazyZooSyncClient"}
    assert "Holder" in dir(zoo.models) and "Holder" in dir(zoo)


def test_a_model_imports_only_what_it_reaches(zoo: ModuleType) -> None:
    from lazy_zoo_client.models import Holder  # type: ignore[import-not-found]

    loaded = _model_modules()
    assert zoo.models.Holder is Holder and zoo.Holder is Holder
    names = {m.rsplit(".", 1)[1] for m in loaded}
    service, _ = build_service(SPEC, source_name="spec.yaml")
    where = {m.name: module.name for module in group_models(service.models) for m in module.models}
    assert names == {where[n] for n in ("Holder", "A", "Shared", "Tag")}
    assert where["Node"] not in names and where["Err"] not in names
    with pytest.raises(AttributeError, match="NoSuchModel"):
        zoo.models.NoSuchModel  # noqa: B018
    with pytest.raises(AttributeError, match="NoSuchModel"):
        zoo.NoSuchModel  # noqa: B018
    with pytest.raises(ImportError):
        exec(f"from {PKG}.models import NoSuchModel", {})


def test_recursion_across_model_modules_validates(zoo: ModuleType) -> None:
    holder = zoo.models.Holder.model_validate(
        {"a": {"name": "outer", "b": {"a": {"name": "inner", "b": {"shared": {"tag": "y"}}}}},
         "inner": {"x": 1}}
    )  # fmt: skip
    assert holder.a.b.a.name == "inner"
    assert holder.a.b.a.b.shared.tag is zoo.models.Tag.Y
    assert isinstance(holder.a, zoo.models.A)
    node = zoo.models.Node.model_validate({"children": [{"children": [{"tag": "x"}]}]})
    assert node.children[0].children[0].tag is zoo.models.Tag.X
    other = zoo.models.Other.model_validate({"a": {"b": {"a": {}}}, "shared": {}})
    assert type(other.a) is type(holder.a)  # one class, whichever module imported it first


async def test_first_call_resolves_the_lazy_response_type_once(zoo: ModuleType) -> None:
    client_module = sys.modules[f"{PKG}._client"]
    spec = client_module._OP_GET_HOLDER.responses["200"]
    error_spec = client_module._OP_GET_HOLDER.responses["404"]
    assert error_spec is client_module._OP_GET_OTHER.responses["404"]  # shared constant
    assert not spec.resolved and not error_spec.resolved

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"a": {"name": "n"}})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with zoo.LazyZooClient(http_client=http) as client:
        assert _model_modules() == set()
        first = await client.get_holder()
        assert spec.resolved and not error_spec.resolved
        second = await client.get_holder()
    await http.aclose()
    assert isinstance(first, zoo.models.Holder) and first == second
    assert spec.type is zoo.models.Holder


def test_an_enum_default_in_a_signature_imports_no_model(tmp_path: Path) -> None:
    # Spec defaults are documented, not written into signatures (optional arguments
    # default to NOT_GIVEN): defining the client class evaluates no enum, imports no
    # model module, and Mode joins its only user's module as any other model would.
    mode = {"$ref": "#/components/schemas/Mode"}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Modes", "version": "1"},
        "paths": {"/run": {"get": {
            "operationId": "run",
            "parameters": [{"name": "m", "in": "query", "schema": {**mode, "default": "fast"}}],
            "responses": {"200": {"description": "", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Job"}}}}}}}},
        "components": {"schemas": {
            "Job": {"type": "object", "properties": {"mode": mode}},
            "Mode": {"type": "string", "enum": ["fast", "slow"]},
        }},
    }  # fmt: skip
    generate(doc, tmp_path, "lazy_modes_client")
    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module("lazy_modes_client")
        loaded = {m for m in sys.modules if m.startswith("lazy_modes_client.models.")}
        assert loaded == set()
        run = package.ModesClient.run
        assert inspect.signature(run).parameters["m"].default is NOT_GIVEN
        assert '(server default: "fast")' in (run.__doc__ or "")
        assert package.Job().model_validate({"mode": "slow"}).mode is package.Mode.SLOW
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("lazy_modes_client")]:
            del sys.modules[name]
