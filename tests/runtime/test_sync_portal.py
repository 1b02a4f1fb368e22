"""The sync client's portal: the async pipeline run on a private loop thread.

``ItemSyncClient`` drives ``ItemClient`` (runtime_helpers) exactly as generated sync
clients do (``self._call(self._async.<op>(...))``); HTTP is mocked with respx, which
patches httpx for every thread, and time is the fake clock and sleep.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import inspect
import os
import signal
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from fakes import FakeClock, FakeSleep
from runtime_helpers import BASE, Item, ItemClient

from resilient_client import (
    BulkheadConfig,
    CircuitBreakerConfig,
    CircuitOpenError,
    CircuitState,
    ClientClosedError,
    ClientConfig,
    NotFoundError,
    ServerError,
    correlation_scope,
)
from resilient_client.sync import SyncServiceClient

OK = {"id": 1, "name": "a"}
PROBE: contextvars.ContextVar[str] = contextvars.ContextVar("probe", default="unset")


class ItemSyncClient(SyncServiceClient[ItemClient]):
    _async_class = ItemClient

    def get_item(self, item_id: int, **kwargs: Any) -> Item:
        return self._call(self._async.get_item(item_id, **kwargs))

    def create_item(self, name: str, **kwargs: Any) -> Item:
        return self._call(self._async.create_item(name, **kwargs))


def portal_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "ItemSyncClient"]


@pytest.fixture
def respx_sync() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
def client(clock: FakeClock, sleeper: FakeSleep) -> Iterator[ItemSyncClient]:
    with ItemSyncClient(clock=clock, sleep=sleeper) as sync:
        sync._async._rt.rand = lambda: 1.0  # jitter off: exact delays
        yield sync


def test_retries_with_the_injected_clock_and_sleep(
    respx_sync: respx.MockRouter, client: ItemSyncClient, sleeper: FakeSleep
) -> None:
    route = respx_sync.get("/items/1")
    route.side_effect = [httpx.Response(503), httpx.Response(502), httpx.Response(200, json=OK)]
    item = client.get_item(1)
    assert item == Item(id=1, name="a")
    assert route.call_count == 3
    assert sleeper.delays == [0.5, 1.0]  # the async client's backoff, on the fake sleep
    snapshot = client.metrics()
    assert snapshot.total.calls == 1 and snapshot.total.retries == 2


def test_errors_keep_their_types_and_details(
    respx_sync: respx.MockRouter, client: ItemSyncClient
) -> None:
    respx_sync.get("/items/9").respond(404, json={"detail": "no item 9"})
    with pytest.raises(NotFoundError) as info:
        client.get_item(9)
    assert info.value.status == 404
    assert info.value.operation == "get_item"
    assert "no item 9" in str(info.value)
    # the traceback reaches into the pipeline: the same exception object, not a copy
    assert any("_outer" in str(frame.path) for frame in info.traceback)


def test_breaker_state_is_shared_with_the_async_pipeline(
    respx_sync: respx.MockRouter, clock: FakeClock, sleeper: FakeSleep
) -> None:
    respx_sync.get("/items/1").respond(500)
    config = ClientConfig(circuit_breaker=CircuitBreakerConfig(failure_threshold=2))
    with ItemSyncClient(config=config, clock=clock, sleep=sleeper, max_retries=0) as sync:
        for _ in range(2):
            with pytest.raises(ServerError):
                sync.get_item(1)
        assert sync.circuit_breaker.state is CircuitState.OPEN
        with pytest.raises(CircuitOpenError):
            sync.get_item(1)


def test_the_callers_context_reaches_the_pipeline(
    respx_sync: respx.MockRouter, client: ItemSyncClient
) -> None:
    route = respx_sync.get("/items/1").respond(200, json=OK)
    with correlation_scope("3f0c-sync"):
        client.get_item(1)
    assert route.calls.last.request.headers["x-correlation-id"] == "3f0c-sync"
    raw = client.with_raw_response(client.get_item, 1)
    assert raw.parsed == Item(id=1, name="a")
    assert raw.status_code == 200 and raw.attempts == 1
    assert raw.url == f"{BASE}/items/1"


@pytest.mark.parametrize("receiver", ["main", "loop"])
def test_a_ctrl_c_cancels_the_call_and_frees_its_slot(
    respx_sync: respx.MockRouter, clock: FakeClock, sleeper: FakeSleep, receiver: str
) -> None:
    """SIGINT sent to the waiting main thread, or to the loop's thread (the OS may pick
    any thread): either way the caller gets KeyboardInterrupt and the task is cancelled."""
    started = threading.Event()
    cancelled = threading.Event()

    async def hang(request: httpx.Request) -> httpx.Response:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return httpx.Response(200, json=OK)

    route = respx_sync.get("/items/1")
    route.side_effect = [hang, httpx.Response(200, json=OK)]
    config = ClientConfig(bulkhead=BulkheadConfig(max_concurrency=1, acquire_timeout=0.5))
    with ItemSyncClient(config=config, clock=clock, sleep=sleeper) as sync:

        def interrupt() -> None:
            if started.wait(10):
                (loop_thread,) = portal_threads()
                target = threading.main_thread() if receiver == "main" else loop_thread
                assert target.ident is not None
                signal.pthread_kill(target.ident, signal.SIGINT)

        threading.Thread(target=interrupt, daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            sync.get_item(1)
        # the task was cancelled (not left to run its 30 s) before the interrupt propagated
        assert cancelled.is_set()
        # the one bulkhead slot was given back: the next call gets it at once
        assert sync.get_item(1) == Item(id=1, name="a")
        assert sync.circuit_breaker.state is CircuitState.CLOSED  # cancellation is no failure


def test_close_is_idempotent_and_later_calls_raise(
    respx_sync: respx.MockRouter, clock: FakeClock, sleeper: FakeSleep
) -> None:
    respx_sync.get("/items/1").respond(200, json=OK)
    sync = ItemSyncClient(clock=clock, sleep=sleeper)
    assert not portal_threads()  # started lazily
    sync.get_item(1)
    (thread,) = portal_threads()
    sync.close()
    sync.close()
    assert sync.closed and not thread.is_alive()
    with pytest.raises(ClientClosedError):
        sync.get_item(1)


def test_a_client_never_called_starts_no_thread_and_closes() -> None:
    before = threading.active_count()
    with ItemSyncClient() as sync:
        assert sync.base_url == BASE
        assert sync.metrics().total.calls == 0
    assert threading.active_count() == before
    assert sync.closed


def test_a_collected_client_stops_its_thread(respx_sync: respx.MockRouter) -> None:
    respx_sync.get("/items/1").respond(200, json=OK)
    sync = ItemSyncClient()
    sync.get_item(1)
    (thread,) = portal_threads()
    del sync
    gc.collect()
    thread.join(5)
    assert not thread.is_alive()


def test_many_threads_share_one_client(
    respx_sync: respx.MockRouter, client: ItemSyncClient
) -> None:
    route = respx_sync.get(url__regex=r"/items/\d+$")
    route.side_effect = lambda request: httpx.Response(
        200, json={"id": int(request.url.path.rsplit("/", 1)[1]), "name": "n"}
    )
    results: list[int] = []
    errors: list[BaseException] = []

    def worker(offset: int) -> None:
        try:
            for i in range(20):
                results.append(client.get_item(offset * 100 + i).id)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sorted(results) == sorted(n * 100 + i for n in range(8) for i in range(20))
    assert route.call_count == 160
    assert client.metrics().total.calls == 160
    assert len(portal_threads()) == 1


def test_works_inside_a_running_event_loop(
    respx_sync: respx.MockRouter, client: ItemSyncClient
) -> None:
    respx_sync.get("/items/1").respond(200, json=OK)

    async def main() -> Item:
        return client.get_item(1)  # blocks this loop while the portal's loop works

    assert asyncio.run(main()) == Item(id=1, name="a")


def test_set_fallback_set_auth_and_cache_run_on_the_client(
    respx_sync: respx.MockRouter, client: ItemSyncClient
) -> None:
    route = respx_sync.get("/items/1")
    route.side_effect = httpx.ConnectError("refused")
    client.set_fallback("get_item", lambda error, call: Item(id=0, name="fallback"))
    assert client.get_item(1, max_attempts=1) == Item(id=0, name="fallback")
    assert client.metrics().operations["get_item"].calls == 1
    route.side_effect = None
    route.return_value = httpx.Response(200, json=OK)
    client.set_auth("tok-123")
    client.get_item(1)
    assert route.calls.last.request.headers["authorization"] == "Bearer tok-123"
    assert client.cache_stats().size == 0
    client.clear_cache()


def test_an_http_client_must_be_async() -> None:
    with httpx.Client() as blocking, pytest.raises(TypeError, match="AsyncClient"):
        ItemSyncClient(http_client=blocking)  # type: ignore[arg-type]


def test_the_client_maps_pages_and_event_streams_through_its_portal(
    respx_sync: respx.MockRouter, client: ItemSyncClient
) -> None:
    """How generated code maps ``<op>_iter`` (an async iterator) and an event stream (an
    async context manager yielding an async iterator) onto blocking ones."""
    respx_sync.get(url__regex=r"/items/\d+$").mock(
        side_effect=lambda request: httpx.Response(
            200, json={"id": int(request.url.path.rsplit("/", 1)[1]), "name": "n"}
        )
    )
    inner = client._async

    async def pages() -> AsyncIterator[Item]:
        for item_id in (1, 2, 3):
            yield await inner.get_item(item_id)

    @asynccontextmanager
    async def events() -> AsyncIterator[AsyncIterator[Item]]:
        yield pages()

    with correlation_scope("paged"):
        assert [item.id for item in client._iterate(pages())] == [1, 2, 3]
        with client._context(events(), client._sync_iterator) as stream:
            assert [item.id for item in stream] == [1, 2, 3]
    sent = [call.request.headers["x-correlation-id"] for call in respx_sync.calls]
    assert sent == ["paged"] * 6


def test_a_forked_child_gets_an_error_not_a_hang(
    respx_sync: respx.MockRouter, client: ItemSyncClient
) -> None:
    respx_sync.get("/items/1").respond(200, json=OK)
    client.get_item(1)  # the loop thread runs in this (the parent) process
    pid = os.fork()
    if pid == 0:  # the child: its copy of the client has no loop thread
        try:
            client.get_item(1)
        except RuntimeError as exc:
            os._exit(0 if "os.fork()" in str(exc) else 2)
        os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert client.get_item(1) == Item(id=1, name="a")  # the parent's client still works


def test_the_constructor_and_stream_view_match_the_async_ones() -> None:
    """A parameter added to BaseServiceClient (or a property to StreamedResponse) must
    reach the sync client too: this fails until it does."""
    from resilient_client import BaseServiceClient, StreamedResponse
    from resilient_client.sync import SyncStreamedResponse

    def parameters(function: Any) -> list[tuple[str, Any, Any, Any]]:
        signature = inspect.signature(function)
        return [(p.name, p.kind, p.default, p.annotation) for p in signature.parameters.values()]

    assert parameters(SyncServiceClient.__init__) == parameters(BaseServiceClient.__init__)
    async_members = {n for n in dir(StreamedResponse) if not n.startswith("_")}
    sync_members = {n for n in dir(SyncStreamedResponse) if not n.startswith("_")}
    # aclose, verdict and fail belong to the pipeline and to body interpreters (an event
    # stream's decoder), which run on the loop: the block's caller never needs them
    assert async_members - sync_members == {"aclose", "fail", "verdict"}


def test_a_client_left_open_at_exit_closes_quietly(tmp_path: Any) -> None:
    script = (
        "import httpx, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from runtime_helpers import ItemClient\n"
        "from resilient_client.sync import SyncServiceClient\n"
        "class S(SyncServiceClient[ItemClient]):\n"
        "    _async_class = ItemClient\n"
        "    def get_item(self, i):\n"
        "        return self._call(self._async.get_item(i))\n"
        "ok = httpx.Response(200, json={'id': 1, 'name': 'a'})\n"
        "http = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: ok))\n"
        "CLIENT = S(http_client=http)\n"
        "print(CLIENT.get_item(1).name)\n"
    )
    here = str(Path(__file__).resolve().parent)
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", script, here],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and done.stdout == "a\n", done.stderr
    assert done.stderr == ""  # no warning, no traceback from the loop thread at exit
