"""Event hooks: how Prometheus, OpenTelemetry or anything else plugs in.

Subclass ``ClientEvents``, override the methods you need and pass instances in
``ClientConfig(events=[...])``. Hooks are synchronous and run inline on the request
path, so they must be quick; an exception in a hook is logged and swallowed, never
allowed to fail the call. Every URL and header in an event is already redacted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._breaker import BreakerTransition


@dataclass(frozen=True, slots=True)
class RequestEvent:
    operation: str
    method: str
    url: str
    attempt: int
    correlation_id: str
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ResponseEvent:
    operation: str
    method: str
    url: str
    attempt: int
    correlation_id: str
    #: None when the attempt ended without an HTTP answer
    status: int | None
    latency: float
    #: "success" or the failure kind ("http_5xx", "transport", "timeout", "cancelled"...)
    outcome: str


@dataclass(frozen=True, slots=True)
class RetryEvent:
    operation: str
    method: str
    url: str
    #: the attempt that is about to start (2 for the first retry)
    attempt: int
    correlation_id: str
    delay: float
    error: BaseException


@dataclass(frozen=True, slots=True)
class FallbackEvent:
    operation: str
    correlation_id: str
    error: BaseException


class ClientEvents:
    """No-op base class; override what you need."""

    def on_request(self, event: RequestEvent) -> None:
        """Before each attempt is sent."""

    def on_response(self, event: ResponseEvent) -> None:
        """After each attempt, with its outcome."""

    def on_retry(self, event: RetryEvent) -> None:
        """After a failed attempt, before the backoff sleep."""

    def on_breaker_transition(self, event: BreakerTransition) -> None:
        """Whenever the client's circuit breaker changes state."""

    def on_fallback(self, event: FallbackEvent) -> None:
        """When a call's failure was answered by its fallback."""
