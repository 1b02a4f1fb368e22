"""Stage 2: validation problems with pointers, fatal vs warning, and the on-disk cache."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from generator.validate import validation as validate_module
from generator.validate.phases import MAX_MESSAGE
from generator.validate.validation import validate


def doc(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "openapi": "3.0.3",
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
    base.update(extra)
    return base


def errors(document: dict[str, Any], version: str = "3.0") -> list[tuple[str, str]]:
    problems = validate(document, source_name="api.yaml", version=version, use_cache=False)
    return [(p.pointer, p.message) for p in problems if p.severity == "error"]


def warnings(document: dict[str, Any], version: str = "3.0") -> list[tuple[str, str]]:
    problems = validate(document, source_name="api.yaml", version=version, use_cache=False)
    return [(p.pointer, p.message) for p in problems if p.severity == "warning"]


def test_a_valid_document_has_no_problems() -> None:
    assert validate(doc(), source_name="api.yaml", version="3.0", use_cache=False) == []


def test_missing_required_field_is_an_error_with_its_pointer() -> None:
    document = doc()
    del document["info"]["version"]
    assert errors(document) == [("/info", "'version' is a required property")]


def test_errors_name_the_file() -> None:
    document = doc()
    del document["paths"]["/items/{id}"]["get"]["responses"]
    problems = validate(document, source_name="api.yaml", version="3.0", use_cache=False)
    assert [str(p) for p in problems] == [
        "api.yaml#/paths/~1items~1{id}/get: error: 'responses' is a required property"
    ]


def test_undeclared_path_parameter_is_an_error_at_the_operation() -> None:
    document = doc()
    document["paths"]["/items/{id}"]["get"]["parameters"] = []
    pointer, message = errors(document)[0]
    assert pointer == "/paths/~1items~1{id}/get"
    assert "'id'" in message


def test_wrong_type_deep_inside_is_an_error_at_that_place() -> None:
    document = doc()
    document["paths"]["/items/{id}"]["get"]["responses"]["200"]["description"] = 5
    assert errors(document) == [
        ("/paths/~1items~1{id}/get/responses/200/description", "5 is not of type 'string'")
    ]


def test_unknown_fields_are_warnings_not_errors() -> None:
    document = doc()
    document["paths"]["/items/{id}"]["get"]["title"] = "stray"
    assert errors(document) == []
    assert warnings(document)[0][0] == "/paths/~1items~1{id}/get"


def test_default_not_matching_its_schema_is_a_located_warning() -> None:
    document = doc()
    document["paths"]["/items/{id}"]["get"]["parameters"].append(
        {"name": "n", "in": "query", "schema": {"type": "string", "default": 3}}
    )
    assert errors(document) == []
    pointer, message = warnings(document)[0]
    assert pointer == "/paths/~1items~1{id}/get/parameters/1/schema/default"
    assert "default value does not match" in message


def test_nullable_in_a_3_1_document_is_not_fatal() -> None:
    document = doc(openapi="3.1.0")
    document["components"] = {"schemas": {"A": {"type": "string", "nullable": True}}}
    assert errors(document, version="3.1") == []


def test_huge_messages_are_shortened() -> None:
    document = doc()
    document["paths"]["/items/{id}"]["get"]["responses"]["200"] = {
        "description": "ok",
        "content": {"application/json": {"schema": {"type": "object", "x": "y" * 5000}}},
        "links": "not-a-map" * 100,
    }
    problems = validate(document, source_name="api.yaml", version="3.0", use_cache=False)
    assert problems and all(len(p.message) <= MAX_MESSAGE for p in problems)


def test_results_are_cached_and_a_broken_cache_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(tmp_path / "cache"))
    document = doc()
    del document["info"]["version"]
    first = validate(document, source_name="a.yaml", version="3.0")
    cached = list((tmp_path / "cache" / "validate").rglob("*"))
    assert any(p.is_file() for p in cached)

    calls: list[int] = []
    real_run = validate_module._run

    def counting_run(document: dict[str, Any], kind: str) -> Any:
        calls.append(1)
        return real_run(document, kind)

    monkeypatch.setattr(validate_module, "_run", counting_run)
    second = validate(document, source_name="b.yaml", version="3.0")
    assert calls == []  # served from the cache
    assert [(p.pointer, p.message) for p in second] == [(p.pointer, p.message) for p in first]
    assert {p.file for p in second} == {"b.yaml"}

    for entry in cached:
        if entry.is_file():
            entry.write_bytes(b"\x00garbage")
    third = validate(document, source_name="a.yaml", version="3.0")
    assert calls == [1] and third == first


def test_an_unwritable_cache_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(blocker / "cache"))
    document = doc()
    del document["info"]["version"]
    assert errors(document) == [
        (p.pointer, p.message)
        for p in validate(document, source_name="api.yaml", version="3.0")
        if p.severity == "error"
    ]


def test_the_cache_key_covers_the_whole_document(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(tmp_path))
    good = doc()
    assert validate(good, source_name="a.yaml", version="3.0") == []
    bad = doc()
    bad["paths"]["/items/{id}"]["get"]["responses"]["200"]["description"] = 5
    assert validate(bad, source_name="a.yaml", version="3.0") != []
    assert os.listdir(tmp_path / "validate")


@pytest.mark.parametrize(
    "name, fatal",
    [
        ("openapi-python-client/documents_with_errors/optional-path-param.yaml", True),
        ("openapi-python-client/documents_with_errors/bad-status-code.yaml", True),
        ("openapi-python-client/baseline_openapi_3.1.yaml", False),
        ("openapi-python-client/baseline_openapi_3.0.json", False),
        ("kubernetes/v3/apis__discovery.k8s.io__v1_openapi.json", False),
        ("datamodel-code-generator/nullable_31.yaml", False),
    ],
)
def test_corpus_documents_are_judged_sensibly(corpus: Path, name: str, fatal: bool) -> None:
    from generator.load.document import load

    loaded = load(corpus / name)
    problems = validate(
        loaded.document, source_name=loaded.source_name, version=loaded.version, use_cache=False
    )
    assert any(p.severity == "error" for p in problems) is fatal
    assert all(p.file == loaded.source_name for p in problems)


def test_a_response_key_that_is_no_status_code_is_named_in_3_1() -> None:
    document = doc(openapi="3.1.0")
    document["paths"]["/items/{id}"]["get"]["responses"] = {"abcdef": {"description": "ok"}}
    assert errors(document, "3.1") == [
        (
            "/paths/~1items~1{id}/get/responses",
            "'abcdef': not a status code (100-599, 1XX-5XX) or 'default'",
        )
    ]
