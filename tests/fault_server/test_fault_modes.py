"""Each fault mode as a real httpx client sees it over a real socket on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from fault_server.testing import FakeClock, RunningServer, serve

HEALTH = "/health"
STAMP = "/api/v1/metadata-stamping/stamp"
API_HEALTH = "/api/v1/metadata-stamping/health"


async def statuses(client: httpx.AsyncClient, n: int, path: str = HEALTH) -> list[int]:
    return [(await client.get(path)).status_code for _ in range(n)]


async def test_count_mode_fails_exactly_n_requests(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.fail_next(2, status=503)
    assert await statuses(client, 4) == [503, 503, 200, 200]
    await stamping.wait_idle()
    assert stamping.stats.requests == 4
    assert stamping.stats.faults_injected == {"status": 2}


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
async def test_injected_status_carries_an_error_envelope(
    stamping: RunningServer, client: httpx.AsyncClient, status: int
) -> None:
    stamping.faults.fail_next(1, status=status)
    response = await client.get(HEALTH)
    assert response.status_code == status
    detail = response.json()["detail"]
    assert detail["status"] == "error" and detail["data"] is None
    assert str(status) in detail["message"]
    assert "retry-after" not in response.headers


@pytest.mark.parametrize(
    ("given", "sent"), [(2, "2"), (0.25, "0.25"), ("Wed, 21 Oct 2026 07:28:00 GMT", None)]
)
async def test_retry_after_is_sent_as_configured(
    stamping: RunningServer, client: httpx.AsyncClient, given: float | str, sent: str | None
) -> None:
    stamping.faults.fail_next(1, status=429, retry_after=given)
    response = await client.get(HEALTH)
    assert response.status_code == 429
    assert response.headers["retry-after"] == (sent if sent is not None else given)


async def test_duration_mode_with_an_injected_clock(
    stamping: RunningServer, client: httpx.AsyncClient, clock: FakeClock
) -> None:
    stamping.faults.fail_for(30.0, status=502)
    assert await statuses(client, 3) == [502, 502, 502]
    clock.advance(29.9)
    assert await statuses(client, 1) == [502]
    clock.advance(0.2)
    assert await statuses(client, 2) == [200, 200]


async def test_duration_mode_in_real_time() -> None:
    with serve("metadata-stamping") as srv:
        async with srv.async_client() as client:
            srv.faults.fail_for(0.3, status=503)
            assert await statuses(client, 1) == [503]
            await asyncio.sleep(0.3)
            assert await statuses(client, 1) == [200]


async def test_count_and_duration_combine_as_or(
    stamping: RunningServer, client: httpx.AsyncClient, clock: FakeClock
) -> None:
    stamping.faults.fail_next(3, status=500)
    stamping.faults.fail_for(1.0, status=503)
    # Inside the window the counted failures are spent first, then the window answers.
    assert await statuses(client, 4) == [500, 500, 500, 503]
    clock.advance(1.0)
    assert await statuses(client, 1) == [200]

    stamping.faults.fail(count=1, duration=1.0, status=504)
    clock.advance(1.5)  # window over, but the count is still there
    assert await statuses(client, 2) == [504, 200]


async def test_per_route_fault_leaves_other_routes_alone(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.fail_next(1, status=503, route=HEALTH)
    assert (await client.get(API_HEALTH)).status_code == 200
    assert (await client.get("/")).status_code == 200
    assert (await client.get(HEALTH)).status_code == 503
    assert (await client.get(HEALTH)).status_code == 200


async def test_route_patterns_match_methods_and_single_segments(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.fail_for(60, status=500, route=f"GET {STAMP}/{{file_hash}}")
    assert (await client.post(STAMP, json={"content": "x"})).status_code == 200
    assert (await client.get(f"{STAMP}/{'a' * 64}")).status_code == 500
    assert (await client.get(f"{STAMP}/{'a' * 64}/extra")).status_code == 404

    stamping.faults.clear()
    stamping.faults.fail_for(60, status=502, route="/api/*")
    assert (await client.get(API_HEALTH)).status_code == 502
    assert (await client.get(HEALTH)).status_code == 200


async def test_route_rules_win_over_global_ones(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.fail_next(1, status=500)
    stamping.faults.fail_next(1, status=504, route=HEALTH)
    assert await statuses(client, 3) == [504, 500, 200]


async def test_latency_delays_the_answer(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.add_latency(0.15, count=1)
    started = time.perf_counter()
    assert (await client.get(HEALTH)).status_code == 200
    assert time.perf_counter() - started >= 0.15
    await client.get(HEALTH)
    await stamping.wait_idle()
    # The second request was not delayed by a rule (timing it would be flaky on a busy box).
    assert stamping.stats.faults_injected == {"latency": 1}


async def test_latency_beyond_the_client_timeout_is_a_read_timeout(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.add_latency(0.3, route=HEALTH, count=1)
    with pytest.raises(httpx.ReadTimeout):
        await client.get(HEALTH, timeout=0.05)
    assert (await client.get(HEALTH)).status_code == 200


async def test_latency_combines_with_a_status_fault(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.add_latency(0.1, count=1)
    stamping.faults.fail_next(1, status=503)
    started = time.perf_counter()
    assert (await client.get(HEALTH)).status_code == 503
    assert time.perf_counter() - started >= 0.1


async def test_reset_is_a_transport_error_and_skips_the_handler(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.reset_connections(1)
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        await client.post(STAMP, json={"content": "never stamped"})
    await stamping.wait_idle()
    assert stamping.stamp_store.stamps_created == 0
    assert stamping.stats.handler_runs == 0
    # The client's pool recovers with a fresh connection.
    assert (await client.post(STAMP, json={"content": "stamped"})).status_code == 200
    await stamping.wait_idle()
    assert stamping.stats.faults_injected == {"reset": 1}


async def test_reset_after_handler_loses_the_response_not_the_effect(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.reset_connections(1, after_handler=True)
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        await client.post(STAMP, json={"content": "stamped once"})
    await stamping.wait_idle()
    assert stamping.stamp_store.stamps_created == 1
    assert stamping.stats.records[-1].status is None


async def test_truncated_body_is_a_protocol_error(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.truncate_next(1, route=API_HEALTH)
    with pytest.raises(httpx.RemoteProtocolError, match=r"complete message body"):
        await client.get(API_HEALTH)
    assert (await client.get(API_HEALTH)).status_code == 200


async def test_slow_body_arrives_whole_but_late(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    expected = (await client.get(HEALTH)).json()
    stamping.faults.slow_body(0.02, chunk_size=10, count=1)
    started = time.perf_counter()
    response = await client.get(HEALTH)
    elapsed = time.perf_counter() - started
    assert response.json() == expected
    chunks = -(-len(response.content) // 10)
    assert elapsed >= 0.02 * (chunks - 1)


async def test_slow_body_trips_a_short_read_timeout(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.slow_body(0.2, chunk_size=8, count=1)
    with pytest.raises(httpx.ReadTimeout):
        await client.get(HEALTH, timeout=0.05)


async def test_slow_body_stops_once_the_client_has_gone(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    # /health's 45 bytes, 8 every 0.5 s, would take 2.5 s; the server notices the
    # client has gone at the next chunk.
    stamping.faults.slow_body(0.5, chunk_size=8, count=1)
    with pytest.raises(httpx.ReadTimeout):
        await client.get(HEALTH, timeout=0.05)
    started = time.perf_counter()
    await stamping.wait_idle(timeout=5.0)
    assert time.perf_counter() - started < 1.5
    assert stamping.stats.records[-1].status == 200


async def test_counted_failures_are_exact_under_concurrency(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    stamping.faults.fail_next(5, status=503)
    codes = await asyncio.gather(*(client.get(HEALTH) for _ in range(12)))
    assert sorted(r.status_code for r in codes) == [200] * 7 + [503] * 5


async def test_in_flight_maximum_is_counted(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    # Long enough for all five to be in flight at once even on a loaded machine.
    stamping.faults.add_latency(0.3)
    await asyncio.gather(*(client.get(HEALTH) for _ in range(5)))
    await stamping.wait_idle()
    assert stamping.stats.max_in_flight == 5
    assert stamping.stats.in_flight == 0


async def test_max_concurrency_answers_503_beyond_the_limit() -> None:
    # The two admitted requests hold their slots long enough for the other three to arrive.
    with serve("metadata-stamping", max_concurrency=2, latency=0.5) as srv:
        async with srv.async_client() as client:
            responses = await asyncio.gather(*(client.get(HEALTH) for _ in range(5)))
            await srv.wait_idle()
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 200, 503, 503, 503]
    assert srv.stats.rejected_over_capacity == 3


async def test_correlation_ids_are_recorded_in_order(
    stamping: RunningServer, client: httpx.AsyncClient
) -> None:
    for cid in ("a", "b", "b"):
        await client.get(HEALTH, headers={"X-Correlation-ID": cid})
    await client.get(HEALTH)
    await stamping.wait_idle()
    assert stamping.stats.correlation_ids == ["a", "b", "b", None]


def test_start_flags_set_faults_before_the_first_request() -> None:
    flags = {"fail_next": 1, "fail_status": 429, "retry_after": 1}
    with serve("metadata-stamping", **flags) as srv, srv.client() as client:
        first = client.get(HEALTH)
        assert (first.status_code, first.headers["retry-after"]) == (429, "1")
        assert client.get(HEALTH).status_code == 200


async def test_random_mode_fails_a_share_of_requests_repeatably() -> None:
    async def run() -> list[int]:
        with serve("metadata-stamping", fail_rate=0.3, fail_status=502, seed=4) as srv:
            async with srv.async_client() as client:
                return await statuses(client, 60)

    first = await run()
    assert 8 <= first.count(502) <= 30
    assert set(first) == {200, 502}
    assert await run() == first


@pytest.mark.parametrize("after_handler", [False, True])
def test_drops_stay_transport_errors_when_the_socket_is_out_of_reach(after_handler: bool) -> None:
    # uvicorn's trace logging wraps `send`, hiding the transport: the fallback must still
    # end the connection mid-response rather than answer a clean 500.
    with serve("metadata-stamping", log_level="trace") as srv, srv.client() as client:
        srv.faults.reset_connections(1, after_handler=after_handler)
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(HEALTH)
        assert client.get(HEALTH).status_code == 200
