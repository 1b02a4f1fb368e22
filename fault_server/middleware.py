"""The ASGI layer in front of a fake service: counts, limits, faults, then replays.

Order per request (as in the seed server): count and check capacity → decide the fault
(before any idempotency replay, so a fault still hits a key that has a stored answer) →
latency → answer the fault, or run / replay the handler → deliver (whole, slow,
truncated or dropped).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fault_server import wire
from fault_server.envelope import error_envelope
from fault_server.faults import FaultKind, FaultRule
from fault_server.idempotency import KeyReusedError, StoredResponse, fingerprint
from fault_server.state import ServerState
from fault_server.stats import RequestRecord

logger = logging.getLogger("fault_server")

CONTROL_PREFIX = "/__faults__"
IDEMPOTENCY_HEADER = "idempotency-key"
CORRELATION_HEADER = "x-correlation-id"


@dataclass
class _Outcome:
    status: int | None = None
    fault: str | None = None
    replayed: bool = False


class FaultMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        state: ServerState,
        control_app: ASGIApp,
        *,
        idempotency_header: str = IDEMPOTENCY_HEADER,
        correlation_header: str = CORRELATION_HEADER,
    ) -> None:
        self.app = app
        self.state = state
        self.control_app = control_app
        self._idempotency_header = idempotency_header.lower().encode()
        self._correlation_header = correlation_header.lower().encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            await self.control_app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        correlation_id = _header(headers, self._correlation_header)
        key = _header(headers, self._idempotency_header)
        outcome = _Outcome()
        self.state.stats.enter()
        try:
            await self._handle(scope, receive, send, key, outcome)
        finally:
            self.state.stats.leave(
                RequestRecord(
                    method=scope["method"],
                    path=path,
                    correlation_id=correlation_id,
                    idempotency_key=key,
                    status=outcome.status,
                    fault=outcome.fault,
                    replayed=outcome.replayed,
                    traceparent=_header(headers, b"traceparent"),
                )
            )

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, key: str | None, outcome: _Outcome
    ) -> None:
        limit = self.state.max_concurrency
        if limit is not None and self.state.stats.in_flight > limit:
            self.state.stats.rejected()
            outcome.status = 503
            await wire.send_whole(
                send, wire.json_response(503, {"detail": error_envelope("Server at capacity")})
            )
            return

        decision = self.state.faults.decide(scope["method"], scope["path"])
        fault = decision.fault
        if fault is not None:
            outcome.fault = fault.kind.value
        elif decision.latency > 0:
            outcome.fault = FaultKind.LATENCY.value
        # The body is read before the injected latency, as a real server reads a request
        # and then works slowly: a client that times out meanwhile must not make the
        # handler run on an empty body (a bogus side effect under its Idempotency-Key).
        body = await _read_body(receive)
        if decision.latency > 0:
            await asyncio.sleep(decision.latency)
        if body is None:
            return  # the client left before sending its whole body: no handler runs

        if fault is not None and fault.kind is FaultKind.STATUS:
            outcome.status = fault.status
            await wire.send_whole(send, _fault_response(fault))
            return
        if fault is not None and fault.kind is FaultKind.RESET:
            await wire.drop_connection(send)
            return

        response = await self._respond(scope, receive, body, key, outcome)
        await self._deliver(send, response, fault, outcome)

    async def _respond(
        self, scope: Scope, receive: Receive, body: bytes, key: str | None, outcome: _Outcome
    ) -> StoredResponse:
        if key is None:
            self.state.stats.handler_ran(None)
            return await self._run_app(scope, receive, body)
        query: bytes = scope.get("query_string", b"")
        try:
            lock = self.state.idempotency.entry_lock(
                key, fingerprint(scope["method"], scope["path"], query, body)
            )
        except KeyReusedError:
            message = "Idempotency-Key was already used for a different request"
            return wire.json_response(422, {"detail": error_envelope(message, code="KEY_REUSED")})
        async with lock:
            stored = self.state.idempotency.get(key)
            if stored is not None:
                outcome.replayed = True
                return StoredResponse(
                    stored.status, [*stored.headers, (b"idempotent-replayed", b"true")], stored.body
                )
            self.state.stats.handler_ran(key)
            response = await self._run_app(scope, receive, body)
            if 200 <= response.status < 300:
                self.state.idempotency.store(key, response)
            return response

    async def _run_app(self, scope: Scope, receive: Receive, body: bytes) -> StoredResponse:
        """Run the service to completion and keep its answer (to store, cut or slow it)."""
        body_sent = False

        async def replay_receive() -> Message:
            nonlocal body_sent
            if not body_sent:
                body_sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # the real disconnect, if the client goes away

        status = 500
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        started = False

        async def capture(message: Message) -> None:
            nonlocal status, headers, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, replay_receive, capture)
        except Exception:
            # Starlette answers 500 and re-raises; keep that answer, log the cause.
            logger.exception("unhandled error in the fake service")
            if not started:
                return wire.json_response(500, {"detail": error_envelope("Internal error")})
        return StoredResponse(status, headers, b"".join(chunks))

    async def _deliver(
        self, send: Send, response: StoredResponse, fault: FaultRule | None, outcome: _Outcome
    ) -> None:
        kind = fault.kind if fault is not None else None
        if kind is FaultKind.RESET_AFTER:
            await wire.drop_connection(send)
        elif kind is FaultKind.TRUNCATE:
            outcome.status = response.status
            await wire.send_truncated(send, response)
        elif kind is FaultKind.SLOW_BODY and fault is not None:
            outcome.status = response.status
            await wire.send_slowly(send, response, fault.chunk_size, fault.chunk_delay)
        else:
            outcome.status = response.status
            await wire.send_whole(send, response)


def _header(headers: dict[bytes, bytes], name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value is not None else None


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None when the client disconnected before sending it."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _fault_response(fault: FaultRule) -> StoredResponse:
    headers = [(b"x-fault-injected", fault.kind.value.encode())]
    if fault.retry_after is not None:
        headers.append((b"retry-after", fault.retry_after.encode("latin-1")))
    message = f"Injected fault: HTTP {fault.status}"
    payload = {"detail": error_envelope(message, code="INJECTED_FAULT")}
    return wire.json_response(fault.status, payload, headers)
