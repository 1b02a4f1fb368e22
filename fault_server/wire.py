"""Low-level ASGI sending: whole, slow, truncated, or not at all (connection dropped).

Dropping a connection needs the socket, which ASGI does not expose. Uvicorn's ``send``
is a bound method of its request cycle, which holds the transport; we use that and fall
back to raising (the server then closes the connection itself, after a 500 at worst).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
from typing import Any

from starlette.types import Send

from fault_server.idempotency import StoredResponse


def json_response(
    status: int, payload: Any, headers: list[tuple[bytes, bytes]] | None = None
) -> StoredResponse:
    body = json.dumps(payload, separators=(",", ":")).encode()
    base = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return StoredResponse(status, base + (headers or []), body)


def _with_length(headers: list[tuple[bytes, bytes]], length: int) -> list[tuple[bytes, bytes]]:
    kept = [
        (k, v) for k, v in headers if k.lower() not in (b"content-length", b"transfer-encoding")
    ]
    return [*kept, (b"content-length", str(length).encode())]


async def send_whole(send: Send, response: StoredResponse) -> None:
    await send(
        {"type": "http.response.start", "status": response.status, "headers": response.headers}
    )
    await send({"type": "http.response.body", "body": response.body, "more_body": False})


async def send_slowly(send: Send, response: StoredResponse, chunk_size: int, delay: float) -> None:
    """The whole body, ``chunk_size`` bytes at a time with ``delay`` between chunks.

    Stops once the client has gone, as a real server's write to a closed socket fails
    (uvicorn's ``send`` silently drops what comes after a disconnect, and dripping the
    rest to nobody would keep the request in flight for the whole body's time).
    """
    headers = _with_length(response.headers, len(response.body))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    body = response.body
    cycle = getattr(send, "__self__", None)
    for start in range(0, len(body), chunk_size):
        if start:
            await asyncio.sleep(delay)
            if getattr(cycle, "disconnected", False):
                return
        chunk = body[start : start + chunk_size]
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


async def send_truncated(send: Send, response: StoredResponse) -> None:
    """Headers promising the full length, half the body, then the connection closes."""
    if not response.body:
        # Nothing to cut: an empty body cannot be truncated, so drop the connection instead.
        await drop_connection(send)
        return
    headers = _with_length(response.headers, len(response.body))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    half = response.body[: len(response.body) // 2]
    await send({"type": "http.response.body", "body": half, "more_body": True})
    # A graceful close (FIN), not a reset: a reset makes the client's kernel discard the
    # bytes already received, and the point here is a short body, not a lost response.
    await drop_connection(send, reset=False, started=True)


class ConnectionDropped(Exception):
    """Raised to make the server close the connection when we cannot reach the socket."""


async def drop_connection(send: Send, *, reset: bool = True, started: bool = False) -> None:
    """Close the TCP connection without (further) response bytes.

    With ``reset``, SO_LINGER 0 turns the close into an RST, so the client sees
    "connection reset" rather than a polite end of stream. ``started`` says whether a
    response start was already sent.
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if not isinstance(transport, asyncio.Transport):
        # No socket in reach (another server, or uvicorn's trace logging wrapping send).
        # An ASGI server closes the connection when the app fails after starting a
        # response, so promise a body that never comes: the client still sees the
        # connection end mid-response, a transport error, never a clean 500.
        if not started:
            start = {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", b"1")],
            }
            await send(start)
        raise ConnectionDropped("injected connection drop")
    if not reset:
        transport.close()  # flushes what was written, then FIN
    else:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # Already closing? abort() below still ends the connection.
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    # abort() reports connection_lost on the next loop turn; until then uvicorn would think
    # the app "returned without starting a response" and log an error and try a 500.
    for _ in range(5):
        if getattr(cycle, "disconnected", True):
            return
        await asyncio.sleep(0)
    if cycle is not None and hasattr(cycle, "disconnected"):
        cycle.disconnected = True
