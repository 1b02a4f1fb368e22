"""Response size cap and credential-safe redirects."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
import respx
from runtime_helpers import ItemClient

from resilient_client import (
    ApiKeyAuth,
    BearerAuth,
    ClientConfig,
    CombinedAuth,
    Operation,
    ResponseSpec,
    ResponseTooLargeError,
    TransportError,
)

BLOB: Operation[bytes] = Operation("blob", "GET", "/blob", responses={"200": ResponseSpec("bytes")})


class Chunks(httpx.AsyncByteStream):
    """A body without Content-Length that counts how much of it was pulled."""

    def __init__(self, chunk: bytes, count: int) -> None:
        self.chunk = chunk
        self.count = count
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.count):
            self.pulled += 1
            yield self.chunk


async def test_declared_content_length_over_cap_is_refused_before_reading(
    make_client: Callable[..., ItemClient],
) -> None:
    stream = Chunks(b"x" * 1024, 2)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=stream, headers={"Content-Length": "2048"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = make_client(ClientConfig(max_response_bytes=1024), http_client=http)
    with pytest.raises(ResponseTooLargeError, match="Content-Length 2048") as info:
        await client._request(BLOB)
    assert stream.pulled == 0
    assert info.value.limit == 1024
    assert info.value.operation == "blob"


async def test_streamed_body_stops_being_read_past_the_cap(
    make_client: Callable[..., ItemClient],
) -> None:
    stream = Chunks(b"y" * 1000, 1000)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=stream)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = make_client(ClientConfig(max_response_bytes=5000), http_client=http)
    with pytest.raises(ResponseTooLargeError):
        await client._request(BLOB)
    assert stream.pulled <= 6  # stopped after ~5 KB, not the 1 MB on offer


async def test_body_within_cap_is_returned(
    respx_mock: respx.MockRouter, make_client: Callable[..., ItemClient]
) -> None:
    respx_mock.get("/blob").respond(200, content=b"z" * 1024)
    client = make_client(ClientConfig(max_response_bytes=1024))
    assert await client._request(BLOB) == b"z" * 1024


async def test_same_origin_redirect_keeps_credentials(
    make_client: Callable[..., ItemClient],
) -> None:
    with respx.mock() as router:
        router.get("http://svc.test/api/blob").respond(302, headers={"Location": "/api/moved"})
        moved = router.get("http://svc.test/api/moved").respond(200, content=b"ok")
        client = make_client(auth=BearerAuth("s3cret-token"))
        assert await client._request(BLOB) == b"ok"
    assert moved.calls.last.request.headers["authorization"] == "Bearer s3cret-token"


@pytest.mark.parametrize(
    "auth",
    [
        BearerAuth("s3cret-token"),
        ApiKeyAuth("s3cret-token", name="X-Service-Key"),
        ApiKeyAuth("s3cret-token", name="service_key", location="query"),
        ApiKeyAuth("s3cret-token", name="sid", location="cookie"),
        CombinedAuth(
            ApiKeyAuth("s3cret-token", name="service_key", location="query"),
            BearerAuth("s3cret-token"),
        ),
    ],
)
async def test_cross_origin_redirect_drops_every_credential(
    auth: object, make_client: Callable[..., ItemClient]
) -> None:
    with respx.mock() as router:
        router.get(url__startswith="http://svc.test/api/blob").respond(
            307, headers={"Location": "https://evil.test/steal?x=1"}
        )
        evil = router.get(url__startswith="https://evil.test/steal").respond(200, content=b"ha")
        client = make_client(auth=auth)
        assert await client._request(BLOB) == b"ha"
    request = evil.calls.last.request
    assert "s3cret-token" not in str(request.url)
    assert all("s3cret-token" not in value for value in request.headers.values())
    assert request.url.params["x"] == "1"


async def test_303_turns_post_into_get_without_body(make_client: Callable[..., ItemClient]) -> None:
    op: Operation[bytes] = Operation("p", "POST", "/p", responses={"200": ResponseSpec("bytes")})
    with respx.mock() as router:
        router.post("http://svc.test/api/p").respond(303, headers={"Location": "/api/result"})
        result = router.get("http://svc.test/api/result").respond(200, content=b"done")
        client = make_client()
        assert await client._request(op, json={"a": 1}) == b"done"
    assert result.calls.last.request.content == b""
    assert "content-type" not in result.calls.last.request.headers


async def test_redirect_loop_is_bounded(make_client: Callable[..., ItemClient]) -> None:
    with respx.mock() as router:
        loop = router.get("http://svc.test/api/blob").respond(
            302, headers={"Location": "/api/blob"}
        )
        client = make_client(ClientConfig(max_redirects=3))
        with pytest.raises(TransportError, match="redirects"):
            await client._request(BLOB, max_attempts=1)
    assert loop.call_count == 4


async def test_redirects_can_be_disabled(make_client: Callable[..., ItemClient]) -> None:
    op: Operation[None] = Operation("r", "GET", "/blob", responses={"302": ResponseSpec("empty")})
    with respx.mock() as router:
        router.get("http://svc.test/api/blob").respond(302, headers={"Location": "/api/x"})
        client = make_client(ClientConfig(follow_redirects=False))
        assert await client._request(op) is None
