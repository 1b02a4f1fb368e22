"""Fault servers on 127.0.0.1 for the fault_server tests (one fresh server per test).

The servers come from the shipped pytest plugin, so these tests exercise it too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from fault_server.pytest_plugin import (  # noqa: F401 - fixtures are found by name
    fault_clock,
    metadata_stamping_server,
    onextree_server,
)
from fault_server.testing import FakeClock, RunningServer


@pytest.fixture
def clock(fault_clock: FakeClock) -> FakeClock:  # noqa: F811 - the imported fixture
    return fault_clock


@pytest.fixture
def stamping(metadata_stamping_server: RunningServer) -> RunningServer:  # noqa: F811
    return metadata_stamping_server


@pytest.fixture
def onextree(onextree_server: RunningServer) -> RunningServer:  # noqa: F811
    return onextree_server


@pytest.fixture
async def client(stamping: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    async with stamping.async_client() as c:
        yield c


@pytest.fixture
async def tree_client(onextree: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    async with onextree.async_client() as c:
        yield c
