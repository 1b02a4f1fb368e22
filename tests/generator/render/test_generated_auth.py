"""A generated client's auth helpers put each credential where the spec says (HTTP mocked).

The client is generated from the small inline spec below, imported, and driven through
the real runtime with respx: one test per kind of scheme, plus AND requirements, the
unauthenticated operation, and that no credential ever reaches a log record or error.
"""

from __future__ import annotations

import base64
import importlib
import inspect
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import respx
import yaml
from _gen import generate

from resilient_client import (
    ApiKeyAuth,
    Auth,
    BasicAuth,
    BearerAuth,
    ClientConfig,
    ClientError,
    CombinedAuth,
    OAuth2ClientCredentials,
)

BASE = "https://api.secure.test/v1"
SECRET = "s3cret-VALUE-77"
SPEC = f"""
openapi: 3.0.3
info: {{title: Secure API, version: "1"}}
servers: [{{url: "{BASE}"}}]
security:
  - header_key: []
  - query_key: []
    jwt: []
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content: {{application/json: {{schema: {{type: array, items: {{type: string}}}}}}}}
  /open:
    get:
      operationId: openDoor
      security: []
      responses:
        '204': {{description: nothing}}
components:
  securitySchemes:
    header_key: {{type: apiKey, in: header, name: X-Secure-Key}}
    query_key: {{type: apiKey, in: query, name: app_key}}
    cookie_key: {{type: apiKey, in: cookie, name: session_id}}
    jwt: {{type: http, scheme: bearer, bearerFormat: JWT}}
    basic: {{type: http, scheme: basic}}
    machine:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /oauth/token
          scopes: {{things.read: read things, things.write: write things}}
    oidc: {{type: openIdConnect, openIdConnectUrl: "https://idp.test/.well-known"}}
"""
TOKEN_URL = "https://api.secure.test/oauth/token"  # the relative tokenUrl, resolved


@pytest.fixture(scope="module")
def secure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("gen")
    package = "gen_secure_auth_client"
    generate(yaml.safe_load(SPEC), out, package)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


async def _list_things(module: ModuleType, auth: Auth) -> httpx.Request:
    with respx.mock(assert_all_called=True) as router:
        route = router.get(f"{BASE}/things").respond(200, json=["a"])
        async with module.SecureClient(auth=auth, max_retries=0) as client:
            assert await client.list_things() == ["a"]
    request: httpx.Request = route.calls.last.request
    return request


def test_scheme_metadata_and_helper_signatures(secure: ModuleType) -> None:
    client = secure.SecureClient
    assert client.security_schemes == {
        "header_key": "apiKey",
        "query_key": "apiKey",
        "cookie_key": "apiKey",
        "jwt": "bearer",
        "basic": "basic",
        "machine": "oauth2",
        "oidc": "openIdConnect",
    }
    assert client.security_requirements == (("header_key",), ("query_key", "jwt"))
    assert not hasattr(client, "auth_oidc")  # no helper: nothing the runtime can run
    machine = inspect.signature(client.auth_machine).parameters
    assert machine["token_url"].default == TOKEN_URL
    assert machine["scopes"].default == ("things.read", "things.write")


async def test_api_key_helpers_use_the_specs_name_and_location(secure: ModuleType) -> None:
    client = secure.SecureClient
    header = client.auth_header_key("hk-1")
    assert isinstance(header, ApiKeyAuth)
    assert (await _list_things(secure, header)).headers["X-Secure-Key"] == "hk-1"
    query = await _list_things(secure, client.auth_query_key("qk-1"))
    assert query.url.params["app_key"] == "qk-1"
    assert "x-secure-key" not in query.headers
    cookie = await _list_things(secure, client.auth_cookie_key("ck-1"))
    assert cookie.headers["cookie"] == "session_id=ck-1"


async def test_bearer_and_basic_helpers(secure: ModuleType) -> None:
    client = secure.SecureClient
    bearer = client.auth_jwt("jwt-1")
    assert isinstance(bearer, BearerAuth)
    assert (await _list_things(secure, bearer)).headers["authorization"] == "Bearer jwt-1"
    provided = await _list_things(secure, client.auth_jwt(lambda: "jwt-from-provider"))
    assert provided.headers["authorization"] == "Bearer jwt-from-provider"
    basic = client.auth_basic("ann", "pw")
    assert isinstance(basic, BasicAuth)
    expected = "Basic " + base64.b64encode(b"ann:pw").decode()
    assert (await _list_things(secure, basic)).headers["authorization"] == expected


async def test_oauth2_helper_fetches_a_token_from_the_specs_token_url(secure: ModuleType) -> None:
    auth = secure.SecureClient.auth_machine("cid", "csecret")
    assert isinstance(auth, OAuth2ClientCredentials)
    with respx.mock(assert_all_called=True) as router:
        token = router.post(TOKEN_URL).respond(
            200, json={"access_token": "at-1", "expires_in": 3600}
        )
        api = router.get(f"{BASE}/things").respond(200, json=[])
        # the ClientConfig route, as the README shows it
        async with secure.SecureClient(config=ClientConfig(auth=auth)) as client:
            await client.list_things()
            await client.list_things()
    assert token.call_count == 1  # cached for the second call
    grant = token.calls.last.request
    assert grant.headers["authorization"] == "Basic " + base64.b64encode(b"cid:csecret").decode()
    form = grant.content.decode()
    assert "grant_type=client_credentials" in form
    assert "scope=things.read+things.write" in form
    assert [c.request.headers["authorization"] for c in api.calls] == ["Bearer at-1"] * 2


async def test_oauth2_helper_takes_narrower_scopes_and_another_token_url(
    secure: ModuleType,
) -> None:
    auth = secure.SecureClient.auth_machine(
        "cid", "csecret", scopes=["things.read"], token_url="https://idp.test/token"
    )
    with respx.mock(assert_all_called=True) as router:
        token = router.post("https://idp.test/token").respond(200, json={"access_token": "at-9"})
        router.get(f"{BASE}/things").respond(200, json=[])
        async with secure.SecureClient(auth=auth) as client:
            await client.list_things()
    assert "scope=things.read&" in token.calls.last.request.content.decode() + "&"


async def test_and_requirement_sends_both_credentials(secure: ModuleType) -> None:
    client = secure.SecureClient
    both = CombinedAuth(client.auth_query_key("qk-2"), client.auth_jwt("jwt-2"))
    request = await _list_things(secure, both)
    assert request.url.params["app_key"] == "qk-2"
    assert request.headers["authorization"] == "Bearer jwt-2"


async def test_operation_with_empty_security_sends_no_credential(secure: ModuleType) -> None:
    client = secure.SecureClient
    auth = CombinedAuth(client.auth_query_key("qk-3"), client.auth_header_key("hk-3"))
    with respx.mock(assert_all_called=True) as router:
        route = router.get(f"{BASE}/open").respond(204)
        async with client(auth=auth) as c:
            await c.open_door()
    request = route.calls.last.request
    assert "app_key" not in request.url.params and "x-secure-key" not in request.headers


@pytest.mark.parametrize(
    ("helper", "args"),
    [
        ("auth_header_key", (SECRET,)),
        ("auth_query_key", (SECRET,)),
        ("auth_cookie_key", (SECRET,)),
        ("auth_jwt", (SECRET,)),
        ("auth_basic", ("ann", SECRET)),
    ],
)
async def test_credentials_never_reach_logs_or_errors(
    secure: ModuleType, helper: str, args: tuple[Any, ...], caplog: pytest.LogCaptureFixture
) -> None:
    auth = getattr(secure.SecureClient, helper)(*args)
    with respx.mock() as router:
        route = router.get(f"{BASE}/things").respond(
            500, headers={"Set-Cookie": f"session_id={SECRET}"}, text="boom"
        )
        async with secure.SecureClient(auth=auth, max_retries=0) as client:
            with caplog.at_level(logging.DEBUG), pytest.raises(ClientError) as info:
                await client.list_things()
    sent = route.calls.last.request
    wire = str(sent.url) + str(sent.headers.raw)
    assert SECRET in wire or base64.b64encode(f"ann:{SECRET}".encode()).decode() in wire
    error = info.value
    haystack = [r.getMessage() + repr(vars(r)) for r in caplog.records]
    haystack += [str(error), repr(error), str(getattr(error, "url", "")), repr(auth)]
    haystack += [repr(getattr(error, "headers", ""))]
    assert caplog.records, "nothing was logged: the scan proves nothing"
    assert [text for text in haystack if SECRET in text] == []


async def test_oauth2_client_secret_never_reaches_logs_or_errors(
    secure: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    auth = secure.SecureClient.auth_machine("cid", SECRET)
    with respx.mock(assert_all_called=False) as router:
        router.post(TOKEN_URL).respond(401, text=f"bad client secret {SECRET}")
        api = router.get(f"{BASE}/things").respond(200, json=[])
        async with secure.SecureClient(auth=auth, max_retries=0) as client:
            with caplog.at_level(logging.DEBUG), pytest.raises(ClientError) as info:
                await client.list_things()
    assert not api.called  # no token, no request
    chain: list[BaseException] = [info.value]
    while chain[-1].__cause__ is not None:
        chain.append(chain[-1].__cause__)
    haystack = [r.getMessage() + repr(vars(r)) for r in caplog.records]
    haystack += [str(e) for e in chain] + [repr(e) for e in chain] + [repr(auth)]
    assert [text for text in haystack if SECRET in text] == []


def test_relative_token_url_without_a_server_makes_token_url_required(tmp_path: Path) -> None:
    spec = yaml.safe_load(SPEC)
    spec["servers"] = [{"url": "/v1"}]
    generate(spec, tmp_path, "gen_relative_auth_client")
    sys.path.insert(0, str(tmp_path))
    try:
        module = importlib.import_module("gen_relative_auth_client")
        helper = module.SecureClient.auth_machine
        parameter = inspect.signature(helper).parameters["token_url"]
        assert parameter.default is inspect.Parameter.empty
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
        assert "'/oauth/token' is relative" in (helper.__doc__ or "")
        auth = helper("cid", "cs", token_url="https://idp.test/t")
        assert auth.token_url == "https://idp.test/t"
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("gen_relative_auth_client")]:
            del sys.modules[name]
