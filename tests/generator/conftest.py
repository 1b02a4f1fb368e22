"""Fixtures for the generator's front/back end tests (CLI, load, validate, write)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from generator_samples import PETSTORE
from testdata import CORPUS

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Tests must not read or pollute the user's cache, but may share one between them.
    cache = tmp_path_factory.mktemp("generate-client-cache")
    previous = os.environ.get("GENERATE_CLIENT_CACHE_DIR")
    os.environ["GENERATE_CLIENT_CACHE_DIR"] = str(cache)
    yield
    if previous is None:
        os.environ.pop("GENERATE_CLIENT_CACHE_DIR", None)
    else:
        os.environ["GENERATE_CLIENT_CACHE_DIR"] = previous


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    """Run ``generate-client`` in-process with captured output."""
    from generator.cli import run

    def invoke(*args: str | Path) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        code = run([str(a) for a in args], out=out, err=err)
        return CliResult(code, out.getvalue(), err.getvalue())

    return invoke


@pytest.fixture
def cli_process() -> Callable[..., CliResult]:
    """Run ``python -m generator`` in a child process, as a user would."""

    def invoke(*args: str | Path, cwd: Path | None = None) -> CliResult:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        env.pop("GENERATE_CLIENT_DEBUG", None)
        done = subprocess.run(
            [sys.executable, "-m", "generator", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd or REPO,
            env=env,
            timeout=300,
        )
        return CliResult(done.returncode, done.stdout, done.stderr)

    return invoke


@pytest.fixture
def corpus() -> Path:
    """The vendored real-world documents (``tests/data/corpus``)."""
    return CORPUS


@pytest.fixture
def petstore(tmp_path: Path) -> Path:
    spec = tmp_path / "specs" / "petstore.yaml"
    spec.parent.mkdir()
    spec.write_text(PETSTORE, encoding="utf-8")
    return spec


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def snapshot() -> Callable[[Path], dict[str, bytes]]:
    """Every file under a folder (relative path -> bytes), hidden ones included."""
    return _snapshot
