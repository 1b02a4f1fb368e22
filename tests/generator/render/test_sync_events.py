"""Server-sent events through ``<Name>SyncClient``: ``<op>_events`` and the plain method
of an events-only operation return a ``SyncEventStream`` (``with``, ``for``)."""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from _gen import generate, render_files
from sse_spec import ticker_spec

from resilient_client import NotFoundError

PACKAGE = "ticker_sync_client"
ROOT = Path(__file__).resolve().parents[3]
TICKS = b'retry: 10\n\nid: 1\ndata: {"n": 1, "phase": "odd"}\n\nid: 2\ndata: {"n": 2, "phase": "even"}\n\n'


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("sync_events_gen")
    generate(ticker_spec(), out, PACKAGE)
    sys.path.insert(0, str(out))
    try:
        yield out
    finally:
        sys.path.remove(str(out))
        for mod in [m for m in sys.modules if m.startswith(PACKAGE)]:
            del sys.modules[mod]


def test_event_methods_are_rendered_blocking() -> None:
    files, _ = render_files(ticker_spec(), package=PACKAGE)
    sync = files["_sync_client.py"]
    assert "from resilient_client.sync import SyncEventStream, SyncServiceClient" in sync
    assert sync.count(") -> SyncEventStream[models.Tick]:") == 2  # plain (events only) + twin
    assert sync.count(") -> SyncEventStream[str]:") == 2
    assert ") -> SyncEventStream[models.Progress]:" in sync and ") -> models.Job:" in sync
    assert "async for" not in sync and "await " not in sync


def test_every_async_method_has_a_blocking_twin(generated: Path) -> None:
    module = importlib.import_module(PACKAGE)
    async_cls, sync_cls = module.TickerClient, module.TickerSyncClient
    names = [n for n, v in vars(async_cls).items() if callable(v) and not n.startswith("_")]
    assert {"watch_ticks", "watch_ticks_events", "run_job_events", "tail_log"} <= set(names)
    for name in names:
        assert inspect.signature(getattr(sync_cls, name)).parameters == (
            inspect.signature(getattr(async_cls, name)).parameters
        ), name


def test_events_stream_through_the_sync_client(generated: Path) -> None:
    module = importlib.import_module(PACKAGE)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.params.get("every") == "404":
            return httpx.Response(404, json={"detail": "no such ticker"})
        if request.url.path == "/jobs":
            body = b'id: 7\ndata: {"percent": 50}\n\n'
            return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})
        return httpx.Response(200, content=TICKS, headers={"content-type": "text/event-stream"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    with module.TickerSyncClient(http_client=http) as client:
        with client.watch_ticks_events(every=1) as ticks:
            assert ticks.response is not None and ticks.response.status_code == 200
            numbers = [event.data.n for event in ticks]
        assert ticks.last_event_id == "2"
        plain = [event.data.n for event in client.watch_ticks(every=2)]  # connected already
        progress = [event.data.percent for event in client.run_job_events(name="build")]
        with pytest.raises(NotFoundError):
            client.watch_ticks(every=404)  # the status is checked when the method returns
        early = client.watch_ticks_events()
        with early:
            first = next(iter(early))
        assert first.id == "1"
        assert client.metrics().operations["watch_ticks"].calls >= 3
    assert numbers == [1, 2] and plain == [1, 2] and progress == [50]
    assert all(r.headers["accept"] == "text/event-stream" for r in seen)


USAGE = """
from ticker_sync_client import TickerSyncClient
from ticker_sync_client.models import Tick


def follow(client: TickerSyncClient) -> int:
    total = 0
    with client.watch_ticks_events(every=1) as ticks:
        for event in ticks:
            tick: Tick = event.data
            total += tick.n
    for line in client.tail_log():
        text: str = line.data
    return total


def wrong(client: TickerSyncClient) -> None:
    for event in client.watch_ticks_events():
        label: str = event.data.n
"""


@pytest.mark.slow
def test_sync_events_pass_mypy_strict_and_type_the_data(generated: Path) -> None:
    (generated / "usage_sync_events.py").write_text(USAGE)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(generated / ".mypy_cache"), "--no-error-summary",
         PACKAGE, "usage_sync_events.py"],
        cwd=generated,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": f"{generated}{os.pathsep}{ROOT}"},
    )  # fmt: skip
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, result.stdout[-4000:] + result.stderr[-2000:]
    assert "usage_sync_events.py:19" in errors[0] and "int" in errors[0]
