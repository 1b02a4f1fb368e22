"""The request side of the ``transport="httptools"`` send step: the request head as
bytes, the URL split into origin and target, and what is refused before anything is
sent (CR/LF/NUL in a header or the URL, a header name that is not a token, a URL with
credentials; a proxy the environment names is refused by ``_wire.refuse_proxies``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import httpx

from ._exceptions import TransportError

if TYPE_CHECKING:
    from ._call import Call

#: (scheme, host, port)
Origin = tuple[str, str, int]

#: what may not appear in a request target as sent (controls, space, non-ASCII)
_UNSAFE_TARGET = re.compile(r"[\x00-\x20\x7f-\U0010ffff]")
#: a header name as RFC 9110 allows it (a token)
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ACCEPT_ENCODING = "gzip, deflate"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def split_url(
    url: str, origins: dict[tuple[str, str], tuple[Origin, str]]
) -> tuple[Origin, str, str]:
    """Origin, request target and Host header of ``url``; refuses what cannot be
    sent as given (control characters, spaces, non-ASCII)."""
    scheme, sep, rest = url.partition("://")
    end = len(rest)
    for mark in "/?#":
        found = rest.find(mark)
        if found != -1 and found < end:
            end = found
    authority = rest[:end]
    target = rest[end:].partition("#")[0] or "/"
    if target[0] == "?":
        target = "/" + target
    if _UNSAFE_TARGET.search(target) or _UNSAFE_TARGET.search(authority):
        try:
            normal = httpx.URL(url)
        except httpx.InvalidURL:
            raise TransportError(
                "the request URL has a control character; refused before sending"
            ) from None
        target = normal.raw_path.decode("ascii")
        if _UNSAFE_TARGET.search(target):
            raise TransportError("the request URL cannot be sent; refused before sending")
    key = (scheme, authority)
    known = origins.get(key)
    if known is None:
        known = origins[key] = _parse_origin(scheme.lower(), sep, authority)
    return known[0], target, known[1]


def _parse_origin(scheme: str, sep: str, authority: str) -> tuple[Origin, str]:
    if not sep or scheme not in _DEFAULT_PORTS:
        raise TransportError("the httptools transport sends http and https URLs only")
    if "@" in authority:
        raise TransportError(
            "credentials in the URL are not supported by the httptools transport; use auth="
        )
    try:
        parsed = httpx.URL(f"{scheme}://{authority}/")
    except httpx.InvalidURL:
        raise TransportError(
            "the request URL has an invalid host; refused before sending"
        ) from None
    host = parsed.host
    port = parsed.port or _DEFAULT_PORTS[scheme]
    host_header = parsed.netloc.decode("ascii")
    return (scheme, host, port), host_header


_valid_names: set[str] = set()


def request_head(
    method: str,
    target: str,
    host: str,
    headers: Iterable[tuple[str, str]],
    body: bytes | None,
    cookie: str | None,
) -> bytes:
    """The request line and header fields, refused if any name or value could end a
    line early (CR, LF or NUL: header injection) or a name is not a token."""
    lines = [f"{method} {target} HTTP/1.1\r\n"]
    has_host = has_encoding = False
    for name, value in headers:
        if name not in _valid_names:
            if not _TOKEN.match(name):
                raise TransportError(
                    f"request header name {name[:40]!r} is not a valid field name; "
                    "refused before sending"
                )
            if len(_valid_names) < 4096:
                _valid_names.add(name)
        lowered = name.lower()
        if lowered in ("content-length", "transfer-encoding"):
            continue  # set below from the body actually sent
        if lowered == "host":
            has_host = True
        elif lowered == "accept-encoding":
            has_encoding = True
        if "\r" in value or "\n" in value or "\0" in value:
            raise TransportError(
                f"request header {name!r} has CR, LF or NUL in its value; refused before sending"
            )
        lines.append(f"{name}: {value}\r\n")
    if not has_host:
        lines.insert(1, f"host: {host}\r\n")
    if not has_encoding:
        lines.append(f"accept-encoding: {_ACCEPT_ENCODING}\r\n")
    if cookie:
        lines.append(f"cookie: {cookie}\r\n")
    if body:
        lines.append(f"content-length: {len(body)}\r\n")
    elif body is not None or method in _BODY_METHODS:
        lines.append("content-length: 0\r\n")
    lines.append("\r\n")
    return "".join(lines).encode()


async def encoded_form(call: Call, headers: dict[str, str]) -> tuple[bytes, list[tuple[str, str]]]:
    """A form or multipart body encoded by httpx (boundary, field encoding and headers as
    on the httpx transport); read into memory, so an upload is held whole once."""
    request = httpx.Request(
        call.plan.method, call.url, headers=headers, data=call.data, files=call.files
    )
    body = await request.aread()
    return body, request.headers.multi_items()
