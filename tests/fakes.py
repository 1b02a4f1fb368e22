"""Time for tests: a monotonic clock and a sleep that move only when told to.

Importable as ``from fakes import FakeClock`` (a unique module name: ``from conftest``
would resolve to whichever folder's conftest pytest imported first).
"""

from __future__ import annotations


class FakeClock:
    """Monotonic seconds that move only when a test (or FakeSleep) says so."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeSleep:
    """Records requested delays and advances the clock instead of waiting."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock.advance(seconds)
