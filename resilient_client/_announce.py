"""What an attempt tells the event sinks and the log: request, response, retry.

Only called when someone listens (sinks configured, or the log level lets the record
through), so a quiet client pays for none of it."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ._call import Call, outcome_of
from ._events import ClientEvents, RequestEvent, ResponseEvent, RetryEvent
from ._redact import redact_headers
from ._runtime import Runtime, emit, logger


def announce_request(
    rt: Runtime, call: Call, headers: Sequence[tuple[str, str]]
) -> dict[str, str] | None:
    """Tell the sinks and the log about this attempt; returns the headers sinks add to it
    (trace context), for the caller to put on the request of its transport."""
    plan = call.plan
    added: dict[str, str] | None = None
    if rt.events:
        event = RequestEvent(
            plan.name,
            plan.method,
            call.safe_url(),
            call.attempts,
            call.correlation_id,
            redact_headers(headers, call.secret_headers()),
        )
        emit(rt.events, "on_request", event)
        added = _sink_headers(rt.events, event)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "request %s %s attempt %d",
            plan.method,
            call.safe_url(),
            call.attempts,
            extra={
                "operation": plan.name,
                "method": plan.method,
                "url": call.safe_url(),
                "attempt": call.attempts,
                "correlation_id": call.correlation_id,
            },
        )
    return added


def _sink_headers(events: Sequence[ClientEvents], event: RequestEvent) -> dict[str, str] | None:
    """Headers sinks add to this attempt (trace context); a failing sink adds none."""
    added: dict[str, str] | None = None
    for sink in events:
        try:
            extra = sink.attempt_headers(event)
            if extra:
                added = {**(added or {}), **{k.lower(): v for k, v in extra.items()}}
        except Exception:
            logger.exception("event hook %s.attempt_headers failed", type(sink).__name__)
    return added


def announce_response(
    rt: Runtime, call: Call, status: int | None, started: float, failure: BaseException | None
) -> None:
    plan = call.plan
    emit(
        rt.events,
        "on_response",
        ResponseEvent(
            plan.name,
            plan.method,
            call.safe_url(),
            call.attempts,
            call.correlation_id,
            status,
            rt.clock() - started,
            "success" if failure is None else outcome_of(failure),
        ),
    )


def announce_retry(rt: Runtime, call: Call, error: BaseException, delay: float) -> None:
    plan = call.plan
    if logger.isEnabledFor(logging.INFO):
        logger.info(
            "retrying %s after %s (attempt %d of %d, waiting %.3fs)",
            plan.name,
            outcome_of(error),
            call.attempts + 1,
            call.max_attempts,
            delay,
            extra={
                "operation": plan.name,
                "method": plan.method,
                "url": call.safe_url(),
                "status": getattr(error, "status", None),
                "attempt": call.attempts,
                "correlation_id": call.correlation_id,
            },
        )
    if rt.events:
        emit(
            rt.events,
            "on_retry",
            RetryEvent(
                plan.name,
                plan.method,
                call.safe_url(),
                call.attempts + 1,
                call.correlation_id,
                delay,
                error,
            ),
        )
