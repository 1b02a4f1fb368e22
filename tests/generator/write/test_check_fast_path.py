"""`--check` confirms unchanged output from a manifest, and never hides real drift."""

from __future__ import annotations

from pathlib import Path

import pytest
from generator_samples import PETSTORE

from generator.pipeline import generate
from generator.write import manifest


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "petstore.yaml"
    path.write_text(PETSTORE, encoding="utf-8")
    return path


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(cache))
    return cache


def test_second_check_of_unchanged_output_skips_the_pipeline(
    spec: Path, tmp_path: Path, fresh_cache: Path
) -> None:
    out = tmp_path / "out"
    generate(spec, out_dir=out)
    first = generate(spec, out_dir=out, check=True)
    assert first.drift == [] and first.from_manifest
    # nothing after load ran: no validation, build, render or formatting
    assert {"validate", "build", "render", "format"}.isdisjoint(first.timings)
    # the files reported are exactly the package's files on disk
    package = out / "petstore_client"
    on_disk = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    assert set(first.files) == on_disk
    assert {"__init__.py", "_client.py", "py.typed", "models/__init__.py"} <= on_disk


@pytest.mark.parametrize("tamper", ["edit", "remove", "add"])
def test_any_difference_on_disk_falls_back_and_reports_drift(
    spec: Path, tmp_path: Path, fresh_cache: Path, tamper: str
) -> None:
    out = tmp_path / "out"
    generate(spec, out_dir=out)
    package = out / "petstore_client"
    if tamper == "edit":
        path = package / "_client.py"
        path.write_text(path.read_text() + "# hand edit\n")
    elif tamper == "remove":
        (package / "py.typed").unlink()
    else:
        (package / "extra.py").write_text("x = 1\n")
    result = generate(spec, out_dir=out, check=True)
    assert not result.from_manifest
    assert len(result.drift) == 1
    assert result.drift[0].kind == {"edit": "changed", "remove": "added", "add": "removed"}[tamper]


def test_a_changed_spec_or_option_or_generator_is_a_different_key(
    spec: Path, tmp_path: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    generate(spec, out_dir=out)
    spec.write_text(PETSTORE.replace("all pets", "every pet"), encoding="utf-8")
    changed = generate(spec, out_dir=out, check=True)
    assert not changed.from_manifest and changed.drift  # the docstring changed
    assert generate(spec, out_dir=out, client_name="Other", check=True).drift

    generate(spec, out_dir=out)
    assert generate(spec, out_dir=out, check=True).from_manifest
    # a different generator (source, templates, black) must not trust old manifests
    monkeypatch.setattr(manifest, "generator_fingerprint", lambda: "another generator")
    assert not generate(spec, out_dir=out, check=True).from_manifest


def test_warnings_are_reported_on_the_fast_path_too(
    spec: Path, tmp_path: Path, fresh_cache: Path
) -> None:
    # a webhook is skipped with a warning: the fast path must repeat that warning
    odd = PETSTORE + (
        "webhooks:\n  newPet:\n    post:\n      responses: {'200': {description: ok}}\n"
    )
    spec.write_text(odd.replace("openapi: 3.0.0", "openapi: 3.1.0"), encoding="utf-8")
    out = tmp_path / "out"
    full = generate(spec, out_dir=out)
    fast = generate(spec, out_dir=out, check=True)
    assert fast.from_manifest and full.warnings
    assert [str(w) for w in fast.warnings] == [str(w) for w in full.warnings]


def test_unusable_cache_still_gives_the_exact_answer(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(blocker / "cache"))
    out = tmp_path / "out"
    generate(spec, out_dir=out)
    result = generate(spec, out_dir=out, check=True)
    assert result.drift == [] and not result.from_manifest
