"""Masking credentials before anything reaches a log record, an error or an event."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
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


_SECRET_WORDS = "|".join(
    sorted(
        {re.escape(n) for n in SECRET_PARAMS | SECRET_HEADERS if n not in {"key", "auth", "sig"}}
        | {"api[_-]?key", "refresh_token", "id_token", "passwd"},
        key=len,
        reverse=True,
    )
)
#: ``Bearer <token>`` / ``Basic <credentials>`` anywhere in a text
_SCHEME_CREDENTIAL = re.compile(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{6,}")
#: ``"password": "..."``, ``token=...``, ``'api_key': '...'`` and the like
_NAMED_SECRET = re.compile(
    rf"""(?ix)(["']?\b(?:{_SECRET_WORDS})\b["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&}}\]]+)"""
)


def redact_text(text: str) -> str:
    """A server's text with credentials it may echo back masked (an error body that
    repeats the request's token, a form that names a password)."""
    text = _SCHEME_CREDENTIAL.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return _NAMED_SECRET.sub(lambda m: f"{m.group(1)}{REDACTED}", text)


def redact_headers(
    headers: Iterable[tuple[str, str]] | Mapping[str, str], extra: frozenset[str] = frozenset()
) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    result: dict[str, str] = {}
    for name, value in items:
        lowered = name.lower()
        result[name] = REDACTED if lowered in SECRET_HEADERS or lowered in extra else value
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
        if any(k.lower() in SECRET_PARAMS or k.lower() in extra for k, _ in pairs):
            query = urlencode(
                [
                    (k, REDACTED if k.lower() in SECRET_PARAMS or k.lower() in extra else v)
                    for k, v in pairs
                ],
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
