"""The standby worker (forked before loading, handed the document afterwards) gives the
validator's sequential answer, falls back to a worker of its own when it cannot take the
document, and never outlives the run that started it."""

from __future__ import annotations

import copy
import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from validation_cases import base, cases

from generator import pipeline
from generator.validate import validation as validate_module
from generator.validate import workers as validate_workers
from generator.validate.describe import run_sequential

CASES = cases()


def _validated_by_standby(document: dict[str, Any], kind: str) -> tuple[list[Any], bool]:
    """The answer through a standby, and whether the standby (not a new fork) gave it."""
    ready = validate_workers.standby()
    assert ready is not None, "fork was expected to be available here"
    pending = validate_workers.start(document, kind, use_cache=False, ready=ready)
    assert pending is not None
    try:
        return pending.result(), pending.root.process is ready.process
    finally:
        ready.close()


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_standby_gives_exactly_the_sequential_answer(name: str) -> None:
    document, version = CASES[name]
    snapshot = copy.deepcopy(document)
    kind = validate_module._validator_kind(document, version)
    found, _ = _validated_by_standby(document, kind)
    assert found == run_sequential(document, kind)
    assert document == snapshot


def test_the_standby_takes_the_document_when_it_can() -> None:
    document, _ = CASES["undeclared_path_parameter"]
    found, by_standby = _validated_by_standby(document, "3.0")
    assert by_standby and found == run_sequential(document, "3.0")


def test_a_document_that_cannot_be_pickled_gets_a_worker_of_its_own() -> None:
    class Local(str):  # a local class: pickle cannot name it
        pass

    document = base()
    document["info"]["title"] = Local("T")
    found, by_standby = _validated_by_standby(document, "3.0")
    assert not by_standby and found == run_sequential(document, "3.0")


def test_a_standby_that_died_is_replaced_by_a_new_worker() -> None:
    document, _ = CASES["duplicate_operation_ids"]
    ready = validate_workers.standby()
    assert ready is not None
    ready.process.kill()
    ready.process.join()
    pending = validate_workers.start(document, "3.0", use_cache=False, ready=ready)
    assert pending is not None and pending.root.process is not ready.process
    assert pending.result() == run_sequential(document, "3.0")


def test_a_standby_that_dies_after_taking_the_document_falls_back_to_this_process() -> None:
    document, _ = CASES["bad_default"]
    ready = validate_workers.standby()
    assert ready is not None
    pending = validate_workers.start(document, "3.0", use_cache=False, ready=ready)
    assert pending is not None and pending.root.process is ready.process
    ready.process.kill()  # may already have answered: either way the answer is exact
    assert pending.result() == run_sequential(document, "3.0")


def test_an_unused_standby_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(tmp_path))
    document = base()  # small: validated in this process, the standby is not needed
    ready = validate_workers.standby()
    assert ready is not None
    handle = validate_module.start_validation(
        document, source_name="a", version="3.0", use_cache=True, ready=ready
    )
    assert handle.done() and handle.result() == []
    assert not ready.process.is_alive()


def _large_spec(tmp_path: Path) -> Path:
    """A document over SMALL_DOCUMENT bytes, so generation uses workers and a standby."""
    document = copy.deepcopy(CASES["bad_default"][0])
    document["info"]["description"] = "x" * validate_module.SMALL_DOCUMENT
    spec = tmp_path / "big.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    return spec


def test_generation_hands_a_large_document_to_the_standby(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(tmp_path / "cache"))
    handed: list[bool] = []
    real_hand_over = validate_workers.Standby.hand_over

    def spy(self: validate_workers.Standby, job: Any) -> bool:
        handed.append(real_hand_over(self, job))
        return handed[-1]

    monkeypatch.setattr(validate_workers.Standby, "hand_over", spy)
    spec = _large_spec(tmp_path)
    with_standby = pipeline.generate(spec, out_dir=tmp_path / "a")
    assert handed == [True]
    monkeypatch.setattr(validate_module, "standby", lambda size_hint: None)
    (tmp_path / "cache").rename(tmp_path / "cache-used")
    without = pipeline.generate(spec, out_dir=tmp_path / "b")
    assert handed == [True]
    assert with_standby.files == without.files
    assert [str(w) for w in with_standby.warnings] == [str(w) for w in without.warnings]
    assert any("default" in str(w) for w in with_standby.warnings)
    assert multiprocessing.active_children() == []


def test_a_document_that_fails_to_load_stops_the_standby(cli: Any, tmp_path: Path) -> None:
    spec = tmp_path / "broken.json"
    spec.write_text("{" + '"a": 1, ' * validate_module.SMALL_DOCUMENT, encoding="utf-8")
    result = cli("-o", tmp_path / "out", spec)
    assert result.code == 2 and "broken.json" in result.err
    assert multiprocessing.active_children() == []
