"""Chaos soak: both generated clients under a fault mix, a full outage, then recovery.

Full runs (the figures in bench/RESULTS.md, "Chaos soak")::

    .venv/bin/python bench/soak.py --calls 10000 --concurrency 50 --outage-seconds 10
    .venv/bin/python bench/soak.py --calls 10000 --concurrency 50 --outage-seconds 10 \
        --budget-ratio 0.5

The recorded runs predate the retry budget defaults of issue 15 (50 tokens, 0.5 refunded
per success; before: 10 and 0.1): they passed 0.1 (the default then) or 0.5.

The test suite runs a small version (tests/integration/test_soak.py)::

    .venv/bin/python bench/soak.py --calls 500 --concurrency 20 --outage-seconds 2 --json -

What happens:

1. Two fault servers (``python -m fault_server``) start as child processes on 127.0.0.1, so
   the memory figure is the client process alone and the servers use the other core.
2. **Chaos phase**: ``--concurrency`` workers make ``--calls`` calls, mixed over both
   clients (writes, reads, cached reads, uploads). Meanwhile the servers inject about 20%
   HTTP 503, 5% connection resets (half before the handler, half after it so a response
   with a side effect is lost) and 5% latency beyond the client's per-attempt timeout.
   The servers draw the mix themselves (the fault server's random mode: rules with a
   probability, one shared draw per request for 503/reset, latency drawn on its own).
   ``--arm-from-client`` instead draws each attempt in this process and arms count-1
   rules through the control API, which is how the runs recorded before the random mode
   existed were driven.
   The mix the servers really injected is reported from their own counters.
3. **Outage phase**: every request to both servers answers 503 for ``--outage-seconds``
   while the workers keep calling.
4. **Recovery phase**: the outage rule is removed; the workers keep calling until both
   breakers have closed and then ``--recovery-calls`` more calls (at most 60 s).

Reported (one JSON document with ``--json``, else a readable summary): calls and
outcomes per phase, typed failures by kind, exceptions outside ``ClientError`` (must be
0), duplicate side effects (a second successful, non-replayed handler run for one
Idempotency-Key, from the server's request records: must be 0; an upper bound that also
counts runs whose answer was lost is reported beside it), retry amplification (server
requests / client calls) overall and per phase, breaker transitions, time from the end
of the outage to each server's first good answer and to each breaker closing, peak
memory (the process's maximum RSS; ``--tracemalloc`` adds the Python heap peak of the
call phases), and the largest cache size seen against its bound. Exit status 1 when an
invariant is broken (non-ClientError exceptions, duplicates, outage amplification above
1.2, no recovery, cache above its bound).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere: the runtime is not installed
    sys.path.insert(0, str(ROOT))

from resilient_client import (  # noqa: E402
    BreakerTransition,
    CacheConfig,
    CircuitBreakerConfig,
    CircuitState,
    ClientConfig,
    ClientError,
    ClientEvents,
    RequestEvent,
    ResponseEvent,
    RetryConfig,
)

PACKAGES = ("metadata_stamping_client", "onextree_client")
SPECS = ("specs/metadata_stamping.yaml", "specs/onextree.yaml")
OUTAGE_AMPLIFICATION_LIMIT = 1.2
RECOVERY_LIMIT_SECONDS = 60.0


def _put_clients_on_path() -> None:
    """Use the committed ``generated/`` packages; generate them if a checkout lacks them."""
    location = ROOT / "generated"
    if not all((location / p / "__init__.py").is_file() for p in PACKAGES):
        location = Path(tempfile.mkdtemp(prefix="soak-clients-"))
        subprocess.run(
            [sys.executable, "-m", "generator", "-q", "-o", str(location), *SPECS],
            cwd=ROOT,
            check=True,
        )
    sys.path.insert(0, str(location))


_put_clients_on_path()

from metadata_stamping_client import MetadataStampingClient  # noqa: E402
from onextree_client import OnexTreeClient  # noqa: E402

# ---------------------------------------------------------------------------------------
# servers


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    control: httpx.AsyncClient

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        # Belt and braces beside the short keep-alive expiry: a connection the server
        # closed just as it was reused processed nothing; one retry on a fresh one.
        for attempt in (1, 2):
            try:
                response = await self.control.request(method, f"/__faults__/{path}", **kwargs)
            except httpx.TransportError:
                if attempt == 2:
                    raise
                continue
            response.raise_for_status()
            return response
        raise AssertionError("unreachable")

    async def post(self, path: str, body: dict[str, Any]) -> None:
        await self._send("POST", path, json=body)

    async def put(self, path: str, body: dict[str, Any]) -> None:
        await self._send("PUT", path, json=body)

    async def clear_rules(self) -> None:
        await self._send("DELETE", "rules")

    async def counters(self) -> dict[str, Any]:
        """The server's counters once nothing is in flight (no per-request records)."""
        response = await self._send("GET", "stats", params={"idle_timeout": 10, "records": "false"})
        data: dict[str, Any] = response.json()
        return data

    async def stats(self) -> dict[str, Any]:
        """Counters plus what the per-request records show, read in a child process.

        The records list every request (megabytes in a full run); parsing them in a child
        keeps them out of this process's peak memory, which is meant to be the clients'.
        """
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            _READ_COUNTERS,
            f"{self.base_url}/__faults__/stats?idle_timeout=10",
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"could not read the stats of {self.name}")
        counters: dict[str, Any] = json.loads(out)
        return counters


# Besides the counters, the child derives from the per-request records, per
# Idempotency-Key, the handler runs that changed something:
#  - "certain": answered 2xx without being a replay. Two of these for one key are a
#    duplicate side effect, beyond doubt.
#  - "possible": those plus the runs whose answer was lost (reset_after, truncate): the
#    handler ran, but the record cannot say whether it succeeded. An upper bound.
# The server's own ``side_effects`` counts every handler run, including runs on a body
# the fault server lost after the client had gone (they fail with 422, change nothing).
_READ_COUNTERS = """
import collections, json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=30) as response:
    stats = json.load(response)
certain, possible = collections.Counter(), collections.Counter()
for r in stats["records"]:
    key = r["idempotency_key"]
    if key is None or r["replayed"] or r["fault"] in ("status", "reset"):
        continue
    if (r["status"] or 0) // 100 == 2:
        certain[key] += 1
        possible[key] += 1
    elif r["fault"] in ("reset_after", "truncate"):
        possible[key] += 1
counters = {k: v for k, v in stats.items() if k not in ("records", "correlation_ids")}
counters["certain_side_effects"] = dict(certain)
counters["possible_side_effects"] = dict(possible)
counters["records_kept"] = len(stats["records"])
repeated = [k for k, n in possible.items() if n > 1][:5]
counters["repeat_examples"] = {
    k: [r for r in stats["records"] if r["idempotency_key"] == k] for k in repeated
}
print(json.dumps(counters))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def start_server(service: str, *extra: str) -> Server:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "fault_server", service, "--port", str(port), *extra],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    # uvicorn closes an idle keep-alive connection after 5 s; reusing one at that moment
    # fails with "Server disconnected". Expiring idle control connections sooner means
    # the race cannot happen (the outage phase leaves them idle for seconds).
    control = httpx.AsyncClient(
        base_url=base_url, timeout=10.0, limits=httpx.Limits(keepalive_expiry=1.0)
    )
    deadline = time.monotonic() + 30.0
    while True:
        try:
            (await control.get("/__faults__/rules")).raise_for_status()
            return Server(service, process, base_url, control)
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                await control.aclose()
                process.kill()
                raise RuntimeError(f"fault server {service} did not start") from None
            await asyncio.sleep(0.05)


async def stop_server(server: Server) -> None:
    await server.control.aclose()
    server.process.terminate()
    try:
        server.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


# ---------------------------------------------------------------------------------------
# client-side observation


class Observer(ClientEvents):
    """Counts attempts, has each drawn against the fault mix, records breaker transitions."""

    def __init__(self, name: str, started: float) -> None:
        self.name = name
        self.started = started
        self.attempts = 0
        self.transitions: list[dict[str, Any]] = []
        #: how each attempt ended ("success", "http_5xx", "timeout", "transport"...): a
        #: latency fault shows here as a timeout even when a retry then saved the call
        self.attempt_outcomes: Counter[str] = Counter()
        self.injector: FaultInjector | None = None
        #: set at the end of the outage; the first attempt the server answers well after
        #: it is the recovery (a cache hit is a success the server had no part in)
        self.watch_from: float | None = None
        self.first_server_success: float | None = None

    def on_response(self, event: ResponseEvent) -> None:
        self.attempt_outcomes[event.outcome] += 1
        if (
            self.watch_from is not None
            and self.first_server_success is None
            and event.outcome == "success"
        ):
            self.first_server_success = time.monotonic()

    def on_request(self, event: RequestEvent) -> None:
        self.attempts += 1
        if self.injector is not None:
            self.injector.draw()

    def on_breaker_transition(self, event: BreakerTransition) -> None:
        self.transitions.append(
            {
                "client": self.name,
                "at": round(time.monotonic() - self.started, 3),
                "from": event.from_state.value,
                "to": event.to_state.value,
                "reason": event.reason,
            }
        )


def attempt_outcomes(observers: Iterable[Observer]) -> Counter[str]:
    """How every attempt so far ended, all clients together."""
    return sum((o.attempt_outcomes for o in observers), Counter())


@dataclass
class PhaseStats:
    name: str
    calls: int = 0
    successes: int = 0
    typed_failures: Counter[str] = field(default_factory=Counter)
    other_exceptions: Counter[str] = field(default_factory=Counter)
    started: float = 0.0
    ended: float = 0.0
    server_requests: int = 0
    #: how the phase's attempts ended, from the observers (see ``Observer.attempt_outcomes``)
    attempt_outcomes: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        seconds = self.ended - self.started
        return {
            "calls": self.calls,
            "successes": self.successes,
            "typed_failures": dict(sorted(self.typed_failures.items())),
            "other_exceptions": dict(self.other_exceptions),
            "seconds": round(seconds, 3),
            "calls_per_second": round(self.calls / seconds, 1) if seconds > 0 else None,
            "server_requests": self.server_requests,
            "attempt_outcomes": dict(sorted(self.attempt_outcomes.items())),
            "amplification": (round(self.server_requests / self.calls, 4) if self.calls else None),
        }


# ---------------------------------------------------------------------------------------
# the workload


class Workload:
    """One call at a time, chosen at random over both clients' operations."""

    def __init__(
        self, stamping: MetadataStampingClient, tree: OnexTreeClient, rng: random.Random
    ) -> None:
        self.stamping = stamping
        self.tree = tree
        self.rng = rng
        self.known_hashes: list[str] = []
        self.sequence = 0
        # (weight, client, call): writes, reads, an upload and cached reads
        self.mix: list[tuple[int, str, Callable[[], Awaitable[None]]]] = [
            (15, "stamping", self._create_stamp),
            (15, "stamping", self._get_stamp),
            (10, "stamping", self._generate_hash),
            (10, "stamping", self._validate_stamp),
            (25, "tree", self._get_intelligence),
            (15, "tree", self._query_files),
            (10, "tree", self._get_stats),
        ]
        self._weights = [w for w, _, _ in self.mix]

    def pick(self) -> Callable[[], Awaitable[None]]:
        return self.rng.choices(self.mix, weights=self._weights)[0][2]

    def _content(self) -> str:
        self.sequence += 1
        return f"soak content {self.sequence} {self.rng.random()}\n"

    async def _create_stamp(self) -> None:
        stamp = await self.stamping.create_stamp(content=self._content(), namespace="soak")
        if len(self.known_hashes) < 1000:
            self.known_hashes.append(stamp.file_hash)
        else:
            self.known_hashes[self.rng.randrange(1000)] = stamp.file_hash

    async def _get_stamp(self) -> None:
        if not self.known_hashes:
            await self._create_stamp()
            return
        await self.stamping.get_stamp(self.rng.choice(self.known_hashes))

    async def _generate_hash(self) -> None:
        await self.stamping.generate_hash(file=self._content().encode(), namespace="soak")

    async def _validate_stamp(self) -> None:
        await self.stamping.validate_stamp(content=self._content())

    async def _get_intelligence(self) -> None:
        # 256 contexts against a 64-entry cache: hits, misses and evictions all happen.
        await self.tree.get_intelligence(context=f"context {self.rng.randrange(256)}")

    async def _query_files(self) -> None:
        await self.tree.query_files(query=self.rng.choice([".py", ".md", "module", "pkg/"]))

    async def _get_stats(self) -> None:
        await self.tree.get_stats()


async def run_phase(
    workload: Workload,
    phase: PhaseStats,
    concurrency: int,
    more: Callable[[], bool],
) -> None:
    """``concurrency`` workers call while ``more()`` says so; every outcome is classified."""
    phase.started = time.monotonic()

    async def worker() -> None:
        while more():
            phase.calls += 1
            call = workload.pick()
            try:
                await call()
            except ClientError as exc:
                phase.typed_failures[type(exc).__name__] += 1
            except Exception as exc:  # the invariant under test: this must never happen
                phase.other_exceptions[f"{type(exc).__name__}: {exc}"[:200]] += 1
            else:
                phase.successes += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    phase.ended = time.monotonic()


@dataclass
class FaultMix:
    status_503: float = 0.20
    reset: float = 0.05
    latency: float = 0.05
    latency_seconds: float = 0.5


class FaultInjector:
    """Draws each attempt against the fault mix and arms what it drew on the server.

    The fault server only has counted rules, consumed by whichever request arrives next,
    so a fault is armed (one rule, count 1) the moment an attempt draws one. Arming in
    batches per time tick was tried first: the batch was consumed by the next handful of
    requests in a row, a burst of failures that no random 30% mix produces.
    """

    def __init__(self, server: Server, mix: FaultMix, rng: random.Random) -> None:
        self.server = server
        self.mix = mix
        self.rng = rng
        self.enabled = False
        self.queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        self.drawn = 0
        self.armed = 0

    def draw(self) -> None:
        if not self.enabled:
            return
        before = self.queue.qsize()
        self._draw()
        self.drawn += self.queue.qsize() - before

    def _draw(self) -> None:
        mix, rng = self.mix, self.rng
        roll = rng.random()
        if roll < mix.status_503:
            self.queue.put_nowait(("fail-next", {"count": 1, "status": 503}))
        elif roll < mix.status_503 + mix.reset:
            # Half before the handler (nothing happened), half after it (the side effect
            # happened and the response is lost: the idempotency key must save the day).
            after = rng.random() < 0.5
            self.queue.put_nowait(("reset-next", {"count": 1, "after_handler": after}))
        # Latency is drawn on its own: it delays a request whatever else hits it.
        if rng.random() < mix.latency:
            self.queue.put_nowait(("latency", {"seconds": mix.latency_seconds, "count": 1}))

    async def run(self) -> None:
        while True:
            path, body = await self.queue.get()
            await self.server.post(path, body)
            self.armed += 1


# ---------------------------------------------------------------------------------------
# the run


async def arm_random_mix(server: Server, mix: FaultMix, seed: int) -> None:
    """The fault server's random mode: rules that hit each request with a probability.

    Random rules share one draw per request, so 503 and the two resets never hit the same
    request; latency is drawn on its own and may come on top of either.
    """
    await server.put("seed", {"seed": seed})
    half = mix.reset / 2
    rules: list[dict[str, Any]] = [
        {"kind": "status", "status": 503, "probability": mix.status_503},
        {"kind": "reset", "probability": half},
        {"kind": "reset_after", "probability": half},
        {"kind": "latency", "latency": mix.latency_seconds, "probability": mix.latency},
    ]
    for rule in rules:
        await server.post("rules", rule)


async def sample_cache(tree: OnexTreeClient, sizes: list[int], period: float) -> None:
    while True:
        sizes.append(tree.cache_stats().size)
        await asyncio.sleep(period)


def _rss_peak_mib() -> float:
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


@contextlib.contextmanager
def _tracemalloc_window(peaks: list[int], enabled: bool) -> Iterator[None]:
    """Measure the Python heap peak of a call phase only (not the stats read after it)."""
    if enabled:
        tracemalloc.reset_peak()
    try:
        yield
    finally:
        if enabled:
            peaks.append(tracemalloc.get_traced_memory()[1])


def make_project(root: Path) -> Path:
    project = root / "project"
    for i in range(40):
        package = project / f"pkg{i % 5}"
        package.mkdir(parents=True, exist_ok=True)
        (package / f"module{i}.py").write_text(f"VALUE = {i}\n")
    (project / "README.md").write_text("# soak\n")
    return project


async def soak(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    project = make_project(tmp)
    servers = {
        "stamping": await start_server("metadata-stamping"),
        "tree": await start_server("onextree", "--tree-root", str(project)),
    }
    observers = {name: Observer(name, started) for name in servers}
    cache_bound = args.cache_entries

    def config(name: str) -> ClientConfig:
        return ClientConfig(
            timeout=args.timeout,
            deadline=args.deadline,
            retry=RetryConfig(
                max_attempts=3,
                backoff_base=0.02,
                backoff_cap=0.2,
                **({} if args.budget_ratio is None else {"budget_token_ratio": args.budget_ratio}),
            ),
            circuit_breaker=CircuitBreakerConfig(
                # A rate window rather than a short consecutive count: 30% of attempts
                # failing is the weather this soak is about, a full outage is not.
                failure_threshold=20,
                failure_rate_threshold=0.5,
                window_size=100,
                minimum_calls=20,
                recovery_timeout=args.recovery_timeout,
                half_open_max_calls=3,
                success_threshold=2,
            ),
            cache=CacheConfig(max_entries=cache_bound),
            events=[observers[name]],
        )

    stamping = MetadataStampingClient(servers["stamping"].base_url, config=config("stamping"))
    tree = OnexTreeClient(servers["tree"].base_url, config=config("tree"))
    workload = Workload(stamping, tree, rng)
    cache_sizes: list[int] = []
    heap_peaks: list[int] = []
    if args.tracemalloc:
        tracemalloc.start()

    async def total_requests() -> int:
        return sum([(await s.counters())["requests"] for s in servers.values()])

    try:
        # -- chaos ------------------------------------------------------------------
        chaos = PhaseStats("chaos")
        budget = iter(range(args.calls))
        mix = FaultMix(latency_seconds=args.timeout * 1.5)
        injectors: list[FaultInjector] = []
        if args.arm_from_client:
            injectors = [FaultInjector(s, mix, rng) for s in servers.values()]
            for observer, injector in zip(observers.values(), injectors, strict=True):
                observer.injector = injector
                injector.enabled = True
        else:
            for offset, server in enumerate(servers.values()):
                await arm_random_mix(server, mix, args.seed + offset)
        # A few arming requests in flight per server, so a loaded server's slower control
        # answers do not build a backlog (order matters little: the draws are random).
        tasks = [asyncio.create_task(i.run()) for i in injectors for _ in range(4)]
        tasks.append(asyncio.create_task(sample_cache(tree, cache_sizes, args.tick)))
        with _tracemalloc_window(heap_peaks, args.tracemalloc):
            await run_phase(
                workload, chaos, args.concurrency, lambda: next(budget, None) is not None
            )
        for injector in injectors:
            injector.enabled = False
        injection: dict[str, Any] = {"mode": "the fault server's random rules"}
        if injectors:
            injection = {
                name: {"drawn": i.drawn, "armed": i.armed, "not_armed_in_time": i.queue.qsize()}
                for name, i in zip(servers, injectors, strict=True)
            }
        for task in tasks:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks)
        for server in servers.values():
            await server.clear_rules()
        chaos.server_requests = await total_requests()
        chaos.attempt_outcomes = attempt_outcomes(observers.values())
        chaos_stats = {name: await s.counters() for name, s in servers.items()}

        # -- outage -----------------------------------------------------------------
        outage = PhaseStats("outage")
        for server in servers.values():
            await server.post("rules", {"kind": "status", "status": 503})
        outage_until = time.monotonic() + args.outage_seconds
        with _tracemalloc_window(heap_peaks, args.tracemalloc):
            await run_phase(
                workload, outage, args.concurrency, lambda: time.monotonic() < outage_until
            )
        # Counted while the outage rule is still on and nothing is in flight; the rule is
        # lifted only then, so the recovery workers start the moment the outage ends.
        requests_after_outage = await total_requests()
        outage.server_requests = requests_after_outage - chaos.server_requests
        outage.attempt_outcomes = attempt_outcomes(observers.values()) - chaos.attempt_outcomes
        for server in servers.values():
            await server.clear_rules()
        outage_ended = time.monotonic()
        for observer in observers.values():
            observer.watch_from = outage_ended
        breaker_states_at_outage_end = {
            "stamping": stamping.circuit_breaker.state.value,
            "tree": tree.circuit_breaker.state.value,
        }

        # -- recovery ---------------------------------------------------------------
        recovery = PhaseStats("recovery")
        # Calls counted only once both breakers are closed again: the tail of the run
        # shows the steady state after recovery, not just the first success.
        recovery_calls = iter(range(args.recovery_calls))
        give_up = outage_ended + RECOVERY_LIMIT_SECONDS

        def keep_recovering() -> bool:
            if time.monotonic() > give_up:
                return False
            if any(c.circuit_breaker.state is not CircuitState.CLOSED for c in (stamping, tree)):
                return True
            return next(recovery_calls, None) is not None

        with _tracemalloc_window(heap_peaks, args.tracemalloc):
            await run_phase(workload, recovery, args.concurrency, keep_recovering)
        recovery.server_requests = await total_requests() - requests_after_outage
        recovery.attempt_outcomes = (
            attempt_outcomes(observers.values()) - chaos.attempt_outcomes - outage.attempt_outcomes
        )
        final_stats = {name: await s.stats() for name, s in servers.items()}
        cache_sizes.append(tree.cache_stats().size)
        final_cache = tree.cache_stats().as_dict()
        metrics = {"stamping": stamping.metrics().as_dict(), "tree": tree.metrics().as_dict()}
    finally:
        await stamping.aclose()
        await tree.aclose()
        for server in servers.values():
            await stop_server(server)
        if args.tracemalloc:
            tracemalloc.stop()

    phases = [chaos, outage, recovery]
    calls = sum(p.calls for p in phases)
    requests = sum(p.server_requests for p in phases)
    typed: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for p in phases:
        typed.update(p.typed_failures)
        other.update(p.other_exceptions)

    def beyond_first(runs: dict[str, int]) -> int:
        return sum(n - 1 for n in runs.values() if n > 1)

    duplicates = {name: beyond_first(s["certain_side_effects"]) for name, s in final_stats.items()}
    possible_duplicates = {
        name: beyond_first(s["possible_side_effects"]) for name, s in final_stats.items()
    }
    handler_reruns = {name: beyond_first(s["side_effects"]) for name, s in final_stats.items()}
    records_complete = all(s["records_kept"] == s["requests"] for s in final_stats.values())

    def recovered_after(observer: Observer) -> float | None:
        at = observer.first_server_success
        return round(at - outage_ended, 3) if at is not None else None

    def closed_after(observer: Observer) -> float | None:
        end = outage_ended - started
        closes = [t["at"] for t in observer.transitions if t["to"] == "closed" and t["at"] > end]
        return round(min(closes) - end, 3) if closes else None

    injected_total: Counter[str] = Counter()
    for s in chaos_stats.values():
        injected_total.update(s["faults_injected"])
    chaos_requests = sum(s["requests"] for s in chaos_stats.values())
    transitions = sorted(
        (t for o in observers.values() for t in o.transitions), key=lambda t: t["at"]
    )
    report: dict[str, Any] = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "settings": {
            "calls": args.calls,
            "concurrency": args.concurrency,
            "outage_seconds": args.outage_seconds,
            "recovery_calls": args.recovery_calls,
            "timeout": args.timeout,
            "deadline": args.deadline,
            "recovery_timeout": args.recovery_timeout,
            "cache_max_entries": cache_bound,
            "budget_token_ratio": (
                RetryConfig().budget_token_ratio if args.budget_ratio is None else args.budget_ratio
            ),
            "arm_from_client": args.arm_from_client,
            "seed": args.seed,
        },
        "machine": {"nproc": os.cpu_count(), "python": sys.version.split()[0]},
        "calls": calls,
        "successes": sum(p.successes for p in phases),
        "typed_failures": dict(sorted(typed.items())),
        "non_client_error_exceptions": sum(other.values()),
        "non_client_error_examples": list(other)[:5],
        "duplicate_side_effects": duplicates,
        # an upper bound: counts handler runs whose answer was lost as if they succeeded
        "possible_duplicate_side_effects": possible_duplicates,
        # the server's raw count: handler runs beyond the first per key, whatever they did
        "handler_reruns_per_key": handler_reruns,
        "repeat_examples": {n: s["repeat_examples"] for n, s in final_stats.items()},
        # the duplicate count relies on per-request records, which the server caps
        "records_complete": records_complete,
        "server_requests": requests,
        "amplification_overall": round(requests / calls, 4) if calls else None,
        "phases": {p.name: p.as_dict() for p in phases},
        "chaos_fault_arming": injection,
        "chaos_faults_injected": {
            "requests": chaos_requests,
            **{k: v for k, v in sorted(injected_total.items())},
            "fractions": {
                k: round(v / chaos_requests, 4) for k, v in sorted(injected_total.items())
            },
        },
        "breaker_states_at_outage_end": breaker_states_at_outage_end,
        "breaker_transitions": {
            "count": len(transitions),
            "by_client": {
                name: Counter(f"{t['from']}->{t['to']}" for t in o.transitions)
                for name, o in observers.items()
            },
            "outage_started_at": round(outage.started - started, 3),
            "outage_ended_at": round(outage_ended - started, 3),
            # every transition (a few dozen in a full run), capped in case a breaker flaps
            "all": transitions[:400],
        },
        "recovery": {
            "first_server_success_after_outage_s": {
                n: recovered_after(o) for n, o in observers.items()
            },
            "breaker_closed_after_outage_s": {n: closed_after(o) for n, o in observers.items()},
        },
        "memory": {
            "tracemalloc_peak_mib_during_calls": (
                round(max(heap_peaks) / 2**20, 2) if heap_peaks else None
            ),
            "max_rss_mib": round(_rss_peak_mib(), 1),
        },
        "cache": {"bound": cache_bound, "max_size_seen": max(cache_sizes), **final_cache},
        "client_metrics_total": {n: m["total"] for n, m in metrics.items()},
        "elapsed_seconds": round(time.monotonic() - started, 2),
    }
    report["violations"] = violations(report)
    return report


def violations(report: dict[str, Any]) -> list[str]:
    found = []
    if report["non_client_error_exceptions"]:
        found.append(f"{report['non_client_error_exceptions']} exceptions outside ClientError")
    if not report["records_complete"]:
        found.append("the server dropped request records: duplicates cannot be ruled out")
    if any(report["duplicate_side_effects"].values()):
        found.append(f"duplicate side effects: {report['duplicate_side_effects']}")
    outage_amp = report["phases"]["outage"]["amplification"]
    if outage_amp is not None and outage_amp > OUTAGE_AMPLIFICATION_LIMIT:
        found.append(f"outage amplification {outage_amp} > {OUTAGE_AMPLIFICATION_LIMIT}")
    recovery = report["recovery"]
    if None in recovery["first_server_success_after_outage_s"].values():
        found.append("a client never succeeded after the outage")
    if None in recovery["breaker_closed_after_outage_s"].values() and any(
        s != "closed" for s in report["breaker_states_at_outage_end"].values()
    ):
        found.append("a breaker opened by the outage never closed")
    if report["cache"]["max_size_seen"] > report["cache"]["bound"]:
        found.append("cache grew beyond its bound")
    return found


def summary(report: dict[str, Any]) -> str:
    lines = [
        f"calls {report['calls']}, successes {report['successes']}, "
        f"server requests {report['server_requests']}, "
        f"amplification {report['amplification_overall']}",
        f"typed failures: {report['typed_failures']}",
        f"exceptions outside ClientError: {report['non_client_error_exceptions']}",
        f"duplicate side effects: {report['duplicate_side_effects']} (upper bound "
        f"{report['possible_duplicate_side_effects']}, raw handler reruns per key "
        f"{report['handler_reruns_per_key']})",
    ]
    for name, phase in report["phases"].items():
        lines.append(f"{name}: {json.dumps(phase)}")
    lines += [
        f"faults injected in chaos: {json.dumps(report['chaos_faults_injected'])}",
        f"fault arming: {json.dumps(report['chaos_fault_arming'])}",
        f"breaker transitions: {json.dumps(report['breaker_transitions']['by_client'])}",
        f"recovery: {json.dumps(report['recovery'])}",
        f"memory: {json.dumps(report['memory'])}",
        f"cache: {json.dumps(report['cache'])}",
        f"elapsed: {report['elapsed_seconds']} s",
        f"violations: {report['violations'] or 'none'}",
    ]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=10_000, help="calls in the chaos phase")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--outage-seconds", type=float, default=10.0)
    parser.add_argument(
        "--recovery-calls",
        type=int,
        default=1000,
        help="calls after both breakers have closed again",
    )
    parser.add_argument("--timeout", type=float, default=2.0, help="per attempt, seconds")
    parser.add_argument("--deadline", type=float, default=6.0, help="per call, seconds")
    parser.add_argument("--recovery-timeout", type=float, default=1.0, help="breaker, seconds")
    parser.add_argument("--cache-entries", type=int, default=64)
    parser.add_argument(
        "--budget-ratio",
        type=float,
        default=None,
        help="retry budget tokens refunded per success (default: the runtime's, "
        f"{RetryConfig().budget_token_ratio:g}; runs A and D in bench/RESULTS.md used 0.1)",
    )
    parser.add_argument("--tick", type=float, default=0.05, help="cache size sampling period")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--arm-from-client",
        action="store_true",
        help=(
            "draw each attempt in this process and arm count-1 rules through the control "
            "API (how runs were driven before the fault server had a random mode)"
        ),
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also measure the Python heap peak (slows every allocation, about 2x here)",
    )
    parser.add_argument("--json", metavar="PATH", help="write the report as JSON ('-': stdout)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Thousands of expected failures would otherwise reach stderr through logging's
    # last-resort handler; the report counts them instead.
    logging.getLogger("resilient_client").addHandler(logging.NullHandler())
    report = asyncio.run(soak(args))
    if args.json == "-":
        print(json.dumps(report, indent=2))
    else:
        print(summary(report))
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if report["violations"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
