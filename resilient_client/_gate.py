"""What an attempt must pass before it is sent: the call's deadline, the circuit
breaker's permit (the shared state's first, when there is one) and a rate-limit slot.

Order matters: the permit comes before the slot, so a call the breaker refuses neither
waits for a slot nor spends one; and whatever was taken is given back when a later step
fails or the attempt is cancelled.
"""

from __future__ import annotations

from typing import NoReturn

import httpx

from ._call import Call, annotate
from ._exceptions import CircuitOpenError, RateLimitExceededError, RequestTimeoutError
from ._ratelimit import RateLimiter
from ._retry import RetryBudget
from ._runtime import Runtime
from ._shared import SharedBreaker


def attempt_timeout(rt: Runtime, call: Call) -> tuple[httpx.Timeout, float | None]:
    """This attempt's timeout and the time left before the call's deadline (None: none)."""
    timeout = call.timeout
    if call.deadline_at is None:
        return timeout, None
    remaining = call.deadline_at - rt.clock()
    if remaining <= 0:
        expired = RequestTimeoutError(
            f"deadline of {call.deadline}s exceeded before attempt {call.attempts}"
        )
        annotate(expired, call)
        raise expired
    if call.timeout_seconds is None or call.timeout_seconds > remaining:
        timeout = httpx.Timeout(remaining)
    return timeout, remaining


def refuse(rt: Runtime, call: Call) -> NoReturn:
    """The breaker gave no permit: the typed error, with the call's context."""
    breaker = rt.breaker
    error = CircuitOpenError(
        f"circuit breaker is {breaker.state.value}; not calling the service",
        retry_after=breaker.retry_after(),
    )
    annotate(error, call)
    raise error


async def admit(
    rt: Runtime, call: Call, timeout: httpx.Timeout, remaining: float | None
) -> tuple[bool, httpx.Timeout, float | None]:
    """The permit and the slot of a client with a shared breaker or a rate limit (the
    others take only the local permit, inline): whether the attempt holds a shared probe
    permit, and its timeout and time left, shortened by the wait for the slot."""
    probe = False
    if rt.shared_breaker is not None:
        probe = await shared_permit(rt.shared_breaker, call)
    if not probe and not rt.breaker.try_acquire():
        refuse(rt, call)
    if rt.limiter is not None:
        try:
            await limit_rate(rt.limiter, call)
            if call.deadline_at is not None:  # the wait counted against the deadline
                timeout, remaining = attempt_timeout(rt, call)
        except BaseException:
            if probe:
                settle_probe(rt.shared_breaker, rt.budget, 0)
            else:
                rt.breaker.release()
            raise
    return probe, timeout, remaining


async def limit_rate(limiter: RateLimiter, call: Call) -> None:
    refused = await limiter.acquire(call.plan.name, call.deadline_at)
    if refused is not None:
        error = RateLimitExceededError(
            f"client rate limit: the next slot is {refused:.3f}s away, past the call's "
            "deadline or the limit's max_wait; not sending",
            retry_after=refused,
        )
        annotate(error, call)
        raise error


async def shared_permit(gate: SharedBreaker, call: Call) -> bool:
    """True when this attempt is one of the shared probes of a half-open circuit."""
    probe, refused = await gate.acquire()
    if refused is not None:
        error = CircuitOpenError(
            "circuit breaker is open for every replica (shared state); not calling the service",
            retry_after=refused,
        )
        annotate(error, call)
        raise error
    return probe


def settle_probe(gate: SharedBreaker | None, budget: RetryBudget | None, verdict: int) -> None:
    assert gate is not None
    gate.settle_probe(verdict)
    if budget is not None:
        if verdict > 0:
            budget.on_success()
        elif verdict < 0:
            budget.on_failure()
