"""``components.securitySchemes`` and the top-level ``security`` to IR ``SecurityScheme``s.

The runtime already knows how to send every credential an OpenAPI document can ask for
unattended (``ApiKeyAuth``, ``BearerAuth``, ``BasicAuth``, ``OAuth2ClientCredentials``);
what a user cannot guess is the spec's details: the API key's header/query/cookie name,
the token URL, the scopes. Each scheme therefore gets a helper on the client that bakes
those in. Schemes the runtime cannot drive (OpenID Connect discovery, interactive OAuth2
flows, mutual TLS, digest...) are still listed, with a warning saying what to use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin

from generator.errors import Problem, json_pointer
from generator.ir import naming
from generator.ir.nodes import OAuthFlow, SecurityKind, SecurityScheme

Deref = Callable[[Any, str], tuple[Any, str]]

_LOCATIONS = ("header", "query", "cookie")
_OAUTH_FLOWS = ("clientCredentials", "authorizationCode", "implicit", "password")


def build_security(
    document: Mapping[str, Any],
    *,
    deref: Deref,
    source: str,
    problems: list[Problem],
    server_url: str | None,
    taken: Iterable[str],
) -> tuple[tuple[SecurityScheme, ...], tuple[tuple[str, ...], ...]]:
    """Every scheme in spec order, and the document's top-level requirements.

    ``taken`` are the client's method names (operations): a helper never replaces one.
    """
    builder = _SchemeBuilder(deref, source, problems, server_url)
    components = document.get("components")
    raw = components.get("securitySchemes") if isinstance(components, Mapping) else None
    schemes: list[SecurityScheme] = []
    if isinstance(raw, Mapping):
        for key, entry in raw.items():
            schemes.append(builder.scheme(str(key), entry))
    desired = [(s.key, "auth_" + _helper_stem(s.key)) for s in schemes]
    names = naming.assign_unique(
        [(key, name) for (key, name), s in zip(desired, schemes, strict=True) if _helped(s)],
        taken=taken,
        reserved=naming.reserved_method_names(),
    )
    final = tuple(replace(s, helper=names[s.key]) if s.key in names else s for s in schemes)
    requirements = _requirements(document.get("security"), {s.key for s in schemes}, builder)
    return final, requirements


def _helper_stem(key: str) -> str:
    # "OAuth2" splits like camel case into "o_auth2"; nobody would guess that name
    return re.sub(r"(?:^|(?<=_))o_auth", "oauth", naming.snake_case(key)) or "scheme"


def _helped(scheme: SecurityScheme) -> bool:
    if scheme.kind == "oauth2":
        return scheme.client_credentials is not None
    return scheme.kind in ("apiKey", "bearer", "basic")


def _requirements(
    raw: Any, known: set[str], builder: _SchemeBuilder
) -> tuple[tuple[str, ...], ...]:
    if not isinstance(raw, list):
        return ()
    result: list[tuple[str, ...]] = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, Mapping):
            builder.warn(json_pointer("security", index), "security requirement is not an object")
            continue
        keys = tuple(str(k) for k in entry)
        for key in keys:
            if key not in known:
                builder.warn(
                    json_pointer("security", index),
                    f"security requirement names undefined scheme {key!r}",
                )
        result.append(keys)
    return tuple(result)


class _SchemeBuilder:
    def __init__(
        self, deref: Deref, source: str, problems: list[Problem], server_url: str | None
    ) -> None:
        self._deref = deref
        self._source = source
        self._problems = problems
        self._server = (
            server_url if server_url and server_url.startswith(("http://", "https://")) else None
        )

    def warn(self, pointer: str, message: str) -> None:
        self._problems.append(Problem(self._source, pointer, message, "warning"))

    def scheme(self, key: str, entry: Any) -> SecurityScheme:
        pointer = json_pointer("components", "securitySchemes", key)
        node, pointer = self._deref(entry, pointer)
        if not isinstance(node, Mapping):
            node = {}
        description = _text(node.get("description"))
        kind = node.get("type")
        if kind == "apiKey":
            return self._api_key(key, node, pointer, description)
        if kind == "http":
            return self._http(key, node, pointer, description)
        if kind == "oauth2":
            return self._oauth2(key, node, pointer, description)
        named: dict[Any, tuple[SecurityKind, str]] = {
            "openIdConnect": (
                "openIdConnect",
                "OpenID Connect discovery is not run by the client; pass BearerAuth(token)",
            ),
            "mutualTLS": (
                "mutualTLS",
                "mutual TLS is configured with ClientConfig(client_cert=...), not a helper",
            ),
        }
        found, advice = named.get(kind, ("unknown", f"unknown security scheme type {kind!r}"))
        self.warn(pointer, f"security scheme {key!r}: {advice} (no auth helper)")
        return SecurityScheme(key=key, kind=found, description=description)

    def _api_key(
        self, key: str, node: Mapping[str, Any], pointer: str, description: str | None
    ) -> SecurityScheme:
        name, location = node.get("name"), node.get("in")
        if not isinstance(name, str) or not name or location not in _LOCATIONS:
            self.warn(
                pointer,
                f"apiKey scheme {key!r} needs a name and in: header, query or cookie "
                "(no auth helper)",
            )
            return SecurityScheme(key=key, kind="unknown", description=description)
        return SecurityScheme(
            key=key, kind="apiKey", description=description, wire_name=name, location=location
        )

    def _http(
        self, key: str, node: Mapping[str, Any], pointer: str, description: str | None
    ) -> SecurityScheme:
        scheme = node.get("scheme")
        scheme = scheme.lower() if isinstance(scheme, str) else ""  # case-insensitive (RFC 7235)
        if scheme == "bearer":
            bearer_format = _text(node.get("bearerFormat"))
            return SecurityScheme(
                key=key,
                kind="bearer",
                description=description,
                http_scheme=scheme,
                bearer_format=bearer_format,
            )
        if scheme == "basic":
            return SecurityScheme(
                key=key, kind="basic", description=description, http_scheme=scheme
            )
        self.warn(pointer, f"http scheme {scheme!r} of {key!r} is not supported (no auth helper)")
        return SecurityScheme(key=key, kind="http", description=description, http_scheme=scheme)

    def _oauth2(
        self, key: str, node: Mapping[str, Any], pointer: str, description: str | None
    ) -> SecurityScheme:
        raw = node.get("flows")
        flows: list[OAuthFlow] = []
        if isinstance(raw, Mapping):
            for name in _OAUTH_FLOWS:
                flow = raw.get(name)
                if isinstance(flow, Mapping):
                    flows.append(self._flow(name, flow, f"{pointer}/flows/{name}"))
        scheme = SecurityScheme(key=key, kind="oauth2", description=description, flows=tuple(flows))
        if scheme.client_credentials is None:
            self.warn(
                pointer,
                f"oauth2 scheme {key!r} has no usable clientCredentials flow; pass "
                "BearerAuth(token) with a token obtained elsewhere (no auth helper)",
            )
        return scheme

    def _flow(self, name: str, flow: Mapping[str, Any], pointer: str) -> OAuthFlow:
        scopes = flow.get("scopes")
        scope_names = tuple(str(s) for s in scopes) if isinstance(scopes, Mapping) else ()
        token_url = _text(flow.get("tokenUrl"))
        if name == "clientCredentials" and token_url is None:
            self.warn(pointer, "clientCredentials flow without a tokenUrl cannot be run")
        relative = token_url is not None and not token_url.startswith(("http://", "https://"))
        if relative and token_url is not None and self._server is not None:
            token_url, relative = urljoin(self._server, token_url), False
        if relative and name == "clientCredentials":
            self.warn(
                pointer,
                f"tokenUrl {token_url!r} is relative and no absolute server URL resolves it; "
                "the helper requires token_url=...",
            )
        return OAuthFlow(name, token_url, relative, scope_names)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
