"""Fallbacks: answering a call from elsewhere when the service cannot be reached.

Design: a fallback returns the operation's own result type ``T`` (typed results stay
typed, callers need no unwrapping), and the "this came from a fallback" signal goes
to the places built for it: the ``"fallback"`` outcome in metrics, an INFO log record
and ``ClientEvents.on_fallback``. A flag on the client would lie under concurrency.
Only an open breaker, a full bulkhead or a transport error trigger it: an HTTP error
status is an answer from the service and is raised as such.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._config import Fallback
from ._exceptions import BulkheadFullError, CircuitOpenError, ClientError, TransportError
from ._redact import redact_value

FALLBACK_ERRORS = (CircuitOpenError, BulkheadFullError, TransportError)


@dataclass(frozen=True, slots=True)
class CallInfo:
    """The arguments of a failed call, handed to its fallback."""

    operation: str
    correlation_id: str
    path_params: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    json: Any = None

    def __repr__(self) -> str:
        return (
            f"CallInfo(operation={self.operation!r}, correlation_id={self.correlation_id!r}, "
            f"path_params={redact_value(self.path_params)!r}, "
            f"query={redact_value(self.query)!r}, json={redact_value(self.json)!r})"
        )


async def call_fallback(fallback: Fallback, error: ClientError, info: CallInfo) -> Any:
    result = fallback(error, info)
    if inspect.isawaitable(result):
        result = await result
    return result
