"""bench/shared_state.py and bench/ab_runtime.py run and print their figures (no timing is
asserted: figures belong in bench/RESULTS.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_shared_state_bench_prints_the_per_call_table() -> None:
    out = _run("bench/shared_state.py", "--quick", "--no-replicas")
    assert "| closed-breaker call, in-memory (default) |" in out
    assert "| cache hit, Redis backend, shared level (1 EVALSHA + decode) |" in out
    assert "shared-level lookups answered by Redis:" in out


def test_ab_runtime_compares_a_revision_with_the_working_tree() -> None:
    out = _run("bench/ab_runtime.py", "--base", "HEAD", "--rounds", "1", "--calls", "100")
    for name in ("pipeline, cache off", "cache hit", "open-breaker rejection"):
        assert f"| {name} |" in out
