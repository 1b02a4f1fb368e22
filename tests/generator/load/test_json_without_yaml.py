"""A JSON document is loaded without importing the YAML parser (10 ms of a cold run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import sys
from pathlib import Path
from generator.load.document import load
load(Path(sys.argv[1]))
print("yaml" in sys.modules)
"""


def _yaml_imported(spec: Path) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(spec)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return done.stdout.split() == ["True"]


def test_a_json_document_needs_no_yaml() -> None:
    assert not _yaml_imported(ROOT / "tests/data/corpus/kubernetes/v3/apis__apps__v1_openapi.json")


def test_a_yaml_document_is_parsed_as_yaml() -> None:
    assert _yaml_imported(ROOT / "specs/onextree.yaml")
