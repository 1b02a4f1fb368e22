"""Configuration: validation, convenience keywords, precedence, environment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import respx
from pydantic import ValidationError
from runtime_helpers import ItemClient

from resilient_client import (
    ApiKeyAuth,
    BearerAuth,
    ClientConfig,
    ConfigError,
    Operation,
    ResponseSpec,
    RetryConfig,
    ServerError,
    SpecPolicy,
    TimeoutConfig,
)

SPEC_OP: Operation[None] = Operation(
    "spec_op",
    "GET",
    "/spec",
    responses={"204": ResponseSpec("empty")},
    policy=SpecPolicy(max_attempts=5, timeout=2.5),
)


def test_attempt_timeout_above_deadline_is_rejected_with_advice() -> None:
    with pytest.raises(ValueError, match=r"lower timeout or raise deadline"):
        ClientConfig(timeout=10.0, deadline=5.0)
    ClientConfig(timeout=5.0, deadline=5.0)


def test_other_contradictions_are_rejected_with_advice() -> None:
    from resilient_client import BulkheadConfig, CacheConfig

    with pytest.raises(ValueError, match="lower acquire_timeout or raise deadline"):
        ClientConfig(
            timeout=1.0,
            deadline=2.0,
            bulkhead=BulkheadConfig(max_concurrency=1, acquire_timeout=5.0),
        )
    with pytest.raises(ValueError, match="caching is off"):
        ClientConfig(cache=None, cache_operations=frozenset({"op"}))
    with pytest.raises(ValueError, match="caching is off"):
        ClientConfig(cache=CacheConfig(enabled=False), cache_operations=frozenset({"op"}))


def test_backoff_base_above_cap_is_rejected_with_advice() -> None:
    with pytest.raises(ValidationError, match="raise backoff_cap"):
        RetryConfig(backoff_base=10, backoff_cap=1)


def test_typos_and_bad_values_are_rejected() -> None:
    with pytest.raises(ValidationError):
        ClientConfig(retries=3)  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        RetryConfig(max_attempts=0)
    with pytest.raises(ValidationError):
        ClientConfig(timeout=-1)


def test_convenience_keywords_on_the_constructor() -> None:
    client = ItemClient(timeout=3.0, max_retries=2, auth="tok", headers={"X-A": "1"})
    config = client.config
    assert config.timeout == TimeoutConfig.of(3.0)
    assert config.retry.max_attempts == 3
    assert config.user_set("retry", "max_attempts")
    assert isinstance(config.auth, BearerAuth)
    assert config.headers == {"X-A": "1"}
    with pytest.raises(ConfigError, match="max_retries"):
        ItemClient(max_retries=-1)
    with pytest.raises(ValidationError, match="deadline"):
        ItemClient(config=ClientConfig(deadline=1.0, timeout=1.0), timeout=5.0)


async def test_spec_policy_applies_when_user_did_not_set_the_field(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/spec").respond(503)
    client = make_client()
    with pytest.raises(ServerError):
        await client._request(SPEC_OP)
    assert route.call_count == 5
    assert route.calls.last.request.extensions["timeout"]["read"] == 2.5


async def test_user_set_config_beats_spec_and_per_call_beats_both(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/spec").respond(503)
    client = make_client(ClientConfig(retry=RetryConfig(max_attempts=2), timeout=7.0))
    with pytest.raises(ServerError):
        await client._request(SPEC_OP)
    assert route.call_count == 2
    assert route.calls.last.request.extensions["timeout"]["read"] == 7.0
    route.reset()
    with pytest.raises(ServerError):
        await client._request(SPEC_OP, max_attempts=1, timeout=0.25)
    assert route.call_count == 1
    assert route.calls.last.request.extensions["timeout"]["read"] == 0.25


async def test_fields_left_at_default_inside_a_set_section_still_yield_to_spec(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/spec").respond(503)
    client = make_client(ClientConfig(retry=RetryConfig(backoff_base=0.1)))
    with pytest.raises(ServerError):
        await client._request(SPEC_OP)
    assert route.call_count == 5


async def test_attempt_timeout_is_clipped_to_remaining_deadline(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient], clock: Any
) -> None:
    op: Operation[None] = Operation(
        "d",
        "GET",
        "/d",
        responses={"204": ResponseSpec("empty")},
        policy=SpecPolicy(timeout=5.0, deadline=3.0),
    )
    route = respx_mock.get("/d").respond(204)
    client = make_client()
    await client._request(op)
    assert route.calls.last.request.extensions["timeout"]["read"] == pytest.approx(3.0)


def test_from_env_reads_prefixed_variables() -> None:
    env = {
        "STAMP_BASE_URL": "http://stamp:8053",
        "STAMP_TIMEOUT": "2.5",
        "STAMP_DEADLINE": "10",
        "STAMP_MAX_ATTEMPTS": "4",
        "STAMP_BACKOFF_BASE": "0.25",
        "STAMP_BREAKER_FAILURE_THRESHOLD": "7",
        "STAMP_BREAKER_RECOVERY_TIMEOUT": "15",
        "STAMP_CACHE_TTL": "60",
        "STAMP_BULKHEAD_MAX_CONCURRENCY": "8",
        "STAMP_CORRELATION_HEADER": "X-Request-ID",
        "STAMP_MAX_RESPONSE_BYTES": "1000",
        "STAMP_API_KEY": "k",
        "OTHER_TIMEOUT": "99",
    }
    config = ClientConfig.from_env("STAMP", env)
    assert config.base_url == "http://stamp:8053"
    assert config.timeout == TimeoutConfig.of(2.5)
    assert config.deadline == 10
    assert config.retry.max_attempts == 4 and config.retry.backoff_base == 0.25
    assert config.user_set("retry", "max_attempts")
    assert not config.user_set("retry", "backoff_cap")
    assert config.circuit_breaker.failure_threshold == 7
    assert config.circuit_breaker.recovery_timeout == 15
    assert config.cache is not None and config.cache.ttl == 60
    assert config.bulkhead is not None and config.bulkhead.max_concurrency == 8
    assert config.correlation_header == "X-Request-ID"
    assert config.max_response_bytes == 1000
    assert isinstance(config.auth, ApiKeyAuth)
    assert ItemClient(config=config).base_url == "http://stamp:8053"


def test_from_env_with_nothing_set_changes_nothing() -> None:
    config = ClientConfig.from_env("EMPTY", {})
    assert config.model_fields_set == set()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("APP_TIMEOUT", "fast"),
        ("APP_TIMEOUT", "-1"),
        ("APP_MAX_ATTEMPTS", "zero"),
        ("APP_MAX_ATTEMPTS", "0"),
        ("APP_BREAKER_FAILURE_THRESHOLD", "0"),
        ("APP_CACHE_ENABLED", "maybe"),
        ("APP_MAX_RETRIES", "-2"),
    ],
)
def test_from_env_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        ClientConfig.from_env("APP", {name: value})


def test_from_env_conflicting_values_fail_with_advice() -> None:
    env = {"APP_TIMEOUT": "10", "APP_DEADLINE": "5"}
    with pytest.raises(ConfigError, match=r"APP_\* .*lower timeout or raise deadline"):
        ClientConfig.from_env("APP", env)


def test_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVC_MAX_RETRIES", "1")
    assert ClientConfig.from_env("SVC").retry.max_attempts == 2
