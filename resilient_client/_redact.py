"""Masking credentials before anything reaches a log record, an error or an event."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

REDACTED = "[REDACTED]"

#: Header names whose values are credentials, whatever the auth configuration says.
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "x-access-token",
    }
)

#: Query parameter names commonly used for credentials.
SECRET_PARAMS = frozenset(
    {
        "api_key",
        "apikey",
        "api-key",
        "key",
        "token",
        "access_token",
        "auth",
        "secret",
        "client_secret",
        "password",
        "signature",
        "sig",
    }
)

#: A name holding one of these is sensitive wherever it appears (a header, a query or
#: cookie parameter, a body field): ``X-Vault-Token``, ``refresh_token``, ``db_password``.
_SENSITIVE_WORDS = (
    "authorization",
    "cookie",
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "api-key",
    "credential",
    "session",
    "signature",
    "private_key",
)

#: The one list of sensitive names (lower case, matched exactly) that every redaction
#: here reads: reprs of configs, requests and errors, log records, events, error texts.
#: ``add_sensitive_names`` extends it.
_sensitive_names: set[str] = set(SECRET_HEADERS | SECRET_PARAMS)


def add_sensitive_names(*names: str) -> None:
    """Treat more header, parameter or field names as credentials, everywhere.

    For names the built-in list misses (``X-Org-Pin``); names holding a word such as
    ``token``, ``secret``, ``password`` or ``session`` are sensitive already.
    """
    global _named_secret
    _sensitive_names.update(name.lower() for name in names if name)
    _named_secret = _named_secret_pattern()


def is_sensitive(name: str) -> bool:
    lowered = name.lower()
    return lowered in _sensitive_names or any(word in lowered for word in _SENSITIVE_WORDS)


def _named_secret_pattern() -> re.Pattern[str]:
    exact = {re.escape(n) for n in _sensitive_names if n not in {"key", "auth", "sig"}}
    words = {re.escape(w) + r"[\w-]*" for w in _SENSITIVE_WORDS}
    alternatives = "|".join(sorted(exact | words, key=len, reverse=True))
    # ``"password": "..."``, ``token=...``, ``'api_key': '...'``, ``X-Api-Key: ...``
    return re.compile(
        rf"""(?ix)(["']?\b[\w-]*(?:{alternatives})\b["']?\s*[:=]\s*)"""
        rf"""("[^"]*"|'[^']*'|[^\s,;&}}\]]+)"""
    )


_named_secret = _named_secret_pattern()
#: ``Bearer <token>`` / ``Basic <credentials>`` anywhere in a text
_SCHEME_CREDENTIAL = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}")


def redact_text(text: str) -> str:
    """A text with the credentials it may carry masked (a server's error body that
    echoes the request's token, a message naming a password)."""
    text = _SCHEME_CREDENTIAL.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return _named_secret.sub(lambda m: f"{m.group(1)}{REDACTED}", text)


def redact_value(value: Any) -> Any:
    """A copy of a mapping (or list) with the values of sensitive keys masked, at any
    depth; for reprs of what a call sends."""
    if isinstance(value, Mapping):
        return {
            k: REDACTED if isinstance(k, str) and is_sensitive(k) else redact_value(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value


def redact_headers(
    headers: Iterable[tuple[str, str]] | Mapping[str, str], extra: frozenset[str] = frozenset()
) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    result: dict[str, str] = {}
    for name, value in items:
        result[name] = REDACTED if is_sensitive(name) or name.lower() in extra else value
    return result


def redact_url(url: str, extra: frozenset[str] = frozenset()) -> str:
    """The URL with secret query values and any userinfo password masked."""
    if "?" not in url and "@" not in url:
        return url  # nothing that could hold a secret; skips parsing on error paths
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(is_sensitive(k) or k.lower() in extra for k, _ in pairs):
            query = urlencode(
                [(k, REDACTED if is_sensitive(k) or k.lower() in extra else v) for k, v in pairs],
                safe="[]",
            )
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


#: Query parameter names that API-key auths of live clients put into URLs.
_registered_params: set[str] = set()


class _HttpxUrlFilter(logging.Filter):
    """Masks credential query values in httpx's own "HTTP Request: ..." INFO records.

    httpx logs every request URL with its query string; an API key sent as a query
    parameter would otherwise reach the application's logs through that logger.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 2:
            url = record.args[1]
            if isinstance(url, httpx.URL) and url.query:
                extra = frozenset(_registered_params)
                safe = redact_url(str(url), extra)
                if safe != str(url):
                    record.args = (record.args[0], safe, *record.args[2:])
        return True


_filter_installed = False


def protect_httpx_logs(secret_params: frozenset[str]) -> None:
    """Register query credential names and install the httpx log filter once."""
    global _filter_installed
    _registered_params.update(secret_params)
    if not _filter_installed:
        logging.getLogger("httpx").addFilter(_HttpxUrlFilter())
        _filter_installed = True
