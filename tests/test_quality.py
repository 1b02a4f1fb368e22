"""The code standards are checked by the same command that runs the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HAND_WRITTEN = ["resilient_client", "generator", "fault_server", "tests", "bench"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def _present(paths: list[str]) -> list[str]:
    return [p for p in paths if (ROOT / p).exists()]


def test_ruff_clean() -> None:
    result = _run("ruff", "check", *_present(HAND_WRITTEN))
    assert result.returncode == 0, result.stdout + result.stderr


def test_black_formatted() -> None:
    # generated/ included: the generator's output must already be black-formatted.
    result = _run("black", "--check", "--quiet", *_present([*HAND_WRITTEN, "generated"]))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict_on_runtime_generator_and_server() -> None:
    result = _run("mypy", "--strict", *_present(["resilient_client", "generator", "fault_server"]))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.slow
def test_mypy_strict_on_committed_generated_clients() -> None:
    packages = sorted(
        p.name for p in (ROOT / "generated").iterdir() if (p / "__init__.py").is_file()
    )
    assert packages, "generated/ holds no packages"
    args = [arg for name in packages for arg in ("-p", name)]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": str(ROOT / "generated")},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
