"""Retries: which failures, how long to wait, idempotency, budget, deadline, cancellation."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
import respx
from fakes import FakeClock
from runtime_helpers import BASE, ItemClient

from resilient_client import (
    CircuitBreakerConfig,
    CircuitOpenError,
    CircuitState,
    ClientConfig,
    ClientError,
    ConfigError,
    HTTPStatusError,
    NotFoundError,
    Operation,
    RateLimitedError,
    RequestTimeoutError,
    ResponseSpec,
    RetryConfig,
    ServerError,
    SpecPolicy,
    TransportError,
    UnprocessableEntityError,
)
from resilient_client._retry import RetryBudget, backoff_delay, parse_retry_after

OK = {"id": 1, "name": "a"}


async def test_get_retries_5xx_then_succeeds_with_exponential_backoff(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [httpx.Response(503), httpx.Response(502), httpx.Response(200, json=OK)]
    client = make_client()
    assert (await client.get_item(1)).id == 1
    assert route.call_count == 3
    assert sleeper.delays == [0.5, 1.0]


async def test_exhausted_attempts_raise_last_typed_error_not_retry_error(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [httpx.Response(500), httpx.Response(502), httpx.Response(504)]
    client = make_client()
    with pytest.raises(ServerError) as info:
        await client.get_item(1)
    assert info.value.status == 504
    assert info.value.attempts == 3
    assert route.call_count == 3


async def test_backoff_is_capped(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper
) -> None:
    respx_mock.get("/items/1").respond(503)
    client = make_client(ClientConfig(retry=RetryConfig(max_attempts=5, backoff_cap=1.0)))
    with pytest.raises(ServerError):
        await client.get_item(1)
    assert sleeper.delays == [0.5, 1.0, 1.0, 1.0]


def test_full_jitter_scales_the_step() -> None:
    assert backoff_delay(3, 0.5, 8.0, jitter=True, rand=lambda: 0.25) == 0.5
    assert backoff_delay(3, 0.5, 8.0, jitter=False, rand=lambda: 0.25) == 2.0
    assert backoff_delay(10, 0.5, 8.0, jitter=False, rand=lambda: 0.0) == 8.0


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
async def test_other_4xx_are_never_retried(
    status: int, respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(status, json={"detail": "no"})
    client = make_client()
    with pytest.raises(HTTPStatusError) as info:
        await client.get_item(1)
    assert getattr(info.value, "status", None) == status
    assert route.call_count == 1


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_retryable_statuses_on_get(
    status: int, respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [httpx.Response(status), httpx.Response(200, json=OK)]
    client = make_client()
    await client.get_item(1)
    assert route.call_count == 2


async def test_post_5xx_is_not_retried(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.post("/items").respond(503)
    client = make_client()
    with pytest.raises(ServerError):
        await client.create_item("x")
    assert route.call_count == 1


async def test_post_connect_error_is_retried_because_nothing_was_sent(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.post("/items")
    route.side_effect = [httpx.ConnectError("refused"), httpx.Response(201, json=OK)]
    client = make_client()
    assert (await client.create_item("x")).id == 1
    assert route.call_count == 2


async def test_post_read_timeout_is_not_retried(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.post("/items").mock(side_effect=httpx.ReadTimeout("slow"))
    client = make_client()
    with pytest.raises(RequestTimeoutError):
        await client.create_item("x")
    assert route.call_count == 1


async def test_get_timeouts_are_retried_then_raise_timeout_error(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").mock(side_effect=httpx.ReadTimeout("slow"))
    client = make_client()
    with pytest.raises(RequestTimeoutError) as info:
        await client.get_item(1)
    assert isinstance(info.value, TransportError)
    assert route.call_count == 3


async def test_post_with_idempotency_key_is_retried_with_the_same_key(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.post("/items")
    route.side_effect = [httpx.Response(503), httpx.Response(201, json=OK)]
    client = make_client()
    await client.create_item("x", idempotency_key="key-123")
    keys = [call.request.headers["idempotency-key"] for call in route.calls]
    assert keys == ["key-123", "key-123"]


async def test_spec_idempotent_post_generates_one_key_for_all_attempts(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    op: Operation[dict[str, int]] = Operation(
        "stamp",
        "POST",
        "/stamp",
        responses={"200": ResponseSpec("json")},
        policy=SpecPolicy(idempotent=True),
    )
    route = respx_mock.post("/stamp")
    route.side_effect = [
        httpx.Response(500),
        httpx.Response(503),
        httpx.Response(200, json={}),
        httpx.Response(200, json={}),
    ]
    client = make_client()
    await client._request(op, json={"content": "c"})
    await client._request(op, json={"content": "c"})
    keys = [call.request.headers["idempotency-key"] for call in route.calls]
    assert len(set(keys[:3])) == 1
    uuid.UUID(keys[0])
    assert keys[3] != keys[0]  # a new call is a new operation


async def test_retry_after_seconds_is_honoured(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [
        httpx.Response(429, headers={"Retry-After": "3"}),
        httpx.Response(200, json=OK),
    ]
    client = make_client()
    await client.get_item(1)
    assert sleeper.delays == [3.0]


def test_retry_after_http_date() -> None:
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=7), usegmt=True)
    assert parse_retry_after(header, now=lambda: now) == 7.0
    assert parse_retry_after("garbage") is None
    assert parse_retry_after("-5") == 0.0
    assert parse_retry_after(None) is None


async def test_retry_after_beyond_cap_fails_at_once_with_retry_after(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper
) -> None:
    route = respx_mock.get("/items/1").respond(429, headers={"Retry-After": "120"})
    client = make_client()
    with pytest.raises(RateLimitedError) as info:
        await client.get_item(1)
    assert info.value.retry_after == 120.0
    assert route.call_count == 1
    assert sleeper.delays == []


async def test_retry_after_beyond_remaining_deadline_fails_at_once(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper
) -> None:
    route = respx_mock.get("/items/1").respond(503, headers={"Retry-After": "10"})
    client = make_client(ClientConfig(deadline=5.0, timeout=1.0))
    with pytest.raises(ServerError) as info:
        await client.get_item(1)
    assert info.value.retry_after == 10.0
    assert route.call_count == 1
    assert sleeper.delays == []


async def test_total_deadline_stops_retries(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper
) -> None:
    route = respx_mock.get("/items/1").respond(503)
    config = ClientConfig(deadline=2.0, timeout=1.0, retry=RetryConfig(max_attempts=10))
    client = make_client(config)
    with pytest.raises(ServerError):
        await client.get_item(1)
    # waits 0.5 then 1.0 (t=1.5); the next 2.0 s wait would cross the 2.0 s deadline
    assert sleeper.delays == [0.5, 1.0]
    assert route.call_count == 3


async def test_per_call_deadline_replaces_the_configured_one(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], sleeper
) -> None:
    route = respx_mock.get("/items/1").respond(503)
    config = ClientConfig(deadline=30.0, timeout=1.0, retry=RetryConfig(max_attempts=10))
    client = make_client(config)
    with pytest.raises(ServerError):
        await client.get_item(1, deadline=1.2)
    # waits 0.5 (t=0.5); the next 1.0 s wait would cross this call's 1.2 s deadline
    assert sleeper.delays == [0.5]
    assert route.call_count == 2
    with pytest.raises(ConfigError, match="deadline must be positive"):
        await client.get_item(1, deadline=0)


async def test_per_call_deadline_message_names_the_calls_own_seconds(
    make_client: Callable[..., ItemClient],
) -> None:
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    http = httpx.AsyncClient(transport=httpx.MockTransport(hang))
    client = make_client(ClientConfig(timeout=0.01), http_client=http)
    with pytest.raises(RequestTimeoutError, match=r"deadline of 0\.01s exceeded"):
        await client.get_item(1, deadline=0.01)


async def test_per_call_max_attempts_and_convenience_max_retries(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(503)
    client = make_client()
    with pytest.raises(ServerError):
        await client.get_item(1, max_attempts=1)
    assert route.call_count == 1
    route.reset()
    client2 = make_client(max_retries=4)
    with pytest.raises(ServerError):
        await client2.get_item(1)
    assert route.call_count == 5
    route.reset()
    client3 = make_client(max_retries=0)
    with pytest.raises(ServerError):
        await client3.get_item(1)
    assert route.call_count == 1


def _hanging_client(make_client: Callable[..., ItemClient], first: list[int]) -> ItemClient:
    """A client whose server fails ``first`` statuses, then never answers."""
    requests: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if first:
            return httpx.Response(first.pop(0))
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    client = make_client(http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
    client.requests = requests  # type: ignore[attr-defined]
    return client


async def test_cancellation_is_never_retried_or_swallowed(
    make_client: Callable[..., ItemClient],
) -> None:
    client = _hanging_client(make_client, [])
    task = asyncio.create_task(client.get_item(1))
    while not client.requests:  # type: ignore[attr-defined]
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(client.requests) == 1  # type: ignore[attr-defined]
    stats = client.circuit_breaker.stats()
    assert stats.consecutive_failures == 0
    assert client.metrics().total.failures_by_kind == {"cancelled": 1}


async def test_cancellation_during_a_retry_attempt_propagates(
    make_client: Callable[..., ItemClient], sleeper
) -> None:
    client = _hanging_client(make_client, [503])
    task = asyncio.create_task(client.get_item(1))
    while len(client.requests) < 2:  # type: ignore[attr-defined]
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(client.requests) == 2  # type: ignore[attr-defined]
    assert sleeper.delays == [0.5]


async def test_retry_budget_stops_retries_in_an_outage_but_first_attempts_go_out(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(503)
    breaker_off = {"failure_threshold": 1000, "failure_rate_threshold": None}
    from resilient_client import CircuitBreakerConfig

    client = make_client(ClientConfig(circuit_breaker=CircuitBreakerConfig(**breaker_off)))
    for _ in range(40):
        with pytest.raises(ServerError):
            await client.get_item(1)
    # 50 tokens, each failed request costs one, retries only while more than 25 remain:
    # failures 1-24 may be retried, so calls 1-8 make 3 requests each (50 -> 26), call 9's
    # first failure leaves 25, and from then on every call is a single first attempt.
    assert route.call_count == 8 * 3 + 32
    assert client.retry_budget is not None and client.retry_budget.tokens == 0.0
    fresh = make_client(ClientConfig(circuit_breaker=CircuitBreakerConfig(**breaker_off)))
    route.reset()
    with pytest.raises(ServerError):
        await fresh.get_item(1)
    assert route.call_count == 3


def test_retry_budget_refunds_on_success() -> None:
    budget = RetryBudget(10, 0.1)
    for _ in range(5):
        budget.on_failure()
    assert not budget.can_retry()
    budget.on_success()
    assert budget.can_retry()
    for _ in range(100):
        budget.on_success()
    assert budget.tokens == 10


def test_retry_budget_defaults_are_the_config_defaults() -> None:
    config = RetryConfig()
    budget = RetryBudget()
    assert (budget.max_tokens, budget._ratio) == (50.0, 0.5)
    assert (config.budget_max_tokens, config.budget_token_ratio) == (50.0, 0.5)
    # Break-even: a refund of 0.5 per success pays for one failure in three attempts.
    for _ in range(1000):
        budget.on_failure()
        budget.on_success()
        budget.on_success()
        assert budget.can_retry()


def _seeded_503s(
    make_client: Callable[..., ItemClient],
    clock: FakeClock,
    failure_rate: float,
    breaker: CircuitBreakerConfig,
    retry: RetryConfig | None = None,
) -> tuple[ItemClient, list[int]]:
    """A client whose fake transport answers 503 to ``failure_rate`` of requests (seeded).

    Returns the client and a one-item list counting the requests sent. Each request
    takes 5 ms of fake time; backoff sleeps move the same fake clock.
    """
    draws = random.Random(20261204)
    sent = [0]

    def handler(request: httpx.Request) -> httpx.Response:
        sent[0] += 1
        clock.advance(0.005)
        if draws.random() < failure_rate:
            return httpx.Response(503, json={"detail": "injected"})
        return httpx.Response(200, json=OK)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url=BASE)
    config = ClientConfig(circuit_breaker=breaker, retry=retry or RetryConfig())
    client = make_client(config, http_client=http)
    client._rt.rand = random.Random(7).random  # seeded full jitter
    return client, sent


async def _calls(client: ItemClient, clock: FakeClock, n: int) -> list[ClientError]:
    errors: list[ClientError] = []
    for _ in range(n):
        clock.advance(0.01)  # calls 10 ms apart
        try:
            await client.get_item(1)
        except ClientError as exc:
            errors.append(exc)
    return errors


async def test_default_budget_keeps_retrying_through_a_20_percent_brownout(
    make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    # The target the defaults were chosen for (bench/retry_budget.py, bench/RESULTS.md):
    # >= 99% of calls succeed at 20% random 503s with max_attempts 3. Three attempts at
    # most give 1 - 0.2**3 = 99.2%, so the budget itself must refuse (almost) nothing.
    # Breaker off: its default (5 failed attempts in a row) trips in such a brown-out
    # now and then whatever the budget does; that is measured separately.
    client, sent = _seeded_503s(make_client, clock, 0.2, CircuitBreakerConfig(enabled=False))
    errors = await _calls(client, clock, 2000)
    assert (2000 - len(errors)) / 2000 >= 0.99
    # every failed call used its three attempts: the budget never stopped a retry
    assert [e.attempts for e in errors] == [3] * len(errors)
    assert all(isinstance(e, ServerError) for e in errors)
    assert client.retry_budget is not None and client.retry_budget.can_retry()
    assert 1.2 < sent[0] / 2000 < 1.3  # 1 + 0.2 + 0.04 requests per call
    # The old default (10 tokens, 0.1 refund) turned retries off above ~9% failures.
    before = RetryConfig(budget_max_tokens=10, budget_token_ratio=0.1)
    old, _ = _seeded_503s(make_client, clock, 0.2, CircuitBreakerConfig(enabled=False), before)
    old_errors = await _calls(old, clock, 2000)
    assert len(old_errors) > 10 * len(errors)


@pytest.mark.parametrize("breaker", ["off", "default"])
async def test_default_budget_outage_amplification_stays_below_1_2(
    breaker: str, make_client: Callable[..., ItemClient], clock: FakeClock
) -> None:
    config = CircuitBreakerConfig(enabled=False) if breaker == "off" else CircuitBreakerConfig()
    client, sent = _seeded_503s(make_client, clock, 1.0, config)
    first = await _calls(client, clock, 100)
    drained = sent[0]
    rest = await _calls(client, clock, 1900)
    assert len(first) + len(rest) == 2000
    if breaker == "off":
        # The budget alone: calls 1-8 retry twice while it drains (see above), then
        # every call is one request.
        assert drained == 100 + 8 * 2
        assert sent[0] - drained == 1900
        assert sent[0] / 2000 <= 1.2
        assert all(isinstance(e, ServerError) for e in rest)
    else:
        # The default breaker opens after 10 failed attempts in a row (calls 1-3: 3 each,
        # call 4: 1), before its rate trigger may judge (20 attempts), and stays open for
        # 60 s, longer than these 2,000 calls take on the fake clock.
        assert sent[0] == 10
        assert all(isinstance(e, CircuitOpenError) for e in rest)


async def test_retry_stops_once_our_failures_open_the_breaker(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    from resilient_client import CircuitBreakerConfig

    route = respx_mock.get("/items/1").respond(503)
    client = make_client(
        ClientConfig(
            circuit_breaker=CircuitBreakerConfig(failure_threshold=2),
            retry=RetryConfig(max_attempts=5),
        )
    )
    with pytest.raises(ServerError):
        await client.get_item(1)
    assert route.call_count == 2
    assert client.circuit_breaker.state == CircuitState.OPEN


async def test_not_found_is_not_retried_and_typed(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/items/1").respond(404, json={"detail": "Stamp not found"})
    client = make_client()
    with pytest.raises(NotFoundError, match="Stamp not found"):
        await client.get_item(1)


async def test_unprocessable_is_typed(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.post("/items").respond(
        422, json={"detail": [{"loc": ["body", "name"], "msg": "field required", "type": "x"}]}
    )
    client = make_client()
    with pytest.raises(UnprocessableEntityError, match="name: field required"):
        await client.create_item("x")


async def test_total_deadline_cuts_a_hanging_attempt(
    make_client: Callable[..., ItemClient],
) -> None:
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    http = httpx.AsyncClient(transport=httpx.MockTransport(hang))
    # MockTransport ignores httpx timeouts, so only the deadline can end this attempt;
    # 10 ms keeps the test fast while exercising the real timer.
    client = make_client(ClientConfig(timeout=0.01, deadline=0.01), http_client=http)
    with pytest.raises(RequestTimeoutError, match="deadline"):
        await client.get_item(1)
    assert client.circuit_breaker.stats().consecutive_failures == 1
