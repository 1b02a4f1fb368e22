"""The meta-schema check shipped in the package (``generator.validate.meta_v30``) and the
cheap answers that let a cold run skip importing openapi-spec-validator and
importlib.metadata: each held to what the libraries themselves answer."""

from __future__ import annotations

import ast
import contextlib
import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openapi_spec_validator.schemas import get_validator_backend
from validation_cases import base

from generator import cache
from generator.validate import fast, meta_v30, prebuild


def test_the_shipped_check_was_built_from_the_installed_libraries() -> None:
    """Fails when the dev extra's pinned fastjsonschema or openapi-spec-validator's 3.0
    meta-schema changes: run ``python -m generator.validate.prebuild`` (until then cold
    runs compile the check again)."""
    assert fast.cache_key() == meta_v30.KEY
    shipped = ast.parse(Path(meta_v30.__file__).read_text(encoding="utf-8"))
    built = ast.parse(prebuild.source())
    assert ast.dump(shipped) == ast.dump(built)


def test_the_shipped_check_is_used_without_compiling_or_touching_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_compiling() -> str:
        raise AssertionError("compiled although the shipped code fits")

    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(fast, "_compiled", {})
    monkeypatch.setattr(fast, "_generate_code", no_compiling)
    assert fast.at_hand()
    assert fast.valid_v30(base())
    document = base()
    document["info"]["title"] = 5
    assert not fast.valid_v30(document)
    assert list(tmp_path.iterdir()) == []


def test_a_key_for_other_libraries_is_not_served_by_the_shipped_check() -> None:
    assert fast.prebuilt(meta_v30.KEY) is not None
    assert fast.prebuilt("0" * 64) is None


@pytest.mark.parametrize(
    "setting",
    [None, ("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema"),
     ("openapi_spec_validator_schema_validator_backend", "auto"),
     ("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "something else")],
)  # fmt: skip
def test_the_backend_shortcut_agrees_with_the_library(
    setting: tuple[str, str] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.upper() == "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND":
            monkeypatch.delenv(name)
    if setting is not None:
        monkeypatch.setenv(*setting)
    invalid = setting is not None and setting[1] == "something else"
    # the library warns about an invalid value and falls back to "auto"; so must we
    with pytest.warns(UserWarning) if invalid else contextlib.nullcontext():
        expected = get_validator_backend() == "jsonschema"
    with pytest.warns(UserWarning) if invalid else contextlib.nullcontext():
        assert fast.jsonschema_backend() == expected


def test_an_installed_jsonschema_rs_makes_the_library_decide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    real_find_spec = fast.find_spec

    def find_spec(name: str) -> object:
        asked.append(name)
        return object() if name == "jsonschema_rs" else real_find_spec(name)

    monkeypatch.setattr(fast, "find_spec", find_spec)
    monkeypatch.setattr(
        "openapi_spec_validator.schemas.get_validator_backend", lambda: "jsonschema-rs"
    )
    assert not fast.jsonschema_backend()
    assert not fast.valid_v30(base())
    assert "jsonschema_rs" in asked


@pytest.mark.parametrize(
    "distribution",
    ["black", "openapi-spec-validator", "fastjsonschema", "Jinja2", "pydantic_core", "PyYAML"],
)
def test_installed_version_is_what_importlib_metadata_says(distribution: str) -> None:
    assert cache.installed_version(distribution) == importlib.metadata.version(distribution)


def test_installed_version_of_something_missing_raises_as_importlib_metadata_does() -> None:
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        cache.installed_version("surely-not-an-installed-distribution")


def test_a_3_0_verdict_needs_neither_the_validator_nor_importlib_metadata(tmp_path: Path) -> None:
    """The cold main process of a large 3.0 document: the meta-schema phase answers from
    the shipped code; openapi-spec-validator (0.3 s) and importlib.metadata (30-70 ms)
    stay unimported."""
    probe = (
        "import json, sys\n"
        "from generator.validate import fast\n"
        "from generator.validate.validation import _canonical\n"
        f"document = json.loads({json.dumps(json.dumps(base()))})\n"
        "_canonical(document, '3.0')\n"
        "print(fast.valid_v30(document), 'openapi_spec_validator' in sys.modules,"
        " 'importlib.metadata' in sys.modules)\n"
    )
    env = {
        name: value
        for name, value in os.environ.items()
        if name.upper() != "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"
    }
    env["GENERATE_CLIENT_CACHE_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "False", "False"]
