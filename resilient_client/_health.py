"""``health_check``: a typed answer about the service instead of an exception."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._exceptions import CircuitOpenError, ClientError, HTTPStatusError
from ._operation import Operation, ResponseSpec

#: Used when the spec marks no operation with ``x-health: true``.
HEALTH_OPERATION: Operation[Any] = Operation(
    name="health_check",
    method="GET",
    path="/health",
    responses={"2XX": ResponseSpec("json")},
)

_UNHEALTHY = frozenset({"unhealthy", "down", "fail", "failed", "error", "critical"})


@dataclass(frozen=True, slots=True)
class HealthStatus:
    healthy: bool
    #: the service's own status word ("healthy", "ok", "degraded"...), else "unhealthy"
    #: for an error status, "unreachable" when no answer came, "circuit_open" when the
    #: breaker refused the call
    status: str
    #: seconds the check took
    latency: float
    http_status: int | None = None
    #: the decoded body (typed when the spec's health operation declares a model)
    body: Any = None
    detail: str | None = None


def _status_word(result: Any) -> str | None:
    value = result.get("status") if isinstance(result, Mapping) else getattr(result, "status", None)
    if value is None:
        return None
    return str(getattr(value, "value", value))


def health_from_result(result: Any, latency: float) -> HealthStatus:
    word = _status_word(result)
    healthy = word is None or word.lower() not in _UNHEALTHY
    return HealthStatus(
        healthy=healthy, status=word or "healthy", latency=latency, http_status=None, body=result
    )


def health_from_error(error: ClientError, latency: float) -> HealthStatus:
    if isinstance(error, HTTPStatusError):
        return HealthStatus(
            healthy=False,
            status=_status_word(error.body) or "unhealthy",
            latency=latency,
            http_status=error.status,
            body=error.body,
            detail=str(error),
        )
    # An open breaker is reported as such: the check did not reach the service.
    status = "circuit_open" if isinstance(error, CircuitOpenError) else "unreachable"
    return HealthStatus(
        healthy=False, status=status, latency=latency, body=error.body, detail=str(error)
    )
