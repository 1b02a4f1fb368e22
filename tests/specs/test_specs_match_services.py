"""The project's specs must describe the same HTTP surface as the real services.

The services' own FastAPI exports (vendored in ``tests/data/services/``; from omnibase_infra
legacy-migration 4c42a02) are the ground truth for routes, methods,
parameters and request bodies. ``compare_specs`` resolves ``$ref``s on both sides, reduces
every schema to what a client depends on (types, nullability, formats, enums, bounds,
patterns, defaults, properties, required) and lists each difference per (method, path).

The only differences allowed are the deliberate narrowings in ``ALLOWED_DIFFERENCES``, each
with its reason; a new difference fails, and so does a listed one that disappeared.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml
from testdata import SERVICES

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
EXPORTS = SERVICES

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# The schema keywords a client's behaviour depends on; titles, descriptions and examples
# are documentation and may differ.
VALUE_KEYWORDS = (
    "type",
    "format",
    "enum",
    "const",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contentMediaType",
)

MS = "/api/v1/metadata-stamping"

# Deliberate narrowings of the export, each one a fact from services/README.md or the handler
# that the export does not carry. Keys are exact difference strings from compare_specs.
ALLOWED_DIFFERENCES: dict[str, dict[str, str]] = {
    "metadata_stamping": {
        f"POST {MS}/batch: body application/json: $.items.items: properties only in spec": (
            "the export types batch items as a bare object; the spec names the keys the "
            "handler reads (id, content, file_path, namespace, metadata), all optional and "
            "with additionalProperties still true, so every body the server accepts is valid"
        ),
    },
    "onextree": {
        "POST /query: body application/json: $.query_type: enum only in spec": (
            "the handler answers 400 for any query_type but auto, extension, name and path"
        ),
    },
}

Json = Any
Doc = Mapping[str, Json]


@functools.cache
def _parsed_spec(name: str) -> dict[str, Json]:
    with (SPECS / f"{name}.yaml").open(encoding="utf-8") as handle:
        loaded = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert isinstance(loaded, dict)
    return loaded


def load_spec(name: str) -> dict[str, Json]:
    """A fresh copy of specs/<name>.yaml (callers may mutate it)."""
    return copy.deepcopy(_parsed_spec(name))


def load_export(name: str) -> dict[str, Json]:
    loaded = json.loads((EXPORTS / f"{name}.openapi.json").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def resolve_pointer(doc: Doc, ref: str) -> Json:
    assert ref.startswith("#/"), f"only local $refs are expected, got {ref}"
    node: Json = doc
    for token in ref[2:].split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def deref(doc: Doc, node: Json) -> Json:
    """Follow ``$ref`` chains; keywords next to a ``$ref`` (3.1) override the target's."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref not in seen, f"$ref cycle through {ref}"
        seen.add(ref)
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        node = {**resolve_pointer(doc, ref), **siblings}
    return node


def canonical(doc: Doc, schema: Json, depth: int = 0) -> Json:
    """The client-relevant content of a schema, $refs resolved, documentation dropped."""
    assert depth < 32, "schema nests too deep (a recursive schema?)"
    schema = deref(doc, schema)
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Json] = {}
    for key in VALUE_KEYWORDS:
        if key in schema:
            value = schema[key]
            out[key] = sorted(value) if key == "type" and isinstance(value, list) else value
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            alternatives = [canonical(doc, alt, depth + 1) for alt in schema[key]]
            out[key] = sorted(alternatives, key=lambda alt: json.dumps(alt, sort_keys=True))
    if "items" in schema:
        out["items"] = canonical(doc, schema["items"], depth + 1)
    if "properties" in schema:
        out["properties"] = {
            name: canonical(doc, sub, depth + 1) for name, sub in schema["properties"].items()
        }
    if "required" in schema:
        out["required"] = sorted(schema["required"])
    if "additionalProperties" in schema:
        extra = schema["additionalProperties"]
        out["additionalProperties"] = (
            extra if isinstance(extra, bool) else canonical(doc, extra, depth + 1)
        )
    return out


def diff_schemas(where: str, export: Json, spec: Json) -> list[str]:
    """Differences between two canonical schemas, one line per keyword."""
    if not isinstance(export, dict) or not isinstance(spec, dict):
        return [] if export == spec else [f"{where}: {export!r} in export, {spec!r} in spec"]
    problems: list[str] = []
    for key in sorted(set(export) | set(spec)):
        if key not in spec:
            problems.append(f"{where}: {key} only in export")
        elif key not in export:
            problems.append(f"{where}: {key} only in spec")
        elif key == "properties":
            names = set(export[key]) | set(spec[key])
            for name in sorted(names):
                if name not in spec[key]:
                    problems.append(f"{where}: property {name!r} only in export")
                elif name not in export[key]:
                    problems.append(f"{where}: property {name!r} only in spec")
                else:
                    problems += diff_schemas(f"{where}.{name}", export[key][name], spec[key][name])
        elif key in ("items", "additionalProperties"):
            problems += diff_schemas(f"{where}.{key}", export[key], spec[key])
        elif export[key] != spec[key]:
            problems.append(f"{where}: {key} {export[key]!r} in export, {spec[key]!r} in spec")
    return problems


def operations(doc: Doc) -> dict[tuple[str, str], Json]:
    return {
        (method.upper(), path): operation
        for path, item in doc["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def parameters(doc: Doc, path_item: Json, operation: Json) -> dict[tuple[str, str], Json]:
    """Path-level parameters overridden by operation-level ones, keyed by (in, name)."""
    found: dict[tuple[str, str], Json] = {}
    for raw in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
        parameter = deref(doc, raw)
        found[(parameter["in"], parameter["name"])] = parameter
    return found


def compare_operation(
    label: str, export_doc: Doc, export_op: Json, spec_doc: Doc, spec_op: Json
) -> list[str]:
    path = label.split(" ", 1)[1]
    problems: list[str] = []

    export_params = parameters(export_doc, export_doc["paths"][path], export_op)
    spec_params = parameters(spec_doc, spec_doc["paths"][path], spec_op)
    for key in sorted(set(export_params) | set(spec_params)):
        where = f"{label}: parameter {key[0]} {key[1]!r}"
        if key not in spec_params:
            problems.append(f"{where}: only in export")
            continue
        if key not in export_params:
            problems.append(f"{where}: only in spec")
            continue
        export_param, spec_param = export_params[key], spec_params[key]
        if bool(export_param.get("required")) != bool(spec_param.get("required")):
            problems.append(f"{where}: required differs")
        problems += diff_schemas(
            f"{where}: $",
            canonical(export_doc, export_param.get("schema", {})),
            canonical(spec_doc, spec_param.get("schema", {})),
        )

    export_body = deref(export_doc, export_op.get("requestBody"))
    spec_body = deref(spec_doc, spec_op.get("requestBody"))
    if (export_body is None) != (spec_body is None):
        side = "export" if spec_body is None else "spec"
        return [*problems, f"{label}: request body only in {side}"]
    if export_body is None:
        return problems
    if bool(export_body.get("required")) != bool(spec_body.get("required")):
        problems.append(f"{label}: request body required differs")
    export_media, spec_media = export_body.get("content", {}), spec_body.get("content", {})
    for media_type in sorted(set(export_media) | set(spec_media)):
        where = f"{label}: body {media_type}"
        if media_type not in spec_media:
            problems.append(f"{where}: only in export")
        elif media_type not in export_media:
            problems.append(f"{where}: only in spec")
        else:
            problems += diff_schemas(
                f"{where}: $",
                canonical(export_doc, export_media[media_type].get("schema", {})),
                canonical(spec_doc, spec_media[media_type].get("schema", {})),
            )
    return problems


def compare_specs(export_doc: Doc, spec_doc: Doc) -> list[str]:
    """Every difference in routes, parameters and request bodies, as sorted strings."""
    export_ops, spec_ops = operations(export_doc), operations(spec_doc)
    problems: list[str] = []
    for key in sorted(set(export_ops) | set(spec_ops)):
        label = f"{key[0]} {key[1]}"
        if key not in spec_ops:
            problems.append(f"{label}: route only in export")
        elif key not in export_ops:
            problems.append(f"{label}: route only in spec")
        else:
            problems += compare_operation(
                label, export_doc, export_ops[key], spec_doc, spec_ops[key]
            )
    return sorted(problems)


SERVICES = ("metadata_stamping", "onextree")


@pytest.mark.parametrize("service", SERVICES)
def test_spec_routes_parameters_and_bodies_match_the_service(service: str) -> None:
    problems = set(compare_specs(load_export(service), load_spec(service)))
    allowed = set(ALLOWED_DIFFERENCES[service])
    assert sorted(problems - allowed) == [], "the spec drifted from the service"
    assert sorted(allowed - problems) == [], "an allowed difference is gone: drop it from the list"


@pytest.mark.parametrize(("service", "count"), [("metadata_stamping", 20), ("onextree", 6)])
def test_spec_has_every_route_of_the_service(service: str, count: int) -> None:
    export_routes = set(operations(load_export(service)))
    assert len(export_routes) == count
    assert set(operations(load_spec(service))) == export_routes


# ---- the comparison must be able to fail: mutate a copy of a spec, expect a difference ----

Mutation = Callable[[dict[str, Json]], None]


def _schema(spec: dict[str, Json], name: str) -> dict[str, Json]:
    found = spec["components"]["schemas"][name]
    assert isinstance(found, dict)
    return found


def _op(spec: dict[str, Json], method: str, path: str) -> dict[str, Json]:
    found = spec["paths"][path][method]
    assert isinstance(found, dict)
    return found


def _param(spec: dict[str, Json], method: str, path: str, name: str) -> dict[str, Json]:
    for parameter in _op(spec, method, path)["parameters"]:
        if parameter["name"] == name:
            assert isinstance(parameter, dict)
            return parameter
    raise AssertionError(f"no parameter {name}")


def _drop_required_content(spec: dict[str, Json]) -> None:
    _schema(spec, "StampRequest")["required"].remove("content")


def _rename_property(spec: dict[str, Json]) -> None:
    properties = _schema(spec, "StampRequest")["properties"]
    properties["contents"] = properties.pop("content")


def _change_body_default(spec: dict[str, Json]) -> None:
    _schema(spec, "StampRequest")["properties"]["protocol_version"]["default"] = "2.0"


def _change_nested_default(spec: dict[str, Json]) -> None:
    _schema(spec, "StampOptions")["properties"]["include_metadata"]["default"] = False


def _change_property_type(spec: dict[str, Json]) -> None:
    _schema(spec, "StampRequest")["properties"]["version"]["type"] = "string"


def _drop_nullability(spec: dict[str, Json]) -> None:
    _schema(spec, "StampRequest")["properties"]["file_path"] = {"type": "string"}


def _change_limit_default(spec: dict[str, Json]) -> None:
    _param(spec, "get", f"{MS}/namespace/{{namespace}}", "limit")["schema"]["default"] = 20


def _change_limit_bound(spec: dict[str, Json]) -> None:
    _param(spec, "get", f"{MS}/namespace/{{namespace}}", "limit")["schema"]["maximum"] = 100


def _drop_query_parameter(spec: dict[str, Json]) -> None:
    operation = _op(spec, "post", f"{MS}/hash")
    operation["parameters"] = [p for p in operation["parameters"] if p["name"] != "namespace"]


def _require_optional_parameter(spec: dict[str, Json]) -> None:
    _param(spec, "get", f"{MS}/metrics", "namespace")["required"] = True


def _change_media_type(spec: dict[str, Json]) -> None:
    content = _op(spec, "post", f"{MS}/hash")["requestBody"]["content"]
    content["application/json"] = content.pop("multipart/form-data")


def _drop_route(spec: dict[str, Json]) -> None:
    del spec["paths"][f"{MS}/schemas"]


def _change_method(spec: dict[str, Json]) -> None:
    item = spec["paths"][f"{MS}/validate"]
    item["put"] = item.pop("post")


def _add_route(spec: dict[str, Json]) -> None:
    spec["paths"]["/metrics"] = {"get": {"operationId": "prometheus", "responses": {}}}


def _drop_body(spec: dict[str, Json]) -> None:
    del _op(spec, "post", f"{MS}/transform/stamp")["requestBody"]


def _onextree_default(spec: dict[str, Json]) -> None:
    _schema(spec, "IntelligenceRequest")["properties"]["include_patterns"]["default"] = False


def _onextree_extra_property(spec: dict[str, Json]) -> None:
    _schema(spec, "GenerateTreeRequest")["properties"]["follow_links"] = {"type": "boolean"}


def _onextree_limit_type(spec: dict[str, Json]) -> None:
    _schema(spec, "QueryRequest")["properties"]["limit"]["type"] = "number"


MUTATIONS: list[tuple[str, Mutation]] = [
    ("metadata_stamping", _drop_required_content),
    ("metadata_stamping", _rename_property),
    ("metadata_stamping", _change_body_default),
    ("metadata_stamping", _change_nested_default),
    ("metadata_stamping", _change_property_type),
    ("metadata_stamping", _drop_nullability),
    ("metadata_stamping", _change_limit_default),
    ("metadata_stamping", _change_limit_bound),
    ("metadata_stamping", _drop_query_parameter),
    ("metadata_stamping", _require_optional_parameter),
    ("metadata_stamping", _change_media_type),
    ("metadata_stamping", _drop_route),
    ("metadata_stamping", _change_method),
    ("metadata_stamping", _add_route),
    ("metadata_stamping", _drop_body),
    ("onextree", _onextree_default),
    ("onextree", _onextree_extra_property),
    ("onextree", _onextree_limit_type),
]


@pytest.mark.parametrize(
    ("service", "mutate"), MUTATIONS, ids=[mutate.__name__.strip("_") for _, mutate in MUTATIONS]
)
def test_comparison_detects_a_drifted_spec(service: str, mutate: Mutation) -> None:
    export, spec = load_export(service), load_spec(service)
    mutated = copy.deepcopy(spec)
    mutate(mutated)
    before = set(compare_specs(export, spec))
    after = set(compare_specs(export, mutated))
    assert after - before, f"{mutate.__name__} went unnoticed"


def test_comparison_follows_refs_instead_of_comparing_their_names() -> None:
    """Moving a schema behind another $ref name is not drift; changing its content is."""
    export, spec = load_export("onextree"), load_spec("onextree")
    renamed = copy.deepcopy(spec)
    schemas = renamed["components"]["schemas"]
    schemas["TreeRequest"] = schemas.pop("GenerateTreeRequest")
    content = renamed["paths"]["/generate"]["post"]["requestBody"]["content"]
    content["application/json"]["schema"] = {"$ref": "#/components/schemas/TreeRequest"}
    assert compare_specs(export, renamed) == compare_specs(export, spec)


# ---- envelope or bare: decided from the export, the same way for every route ----


def _answers_with_envelope(operation: Json) -> bool:
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return bool(schema.get("$ref") == "#/components/schemas/UnifiedResponse")


@pytest.mark.parametrize("service", SERVICES)
def test_bare_routes_are_exactly_those_the_export_answers_without_envelope(service: str) -> None:
    export, spec = load_export(service), load_spec(service)
    spec_ops = operations(spec)
    for key, export_op in operations(export).items():
        bare_in_spec = spec_ops[key].get("x-envelope") is False
        assert bare_in_spec == (not _answers_with_envelope(export_op)), key


@pytest.mark.parametrize("service", SERVICES)
def test_spec_keeps_the_validation_error_response_of_the_export(service: str) -> None:
    export, spec = load_export(service), load_spec(service)
    spec_ops = operations(spec)
    for key, export_op in operations(export).items():
        if "422" not in export_op["responses"]:
            continue
        response = deref(spec, spec_ops[key]["responses"].get("422"))
        assert response is not None, f"{key} lost its 422"
        schema = response["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/HTTPValidationError"}, key


# ---- answers the services really give must validate against the spec's schemas ----

STAMP_ID = "5b0f6c59-1d8e-4c8e-9a51-6f1c1b8d2a10"
HASH = "a" * 64

ENVELOPE_SAMPLES: list[tuple[str, str, str, Json]] = [
    (
        "metadata_stamping",
        "post",
        f"{MS}/stamp",
        {
            "status": "success",
            "data": {
                "success": True,
                "stamp_id": STAMP_ID,
                "file_hash": HASH,
                "stamped_content": "<!-- METADATA_STAMP: ... -->\nhello",
                "stamp": "<!-- METADATA_STAMP: ... -->",
                "stamp_type": "lightweight",
                "performance_metrics": {
                    "execution_time_ms": 0.42,
                    "file_size_bytes": 5,
                    "cpu_usage_percent": None,
                    "performance_grade": "A",
                },
                "created_at": "2025-10-01T12:00:00.123456+00:00",
                "op_id": None,
                "namespace": "omninode.services.metadata",
                "version": 1,
                "metadata_version": "0.1",
            },
            "error": None,
            "message": "Metadata stamp created successfully",
            "metadata": {"namespace": "default", "operation": "create_stamp"},
        },
    ),
    (
        # without a database the stamp has no id and no creation time
        "metadata_stamping",
        "post",
        f"{MS}/stamp",
        {
            "status": "success",
            "data": {
                "success": True,
                "stamp_id": None,
                "file_hash": HASH,
                "stamped_content": "x",
                "stamp": "s",
                "stamp_type": "rich",
                "performance_metrics": {"execution_time_ms": 1.0, "performance_grade": "B"},
                "created_at": None,
                "namespace": "omninode.services.metadata",
                "version": 1,
                "metadata_version": "0.1",
            },
        },
    ),
    (
        "metadata_stamping",
        "get",
        f"{MS}/stamp/{{file_hash}}",
        {
            "status": "success",
            "data": {
                "id": STAMP_ID,
                "file_hash": HASH,
                "file_path": "/srv/a.txt",
                "file_size": 6_000_000_000,
                "content_type": None,
                "stamp_data": {"stamp_type": "lightweight", "stamp": "s", "namespace": "ns"},
                "protocol_version": "1.0",
                "intelligence_data": {},
                "version": 1,
                "op_id": STAMP_ID,
                "namespace": "omninode.services.metadata",
                "metadata_version": "0.1",
                "created_at": "2025-10-01T12:00:00+00:00",
                "updated_at": "2025-10-01T12:00:00+00:00",
            },
        },
    ),
    (
        "metadata_stamping",
        "post",
        f"{MS}/batch",
        {
            "status": "partial",
            "data": {
                "total_items": 2,
                "successful_items": 1,
                "failed_items": 1,
                "results": [
                    {
                        "id": "a",
                        "success": True,
                        "stamp_id": STAMP_ID,
                        "file_hash": HASH,
                        "stamp": "s",
                        "error": None,
                        "performance_metrics": {
                            "execution_time_ms": 0.1,
                            "file_size_bytes": 1,
                            "performance_grade": "A",
                        },
                    },
                    {"id": "b", "success": False, "error": "Content too large"},
                ],
                "overall_performance": {"execution_time_ms": 3.0, "performance_grade": "A"},
            },
        },
    ),
    (
        "metadata_stamping",
        "get",
        f"{MS}/health",
        {
            "status": "partial",
            "data": {
                "status": "degraded",
                "components": {"service": {"status": "error", "details": {"error": "x"}}},
                "uptime_seconds": None,
                "version": "0.1.0",
            },
        },
    ),
    (
        "metadata_stamping",
        "get",
        f"{MS}/health/live",
        {
            "status": "success",
            "data": {"status": "alive", "uptime_seconds": 3.5, "timestamp": 1.7e9},
        },
    ),
    (
        "metadata_stamping",
        "get",
        f"{MS}/health/ready",
        {
            "status": "partial",
            "data": {
                "status": "ready",
                "components": {"database": {"ready": False, "reason": "Database error: x"}},
                "overall_ready": False,
            },
        },
    ),
    (
        "metadata_stamping",
        "get",
        f"{MS}/namespace/{{namespace}}",
        {
            "status": "success",
            "data": {
                "namespace": "ns",
                "total_stamps": 0,
                "stamps": [],
                "pagination": {"limit": 50, "offset": 0, "total": 0, "has_more": False},
            },
        },
    ),
    (
        "onextree",
        "post",
        "/intelligence",
        {
            "status": "success",
            "data": {
                "intelligence": {
                    "analysis_type": "api_analysis",
                    "confidence_score": "0.88",
                    "recommendations": "Content appears valid based on project structure",
                },
                "patterns": ["API/REST pattern detected"],
                "relationships": [{"type": "project_structure", "from": "root", "count": 3}],
                "metadata": {
                    "analysis_time_ms": 0.3,
                    "tree_loaded": True,
                    "context_analyzed": "api endpoints",
                },
            },
        },
    ),
    (
        # services/README.md documents recommendations as a list of strings
        "onextree",
        "post",
        "/intelligence",
        {
            "status": "success",
            "data": {
                "intelligence": {
                    "analysis_type": "minimal",
                    "confidence_score": "0.0",
                    "recommendations": ["Generate a tree first"],
                },
                "patterns": [],
                "relationships": [],
                "metadata": {"tree_loaded": False, "analysis_time_ms": 0.01},
            },
        },
    ),
    (
        "onextree",
        "post",
        "/query",
        {
            "status": "success",
            "data": {
                "success": True,
                "query": ".py",
                "query_type": "extension",
                "results": [
                    {
                        "path": "a/b.py",
                        "name": "b.py",
                        "type": "file",
                        "size": 10,
                        "extension": "py",
                    },
                    {
                        "path": "a",
                        "name": "a",
                        "type": "directory",
                        "size": None,
                        "extension": None,
                    },
                ],
                "count": 2,
                "execution_time_ms": 0.2,
            },
        },
    ),
    ("onextree", "get", "/stats", {"status": "success", "data": {"tree_loaded": False}}),
]

BARE_SAMPLES: list[tuple[str, str, str, Json]] = [
    ("metadata_stamping", "get", "/health", {"status": "ok", "service": "metadata-stamping"}),
    (
        "metadata_stamping",
        "get",
        "/",
        {"service": "MetadataStampingService", "version": "0.1.0", "status": "running"},
    ),
    ("onextree", "get", "/health", {"status": "healthy", "tree_loaded": True, "total_files": 12}),
]


def _changed(index: int, where: tuple[str | int, ...], value: Json) -> tuple[str, str, str, Json]:
    """ENVELOPE_SAMPLES[index] with one value replaced (``where`` is its key path)."""
    service, method, path, body = ENVELOPE_SAMPLES[index]
    body = copy.deepcopy(body)
    node = body
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    return service, method, path, body


WRONG_SAMPLES: list[tuple[str, str, str, Json]] = [
    # the hand-written client read `hash`; the server answers `file_hash`
    (
        "metadata_stamping",
        "post",
        f"{MS}/hash",
        {
            "status": "success",
            "data": {
                "hash": HASH,
                "execution_time_ms": 1.0,
                "file_size_bytes": 1,
                "performance_grade": "A",
            },
        },
    ),
    _changed(0, ("data", "stamp_type"), "heavy"),
    _changed(0, ("data", "created_at"), "yesterday"),
    _changed(0, ("status",), "ok"),
    _changed(2, ("data", "id"), "not-a-uuid"),
    _changed(2, ("data", "file_size"), "6 GB"),
    _changed(4, ("data", "status"), "fine"),
    _changed(8, ("data", "intelligence", "confidence_score"), 0.85),
    _changed(10, ("data", "query_type"), "glob"),
    ("onextree", "get", "/health", {"status": "healthy", "tree_loaded": "yes", "total_files": 1}),
]


def _validator(service: str, method: str, path: str) -> jsonschema.Draft202012Validator:
    spec = load_spec(service)
    response = _op(spec, method, path)["responses"]["200"]
    root = {
        "$ref": response["content"]["application/json"]["schema"]["$ref"],
        "components": spec["components"],
    }
    return jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())


def _sample_id(sample: tuple[str, str, str, Json]) -> str:
    return f"{sample[0]}:{sample[1].upper()} {sample[2]}"


@pytest.mark.parametrize("sample", ENVELOPE_SAMPLES + BARE_SAMPLES, ids=_sample_id)
def test_real_answers_validate_against_the_spec(sample: tuple[str, str, str, Json]) -> None:
    service, method, path, body = sample
    errors = [error.message for error in _validator(service, method, path).iter_errors(body)]
    assert errors == []


@pytest.mark.parametrize("sample", WRONG_SAMPLES, ids=_sample_id)
def test_wrong_answers_do_not_validate(sample: tuple[str, str, str, Json]) -> None:
    service, method, path, body = sample
    assert not _validator(service, method, path).is_valid(body)
