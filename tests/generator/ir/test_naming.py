"""Naming: spec text in, safe and stable Python identifiers out."""

from __future__ import annotations

import keyword

import pytest

from generator.ir import naming


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("addPet", "add_pet"),
        ("find pet by id", "find_pet_by_id"),
        ("get /users/{id}", "get_users_id"),
        ("x-rate-limit", "x_rate_limit"),
        ("@type", "type"),
        ("HTTPError", "http_error"),
        ("getV2Users", "get_v2_users"),
        ("café", "cafe"),
        ("名前", "u540d_u524d"),
        ("2fa", "op_2fa"),
        ("", "op"),
        ("__private", "private"),
    ],
)
def test_snake_identifier(text: str, expected: str) -> None:
    assert naming.snake_identifier(text, prefix="op") == expected
    assert expected.isidentifier()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pet", "Pet"),
        ("HTTPValidationError", "HTTPValidationError"),
        ("pet-store", "PetStore"),
        ("simple_user", "SimpleUser"),
        ("io.k8s.api.core.v1.Pod", "IoK8sApiCoreV1Pod"),
        ("3DModel", "Model3DModel"),
        ("名", "U540d"),
    ],
)
def test_pascal_case(text: str, expected: str) -> None:
    assert naming.pascal_case(text) == expected


@pytest.mark.parametrize(
    ("title", "override", "expected"),
    [
        ("OnexTree Service", None, "OnexTreeClient"),
        ("MetadataStampingService", None, "MetadataStampingClient"),
        ("Swagger Petstore", None, "SwaggerPetstoreClient"),
        ("Example API", None, "ExampleClient"),
        ("Example Api", None, "ExampleClient"),
        ("API", None, "APIClient"),
        ("Whatever", "PetsClient", "PetsClient"),
        ("Whatever", "pets", "PetsClient"),
    ],
)
def test_client_class_name(title: str, override: str | None, expected: str) -> None:
    assert naming.client_class_name(title, override) == expected


def test_fastapi_operation_ids_are_shortened_when_unique() -> None:
    names = naming.method_names(
        [
            ("a", "create_metadata_stamp_api_v1_metadata_stamping_stamp_post", "POST",
             "/api/v1/metadata-stamping/stamp"),
            ("b", "get_stamp_api_v1_metadata_stamping_stamp__file_hash__get", "GET",
             "/api/v1/metadata-stamping/stamp/{file_hash}"),
            ("c", "root__get", "GET", "/"),
        ]
    )  # fmt: skip
    assert names == {"a": "create_metadata_stamp", "b": "get_stamp", "c": "root"}


def test_fastapi_ids_whose_short_forms_collide_keep_their_full_ids() -> None:
    names = naming.method_names(
        [
            ("a", "health_health_get", "GET", "/health"),
            ("b", "health_api_v1_health_get", "GET", "/api/v1/health"),
            ("c", "stats_stats_get", "GET", "/stats"),
        ]
    )
    assert names == {"a": "health_health_get", "b": "health_api_v1_health_get", "c": "stats"}


def test_ids_that_are_not_fastapi_style_are_only_converted() -> None:
    names = naming.method_names([("a", "listPets_get", "GET", "/pets")])
    assert names == {"a": "list_pets_get"}


def test_missing_operation_id_comes_from_method_and_path() -> None:
    names = naming.method_names([("a", None, "GET", "/users/{id}/repos")])
    assert names == {"a": "get_users_id_repos"}


@pytest.mark.parametrize(
    ("op_id", "expected"),
    [
        ("class", "class_"),
        ("import", "import_"),
        ("match", "match_"),
        ("timeout", "timeout_"),
        ("use_cache", "use_cache_"),
        ("aclose", "aclose_"),
        ("health_check", "health_check_"),
        ("cache_stats", "cache_stats_"),
        ("circuit_breaker", "circuit_breaker_"),
        ("set_auth", "set_auth_"),
        ("list", "list_"),
        ("models", "models_"),
        ("_hidden", "hidden"),
    ],
)
def test_method_names_avoid_reserved_names(op_id: str, expected: str) -> None:
    assert naming.method_names([("k", op_id, "GET", "/x")]) == {"k": expected}


def test_names_differing_only_by_case_get_stable_suffixes() -> None:
    ops = [("GET /a", "getUser", "GET", "/a"), ("GET /b", "GetUser", "GET", "/b")]
    first = naming.method_names(ops)
    again = naming.method_names(list(reversed(ops)))
    assert first == again
    assert sorted(first.values()) == ["get_user", "get_user_2"]
    # ordered by the stable key, not by input order
    assert first["GET /a"] == "get_user"


def test_adding_an_unrelated_name_does_not_rename_others() -> None:
    before = naming.assign_unique([("b", "pet"), ("c", "pet")])
    after = naming.assign_unique([("a", "zebra"), ("b", "pet"), ("c", "pet")])
    assert before == {k: after[k] for k in before}


def test_reserved_then_duplicate() -> None:
    names = naming.assign_unique([("a", "class"), ("b", "class_")], reserved=keyword.kwlist)
    assert names == {"a": "class_", "b": "class_2"}


def test_pascal_names_use_bare_numeric_suffixes() -> None:
    names = naming.assign_unique([("a", "Pet"), ("b", "Pet")], separator="")
    assert names == {"a": "Pet", "b": "Pet2"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("available", "AVAILABLE"),
        ("in-progress", "IN_PROGRESS"),
        ("", "EMPTY"),
        ("1st", "VALUE_1ST"),
        (3, "VALUE_3"),
        (-1, "VALUE_MINUS_1"),
        ("+", "VALUE"),
    ],
)
def test_enum_member_name(value: str | int, expected: str) -> None:
    assert naming.enum_member_name(value) == expected


def test_every_generated_name_is_an_identifier_and_not_a_keyword() -> None:
    hostile = ["", "1", "-", "a b", "\n", "for", "None", "ünïcödé", "x/y{z}", "$ref", "a.b"]
    for text in hostile:
        for name in (
            naming.snake_identifier(text, prefix="field"),
            naming.pascal_case(text),
            naming.upper_identifier(text),
        ):
            assert name.isidentifier(), (text, name)
    methods = naming.method_names([(t, t, "GET", "/") for t in hostile])
    for name in methods.values():
        assert name.isidentifier() and not keyword.iskeyword(name)


def test_the_fixed_client_members_cover_the_runtime() -> None:
    # naming keeps a literal list so generating never imports the runtime; it must not lag
    from generator.ir.naming import reserved_method_names
    from resilient_client import BaseServiceClient
    from resilient_client.sync import SyncServiceClient

    for base in (BaseServiceClient, SyncServiceClient):  # <Name>SyncClient has one per operation
        public = {name for name in dir(base) if not name.startswith("_")}
        assert public <= reserved_method_names(), base


def test_the_fixed_basemodel_members_cover_pydantic() -> None:
    # naming keeps a literal list so generating never imports pydantic; it must not lag
    from pydantic import BaseModel

    from generator.ir.naming import reserved_field_names

    public = {name for name in dir(BaseModel) if not name.startswith("_")}
    assert public <= reserved_field_names()
