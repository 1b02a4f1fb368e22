"""bench/sse_parse.py runs, cross-checks both parsers and prints its figures (no timing
is asserted: the figures belong in bench/RESULTS.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_sse_parse_quick_prints_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "sse_parse.py"), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "machine:" in out and "command:" in out and "load average at end" in out
    assert out.count("the same events with data: True") == 2
    for name in ("ours", "httpx-sse", "ours, typed"):
        assert f"  {name} " in out
