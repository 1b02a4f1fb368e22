"""``ClientConfig.from_env``: twelve-factor settings, each variable checked by name."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from ._auth import ApiKeyAuth, BearerAuth
from ._exceptions import ConfigError
from ._redact import redact_url

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


def _lower(text: str) -> str:
    return text.strip().lower()


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
    ("RATE_LIMIT_RATE", "rate_limit", "rate", float),
    ("RATE_LIMIT_BURST", "rate_limit", "burst", _int),
    ("RATE_LIMIT_PER", "rate_limit", "per", _lower),
    ("RATE_LIMIT_SCOPE", "rate_limit", "scope", _lower),
    ("RATE_LIMIT_MAX_WAIT", "rate_limit", "max_wait", float),
    ("RATE_LIMIT_ADAPTIVE", "rate_limit", "adaptive", _bool),
    ("EVENT_STREAM_MAX_RECONNECTS", "event_stream", "max_reconnects", _int),
    ("EVENT_STREAM_RECONNECT_DELAY", "event_stream", "reconnect_delay", float),
    ("EVENT_STREAM_MAX_RECONNECT_DELAY", "event_stream", "max_reconnect_delay", float),
]

#: ``{PREFIX}_STATE_BACKEND_*`` options of ``RedisBackend.from_url`` (suffix, keyword)
_BACKEND_OPTIONS: list[tuple[str, str, Callable[[str], Any]]] = [
    ("STATE_BACKEND_PREFIX", "prefix", str),
    ("STATE_BACKEND_TIMEOUT", "timeout", _positive_float),
    ("STATE_BACKEND_SHARE_CACHE", "share_cache", _bool),
    ("STATE_BACKEND_SHARE_BREAKER", "share_breaker", _bool),
    ("STATE_BACKEND_SHARE_BUDGET", "share_budget", _bool),
]
_REDIS_SCHEMES = ("redis", "rediss", "unix")


def _section_models() -> dict[str, type[BaseModel]]:
    from ._breaker import CircuitBreakerConfig
    from ._bulkhead import BulkheadConfig
    from ._cache import CacheConfig
    from ._config import EventStreamConfig, PoolLimits, RetryConfig, TimeoutConfig
    from ._ratelimit import RateLimitConfig

    return {
        "rate_limit": RateLimitConfig,
        "event_stream": EventStreamConfig,
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
            detail = "; ".join(_describe(stem, section, err) for err in exc.errors())
            raise ConfigError(f"environment variables {names} are invalid: {detail}") from None

    backend = _state_backend(stem, env, parse)
    if backend is not None:
        top["state_backend"] = backend

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


def _describe(stem: str, section: str, error: Any) -> str:
    """One pydantic error of a section, naming the variable behind its field."""
    field = error["loc"][0] if error["loc"] else None
    suffix = next((sfx for sfx, sec, fld, _ in _FIELDS if sec == section and fld == field), None)
    if suffix is None:
        return str(error["msg"])
    if error["type"] == "missing":
        return f"{stem}{suffix} is required with them"
    return f"{stem}{suffix}: {error['msg']}"


def _state_backend(
    stem: str, env: Mapping[str, str], parse: Callable[[str, Callable[[str], Any]], Any]
) -> Any:
    """``{PREFIX}_STATE_BACKEND=redis://...`` -> ``RedisBackend.from_url``. The URL may
    hold a password: no message here quotes it, only its redacted form."""
    name = stem + "STATE_BACKEND"
    url = env.get(name, "").strip()
    options = {kw: parse(sfx, parser) for sfx, kw, parser in _BACKEND_OPTIONS if stem + sfx in env}
    if not url:
        if options:
            given = ", ".join(stem + sfx for sfx, _, _ in _BACKEND_OPTIONS if stem + sfx in env)
            raise ConfigError(f"{given} set without {name} (the backend's URL)")
        return None
    shown = redact_url(url)
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme not in _REDIS_SCHEMES:
        raise ConfigError(
            f"environment variable {name}={shown!r} is invalid: expected a redis://, "
            "rediss:// or unix:// URL"
        )
    try:
        from .redis import RedisBackend
    except ImportError:
        raise ConfigError(
            f"{name} needs the redis package: pip install 'resilient-openapi-clients[redis]'"
        ) from None
    try:
        return RedisBackend.from_url(url, **options)
    except Exception as exc:  # the driver's message may quote the URL: only its type
        raise ConfigError(
            f"environment variable {name}={shown!r} is invalid ({type(exc).__name__})"
        ) from None
