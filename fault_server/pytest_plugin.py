"""Ready-made pytest fixtures: a fresh fault server per test, on 127.0.0.1.

Enable them from the top-level ``conftest.py`` with
``pytest_plugins = ["fault_server.pytest_plugin"]``, or import the fixtures you need
into any conftest (``from fault_server.pytest_plugin import metadata_stamping_server``).
The servers run in a thread, so the fixtures are plain (sync) fixtures that work for
sync and async tests alike.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fault_server.testing import FakeClock, RunningServer, serve


@pytest.fixture
def fault_clock() -> FakeClock:
    """The clock of the servers below: ``fault_clock.advance(s)`` ends fail_for windows."""
    return FakeClock()


@pytest.fixture
def metadata_stamping_server(fault_clock: FakeClock) -> Iterator[RunningServer]:
    with serve("metadata-stamping", clock=fault_clock) as srv:
        yield srv


@pytest.fixture
def onextree_server(fault_clock: FakeClock) -> Iterator[RunningServer]:
    with serve("onextree", clock=fault_clock) as srv:
        yield srv
