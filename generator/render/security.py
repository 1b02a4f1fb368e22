"""Source text for the client's auth helpers and its security metadata.

One static method per scheme the runtime can drive, returning the runtime's ``Auth``
with the spec's details baked in (API key name and location, token URL, scopes), so
``Client(auth=Client.auth_api_key("k"))`` is all a user writes. Kept apart from
``client`` so the template only gains one block and the import lists.
"""

from __future__ import annotations

from typing import Any

from generator.ir.nodes import SecurityScheme, Service
from generator.render.source import docstring_block, py_literal

_USE = "Pass the result as ``auth=`` or ``ClientConfig(auth=...)``."


def security_view(service: Service) -> dict[str, Any]:
    """``lines`` of the class body (4-space indented), and the names they import."""
    schemes = service.security_schemes
    if not schemes:
        return {"lines": [], "runtime_names": set(), "abc_names": set()}
    kinds = ", ".join(f"{py_literal(s.key)}: {py_literal(s.kind)}" for s in schemes)
    requirements = py_literal(tuple(service.security_requirements))
    lines = [
        "",
        "#: every scheme of the spec's components.securitySchemes -> its kind",
        f"security_schemes: ClassVar[Mapping[str, str]] = {{{kinds}}}",
        "#: the spec's top-level security: alternatives, each naming the schemes sent together",
        f"security_requirements: ClassVar[tuple[tuple[str, ...], ...]] = {requirements}",
    ]
    runtime_names: set[str] = set()
    abc_names: set[str] = set()
    for scheme in schemes:
        if scheme.helper is None:
            continue
        helper, names = _helper(scheme)
        lines += ["", "@staticmethod", *helper]
        runtime_names |= names
        if scheme.kind == "oauth2":
            abc_names.add("Sequence")
    return {"lines": lines, "runtime_names": runtime_names, "abc_names": abc_names}


def _doc(summary: str, scheme: SecurityScheme, extra: list[str]) -> list[str]:
    parts = [summary, *([scheme.description] if scheme.description else []), *extra, _USE]
    return [docstring_block("\n\n".join(parts), indent=8)]


def _helper(scheme: SecurityScheme) -> tuple[list[str], set[str]]:
    name, key = scheme.helper, py_literal(scheme.key)
    if scheme.kind == "apiKey":
        where = {"header": "header", "query": "query parameter", "cookie": "cookie"}
        summary = (
            f"Credential for the {scheme.key!r} scheme: the API key in the "
            f"{where[scheme.location or 'header']} {scheme.wire_name!r}."
        )
        call = (
            f"ApiKeyAuth(key, name={py_literal(scheme.wire_name)}, "
            f"location={py_literal(scheme.location)})"
        )
        return _method(name, ["key: str"], "ApiKeyAuth", _doc(summary, scheme, []), call), {
            "ApiKeyAuth"
        }
    if scheme.kind == "bearer":
        fmt = f" (a {scheme.bearer_format} token)" if scheme.bearer_format else ""
        summary = f"Credential for the {scheme.key!r} scheme: ``Authorization: Bearer``{fmt}."
        extra = ["``token`` is a string, or a sync or async callable asked on every attempt."]
        doc = _doc(summary, scheme, extra)
        args = ["token: str | TokenProvider"]
        return _method(name, args, "BearerAuth", doc, "BearerAuth(token)"), {
            "BearerAuth",
            "TokenProvider",
        }
    if scheme.kind == "basic":
        summary = f"Credential for the {scheme.key!r} scheme: HTTP basic authentication."
        doc = _doc(summary, scheme, [])
        args = ["username: str", "password: str"]
        return _method(name, args, "BasicAuth", doc, "BasicAuth(username, password)"), {"BasicAuth"}
    flow = scheme.client_credentials
    assert scheme.kind == "oauth2" and flow is not None and flow.token_url is not None, key
    summary = f"Credential for the {scheme.key!r} scheme: OAuth2 client-credentials tokens."
    scopes = "scopes: Sequence[str] = " + py_literal(flow.scopes)
    if flow.token_url_relative:
        token = "token_url: str"
        note = (
            f"The spec's tokenUrl {flow.token_url!r} is relative to a server it does not\n"
            "name: pass the absolute ``token_url``."
        )
    else:
        token = "token_url: str = " + py_literal(flow.token_url)
        note = (
            "Tokens are fetched from ``token_url`` (default: the spec's) and refreshed\n"
            "before they expire; ``scopes`` defaults to every scope the flow lists."
        )
    args = ["client_id: str", "client_secret: str", "*", scopes, token]
    call = "OAuth2ClientCredentials(token_url, client_id, client_secret, scopes)"
    doc = _doc(summary, scheme, [note])
    return _method(name, args, "OAuth2ClientCredentials", doc, call), {"OAuth2ClientCredentials"}


def _method(
    name: str | None, args: list[str], returns: str, doc: list[str], call: str
) -> list[str]:
    assert name is not None
    # one line without a trailing comma: black wraps it only when it is too long
    return [
        f"def {name}({', '.join(args)}) -> {returns}:",
        *[f"    {line}" for line in doc],
        f"    return {call}",
    ]
