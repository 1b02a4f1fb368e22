"""``<name>_events``: emitted for text/event-stream answers, typed, wired to ``_events``."""

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
from sse_spec import PACKAGE, ticker_spec

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("events_gen")
    generate(ticker_spec(), out, PACKAGE)
    sys.path.insert(0, str(out))
    try:
        yield out
    finally:
        sys.path.remove(str(out))
        for mod in [m for m in sys.modules if m.startswith(PACKAGE)]:
            del sys.modules[mod]


def test_events_twin_for_each_event_stream_answer() -> None:
    files, _ = render_files(ticker_spec(), package=PACKAGE)
    client = files["_client.py"]
    assert ") -> EventStream[models.Tick]:" in client
    assert ") -> EventStream[models.Progress]:" in client
    assert ") -> EventStream[str]:" in client
    assert 'events=ResponseSpec("json", lazy=lambda: models.Tick)' in client
    assert 'events=ResponseSpec("text")' in client
    assert client.count("return self._events(") == 3
    # an operation answering only events returns them from its plain method too (the
    # runtime's _request opens the stream); one offering JSON as well keeps the JSON
    assert client.count("events_only=True") == 2
    assert client.count(") -> EventStream[models.Tick]:") == 2
    assert client.count(") -> EventStream[str]:") == 2
    assert ") -> models.Job:" in client and ") -> str:" not in client
    assert "Operation[EventStream[models.Tick]]" in client
    assert "from resilient_client import EventStream" in files["testing.py"]


def test_events_method_mirrors_the_plain_method(generated: Path) -> None:
    cls = importlib.import_module(PACKAGE).TickerClient
    for plain, twin in (("watch_ticks", "watch_ticks_events"), ("run_job", "run_job_events")):
        assert list(inspect.signature(getattr(cls, twin)).parameters) == list(
            inspect.signature(getattr(cls, plain)).parameters
        )
        assert not inspect.iscoroutinefunction(getattr(cls, twin))
    assert "Last-Event-ID" in (cls.watch_ticks_events.__doc__ or "")


async def test_events_method_yields_typed_events(generated: Path) -> None:
    module = importlib.import_module(PACKAGE)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = b'id: 1\ndata: {"percent": 50}\n\nid: 2\ndata: {"percent": 100.0}\n\n'
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = module.TickerClient(http_client=http)
    async with client, client.run_job_events(name="build") as events:
        received = [event async for event in events]
    assert [event.data for event in received] == [
        module.models.Progress(percent=50),
        module.models.Progress(percent=100),
    ]
    assert [event.id for event in received] == ["1", "2"]
    assert seen[0].headers["accept"] == "text/event-stream"
    assert seen[0].content == b'{"name":"build"}'


USAGE = """
from ticker_client import TickerClient
from ticker_client.models import Progress, Tick


async def follow(client: TickerClient) -> int:
    total = 0
    async with client.watch_ticks_events(every=1) as ticks:
        async for event in ticks:
            tick: Tick = event.data
            total += tick.n
            name: str = event.event
            last: str | None = event.id
    async for line in client.tail_log_events():
        text: str = line.data
    async for progress in client.run_job_events(name="x"):
        value: Progress = progress.data
    async for plain in await client.watch_ticks(every=2):
        total += plain.data.n
    async with await client.tail_log() as lines:
        async for line in lines:
            text = line.data
    return total


async def wrong(client: TickerClient) -> None:
    async for event in client.watch_ticks_events():
        label: str = event.data.n
"""


@pytest.mark.slow
def test_events_method_passes_mypy_strict_and_types_the_data(generated: Path) -> None:
    (generated / "usage_events.py").write_text(USAGE)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(generated / ".mypy_cache"), "--no-error-summary",
         PACKAGE, "usage_events.py"],
        cwd=generated,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": f"{generated}{os.pathsep}{ROOT}"},
    )  # fmt: skip
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    # exactly the deliberate mistake: the tick's int assigned to a str
    assert len(errors) == 1, result.stdout[-4000:] + result.stderr[-2000:]
    assert "usage_events.py:28" in errors[0] and "int" in errors[0]


async def test_the_mock_answers_json_or_events_as_the_request_asks(generated: Path) -> None:
    """``run_job`` answers JSON or events: the plain method asks for JSON (a server that
    negotiates would otherwise be free to stream, httpx's own Accept being ``*/*``), and
    the typed mock keeps both answers, each for the request that asks for it."""
    module = importlib.import_module(PACKAGE)
    testing = importlib.import_module(f"{PACKAGE}.testing")
    with testing.MockTickerClient() as mock:
        mock.run_job.returns(module.models.Job(id="j1"))
        mock.run_job.returns_events({"percent": 5}, {"percent": 100})
        async with module.TickerClient() as client:
            job = await client.run_job(name="build")
            async with client.run_job_events(name="build") as events:
                progress = [event.data.percent async for event in events]
            # a caller's own Accept still wins
            await client.run_job(name="build", extra_headers={"Accept": "application/vnd.x+json"})
    assert job == module.models.Job(id="j1")
    assert progress == [5, 100]
    assert [request.headers["accept"] for request in mock.run_job.calls] == [
        "application/json",
        "text/event-stream",
        "application/vnd.x+json",
    ]
