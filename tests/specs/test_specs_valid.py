"""The project's specs are valid OpenAPI 3.1 and say what the generator needs to hear.

Valid per openapi-spec-validator; short, unique operationIds (the client's method names);
the class names the titles promise; one ``x-health`` operation; the envelope declared once
with the bare routes opted out; each envelope operation's ``data`` typed by a components
schema (except the routes services/README.md lets stay untyped); ``x-resilience`` blocks
that only use the fields the generator understands.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

SPECS = Path(__file__).resolve().parents[2] / "specs"
SERVICES = ("metadata_stamping", "onextree")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
MS = "/api/v1/metadata-stamping"

Json = Any

EXPECTED_OPERATION_IDS: dict[str, dict[tuple[str, str], str]] = {
    "metadata_stamping": {
        ("POST", f"{MS}/stamp"): "create_stamp",
        ("POST", f"{MS}/validate"): "validate_stamp",
        ("POST", f"{MS}/hash"): "generate_hash",
        ("GET", f"{MS}/stamp/{{file_hash}}"): "get_stamp",
        ("POST", f"{MS}/batch"): "batch_create_stamps",
        ("POST", f"{MS}/validate-protocol"): "validate_protocol",
        ("GET", f"{MS}/namespace/{{namespace}}"): "list_namespace_stamps",
        ("GET", f"{MS}/health"): "health",
        ("GET", f"{MS}/health/live"): "health_live",
        ("GET", f"{MS}/health/ready"): "health_ready",
        ("GET", f"{MS}/metrics"): "get_metrics",
        ("POST", f"{MS}/transform/stamp"): "transform_stamp",
        ("POST", f"{MS}/transform/validate"): "transform_validate",
        ("GET", f"{MS}/transformers"): "list_transformers",
        ("GET", f"{MS}/schemas"): "list_schemas",
        ("GET", "/registry/health"): "registry_health",
        ("GET", "/registry/discover/{service_name}"): "discover_service",
        ("GET", "/registry/services"): "list_services",
        ("GET", "/"): "get_root",
        ("GET", "/health"): "simple_health",
    },
    "onextree": {
        ("GET", "/"): "get_root",
        ("GET", "/health"): "health",
        ("POST", "/intelligence"): "get_intelligence",
        ("POST", "/generate"): "generate_tree",
        ("POST", "/query"): "query_files",
        ("GET", "/stats"): "get_stats",
    },
}

# services/README.md: "Routes not described above (transform, registry, `/`, transformers,
# schemas) may keep an untyped object as data". The registry routes are bare (no envelope).
UNTYPED_DATA = {
    "metadata_stamping": {
        "transform_stamp",
        "transform_validate",
        "list_transformers",
        "list_schemas",
    },
    "onextree": set(),
}

BARE_OPERATIONS = {
    "metadata_stamping": {
        "get_root",
        "simple_health",
        "registry_health",
        "discover_service",
        "list_services",
    },
    "onextree": {"health"},
}

HEALTH_OPERATION = {"metadata_stamping": "health", "onextree": "health"}

TITLES_AND_SERVERS = {
    "metadata_stamping": ("MetadataStampingService", "http://localhost:8053"),
    "onextree": ("OnexTree Service", "http://localhost:8058"),
}

ENVELOPE = {
    "status_field": "status",
    "data_field": "data",
    "error_field": "error",
    "success": ["success", "partial"],
}

RESILIENCE_FIELDS = {"retry", "timeout", "deadline", "idempotent", "cache"}
RETRY_FIELDS = {"max_attempts", "backoff_base", "backoff_cap"}
CACHE_FIELDS = {"ttl", "max_entries"}


@functools.cache
def _parsed(name: str) -> dict[str, Json]:
    with (SPECS / f"{name}.yaml").open(encoding="utf-8") as handle:
        loaded = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert isinstance(loaded, dict)
    return loaded


def load_spec(name: str) -> dict[str, Json]:
    return copy.deepcopy(_parsed(name))


def operations(spec: Mapping[str, Json]) -> Iterator[tuple[str, str, dict[str, Json]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method.upper(), path, operation


def by_id(spec: Mapping[str, Json]) -> dict[str, dict[str, Json]]:
    return {operation["operationId"]: operation for _, _, operation in operations(spec)}


def deref(spec: Mapping[str, Json], node: Json) -> Json:
    while isinstance(node, dict) and "$ref" in node:
        target: Json = spec
        for token in node["$ref"].removeprefix("#/").split("/"):
            target = target[token]
        node = target
    return node


def success_schema(spec: Mapping[str, Json], operation: Mapping[str, Json]) -> Json:
    response = deref(spec, operation["responses"]["200"])
    return response["content"]["application/json"]["schema"]


def validation_errors(spec: Mapping[str, Json]) -> list[str]:
    return [
        f"{'/'.join(map(str, error.path))}: {error.message}"
        for error in OpenAPIV31SpecValidator(spec).iter_errors()
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_spec_is_valid_openapi_3_1(service: str) -> None:
    spec = load_spec(service)
    assert spec["openapi"] == "3.1.0"
    assert validation_errors(spec) == []


def _drop_title(spec: dict[str, Json]) -> None:
    del spec["info"]["title"]


def _parameter_in_body(spec: dict[str, Json]) -> None:
    spec["paths"][f"{MS}/metrics"]["get"]["parameters"][0]["in"] = "body"


def _unknown_type(spec: dict[str, Json]) -> None:
    spec["components"]["schemas"]["StampRequest"]["properties"]["content"]["type"] = "text"


@pytest.mark.parametrize("mutate", [_drop_title, _parameter_in_body, _unknown_type])
def test_validator_rejects_a_broken_spec(mutate: Callable[[dict[str, Json]], None]) -> None:
    spec = load_spec("metadata_stamping")
    mutate(spec)
    assert validation_errors(spec) != []


def _refs(node: Json, where: str = "#") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield where, value
            else:
                yield from _refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _refs(value, f"{where}/{index}")


def dangling_refs(spec: Mapping[str, Json]) -> list[str]:
    """openapi-spec-validator does not report every unresolvable $ref, so check them all."""
    problems = []
    for where, ref in _refs(spec):
        target: Json = spec
        for token in ref.removeprefix("#/").split("/"):
            target = target.get(token) if isinstance(target, dict) else None
        if not ref.startswith("#/") or target is None:
            problems.append(f"{where}: {ref}")
    return problems


@pytest.mark.parametrize("service", SERVICES)
def test_every_ref_resolves(service: str) -> None:
    spec = load_spec(service)
    assert dangling_refs(spec) == []
    spec["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/NoSuchSchema"
    }
    assert dangling_refs(spec) == [
        "#/paths///get/responses/200/content/application/json/schema: "
        "#/components/schemas/NoSuchSchema"
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_every_component_schema_is_used(service: str) -> None:
    spec = load_spec(service)
    used = {ref.rsplit("/", 1)[1] for _, ref in _refs(spec) if "/schemas/" in ref}
    assert sorted(set(spec["components"]["schemas"]) - used) == []


@pytest.mark.parametrize("service", SERVICES)
def test_title_and_server_give_the_promised_client(service: str) -> None:
    spec = load_spec(service)
    title, server = TITLES_AND_SERVERS[service]
    assert spec["info"]["title"] == title
    assert spec["servers"][0]["url"] == server
    assert "x-client-name" not in spec, "the title alone must give the class name"


@pytest.mark.parametrize("service", SERVICES)
def test_operation_ids_are_the_short_names(service: str) -> None:
    spec = load_spec(service)
    found = {(method, path): op["operationId"] for method, path, op in operations(spec)}
    assert found == EXPECTED_OPERATION_IDS[service]
    ids = list(found.values())
    assert len(ids) == len(set(ids)), "operationIds must be unique"
    for operation_id in ids:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", operation_id), operation_id
        assert "_api_v1_" not in operation_id and len(operation_id) <= 30, operation_id
        assert not re.search(r"_(get|post|put|patch|delete)$", operation_id), operation_id


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_is_documented(service: str) -> None:
    for method, path, operation in operations(load_spec(service)):
        assert operation.get("summary", "").strip(), f"{method} {path} has no summary"


@pytest.mark.parametrize("service", SERVICES)
def test_exactly_one_health_operation(service: str) -> None:
    spec = load_spec(service)
    marked = [op["operationId"] for _, _, op in operations(spec) if op.get("x-health") is True]
    assert marked == [HEALTH_OPERATION[service]]
    misplaced = [op["operationId"] for _, _, op in operations(spec) if "x-health" in op]
    assert misplaced == marked, "x-health takes only the value true"


@pytest.mark.parametrize("service", SERVICES)
def test_envelope_declared_once_and_bare_routes_opt_out(service: str) -> None:
    spec = load_spec(service)
    assert spec["x-envelope"] == ENVELOPE
    bare = {op["operationId"] for _, _, op in operations(spec) if op.get("x-envelope") is False}
    assert bare == BARE_OPERATIONS[service]
    for _, _, operation in operations(spec):
        assert operation.get("x-envelope", False) is False, "operations may only opt out"


@pytest.mark.parametrize("service", SERVICES)
def test_envelope_operations_type_their_data(service: str) -> None:
    spec = load_spec(service)
    schemas = spec["components"]["schemas"]
    for operation_id, operation in by_id(spec).items():
        if operation.get("x-envelope") is False:
            continue
        envelope = deref(spec, success_schema(spec, operation))
        assert envelope.get("type") == "object", operation_id
        assert envelope.get("required") == ["status"], operation_id
        status = deref(spec, envelope["properties"]["status"])
        assert status["enum"] == ["success", "error", "partial"], operation_id
        data = envelope["properties"]["data"]
        assert set(data) == {"$ref"}, f"{operation_id}: data must be a plain $ref"
        name = data["$ref"].removeprefix("#/components/schemas/")
        payload = schemas[name]
        if operation_id in UNTYPED_DATA[service]:
            assert payload == {"type": "object", "additionalProperties": True}, operation_id
        else:
            assert payload.get("type") == "object", operation_id
            assert payload.get("properties"), f"{operation_id}: {name} declares no properties"
            assert payload.get("required"), f"{operation_id}: {name} requires nothing"


@pytest.mark.parametrize("service", SERVICES)
def test_bare_operations_answer_a_plain_schema(service: str) -> None:
    spec = load_spec(service)
    for operation_id in BARE_OPERATIONS[service]:
        schema = deref(spec, success_schema(spec, by_id(spec)[operation_id]))
        assert schema.get("type") == "object", operation_id
        assert "data" not in schema.get("properties", {}), f"{operation_id} is not bare"


def _formats(spec: Mapping[str, Json], schema_name: str) -> dict[str, Json]:
    properties = spec["components"]["schemas"][schema_name]["properties"]
    found: dict[str, Json] = {}
    for name, schema in properties.items():
        alternatives = schema.get("anyOf", [schema])
        found[name] = next(
            (alt.get("format") for alt in alternatives if "format" in alt), alt_type(alternatives)
        )
    return found


def alt_type(alternatives: list[Json]) -> Json:
    return next((alt.get("type") for alt in alternatives if alt.get("type") != "null"), None)


def test_metadata_stamping_payloads_use_precise_types() -> None:
    spec = load_spec("metadata_stamping")
    stamp = _formats(spec, "CreateStampData")
    assert stamp["stamp_id"] == "uuid" and stamp["op_id"] == "uuid"
    assert stamp["created_at"] == "date-time"
    record = _formats(spec, "StampRecord")
    assert record["id"] == "uuid" and record["op_id"] == "uuid"
    assert record["file_size"] == "int64"
    assert record["created_at"] == "date-time" and record["updated_at"] == "date-time"
    assert _formats(spec, "GenerateHashData")["file_size_bytes"] == "int64"
    schemas = spec["components"]["schemas"]
    assert schemas["StampType"]["enum"] == ["lightweight", "rich"]
    assert schemas["HealthStatus"]["enum"] == ["healthy", "degraded", "unhealthy"]
    assert schemas["HealthData"]["properties"]["status"] == {
        "$ref": "#/components/schemas/HealthStatus"
    }
    # absent or null without a database: must not be required
    assert not {"stamp_id", "created_at", "op_id"} & set(schemas["CreateStampData"]["required"])


def test_onextree_payloads_use_precise_types() -> None:
    spec = load_spec("onextree")
    schemas = spec["components"]["schemas"]
    assert schemas["QueryType"]["enum"] == ["auto", "extension", "name", "path"]
    assert schemas["Intelligence"]["properties"]["confidence_score"]["type"] == "string"
    metadata = schemas["IntelligenceMetadata"]
    # degraded answers leave these out
    assert not {"tree_loaded", "context_analyzed"} & set(metadata["required"])


@pytest.mark.parametrize("service", SERVICES)
def test_error_responses_use_fastapis_detail_shape(service: str) -> None:
    spec = load_spec(service)
    for operation_id, operation in by_id(spec).items():
        for status, raw in operation["responses"].items():
            if status.startswith("2"):
                continue
            schema = deref(spec, raw)["content"]["application/json"]["schema"]
            expected = "HTTPValidationError" if status == "422" else "HTTPError"
            assert schema == {"$ref": f"#/components/schemas/{expected}"}, (operation_id, status)
    detail = spec["components"]["schemas"]["HTTPError"]["properties"]["detail"]
    assert detail["anyOf"] == [
        {"$ref": "#/components/schemas/UnifiedResponse"},
        {"type": "string"},
    ]


def test_metadata_stamping_errors_where_the_service_raises_them() -> None:
    operations_by_id = by_id(load_spec("metadata_stamping"))
    expected = {
        "create_stamp": {"413", "422", "500", "503"},
        "generate_hash": {"413", "422", "500", "503"},
        "get_stamp": {"400", "404", "422", "500", "503"},
        "batch_create_stamps": {"400", "422", "500", "503"},
    }
    for operation_id, statuses in expected.items():
        assert statuses <= set(operations_by_id[operation_id]["responses"]), operation_id


def test_onextree_errors_where_the_service_raises_them() -> None:
    operations_by_id = by_id(load_spec("onextree"))
    assert {"400", "422", "500"} <= set(operations_by_id["generate_tree"]["responses"])
    assert {"400", "422", "500"} <= set(operations_by_id["query_files"]["responses"])


def _resilience_blocks(spec: Mapping[str, Json]) -> Iterator[tuple[str, Json]]:
    yield "root", spec["x-resilience"]
    for path, item in spec["paths"].items():
        if "x-resilience" in item:
            yield path, item["x-resilience"]
        for method, operation in item.items():
            if method in METHODS and "x-resilience" in operation:
                yield operation["operationId"], operation["x-resilience"]


@pytest.mark.parametrize("service", SERVICES)
def test_resilience_blocks_use_known_fields_and_sane_values(service: str) -> None:
    spec = load_spec(service)
    root = spec["x-resilience"]
    assert root["timeout"] == 5.0 and root["deadline"] == 15.0
    assert root["retry"] == {"max_attempts": 3, "backoff_base": 0.5, "backoff_cap": 8.0}
    for where, block in _resilience_blocks(spec):
        assert set(block) <= RESILIENCE_FIELDS, where
        assert set(block.get("retry", {})) <= RETRY_FIELDS, where
        assert set(block.get("cache", {})) <= CACHE_FIELDS, where
        timeout = block.get("timeout", root["timeout"])
        deadline = block.get("deadline", root["deadline"])
        assert 0 < timeout <= deadline, f"{where}: one attempt must fit in the deadline"
        assert block.get("retry", root["retry"])["max_attempts"] >= 1, where
        assert isinstance(block.get("idempotent", False), bool), where


def test_metadata_stamping_resilience() -> None:
    spec = load_spec("metadata_stamping")
    operations_by_id = by_id(spec)
    root_timeout = spec["x-resilience"]["timeout"]
    for operation_id in ("create_stamp", "batch_create_stamps"):
        assert operations_by_id[operation_id]["x-resilience"]["idempotent"] is True
    assert operations_by_id["generate_hash"]["x-resilience"]["timeout"] > root_timeout
    cached = [op for op in operations_by_id.values() if "cache" in op.get("x-resilience", {})]
    assert cached == [], "nothing in MetadataStamping is cacheable"


def test_onextree_resilience() -> None:
    spec = load_spec("onextree")
    operations_by_id = by_id(spec)
    root_timeout = spec["x-resilience"]["timeout"]
    intelligence = operations_by_id["get_intelligence"]["x-resilience"]
    assert intelligence["cache"] == {"ttl": 300, "max_entries": 1000}
    assert intelligence["idempotent"] is True
    assert operations_by_id["generate_tree"]["x-resilience"]["timeout"] > root_timeout
