"""The MetadataStampingService fake behaves as services/README.md describes the real one."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest

from fault_server.testing import RunningServer, serve

P = "/api/v1/metadata-stamping"
HEX64 = "0123456789abcdef" * 4


async def stamp(client: httpx.AsyncClient, content: str, **extra: Any) -> dict[str, Any]:
    response = await client.post(f"{P}/stamp", json={"content": content, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == "success"
    return body


async def test_stamp_is_idempotent_by_content_hash(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    first = (await stamp(client, "hello", file_path="/a.txt"))["data"]
    again = (await stamp(client, "hello", file_path="/elsewhere.txt"))["data"]
    assert first["file_hash"] == hashlib.blake2b(b"hello", digest_size=32).hexdigest()
    assert (again["stamp_id"], again["created_at"]) == (first["stamp_id"], first["created_at"])
    assert first["stamped_content"].endswith("\nhello")
    assert first["stamp"] in first["stamped_content"]
    assert stamping.stamp_store.stamps_created == 1
    other = (await stamp(client, "hello!"))["data"]
    assert other["stamp_id"] != first["stamp_id"]
    assert stamping.stamp_store.stamps_created == 2


async def test_stamp_answers_the_documented_fields(client: httpx.AsyncClient) -> None:
    op_id = "6f1c1e52-7f4e-4a8e-9d59-1d1a4b6b8a11"
    data = (await stamp(client, "x", namespace="ns", op_id=op_id, options={"stamp_type": "rich"}))[
        "data"
    ]
    assert set(data) == {
        "success", "stamp_id", "file_hash", "stamped_content", "stamp", "stamp_type",
        "performance_metrics", "created_at", "op_id", "namespace", "version", "metadata_version",
    }  # fmt: skip
    assert (data["stamp_type"], data["op_id"], data["namespace"]) == ("rich", op_id, "ns")
    assert set(data["performance_metrics"]) == {
        "execution_time_ms", "file_size_bytes", "cpu_usage_percent", "performance_grade",
    }  # fmt: skip


async def test_get_stamp_round_trip_and_namespace_filter(client: httpx.AsyncClient) -> None:
    created = (await stamp(client, "row", namespace="team-a", file_path="/r.txt"))["data"]
    row = (await client.get(f"{P}/stamp/{created['file_hash']}")).json()["data"]
    assert row["id"] == created["stamp_id"]
    assert (row["file_path"], row["file_size"], row["namespace"]) == ("/r.txt", 3, "team-a")
    assert row["created_at"].endswith("+00:00")
    hit = await client.get(f"{P}/stamp/{created['file_hash']}", params={"namespace": "team-a"})
    assert hit.status_code == 200
    miss = await client.get(f"{P}/stamp/{created['file_hash']}", params={"namespace": "team-b"})
    assert miss.status_code == 404


async def test_unknown_hash_is_404_with_an_error_envelope(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{P}/stamp/{HEX64}")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert detail["status"] == "error" and detail["data"] is None


@pytest.mark.parametrize("bad", ["abc", HEX64.upper(), HEX64 + "0", "g" * 64])
async def test_malformed_hash_is_400(client: httpx.AsyncClient, bad: str) -> None:
    response = await client.get(f"{P}/stamp/{bad}")
    assert response.status_code == 400
    assert response.json()["detail"]["status"] == "error"


async def test_bad_bodies_are_422_as_fastapi_reports_them(client: httpx.AsyncClient) -> None:
    missing = await client.post(f"{P}/stamp", json={"file_path": "/x"})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "content"]
    bad_op = await client.post(f"{P}/stamp", json={"content": "x", "op_id": "not-a-uuid"})
    assert bad_op.status_code == 422
    bad_type = await client.post(
        f"{P}/stamp", json={"content": "x", "options": {"stamp_type": "?"}}
    )
    assert bad_type.status_code == 422
    bad_limit = await client.get(f"{P}/namespace/ns", params={"limit": 0})
    assert bad_limit.status_code == 422


async def test_batch_with_a_bad_item_is_partial(client: httpx.AsyncClient) -> None:
    items = [{"id": "ok", "content": "one"}, {"id": "bad"}, {"content": "three"}]
    body = (await client.post(f"{P}/batch", json={"items": items})).json()
    assert body["status"] == "partial"
    data = body["data"]
    assert (data["total_items"], data["successful_items"], data["failed_items"]) == (3, 2, 1)
    assert [r["success"] for r in data["results"]] == [True, False, True]
    assert [r["id"] for r in data["results"]] == ["ok", "bad", "2"]
    assert data["results"][1]["error"]
    all_ok = (await client.post(f"{P}/batch", json={"items": items[:1]})).json()
    assert all_ok["status"] == "success"


async def test_empty_batch_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{P}/batch", json={"items": []})
    assert response.status_code == 400


async def test_multipart_hash(client: httpx.AsyncClient) -> None:
    payload = b"\x00\x01binary" * 100
    response = await client.post(
        f"{P}/hash", files={"file": ("f.bin", payload)}, params={"namespace": "n"}
    )
    data = response.json()["data"]
    assert data["file_hash"] == hashlib.blake2b(payload, digest_size=32).hexdigest()
    assert data["file_size_bytes"] == len(payload)
    assert data["performance_grade"] in {"A", "B", "C"}
    assert (await client.post(f"{P}/hash")).status_code == 422


async def test_validate_finds_intact_and_tampered_stamps(client: httpx.AsyncClient) -> None:
    stamped = (await stamp(client, "body text"))["data"]["stamped_content"]
    intact = (await client.post(f"{P}/validate", json={"content": stamped})).json()["data"]
    assert (intact["is_valid"], intact["stamps_found"]) == (True, 1)
    assert intact["validation_details"][0]["is_valid"] is True
    tampered = stamped.replace("body", "BODY")
    broken = (await client.post(f"{P}/validate", json={"content": tampered})).json()["data"]
    assert (broken["is_valid"], broken["stamps_found"]) == (False, 1)
    plain = (await client.post(f"{P}/validate", json={"content": "no stamp"})).json()["data"]
    assert (plain["is_valid"], plain["stamps_found"]) == (False, 0)


async def test_validate_protocol_levels(client: httpx.AsyncClient) -> None:
    stamped = (await stamp(client, "proto"))["data"]["stamped_content"]

    async def level(content: str) -> str:
        body = (await client.post(f"{P}/validate-protocol", json={"content": content})).json()
        result: str = body["data"]["validation_result"]["compliance_level"]
        return result

    assert await level(stamped) == "full"
    assert await level(stamped + " edited") == "partial"
    assert await level("plain") == "none"


async def test_namespace_listing_pages(client: httpx.AsyncClient) -> None:
    for i in range(5):
        await stamp(client, f"item {i}", namespace="paged")
    await stamp(client, "elsewhere", namespace="other")
    page = (await client.get(f"{P}/namespace/paged", params={"limit": 2, "offset": 4})).json()
    data = page["data"]
    assert (data["namespace"], data["total_stamps"], len(data["stamps"])) == ("paged", 5, 1)
    assert data["pagination"] == {"limit": 2, "offset": 4, "total": 5, "has_more": False}
    first = (await client.get(f"{P}/namespace/paged", params={"limit": 2})).json()["data"]
    assert first["pagination"]["has_more"] is True


async def test_health_metrics_and_root_routes(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok", "service": "metadata-stamping"}
    assert (await client.get("/")).json()["status"] == "running"
    health = (await client.get(f"{P}/health")).json()["data"]
    assert health["status"] == "healthy" and health["components"]
    assert (await client.get(f"{P}/health/live")).json()["data"]["status"] == "alive"
    assert (await client.get(f"{P}/health/ready")).json()["data"]["overall_ready"] is True
    await stamp(client, "counted")
    metrics = (await client.get(f"{P}/metrics")).json()["data"]
    assert metrics["database"]["total_stamps"] == 1
    prometheus = await client.get("/metrics")
    assert prometheus.headers["content-type"].startswith("text/plain")
    assert "metadata_stamps_total 1" in prometheus.text


async def test_transform_validate_reports_a_mismatch_as_200_error(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        f"{P}/transform/validate", json={"content": "x", "expected_hash": HEX64}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "error"
    ok = await client.post(f"{P}/transform/stamp", json={"content": "x"})
    assert ok.json()["data"]["file_hash"] == hashlib.blake2b(b"x", digest_size=32).hexdigest()


async def test_registry_routes_answer_bare_objects(client: httpx.AsyncClient) -> None:
    assert "status" in (await client.get("/registry/health")).json()
    assert (await client.get("/registry/services")).json()["count"] == 1
    found = (await client.get("/registry/discover/metadata-stamping")).json()
    assert found["found"] is True
    assert (await client.get("/registry/discover/nope")).json()["instances"] == []
    transformers = (await client.get(f"{P}/transformers")).json()["data"]["transformers"]
    assert transformers and (await client.get(f"{P}/schemas")).json()["data"]["schemas"]


async def test_content_over_the_limit_is_413() -> None:
    with serve("metadata-stamping", max_content_bytes=10, max_file_bytes=10) as srv:
        async with srv.async_client() as client:
            big = "x" * 11
            assert (await client.post(f"{P}/stamp", json={"content": big})).status_code == 413
            assert (await client.post(f"{P}/validate", json={"content": big})).status_code == 413
            upload = await client.post(f"{P}/hash", files={"file": ("f", big.encode())})
            assert upload.status_code == 413
            assert (await client.post(f"{P}/stamp", json={"content": "small"})).status_code == 200


async def test_without_a_database_nothing_is_stored() -> None:
    with serve("metadata-stamping", database=False) as srv:
        async with srv.async_client() as client:
            first = (await stamp(client, "ephemeral"))["data"]
            assert (first["stamp_id"], first["created_at"]) == (None, None)
            assert first["file_hash"] and first["stamp"] in first["stamped_content"]
            assert srv.stamp_store.stamps_created == 0
            stored = await client.get(f"{P}/stamp/{first['file_hash']}")
            assert stored.status_code == 503
            assert stored.json()["detail"]["status"] == "error"
            assert (await client.get(f"{P}/stamp/bad")).status_code == 400
            assert (await client.get(f"{P}/namespace/any")).status_code == 503
            batch = (await client.post(f"{P}/batch", json={"items": [{"content": "b"}]})).json()
            assert batch["data"]["results"][0]["stamp_id"] is None
            health = (await client.get(f"{P}/health")).json()
            assert (health["status"], health["data"]["status"]) == ("partial", "degraded")
            ready = (await client.get(f"{P}/health/ready")).json()
            assert (ready["status"], ready["data"]["overall_ready"]) == ("partial", False)
            metrics = (await client.get(f"{P}/metrics")).json()["data"]
            assert metrics["database"] == {}
