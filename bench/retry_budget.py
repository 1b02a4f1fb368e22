"""Retry budget under random 503s and a full outage: a deterministic simulation.

Run from the repository root (figures in bench/RESULTS.md, "Retry budget")::

    .venv/bin/python bench/retry_budget.py                 # 2,000 calls x 5 seeds per cell
    .venv/bin/python bench/retry_budget.py --quick         # a smoke run (the test suite's)
    .venv/bin/python bench/retry_budget.py --budget 10 0.1 --budget 50 0.5 --budget none

Every call goes through the real runtime (``BaseServiceClient``: breaker, budget, retry
loop, backoff) to an in-process ``httpx.MockTransport`` that answers 503 with
probability ``p``, drawn from a seeded ``random.Random``. Time is a fake clock: calls
start 10 ms apart, each request takes 5 ms, backoff sleeps move the clock instead of
waiting, and jitter is drawn from its own seeded generator, so every figure is the same
on every machine. One GET operation; ``RetryConfig`` at its defaults (``max_attempts``
3, backoff 0.5 s doubling, full jitter) except the budget under test.

Reported per budget, failure rate and breaker setting: the success rate (min and mean
over the seeds), amplification (requests sent / calls made), the amplification once the
budget has drained (the requests of the calls after the first call whose retry the
budget refused, over those calls; "-" when it never refused one) and in how many runs
the breaker opened.

Breakers: ``off`` (``enabled=False``, the budget alone), ``default`` (``CircuitBreakerConfig()``:
5 consecutive failed attempts open it for 60 s) and ``rate`` (the chaos soak's: opens at
50% failures over the last 100 attempts, or 20 in a row).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import httpx
from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from resilient_client import (
    BaseServiceClient,
    CircuitBreakerConfig,
    ClientConfig,
    ClientError,
    Operation,
    ResponseSpec,
    RetryConfig,
)

BASE_URL = "http://budget.bench"
CALL_GAP = 0.010  # fake seconds between one call's end and the next call's start
REQUEST_TIME = 0.005  # fake seconds each request takes
TARGET_SUCCESS_AT_20 = 0.99
TARGET_OUTAGE_AMPLIFICATION = 1.2

BREAKERS: dict[str, CircuitBreakerConfig] = {
    "off": CircuitBreakerConfig(enabled=False),
    "default": CircuitBreakerConfig(),
    "rate": CircuitBreakerConfig(
        failure_threshold=20,
        failure_rate_threshold=0.5,
        window_size=100,
        minimum_calls=20,
        recovery_timeout=60.0,
    ),
}


class Item(BaseModel):
    id: int


GET_ITEM: Operation[Item] = Operation(
    name="get_item",
    method="GET",
    path="/items/{item_id}",
    responses={"200": ResponseSpec("json", Item)},
)


class ItemClient(BaseServiceClient):
    service_name: ClassVar[str] = "BudgetBench"
    default_base_url: ClassVar[str | None] = BASE_URL

    async def get_item(self, item_id: int) -> Item:
        return await self._request(GET_ITEM, path_params={"item_id": item_id})


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Outcome:
    calls: int
    successes: int
    requests: int
    #: calls and requests after the first call whose retry the budget refused
    calls_after_drain: int
    requests_after_drain: int
    errors: dict[str, int]

    @property
    def success_rate(self) -> float:
        return self.successes / self.calls

    @property
    def amplification(self) -> float:
        return self.requests / self.calls

    @property
    def amplification_after_drain(self) -> float | None:
        if not self.calls_after_drain:
            return None
        return self.requests_after_drain / self.calls_after_drain


async def simulate(
    failure_rate: float,
    *,
    calls: int,
    seed: int,
    retry: RetryConfig,
    breaker: CircuitBreakerConfig,
) -> Outcome:
    """``calls`` sequential calls against a server failing ``failure_rate`` of requests."""
    faults = random.Random(seed)
    clock = FakeClock()
    requests = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal requests
        requests += 1
        clock.now += REQUEST_TIME
        if faults.random() < failure_rate:
            return httpx.Response(503, json={"detail": "injected"})
        return httpx.Response(200, json={"id": 1})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url=BASE_URL)
    client = ItemClient(
        config=ClientConfig(retry=retry, circuit_breaker=breaker),
        http_client=http,
        clock=clock,
        sleep=clock.sleep,
    )
    client._rt.rand = random.Random(seed + 10_000).random  # seeded jitter
    successes = 0
    errors: dict[str, int] = {}
    drained_at: tuple[int, int] | None = None  # (calls, requests) before the first refusal
    try:
        for n in range(calls):
            clock.now += CALL_GAP
            try:
                await client.get_item(1)
                successes += 1
            except ClientError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                refused = (
                    drained_at is None
                    and exc.attempts is not None
                    and exc.attempts < retry.max_attempts
                    and client.retry_budget is not None
                    and not client.retry_budget.can_retry()
                )
                if refused:
                    drained_at = (n + 1, requests)
    finally:
        await client.aclose()
        await http.aclose()
    after_calls, after_requests = 0, 0
    if drained_at is not None:
        after_calls, after_requests = calls - drained_at[0], requests - drained_at[1]
    return Outcome(calls, successes, requests, after_calls, after_requests, errors)


def _budget(spec: list[str]) -> tuple[float | None, float]:
    if spec[0].lower() == "none":
        return None, 0.0
    return float(spec[0]), float(spec[1])


def _label(tokens: float | None, ratio: float) -> str:
    return "none (unlimited)" if tokens is None else f"max_tokens={tokens:g}, ratio={ratio:g}"


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    defaults = RetryConfig()
    budgets: list[tuple[float | None, float]] = [_budget(b) for b in args.budget] or [
        (10.0, 0.1),
        (defaults.budget_max_tokens, defaults.budget_token_ratio),
        (None, 0.0),
    ]
    budgets = list(dict.fromkeys(budgets))  # the old default may be the current one
    rows: list[dict[str, Any]] = []
    for tokens, ratio in budgets:
        retry = (
            RetryConfig(budget_max_tokens=tokens, budget_token_ratio=ratio)
            if tokens is not None
            else RetryConfig(budget_max_tokens=None)
        )
        for breaker_name in args.breakers:
            for rate in args.rates:
                seeds = range(args.seeds) if rate < 1.0 else range(1)
                outcomes = [
                    await simulate(
                        rate,
                        calls=args.calls,
                        seed=seed,
                        retry=retry,
                        breaker=BREAKERS[breaker_name],
                    )
                    for seed in seeds
                ]
                drained = [o.amplification_after_drain for o in outcomes]
                errors: dict[str, int] = {}
                for o in outcomes:
                    for name, n in o.errors.items():
                        errors[name] = errors.get(name, 0) + n
                rows.append(
                    {
                        "budget": _label(tokens, ratio),
                        "breaker": breaker_name,
                        "failure_rate": rate,
                        "seeds": len(outcomes),
                        "calls_per_seed": args.calls,
                        "success_min": min(o.success_rate for o in outcomes),
                        "success_mean": statistics.fmean(o.success_rate for o in outcomes),
                        "amplification_mean": statistics.fmean(o.amplification for o in outcomes),
                        "runs_breaker_opened": sum(
                            1 for o in outcomes if o.errors.get("CircuitOpenError")
                        ),
                        "amplification_after_drain": (
                            None if None in drained else max(d for d in drained if d is not None)
                        ),
                        "errors": errors,
                    }
                )
    return {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": {"nproc": os.cpu_count(), "python": platform.python_version()},
        "defaults": {
            "budget_max_tokens": defaults.budget_max_tokens,
            "budget_token_ratio": defaults.budget_token_ratio,
        },
        "rows": rows,
    }


def table(report: dict[str, Any]) -> str:
    head = (
        f"{'budget':<28} {'breaker':<8} {'503s':>5} {'seeds':>5} {'success min':>11} "
        f"{'mean':>7} {'ampl.':>6} {'after drain':>11} {'opened':>6}  errors"
    )
    lines = [f"command: {report['command']}", f"defaults: {report['defaults']}", head]
    for r in report["rows"]:
        after = r["amplification_after_drain"]
        lines.append(
            f"{r['budget']:<28} {r['breaker']:<8} {r['failure_rate']:>5.0%} {r['seeds']:>5} "
            f"{r['success_min']:>11.2%} {r['success_mean']:>7.2%} "
            f"{r['amplification_mean']:>6.3f} {'-' if after is None else f'{after:.3f}':>11} "
            f"{r['runs_breaker_opened']:>6}  {r['errors']}"
        )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=2000, help="calls per simulated run")
    parser.add_argument("--seeds", type=int, default=5, help="runs per cell (outage: 1)")
    parser.add_argument(
        "--rates", type=float, nargs="+", default=[0.1, 0.2, 0.3, 0.5, 1.0], help="503 shares"
    )
    parser.add_argument(
        "--breakers", nargs="+", choices=sorted(BREAKERS), default=["off", "default", "rate"]
    )
    parser.add_argument(
        "--budget",
        nargs="+",
        action="append",
        default=[],
        metavar="TOKENS [RATIO]",
        help="a budget to measure ('none' for unlimited); repeatable. Default: the old "
        "default (10, 0.1), the runtime's default and none",
    )
    parser.add_argument("--quick", action="store_true", help="300 calls, 1 seed, 20%% and 100%%")
    parser.add_argument("--json", metavar="PATH", help="also write the report as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.calls, args.seeds, args.rates = 300, 1, [0.2, 1.0]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.getLogger("resilient_client").addHandler(logging.NullHandler())
    logging.getLogger("resilient_client").propagate = False
    started = time.perf_counter()
    report = asyncio.run(measure(args))
    report["elapsed_seconds"] = round(time.perf_counter() - started, 1)
    print(table(report))
    print(f"elapsed: {report['elapsed_seconds']} s")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
