"""A run whose spec file was validated by an earlier run with the cache starts no standby
validation worker: the cache answers, and the worker would only be started to be stopped
(0.03 s of CPU for its imports). A changed file gets its worker again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.validate import workers

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests/data/corpus/kubernetes/v3/apis__apps__v1_openapi.json"


@pytest.fixture
def standbys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the standby workers asked for (none is started: validation forks as usual)."""
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(tmp_path / "cache"))
    asked: list[int] = []

    def no_standby() -> None:
        asked.append(1)

    monkeypatch.setattr(workers, "standby", no_standby)
    return asked


def test_a_file_validated_before_gets_no_standby_worker(
    tmp_path: Path, standbys: list[int]
) -> None:
    spec = tmp_path / "apps.json"
    shutil.copy(SPEC, spec)
    first = pipeline.generate(spec, out_dir=tmp_path / "out")
    assert first.written and standbys == [1]
    second = pipeline.generate(spec, out_dir=tmp_path / "out")
    assert second.warnings == first.warnings and standbys == [1]
    stat = spec.stat()
    os.utime(spec, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    pipeline.generate(spec, out_dir=tmp_path / "out")
    assert standbys == [1, 1]


def test_without_the_cache_every_run_gets_its_standby_worker(
    tmp_path: Path, standbys: list[int]
) -> None:
    spec = tmp_path / "apps.json"
    shutil.copy(SPEC, spec)
    out = tmp_path  # holds the cache folder: a cache inside the output folder is not used
    pipeline.generate(spec, out_dir=out)
    pipeline.generate(spec, out_dir=out)
    assert standbys == [1, 1]


def test_a_file_name_that_is_not_utf8_is_hinted_too(tmp_path: Path, standbys: list[int]) -> None:
    # found on review: the hint's key encoded the path strictly, so a spec whose file name
    # holds a byte that is not UTF-8 (a surrogate in the str) failed with an internal error
    folder = os.fsencode(tmp_path)
    spec = Path(os.fsdecode(folder + b"/apps\xff.json"))
    shutil.copy(SPEC, spec)
    first = pipeline.generate(spec, out_dir=tmp_path / "out", package_name="apps_client")
    assert first.written and standbys == [1]
    pipeline.generate(spec, out_dir=tmp_path / "out", package_name="apps_client")
    assert standbys == [1]
