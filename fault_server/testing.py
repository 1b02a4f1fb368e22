"""Run a fault server inside a test: real uvicorn, real sockets, 127.0.0.1, a free port.

Synchronous tests and fixtures::

    from fault_server.testing import serve

    with serve("metadata-stamping") as srv:
        srv.faults.fail_next(2, status=503, retry_after=0.05)
        ...  # point a client at srv.base_url
        assert srv.stats.requests == 3

Async tests::

    async with running_server("onextree", tree_root=str(tmp_path)) as srv:
        ...

A restart (a deploy, a crashed process coming back) on the same port, keeping what the
server holds::

    srv.restart(downtime=0.5)      # or: await asyncio.to_thread(srv.restart, 0.5)

A pytest fixture::

    @pytest.fixture
    def stamping():
        with serve("metadata-stamping") as srv:
            yield srv

The server runs on its own event loop in a daemon thread, so it works with any test
event loop (and with none), and a client blocking its loop cannot stall the server.
Start-up takes a few milliseconds; stopping closes every connection and joins the thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import uvicorn

from fault_server.app import FaultServerApp, create_app
from fault_server.faults import Clock, FaultState, apply_startup_faults
from fault_server.stamping_store import StampStore
from fault_server.state import ServerState
from fault_server.stats import Stats
from fault_server.tree import TreeState

HOST = "127.0.0.1"
# Plain HTTP on loopback never uses TLS; not loading the CA bundle saves 0.1-0.3 s per client.
_LOOPBACK_DEFAULTS: dict[str, Any] = {"verify": False, "timeout": 5.0}
START_TIMEOUT = 10.0
#: How long in-flight requests may finish when the server stops before they are cut off.
STOP_GRACE = 0.2


class FakeClock:
    """A settable monotonic clock for fault windows: ``clock.advance(5)`` instead of sleeping."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


class _ThreadServer(uvicorn.Server):
    """uvicorn.Server that stops on an event (not a 0.1 s polling tick) and stops fast."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        #: seconds in-flight requests may still run once stopping begins
        self.grace = STOP_GRACE

    async def main_loop(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        await self.on_tick(0)  # sets the default Date/Server headers once
        self.ready.set()
        await self._stop.wait()

    def request_stop(self) -> None:
        loop, stop = self.loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # loop already stopped
                loop.call_soon_threadsafe(stop.set)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        loop = asyncio.get_running_loop()
        for server in self.servers:
            server.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        deadline = loop.time() + self.grace
        while self.server_state.tasks and loop.time() < deadline:
            await asyncio.sleep(0.005)
        for task in list(self.server_state.tasks):
            task.cancel()
        for connection in list(self.server_state.connections):
            transport = getattr(connection, "transport", None)
            if transport is not None:
                transport.abort()
        for server in self.servers:
            await server.wait_closed()


class RunningServer:
    """A started fault server: where it listens and direct access to its state."""

    def __init__(self, app: FaultServerApp, sock: socket.socket, server: _ThreadServer) -> None:
        self.app = app
        self._sock = sock
        self._server = server
        self.host, self.port = sock.getsockname()[:2]
        self._thread = self._new_thread()
        self._error: BaseException | None = None
        #: how many times ``restart`` brought the server back
        self.restarts = 0

    def _new_thread(self) -> threading.Thread:
        name = f"fault-server-{self.app.state.service}-{self.port}"
        return threading.Thread(target=self._run, name=name, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def state(self) -> ServerState:
        return self.app.state

    @property
    def faults(self) -> FaultState:
        return self.app.state.faults

    @property
    def stats(self) -> Stats:
        return self.app.state.stats

    @property
    def service_state(self) -> Any:
        """The fake's data: ``StampStore`` (metadata-stamping) or ``TreeState`` (onextree)."""
        return self.app.state.service_state

    def async_client(self, **options: Any) -> httpx.AsyncClient:
        """An ``httpx.AsyncClient`` for this server (close it; ``async with`` does)."""
        return httpx.AsyncClient(base_url=self.base_url, **(_LOOPBACK_DEFAULTS | options))

    def client(self, **options: Any) -> httpx.Client:
        """A synchronous ``httpx.Client`` for this server."""
        return httpx.Client(base_url=self.base_url, **(_LOOPBACK_DEFAULTS | options))

    async def wait_idle(self, timeout: float = 2.0) -> None:
        """Wait (off the event loop) until the server has finished every request.

        Needed before asserting on counters after a dropped connection or a client
        timeout: the client gives up before the server is done with the request.
        """
        await asyncio.to_thread(self.stats.wait_idle, timeout)

    @property
    def stamp_store(self) -> StampStore:
        """The metadata-stamping fake's stamps (``stamps_created`` counts real inserts)."""
        store = self.app.state.service_state
        if not isinstance(store, StampStore):
            raise TypeError(f"{self.app.state.service} has no stamp store")
        return store

    @property
    def tree_state(self) -> TreeState:
        """The onextree fake's loaded tree (``.tree`` is None until one is generated)."""
        tree = self.app.state.service_state
        if not isinstance(tree, TreeState):
            raise TypeError(f"{self.app.state.service} has no tree")
        return tree

    def reset(self) -> None:
        """No faults, zero counters, no stored idempotent answers (service data is kept)."""
        self.app.state.reset()

    def _run(self) -> None:
        try:
            self._server.run(sockets=[self._sock])
        except BaseException as exc:  # surfaced by start(); a thread cannot raise to the test
            self._error = exc
        finally:
            self._server.ready.set()

    def start(self) -> None:
        self._thread.start()
        if not self._server.ready.wait(START_TIMEOUT) or not self._server.started:
            self.stop()
            raise RuntimeError(f"fault server did not start: {self._error!r}")

    def stop(self) -> None:
        self._server.should_exit = True
        self._server.request_stop()
        if self._thread.is_alive():
            self._thread.join(timeout=self._server.grace + 5.0)
        self._sock.close()
        if self._thread.is_alive():
            raise RuntimeError("fault server thread did not stop")

    def restart(self, downtime: float = 0.0, *, grace: float = STOP_GRACE) -> None:
        """Stop, stay down ``downtime`` seconds, then serve again on the same port.

        What a deploy or a crashed process coming back does to a client: the open
        connections are closed (a request still running after ``grace`` seconds is cut
        off; a deploy's drain gives it longer than a crash), and new connections are
        refused while the server is down. Everything the server holds survives: the
        fake's data, stored idempotent answers, counters and fault rules, as they would
        in a service that keeps its state in a database. So a retry reaching the new
        process after a lost answer is still replayed, and side effects per
        ``Idempotency-Key`` are counted across the restart. Blocking: from async code use
        ``await asyncio.to_thread(srv.restart, downtime)``.
        """
        self._server.grace = grace
        self.stop()
        if downtime > 0:
            time.sleep(downtime)
        self.app.state.idempotency.renew_locks()  # the new server runs on a new loop
        self._sock = _listening_socket(self.host, self.port)
        self._server = _ThreadServer(self._server.config)
        self._thread = self._new_thread()
        self._error = None
        self.start()
        self.restarts += 1


def start_server(
    service: str,
    *,
    port: int = 0,
    clock: Clock | None = None,
    max_concurrency: int | None = None,
    tree_root: str | None = None,
    fail_next: int = 0,
    fail_for: float | None = None,
    fail_status: int = 503,
    retry_after: float | int | str | None = None,
    latency: float | None = None,
    reset_next: int = 0,
    truncate_next: int = 0,
    fail_rate: float | None = None,
    reset_rate: float | None = None,
    latency_rate: float | None = None,
    seed: int | None = None,
    log_level: str = "warning",
    **service_options: Any,
) -> RunningServer:
    """Start a server and return it running; the caller must ``stop()`` it (see ``serve``)."""
    app = create_app(
        service,
        clock=clock,
        max_concurrency=max_concurrency,
        tree_root=tree_root,
        **service_options,
    )
    apply_startup_faults(
        app.state.faults,
        fail_next=fail_next,
        fail_for=fail_for,
        fail_status=fail_status,
        retry_after=retry_after,
        latency=latency,
        reset_next=reset_next,
        truncate_next=truncate_next,
        fail_rate=fail_rate,
        reset_rate=reset_rate,
        latency_rate=latency_rate,
        seed=seed,
    )
    sock = _listening_socket(HOST, port)
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        http="h11",  # drop_connection reaches the transport through h11's request cycle
        loop="asyncio",
        ws="none",
    )
    running = RunningServer(app, sock, _ThreadServer(config))
    running.start()
    return running


def _listening_socket(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose proto
    # says TCP, and without it every response written in two parts stalls ~40 ms (Nagle
    # against delayed ACKs). SO_REUSEADDR lets a restart bind the port it just left.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


@contextlib.contextmanager
def serve(service: str, **options: Any) -> Iterator[RunningServer]:
    """``with serve("onextree", tree_root=...) as srv:``; options as for ``start_server``."""
    running = start_server(service, **options)
    try:
        yield running
    finally:
        running.stop()


@contextlib.asynccontextmanager
async def running_server(service: str, **options: Any) -> AsyncIterator[RunningServer]:
    """The async form of ``serve``; start and stop run off the event loop."""
    running = await asyncio.to_thread(start_server, service, **options)
    try:
        yield running
    finally:
        await asyncio.to_thread(running.stop)
