"""Fixtures shared by every test suite: a fake monotonic clock and a fake sleep."""

from __future__ import annotations

import pytest
from fakes import FakeClock, FakeSleep


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleeper(clock: FakeClock) -> FakeSleep:
    return FakeSleep(clock)
