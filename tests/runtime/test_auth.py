"""Credentials: each scheme on the wire, providers per request, switching, OAuth2, mTLS."""

from __future__ import annotations

import asyncio
import base64
import ssl
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import respx
from runtime_helpers import ItemClient

from resilient_client import (
    ApiKeyAuth,
    BasicAuth,
    BearerAuth,
    ClientConfig,
    CombinedAuth,
    OAuth2ClientCredentials,
    Operation,
    ResponseSpec,
)
from resilient_client._tls import ssl_context

OK = {"id": 1, "name": "a"}
PUBLIC: Operation[None] = Operation(
    "public", "GET", "/public", responses={"204": ResponseSpec("empty")}, authenticated=False
)


async def test_static_bearer(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    await make_client(auth="tok-1").get_item(1)
    assert route.calls.last.request.headers["authorization"] == "Bearer tok-1"


async def test_provider_is_called_per_attempt(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1")
    route.side_effect = [httpx.Response(503), httpx.Response(200, json=OK)]
    tokens = iter(["t1", "t2"])
    client = make_client(auth=BearerAuth(lambda: next(tokens)))
    await client.get_item(1)
    assert [c.request.headers["authorization"] for c in route.calls] == ["Bearer t1", "Bearer t2"]


async def test_async_provider(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)

    async def provider() -> str:
        return "async-tok"

    await make_client(auth=BearerAuth(provider)).get_item(1)
    assert route.calls.last.request.headers["authorization"] == "Bearer async-tok"


async def test_api_key_locations(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    await make_client(auth=ApiKeyAuth("k1")).get_item(1)
    assert route.calls.last.request.headers["x-api-key"] == "k1"
    await make_client(auth=ApiKeyAuth("k2", name="api_key", location="query")).get_item(1)
    assert route.calls.last.request.url.params["api_key"] == "k2"
    await make_client(auth=ApiKeyAuth("k3", name="sid", location="cookie")).get_item(1)
    assert route.calls.last.request.headers["cookie"] == "sid=k3"


async def test_basic(respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    await make_client(auth=BasicAuth("user", "pw")).get_item(1)
    expected = "Basic " + base64.b64encode(b"user:pw").decode()
    assert route.calls.last.request.headers["authorization"] == expected
    await make_client(auth=("user", "pw")).get_item(1)
    assert route.calls.last.request.headers["authorization"] == expected


async def test_set_auth_switches_at_runtime(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/items/1").respond(200, json=OK)
    client = make_client(auth="old")
    await client.get_item(1)
    client.set_auth("new")
    await client.get_item(1)
    client.set_auth(None)
    await client.get_item(1)
    sent = [c.request.headers.get("authorization") for c in route.calls]
    assert sent == ["Bearer old", "Bearer new", None]


async def test_unauthenticated_operation_sends_no_credentials(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    route = respx_mock.get("/public").respond(204)
    await make_client(auth=ApiKeyAuth("k", name="key", location="query"))._request(PUBLIC)
    await make_client(auth="tok")._request(PUBLIC)
    for call in route.calls:
        assert "authorization" not in call.request.headers
        assert "key" not in call.request.url.params


async def test_oauth2_client_credentials_caches_until_expiry(clock) -> None:
    token_calls: list[httpx.Request] = []

    def token_endpoint(request: httpx.Request) -> httpx.Response:
        token_calls.append(request)
        return httpx.Response(
            200, json={"access_token": f"at-{len(token_calls)}", "expires_in": 120}
        )

    http = httpx.AsyncClient(transport=httpx.MockTransport(token_endpoint))
    auth = OAuth2ClientCredentials(
        "https://idp.test/token",
        "cid",
        "csecret",
        ["read", "write"],
        http_client=http,
        clock=clock,
        leeway=20,
    )
    assert await asyncio.gather(*(auth.token() for _ in range(5))) == ["at-1"] * 5
    assert len(token_calls) == 1
    body = token_calls[0].content.decode()
    assert "grant_type=client_credentials" in body and "scope=read+write" in body
    assert token_calls[0].headers["authorization"].startswith("Basic ")
    clock.advance(99)
    assert await auth.token() == "at-1"
    clock.advance(2)  # past expires_in - leeway
    assert await auth.token() == "at-2"
    auth.invalidate()
    assert await auth.token() == "at-3"
    assert "csecret" not in repr(auth)


async def test_oauth2_scopes_as_one_string_are_space_separated() -> None:
    forms: list[str] = []

    def token_endpoint(request: httpx.Request) -> httpx.Response:
        forms.append(request.content.decode())
        return httpx.Response(200, json={"access_token": "at"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(token_endpoint))
    auth = OAuth2ClientCredentials("https://idp.test/t", "c", "s", "read  write", http_client=http)
    await auth.token()
    assert "scope=read+write" in forms[0]


async def test_oauth2_failure_does_not_leak_secret(clock) -> None:
    http = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda r: httpx.Response(401, text="bad csecret"))
    )
    auth = OAuth2ClientCredentials("https://idp.test/token", "cid", "csecret", http_client=http)
    with pytest.raises(ValueError) as info:
        await auth.token()
    assert "csecret" not in str(info.value)


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "client.pem", tmp_path / "client.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=client",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def test_verify_on_by_default_and_mtls_context(tmp_path: Path) -> None:
    default = ssl_context(ClientConfig())
    assert isinstance(default, ssl.SSLContext)
    assert default.verify_mode == ssl.CERT_REQUIRED and default.check_hostname
    assert ssl_context(ClientConfig(verify=False)) is False
    cert, key = _self_signed(tmp_path)
    context = ssl_context(ClientConfig(client_cert=(str(cert), str(key)), verify=str(cert)))
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    # the custom CA bundle was loaded into the context
    assert any(c.get("subject") for c in context.get_ca_certs())


def test_bad_cert_path_fails_at_construction(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        ItemClient(config=ClientConfig(client_cert=str(tmp_path / "missing.pem")))


async def test_a_failing_provider_raises_auth_error_without_sending(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    from resilient_client import AuthError, CircuitState, Operation, ResponseSpec, SpecPolicy

    route = respx_mock.get("/items/1").respond(200, json=OK)
    respx_mock.post("/intel").respond(200, json={})

    def provider() -> str:
        raise ConnectionError("idp unreachable")

    client = make_client(auth=BearerAuth(provider))
    with pytest.raises(AuthError) as info:
        await client.get_item(1)
    assert isinstance(info.value.__cause__, ConnectionError)
    assert info.value.operation == "get_item" and info.value.correlation_id
    assert route.call_count == 0
    assert client.circuit_breaker.state is CircuitState.CLOSED
    cached: Operation[object] = Operation(
        "intel",
        "POST",
        "/intel",
        responses={"200": ResponseSpec("json")},
        policy=SpecPolicy(cache_ttl=60),
    )
    with pytest.raises(AuthError) as cached_info:
        await client._request(cached, json={})
    assert cached_info.value.operation == "intel"


async def test_combined_auth_sends_every_part_and_redacts_their_union(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    # An OpenAPI requirement {app_id: [], jwt: []} means both on the same request.
    route = respx_mock.get("/items/1").respond(200, json=OK)
    app_id = ApiKeyAuth("app-1", name="app_id", location="query")
    combined = CombinedAuth(
        app_id, BearerAuth("jwt-1"), ApiKeyAuth("s", name="sid", location="cookie")
    )
    await make_client(auth=combined).get_item(1)
    request = route.calls.last.request
    assert request.url.params["app_id"] == "app-1"
    assert request.headers["authorization"] == "Bearer jwt-1"
    assert request.headers["cookie"] == "sid=s"
    assert combined.secret_headers == {"authorization", "cookie"}
    assert combined.secret_params == {"app_id"}
    # a cache entry of the combination is neither part's, and changes with any part
    other = CombinedAuth(app_id, BearerAuth("jwt-2"))
    identities = {await a.identity() for a in (combined, other, app_id)}
    assert len(identities) == 3
    assert "jwt-1" not in repr(combined) and "jwt-1" not in await combined.identity()


def test_combined_auth_needs_a_part() -> None:
    with pytest.raises(ValueError):
        CombinedAuth()
