"""The generator benchmarks run and print their figures (no timing is asserted: the
figures belong in bench/RESULTS.md, not in pass/fail)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
SMALL_SPEC = ROOT / "specs" / "onextree.yaml"

sys.path.insert(0, str(BENCH))

from _benchutil import (  # noqa: E402
    operation_count,
    prefix_document,
    stage_timings,
    write_prefix_documents,
)
from import_time import parse_importtime  # noqa: E402


def _run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.slow
def test_generate_speed_quick_prints_figures() -> None:
    out = _run("generate_speed.py", "--quick", "--no-opc", "--spec", str(SMALL_SPEC))
    assert "machine:" in out and "command:" in out
    assert "ours cold" in out and "ours warm" in out
    assert "peak memory" in out and "(target <= 300 MiB)" in out
    assert "our lines: " in out and "largest: " in out and "_client.py" in out


@pytest.mark.slow
def test_check_speed_quick_finds_drift() -> None:
    out = _run("check_speed.py", "--quick", "--spec", str(SMALL_SPEC))
    assert "--check, unchanged client, warm cache: wall" in out
    assert "target <= 1.5 s wall:" in out
    assert "--check exited 1" in out and "named the file: ok" in out
    assert "restored the file; --check exited 0" in out


@pytest.mark.slow
def test_import_time_quick_prints_figures() -> None:
    out = _run("import_time.py", "--quick", "--spec", str(SMALL_SPEC))
    assert "package wall" in out and "own self (importtime)" in out
    assert "target: the package (models included" in out
    assert " first " in out and " second " in out


@pytest.mark.slow
def test_validate_speed_prints_before_and_after() -> None:
    out = _run("validate_speed.py", "--rounds", "1", "--spec", str(SMALL_SPEC))
    assert "machine:" in out and "command:" in out
    assert "before (sequential" in out and "after, in-process, cold" in out
    for where in ("auto", "main", "worker"):
        assert f"after, pipeline, schema phase in {where}, cold" in out
    assert "adds" in out


def test_retry_budget_quick_prints_every_budget_and_breaker() -> None:
    out = _run("retry_budget.py", "--quick")
    assert "defaults: {'budget_max_tokens': 50.0, 'budget_token_ratio': 0.5}" in out
    for budget in ("max_tokens=10, ratio=0.1", "max_tokens=50, ratio=0.5", "none (unlimited)"):
        for breaker in ("off", "default", "rate"):
            for rate in ("20%", "100%"):
                pattern = rf"^{re.escape(budget)}\s+{breaker}\s+{rate}\s"
                assert re.search(pattern, out, flags=re.MULTILINE), (budget, breaker, rate)


CHAOS_SCENARIOS = (
    "random_5xx",
    "reset_before",
    "reset_after",
    "slow_drip",
    "truncated",
    "retry_after_storm",
    "server_restart",
)


@pytest.mark.slow
def test_chaos_quick_covers_every_scenario_without_untyped_errors_or_duplicates() -> None:
    out = _run("chaos.py", "--quick")  # exits 1 on a broken invariant
    assert "machine: {'nproc': " in out and "violations: none" in out
    rows = {}
    for line in out.splitlines():
        cells = line.split()
        if cells and cells[0] in CHAOS_SCENARIOS:
            rows[cells[0]] = cells
    assert sorted(rows) == sorted(CHAOS_SCENARIOS)
    for name, cells in rows.items():
        calls, ok, untyped, dup, key, resent = (int(c) for c in cells[1:7])
        assert calls == 80, name
        assert (untyped, dup, key, resent) == (0, 0, 0, 0), name
        assert 0 <= ok <= calls, name
    # Each fault really happened (the server's counters, after the "/" of the row).
    for name, fault in (
        ("random_5xx", "status"),
        ("reset_before", "reset"),
        ("reset_after", "reset_after"),
        ("slow_drip", "slow_body"),
        ("truncated", "truncate"),
        ("retry_after_storm", "status"),
        ("server_restart", "restarts 2"),
    ):
        assert fault in " ".join(rows[name]).split(" / ")[-1], name


def _doc(paths: int) -> dict[str, object]:
    return {
        "openapi": "3.0.3",
        "paths": {f"/p{i}": {"get": {}, "post": {}, "parameters": []} for i in range(paths)},
        "components": {"schemas": {"A": {"type": "object"}}},
    }


def test_prefix_document_keeps_leading_paths_and_all_components() -> None:
    document = _doc(8)
    assert operation_count(document) == 16
    quarter = prefix_document(document, 0.25)
    assert list(quarter["paths"]) == ["/p0", "/p1"]
    assert operation_count(quarter) == 4
    assert quarter["components"] == document["components"]
    assert operation_count(document) == 16  # the original is not modified


def test_write_prefix_documents(tmp_path: Path) -> None:
    spec = tmp_path / "doc.json"
    spec.write_text(json.dumps(_doc(4)))
    written = write_prefix_documents(spec, (0.5, 1.0), tmp_path / "sub")
    assert [(fraction, ops) for fraction, _, ops in written] == [(0.5, 4), (1.0, 8)]
    assert all(path.exists() for _, path, _ in written)


def test_stage_timings_parses_verbose_line() -> None:
    stderr = "x.yaml: warning\nx.yaml: timings: load 0.19s, validate 0.01s (total 0.20s)\n"
    assert stage_timings(stderr) == {"load": 0.19, "validate": 0.01}
    assert stage_timings("nothing") == {}


def test_parse_importtime_sums_own_modules() -> None:
    stderr = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:      1000 |      50000 | httpx\n"
        "import time:      2000 |       2000 |   pkg.models\n"
        "import time:       500 |      60000 | pkg\n"
        "import time:       700 |        700 | pkgother\n"
    )
    own, total, modules = parse_importtime(stderr, "pkg")
    assert own == pytest.approx(0.0025)
    assert total == pytest.approx(0.06)
    assert modules[0] == (0.002, "pkg.models")


@pytest.mark.slow
def test_loopback_overhead_quick_prints_every_column_and_target() -> None:
    out = _run("loopback_overhead.py", "--quick")
    assert "machine:" in out and "command:" in out and "server: raw asyncio Protocol" in out
    for level in (1, 8, 16):
        assert f"== concurrency {level}:" in out
    for label in (
        "raw socket",
        "bare httpx",
        "bare aiohttp",
        "ours on httpx",
        "ours on aiohttp",
        "ours on httptools",
    ):
        assert out.count(f"  {label:17} median ") == 3
    assert out.count("server ceiling: ") == 3
    assert out.count("ours on aiohttp / bare aiohttp: ") == 3
    assert out.count("ours on httptools / bare aiohttp: ") == 3
    assert out.count("(target <= 1.10x)") == 6 and out.count("client CPU ratio: ") == 11
    assert "runtime's own work per call, send step stubbed: on httpx " in out
    assert ", on httptools " in out
    assert out.count("ours on aiohttp / bare httpx: ") == 1
    assert out.count("ours on httptools / bare httpx: ") == 1
    assert out.count("(target <= 0.60x)") == 2


@pytest.mark.slow
def test_loopback_overhead_split_prints_each_part() -> None:
    out = _run("loopback_overhead.py", "--split", "--quick")
    assert "== split at concurrency 16: client CPU per call, 1 rounds" in out
    for label in (
        "bare aiohttp",
        "+ same timeouts, headers",
        "send step alone",
        "httptools send step alone",
        "ours on httptools",
    ):
        assert f"  {label:26} " in out
    assert out.count("x bare aiohttp") == 6


@pytest.mark.slow
def test_sync_overhead_quick_prints_every_comparison() -> None:
    out = _run("sync_overhead.py", "--quick")
    assert "== in-process (MockTransport), one call at a time" in out
    assert "== loopback (server process), one call at a time" in out
    assert "== loopback (server process), 8 callers at once" in out
    assert out.count("sync / async per round:") == 6 and "load average at end" in out
    assert "== import onextree_client" in out and out.count("--no-sync ") == 2


@pytest.mark.slow
def test_generate_speed_measures_a_baseline_commit_in_the_same_rounds() -> None:
    out = _run(
        "generate_speed.py", "--quick", "--no-opc", "--no-warm", "--spec", str(SMALL_SPEC),
        "--baseline", "HEAD",
    )  # fmt: skip
    assert "baseline: committed snapshot of generator/ and templates/ at" in out
    assert "base cold" in out and "ours cold / base cold" in out


def test_pagination_census_counts_the_vendored_corpus() -> None:
    out = _run("pagination_census.py", "--corpus", str(ROOT / "tests" / "data" / "corpus"))
    assert "github/octokit-cache-api.github.com.json: 183/771 {'link': 148, 'page': 35}" in out
    assert "    link     GET /app/installations  items=None param=None" in out
    totals = out.strip().splitlines()[-1]
    assert re.search(r"\d+ documents built \(\d+ refused\), \d+ operations, \d+ with _iter", totals)


def test_telemetry_overhead_prints_every_contender() -> None:
    out = _run("telemetry_overhead.py", "-n", "20")
    assert "machine:" in out and "command:" in out
    for label in ("no sink", "+ PrometheusMetrics", "+ OpenTelemetryEvents", "+ both"):
        assert f"| client {label} |" in out or f"| client, {label} |" in out, label
    # Two traced clients, 7 rounds of 20 calls each (plus none untimed): 280 spans.
    assert "spans exported: 280;" in out
