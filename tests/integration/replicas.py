"""Several client processes against one fault server and one Redis: the scenarios.

Used by tests/integration/test_replicas.py (which asserts on them) and by
bench/shared_state.py (which prints them for bench/RESULTS.md). Each replica is a real
process running tests/integration/replica_worker.py; they start together (each says
``ready``, then all are told ``go``) and the fault server counts what reached it.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from fault_server.testing import RunningServer

WORKER = Path(__file__).resolve().with_name("replica_worker.py")
ROUTE = "GET /"


class Replicas:
    """``n`` replica processes, started once and given one scenario after another."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.procs = [
            subprocess.Popen(
                [sys.executable, str(WORKER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(n)
        ]
        for proc in self.procs:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if line.strip() != "ready":
                self.close()
                raise RuntimeError(f"replica did not start: {line!r}")

    def run(
        self, k: int, server: RunningServer, redis_url: str | None, *options: str
    ) -> list[dict[str, Any]]:
        """The first ``k`` replicas run the same options at the same time."""
        self.start(k, server, redis_url, *options)
        return self.collect(k)

    def start(self, k: int, server: RunningServer, redis_url: str | None, *options: str) -> None:
        args = ["--base-url", server.base_url, *options]
        if redis_url is not None:
            args += ["--redis-url", redis_url]
        line = json.dumps(args) + "\n"
        for proc in self.procs[:k]:
            assert proc.stdin is not None
            proc.stdin.write(line)
            proc.stdin.flush()
        for proc in self.procs[:k]:  # each has built its client and is calling
            assert proc.stdout is not None
            answer = proc.stdout.readline()
            if answer.strip() != "started":
                _, err = proc.communicate(timeout=10)
                raise RuntimeError(f"replica did not start: {answer!r} {err[-2000:]}")

    def collect(self, k: int) -> list[dict[str, Any]]:
        results = []
        for proc in self.procs[:k]:
            assert proc.stdout is not None
            answer = proc.stdout.readline()
            if not answer:
                _, err = proc.communicate(timeout=10)
                raise RuntimeError(f"replica failed ({proc.returncode}): {err[-2000:]}")
            results.append(json.loads(answer))
        return results

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                assert proc.stdin is not None
                proc.stdin.close()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def total(results: list[dict[str, Any]], outcome: str) -> int:
    return sum(r["outcomes"].get(outcome, 0) for r in results)


def fresh_prefix() -> str:
    return f"replicas-{uuid.uuid4().hex[:12]}"


def breaker_opened_by_one(
    replicas: Replicas, server: RunningServer, redis_url: str
) -> dict[str, Any]:
    """One replica trips the breaker on a failing service; then the others call it."""
    n = replicas.n
    server.faults.clear()
    server.stats.reset()
    server.faults.fail_for(60.0, status=503, route=ROUTE)
    prefix = fresh_prefix()
    common = ("--prefix", prefix, "--failure-threshold", "5", "--recovery-timeout", "30")
    first = replicas.run(1, server, redis_url, *common, "--calls", "10")
    after_first = server.stats.requests
    others = replicas.run(n, server, redis_url, *common, "--calls", "10")[1:]
    server.faults.clear()
    return {
        "replicas": n,
        "first_outcomes": first[0]["outcomes"],
        "requests_by_first": after_first,
        "other_calls": 10 * (n - 1),
        "other_refused": total(others, "circuit_open"),
        "requests_by_others": server.stats.requests - after_first,
    }


def probes_into_outage(
    replicas: Replicas, server: RunningServer, redis_url: str | None, duration: float = 1.0
) -> dict[str, Any]:
    """Every replica calls a service that is down for the whole run, every 10 ms."""
    n = replicas.n
    server.faults.clear()
    server.stats.reset()
    server.faults.fail_for(60.0, status=503, route=ROUTE)
    recovery, threshold = 0.1, 3
    results = replicas.run(
        n,
        server,
        redis_url,
        "--prefix",
        fresh_prefix(),
        "--duration",
        str(duration),
        "--pause",
        "0.01",
        "--failure-threshold",
        str(threshold),
        "--recovery-timeout",
        str(recovery),
    )
    server.faults.clear()
    calls = sum(sum(r["outcomes"].values()) for r in results)
    window = max(r["ended_at"] for r in results) - min(r["started_at"] for r in results)
    windows = math.ceil(window / recovery)
    return {
        "replicas": n,
        "shared": redis_url is not None,
        "calls": calls,
        "requests": server.stats.requests,
        "refused": total(results, "circuit_open"),
        "recovery_windows": windows,
        "trip_requests_bound": n * threshold,
    }


def cache_filled_by_one(
    replicas: Replicas, server: RunningServer, redis_url: str
) -> dict[str, Any]:
    """One replica caches an answer; then every other one asks for it."""
    n = replicas.n
    server.faults.clear()
    server.stats.reset()
    prefix = fresh_prefix()
    first = replicas.run(1, server, redis_url, "--prefix", prefix, "--cache", "--calls", "1")
    after_first = server.stats.requests
    # the first replica takes part too (its new client starts with an empty local cache)
    others = replicas.run(n, server, redis_url, "--prefix", prefix, "--cache", "--calls", "5")[1:]
    return {
        "replicas": n,
        "requests_by_first": after_first,
        "first_ok": first[0]["outcomes"].get("ok", 0),
        "other_calls": 5 * (n - 1),
        "other_ok": total(others, "ok"),
        "requests_by_others": server.stats.requests - after_first,
        "other_shared_hits": sum(r["shared_cache_hits"] for r in others),
        "other_cache_hits": sum(r["cache_hits"] for r in others),
    }


def aggregate_rate(
    replicas: Replicas,
    server: RunningServer,
    redis_url: str,
    scope: str,
    rate: float = 20.0,
    burst: int = 2,
    duration: float = 1.0,
) -> dict[str, Any]:
    """Every replica calls as fast as its limit lets it for ``duration`` seconds."""
    n = replicas.n
    server.faults.clear()
    server.stats.reset()
    results = replicas.run(
        n,
        server,
        redis_url,
        "--prefix",
        fresh_prefix(),
        "--duration",
        str(duration),
        "--rate",
        str(rate),
        "--burst",
        str(burst),
        "--scope",
        scope,
    )
    # from the first replica's start to the last one's end: every request went in there
    elapsed = max(r["ended_at"] for r in results) - min(r["started_at"] for r in results)
    return {
        "replicas": n,
        "scope": scope,
        "limit_per_second": rate,
        "burst": burst,
        "elapsed": round(elapsed, 3),
        "requests": server.stats.requests,
        "requests_per_second": round(server.stats.requests / elapsed, 1),
        "allowed_by_limit": math.floor(rate * elapsed) + burst,
        "refused_locally": total(results, "rate_limited"),
        "backend_failures": sum(r["backend_failures"] for r in results),
    }


def redis_killed_mid_run(
    replicas: Replicas, server: RunningServer, redis: Any, duration: float = 2.0
) -> dict[str, Any]:
    """Every replica calls a healthy service for ``duration`` s, every 10 ms; Redis is
    killed a quarter of the way in and started again (same port) at the half."""
    server.faults.clear()
    server.stats.reset()
    replicas.start(
        replicas.n,
        server,
        redis.url,
        "--prefix",
        fresh_prefix(),
        "--duration",
        str(duration),
        "--pause",
        "0.01",
        "--backend-timeout",
        "0.2",
        "--retry-interval",
        "0.2",
    )
    time.sleep(duration / 4)
    redis.kill()
    time.sleep(duration / 4)
    redis.start()
    results = replicas.collect(replicas.n)
    calls = sum(sum(r["outcomes"].values()) for r in results)
    return {
        "replicas": replicas.n,
        "calls": calls,
        "ok": total(results, "ok"),
        "requests": server.stats.requests,
        "outages_seen": [r["backend_outages"] for r in results],
        "failed_backend_calls": [r["backend_failures"] for r in results],
        "down_at_end": [r["backend_down_at_end"] for r in results],
    }


def limited_by_count(
    replicas: Replicas,
    server: RunningServer,
    redis_url: str,
    scope: str,
    *,
    at: float,
    prefix: str,
    calls: int = 10,
    rate: float = 0.01,
    burst: int = 5,
) -> dict[str, Any]:
    """Every replica makes ``calls`` calls back to back with its clock (and the backend's)
    frozen at ``at`` seconds and ``max_wait=0``: a call is sent only when a slot is free
    at that instant, so what reaches the server is a count the limit decides, however
    fast or loaded the machine is. ``prefix`` names the shared bucket: a second round
    with the same prefix at a later ``at`` shows what the elapsed (injected) time refilled.
    The default rate (one request per 100 s) keeps the bucket's key alive in Redis for
    minutes of real time between rounds."""
    n = replicas.n
    server.faults.clear()
    server.stats.reset()
    results = replicas.run(
        n,
        server,
        redis_url,
        "--prefix",
        prefix,
        "--calls",
        str(calls),
        "--rate",
        str(rate),
        "--burst",
        str(burst),
        "--scope",
        scope,
        "--max-wait",
        "0",
        "--clock",
        repr(at),
    )
    server.stats.wait_idle()
    return {
        "replicas": n,
        "calls": n * calls,
        "requests": server.stats.requests,
        "ok": total(results, "ok"),
        "refused_locally": total(results, "rate_limited"),
        "backend_failures": sum(r["backend_failures"] for r in results),
    }
