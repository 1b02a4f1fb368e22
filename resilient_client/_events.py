"""Event hooks: how Prometheus, OpenTelemetry or anything else plugs in.

Subclass ``ClientEvents``, override the methods you need and pass instances in
``ClientConfig(events=[...])``. Hooks are synchronous and run inline on the request
path, so they must be quick; an exception in a hook is logged and swallowed, never
allowed to fail the call. Every URL and header in an event is already redacted.

Two hooks go beyond watching: ``attempt_headers`` may add headers to an attempt (trace
context propagation), and ``attach`` hands a sink the client once, for state read at
the sink's own pace (a Prometheus scrape reading the bulkhead or the breaker).
``resilient_client.otel`` and ``resilient_client.prometheus`` are sinks built on these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._breaker import BreakerTransition

if TYPE_CHECKING:
    from ._client import BaseServiceClient


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
class CallEvent:
    """One finished call (all its attempts, or none: a cache hit, a refusal)."""

    operation: str
    method: str
    correlation_id: str
    #: "success", "fallback" or the failure kind ("circuit_open", "bulkhead_full"...)
    outcome: str
    #: seconds from the call's start, cache lookup and backoff sleeps included
    latency: float
    #: HTTP attempts made; 0 for a cache hit
    attempts: int
    #: "hit" or "miss" for an operation with a response cache, else None; a call that
    #: shared an identical call's answer in flight (coalesced) is a hit
    cache: str | None = None


@dataclass(frozen=True, slots=True)
class FallbackEvent:
    operation: str
    correlation_id: str
    error: BaseException


class ClientEvents:
    """No-op base class; override what you need."""

    def attach(self, client: BaseServiceClient) -> None:
        """Once, when a client is built with this sink in ``ClientConfig.events``."""

    def on_request(self, event: RequestEvent) -> None:
        """Before each attempt is sent."""

    def attempt_headers(self, event: RequestEvent) -> Mapping[str, str] | None:
        """Headers to add to this attempt, asked right after ``on_request`` (e.g. a W3C
        ``traceparent``). They are not in ``event.headers`` and are never redacted, so
        never return a credential here."""
        return None

    def on_response(self, event: ResponseEvent) -> None:
        """After each attempt, with its outcome."""

    def on_retry(self, event: RetryEvent) -> None:
        """After a failed attempt, before the backoff sleep."""

    def on_breaker_transition(self, event: BreakerTransition) -> None:
        """Whenever the client's circuit breaker changes state."""

    def on_fallback(self, event: FallbackEvent) -> None:
        """When a call's failure was answered by its fallback."""

    def on_call(self, event: CallEvent) -> None:
        """When a call has finished, once per call, after its last attempt."""
