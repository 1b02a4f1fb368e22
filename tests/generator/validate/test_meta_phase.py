"""The meta-schema phase by jsonschema alone is the library's: the same meta-schema, the
same answers, and the library itself where that cannot be certain."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from validation_cases import base, cases

from generator.validate import describe, meta_phase
from generator.validate.validation import _validator_kind

CASES = cases()


@pytest.mark.parametrize("kind", ["3.0", "3.1", "3.2"])
def test_the_meta_schema_is_the_one_the_library_reads(kind: str) -> None:
    from openapi_spec_validator.schemas.utils import get_schema_content

    path = meta_phase.schema_file(kind)
    assert path is not None
    assert json.loads(path.read_text(encoding="utf-8")) == get_schema_content(kind)


@pytest.mark.parametrize("name", sorted(CASES))
def test_jsonschema_alone_gives_the_library_answer(name: str) -> None:
    document, version = CASES[name]
    kind = _validator_kind(document, version)
    assert meta_phase.jsonschema_phase(document, kind) == describe.schema_phase(document, kind)


def test_another_validator_version_asks_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    document, _ = CASES["title_is_a_number_3_1"]
    expected = describe.schema_phase(document, "3.1")
    monkeypatch.setattr(meta_phase, "installed_version", lambda name: "0.9.0")
    monkeypatch.setattr(meta_phase, "_validator", None)  # would raise if used
    assert meta_phase.jsonschema_phase(document, "3.1") == expected


def test_a_valid_3_1_document_is_validated_without_the_library() -> None:
    """Both phases of a small 3.1 document, as the pipeline runs them in-process: neither
    openapi-spec-validator nor jsonschema-path (nor pydantic-settings) is imported."""
    document: dict[str, Any] = base("3.1.0")
    document["components"] = {
        "schemas": {"A": {"type": "object", "properties": {"a": {"type": "string"}}}}
    }
    probe = (
        "import json, sys\n"
        "from generator.validate.validation import validate\n"
        f"document = json.loads({json.dumps(json.dumps(document))})\n"
        "print(validate(document, source_name='a', version='3.1', use_cache=False))\n"
        "heavy = ['openapi_spec_validator', 'jsonschema_path', 'pydantic_settings']\n"
        "print([name for name in heavy if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[:2] == ["[]", "[]"]
