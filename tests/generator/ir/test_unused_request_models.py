"""Request models the client never uses are not generated (``generator/ir/usage.py``).

A JSON object body is flattened into keyword arguments, so a model whose only use is
being that body is named by no generated code. Every other use keeps it: another
model, a response, a body sent whole (``list[X]``), a parameter, a discriminated union,
a base class.
"""

from __future__ import annotations

import ast
from typing import Any

from _gen import render_files

from generator.ir.build import build_service


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _post(op_id: str, body: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    return {"post": {
        "operationId": op_id,
        "requestBody": {"required": True, "content": {media: {"schema": body}}},
        "responses": {"204": {"description": "done"}},
    }}  # fmt: skip


def _get(op_id: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"operationId": op_id,
                    "responses": {"200": {"description": "", "content": _json(schema)}}}}  # fmt: skip


def _object(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


STRING = {"type": "string"}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Usage", "version": "1"},
    "paths": {
        # flattened and nothing else: left out
        "/flat": _post("flat", _ref("FlatOnly")),
        "/form": _post("form", _ref("UploadForm"), "multipart/form-data"),
        "/inline": _post("inline", _object(
            name=STRING,
            meta=_object(tag=STRING),  # an argument's type: stays
            audit={**_object(by=STRING), "readOnly": True},  # not an argument: goes
        )),
        # flattened somewhere, used elsewhere: stays
        "/shared": {**_post("sharedIn", _ref("Shared")), **_get("sharedOut", _ref("Shared"))},
        "/listed": _post("listed", _ref("Listed")),
        "/listed/many": _post("listedMany", {"type": "array", "items": _ref("Listed")}),
        "/field": {**_post("field", _ref("InField")), **_get("holder", _ref("Holder"))},
        "/param": {**_post("param", _ref("AsParam")), "get": {
            "operationId": "byParam",
            "parameters": [{"name": "filter", "in": "query", "style": "deepObject",
                            "explode": True, "schema": _ref("AsParam")}],
            "responses": {"204": {"description": "done"}},
        }},
        "/member": {**_post("member", _ref("Cat")), **_get("pet", _ref("Pet"))},
        "/base": {**_post("base", _ref("BaseThing")), **_get("child", _ref("Child"))},
        # the flattened model's own field types are arguments too: they stay
        "/nested": _post("nested", _ref("WithEnum")),
    },
    "components": {"schemas": {
        "FlatOnly": _object(a=STRING, b={"type": "integer"}),
        "UploadForm": _object(file={"type": "string", "format": "binary"}, note=STRING),
        "Shared": _object(a=STRING),
        "Listed": _object(a=STRING),
        "InField": _object(a=STRING),
        "Holder": _object(inner=_ref("InField")),
        "AsParam": _object(a=STRING),
        "Cat": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "enum": ["cat"]}, "lives": {"type": "integer"}}},
        "Dog": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "enum": ["dog"]}}},
        "Pet": {"oneOf": [_ref("Cat"), _ref("Dog")], "discriminator": {"propertyName": "kind"}},
        "BaseThing": _object(a=STRING),
        "Child": {"allOf": [_ref("BaseThing"), _object(b=STRING)]},
        "WithEnum": _object(mode=_ref("Mode"), opts=_ref("Options")),
        "Mode": {"type": "string", "enum": ["fast", "slow"]},
        "Options": _object(strict={"type": "boolean"}),
        "NeverUsed": _object(a=STRING),  # no operation flattens it: stays, as before
    }},
}  # fmt: skip

GONE = {"FlatOnly", "UploadForm", "InlineRequest", "InlineRequestAudit", "WithEnum"}
KEPT = {"Shared", "Listed", "InField", "Holder", "AsParam", "Cat", "Dog", "BaseThing", "Child",
        "InlineRequestMeta", "Mode", "Options", "NeverUsed"}  # fmt: skip


def test_only_models_nothing_uses_are_left_out() -> None:
    service, problems = build_service(SPEC, source_name="usage.yaml")
    assert [p for p in problems if p.severity == "error"] == []
    names = {m.name for m in service.models}
    assert names == KEPT, (names - KEPT, KEPT - names)
    # the arguments of the flattened bodies are all still there
    ops = {op.name: op for op in service.operations}
    inline = ops["inline"].body
    assert inline is not None and [f.name for f in inline.fields] == ["name", "meta"]
    assert {f.name for f in ops["nested"].body.fields} == {"mode", "opts"}  # type: ignore[union-attr]


def test_a_flattened_model_is_never_exported_or_named() -> None:
    files, _ = render_files(SPEC, package="usage_client")
    init = ast.parse(files["models/__init__.py"])
    exported = next(
        ast.literal_eval(n.value) for n in init.body if isinstance(n, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)
    )  # fmt: skip
    assert set(exported) == KEPT
    for name, text in files.items():
        for gone in GONE:
            assert f"{gone}(" not in text and f'"{gone}"' not in text, (name, gone)
        if name.endswith(".py"):
            compile(text, name, "exec")


def test_models_stay_when_no_body_is_flattened() -> None:
    # the same schemas sent as single ``body`` arguments (a list): every one is used
    doc: dict[str, Any] = {**SPEC, "paths": {"/all": _post("all", {"type": "array", "items": {
        "oneOf": [_ref("FlatOnly"), _ref("WithEnum")]}})}}  # fmt: skip
    service, _ = build_service(doc, source_name="usage.yaml")
    assert {"FlatOnly", "WithEnum", "UploadForm"} <= {m.name for m in service.models}
