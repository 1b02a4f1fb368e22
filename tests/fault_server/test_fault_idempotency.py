"""Idempotency-Key replay: one side effect per key, whatever happens to the responses."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from fault_server.idempotency import IdempotencyStore, StoredResponse
from fault_server.testing import RunningServer

STAMP = "/api/v1/metadata-stamping/stamp"

BATCH = "/api/v1/metadata-stamping/batch"


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


async def test_a_repeated_key_replays_the_first_answer(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    body = {"items": [{"id": "1", "content": "a"}]}
    first = await client.post(BATCH, json=body, headers=keyed("k1"))
    second = await client.post(BATCH, json=body, headers=keyed("k1"))
    assert first.status_code == second.status_code == 200
    assert second.content == first.content  # byte for byte, timings included
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    await stamping.wait_idle()
    assert stamping.stats.side_effects == {"k1": 1}
    assert stamping.stats.replays == 1


async def test_distinct_keys_each_run_the_handler(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    for key in ("a", "b"):
        await client.post(STAMP, json={"content": "same"}, headers=keyed(key))
    await stamping.wait_idle()
    assert stamping.stats.side_effects == {"a": 1, "b": 1}
    # ...while the service itself deduplicates stamps by content.
    assert stamping.stamp_store.stamps_created == 1


async def test_retry_after_a_lost_response_is_replayed_without_a_second_effect(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.reset_connections(1, route=f"POST {BATCH}", after_handler=True)
    body = {"items": [{"id": "x", "content": "once"}]}
    with pytest.raises(httpx.TransportError):
        await client.post(BATCH, json=body, headers=keyed("retry-me"))
    retry = await client.post(BATCH, json=body, headers=keyed("retry-me"))
    assert retry.status_code == 200
    assert retry.headers["idempotent-replayed"] == "true"
    await stamping.wait_idle()
    assert stamping.stats.side_effects == {"retry-me": 1}
    assert stamping.stamp_store.stamps_created == 1


async def test_faults_are_decided_before_replay(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    body = {"content": "stored"}
    assert (await client.post(STAMP, json=body, headers=keyed("k"))).status_code == 200
    stamping.faults.fail_next(1, status=503)
    assert (await client.post(STAMP, json=body, headers=keyed("k"))).status_code == 503
    replay = await client.post(STAMP, json=body, headers=keyed("k"))
    assert replay.headers["idempotent-replayed"] == "true"
    await stamping.wait_idle()
    assert stamping.stats.side_effects == {"k": 1}


async def test_concurrent_requests_with_one_key_run_the_handler_once(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    # The first attempt is still being handled when the duplicates arrive.
    stamping.faults.add_latency(0.1, count=1)
    body = {"items": [{"id": "1", "content": "concurrent"}]}
    answers = await asyncio.gather(
        *(client.post(BATCH, json=body, headers=keyed("same")) for _ in range(4))
    )
    assert len({a.content for a in answers}) == 1
    await stamping.wait_idle()
    assert stamping.stats.side_effects == {"same": 1}
    assert stamping.stats.replays == 3


async def test_a_key_reused_for_another_request_is_refused(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    await client.post(STAMP, json={"content": "one"}, headers=keyed("k"))
    reused = await client.post(STAMP, json={"content": "two"}, headers=keyed("k"))
    assert reused.status_code == 422
    assert reused.json()["detail"]["error"][0]["code"] == "KEY_REUSED"
    await stamping.wait_idle()
    assert stamping.stats.side_effects == {"k": 1}


async def test_failed_answers_are_not_stored(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    empty: dict[str, list[object]] = {"items": []}
    for _ in range(2):
        response = await client.post(BATCH, json=empty, headers=keyed("bad"))
        assert response.status_code == 400
        assert "idempotent-replayed" not in response.headers
    await stamping.wait_idle()
    assert stamping.stats.side_effects == {"bad": 2}


async def test_requests_without_a_key_are_never_replayed(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    for _ in range(2):
        response = await client.post(STAMP, json={"content": "free"})
        assert "idempotent-replayed" not in response.headers
    await stamping.wait_idle()
    assert stamping.stats.handler_runs == 2
    assert stamping.stats.side_effects == {}


def test_renewed_locks_serve_a_new_event_loop_and_keep_the_answers() -> None:
    # A restarted server (RunningServer.restart) runs on a new loop; a lock a request
    # once waited on is bound to the old one.
    store = IdempotencyStore()
    answer = StoredResponse(200, [], b"{}")

    async def contend() -> None:
        lock = store.entry_lock("k", "fingerprint")
        async with lock:
            waiter = asyncio.create_task(lock.acquire())  # waiting binds the lock
            await asyncio.sleep(0)
        await waiter
        lock.release()

    asyncio.run(contend())
    store.store("k", answer)
    with pytest.raises(RuntimeError, match="different event loop"):
        asyncio.run(contend())
    store.renew_locks()
    asyncio.run(contend())
    assert store.get("k") == answer
