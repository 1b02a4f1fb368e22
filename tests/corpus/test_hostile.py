"""Hostile documents: a clear refusal (exit 2, one line per problem) or safe code.

Never a traceback, never code from the document executed (every payload in
``hostile/`` would create ``HOSTILE_MARKER`` in the working directory if it ran, at
generation or at import), never a file written outside the output folder.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import run

HOSTILE = Path(__file__).resolve().parent / "hostile"
MARKER = "HOSTILE_MARKER"
EXIT_OK, EXIT_BAD_INPUT = 0, 2
# Parse bombs must be refused long before they could be expanded.
BOMB_SECONDS = 5.0

MUST_REFUSE = {
    "syntax_error.yaml",
    "syntax_error.json",
    "not_a_mapping.yaml",
    "empty.yaml",
    "paths_as_list.yaml",
    "dangling_ref.yaml",
    "escaping_refs.yaml",
    "yaml_bomb.yaml",
    "yaml_bomb_keys.yaml",
    "python_tags.yaml",
    "deep_nesting.json",
    "deep_nesting.yaml",
}
# Valid documents whose strings are the attack: they must produce (safe) code.
MUST_GENERATE = {
    "injection.yaml",
    "injection_controls.json",
    "swagger2_injection.yaml",
    "deep_schema.json",
    "name_collisions.yaml",
    "paging_events_injection.yaml",
}
BOMBS = {"yaml_bomb.yaml", "yaml_bomb_keys.yaml", "deep_nesting.json", "deep_nesting.yaml"}


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float


def generate(argv: Sequence[str]) -> Outcome:
    """The CLI in this process, as a user would run it (``main`` exits with this code)."""
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    code = run(list(argv), out=out, err=err)
    return Outcome(code, out.getvalue(), err.getvalue(), time.perf_counter() - start)


def assert_clean_report(outcome: Outcome) -> None:
    """No traceback; on refusal every stderr line is one problem naming where it is."""
    assert outcome.code in (EXIT_OK, EXIT_BAD_INPUT), outcome.stderr
    assert "Traceback" not in outcome.stderr + outcome.stdout
    assert "internal error" not in outcome.stderr
    if outcome.code == EXIT_BAD_INPUT:
        lines = outcome.stderr.splitlines()
        assert any(": error:" in line for line in lines), outcome.stderr
        for line in lines:
            assert ": error:" in line or ": warning:" in line or line.startswith("... "), line


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")} if root.exists() else set()


def import_in_subprocess(out: Path, package: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Import the package and instantiate its client, with ``cwd`` where a payload would land."""
    probe = (
        "import importlib, sys\n"
        "from resilient_client import BaseServiceClient\n"
        f"sys.path.insert(0, {str(out)!r})\n"
        f"pkg = importlib.import_module({package!r})\n"
        f"importlib.import_module({package + '.models'!r})\n"
        "(cls,) = [c for c in vars(pkg).values() if isinstance(c, type)"
        " and issubclass(c, BaseServiceClient) and c is not BaseServiceClient]\n"
        "cls(base_url='http://127.0.0.1:9')\n"
        # the blocking client is imported lazily: import and start it too (unless --no-sync)
        "import importlib.util\n"
        f"if importlib.util.find_spec({package + '._sync_client'!r}) is not None:\n"
        "    sync = vars(pkg)['__getattr__'](cls.__name__[: -len('Client')] + 'SyncClient')\n"
        "    sync(base_url='http://127.0.0.1:9').close()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def assert_safe_output(out: Path, work: Path) -> None:
    """Every file compiles, every package imports, and no payload ran."""
    packages = [p for p in out.iterdir() if (p / "__init__.py").is_file()]
    assert packages, f"exit 0 but no package in {out}"
    for package in packages:
        for source in package.rglob("*.py"):
            compile(source.read_text(encoding="utf-8"), str(source), "exec")
        result = import_in_subprocess(out, package.name, work)
        assert result.returncode == 0, result.stderr[-3000:]
    assert not (work / MARKER).exists(), "a payload from the document ran at import"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # Generation runs with this as the working directory so a payload executed while
    # generating (template injection, eval) leaves its marker where the test looks.
    monkeypatch.chdir(tmp_path)
    before = tree(HOSTILE)
    yield tmp_path
    assert not (tmp_path / MARKER).exists(), "a payload from the document ran"
    assert not (REPO_ROOT / MARKER).exists()
    assert tree(HOSTILE) == before, "something was written next to the spec"


REPO_ROOT = Path(__file__).resolve().parents[2]
# Generator bugs found by these documents; remove the entry when the fix lands. (The
# quadratic YAML depth refusal and non-finite numbers crashing render were fixed by G1/G2.)
KNOWN_FAILURES: dict[str, str] = {}
DOCUMENTS = [
    pytest.param(
        p.name,
        marks=(
            [pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[p.name])]
            if p.name in KNOWN_FAILURES
            else []
        ),
    )
    for p in sorted(HOSTILE.iterdir())
    if p.is_file()
]


def test_the_marker_probe_detects_a_payload_that_runs(work: Path) -> None:
    """The safety checks are only as good as this: an executed payload must be seen."""
    package = work / "out" / "leaky_client"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "__import__('pathlib').Path('HOSTILE_MARKER').touch()\n", encoding="utf-8"
    )
    import_in_subprocess(work / "out", "leaky_client", work)
    assert (work / MARKER).exists()
    (work / MARKER).unlink()  # the fixture's own check must not fire for this test


def test_the_marker_probe_imports_the_blocking_client(work: Path) -> None:
    """``_sync_client.py`` is imported lazily, so a payload there runs only when the
    probe asks for the ``<Name>SyncClient`` as a user would."""
    package = work / "out" / "leaky_client"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from resilient_client import BaseServiceClient\n"
        "class LeakyClient(BaseServiceClient): pass\n"
        "def __getattr__(name):\n"
        "    if name != 'LeakySyncClient':\n"
        "        raise AttributeError(name)\n"
        "    from . import _sync_client\n"
        "    return getattr(_sync_client, name)\n",
        encoding="utf-8",
    )
    (package / "models.py").write_text("", encoding="utf-8")
    (package / "_sync_client.py").write_text(
        "__import__('pathlib').Path('HOSTILE_MARKER').touch()\n", encoding="utf-8"
    )
    import_in_subprocess(work / "out", "leaky_client", work)
    assert (work / MARKER).exists()
    (work / MARKER).unlink()


def test_the_hostile_corpus_is_all_classified() -> None:
    assert {p.name for p in HOSTILE.iterdir()} >= MUST_REFUSE | MUST_GENERATE | BOMBS


@pytest.mark.parametrize("name", DOCUMENTS)
def test_hostile_document(name: str, work: Path) -> None:
    out = work / "out"
    outcome = generate([str(HOSTILE / name), "-o", str(out)])
    assert_clean_report(outcome)
    if name in MUST_REFUSE:
        assert outcome.code == EXIT_BAD_INPUT, outcome.stdout + outcome.stderr
    if name in MUST_GENERATE:
        assert outcome.code == EXIT_OK, outcome.stderr
    if name in BOMBS:
        assert outcome.seconds < BOMB_SECONDS, f"took {outcome.seconds:.1f}s to refuse"
    if outcome.code == EXIT_OK:
        assert_safe_output(out, work)
    else:
        assert not out.exists() or not any(out.iterdir()), "a refused document left output"
    assert tree(work) <= {"out"} | {f"out/{p}" for p in tree(out)}, "wrote outside -o"


def test_injected_strings_survive_as_data(work: Path) -> None:
    """Escaping must keep the text, not drop it: the payload is in the output as a string."""
    out = work / "out"
    assert generate([str(HOSTILE / "injection.yaml"), "-o", str(out), "-q"]).code == EXIT_OK
    client = (out / "injection_client" / "_client.py").read_text(encoding="utf-8")
    compiled = compile(client, "_client.py", "exec")
    constants = _string_constants(compiled)
    assert any("__import__('pathlib').Path('HOSTILE_MARKER').touch()" in c for c in constants)
    assert any(c.startswith("http://example.com/") for c in constants)


def test_paging_strings_survive_as_data(work: Path) -> None:
    """x-pagination's field names reach the ``Pagination`` constants as strings."""
    out = work / "out"
    spec = HOSTILE / "paging_events_injection.yaml"
    assert generate([str(spec), "-o", str(out), "-q"]).code == EXIT_OK
    package = out / "paging_events_injection_client"
    client = (package / "_client.py").read_text(encoding="utf-8")
    constants = _string_constants(compile(client, "_client.py", "exec"))
    payload = "__import__('pathlib').Path('HOSTILE_MARKER').touch()"
    assert f"it'''\"\\\n{payload}\u2028" in constants
    assert f"meta.n'''\"\\\n{payload}\u2029" in constants
    assert f"m\\'{payload}" in constants
    sync = (package / "_sync_client.py").read_text(encoding="utf-8")
    compile(sync, "_sync_client.py", "exec")
    for name in ("list__iter", "list_iter_iter", "list_events_events", "list_iter_events_events"):
        assert f"def {name}(" in client and f"def {name}(" in sync, name


def test_colliding_names_each_keep_their_operation(work: Path) -> None:
    out = work / "out"
    spec = HOSTILE / "name_collisions.yaml"
    assert generate([str(spec), "-o", str(out), "-q"]).code == EXIT_OK
    client = (out / "name_collisions_client" / "_client.py").read_text(encoding="utf-8")
    methods = [line.split("(")[0].split()[-1] for line in client.splitlines()
               if line.startswith("    async def ")]  # fmt: skip
    assert len(methods) == 8, methods
    assert len(set(methods)) == 8, methods


def _string_constants(code: Any) -> set[str]:
    found: set[str] = set()
    for const in code.co_consts:
        if isinstance(const, str):
            found.add(const)
        elif hasattr(const, "co_consts"):
            found |= _string_constants(const)
    return found


@pytest.mark.parametrize(
    "package_name",
    ["../evil", "..", "a/b", "/tmp/evil", "a\\b", "evil.pkg", "class", "é", "x\n__import__"],
)
def test_unsafe_package_names_are_refused(package_name: str, work: Path) -> None:
    out = work / "out"
    spec = HOSTILE / "deep_schema.json"
    outcome = generate([str(spec), "-o", str(out), "--package-name", package_name])
    assert_clean_report(outcome)
    assert outcome.code == EXIT_BAD_INPUT
    assert tree(work) <= {"out"}, tree(work)
    assert not Path("/tmp/evil").exists()


def test_empty_package_name_is_refused(work: Path) -> None:
    outcome = generate(
        [str(HOSTILE / "deep_schema.json"), "-o", str(work / "out"), "--package-name", ""]
    )
    assert_clean_report(outcome)
    assert outcome.code == EXIT_BAD_INPUT


def test_spec_file_name_cannot_break_out_of_the_header_comment(work: Path) -> None:
    # The header names the spec file; a file name may contain a newline on Linux.
    name = "x\n__import__('pathlib').Path('HOSTILE_MARKER').touch()\n#.yaml"
    spec = work / "specs" / name
    spec.parent.mkdir()
    shutil.copy(HOSTILE / "deep_schema.json", spec)
    out = work / "out"
    outcome = generate([str(spec), "-o", str(out), "--package-name", "named_client"])
    assert_clean_report(outcome)
    if outcome.code == EXIT_OK:
        assert_safe_output(out, work)


@pytest.mark.parametrize(
    "client_name",
    ["X(BaseServiceClient): pass\n__import__('pathlib').Path('HOSTILE_MARKER').touch()\nclass Y",
     "class", "1abc", '"""', "None", "SyncServiceClient", "SyncService", "BaseServiceClient"],
)  # fmt: skip
def test_hostile_client_name_option(client_name: str, work: Path) -> None:
    out = work / "out"
    spec = HOSTILE / "deep_schema.json"
    outcome = generate([str(spec), "-o", str(out), "--client-name", client_name])
    assert_clean_report(outcome)
    if outcome.code == EXIT_OK:
        assert_safe_output(out, work)


# Wrong types at every level of a small valid document: each must be a clean refusal or
# safe code, never a crash in a stage that trusted the shape.
BASE = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "http://pets.example/v1"}],
    "paths": {
        "/pets/{petId}": {
            "get": {
                "operationId": "showPet",
                "parameters": [
                    {"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "a pet",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "kind": {"type": "string", "enum": ["cat", "dog"]},
                },
            }
        }
    },
}
OP = ("paths", "/pets/{petId}", "get")
SCHEMA = ("components", "schemas", "Pet")
WRONG_TYPES: list[tuple[tuple[str | int, ...], Any]] = [
    (("openapi",), 3.0),
    (("info",), "a string"),
    (("info", "title"), 42),
    (("servers",), {"url": "x"}),
    (("servers", 0), "http://x"),
    (("servers", 0, "url"), ["http://x"]),
    (("paths",), ["/pets"]),
    (("paths", "/pets/{petId}"), 42),
    ((*OP,), "an operation"),
    ((*OP, "operationId"), 17),
    ((*OP, "parameters"), {"name": "petId"}),
    ((*OP, "parameters", 0), "petId"),
    ((*OP, "parameters", 0, "name"), None),
    ((*OP, "parameters", 0, "in"), 7),
    ((*OP, "parameters", 0, "schema"), "string"),
    ((*OP, "parameters", 0, "schema", "type"), 42),
    ((*OP, "responses"), [200]),
    ((*OP, "responses", "200"), "ok"),
    ((*OP, "responses", "200", "content"), "application/json"),
    ((*OP, "responses", "200", "content", "application/json", "schema"), 42),
    ((*OP, "responses", "200", "content", "application/json", "schema", "$ref"), 42),
    (("components",), [1, 2]),
    (("components", "schemas"), "Pet"),
    ((*SCHEMA,), ["object"]),
    ((*SCHEMA, "type"), 42),
    ((*SCHEMA, "properties"), ["id", "kind"]),
    ((*SCHEMA, "required"), "id"),
    ((*SCHEMA, "properties", "id"), True),
    ((*SCHEMA, "properties", "kind", "enum"), {"cat": 1}),
    ((*SCHEMA, "properties", "kind", "enum"), [None, [], {}, 1.5]),
    ((*SCHEMA, "properties", "id", "default"), {"nested": ["x"]}),
]


def _replaced(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(json.dumps(BASE))
    node: Any = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value"), WRONG_TYPES, ids=["/".join(map(str, p)) + f"={v!r}" for p, v in WRONG_TYPES]
)
def test_wrong_type_at_every_level(path: tuple[str | int, ...], value: Any, work: Path) -> None:
    spec = work / "spec" / "wrong.yaml"
    spec.parent.mkdir()
    spec.write_text(yaml.safe_dump(_replaced(path, value)), encoding="utf-8")
    out = work / "out"
    outcome = generate([str(spec), "-o", str(out)])
    assert_clean_report(outcome)
    if outcome.code == EXIT_OK:
        for source in out.rglob("*.py"):
            compile(source.read_text(encoding="utf-8"), str(source), "exec")


def test_base_document_of_the_wrong_type_tests_is_valid(work: Path) -> None:
    """Otherwise every wrong-type case above would be refused for the wrong reason."""
    spec = work / "spec.yaml"
    spec.write_text(yaml.safe_dump(BASE), encoding="utf-8")
    outcome = generate([str(spec), "-o", str(work / "out"), "-q"])
    assert outcome.code == EXIT_OK, outcome.stderr


def test_a_symlinked_ref_cannot_read_outside_the_spec_folder(work: Path) -> None:
    # A cloned repository can carry a symlink; following it would copy any file the user
    # can read into generated code.
    outside = work / "outside" / "creds.yaml"
    outside.parent.mkdir()
    outside.write_text(
        "Secret:\n  type: object\n  description: TOP-SECRET-VALUE\n", encoding="utf-8"
    )
    spec_dir = work / "project" / "spec"
    spec_dir.mkdir(parents=True)
    (spec_dir / "models.yaml").symlink_to(Path("..", "..", "outside", "creds.yaml"))
    schema = (*OP, "responses", "200", "content", "application/json", "schema")
    base = _replaced(schema, {"$ref": "models.yaml#/Secret"})
    (spec_dir / "api.yaml").write_text(yaml.safe_dump(base), encoding="utf-8")
    out = work / "out"
    outcome = generate([str(spec_dir / "api.yaml"), "-o", str(out)])
    assert_clean_report(outcome)
    assert outcome.code == EXIT_BAD_INPUT
    assert "TOP-SECRET-VALUE" not in outcome.stderr
    assert not out.exists() or not any("TOP-SECRET" in p.read_text() for p in out.rglob("*.py"))


@pytest.mark.slow
def test_generated_hostile_packages_pass_mypy_strict(tmp_path: Path) -> None:
    """Escaped payloads must also stay well-typed: one mypy run over every package."""
    out = tmp_path / "out"
    packages = []
    for name in sorted(MUST_GENERATE | {"extensions.yaml", "cyclic_refs.yaml"}):
        outcome = generate([str(HOSTILE / name), "-o", str(out), "-q"])
        if outcome.code == EXIT_OK:
            packages.append(Path(name).stem.replace("-", "_") + "_client")
    assert len(packages) >= len(MUST_GENERATE)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(REPO_ROOT / "pyproject.toml"),
         "--cache-dir", str(tmp_path / ".mypy_cache"), "--no-error-summary",
         *(arg for package in packages for arg in ("-p", package))],
        cwd=out, capture_output=True, text=True, timeout=900, check=False,
        env={**os.environ, "MYPYPATH": f"{out}{os.pathsep}{REPO_ROOT}"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
