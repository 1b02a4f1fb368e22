"""A short chaos soak (bench/soak.py with ~500 calls) as part of the test suite.

The script is run as the user would run it, in its own process, so the check covers its
flags and its exit status as well as the invariants in its JSON report. The full run
(10,000 calls, a 10 s outage) is recorded in bench/RESULTS.md, not timed here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "soak.py"),
            "--calls=500",
            "--concurrency=20",
            "--outage-seconds=2",
            "--recovery-calls=100",
            "--recovery-timeout=0.5",
            # small enough that ~100 distinct contexts must evict
            "--cache-entries=16",
            "--json=-",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.stdout, result.stderr[-4000:]
    data: dict[str, Any] = json.loads(result.stdout)
    data["exit_status"] = result.returncode
    return data


def test_no_exception_escapes_the_client_error_hierarchy(report: dict[str, Any]) -> None:
    assert report["non_client_error_exceptions"] == 0, report["non_client_error_examples"]


def test_no_side_effect_happens_twice(report: dict[str, Any]) -> None:
    assert report["duplicate_side_effects"] == {"stamping": 0, "tree": 0}


def test_the_fault_mix_was_really_injected(report: dict[str, Any]) -> None:
    # Guards against a vacuous soak: every kind of fault hit some requests.
    injected = report["chaos_faults_injected"]
    assert injected["status"] > 0 and injected["latency"] > 0
    assert injected["reset"] > 0 and injected["reset_after"] > 0
    assert report["phases"]["chaos"]["calls"] == 500
    failures = report["phases"]["chaos"]["typed_failures"]
    assert failures.get("ServerError", 0) > 0
    # Each latency fault outlasts the per-attempt timeout, so the client must have timed
    # attempts out. Whether one of them is also a call's final error depends on which
    # attempt a fault lands on (a retry usually saves it), so count attempts, not calls.
    outcomes = report["phases"]["chaos"]["attempt_outcomes"]
    assert outcomes.get("timeout", 0) > 0 and outcomes.get("transport", 0) > 0


def test_the_outage_opens_the_breakers_and_is_not_amplified(report: dict[str, Any]) -> None:
    outage = report["phases"]["outage"]
    assert outage["amplification"] <= 1.2
    assert outage["typed_failures"].get("CircuitOpenError", 0) > 0
    for client, transitions in report["breaker_transitions"]["by_client"].items():
        assert transitions.get("closed->open", 0) >= 1, client


def test_both_clients_recover_after_the_outage(report: dict[str, Any]) -> None:
    recovery = report["recovery"]
    # The first answer from each server after the outage (cache hits do not count).
    assert None not in recovery["first_server_success_after_outage_s"].values()
    assert None not in recovery["breaker_closed_after_outage_s"].values()
    # After both breakers closed, the last calls (no faults any more) all succeed.
    assert report["phases"]["recovery"]["successes"] >= 100


def test_the_cache_stays_within_its_bound(report: dict[str, Any]) -> None:
    cache = report["cache"]
    assert cache["max_size_seen"] <= cache["bound"]
    assert cache["evictions"] > 0  # the bound was actually reached and enforced


def test_the_script_reports_success_through_its_exit_status(report: dict[str, Any]) -> None:
    assert report["violations"] == []
    assert report["exit_status"] == 0
