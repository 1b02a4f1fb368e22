"""Fault servers on 127.0.0.1 for the fault_server tests (one fresh server per test)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from fault_server.testing import FakeClock, RunningServer, serve


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def stamping(clock: FakeClock) -> Iterator[RunningServer]:
    with serve("metadata-stamping", clock=clock) as srv:
        yield srv


@pytest.fixture
def onextree() -> Iterator[RunningServer]:
    with serve("onextree") as srv:
        yield srv


@pytest.fixture
async def client(stamping: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    async with stamping.async_client() as c:
        yield c


@pytest.fixture
async def tree_client(onextree: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    async with onextree.async_client() as c:
        yield c
