"""No secret in any ``repr``/``str`` of config, auth, client, request or error objects,
whatever path it came in by: headers, auth helpers, query API keys, cookies, body
fields, URLs with userinfo. One list of sensitive names drives all of it, and users can
extend it (``add_sensitive_names``).
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
import respx
from runtime_helpers import BASE, ItemClient

from resilient_client import (
    ApiKeyAuth,
    BasicAuth,
    BearerAuth,
    CallInfo,
    ClientConfig,
    ClientError,
    CombinedAuth,
    OAuth2ClientCredentials,
    Operation,
    ResponseSpec,
    ServerError,
    add_sensitive_names,
)
from resilient_client._parts import CallOverrides, RequestParts

SECRETS = {
    "bearer": "sk-live-bearer-0001",
    "header_key": "hk-0002-header",
    "cookie": "sess-0003-cookie",
    "query_key": "qk-0004-query",
    "password": "pw-0005-basic",
    "userinfo": "ui-0006-pass",
    "client_secret": "cs-0007-oauth",
    "body_password": "bp-0008-body",
    "custom": "pin-0009-custom",
}
SEARCH: Operation[Any] = Operation(
    "search", "POST", "/search", responses={"200": ResponseSpec("json")}
)


def _leaks(*objects: object) -> list[str]:
    shown = "\n".join(text for o in objects for text in (repr(o), str(o)))
    return [name for name, secret in SECRETS.items() if secret in shown]


def test_config_built_with_credentials_in_headers_and_url_shows_none() -> None:
    config = ClientConfig(
        base_url=f"https://svc:{SECRETS['userinfo']}@svc.test/api?api_key={SECRETS['query_key']}",
        headers={
            "Authorization": f"Bearer {SECRETS['bearer']}",
            "X-API-Key": SECRETS["header_key"],
            "Cookie": f"session={SECRETS['cookie']}",
            "Accept": "application/json",
        },
        auth=BasicAuth("svc", SECRETS["password"]),
    )
    assert _leaks(config) == []
    assert "application/json" in repr(config)  # what is not secret stays readable
    assert config.headers["X-API-Key"] == SECRETS["header_key"]  # the value itself is kept


def test_every_auth_helper_hides_its_credential() -> None:
    helpers = [
        BearerAuth(SECRETS["bearer"]),
        BearerAuth(lambda: SECRETS["bearer"]),
        ApiKeyAuth(SECRETS["header_key"], name="X-API-Key", location="header"),
        ApiKeyAuth(SECRETS["query_key"], name="api_key", location="query"),
        ApiKeyAuth(SECRETS["cookie"], name="session", location="cookie"),
        BasicAuth("user", SECRETS["password"]),
        OAuth2ClientCredentials("https://auth.test/token", "client-id", SECRETS["client_secret"]),
        CombinedAuth(BearerAuth(SECRETS["bearer"]), BasicAuth("u", SECRETS["password"])),
    ]
    assert _leaks(*helpers) == []


async def test_client_request_parts_and_call_info_hide_what_they_carry() -> None:
    client = ItemClient(f"https://svc:{SECRETS['userinfo']}@svc.test/api")
    parts = RequestParts(
        SEARCH,
        query={"q": "books", "api_key": SECRETS["query_key"]},
        headers={"X-API-Key": SECRETS["header_key"], "X-Tenant": "t1"},
        cookies={"session": SECRETS["cookie"]},
        json={"user": "bob", "password": SECRETS["body_password"]},
        options=CallOverrides(extra_headers={"Authorization": f"Bearer {SECRETS['bearer']}"}),
    )
    info = CallInfo(
        "search", "cid", {}, {"api_key": SECRETS["query_key"]}, {"token": SECRETS["bearer"]}
    )
    assert _leaks(client, parts, parts.options, info) == []
    assert "books" in repr(parts) and "t1" in repr(parts) and "bob" in repr(parts)
    await client.aclose()


def test_errors_mask_credentials_in_message_and_url_whoever_built_them() -> None:
    error = ClientError(
        f"upstream said: Authorization: Bearer {SECRETS['bearer']} is not valid",
        operation="search",
        method="GET",
        url=f"https://svc:{SECRETS['userinfo']}@svc.test/s?token={SECRETS['query_key']}",
    )
    assert _leaks(error) == []
    assert "upstream said" in str(error) and "operation=search" in str(error)


async def test_a_failed_call_shows_no_credential_in_error_or_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="resilient_client")
    # A server that echoes what it was sent: FastAPI's validation detail with the input
    echo = {"loc": ["body", "password"], "msg": "too short", "input": SECRETS["body_password"]}
    body = {"detail": [echo], "token": SECRETS["bearer"]}
    with respx.mock(base_url=BASE) as router:
        router.post("/search").respond(500, json=body)
        client = ItemClient(
            config=ClientConfig(
                headers={"X-API-Key": SECRETS["header_key"]},
                auth=ApiKeyAuth(SECRETS["query_key"], name="api_key", location="query"),
            )
        )
        with pytest.raises(ServerError) as info:
            await client._request(SEARCH, json={"password": SECRETS["body_password"]})
        await client.aclose()
    records = [r.getMessage() + repr(r.__dict__) for r in caplog.records]
    assert _leaks(info.value, *records) == []


def test_users_extend_the_one_list_of_sensitive_names() -> None:
    parts = RequestParts(SEARCH, headers={"X-Org-Pin": SECRETS["custom"]})
    assert _leaks(parts) == ["custom"]  # not a name anybody could guess
    add_sensitive_names("X-Org-Pin")
    config = ClientConfig(headers={"X-Org-Pin": SECRETS["custom"]})
    error = ClientError(f"rejected X-Org-Pin: {SECRETS['custom']}")
    assert _leaks(parts, config, error) == []
