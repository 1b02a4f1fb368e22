"""``components.securitySchemes`` -> IR ``SecurityScheme``s, and the helpers' source text."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import yaml
from _gen import load, render_files

from generator.errors import Problem
from generator.ir.build import build_service
from generator.ir.nodes import OAuthFlow, SecurityScheme


def _doc(schemes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Sec", "version": "1"},
        "paths": {
            "/things": {
                "get": {"operationId": "listThings", "responses": {"204": {"description": "-"}}}
            }
        },
        "components": {"securitySchemes": schemes},
    }
    document.update(extra)
    return document


def _build(document: dict[str, Any]) -> tuple[dict[str, SecurityScheme], list[Problem]]:
    service, problems = build_service(document, source_name="sec.yaml")
    return {s.key: s for s in service.security_schemes}, problems


def _warnings(problems: list[Problem]) -> list[str]:
    return [f"{p.pointer}: {p.message}" for p in problems if p.severity == "warning"]


def test_every_kind_the_runtime_can_drive_gets_a_helper() -> None:
    schemes, problems = _build(
        _doc(
            {
                "header_key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
                "query_key": {"type": "apiKey", "in": "query", "name": "api_key"},
                "cookie_key": {"type": "apiKey", "in": "cookie", "name": "sid"},
                "jwt": {"type": "http", "scheme": "Bearer", "bearerFormat": "JWT"},
                "basic": {"type": "http", "scheme": "basic", "description": "user+pw"},
                "cc": {
                    "type": "oauth2",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": "https://idp.test/a",
                            "tokenUrl": "https://idp.test/t",
                            "scopes": {"admin": "all"},
                        },
                        "clientCredentials": {
                            "tokenUrl": "https://idp.test/token",
                            "scopes": {"read": "r", "write": "w"},
                        },
                    },
                },
            }
        )
    )
    assert _warnings(problems) == []
    assert schemes["header_key"] == SecurityScheme(
        "header_key", "apiKey", "auth_header_key", wire_name="X-Api-Key", location="header"
    )
    assert (schemes["query_key"].location, schemes["query_key"].wire_name) == ("query", "api_key")
    assert (schemes["cookie_key"].location, schemes["cookie_key"].wire_name) == ("cookie", "sid")
    jwt = schemes["jwt"]
    assert (jwt.kind, jwt.helper, jwt.bearer_format) == ("bearer", "auth_jwt", "JWT")
    assert (schemes["basic"].kind, schemes["basic"].description) == ("basic", "user+pw")
    cc = schemes["cc"]
    assert (cc.kind, cc.helper) == ("oauth2", "auth_cc")
    # every flow is recorded (spec order of the four kinds), only one is run
    assert [f.flow for f in cc.flows] == ["clientCredentials", "authorizationCode"]
    assert cc.client_credentials == OAuthFlow(
        "clientCredentials", "https://idp.test/token", False, ("read", "write")
    )


def test_kinds_without_a_helper_are_recorded_with_a_warning() -> None:
    schemes, problems = _build(
        _doc(
            {
                "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://x/.well-known"},
                "mtls": {"type": "mutualTLS"},
                "digest": {"type": "http", "scheme": "digest"},
                "future": {"type": "quantumKey"},
                "no_name": {"type": "apiKey", "in": "header"},
                "bad_in": {"type": "apiKey", "in": "body", "name": "k"},
                "implicit": {
                    "type": "oauth2",
                    "flows": {"implicit": {"authorizationUrl": "https://x/a", "scopes": {}}},
                },
                "cc_no_url": {"type": "oauth2", "flows": {"clientCredentials": {"scopes": {}}}},
            }
        )
    )
    kinds = {key: (s.kind, s.helper) for key, s in schemes.items()}
    assert kinds == {
        "oidc": ("openIdConnect", None),
        "mtls": ("mutualTLS", None),
        "digest": ("http", None),
        "future": ("unknown", None),
        "no_name": ("unknown", None),
        "bad_in": ("unknown", None),
        "implicit": ("oauth2", None),
        "cc_no_url": ("oauth2", None),
    }
    warned = _warnings(problems)
    for key in kinds:
        assert any(f"/components/securitySchemes/{key}" in w for w in warned), (key, warned)
    assert any("quantumKey" in w for w in warned)
    assert any("client_cert" in w for w in warned)  # says what to use instead


def test_relative_token_url_resolves_against_an_absolute_server() -> None:
    flows = {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": {}}}
    absolute = _doc(
        {"cc": {"type": "oauth2", "flows": flows}},
        servers=[{"url": "https://api.test/v1"}],
    )
    schemes, problems = _build(absolute)
    assert schemes["cc"].client_credentials == OAuthFlow(
        "clientCredentials", "https://api.test/oauth/token", False, ()
    )
    assert _warnings(problems) == []

    relative = _doc({"cc": {"type": "oauth2", "flows": flows}}, servers=[{"url": "/v1"}])
    schemes, problems = _build(relative)
    assert schemes["cc"].client_credentials == OAuthFlow(
        "clientCredentials", "/oauth/token", True, ()
    )
    assert schemes["cc"].helper == "auth_cc"
    assert any("relative" in w for w in _warnings(problems))


def test_top_level_requirements_keep_alternatives_and_and_groups() -> None:
    document = _doc(
        {
            "a": {"type": "apiKey", "in": "header", "name": "A"},
            "b": {"type": "http", "scheme": "bearer"},
        },
        security=[{"a": [], "b": []}, {"b": []}, {}, {"ghost": []}],
    )
    service, problems = build_service(document, source_name="sec.yaml")
    assert service.security_requirements == (("a", "b"), ("b",), (), ("ghost",))
    assert any("undefined scheme 'ghost'" in w for w in _warnings(problems))


def test_helper_names_never_replace_an_operation_or_a_client_member() -> None:
    document = _doc(
        {
            "key": {"type": "apiKey", "in": "header", "name": "K"},
            "Key": {"type": "apiKey", "in": "query", "name": "k"},
            "": {"type": "http", "scheme": "basic"},
            "OAuth2": {"type": "http", "scheme": "bearer"},
        }
    )
    document["paths"]["/things"]["get"]["operationId"] = "auth_key"
    service, _ = build_service(document, source_name="sec.yaml")
    helpers = {s.key: s.helper for s in service.security_schemes}
    assert service.operations[0].name == "auth_key"
    # suffixes in (name, key) order, as for operations: stable when schemes are added
    assert helpers == {
        "Key": "auth_key_2",
        "key": "auth_key_3",
        "": "auth_scheme",
        "OAuth2": "auth_oauth2",  # not the camel-case split auth_o_auth2
    }


def test_hostile_names_and_descriptions_stay_inert_in_the_source() -> None:
    evil = 'x"""\n{{ 7 * 7 }}{% raw %}\'; import os; os.system("boom") #'
    document = _doc(
        {
            evil: {"type": "apiKey", "in": "header", "name": evil, "description": evil},
            "cc": {
                "type": "oauth2",
                "description": '"""' + evil,
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "https://idp.test/t?" + evil,
                        "scopes": {evil: "s"},
                    }
                },
            },
        },
        servers=[{"url": "https://api.test"}],
    )
    files, _ = render_files(document, package="sec_client")
    source = files["_client.py"]
    tree = ast.parse(source)  # still valid Python
    client = next(n for n in tree.body if isinstance(n, ast.ClassDef))
    helpers = {
        n.name: n
        for n in client.body
        if isinstance(n, ast.FunctionDef) and n.name.startswith("auth")
    }
    assert set(helpers) == {"auth_x_7_7_raw_import_os_os_system_boom", "auth_cc"}
    # the spec's values come back exactly, as data: literals and docstrings, nothing else
    api_key = helpers["auth_x_7_7_raw_import_os_os_system_boom"]
    assert evil in (ast.get_docstring(api_key) or "")
    returned = api_key.body[-1]
    assert isinstance(returned, ast.Return) and isinstance(returned.value, ast.Call)
    name_kw = next(k for k in returned.value.keywords if k.arg == "name")
    assert ast.literal_eval(name_kw.value) == evil
    defaults = [ast.literal_eval(d) for d in helpers["auth_cc"].args.kw_defaults if d is not None]
    assert defaults == [(evil,), "https://idp.test/t?" + evil]
    assert "import os" not in [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, ast.Import)]
    assert "49" not in source  # jinja never evaluated spec text


def test_swagger_2_security_definitions(tmp_path: Path) -> None:
    spec = {
        "swagger": "2.0",
        "info": {"title": "Old", "version": "1"},
        "host": "old.test",
        "basePath": "/api",
        "schemes": ["https"],
        "security": [{"key": [], "basic": []}],
        "paths": {"/x": {"get": {"responses": {"204": {"description": "-"}}}}},
        "securityDefinitions": {
            "key": {"type": "apiKey", "in": "query", "name": "token", "description": "the key"},
            "basic": {"type": "basic"},
            "app": {
                "type": "oauth2",
                "flow": "application",
                "tokenUrl": "/oauth/token",
                "scopes": {"read": "r"},
            },
            "web": {
                "type": "oauth2",
                "flow": "accessCode",
                "authorizationUrl": "https://old.test/a",
                "tokenUrl": "https://old.test/t",
                "scopes": {},
            },
        },
    }
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    document, _ = load(path)
    service, problems = build_service(document, source_name="old.yaml")
    schemes = {s.key: s for s in service.security_schemes}
    assert (schemes["key"].kind, schemes["key"].location, schemes["key"].wire_name) == (
        "apiKey",
        "query",
        "token",
    )
    assert schemes["key"].description == "the key"
    assert (schemes["basic"].kind, schemes["basic"].helper) == ("basic", "auth_basic")
    assert schemes["app"].client_credentials == OAuthFlow(
        "clientCredentials", "https://old.test/oauth/token", False, ("read",)
    )
    assert (schemes["web"].kind, schemes["web"].helper) == ("oauth2", None)
    assert [f.flow for f in schemes["web"].flows] == ["authorizationCode"]
    assert service.security_requirements == (("key", "basic"),)
    assert any("/securitySchemes/web" in w for w in _warnings(problems))


def test_no_schemes_no_security_members() -> None:
    # clients without schemes inherit the runtime's empty defaults: output unchanged
    files, _ = render_files(_doc({}), package="plain_client")
    assert "security_schemes" not in files["_client.py"]
    assert "Auth" not in files["_client.py"]
