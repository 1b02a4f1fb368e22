"""Fast validation is exact on real and hostile documents: for every document of the
corpus CI subset and of ``hostile/`` that loads, the in-process fast path and the forked
workers report exactly what the validator's sequential pass reports (same problems,
messages, severities and order), the keyword walk over the plain document reports what
the validator's keyword phase reports, and none changes the document."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS / "generator") not in sys.path:  # validation_cases lives with the unit tests
    sys.path.insert(0, str(TESTS / "generator"))

from test_corpus_subset import _subset  # noqa: E402 - pytest puts this folder first
from testdata import CORPUS  # noqa: E402
from validation_cases import assert_exact  # noqa: E402 - needs the path above

from generator.errors import SpecError  # noqa: E402
from generator.load.document import load  # noqa: E402

HOSTILE = Path(__file__).resolve().parent / "hostile"

pytestmark = pytest.mark.slow


def _check(path: Path) -> None:
    try:
        loaded = load(path)
    except SpecError as refused:
        # Nothing reaches validation; the refusal itself must be a clean, located answer.
        assert refused.problems, path.name
        assert all(p.file and p.message for p in refused.problems), refused.problems
        return
    assert_exact(loaded.document, loaded.version)


@pytest.mark.parametrize("file", [pytest.param(e.file, id=e.file) for e in _subset()])
def test_corpus_document_validates_exactly(file: str) -> None:
    _check(CORPUS / file)


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.iterdir() if p.is_file()))
def test_hostile_document_validates_exactly(name: str) -> None:
    _check(HOSTILE / name)
