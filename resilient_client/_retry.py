"""Retry decisions as small strategies: what may be retried, how long to wait, budget.

The loop itself lives in ``_retrying`` and is driven by tenacity; these functions are
the pieces it is configured with, kept free of I/O so they are easy to test.
"""

from __future__ import annotations

import email.utils
import random
from collections.abc import Callable
from datetime import UTC, datetime

from ._exceptions import (
    ClientError,
    HTTPStatusError,
    TransportError,
)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


def parse_retry_after(
    value: str | None, *, now: Callable[[], datetime] | None = None
) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN is not a delay
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now() if now is not None else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


def backoff_delay(
    retry_number: int, base: float, cap: float, *, jitter: bool, rand: Callable[[], float]
) -> float:
    """Exponential backoff for the ``retry_number``-th retry (1-based), full jitter."""
    step: float = min(cap, base * 2.0 ** (retry_number - 1))
    return step * rand() if jitter else step


def is_retryable(
    error: BaseException, *, may_repeat: bool, statuses: frozenset[int], retry_after_cap: float
) -> bool:
    """Whether another attempt could help and is safe.

    A connect error means nothing reached the server, so any method may go again;
    anything that may have been processed needs a repeatable call (``may_repeat``).
    """
    if not isinstance(error, ClientError):
        return False  # cancellation and programming errors are never retried
    if isinstance(error, TransportError):
        return error.connect_error or may_repeat
    if isinstance(error, HTTPStatusError):
        if error.status not in statuses or not may_repeat:
            return False
        # A server asking for a longer pause than we are willing to wait: fail now.
        return error.retry_after is None or error.retry_after <= retry_after_cap
    return False


#: Retry budget defaults, chosen from a measured simulation (bench/retry_budget.py,
#: bench/RESULTS.md "Retry budget"): retries stay on through a brown-out of up to about
#: 30% failed attempts (break-even ratio / (1 + ratio) = 1/3) and bursts of up to 25
#: failures, and go off after 25 failures in an outage.
DEFAULT_BUDGET_MAX_TOKENS = 50.0
DEFAULT_BUDGET_TOKEN_RATIO = 0.5


class RetryBudget:
    """Token bucket limiting retries per client (gRPC retry throttling).

    Tokens start full. Every failed attempt costs a token and every success refunds
    ``ratio``; retries are allowed only while more than half the tokens remain. First
    attempts are never limited. Retries therefore stay on while failed attempts are
    below ``ratio / (1 + ratio)`` of all attempts (1/3 with the defaults). Above that
    the bucket drains to half, and retries go off after ``max_tokens / 2`` net
    failures. In a full outage nothing refunds, so once drained the service sees
    exactly one request per call.
    """

    __slots__ = ("_ratio", "max_tokens", "tokens")

    def __init__(
        self,
        max_tokens: float = DEFAULT_BUDGET_MAX_TOKENS,
        ratio: float = DEFAULT_BUDGET_TOKEN_RATIO,
    ) -> None:
        self.max_tokens = max_tokens
        self.tokens = max_tokens
        self._ratio = ratio

    def on_failure(self) -> None:
        self.tokens = max(0.0, self.tokens - 1.0)

    def on_success(self) -> None:
        self.tokens = min(self.max_tokens, self.tokens + self._ratio)

    def can_retry(self) -> bool:
        return self.tokens > self.max_tokens / 2


def default_rand() -> float:
    return random.random()
