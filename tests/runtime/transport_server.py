"""A real HTTP server on 127.0.0.1 for the transport tests, and the client they drive.

respx replaces httpx's transport, so it cannot show what the aiohttp transport does:
these tests talk to this server over real sockets on both transports. It runs in the
test's own event loop (aiohttp's web server on a free port), records every request it
receives, and has one route per behaviour under test. Handlers that must hang wait on
``release``, which the fixture sets at teardown, so no test waits for a timeout to
clean up.

Importable by a unique name (``from transport_server import ...``), like
``runtime_helpers``.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from aiohttp import web

from resilient_client import BaseServiceClient, Operation, ResponseSpec

#: a gzip body that is 4 MiB decoded and about 4 KiB on the wire
BOMB_DECODED = 4 * 1024 * 1024
BOMB = gzip.compress(b"\0" * BOMB_DECODED, compresslevel=9)
BIG = bytes(range(256)) * 1024  # 256 KiB


@dataclass
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


@dataclass
class LoopbackServer:
    url: str
    seen: list[Seen] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    #: requests each counted route has answered, by route name
    counts: dict[str, int] = field(default_factory=dict)
    #: set once a hanging handler has its request, so a test knows the call is in flight
    hanging: asyncio.Event = field(default_factory=asyncio.Event)

    def count(self, name: str) -> int:
        self.counts[name] = self.counts.get(name, 0) + 1
        return self.counts[name]


def _app(server: LoopbackServer) -> web.Application:
    routes = web.RouteTableDef()

    @web.middleware
    async def record(request: web.Request, handler: Any) -> web.StreamResponse:
        body = await request.read()
        server.seen.append(
            Seen(
                request.method,
                request.path,
                request.raw_path.partition("?")[2],
                {k.lower(): v for k, v in request.headers.items()},
                body,
            )
        )
        response: web.StreamResponse = await handler(request)
        return response

    @routes.route("*", "/echo")
    async def echo(request: web.Request) -> web.Response:
        seen = server.seen[-1]
        return web.json_response(
            {
                "method": seen.method,
                "query": seen.query,
                "content_type": seen.headers.get("content-type"),
                "body": seen.body.decode("latin-1"),
            }
        )

    @routes.get("/item")
    async def item(request: web.Request) -> web.Response:
        return web.json_response({"id": 1, "name": "widget"})

    @routes.get("/status-{code}")
    async def status(request: web.Request) -> web.Response:
        return web.json_response({"detail": "as asked"}, status=int(request.match_info["code"]))

    @routes.get("/flaky")
    async def flaky(request: web.Request) -> web.Response:
        if server.count("flaky") <= 2:
            return web.json_response({"detail": "busy"}, status=503)
        return web.json_response({"id": 7, "name": "third time"})

    @routes.get("/hang")
    async def hang(request: web.Request) -> web.Response:
        server.hanging.set()
        await server.release.wait()
        return web.json_response({"id": 0, "name": "late"})

    @routes.get("/hang-once")
    async def hang_once(request: web.Request) -> web.Response:
        if server.count("hang-once") == 1:
            await server.release.wait()
        return web.json_response({"id": 2, "name": "second attempt"})

    @routes.get("/gzip")
    async def gzipped(request: web.Request) -> web.Response:
        body = gzip.compress(json.dumps({"id": 3, "name": "squeezed"}).encode())
        return web.Response(body=body, headers={"Content-Encoding": "gzip"})

    @routes.get("/bomb")
    async def bomb(request: web.Request) -> web.Response:
        return web.Response(
            body=BOMB,
            headers={"Content-Encoding": "gzip", "Content-Type": "application/octet-stream"},
        )

    @routes.get("/big")
    async def big(request: web.Request) -> web.Response:
        return web.Response(body=BIG, content_type="application/octet-stream")

    @routes.get("/big-chunked")
    async def big_chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(BIG), 16 * 1024):
            await response.write(BIG[start : start + 16 * 1024])
        await response.write_eof()
        return response

    @routes.get("/stall")
    async def stall(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.content_length = 100_000
        await response.prepare(request)
        await response.write(b"x" * 1000)
        server.hanging.set()
        await server.release.wait()
        return response

    @routes.get("/truncate")
    async def truncate(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.content_length = 100_000
        await response.prepare(request)
        await response.write(b"x" * 1000)
        assert request.transport is not None
        request.transport.close()  # the connection drops 99,000 bytes short
        return response

    @routes.route("*", "/redirect")
    async def redirect(request: web.Request) -> web.Response:
        code = int(request.query.get("status", "302"))
        return web.Response(status=code, headers={"Location": request.query["to"]})

    @routes.get("/ticks")
    async def ticks(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for n in range(3):  # one write per event, the last split across two writes
            await response.write(f'id: {n}\ndata: {{"n": {n}}}\n'.encode())
            await response.write(b"\n")
        await server.release.wait()  # a live stream: the client decides when it ends
        return response

    @routes.get("/loop")
    async def loop(request: web.Request) -> web.Response:
        return web.Response(status=307, headers={"Location": "/loop"})

    @routes.get("/set-cookie")
    async def set_cookie(request: web.Request) -> web.Response:
        response = web.json_response({"id": 4, "name": "cookie"})
        response.set_cookie("affinity", "n2")
        return response

    app = web.Application(middlewares=[record])
    app.add_routes(routes)
    return app


@asynccontextmanager
async def serve(ssl_context: ssl.SSLContext | None = None) -> AsyncIterator[LoopbackServer]:
    """The server on a free port of 127.0.0.1 (``https://`` with ``ssl_context``)."""
    server = LoopbackServer(url="")
    runner = web.AppRunner(_app(server), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
    await site.start()
    assert site._server is not None
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.url = f"{'https' if ssl_context else 'http'}://127.0.0.1:{port}"
    try:
        yield server
    finally:
        server.release.set()
        await runner.cleanup()


def _op(name: str, path: str, kind: str = "json", method: str = "GET") -> Operation[Any]:
    return Operation(
        name=name,
        method=method,
        path=path,
        responses={"200": ResponseSpec(kind, None), "default": ResponseSpec("json", None)},
        request_content_type="application/json" if method == "POST" else None,
    )


GET = _op("get", "/{path}")
GET_BYTES = _op("get_bytes", "/{path}", "bytes")
POST = _op("post", "/{path}", method="POST")
FORM = Operation(
    name="form",
    method="POST",
    path="/echo",
    responses={"200": ResponseSpec("json", None)},
    request_content_type="application/x-www-form-urlencoded",
)
REDIRECT = Operation(
    name="redirect",
    method="GET",
    path="/redirect",
    responses={"200": ResponseSpec("json", None)},
)
POST_REDIRECT = Operation(
    name="post_redirect",
    method="POST",
    path="/redirect",
    responses={"200": ResponseSpec("json", None)},
    request_content_type="application/json",
)
TICKS = Operation(
    name="ticks",
    method="GET",
    path="/ticks",
    responses={"200": ResponseSpec("text")},
    events=ResponseSpec("json", None),
)
SEARCH = Operation(
    name="search",
    method="GET",
    path="/echo",
    responses={"200": ResponseSpec("json", None)},
)


class LoopbackClient(BaseServiceClient):
    """One generic operation per shape, the path given per call (slashes kept)."""

    service_name: ClassVar[str] = "Loopback"

    async def get(self, path: str, **kwargs: Any) -> Any:
        return await self._request(GET, path_params={"path": path}, **kwargs)

    async def get_bytes(self, path: str, **kwargs: Any) -> Any:
        return await self._request(GET_BYTES, path_params={"path": path}, **kwargs)

    async def post(self, path: str, body: Any, **kwargs: Any) -> Any:
        return await self._request(POST, path_params={"path": path}, json=body, **kwargs)

    async def form(self, fields: dict[str, str]) -> Any:
        return await self._request(FORM, data=fields)

    async def search(self, query: dict[str, Any]) -> Any:
        return await self._request(SEARCH, query=query)

    async def redirect(self, to: str, status: int = 302) -> Any:
        return await self._request(REDIRECT, query={"to": to, "status": status})

    async def post_redirect(self, to: str, status: int, body: Any) -> Any:
        return await self._request(POST_REDIRECT, query={"to": to, "status": status}, json=body)

    def ticks(self) -> Any:
        return self._events(TICKS)

    def stream(self, path: str, **kwargs: Any) -> Any:
        return self._stream(GET_BYTES, path_params={"path": path}, **kwargs)
