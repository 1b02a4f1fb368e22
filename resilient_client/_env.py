"""``ClientConfig.from_env``: twelve-factor settings, each variable checked by name."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from ._auth import ApiKeyAuth, BearerAuth
from ._exceptions import ConfigError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("expected true/false, yes/no, on/off or 1/0")


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise ValueError("expected a positive number of seconds")
    return value


def _int(text: str) -> int:
    return int(text.strip())


def _optional_float(text: str) -> float | None:
    return None if text.strip().lower() in {"", "none", "off"} else float(text)


# (variable suffix, section or None, field, parser)
_FIELDS: list[tuple[str, str | None, str, Callable[[str], Any]]] = [
    ("BASE_URL", None, "base_url", str),
    ("DEADLINE", None, "deadline", _positive_float),
    ("STREAM_DEADLINE", None, "stream_deadline", _optional_float),
    ("STREAM_IDLE_TIMEOUT", None, "stream_idle_timeout", _positive_float),
    ("CORRELATION_HEADER", None, "correlation_header", str),
    ("USER_AGENT", None, "user_agent", str),
    ("MAX_RESPONSE_BYTES", None, "max_response_bytes", _int),
    ("MAX_REDIRECTS", None, "max_redirects", _int),
    ("FOLLOW_REDIRECTS", None, "follow_redirects", _bool),
    ("TRANSPORT", None, "transport", str),
    ("MAX_ATTEMPTS", "retry", "max_attempts", _int),
    ("BACKOFF_BASE", "retry", "backoff_base", float),
    ("BACKOFF_CAP", "retry", "backoff_cap", float),
    ("RETRY_AFTER_CAP", "retry", "retry_after_cap", float),
    ("RETRY_BUDGET", "retry", "budget_max_tokens", _optional_float),
    ("CONNECT_TIMEOUT", "timeout", "connect", _positive_float),
    ("READ_TIMEOUT", "timeout", "read", _positive_float),
    ("WRITE_TIMEOUT", "timeout", "write", _positive_float),
    ("POOL_TIMEOUT", "timeout", "pool", _positive_float),
    ("BREAKER_FAILURE_THRESHOLD", "circuit_breaker", "failure_threshold", _int),
    ("BREAKER_RECOVERY_TIMEOUT", "circuit_breaker", "recovery_timeout", float),
    ("BREAKER_HALF_OPEN_MAX_CALLS", "circuit_breaker", "half_open_max_calls", _int),
    ("BREAKER_SUCCESS_THRESHOLD", "circuit_breaker", "success_threshold", _int),
    ("BREAKER_FAILURE_RATE_THRESHOLD", "circuit_breaker", "failure_rate_threshold", float),
    ("BREAKER_ENABLED", "circuit_breaker", "enabled", _bool),
    ("CACHE_TTL", "cache", "ttl", float),
    ("CACHE_MAX_ENTRIES", "cache", "max_entries", _int),
    ("CACHE_ENABLED", "cache", "enabled", _bool),
    ("BULKHEAD_MAX_CONCURRENCY", "bulkhead", "max_concurrency", _int),
    ("BULKHEAD_ACQUIRE_TIMEOUT", "bulkhead", "acquire_timeout", float),
    ("MAX_CONNECTIONS", "pool", "max_connections", _int),
    ("MAX_KEEPALIVE_CONNECTIONS", "pool", "max_keepalive_connections", _int),
]


def _section_models() -> dict[str, type[BaseModel]]:
    from ._breaker import CircuitBreakerConfig
    from ._bulkhead import BulkheadConfig
    from ._cache import CacheConfig
    from ._config import PoolLimits, RetryConfig, TimeoutConfig

    return {
        "retry": RetryConfig,
        "timeout": TimeoutConfig,
        "circuit_breaker": CircuitBreakerConfig,
        "cache": CacheConfig,
        "bulkhead": BulkheadConfig,
        "pool": PoolLimits,
    }


def config_kwargs_from_env(prefix: str, environ: Mapping[str, str] | None) -> dict[str, Any]:
    env = os.environ if environ is None else environ
    stem = prefix.rstrip("_").upper() + "_"
    top: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    origin: dict[str, list[str]] = {}

    def parse(suffix: str, parser: Callable[[str], Any]) -> Any:
        name = stem + suffix
        try:
            return parser(env[name])
        except ValueError as exc:
            raise ConfigError(
                f"environment variable {name}={env[name]!r} is invalid: {exc}"
            ) from None

    timeout_all = stem + "TIMEOUT"
    if timeout_all in env:
        seconds = parse("TIMEOUT", _positive_float)
        sections["timeout"] = {
            "connect": seconds,
            "read": seconds,
            "write": seconds,
            "pool": seconds,
        }
        origin["timeout"] = [timeout_all]
    if stem + "MAX_RETRIES" in env:
        retries = parse("MAX_RETRIES", _int)
        if retries < 0:
            raise ConfigError(f"environment variable {stem}MAX_RETRIES must be 0 or more")
        sections.setdefault("retry", {})["max_attempts"] = retries + 1
        origin.setdefault("retry", []).append(stem + "MAX_RETRIES")
    for suffix, section, field, parser in _FIELDS:
        if stem + suffix not in env:
            continue
        value = parse(suffix, parser)
        if section is None:
            top[field] = value
        else:
            sections.setdefault(section, {})[field] = value
            origin.setdefault(section, []).append(stem + suffix)

    models = _section_models()
    for section, values in sections.items():
        try:
            top[section] = models[section](**values)
        except ValidationError as exc:
            names = ", ".join(origin[section])
            detail = "; ".join(err["msg"] for err in exc.errors())
            raise ConfigError(f"environment variables {names} are invalid: {detail}") from None

    verify = env.get(stem + "CA_BUNDLE")
    if verify:
        top["verify"] = verify
    elif stem + "VERIFY" in env:
        top["verify"] = parse("VERIFY", _bool)
    cert, key = env.get(stem + "CLIENT_CERT"), env.get(stem + "CLIENT_KEY")
    if key and not cert:
        raise ConfigError(f"{stem}CLIENT_KEY is set without {stem}CLIENT_CERT")
    if cert:
        top["client_cert"] = (cert, key) if key else cert
    if env.get(stem + "BEARER_TOKEN"):
        top["auth"] = BearerAuth(env[stem + "BEARER_TOKEN"])
    elif env.get(stem + "API_KEY"):
        header = env.get(stem + "API_KEY_HEADER") or "X-API-Key"
        top["auth"] = ApiKeyAuth(env[stem + "API_KEY"], name=header)
    return top
