"""``ClientConfig.from_env``: the rate limit, the state backend and event streams.

The same scheme as the other variables (``{PREFIX}_<SECTION>_<FIELD>``), each bad
value one ``ConfigError`` naming its variable, and a Redis URL's password never in one.
"""

from __future__ import annotations

import pytest
from redis_server import RedisServer

from resilient_client import ClientConfig, ConfigError, EventStreamConfig, RateLimitConfig
from resilient_client.redis import RedisBackend

SECRET = "s3cret-pw"


def test_rate_limit_and_event_stream_variables() -> None:
    config = ClientConfig.from_env(
        "SVC",
        {
            "SVC_RATE_LIMIT_RATE": "20",
            "SVC_RATE_LIMIT_BURST": "5",
            "SVC_RATE_LIMIT_PER": "operation",
            "SVC_RATE_LIMIT_SCOPE": "Local",
            "SVC_RATE_LIMIT_MAX_WAIT": "2.5",
            "SVC_RATE_LIMIT_ADAPTIVE": "off",
            "SVC_EVENT_STREAM_MAX_RECONNECTS": "0",
            "SVC_EVENT_STREAM_RECONNECT_DELAY": "0.5",
            "SVC_EVENT_STREAM_MAX_RECONNECT_DELAY": "10",
        },
    )
    assert config.rate_limit == RateLimitConfig(
        rate=20, burst=5, per="operation", scope="local", max_wait=2.5, adaptive=False
    )
    assert config.event_stream == EventStreamConfig(
        max_reconnects=0, reconnect_delay=0.5, max_reconnect_delay=10
    )
    # only what was given counts as set, so the spec's x-resilience still applies elsewhere
    assert config.model_fields_set == {"rate_limit", "event_stream"}
    assert config.rate_limit is not None
    assert config.rate_limit.model_fields_set == {
        "rate",
        "burst",
        "per",
        "scope",
        "max_wait",
        "adaptive",
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"A_RATE_LIMIT_RATE": "fast"}, r"^environment variable A_RATE_LIMIT_RATE='fast'"),
        ({"A_RATE_LIMIT_RATE": "0"}, r"A_RATE_LIMIT_RATE: Input should be greater than 0"),
        ({"A_RATE_LIMIT_BURST": "3"}, r"A_RATE_LIMIT_RATE is required"),
        (
            {"A_RATE_LIMIT_RATE": "1", "A_RATE_LIMIT_SCOPE": "global"},
            r"A_RATE_LIMIT_SCOPE: Input should be 'local' or 'shared'",
        ),
        (
            {"A_RATE_LIMIT_RATE": "1", "A_RATE_LIMIT_SCOPE": "shared"},
            r"A_\* .*no state_backend to share it through",
        ),
        ({"A_RATE_LIMIT_ADAPTIVE": "maybe"}, r"A_RATE_LIMIT_ADAPTIVE='maybe' is invalid"),
        ({"A_EVENT_STREAM_MAX_RECONNECTS": "-1"}, r"A_EVENT_STREAM_MAX_RECONNECTS: Input"),
        ({"A_EVENT_STREAM_RECONNECT_DELAY": "soon"}, r"A_EVENT_STREAM_RECONNECT_DELAY="),
        ({"A_STATE_BACKEND_TIMEOUT": "1"}, r"A_STATE_BACKEND_TIMEOUT set without A_STATE_BACKEND"),
    ],
)
def test_bad_values_are_one_line_naming_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        ClientConfig.from_env("A", env)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "env",
    [
        {"A_STATE_BACKEND": f"http://user:{SECRET}@cache:6379/0"},  # not a Redis URL
        {"A_STATE_BACKEND": f"redis://user:{SECRET}@cache:port/0"},  # the driver refuses it
        {"A_STATE_BACKEND": f"redis://:{SECRET}@cache:6379/0", "A_STATE_BACKEND_TIMEOUT": "-1"},
        {"A_STATE_BACKEND": f"redis://:{SECRET}@cache/0", "A_RATE_LIMIT_RATE": "0"},
    ],
)
def test_a_backend_urls_password_never_reaches_an_error(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError) as caught:
        ClientConfig.from_env("A", env)
    text = str(caught.value)
    assert SECRET not in text and SECRET not in repr(caught.value.args)
    assert "\n" not in text


async def test_the_state_backend_url_builds_a_working_redis_backend(
    redis_server: RedisServer,
) -> None:
    url = redis_server.url.replace("redis://", f"redis://default:{SECRET}@")
    config = ClientConfig.from_env(
        "SVC",
        {
            # the test server has no password: redis-py sends AUTH only when one is set,
            # so the real server is asked without it
            "SVC_STATE_BACKEND": redis_server.url,
            "SVC_STATE_BACKEND_PREFIX": "from-env",
            "SVC_STATE_BACKEND_TIMEOUT": "0.5",
            "SVC_STATE_BACKEND_SHARE_CACHE": "no",
            "SVC_STATE_BACKEND_SHARE_BUDGET": "false",
            "SVC_RATE_LIMIT_RATE": "5",
            "SVC_RATE_LIMIT_SCOPE": "shared",
        },
    )
    backend = config.state_backend
    assert isinstance(backend, RedisBackend)
    try:
        assert (backend.prefix, backend.timeout) == ("from-env", 0.5)
        assert (backend.share_cache, backend.share_breaker, backend.share_budget) == (
            False,
            True,
            False,
        )
        assert await backend.client.ping()
        assert config.rate_limit is not None and config.rate_limit.scope == "shared"
    finally:
        await backend.aclose()
    # a URL with a password builds too, and the config's repr never shows it
    with_password = ClientConfig.from_env("SVC", {"SVC_STATE_BACKEND": url})
    assert SECRET not in repr(with_password) and SECRET not in str(with_password)
    await with_password.state_backend.aclose()
