"""Fixtures shared by every test suite: a fake monotonic clock and a fake sleep; and a
guard that the suite reads only what the project ships."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeClock, FakeSleep
from redis_server import RedisServer

# A developer's checkout has reference material beside it (``../shared``); a user's clone
# does not. A test that reads it passes here and fails there, so reading it fails here.
_BESIDE = str(Path(__file__).resolve().parents[2] / "shared") + os.sep
_reads_beside: list[str] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        path = os.fsdecode(args[0])
        if path.startswith(_BESIDE):
            _reads_beside.append(path)


sys.addaudithook(_audit)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _reads_beside:
        shown = ", ".join(sorted(set(_reads_beside))[:5])
        session.config.get_terminal_writer().line()
        session.config.get_terminal_writer().line(
            f"tests read files beside the checkout, which a user's clone lacks: {shown}"
            " (vendor them under tests/data/)",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleeper(clock: FakeClock) -> FakeSleep:
    return FakeSleep(clock)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One real redis-server for the session (no persistence, a free loopback port)."""
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.stop()
