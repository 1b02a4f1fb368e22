"""One replica of a service's client, run as its own process by tests/integration/replicas.py.

It prints ``ready`` once imported, then reads one command line at a time from stdin:
the options below, as a JSON list of arguments. For each it builds a fresh
``MetadataStampingClient`` (the committed generated package) with the state backend
and limits given, calls ``get_root`` as told and prints one JSON line: what each call
ended in and what the client's own counters say. The process is reused across
scenarios because starting Python and importing the client is the slow part.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

from metadata_stamping_client import MetadataStampingClient  # noqa: E402

from resilient_client import (  # noqa: E402
    CircuitBreakerConfig,
    CircuitOpenError,
    ClientConfig,
    ClientError,
    HTTPStatusError,
    RateLimitConfig,
    RateLimitExceededError,
    RetryConfig,
)


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("--base-url", required=True)
    p.add_argument("--redis-url", help="share state through this Redis; default: none")
    p.add_argument("--prefix", default="replicas")
    p.add_argument("--calls", type=int, help="make this many calls, one after another")
    p.add_argument("--duration", type=float, help="call for this many seconds instead")
    p.add_argument("--pause", type=float, default=0.0, help="seconds between calls")
    p.add_argument("--cache", action="store_true", help="cache get_root")
    p.add_argument("--failure-threshold", type=int, default=5)
    p.add_argument("--recovery-timeout", type=float, default=30.0)
    p.add_argument("--rate", type=float, help="client rate limit, requests per second")
    p.add_argument("--burst", type=int, default=1)
    p.add_argument("--scope", choices=("local", "shared"), default="shared")
    p.add_argument("--max-wait", type=float, default=1.0, help="rate limit max_wait")
    p.add_argument(
        "--clock",
        type=float,
        help="a frozen clock (this many seconds) for the client and the backend, so a "
        "rate limit's verdicts depend on counts, not on how fast the machine is",
    )
    p.add_argument("--backend-timeout", type=float, default=0.5)
    p.add_argument("--retry-interval", type=float, default=1.0, help="backend health")
    return p.parse_args(argv)


def config(args: argparse.Namespace) -> ClientConfig:
    values: dict[str, Any] = {
        "retry": RetryConfig(max_attempts=1),
        "circuit_breaker": CircuitBreakerConfig(
            failure_threshold=args.failure_threshold,
            recovery_timeout=args.recovery_timeout,
            success_threshold=1,
            failure_rate_threshold=None,
        ),
        "timeout": 5.0,
    }
    if args.redis_url:
        from resilient_client.redis import RedisBackend

        values["state_backend"] = RedisBackend.from_url(
            args.redis_url,
            prefix=args.prefix,
            timeout=args.backend_timeout,
            retry_interval=args.retry_interval,
            **({} if args.clock is None else {"clock": frozen(args.clock)}),
        )
    if args.cache:
        values["cache_operations"] = frozenset({"get_root"})
    if args.rate:
        # Waits are bounded by max_wait; a refused wait is counted, not sent.
        values["rate_limit"] = RateLimitConfig(
            rate=args.rate, burst=args.burst, scope=args.scope, max_wait=args.max_wait
        )
    return ClientConfig(**values)


def frozen(seconds: float) -> Callable[[], float]:
    return lambda: seconds


def outcome(error: BaseException | None) -> str:
    if error is None:
        return "ok"
    if isinstance(error, CircuitOpenError):
        return "circuit_open"
    if isinstance(error, RateLimitExceededError):
        return "rate_limited"
    if isinstance(error, HTTPStatusError):
        return f"http_{error.status}"
    return type(error).__name__


async def run(args: argparse.Namespace) -> dict[str, Any]:
    clock = None if args.clock is None else frozen(args.clock)
    client = MetadataStampingClient(args.base_url, config=config(args), clock=clock)
    outcomes: Counter[str] = Counter()
    print("started", flush=True)  # the runner may act on the replicas' timeline now
    started_at = time.time()
    started = time.monotonic()
    made = 0
    while True:
        if args.calls is not None and made >= args.calls:
            break
        if args.duration is not None and time.monotonic() - started >= args.duration:
            break
        made += 1
        try:
            await client.get_root()
        except ClientError as exc:
            outcomes[outcome(exc)] += 1
        else:
            outcomes["ok"] += 1
        if args.pause:
            await asyncio.sleep(args.pause)
    elapsed = time.monotonic() - started
    metrics = client.metrics().operations.get("get_root")
    shared = client._shared
    result = {
        "outcomes": dict(outcomes),
        "elapsed": elapsed,
        # wall clock, so the runner can take the window from the first start to the last end
        "started_at": started_at,
        "ended_at": started_at + elapsed,
        "cache_hits": metrics.cache_hits if metrics else 0,
        "shared_cache_hits": shared.cache.hits if shared and shared.cache else 0,
        "rate_waits": shared.limiter.waits if shared and shared.limiter else 0,
        "backend_failures": shared.backend.health.failures if shared and shared.backend else 0,
        "backend_outages": shared.backend.health.outages if shared and shared.backend else 0,
        "backend_down_at_end": bool(shared and shared.backend and shared.backend.health.down),
    }
    await client.aclose()
    backend = client.config.state_backend
    if backend is not None:
        await backend.aclose()
    return result


def main() -> None:
    print("ready", flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        result = asyncio.run(run(parse(json.loads(line))))
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
