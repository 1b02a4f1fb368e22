"""Chaos matrix: both generated clients against the fault servers, one fault per scenario.

Run from the repository root (figures in bench/RESULTS.md, "Chaos matrix")::

    .venv/bin/python bench/chaos.py                  # 600 calls per scenario, about a minute
    .venv/bin/python bench/chaos.py --quick          # 80 per scenario, a few seconds (CI)
    .venv/bin/python bench/chaos.py --json /tmp/chaos.json

Both fault servers (``fault_server.testing``: uvicorn on 127.0.0.1, a free port each, on
their own threads) serve the two generated clients over real loopback sockets. Each
scenario starts from a clean server (no rules, zero counters, no stored idempotent
answers; the fakes' data is kept) and fresh clients (a new breaker and retry budget),
and makes ``--calls`` calls arriving at ``--rate`` per second (open loop, at most
``--max-in-flight`` at once), mixed as in bench/soak.py (idempotent POSTs, GETs, a
multipart upload) plus ``transform_stamp``, a POST the spec does not mark idempotent:

==================  ========================================================================
random_5xx          20% of requests answer 500, 502, 503 or 504 (5% each)
reset_before        10% of connections reset before the handler runs (nothing happened)
reset_after         10% reset after the handler ran: the side effect happened, the answer
                    is lost
slow_drip           20% of answers dribble out, 32 bytes every 50 ms: small ones arrive
                    within the deadline, large ones outlast it
truncated           10% of answers stop halfway through the promised Content-Length
retry_after_storm   from call 1/4 to call 1/2 every request fails with Retry-After: 503
                    with 0.5 s (40%), 429 with 0.2 s (40%), 503 with 60 s, beyond the
                    client's 30 s cap (20%)
server_restart      at call 1/3 both servers restart (a graceful stop letting requests in
                    flight finish, down ``--downtime`` seconds, back on the same port with
                    their data and idempotency records)
==================  ========================================================================

Client settings: the runtime's defaults (``max_attempts`` 3, the retry budget, the
breaker's thresholds, ``retry_after_cap`` 30 s) except ``timeout=1.0`` per attempt,
``deadline=2.0`` per call, backoff 0.05 s doubling to 0.5 s, the breaker's
``recovery_timeout=1.0`` (60 s would turn the rest of a short scenario into
``CircuitOpenError``) and no response cache (every call reaches the server, so
amplification counts retries only).

Reported per scenario: calls, successes, typed errors by class, untyped exceptions
(outside ``ClientError``: must be 0), duplicate side effects (handler runs beyond the
first per ``Idempotency-Key``, from the server's counters: must be 0), calls whose POSTs
did not all carry one key of their own (none, two, or one another call used too: must
be 0), non-idempotent POSTs the server saw more than once (must be 0), the faults the
servers injected, amplification (requests the servers saw / calls) and how often the
clients' breakers opened. Exit status 1 when an invariant is broken or a scenario
overran its time limit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# bench/soak.py: the call mix, and it puts the repository and the generated clients on
# sys.path (generating them first in a checkout without generated/).
from soak import Workload, make_project

# isort: split
from metadata_stamping_client import MetadataStampingClient
from onextree_client import OnexTreeClient

from fault_server.faults import FaultKind, FaultRule
from fault_server.testing import RunningServer, start_server
from resilient_client import (
    BreakerTransition,
    CircuitBreakerConfig,
    ClientConfig,
    ClientError,
    ClientEvents,
    RetryConfig,
    correlation_scope,
)

TRANSFORM_PATH = "/api/v1/metadata-stamping/transform/stamp"
#: a scenario still running this long after its last call was due is cut off
OVERRUN_SECONDS = 30.0
IDLE_TIMEOUT = 10.0


# ---------------------------------------------------------------------------------------
# scenarios


Servers = dict[str, RunningServer]


def _random(kind: FaultKind, probability: float, **fields: Any) -> FaultRule:
    return FaultRule(kind, probability=probability, **fields)


@dataclass
class Scenario:
    name: str
    #: rules armed on both servers for the whole scenario
    rules: Callable[[], list[FaultRule]] = list
    #: (fraction of the calls, action): run when that call is due
    triggers: list[tuple[float, Callable[[Servers, argparse.Namespace], Awaitable[None]]]] = field(
        default_factory=list
    )


def random_5xx() -> list[FaultRule]:
    return [_random(FaultKind.STATUS, 0.05, status=s) for s in (500, 502, 503, 504)]


async def storm_on(servers: Servers, args: argparse.Namespace) -> None:
    storm = [
        FaultRule(FaultKind.STATUS, status=503, retry_after="0.5", probability=0.4),
        FaultRule(FaultKind.STATUS, status=429, retry_after="0.2", probability=0.4),
        FaultRule(FaultKind.STATUS, status=503, retry_after="60", probability=0.2),
    ]
    for server in servers.values():
        for rule in storm:
            server.faults.add(rule)


async def storm_off(servers: Servers, args: argparse.Namespace) -> None:
    for server in servers.values():
        server.faults.clear()


async def restart(servers: Servers, args: argparse.Namespace) -> None:
    # A deploy's graceful stop: requests in flight get up to 5 s to finish (their
    # handlers take milliseconds, but a loaded machine may starve the server thread).
    await asyncio.gather(
        *(asyncio.to_thread(s.restart, args.downtime, grace=5.0) for s in servers.values())
    )


SCENARIOS: list[Scenario] = [
    Scenario("random_5xx", random_5xx),
    Scenario("reset_before", lambda: [_random(FaultKind.RESET, 0.10)]),
    Scenario("reset_after", lambda: [_random(FaultKind.RESET_AFTER, 0.10)]),
    Scenario(
        "slow_drip",
        lambda: [_random(FaultKind.SLOW_BODY, 0.20, chunk_size=32, chunk_delay=0.05)],
    ),
    Scenario("truncated", lambda: [_random(FaultKind.TRUNCATE, 0.10)]),
    Scenario("retry_after_storm", triggers=[(0.25, storm_on), (0.5, storm_off)]),
    Scenario("server_restart", triggers=[(1 / 3, restart)]),
]


# ---------------------------------------------------------------------------------------
# the workload


class ChaosWorkload(Workload):
    """bench/soak.py's mix plus a POST the spec does not mark idempotent (no key)."""

    def __init__(
        self, stamping: MetadataStampingClient, tree: OnexTreeClient, rng: random.Random
    ) -> None:
        super().__init__(stamping, tree, rng)
        self.mix.append((10, "stamping", self._transform_stamp))
        self._weights = [w for w, _, _ in self.mix]

    async def _transform_stamp(self) -> None:
        await self.stamping.transform_stamp(content=self._content())


class BreakerLog(ClientEvents):
    """Counts each client's breaker transitions ("closed->open", ...) for the report."""

    def __init__(self) -> None:
        self.transitions: Counter[str] = Counter()

    def on_breaker_transition(self, event: BreakerTransition) -> None:
        self.transitions[f"{event.from_state.value}->{event.to_state.value}"] += 1


def client_config(log: BreakerLog) -> ClientConfig:
    return ClientConfig(
        timeout=1.0,
        deadline=2.0,
        retry=RetryConfig(backoff_base=0.05, backoff_cap=0.5),
        circuit_breaker=CircuitBreakerConfig(recovery_timeout=1.0),
        cache=None,
        events=[log],
    )


@dataclass
class Result:
    name: str
    calls: int = 0
    successes: int = 0
    typed: Counter[str] = field(default_factory=Counter)
    #: "operation: ErrorClass" -> count, for the JSON report
    typed_by_operation: Counter[str] = field(default_factory=Counter)
    untyped: Counter[str] = field(default_factory=Counter)
    server_requests: int = 0
    duplicates: int = 0
    key_changes: int = 0
    unkeyed_resends: int = 0
    injected: dict[str, int] = field(default_factory=dict)
    breaker: dict[str, dict[str, int]] = field(default_factory=dict)
    restarts: int = 0
    seconds: float = 0.0
    overran: bool = False
    records_complete: bool = True
    #: False when a server still had requests in flight IDLE_TIMEOUT s after the calls
    idle: bool = True

    @property
    def amplification(self) -> float | None:
        return round(self.server_requests / self.calls, 3) if self.calls else None

    def violations(self) -> list[str]:
        found = []
        if self.untyped:
            found.append(f"{sum(self.untyped.values())} untyped exceptions {dict(self.untyped)}")
        if self.duplicates:
            found.append(f"{self.duplicates} duplicate side effects")
        if self.key_changes:
            found.append(f"{self.key_changes} calls without an Idempotency-Key of their own")
        if self.unkeyed_resends:
            found.append(f"{self.unkeyed_resends} non-idempotent POSTs sent twice")
        if self.overran:
            found.append("overran its time limit")
        if not self.records_complete:
            found.append("the servers dropped request records")
        if not self.idle:
            found.append(f"a server was still busy {IDLE_TIMEOUT:g} s after the last call")
        return [f"{self.name}: {v}" for v in found]

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "successes": self.successes,
            "typed_errors": dict(sorted(self.typed.items())),
            "typed_errors_by_operation": dict(sorted(self.typed_by_operation.items())),
            "untyped_exceptions": sum(self.untyped.values()),
            "untyped_examples": list(self.untyped)[:5],
            "duplicate_side_effects": self.duplicates,
            "key_changes": self.key_changes,
            "unkeyed_resends": self.unkeyed_resends,
            "server_requests": self.server_requests,
            "amplification": self.amplification,
            "faults_injected": self.injected,
            "restarts": self.restarts,
            "breaker_transitions": self.breaker,
            "seconds": round(self.seconds, 2),
        }


async def run_scenario(
    scenario: Scenario, servers: Servers, args: argparse.Namespace, seed: int
) -> Result:
    result = Result(scenario.name)
    for server in servers.values():
        server.reset()
        server.faults.seed(seed)
        for rule in scenario.rules():
            server.faults.add(rule)
    restarts_before = {n: s.restarts for n, s in servers.items()}
    logs = {name: BreakerLog() for name in servers}
    stamping = MetadataStampingClient(
        servers["stamping"].base_url, config=client_config(logs["stamping"])
    )
    tree = OnexTreeClient(servers["tree"].base_url, config=client_config(logs["tree"]))
    workload = ChaosWorkload(stamping, tree, random.Random(seed))
    slots = asyncio.Semaphore(args.max_in_flight)
    prefix = f"chaos-{scenario.name}-"
    unkeyed: set[str] = set()

    async def one_call(n: int) -> None:
        call = workload.pick()
        correlation_id = f"{prefix}{n}"
        if call == workload._transform_stamp:
            unkeyed.add(correlation_id)
        try:
            with correlation_scope(correlation_id):
                await call()
        except ClientError as exc:
            result.typed[type(exc).__name__] += 1
            result.typed_by_operation[f"{exc.operation}: {type(exc).__name__}"] += 1
        except Exception as exc:  # the invariant under test: this must never happen
            result.untyped[f"{type(exc).__name__}: {exc}"[:200]] += 1
        else:
            result.successes += 1
        finally:
            slots.release()

    triggers = sorted(
        (
            (max(0, min(args.calls - 1, int(args.calls * f))), action)
            for f, action in scenario.triggers
        ),
        key=lambda t: t[0],
    )
    loop = asyncio.get_running_loop()
    started = loop.time()
    calls: list[asyncio.Task[None]] = []
    actions: list[asyncio.Task[None]] = []
    try:
        async with asyncio.timeout(args.calls / args.rate + OVERRUN_SECONDS):
            for n in range(args.calls):
                delay = started + n / args.rate - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                while triggers and triggers[0][0] == n:
                    actions.append(asyncio.create_task(triggers.pop(0)[1](servers, args)))
                await slots.acquire()
                result.calls += 1
                calls.append(asyncio.create_task(one_call(n)))
            await asyncio.gather(*calls, *actions)
    except TimeoutError:
        result.overran = True
        for task in (*calls, *actions):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*calls, *actions, return_exceptions=True)
    finally:
        await stamping.aclose()
        await tree.aclose()
    result.seconds = loop.time() - started
    result.breaker = {name: dict(sorted(log.transitions.items())) for name, log in logs.items()}

    # What the servers saw, once they have finished every request (a client gives up on
    # a slow or lost answer before the server is done with it).
    injected: Counter[str] = Counter()
    by_call: dict[str, list[Any]] = defaultdict(list)
    for name, server in servers.items():
        try:
            await server.wait_idle(IDLE_TIMEOUT)
        except TimeoutError:
            result.idle = False
        stats = server.stats
        result.server_requests += stats.requests
        result.duplicates += sum(n - 1 for n in stats.side_effects.values() if n > 1)
        injected.update(stats.faults_injected)
        records = stats.records
        result.records_complete &= len(records) == stats.requests
        for record in records:
            if record.correlation_id is not None:
                by_call[record.correlation_id].append(record)
        result.restarts += server.restarts - restarts_before[name]
    result.injected = dict(sorted(injected.items()))
    callers: dict[str, set[str]] = defaultdict(set)  # Idempotency-Key -> correlation ids
    for correlation_id, records in by_call.items():
        posts = [r for r in records if r.method == "POST"]
        if not posts:
            continue
        if correlation_id in unkeyed:
            # Never marked idempotent: only a connect error (nothing reached the server)
            # may be retried, so the server sees such a call once at most.
            result.unkeyed_resends += len(posts) > 1
            continue
        keys = {r.idempotency_key for r in posts}
        if len(keys) != 1 or not posts[0].idempotency_key:
            result.key_changes += 1  # a retry under another key would run the handler again
        for key in keys:
            if key:
                callers[key].add(correlation_id)
    # A key shared by two calls makes the second one a replay of the first (or a 422).
    result.key_changes += sum(len(ids) - 1 for ids in callers.values() if len(ids) > 1)
    return result


# ---------------------------------------------------------------------------------------
# the run


async def chaos(args: argparse.Namespace) -> dict[str, Any]:
    project = make_project(Path(tempfile.mkdtemp(prefix="chaos-")))
    servers: Servers = {}
    started = time.monotonic()
    load_at_start = os.getloadavg()
    try:
        servers["stamping"] = await asyncio.to_thread(start_server, "metadata-stamping")
        servers["tree"] = await asyncio.to_thread(start_server, "onextree", tree_root=str(project))
        chosen = [s for s in SCENARIOS if not args.only or s.name in args.only]
        results = []
        for offset, scenario in enumerate(chosen):
            result = await run_scenario(scenario, servers, args, args.seed + offset)
            results.append(result)
            if not args.json_only:
                print(
                    f"  {scenario.name}: {result.calls} calls in {result.seconds:.1f} s",
                    file=sys.stderr,
                )
    finally:
        for server in servers.values():
            await asyncio.to_thread(server.stop)
    violations = [v for r in results for v in r.violations()]
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {
            "nproc": os.cpu_count(),
            "ram_gib": round(ram, 1),
            "python": platform.python_version(),
            "load_average_start": [round(x, 2) for x in load_at_start],
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
        },
        "settings": {
            "calls": args.calls,
            "rate": args.rate,
            "max_in_flight": args.max_in_flight,
            "downtime": args.downtime,
            "seed": args.seed,
        },
        "scenarios": {r.name: r.as_dict() for r in results},
        "violations": violations,
        "elapsed_seconds": round(time.monotonic() - started, 1),
    }


def _errors(typed: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in typed.items()) or "-"


def table(report: dict[str, Any]) -> str:
    head = (
        f"{'scenario':<18} {'calls':>5} {'ok':>5} {'untyped':>7} {'dup':>3} {'key':>3} "
        f"{'resent':>6} {'requests':>8} {'ampl.':>6} {'opened':>6} {'secs':>5}  "
        "typed errors / faults injected"
    )
    lines = [head, "-" * len(head)]
    for name, r in report["scenarios"].items():
        injected = dict(r["faults_injected"])
        if r["restarts"]:
            injected["restarts"] = r["restarts"]
        opened = sum(
            n
            for transitions in r["breaker_transitions"].values()
            for change, n in transitions.items()
            if change.endswith("->open")
        )
        lines.append(
            f"{name:<18} {r['calls']:>5} {r['successes']:>5} {r['untyped_exceptions']:>7} "
            f"{r['duplicate_side_effects']:>3} {r['key_changes']:>3} {r['unkeyed_resends']:>6} "
            f"{r['server_requests']:>8} {r['amplification']:>6} {opened:>6} {r['seconds']:>5}  "
            f"{_errors(r['typed_errors'])} / {_errors(injected)}"
        )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=600, help="calls per scenario")
    parser.add_argument("--rate", type=float, default=100.0, help="calls started per second")
    parser.add_argument("--max-in-flight", type=int, default=32)
    parser.add_argument("--downtime", type=float, default=0.5, help="server_restart, seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="+", choices=[s.name for s in SCENARIOS])
    parser.add_argument(
        "--quick", action="store_true", help="80 calls per scenario at 200/s, 0.2 s downtime"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the report as JSON ('-': only)")
    args = parser.parse_args(argv)
    if args.quick:
        args.calls, args.rate, args.downtime = 80, 200.0, 0.2
    args.json_only = args.json == "-"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Expected failures by the thousand: counted in the report, not logged.
    for name in ("resilient_client", "fault_server", "uvicorn.error"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False
    report = asyncio.run(chaos(args))
    if args.json_only:
        print(json.dumps(report, indent=2))
    else:
        print(f"command: {report['command']}")
        print(f"date: {report['date']}")
        print(f"machine: {report['machine']}")
        print(table(report))
        print(f"elapsed: {report['elapsed_seconds']} s")
        print(f"violations: {report['violations'] or 'none'}")
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if report["violations"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
