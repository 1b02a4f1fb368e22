"""The breaking-change report: what a spec change does to the callers of its client
(``generator.ir.compare``, ``generate-client --breaking OLD NEW``)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.cli import EXIT_ADDITIONS, EXIT_BAD_INPUT, EXIT_BREAKING, EXIT_OK, run
from generator.ir.build import build_service
from generator.ir.compare import compare_services

BASE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1"},
    "paths": {
        "/pets/{id}": {
            "get": {
                "operationId": "get_pet",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "fields", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pet"}}}}},
            }
        },
        "/pets": {
            "post": {
                "operationId": "add_pet",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "tag": {"type": "string"}}}}}},
                "responses": {"201": {"description": ""}},
            }
        },
    },
    "components": {"schemas": {
        "Pet": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "status": {"$ref": "#/components/schemas/Status"}}},
        "Status": {"type": "string", "enum": ["available", "sold"]},
    }},
}  # fmt: skip


def _changes(edit: Callable[[dict[str, Any]], None]) -> list[str]:
    new = copy.deepcopy(BASE)
    edit(new)
    old_service, _ = build_service(BASE, source_name="old.yaml")
    new_service, _ = build_service(new, source_name="new.yaml")
    return [str(c) for c in compare_services(old_service, new_service)]


def _get(doc: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = doc["paths"]["/pets/{id}"]["get"]
    return result


def _body(doc: dict[str, Any]) -> dict[str, Any]:
    post = doc["paths"]["/pets"]["post"]
    schema: dict[str, Any] = post["requestBody"]["content"]["application/json"]["schema"]
    return schema


def test_the_same_spec_changes_nothing() -> None:
    assert _changes(lambda doc: None) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d["paths"].pop("/pets"), "BREAKING: add_pet: operation removed"),
        (
            lambda d: _get(d)["parameters"].append(
                {"name": "shop", "in": "query", "required": True, "schema": {"type": "string"}}
            ),
            "BREAKING: get_pet: required argument shop added",
        ),
        (
            lambda d: _get(d)["parameters"].pop(1),
            "BREAKING: get_pet: argument fields removed",
        ),
        (
            lambda d: _get(d)["parameters"][1].update(required=True),
            "BREAKING: get_pet: argument fields is now required",
        ),
        (
            lambda d: _get(d)["parameters"][1].update(schema={"type": "integer"}),
            "BREAKING: get_pet: argument fields: type str -> int",
        ),
        (
            lambda d: _body(d)["properties"].pop("tag"),
            "BREAKING: add_pet: argument tag removed",
        ),
        (
            lambda d: d["components"]["schemas"]["Pet"]["properties"].pop("name"),
            "BREAKING: Pet: field name removed",
        ),
        (
            lambda d: d["components"]["schemas"]["Pet"]["properties"]["id"].update(type="string"),
            "BREAKING: Pet: field id: type int -> str",
        ),
        (
            lambda d: d["components"]["schemas"]["Status"].update(enum=["available"]),
            "BREAKING: Status: enum member SOLD ('sold') removed",
        ),
    ],
)
def test_breaking_changes_are_named(edit: Callable[[dict[str, Any]], None], expected: str) -> None:
    assert expected in _changes(edit)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: d["paths"]["/pets"].update(
                get={"operationId": "list_pets", "responses": {"200": {"description": ""}}}
            ),
            "added: list_pets: operation added (GET /pets)",
        ),
        (
            lambda d: _get(d)["parameters"].append(
                {"name": "locale", "in": "query", "schema": {"type": "string"}}
            ),
            "added: get_pet: optional argument locale added",
        ),
        (
            lambda d: d["components"]["schemas"]["Status"]["enum"].append("pending"),
            "added: Status: enum member PENDING ('pending') added",
        ),
        (
            lambda d: d["components"]["schemas"]["Pet"]["properties"].update(
                age={"type": "integer"}
            ),
            "added: Pet: optional field age added",
        ),
        (
            lambda d: _get(d)["parameters"][1].update(
                schema={"anyOf": [{"type": "string"}, {"type": "integer"}]}
            ),
            "added: get_pet: argument fields: type str -> str | int",
        ),
    ],
)
def test_additions_are_named_apart(edit: Callable[[dict[str, Any]], None], expected: str) -> None:
    changes = _changes(edit)
    assert expected in changes
    assert not [c for c in changes if c.startswith("BREAKING")], changes


def _write(tmp_path: Path, name: str, doc: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_cli_exit_code_says_which(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path, "old.json", BASE)
    same = _write(tmp_path, "same.json", BASE)
    grown = copy.deepcopy(BASE)
    grown["components"]["schemas"]["Status"]["enum"].append("pending")
    broken = copy.deepcopy(BASE)
    broken["paths"].pop("/pets")
    assert run(["--breaking", str(old), str(same)]) == EXIT_OK
    assert run(["--breaking", str(old), str(_write(tmp_path, "g.json", grown))]) == EXIT_ADDITIONS
    capsys.readouterr()
    code = run(["--check", "--breaking", str(old), str(_write(tmp_path, "b.json", broken))])
    assert code == EXIT_BREAKING
    out = capsys.readouterr().out
    assert "BREAKING: add_pet: operation removed" in out
    # its flattened body's model is never generated (issue 10), so only the method goes
    assert "1 breaking change(s), 0 addition(s)" in out
    assert not list(tmp_path.glob("generated*"))  # nothing written


def test_cli_refuses_a_bad_document_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _write(tmp_path, "old.json", BASE)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert run(["--breaking", str(old), str(bad)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("bad.json") and "Traceback" not in err


def _paged(spec: dict[str, Any]) -> None:
    spec["paths"]["/pets"]["get"] = {
        "operationId": "list_pets",
        "parameters": [
            {"name": "cursor", "in": "query", "schema": {"type": "string"}},
        ],
        "responses": {"200": {"description": "", "content": {"application/json": {"schema": {
            "type": "object", "properties": {
                "data": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                "next_cursor": {"type": "string"}}}}}}},
    }  # fmt: skip


def test_a_removed_iter_method_is_breaking_and_a_new_one_an_addition() -> None:
    def unpaged(spec: dict[str, Any]) -> None:
        _paged(spec)
        spec["paths"]["/pets"]["get"]["x-pagination"] = False

    old = copy.deepcopy(BASE)
    _paged(old)
    new = copy.deepcopy(old)
    new["paths"]["/pets"]["get"]["x-pagination"] = False
    old_service, _ = build_service(old, source_name="old.yaml")
    new_service, _ = build_service(new, source_name="new.yaml")
    removed = [str(c) for c in compare_services(old_service, new_service)]
    assert removed == ["BREAKING: list_pets: list_pets_iter() removed (no longer paginated)"]
    added = [str(c) for c in compare_services(new_service, old_service)]
    assert added == ["added: list_pets: list_pets_iter() added (cursor pagination)"]
    assert _changes(unpaged) == [
        "added: ListPetsResponse: model added",
        "added: list_pets: operation added (GET /pets)",
    ]
    assert _changes(_paged) == _changes(unpaged)  # a new operation is one addition either way


def _binary_download(spec: dict[str, Any]) -> None:
    spec["paths"]["/pets/{id}/photo"] = {
        "get": {
            "operationId": "get_photo",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "responses": {"200": {"description": "", "content": {"image/png": {
                "schema": {"type": "string", "format": "binary"}}}}},
        }
    }  # fmt: skip


def test_a_removed_or_renamed_stream_method_is_breaking_and_a_new_one_an_addition() -> None:
    old = copy.deepcopy(BASE)
    _binary_download(old)
    json_photo = copy.deepcopy(old)  # the same operation answering JSON: no _stream twin
    json_photo["paths"]["/pets/{id}/photo"]["get"]["responses"]["200"]["content"] = {
        "application/json": {"schema": {"type": "object"}}
    }
    clashing = copy.deepcopy(old)  # an operation takes the name, the twin is renamed
    clashing["paths"]["/photos"] = {
        "get": {"operationId": "get_photo_stream", "responses": {"204": {"description": ""}}}
    }
    services = {
        name: build_service(spec, source_name=f"{name}.yaml")[0]
        for name, spec in (("old", old), ("json", json_photo), ("clash", clashing))
    }
    assert [str(c) for c in compare_services(services["old"], services["json"])] == [
        "BREAKING: get_photo: get_photo_stream() removed (no binary success body)",
        "BREAKING: get_photo: return type bytes -> dict[str, Any]",
    ]
    assert "added: get_photo: get_photo_stream() added (binary success body)" in [
        str(c) for c in compare_services(services["json"], services["old"])
    ]
    renamed = [str(c) for c in compare_services(services["old"], services["clash"])]
    assert "BREAKING: get_photo: get_photo_stream() renamed get_photo_stream2()" in renamed
