"""Same input, byte-identical output: across runs, directories, caches and processes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]
Snapshot = Callable[[Path], dict[str, bytes]]

SPLIT_ROOT = """\
openapi: 3.1.0
info: {title: Split Service, version: 2.0.0}
servers: [{url: 'https://split.example'}]
paths:
  /a: {$ref: 'paths/a.yaml'}
components:
  schemas:
    Thing: {$ref: 'schemas/thing.yaml'}
"""
SPLIT_PATH = """\
get:
  operationId: getA
  responses:
    '200':
      description: ok
      content:
        application/json:
          schema: {$ref: '../schemas/thing.yaml'}
"""
SPLIT_SCHEMA = """\
type: object
properties:
  name: {type: string}
  child: {$ref: 'thing.yaml'}
  other: {$ref: 'other.yaml#/Other'}
"""


def make_split_spec(root: Path) -> Path:
    for relative, text in {
        "api.yaml": SPLIT_ROOT,
        "paths/a.yaml": SPLIT_PATH,
        "schemas/thing.yaml": SPLIT_SCHEMA,
        "schemas/other.yaml": "Other: {type: integer}\n",
    }.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root / "api.yaml"


def test_two_runs_are_byte_identical(
    cli: Cli, petstore: Path, tmp_path: Path, snapshot: Snapshot
) -> None:
    assert cli(petstore, "-o", tmp_path / "one", "--dist").code == 0
    assert cli(petstore, "-o", tmp_path / "two", "--dist").code == 0
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_output_does_not_depend_on_where_the_spec_or_output_lives(
    cli: Cli, tmp_path: Path, snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_split_spec(tmp_path / "checkout-one" / "specs")
    second = make_split_spec(tmp_path / "a" / "much" / "deeper" / "checkout" / "specs")
    monkeypatch.chdir(tmp_path / "checkout-one")
    assert cli(first, "-o", "generated").code == 0
    monkeypatch.chdir(tmp_path / "a")
    assert cli(second, "-o", tmp_path / "elsewhere" / "out").code == 0

    one = snapshot(tmp_path / "checkout-one" / "generated")
    two = snapshot(tmp_path / "elsewhere" / "out")
    # __init__, _client, _sync_client, py.typed, testing, models/ (2)
    assert one == two and len(one) == 7
    for text in one.values():
        assert str(tmp_path).encode() not in text
        assert b"checkout" not in text


def test_formatting_cache_does_not_change_output(
    cli: Cli, petstore: Path, tmp_path: Path, snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.format import layout

    def refuse(statement: layout.Statement) -> list[str]:
        if statement.code and statement.lines[0].lstrip().startswith(("class ", "_OP_")):
            raise layout.Unsupported("as if this module could not prove it")
        return list(statement.lines)

    # Statements the layout stage refuses are formatted by black and cached.
    monkeypatch.setattr(layout, "lay_out_statement", refuse)
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(tmp_path / "fresh-cache"))
    assert cli(petstore, "-o", tmp_path / "cold").code == 0
    assert any((tmp_path / "fresh-cache" / "black").rglob("*"))
    assert cli(petstore, "-o", tmp_path / "warm").code == 0
    assert snapshot(tmp_path / "cold") == snapshot(tmp_path / "warm")


def test_a_separate_process_agrees(
    cli: Cli, cli_process: Cli, petstore: Path, tmp_path: Path, snapshot: Snapshot
) -> None:
    assert cli(petstore, "-o", tmp_path / "here").code == 0
    result = cli_process(petstore, "-o", tmp_path / "there", cwd=tmp_path)
    assert result.code == 0, result.err
    assert snapshot(tmp_path / "here") == snapshot(tmp_path / "there")


def test_generated_output_is_black_clean(cli: Cli, corpus: Path, tmp_path: Path) -> None:
    import black
    from black.mode import Mode, TargetVersion

    spec = tmp_path / "petstore-expanded.yaml"
    shutil.copy(corpus / "oai-learn-examples/v3.0/petstore-expanded.yaml", spec)
    assert cli(spec, "-o", tmp_path / "out").code == 0
    mode = Mode(line_length=100, target_versions={TargetVersion.PY311})
    for path in (tmp_path / "out" / "petstore_expanded_client").glob("*.py"):
        text = path.read_text()
        assert black.format_str(text, mode=mode) == text, path.name
