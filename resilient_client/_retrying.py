"""The retry loop around ``_attempts.attempt``.

The first attempt runs outside tenacity as a fast path (most calls succeed first time;
the outer pipeline awaits ``attempt`` itself, asks ``first_delay`` about a failure and
hands a retryable one to ``retry_after``); a fresh ``AsyncRetrying`` drives the rest. Breaker granularity is per attempt: see
``_attempts``.
"""

from __future__ import annotations

from typing import Any

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

from ._announce import announce_retry
from ._attempts import attempt
from ._breaker import CircuitState
from ._call import Call
from ._exceptions import ClientError, HTTPStatusError
from ._retry import backoff_delay, is_retryable
from ._runtime import Runtime


async def run_attempts(rt: Runtime, call: Call) -> Any:
    """All attempts of one call; raises the last attempt's typed error."""
    try:
        return await attempt(rt, call)
    except ClientError as exc:
        delay = first_delay(rt, call, exc)
        if delay is None:
            raise
        first = exc
    return await retry_after(rt, call, first, delay)


def first_delay(rt: Runtime, call: Call, first: ClientError) -> float | None:
    """The wait before a second attempt after ``first`` failed; None: ``first`` is the
    call's error (not worth retrying, or no attempt, budget or time left). A plain
    function, so the caller re-raises a final error where it caught it."""
    if not _retryable(call, first):
        return None
    delay = _delay_for(rt, call, first, 1)
    return delay if _may_continue(rt, call, delay) else None


async def retry_after(rt: Runtime, call: Call, first: ClientError, delay: float) -> Any:
    """The attempts after a failed first one (``first``, ``first_delay`` said to wait
    ``delay``); raises the last attempt's typed error."""
    announce_retry(rt, call, first, delay)
    await rt.sleep(delay)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        return _delay_for(rt, call, error or first, call.attempts)

    def stop(state: RetryCallState) -> bool:
        return not _may_continue(rt, call, state.upcoming_sleep)

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        announce_retry(rt, call, error or first, state.upcoming_sleep)

    retrying = AsyncRetrying(
        sleep=rt.sleep,
        wait=wait,
        stop=stop,
        retry=retry_if_exception(lambda exc: _retryable(call, exc)),
        before_sleep=before_sleep,
        reraise=True,
    )
    return await retrying(attempt, rt, call)


def _delay_for(rt: Runtime, call: Call, error: BaseException, retry_number: int) -> float:
    retry_after = getattr(error, "retry_after", None)
    if isinstance(error, HTTPStatusError) and retry_after is not None:
        return float(retry_after)
    plan = call.plan
    return backoff_delay(
        retry_number, plan.backoff_base, plan.backoff_cap, jitter=plan.jitter, rand=rt.rand
    )


def _may_continue(rt: Runtime, call: Call, delay: float) -> bool:
    if call.attempts >= call.max_attempts:
        return False
    if rt.budget is not None and not rt.budget.can_retry():
        return False
    if rt.breaker.state is CircuitState.OPEN:
        return False  # our own failures opened it: further attempts would be refused
    return call.deadline_at is None or rt.clock() + delay < call.deadline_at


def _retryable(call: Call, error: BaseException) -> bool:
    plan = call.plan
    return is_retryable(
        error,
        may_repeat=call.may_repeat,
        statuses=plan.retry_statuses,
        retry_after_cap=plan.retry_after_cap,
    )
