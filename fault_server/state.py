"""Everything one fault server instance holds, in one object tests can reach."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from fault_server.faults import FaultState
from fault_server.idempotency import IdempotencyStore
from fault_server.stats import Stats

#: ASGI scope key under which a server hands its own fake's data to the shared app.
SERVICE_SCOPE_KEY = "fault_server.service"


@dataclass
class ServerState:
    service: str
    faults: FaultState
    stats: Stats = field(default_factory=Stats)
    idempotency: IdempotencyStore = field(default_factory=IdempotencyStore)
    #: The fake service's own data (``StampStore`` or ``TreeState``), for white-box asserts.
    service_state: Any = None
    _max_concurrency: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def max_concurrency(self) -> int | None:
        """Requests allowed in flight at once; beyond it the server answers 503."""
        with self._lock:
            return self._max_concurrency

    @max_concurrency.setter
    def max_concurrency(self, value: int | None) -> None:
        if value is not None and value < 1:
            raise ValueError("max_concurrency must be >= 1 or None")
        with self._lock:
            self._max_concurrency = value

    def reset(self) -> None:
        """Back to a clean slate between tests: no faults, zero counters, no replays."""
        self.faults.clear()
        self.stats.reset()
        self.idempotency.clear()
