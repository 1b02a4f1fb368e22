"""Masking credentials before anything reaches a log record, an error or an event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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
