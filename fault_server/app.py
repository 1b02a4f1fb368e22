"""Assemble one fault server: a fake service behind the fault layer, plus the control API."""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from fault_server.control import create_control_app
from fault_server.faults import Clock, FaultState
from fault_server.metadata_stamping import metadata_stamping_app
from fault_server.middleware import FaultMiddleware
from fault_server.onextree import onextree_app
from fault_server.stamping_service import StampingService
from fault_server.stamping_store import StampStore
from fault_server.state import SERVICE_SCOPE_KEY, ServerState
from fault_server.tree import TreeState

SERVICES = ("metadata-stamping", "onextree")
DEFAULT_PORTS = {"metadata-stamping": 8053, "onextree": 8058}


class FaultServerApp:
    """The ASGI app uvicorn serves; ``.state`` is the handle tests and the control API use."""

    def __init__(self, state: ServerState, service_app: ASGIApp, service_context: Any) -> None:
        self.state = state
        self.service_app = service_app
        self._service_context = service_context
        self._control: ASGIApp | None = None
        self._asgi = FaultMiddleware(service_app, state, self._control_app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The fake's app is shared by every server in the process; this server's data
        # travels with each request.
        await self._asgi({**scope, SERVICE_SCOPE_KEY: self._service_context}, receive, send)

    async def _control_app(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Built on first use: most test servers never see a control request.
        if self._control is None:
            self._control = create_control_app(self.state)
        await self._control(scope, receive, send)


def create_app(
    service: str,
    *,
    clock: Clock | None = None,
    max_concurrency: int | None = None,
    tree_root: str | None = None,
    **service_options: Any,
) -> FaultServerApp:
    """A fresh server for ``service`` ("metadata-stamping" or "onextree"), no faults set.

    ``tree_root`` loads an OnexTree tree at start, as if POST /generate had been called.
    ``service_options`` go to the fake (``max_content_bytes`` and ``max_file_bytes`` for
    metadata-stamping).
    """
    faults = FaultState(clock) if clock is not None else FaultState()
    context: Any
    if service == "metadata-stamping":
        if tree_root is not None:
            raise ValueError("tree_root only applies to the onextree service")
        context = StampingService(StampStore(), **service_options)
        state = ServerState(service, faults, service_state=context.store)
        service_app: ASGIApp = metadata_stamping_app()
    elif service == "onextree":
        if service_options:
            raise ValueError(f"onextree takes no options: {sorted(service_options)}")
        context = TreeState()
        if tree_root is not None:
            context.generate(tree_root)
        state = ServerState(service, faults, service_state=context)
        service_app = onextree_app()
    else:
        raise ValueError(f"unknown service {service!r}; choose one of {', '.join(SERVICES)}")
    state.max_concurrency = max_concurrency
    return FaultServerApp(state, service_app, context)
