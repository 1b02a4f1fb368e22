"""Fault rules and the decision of which fault (if any) hits a request.

The state is shared between the server's event loop (which decides) and test code in
another thread (which configures), so every access goes through one ``threading.Lock``.
Time comes from an injectable clock so duration windows can be tested without waiting.
"""

from __future__ import annotations

import itertools
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

Clock = Callable[[], float]

#: Statuses a status fault may answer with; anything else is almost certainly a typo.
ALLOWED_FAULT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 507})


class FaultKind(StrEnum):
    """What happens to a request a rule hits."""

    STATUS = "status"  # answer an error status without running the handler
    RESET = "reset"  # drop the connection before the handler runs (no side effect)
    RESET_AFTER = "reset_after"  # run the handler, then drop the connection (response lost)
    TRUNCATE = "truncate"  # run the handler, send headers and part of the body, then close
    SLOW_BODY = "slow_body"  # run the handler, dribble the body out in delayed chunks
    LATENCY = "latency"  # wait before handling; combines with any one of the above


class RouteMatcher:
    """Matches ``"/path"`` or ``"METHOD /path"``; ``{name}`` is one segment, ``*`` anything.

    A fault for ``/stamp/{file_hash}`` must not also hit ``/stamp``, so patterns are
    anchored and placeholders never cross a ``/``.
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern.strip()
        method, _, path = self.pattern.rpartition(" ")
        self.method = method.strip().upper() or None
        if not path.startswith("/"):
            raise ValueError(
                f"route pattern must start with '/' (after an optional method): {pattern!r}"
            )
        regex = ""
        for token in re.split(r"(\{[^}/]+\}|\*)", path):
            if token == "*":
                regex += ".*"
            elif token.startswith("{") and token.endswith("}"):
                regex += "[^/]+"
            else:
                regex += re.escape(token)
        self._regex = re.compile(f"^{regex}$")

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method.upper():
            return False
        return self._regex.match(path) is not None


@dataclass
class FaultRule:
    """One configured fault. Active while its count lasts OR its window is open.

    With neither ``count`` nor ``duration`` a rule stays active until removed (useful for
    "this route is down" and for steady latency).
    """

    kind: FaultKind
    route: str | None = None
    count: int | None = None
    duration: float | None = None
    status: int = 503
    retry_after: str | None = None
    latency: float = 0.0
    chunk_size: int = 16
    chunk_delay: float = 0.0
    #: Below 1, the rule hits each request it applies to with this probability (random mode).
    probability: float = 1.0
    id: int = 0
    remaining: int | None = None
    until: float | None = None
    hits: int = 0
    _matcher: RouteMatcher | None = field(default=None, repr=False, compare=False)

    def is_active(self, now: float) -> bool:
        if self.count is None and self.duration is None:
            return True
        if self.remaining is not None and self.remaining > 0:
            return True
        return self.until is not None and now < self.until

    def applies_to(self, method: str, path: str) -> bool:
        return self._matcher is None or self._matcher.matches(method, path)

    def consume(self) -> None:
        # The count is spent first: inside an open window a counted request still uses
        # one up, as the seed server did ("failure check decrements count, not duration").
        self.hits += 1
        if self.remaining is not None and self.remaining > 0:
            self.remaining -= 1

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("_matcher", None)
        data["kind"] = self.kind.value
        return data


@dataclass(frozen=True)
class Decision:
    """What the middleware must do with one request."""

    fault: FaultRule | None = None
    latency: float = 0.0


def format_retry_after(value: float | int | str | None) -> str | None:
    """Seconds as given (``0.2`` stays ``"0.2"`` so tests can stay fast), or a date string."""
    if value is None or isinstance(value, str):
        return value
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


class FaultState:
    """The configured rules; thread-safe; ``decide`` picks at most one fault per request."""

    def __init__(self, clock: Clock = time.monotonic, seed: int | None = None) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)

    # ---- configuration ----------------------------------------------------------------

    def add(self, rule: FaultRule) -> FaultRule:
        if rule.count is not None and rule.count < 0:
            raise ValueError("count must be >= 0")
        if rule.duration is not None and rule.duration < 0:
            raise ValueError("duration must be >= 0")
        if not 0.0 < rule.probability <= 1.0:
            raise ValueError("probability must be in (0, 1]")
        if rule.kind is FaultKind.STATUS and rule.status not in ALLOWED_FAULT_STATUSES:
            raise ValueError(f"fault status must be one of {sorted(ALLOWED_FAULT_STATUSES)}")
        matcher = RouteMatcher(rule.route) if rule.route else None
        with self._lock:
            now = self._clock()
            stored = replace(
                rule,
                id=next(self._ids),
                remaining=rule.count,
                until=None if rule.duration is None else now + rule.duration,
                hits=0,
                _matcher=matcher,
            )
            self._rules.append(stored)
        return stored

    def fail(
        self,
        *,
        count: int | None = None,
        duration: float | None = None,
        status: int = 503,
        retry_after: float | int | str | None = None,
        route: str | None = None,
        probability: float = 1.0,
    ) -> FaultRule:
        """Answer ``status`` for ``count`` requests OR for ``duration`` seconds.

        With neither, until removed; with ``probability`` below 1, only that share of them.
        """
        return self.add(
            FaultRule(
                FaultKind.STATUS,
                route=route,
                count=count,
                duration=duration,
                status=status,
                retry_after=format_retry_after(retry_after),
                probability=probability,
            )
        )

    def fail_next(
        self,
        n: int,
        status: int = 503,
        retry_after: float | int | str | None = None,
        route: str | None = None,
    ) -> FaultRule:
        return self.fail(count=n, status=status, retry_after=retry_after, route=route)

    def fail_for(
        self,
        seconds: float,
        status: int = 503,
        retry_after: float | int | str | None = None,
        route: str | None = None,
    ) -> FaultRule:
        return self.fail(duration=seconds, status=status, retry_after=retry_after, route=route)

    def add_latency(
        self,
        seconds: float,
        route: str | None = None,
        count: int | None = None,
        duration: float | None = None,
        probability: float = 1.0,
    ) -> FaultRule:
        return self.add(
            FaultRule(
                FaultKind.LATENCY,
                route=route,
                count=count,
                duration=duration,
                latency=seconds,
                probability=probability,
            )
        )

    def reset_connections(
        self,
        n: int | None = 1,
        route: str | None = None,
        *,
        after_handler: bool = False,
        probability: float = 1.0,
    ) -> FaultRule:
        """Drop the next ``n`` connections; ``after_handler`` lets the side effect happen first.

        ``n=None`` with a ``probability`` drops that share of connections until removed.
        """
        kind = FaultKind.RESET_AFTER if after_handler else FaultKind.RESET
        return self.add(FaultRule(kind, route=route, count=n, probability=probability))

    def seed(self, seed: int | None) -> None:
        """Make the random mode's draws repeatable from here on."""
        with self._lock:
            self._rng.seed(seed)

    def truncate_next(self, n: int = 1, route: str | None = None) -> FaultRule:
        return self.add(FaultRule(FaultKind.TRUNCATE, route=route, count=n))

    def slow_body(
        self,
        chunk_delay: float,
        chunk_size: int = 16,
        *,
        count: int | None = None,
        duration: float | None = None,
        route: str | None = None,
    ) -> FaultRule:
        if chunk_size < 1:
            raise ValueError("chunk_size must be >= 1")
        return self.add(
            FaultRule(
                FaultKind.SLOW_BODY,
                route=route,
                count=count,
                duration=duration,
                chunk_size=chunk_size,
                chunk_delay=chunk_delay,
            )
        )

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.id != rule_id]
            return len(self._rules) != before

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return [replace(r) for r in self._rules]

    def snapshot(self) -> list[dict[str, Any]]:
        now = self._clock()
        with self._lock:
            return [r.to_dict() | {"active": r.is_active(now)} for r in self._rules]

    # ---- the decision -----------------------------------------------------------------

    def decide(self, method: str, path: str) -> Decision:
        """Pick the fault and the latency for one request, consuming counts atomically.

        Route-specific rules win over global ones, counted rules over windows, older over
        newer, so concurrent requests consume exactly ``n`` counted failures. Random rules
        (probability below 1) come after the certain ones and share one draw: rules of
        probability 0.2 and 0.05 hit 20% and 5% of requests, never the same one.
        """
        with self._lock:
            now = self._clock()
            # A spent count or a closed window never comes back: drop such rules, so a long
            # run arming one counted rule per fault does not slow every decision down.
            self._rules = [r for r in self._rules if r.is_active(now)]
            candidates = [r for r in self._rules if r.applies_to(method, path)]
            candidates.sort(key=lambda r: (r.route is None, r.remaining is None, r.id))
            fault = self._pick([r for r in candidates if r.kind is not FaultKind.LATENCY])
            slow = self._pick([r for r in candidates if r.kind is FaultKind.LATENCY])
            for rule in (fault, slow):
                if rule is not None:
                    rule.consume()
            return Decision(
                fault=replace(fault) if fault is not None else None,
                latency=slow.latency if slow is not None else 0.0,
            )

    def _pick(self, ordered: list[FaultRule]) -> FaultRule | None:
        certain = next((r for r in ordered if r.probability >= 1.0), None)
        if certain is not None:
            return certain
        random_rules = [r for r in ordered if r.probability < 1.0]
        if not random_rules:
            return None
        roll, cumulative = self._rng.random(), 0.0
        for rule in random_rules:
            cumulative += rule.probability
            if roll < cumulative:
                return rule
        return None


def apply_startup_faults(
    faults: FaultState,
    *,
    fail_next: int = 0,
    fail_for: float | None = None,
    fail_status: int = 503,
    retry_after: float | int | str | None = None,
    latency: float | None = None,
    reset_next: int = 0,
    truncate_next: int = 0,
    fail_rate: float | None = None,
    reset_rate: float | None = None,
    latency_rate: float | None = None,
    seed: int | None = None,
) -> None:
    """The faults the CLI flags (and ``testing.serve`` keywords) set before the first request.

    The ``*_rate`` options are the random mode: that share of all requests, until removed.
    """
    faults.seed(seed)
    if fail_next:
        faults.fail_next(fail_next, status=fail_status, retry_after=retry_after)
    if fail_for:
        faults.fail_for(fail_for, status=fail_status, retry_after=retry_after)
    if latency:
        faults.add_latency(latency, probability=latency_rate or 1.0)
    if fail_rate:
        faults.fail(status=fail_status, retry_after=retry_after, probability=fail_rate)
    if reset_rate:
        faults.reset_connections(None, probability=reset_rate)
    if reset_next:
        faults.reset_connections(reset_next)
    if truncate_next:
        faults.truncate_next(truncate_next)
