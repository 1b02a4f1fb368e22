"""The fakes answer what the project's specs promise (openapi-core response validation).

Each case runs a real request against a fake and validates the (request, response) pair
against ``specs/<service>.yaml``: status declared, body matching the declared schema,
typed ``data`` included. The fakes must also expose exactly the routes of the specs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from testdata import SERVICES

from fault_server.app import create_app
from fault_server.testing import RunningServer, serve

ROOT = Path(__file__).resolve().parents[2]
SPECS = {
    "metadata-stamping": ROOT / "specs/metadata_stamping.yaml",
    "onextree": ROOT / "specs/onextree.yaml",
}
EXPORTS = {
    "metadata-stamping": SERVICES / "metadata_stamping.openapi.json",
    "onextree": SERVICES / "onextree.openapi.json",
}
SERVER_URLS = {"metadata-stamping": "http://localhost:8053", "onextree": "http://localhost:8058"}
P = "/api/v1/metadata-stamping"
HEX64 = "ab" * 32
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@cache
def openapi(service: str) -> OpenAPI:
    # The spec's own validity is the spec tests' business; validating it again here would
    # cost seconds per load. This module checks the fakes' answers against it.
    return OpenAPI.from_file_path(str(SPECS[service]), config=Config(spec_validator_cls=None))


def fake_routes(service: str) -> set[tuple[str, str]]:
    # The fake's own OpenAPI document lists its routes (hidden extras such as the
    # Prometheus /metrics are left out, as the real export leaves them out).
    app: FastAPI = create_app(service).service_app  # type: ignore[assignment]
    return document_routes(app.openapi())


def document_routes(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (m.upper(), p) for p, ops in document["paths"].items() for m in ops if m in HTTP_METHODS
    }


@pytest.mark.parametrize(("service", "count"), [("metadata-stamping", 20), ("onextree", 6)])
def test_routes_are_those_of_the_real_export(service: str, count: int) -> None:
    expected = document_routes(json.loads(EXPORTS[service].read_text()))
    assert len(expected) == count
    assert fake_routes(service) == expected


@pytest.mark.parametrize("service", ["metadata-stamping", "onextree"])
def test_routes_are_those_of_the_spec(service: str) -> None:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is 10x faster
    document = yaml.load(SPECS[service].read_text(), Loader=loader)
    assert fake_routes(service) == document_routes(document)


def validate(service: str, response: httpx.Response) -> None:
    request = response.request
    query = {k: v for k, v in request.url.params.items()}
    mock_request = MockRequest(
        SERVER_URLS[service],
        request.method,
        request.url.path,
        args=query,
        headers=dict(request.headers),
        # Only the response is validated here; the request just locates the operation.
    )
    mock_response = MockResponse(
        response.content,
        status_code=response.status_code,
        headers=dict(response.headers),
        content_type=response.headers.get("content-type", "application/json").split(";")[0],
    )
    openapi(service).validate_response(mock_request, mock_response)


@pytest.fixture
def stamping_small() -> Iterator[RunningServer]:
    # Small limits so the 413 answers are cheap to provoke.
    with serve("metadata-stamping", max_content_bytes=1000, max_file_bytes=1000) as srv:
        yield srv


Call = tuple[str, str, dict[str, Any], int]

STAMPING_CALLS: list[Call] = [
    ("POST", f"{P}/stamp", {"json": {"content": "spec"}}, 200),
    ("POST", f"{P}/stamp", {"json": {"content": "rich", "options": {"stamp_type": "rich"}}}, 200),
    ("POST", f"{P}/stamp", {"json": {"content": "x" * 1001}}, 413),
    ("POST", f"{P}/stamp", {"json": {}}, 422),
    ("POST", f"{P}/validate", {"json": {"content": "plain"}}, 200),
    ("POST", f"{P}/hash", {"files": {"file": ("a.txt", b"abc")}}, 200),
    ("POST", f"{P}/hash", {"files": {"file": ("a.txt", b"x" * 1001)}}, 413),
    ("GET", f"{P}/stamp/{HEX64}", {}, 404),
    ("GET", f"{P}/stamp/nothex", {}, 400),
    ("POST", f"{P}/batch", {"json": {"items": [{"content": "b"}, {"id": "bad"}]}}, 200),
    ("POST", f"{P}/batch", {"json": {"items": []}}, 400),
    ("POST", f"{P}/validate-protocol", {"json": {"content": "plain"}}, 200),
    ("GET", f"{P}/namespace/spec-ns", {"params": {"limit": 1}}, 200),
    ("GET", f"{P}/namespace/spec-ns", {"params": {"limit": 0}}, 422),
    ("GET", f"{P}/health/live", {}, 200),
    ("GET", f"{P}/health/ready", {}, 200),
    ("GET", f"{P}/health", {}, 200),
    ("GET", f"{P}/metrics", {"params": {"namespace": "spec-ns"}}, 200),
    ("POST", f"{P}/transform/stamp", {"json": {"content": "t"}}, 200),
    ("POST", f"{P}/transform/validate", {"json": {"content": "t", "expected_hash": HEX64}}, 200),
    ("GET", f"{P}/transformers", {}, 200),
    ("GET", f"{P}/schemas", {}, 200),
    ("GET", "/registry/health", {}, 200),
    ("GET", "/registry/discover/metadata-stamping", {}, 200),
    ("GET", "/registry/services", {}, 200),
    ("GET", "/", {}, 200),
    ("GET", "/health", {}, 200),
]


async def test_metadata_stamping_answers_validate_against_the_spec(
    stamping_small: RunningServer,
) -> None:
    async with stamping_small.async_client() as client:
        created = await client.post(
            f"{P}/stamp", json={"content": "listed", "namespace": "spec-ns"}
        )
        validate("metadata-stamping", created)
        file_hash = created.json()["data"]["file_hash"]
        calls = [*STAMPING_CALLS, ("GET", f"{P}/stamp/{file_hash}", {}, 200)]
        stamped = created.json()["data"]["stamped_content"]
        calls.append(("POST", f"{P}/validate", {"json": {"content": stamped}}, 200))
        for method, path, kwargs, status in calls:
            response = await client.request(method, path, **kwargs)
            assert response.status_code == status, (method, path, response.text)
            validate("metadata-stamping", response)


async def test_onextree_answers_validate_against_the_spec(
    onextree: RunningServer, tmp_path: Path
) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("x = 1\n")
    (tmp_path / "Makefile").write_text("all:\n")
    calls: list[Call] = [
        ("GET", "/", {}, 200),
        ("GET", "/health", {}, 200),
        ("GET", "/stats", {}, 200),
        ("POST", "/query", {"json": {"query": ".py"}}, 400),
        ("POST", "/intelligence", {"json": {"context": "api"}}, 200),
        ("POST", "/generate", {"json": {"project_root": str(tmp_path / "missing")}}, 400),
        ("POST", "/generate", {"json": {"project_root": str(tmp_path)}}, 200),
        ("POST", "/generate", {"json": {}}, 422),
        ("GET", "/", {}, 200),
        ("GET", "/stats", {}, 200),
        ("POST", "/query", {"json": {"query": "pkg"}}, 200),
        ("POST", "/query", {"json": {"query": "Makefile"}}, 200),
        ("POST", "/query", {"json": {"query": ".py"}}, 200),
        ("POST", "/query", {"json": {"query": "x", "query_type": "regex"}}, 400),
        ("POST", "/intelligence", {"json": {"context": "test the api module"}}, 200),
        ("POST", "/intelligence", {"json": {"context": "zzz", "include_patterns": False}}, 200),
    ]
    async with onextree.async_client() as client:
        for method, path, kwargs, status in calls:
            response = await client.request(method, path, **kwargs)
            assert response.status_code == status, (method, path, response.text)
            validate("onextree", response)


NO_DATABASE_CALLS: list[Call] = [
    ("POST", f"{P}/stamp", {"json": {"content": "not stored"}}, 200),
    ("POST", f"{P}/batch", {"json": {"items": [{"content": "b"}]}}, 200),
    ("GET", f"{P}/stamp/{HEX64}", {}, 503),
    ("GET", f"{P}/namespace/ns", {}, 503),
    ("GET", f"{P}/health", {}, 200),
    ("GET", f"{P}/health/ready", {}, 200),
    ("GET", f"{P}/metrics", {}, 200),
]


async def test_answers_without_a_database_validate_against_the_spec() -> None:
    with serve("metadata-stamping", database=False) as srv:
        async with srv.async_client() as client:
            for method, path, kwargs, status in NO_DATABASE_CALLS:
                response = await client.request(method, path, **kwargs)
                assert response.status_code == status, (method, path, response.text)
                validate("metadata-stamping", response)
