"""What the call pipeline needs from its client, built once per client, and the two
small steps every stage shares: telling the event sinks, settling a breaker permit."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from ._breaker import CircuitBreaker
from ._deadline import DeadlineWatch
from ._events import ClientEvents
from ._ratelimit import RateLimiter
from ._retry import RetryBudget

if TYPE_CHECKING:
    from ._shared import SharedBreaker
    from ._wire import Wire

logger = logging.getLogger("resilient_client")


@dataclass(slots=True)
class Runtime:
    """What the pipeline needs from its client; built once per client."""

    http: httpx.AsyncClient
    breaker: CircuitBreaker
    budget: RetryBudget | None
    clock: Callable[[], float]
    sleep: Callable[[float], Awaitable[None]]
    rand: Callable[[], float]
    events: Sequence[ClientEvents]
    max_response_bytes: int | None
    follow_redirects: bool
    max_redirects: int
    #: the aiohttp or httptools transport's send step; None: httpx (``http``) sends
    wire: Wire | None = None
    #: the state backend's breaker in front of ``breaker`` (None: local state only)
    shared_breaker: SharedBreaker | None = None
    limiter: RateLimiter | None = None
    #: the attempts' deadlines on the loop they last ran on (see ``_deadline``)
    deadlines: DeadlineWatch | None = None


def emit(events: Sequence[ClientEvents], hook: str, event: object) -> None:
    for sink in events:
        try:
            getattr(sink, hook)(event)
        except Exception:  # a broken metrics exporter must never fail the call
            logger.exception("event hook %s.%s failed", type(sink).__name__, hook)


def settle(rt: Runtime, verdict: int) -> None:
    """Return an attempt's breaker permit: 1 success, -1 failure, 0 no verdict."""
    if verdict > 0:
        rt.breaker.record_success()
        if rt.budget is not None:
            rt.budget.on_success()
    elif verdict < 0:
        rt.breaker.record_failure()
        if rt.budget is not None:
            rt.budget.on_failure()
    else:
        rt.breaker.release()
