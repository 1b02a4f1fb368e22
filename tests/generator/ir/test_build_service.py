"""build_service: OpenAPI knowledge turned into IR decisions."""

from __future__ import annotations

from typing import Any

import pytest

from generator.errors import SpecError
from generator.ir.build import build_service
from generator.ir.nodes import (
    ANY,
    NONE,
    STR,
    AliasModel,
    EnumModel,
    ObjectModel,
    Operation,
    Service,
    TypeRef,
    builtin,
    dict_of,
    list_of,
    union,
)


def spec(paths: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "Demo", "version": "1"}}
    doc["paths"] = paths or {}
    doc.update(extra)
    return doc


def build(doc: dict[str, Any]) -> Service:
    return build_service(doc, source_name="demo.yaml")[0]


def op(service: Service, name: str) -> Operation:
    return next(o for o in service.operations if o.name == name)


def model(service: Service, name: str) -> ObjectModel:
    found = next(m for m in service.models if m.name == name)
    assert isinstance(found, ObjectModel)
    return found


def model_ref(name: str) -> TypeRef:
    return TypeRef("model", name)


OK = {"200": {"description": "ok"}}


def test_swagger_2_and_garbage_are_fatal() -> None:
    with pytest.raises(SpecError, match="not an OpenAPI 3"):
        build_service({"swagger": "2.0", "paths": {}}, source_name="x")
    with pytest.raises(SpecError):
        build_service({"openapi": "3.0.0", "paths": []}, source_name="x")


def test_class_name_base_url_and_override() -> None:
    doc = spec(
        servers=[{"url": "https://{host}/api/{v}", "variables": {"host": {"default": "h.io"},
                                                                    "v": {"default": "v2"}}}],
    )  # fmt: skip
    doc["info"]["title"] = "OnexTree Service"
    service = build(doc)
    assert service.class_name == "OnexTreeClient"
    assert service.default_base_url == "https://h.io/api/v2"
    assert build({**doc, "x-client-name": "Trees"}).class_name == "TreesClient"
    assert build_service(doc, source_name="x", client_name="MyClient")[0].class_name == "MyClient"
    assert build(spec()).default_base_url is None
    assert build(spec(servers=[{"url": "/v1"}])).default_base_url == "/v1"


def test_parameters_merge_order_and_styles() -> None:
    doc = spec(
        {
            "/items/{b}/{a}": {
                "parameters": [
                    {"name": "a", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                ],
                "get": {
                    "operationId": "getItem",
                    "parameters": [
                        {"name": "b", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "required": True, "schema": {"type": "integer"}},
                        {"name": "X-Trace-Id", "in": "header", "schema": {"type": "string"}},
                        {"name": "Accept", "in": "header", "schema": {"type": "string"}},
                        {"name": "ids", "in": "query", "explode": False,
                         "schema": {"type": "array", "items": {"type": "integer"}}},
                        {"name": "timeout", "in": "query", "schema": {"type": "number"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 20}},
                        {"name": "sid", "in": "cookie", "schema": {"type": "string"}},
                    ],
                    "responses": OK,
                },
            }
        }
    )  # fmt: skip
    operation = op(build(doc), "get_item")
    params = {p.wire_name: p for p in operation.parameters}
    # path params first, in path order; the op-level q overrides the path-level one
    assert [p.name for p in operation.path_parameters] == ["b", "a"]
    assert params["q"].required and params["q"].type == builtin("int")
    assert params["X-Trace-Id"].name == "x_trace_id" and params["X-Trace-Id"].location == "header"
    assert "Accept" not in params
    assert params["ids"].style is not None and params["ids"].style.explode is False
    assert params["q"].style is None
    assert params["timeout"].name == "timeout_"
    assert params["limit"].default is not None and params["limit"].default.value == 20
    assert params["sid"].location == "cookie"
    required_first = [p.required for p in operation.parameters if p.location != "path"]
    assert required_first == sorted(required_first, reverse=True)


NEW_PET = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "tag": {"type": "string"}},
}


def test_ref_and_allof_bodies_are_flattened_into_keywords() -> None:
    doc = spec(
        {
            "/pets": {
                "post": {
                    "operationId": "addPet",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/NewPet"}}}},
                    "responses": OK,
                },
                "put": {
                    "operationId": "putPet",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "allOf": [{"$ref": "#/components/schemas/NewPet"},
                                  {"type": "object", "required": ["id"],
                                   "properties": {"id": {"type": "integer"},
                                                  "kind": {"type": "string", "default": "cat"},
                                                  "created": {"type": "string",
                                                              "readOnly": True}}}]}}}},
                    "responses": OK,
                },
            }
        },
        components={"schemas": {"NewPet": NEW_PET}},
    )  # fmt: skip
    service = build(doc)
    add = op(service, "add_pet")
    assert add.body is not None and add.body.kind == "json_fields"
    assert [(f.name, f.required) for f in add.body.fields] == [("name", True), ("tag", False)]
    put = op(service, "put_pet")
    assert put.body is not None
    fields = {f.name: f for f in put.body.fields}
    assert set(fields) == {"name", "tag", "id", "kind"}  # readOnly is not sent
    assert fields["id"].required and fields["name"].required
    assert fields["kind"].default is not None and fields["kind"].type == STR


def test_bodies_that_cannot_be_flattened_are_one_argument() -> None:
    array_body = {
        "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}
    }
    colliding = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"id": {"type": "string"}}}
            }
        },
    }
    doc = spec(
        {
            "/a": {"post": {"operationId": "arr", "requestBody": array_body, "responses": OK}},
            "/b/{id}": {"post": {"operationId": "coll", "requestBody": colliding, "responses": OK,
                                 "parameters": [{"name": "id", "in": "path", "required": True,
                                                 "schema": {"type": "string"}}]}},
        }
    )  # fmt: skip
    service = build(doc)
    arr = op(service, "arr").body
    assert arr is not None and arr.kind == "json" and arr.single_argument
    assert arr.fields[0].name == "body"
    # an optional body keeps its schema's type: left out it is NOT_GIVEN, not None
    assert arr.fields[0].type == list_of(STR) and not arr.fields[0].required
    coll = op(service, "coll").body
    assert coll is not None and coll.kind == "json" and coll.fields[0].name == "body"


def test_multipart_form_octet_and_text_bodies() -> None:
    def body(media: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"required": True, "content": {media: {"schema": schema}}}

    upload = {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}},
    }
    doc = spec(
        {
            "/m": {"post": {"operationId": "up", "requestBody": body("multipart/form-data", upload),
                            "responses": OK}},
            "/f": {"post": {"operationId": "form", "responses": OK, "requestBody": body(
                "application/x-www-form-urlencoded",
                {"type": "object", "properties": {"q": {"type": "string"}}})}},
            "/o": {"put": {"operationId": "raw", "responses": OK,
                           "requestBody": body("application/octet-stream", {"type": "string"})}},
            "/t": {"put": {"operationId": "txt", "responses": OK,
                           "requestBody": body("text/plain", {"type": "string"})}},
        }
    )  # fmt: skip
    service = build(doc)
    up = op(service, "up").body
    assert up is not None and up.kind == "multipart"
    assert [(f.name, f.is_file, f.type) for f in up.fields] == [
        ("file", True, builtin("file")), ("note", False, STR)]  # fmt: skip
    form = op(service, "form").body
    assert form is not None and form.kind == "form" and form.fields[0].name == "q"
    raw = op(service, "raw").body
    assert raw is not None and raw.kind == "bytes" and raw.fields[0].name == "content"
    txt = op(service, "txt").body
    assert txt is not None and txt.kind == "text" and txt.fields[0].type == STR


def test_responses_and_return_types() -> None:
    pet = {"$ref": "#/components/schemas/NewPet"}
    doc = spec(
        {
            "/a": {"get": {"operationId": "a", "responses": {
                200: {"description": "", "content": {"application/json": {"schema": pet}}},
                "204": {"description": "none"},
                "4xx": {"description": "", "content": {"application/problem+json": {"schema": pet}}},
                "default": {"description": "", "content": {"application/json": {}}}}}},
            "/b": {"get": {"operationId": "b", "responses": {
                "200": {"description": "", "content": {"image/png": {}}}}}},
            "/c": {"get": {"operationId": "c", "responses": {
                "200": {"description": "", "content": {"text/csv": {}}}}}},
            "/d": {"get": {"operationId": "d", "responses": {
                "default": {"description": "", "content": {"application/json": {"schema": pet}}}}}},
        },
        components={"schemas": {"NewPet": NEW_PET}},
    )  # fmt: skip
    service = build(doc)
    a = op(service, "a")
    assert [(r.status, r.kind) for r in a.responses] == [
        ("200", "json"), ("204", "empty"), ("4XX", "json"), ("default", "json")]  # fmt: skip
    assert a.return_type == union([model_ref("NewPet"), NONE])
    assert op(service, "b").return_type == builtin("bytes")
    assert op(service, "c").return_type == STR
    # only a default response: it describes success too
    assert op(service, "d").return_type == model_ref("NewPet")


def test_envelope_returns_typed_data_and_can_be_opted_out() -> None:
    envelope_schema = {
        "type": "object",
        "properties": {
            "status": {"type": "string"},
            "payload": {"$ref": "#/components/schemas/NewPet"},
        },
    }
    ok = {"200": {"description": "", "content": {"application/json": {"schema": envelope_schema}}}}
    doc = spec(
        {
            "/a": {"get": {"operationId": "wrapped", "responses": ok}},
            "/h": {"get": {"operationId": "bare", "x-envelope": False, "x-health": True,
                           "responses": ok}},
        },
        components={"schemas": {"NewPet": NEW_PET}},
        **{"x-envelope": {"data_field": "payload", "success": ["ok"]}},
    )  # fmt: skip
    service = build(doc)
    wrapped = op(service, "wrapped")
    assert wrapped.envelope is not None and wrapped.envelope.data_field == "payload"
    assert wrapped.envelope.success == ("ok",)
    assert wrapped.return_type == model_ref("NewPet")
    bare = op(service, "bare")
    assert bare.envelope is None and bare.return_type.kind == "model"
    assert service.health_operation == "bare"


def test_resilience_merges_per_field_nearest_wins() -> None:
    doc = spec(
        {
            "/a": {
                "x-resilience": {"timeout": 2, "retry": {"backoff_base": 0.1}},
                "get": {"operationId": "a", "responses": OK,
                        "x-resilience": {"retry": {"max_attempts": 5}, "cache": {"ttl": 60}}},
                "post": {"operationId": "b", "responses": OK, "security": []},
            }
        },
        **{"x-resilience": {"timeout": 9.0, "deadline": 30, "retry": {"max_attempts": 2},
                            "idempotent": "yes"}},
    )  # fmt: skip
    service, problems = build_service(doc, source_name="demo.yaml")
    a = op(service, "a").policy
    assert (a.max_attempts, a.backoff_base, a.timeout, a.deadline) == (5, 0.1, 2.0, 30.0)
    assert a.cacheable and a.cache_ttl == 60.0 and a.idempotent is None
    b = op(service, "b")
    assert b.policy.max_attempts == 2 and b.policy.cache_ttl is None
    assert not b.authenticated and op(service, "a").authenticated
    assert any("idempotent" in p.message for p in problems)


def test_schema_types_nullable_spellings_and_formats() -> None:
    props = {
        "a": {"type": "string", "nullable": True},
        "b": {"type": ["integer", "null"]},
        "c": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]},
        "d": {"type": "string", "format": "uuid"},
        "e": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
        "f": {"type": "object", "additionalProperties": {"type": "integer"}},
        "g": {"type": "string", "enum": ["x", "X", None]},
        "h": {"oneOf": [{"$ref": "#/components/schemas/Status"}, {"type": "integer"}]},
        "i": {},
        "j": {"type": "string", "format": "binary"},
        "k": {"type": "number", "format": "decimal"},
        "@type": {"type": "string"},
        "class": {"type": "string"},
        "model_dump": {"type": "boolean"},
    }
    doc = spec(components={"schemas": {
        "Thing": {"type": "object", "properties": props, "required": ["d", "class"]},
        "Status": {"type": "string", "enum": ["on", "On", "off-line", "1x"]},
    }})  # fmt: skip
    service = build(doc)
    fields = {f.wire_name: f for f in model(service, "Thing").fields}
    assert fields["a"].type == union([STR, NONE])
    assert fields["b"].type == union([builtin("int"), NONE])
    assert fields["c"].type == union([builtin("datetime"), NONE])
    assert fields["d"].type == builtin("UUID") and fields["d"].required
    assert fields["e"].type == list_of(list_of(builtin("float")))
    assert fields["f"].type == dict_of(builtin("int"))
    assert fields["g"].type == union([TypeRef("literal", values=("x", "X")), NONE])
    assert fields["h"].type == union([model_ref("Status"), builtin("int")])
    assert fields["i"].type == ANY
    assert fields["j"].type == builtin("bytes") and fields["k"].type == builtin("Decimal")
    assert fields["@type"].name == "type_"
    assert fields["class"].name == "class_" and fields["class"].required
    assert fields["model_dump"].name == "model_dump_"
    status = next(m for m in service.models if m.name == "Status")
    assert isinstance(status, EnumModel)
    assert [(m.name, m.value) for m in status.members] == [
        ("ON", "on"), ("ON_2", "On"), ("OFF_LINE", "off-line"), ("VALUE_1X", "1x")]  # fmt: skip


def test_allof_with_one_ref_inherits_and_recursion_resolves() -> None:
    doc = spec(components={"schemas": {
        "NewPet": NEW_PET,
        "Pet": {"allOf": [{"$ref": "#/components/schemas/NewPet"},
                          {"type": "object", "properties": {"id": {"type": "integer"}}}]},
        "Merged": {"allOf": [{"$ref": "#/components/schemas/NewPet"},
                             {"type": "object", "properties": {"name": {"type": "integer"}}}]},
        "Node": {"type": "object", "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            "other": {"$ref": "#/components/schemas/Other"}}},
        "Other": {"type": "object", "properties": {"node": {"$ref": "#/components/schemas/Node"}}},
        "Loop": {"type": "array", "items": {"$ref": "#/components/schemas/Loop"}},
    }})  # fmt: skip
    service, problems = build_service(doc, source_name="demo.yaml")
    pet = model(service, "Pet")
    assert pet.base == "NewPet" and [f.name for f in pet.fields] == ["id"]
    merged = model(service, "Merged")  # redefines a parent's field: flattened
    assert merged.base is None and {f.name for f in merged.fields} == {"name", "tag"}
    node = {f.name: f.type for f in model(service, "Node").fields}
    assert node["children"] == list_of(model_ref("Node"))  # optional-ness is the field's
    order = [m.name for m in service.models]
    assert order.index("NewPet") < order.index("Pet")
    # Loop, an array of itself, is a named recursive alias rather than Any
    loop = next(m for m in service.models if m.name == "Loop")
    assert loop == AliasModel("Loop", list_of(model_ref("Loop")), source="/components/schemas/Loop")
    assert not any("recursive" in p.message for p in problems)


def test_inline_objects_get_context_names() -> None:
    doc = spec(
        {"/x": {"post": {"operationId": "makeThing", "responses": {"201": {
            "description": "", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"inner": {"type": "object", "properties": {
                    "v": {"type": "integer"}}}}}}}}}}}}
    )  # fmt: skip
    service = build(doc)
    assert op(service, "make_thing").return_type == model_ref("MakeThingResponse")
    inner = {f.name: f.type for f in model(service, "MakeThingResponse").fields}["inner"]
    assert inner == model_ref("MakeThingResponseInner")


def test_webhooks_and_callbacks_are_warnings() -> None:
    doc = spec(
        {"/s": {"post": {"operationId": "sub", "responses": OK,
                         "callbacks": {"cb": {"{$request.body#/url}": {"post": {
                             "responses": OK}}}}}}},
        webhooks={"newPet": {"post": {"responses": OK}}},
    )  # fmt: skip
    doc["openapi"] = "3.1.0"
    service, problems = build_service(doc, source_name="demo.yaml")
    assert [o.name for o in service.operations] == ["sub"]
    messages = " ".join(p.message for p in problems)
    assert "webhooks" in messages and "callbacks" in messages
    assert all(p.severity == "warning" for p in problems)


def test_fastapi_ids_and_missing_ids() -> None:
    doc = spec(
        {
            "/api/v1/stamp/{file_hash}": {"get": {
                "operationId": "get_stamp_api_v1_stamp__file_hash__get", "responses": OK,
                "parameters": [{"name": "file_hash", "in": "path", "required": True,
                                "schema": {"type": "string"}}]}},
            "/users/{id}": {"delete": {"responses": OK, "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]}},
        }
    )  # fmt: skip
    assert [o.name for o in build(doc).operations] == ["get_stamp", "delete_users_id"]


def test_child_redefining_a_parent_field_beside_allof_is_flattened() -> None:
    doc = spec(components={"schemas": {
        "Base": {"type": "object", "properties": {"status": {"type": "string",
                                                             "enum": ["a", "b c"]}}},
        "Child": {"allOf": [{"$ref": "#/components/schemas/Base"}],
                  "properties": {"status": {"type": "string", "enum": ["a", "b_c"]}}},
        "Plain": {"allOf": [{"$ref": "#/components/schemas/Base"}],
                  "properties": {"extra": {"type": "integer"}}},
    }})  # fmt: skip
    service = build(doc)
    child = model(service, "Child")
    assert child.base is None  # an override of a parent field would not type-check
    assert {f.name: f.type for f in child.fields}["status"] == TypeRef(
        "literal", values=("a", "b_c")
    )
    plain = model(service, "Plain")
    assert plain.base == "Base" and [f.name for f in plain.fields] == ["extra"]


def test_models_are_ordered_dependencies_first_and_bases_before_children() -> None:
    ref = {name: {"$ref": f"#/components/schemas/{name}"} for name in ("Base", "Kid", "Z")}
    doc = spec(components={"schemas": {
        # converting A reaches Kid (and through it Base) first, so Kid inherits from Base;
        # ordering A's dependencies by name then enters Base first, which names Kid
        "A": {"type": "object", "properties": {"y": ref["Kid"], "x": ref["Base"],
                                               "z": ref["Z"]}},
        "Z": {"type": "object", "properties": {"v": {"type": "integer"}}},
        "Kid": {"allOf": [ref["Base"], {"type": "object", "properties": {
            "c": {"type": "string"}}}]},
        "Base": {"type": "object", "properties": {"kids": {"type": "array",
                                                            "items": ref["Kid"]}}},
    }})  # fmt: skip
    service = build(doc)
    assert model(service, "Kid").base == "Base"
    order = [m.name for m in service.models]
    assert order.index("Z") < order.index("A")
    assert order.index("Base") < order.index("Kid")


def test_non_finite_and_negative_numbers_are_dropped_with_warnings() -> None:
    nan, inf = float("nan"), float("inf")
    doc = spec(
        {"/a": {"get": {
            "operationId": "a",
            "x-resilience": {"timeout": nan, "deadline": inf, "retry": {"backoff_base": -inf,
                                                                         "max_attempts": -1}},
            "parameters": [
                {"name": "x", "in": "query", "schema": {"type": "number", "default": nan}},
                {"name": "y", "in": "query", "schema": {"type": "number",
                                                         "enum": [inf, -inf, 1.0]}}],
            "responses": OK}}}
    )  # fmt: skip
    service, problems = build_service(doc, source_name="demo.yaml")
    operation = op(service, "a")
    assert operation.policy == type(operation.policy)()
    assert {p.wire_name: p.default for p in operation.parameters} == {"x": None, "y": None}
    assert sum("x-resilience" in p.message for p in problems) == 4


def chain(length: int) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        f"M{i}": {"type": "object",
                  "properties": {"next": {"$ref": f"#/components/schemas/M{i + 1}"}}}
        for i in range(length)
    }  # fmt: skip
    schemas[f"M{length}"] = {"type": "object", "properties": {"v": {"type": "integer"}}}
    return spec(components={"schemas": schemas})


def test_long_ref_chains_build_and_absurd_ones_are_refused() -> None:
    assert len(build(chain(1000)).models) == 1001  # legal, if unusual: no RecursionError
    with pytest.raises(SpecError, match="too deeply"):
        build(chain(30_000))
