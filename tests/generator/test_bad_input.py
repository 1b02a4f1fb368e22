"""Bad input: one line per problem naming file and pointer/line, exit 2, no traceback,
and the output folder left exactly as it was."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]
Snapshot = Callable[[Path], dict[str, bytes]]

INVALID = """\
openapi: 3.0.3
info: {title: Broken}
paths:
  /things/{id}:
    get:
      responses:
        '200': {description: 5}
"""

DANGLING = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
"""

SYNTAX = """\
openapi: 3.0.3
info:
  title: [unclosed
  version: '1'
paths: {}
"""


def bomb() -> str:
    lines = ["openapi: 3.0.3", 'a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


CASES: dict[str, tuple[str | None, list[str]]] = {
    # name: (spec text or None for a missing file, expected fragments per stderr line)
    "missing": (None, ["petstore.yaml: error: file does not exist"]),
    "syntax": (SYNTAX, ["petstore.yaml#line 4, column "]),
    "invalid": (
        INVALID,
        [
            "petstore.yaml#/info: error: 'version' is a required property",
            "petstore.yaml#/paths/~1things~1{id}/get/responses/200/description: error: 5 is not",
            "petstore.yaml#/paths/~1things~1{id}/get: error: Path parameter 'id'",
        ],
    ),
    "dangling": (
        DANGLING,
        [
            "petstore.yaml#/paths/~1things/get/responses/200/content/application~1json/schema/$ref:"
            " error: $ref '#/components/schemas/Missing' points to nothing"
        ],
    ),
    "bomb": (bomb(), ["petstore.yaml: error: document expands to too many nodes"]),
    "not a mapping": (
        "- just\n- a list\n",
        ["petstore.yaml: error: document root must be a mapping"],
    ),
    "swagger 1.2": ("swaggerVersion: '1.2'\napis: []\n", ["petstore.yaml: error: not an OpenAPI"]),
}


@pytest.fixture
def existing_output(cli: Cli, petstore: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    assert cli(petstore, "-o", out, "-q").code == 0
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_spec_is_reported_and_output_untouched(
    case: str, cli: Cli, petstore: Path, existing_output: Path, snapshot: Snapshot
) -> None:
    text, expected = CASES[case]
    if text is None:
        petstore.unlink()
    else:
        petstore.write_text(text, encoding="utf-8")
    before = snapshot(existing_output)

    start = time.perf_counter()
    result = cli(petstore, "-o", existing_output)
    elapsed = time.perf_counter() - start

    assert result.code == 2
    lines = result.err.splitlines()
    assert len(lines) == len(expected), result.err
    for line, fragment in zip(sorted(lines), sorted(expected), strict=True):
        assert line.startswith(fragment), line
    assert "Traceback" not in result.err and result.out == ""
    assert snapshot(existing_output) == before
    if case == "bomb":
        assert elapsed < 1.0


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", "not-an-identifier", "class", "x\\y", ""])
def test_unsafe_package_name_is_refused(
    name: str, cli: Cli, petstore: Path, existing_output: Path, snapshot: Snapshot
) -> None:
    before = snapshot(existing_output.parent)
    result = cli(petstore, "-o", existing_output, "--package-name", name)
    assert result.code == 2
    assert result.err.startswith("--package-name: error: invalid package name")
    assert len(result.err.splitlines()) == 1
    assert snapshot(existing_output.parent) == before


def test_several_bad_specs_each_report_their_own_lines(
    cli: Cli, petstore: Path, tmp_path: Path
) -> None:
    second = petstore.with_name("second.yaml")
    second.write_text(DANGLING)
    petstore.write_text(INVALID)
    result = cli(petstore, second, "-o", tmp_path / "out")
    assert result.code == 2
    files = {line.split("#")[0].split(":")[0] for line in result.err.splitlines()}
    assert files == {"petstore.yaml", "second.yaml"}
    assert not (tmp_path / "out").exists()


def test_a_good_and_a_bad_spec_exit_2_but_the_good_one_is_written(
    cli: Cli, petstore: Path, tmp_path: Path
) -> None:
    bad = petstore.with_name("bad.yaml")
    bad.write_text(INVALID)
    result = cli(petstore, bad, "-o", tmp_path / "out")
    assert result.code == 2
    assert (tmp_path / "out" / "petstore_client" / "_client.py").is_file()
    assert not (tmp_path / "out" / "bad_client").exists()


def test_output_location_that_is_a_symlink_is_refused(
    cli: Cli, petstore: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "petstore_client").symlink_to(victim, target_is_directory=True)
    result = cli(petstore, "-o", tmp_path / "out")
    assert result.code == 2 and "symlink" in result.err
    assert list(victim.iterdir()) == []


def test_real_process_prints_problems_without_traceback(
    cli_process: Cli, petstore: Path, tmp_path: Path
) -> None:
    petstore.write_text(DANGLING)
    result = cli_process(petstore, "-o", tmp_path / "out")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.err.splitlines() == [
        "petstore.yaml#/paths/~1things/get/responses/200/content/application~1json/schema/$ref:"
        " error: $ref '#/components/schemas/Missing' points to nothing"
    ]


def test_documents_with_errors_from_the_corpus_are_rejected(
    cli: Cli, corpus: Path, tmp_path: Path
) -> None:
    folder = corpus / "openapi-python-client" / "documents_with_errors"
    for name in ("bad-status-code.yaml", "missing-body-ref.yaml", "optional-path-param.yaml"):
        result = cli(folder / name, "-o", tmp_path / "out")
        assert result.code == 2, name
        assert all(line.startswith(name) for line in result.err.splitlines()), result.err
    assert not (tmp_path / "out").exists()
