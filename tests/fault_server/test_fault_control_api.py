"""The /__faults__ control API over HTTP, as a non-Python user (or the CLI) drives it."""

from __future__ import annotations

import httpx
import pytest

from fault_server.testing import RunningServer

HEALTH = "/health"

C = "/__faults__"


async def test_fail_next_over_http(stamping: RunningServer, client: httpx.AsyncClient) -> None:
    added = await client.post(f"{C}/fail-next", json={"count": 1, "status": 429, "retry_after": 3})
    assert added.status_code == 201
    assert added.json()["kind"] == "status"
    response = await client.get(HEALTH)
    assert (response.status_code, response.headers["retry-after"]) == (429, "3")
    assert (await client.get(HEALTH)).status_code == 200


async def test_fail_for_latency_reset_truncate_and_slow_body_routes(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    bodies = {
        "fail-for": {"seconds": 5, "status": 502, "route": "/nowhere"},
        "latency": {"seconds": 0.01, "route": "/nowhere"},
        "reset-next": {"count": 1, "route": "/nowhere", "after_handler": True},
        "truncate-next": {"count": 2, "route": "/nowhere"},
        "slow-body": {"chunk_delay": 0.01, "chunk_size": 4, "route": "/nowhere"},
    }
    for path, body in bodies.items():
        assert (await client.post(f"{C}/{path}", json=body)).status_code == 201, path
    kinds = [r["kind"] for r in (await client.get(f"{C}/rules")).json()]
    assert kinds == ["status", "latency", "reset_after", "truncate", "slow_body"]
    assert len(stamping.faults.rules) == 5


async def test_stats_over_http(stamping: RunningServer, client: httpx.AsyncClient) -> None:
    await client.get(HEALTH, headers={"X-Correlation-ID": "c-1"})
    await stamping.wait_idle()
    stats = (await client.get(f"{C}/stats")).json()
    assert stats["requests"] == 1
    assert stats["correlation_ids"] == ["c-1"]
    assert stats["records"][0] == {
        "method": "GET",
        "path": HEALTH,
        "correlation_id": "c-1",
        "idempotency_key": None,
        "status": 200,
        "fault": None,
        "replayed": False,
        "traceparent": None,
    }
    lean = (await client.get(f"{C}/stats", params={"records": "false"})).json()
    assert lean["requests"] == 1 and "records" not in lean and "correlation_ids" not in lean
    assert (await client.delete(f"{C}/stats")).json()["requests"] == 0


async def test_control_requests_are_neither_faulted_nor_counted(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.fail_for(60, status=503)
    stamping.faults.add_latency(5)
    assert (await client.get(C)).status_code == 200
    assert (await client.get(f"{C}/stats")).json()["requests"] == 0


async def test_rules_can_be_added_generically_and_removed(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    rule = (
        await client.post(f"{C}/rules", json={"kind": "status", "status": 500, "route": HEALTH})
    ).json()
    assert rule["count"] is None and rule["duration"] is None  # until removed
    assert (await client.get(HEALTH)).status_code == 500
    assert (await client.get(HEALTH)).status_code == 500
    assert (await client.delete(f"{C}/rules/{rule['id']}")).status_code == 200
    assert (await client.delete(f"{C}/rules/{rule['id']}")).status_code == 404
    assert (await client.get(HEALTH)).status_code == 200


async def test_bad_control_input_is_refused(client: httpx.AsyncClient) -> None:
    assert (await client.post(f"{C}/fail-next", json={"count": -1})).status_code == 422
    assert (
        await client.post(f"{C}/fail-next", json={"count": 1, "status": 200})
    ).status_code == 400
    assert (
        await client.post(f"{C}/latency", json={"seconds": 1, "route": "no-slash"})
    ).status_code == 400
    assert (await client.post(f"{C}/rules", json={"kind": "explode"})).status_code == 422


async def test_max_concurrency_can_be_changed_at_run_time(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    response = await client.put(f"{C}/max-concurrency", json={"max_concurrency": 3})
    assert response.json() == {"max_concurrency": 3}
    assert stamping.state.max_concurrency == 3
    await client.put(f"{C}/max-concurrency", json={"max_concurrency": None})
    assert stamping.state.max_concurrency is None


async def test_reset_clears_faults_counters_and_replays(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    await client.post(
        "/api/v1/metadata-stamping/stamp", json={"content": "x"}, headers={"Idempotency-Key": "k"}
    )
    stamping.faults.fail_next(5)
    await stamping.wait_idle()
    assert (await client.post(f"{C}/reset")).status_code == 200
    assert stamping.faults.rules == []
    assert stamping.stats.requests == 0
    assert stamping.state.idempotency.keys() == []
    assert (await client.get(HEALTH)).status_code == 200


async def test_random_rules_and_seed_over_http(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    body = {"count": None, "after_handler": True, "probability": 0.25, "route": "/nowhere"}
    rule = (await client.post(f"{C}/reset-next", json=body)).json()
    assert (rule["kind"], rule["probability"], rule["count"]) == ("reset_after", 0.25, None)
    assert (await client.put(f"{C}/seed", json={"seed": 3})).json() == {"seed": 3}
    too_likely = {"count": 1, "probability": 1.5}
    assert (await client.post(f"{C}/fail-next", json=too_likely)).status_code == 422


async def test_stats_can_wait_for_requests_in_flight(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    # Long enough that the request is surely still in flight at the first stats call.
    stamping.faults.add_latency(0.6, count=1)
    with pytest.raises(httpx.ReadTimeout):
        await client.get(HEALTH, timeout=0.05)
    busy = await client.get(f"{C}/stats", params={"idle_timeout": 0.01})
    assert busy.status_code == 409
    idle = await client.get(f"{C}/stats", params={"idle_timeout": 5})
    assert idle.json()["in_flight"] == 0
    assert idle.json()["records"][0]["status"] == 200  # the server answered, too late
