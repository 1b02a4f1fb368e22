"""render_package: deterministic, header-stamped, and spec text can never become code."""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _gen import generate, render_files
from testdata import CORPUS

from generator.ir.build import build_service
from generator.render.package import HeaderInfo, render_package
from generator.render.source import docstring_block, docstring_text

HEADER = HeaderInfo(generator_version="0.1.0", spec_name="evil.yaml", spec_sha256="ab" * 32)

PAYLOAD = '"""\nimport os; os.system("touch /tmp/pwned")\n"""'
HOSTILE_TEXT = (
    'Ends with a quote" and \\ backslash \\N{BULLET} {{ 7*7 }} {% raw %} \x07 bell \t tab '
    "\u2028 line sep " + PAYLOAD + ' """ trailing "'
)


def hostile_spec() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": 'Evil"""\nimport os', "version": "1", "description": HOSTILE_TEXT},
        "servers": [{"url": "https://x.io/'\"\n)"}],
        "paths": {
            "/p/{i\"d}": {
                "get": {
                    "operationId": 'get"\nos.system(1)',
                    "summary": HOSTILE_TEXT,
                    "description": "\\",
                    "parameters": [
                        {"name": 'i"d', "in": "path", "required": True,
                         "description": HOSTILE_TEXT, "schema": {"type": "string"}},
                        {"name": "q\n#x", "in": "query",
                         "schema": {"type": "string", "enum": ['a"\'', "{{b}}"],
                                    "default": 'a"\''}},
                    ],
                    "responses": {"200": {"description": "", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Evil\"Name"}}}}},
                }
            }
        },
        "components": {"schemas": {"Evil\"Name": {
            "type": "object", "description": HOSTILE_TEXT, "properties": {
                'ke"y\n': {"type": "string", "description": HOSTILE_TEXT, "default": PAYLOAD},
                "mode": {"$ref": "#/components/schemas/Mode"}}},
            "Mode": {"type": "string", "enum": ['"""', "\\", "\n", "Ω"]},
        }},
    }  # fmt: skip


def test_hostile_text_stays_data(tmp_path: Path) -> None:
    files, _ = render_files(hostile_spec(), package="evil_client", spec_name="evil\n.yaml")
    for name, text in files.items():
        if not name.endswith(".py"):
            continue
        tree = ast.parse(text)
        # nothing but imports, classes, functions, assignments, docstrings and the version check
        calls = {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        allowed = {"check_runtime_version", "ConfigDict", "Field", "Operation",
                   "ResponseSpec", "SpecPolicy", "Envelope", "ParamStyle"}  # fmt: skip
        if name.endswith("__init__.py"):
            # the fixed lazy loader of models (PEP 562), identical for every spec
            allowed |= {"AttributeError", "frozenset", "getattr", "globals", "sorted"}
            allowed |= {"_import_module"}
        assert calls <= allowed, (name, calls)
        identifiers = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        identifiers |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not {"os", "system"} & identifiers
        # the spec file name cannot end the comment line and start code
        assert text.splitlines()[2].startswith("# Spec: evil\\x0a.yaml (sha256 ")
    generate(hostile_spec(), tmp_path, "evil_client")
    sys.path.insert(0, str(tmp_path))
    try:
        _check_hostile_package_imports()
    finally:
        sys.path.remove(str(tmp_path))
        for mod in [m for m in sys.modules if m.startswith("evil_client")]:
            del sys.modules[mod]


def _check_hostile_package_imports() -> None:
    pkg = importlib.import_module("evil_client")
    models = importlib.import_module("evil_client.models")
    assert not Path("/tmp/pwned").exists()
    client_cls = next(getattr(pkg, n) for n in pkg.__all__ if n.endswith("Client"))
    assert client_cls.default_base_url == "https://x.io/'\"\n)"
    method = next(v for k, v in vars(client_cls).items() if k.startswith("get"))
    assert method.__doc__ is not None
    assert 'import os; os.system("touch /tmp/pwned")\n' in method.__doc__  # inert text
    evil = models.EvilName(ke_y="v")
    assert evil.model_dump(by_alias=True)['ke"y\n'] == "v"
    assert models.EvilName.model_fields["ke_y"].default == PAYLOAD
    assert {m.value for m in models.Mode} == {'"""', "\\", "\n", "Ω"}


@pytest.mark.parametrize(
    "text",
    ['"', '""', '"""', 'a"', "\\", "x\\", "\x00\x1b[31m", "\r\nline\rline", "\u2028", "🐍", ""],
)
def test_docstrings_round_trip(text: str) -> None:
    literal = docstring_block(text, indent=4)
    value = ast.literal_eval(literal)
    expected = text.replace("\r\n", "\n").replace("\r", "\n").strip() or "No description."
    if "\n" not in expected and expected.endswith('"'):
        expected += " "  # black's padding before the closing quotes, written by us now
    assert inspect.cleandoc(value) == inspect.cleandoc(expected)
    assert docstring_text(text).count("\n") == expected.count("\n")


def test_output_is_deterministic_and_stamped() -> None:
    doc = hostile_spec()
    first = render_package(build_service(doc, source_name="x")[0], package_name="p", header=HEADER)
    second = render_package(build_service(doc, source_name="x")[0], package_name="p", header=HEADER)
    assert first == second
    assert list(first) == sorted(first)
    assert list(first) == [
        "__init__.py", "_client.py", "_sync_client.py", "models/__init__.py",
        "models/_evil_name.py", "py.typed", "testing.py"
    ]  # fmt: skip
    for text in first.values():
        assert text.startswith("# Generated by generate-client; do not edit by hand.\n")
        assert "0.1.0" in text and "ab" * 32 in text and "evil.yaml" in text
        assert str(Path.cwd()) not in text and "/work/" not in text


def test_init_exports_sorted_all_and_checks_runtime() -> None:
    files, _ = render_files(hostile_spec(), package="evil_client")
    init = ast.parse(files["__init__.py"])
    all_node = next(
        n for n in init.body if isinstance(n, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)
    )  # fmt: skip
    names = ast.literal_eval(all_node.value)
    assert names == sorted(names) and "EvilName" in names and "Mode" in names
    assert 'check_runtime_version(">=0.2.0,<0.3.0", package="evil_client")' in files["__init__.py"]


def test_method_docstring_lists_arguments_and_marks_deprecated_ones() -> None:
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Doc", "version": "1"},
        "paths": {"/a": {"get": {
            "operationId": "a", "summary": "Do A.", "deprecated": True,
            "parameters": [
                {"name": "old", "in": "query", "deprecated": True, "schema": {"type": "string"}},
                {"name": "q", "in": "query", "description": "the\nquery", "schema": {"type": "string"}},
            ],
            "responses": {"200": {"description": "ok"}}}}},
    }  # fmt: skip
    files, _ = render_files(doc, package="doc_client")
    tree = ast.parse(files["_client.py"])
    method = next(n for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef))
    text = ast.get_docstring(method)
    assert text is not None
    assert text.splitlines()[0] == "Do A."
    assert "Deprecated." in text and "    old: (deprecated)" in text
    assert "    q: the query" in text and text.endswith("GET /a")


def test_enum_defaults_are_spelled_as_members(tmp_path: Path) -> None:
    mode = {"$ref": "#/components/schemas/Mode"}
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Modes", "version": "1"},
        "paths": {"/run": {"post": {
            "operationId": "run",
            "parameters": [{"name": "m", "in": "query", "schema": {**mode, "default": "fast"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"how": {**mode, "default": "slow"}}}}}},
            "responses": {"200": {"description": "", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Job"}}}}}}}},
        "components": {"schemas": {
            "Job": {"type": "object", "properties": {"mode": {**mode, "default": "fast"}}},
            "Mode": {"type": "string", "enum": ["fast", "slow"]},
        }},
    }  # fmt: skip
    files, _ = render_files(doc, package="modes_client")
    assert "mode: Mode = Mode.FAST" in files["models/_job.py"]
    # a signature documents the spec's default but never sends it on its own
    assert "m: models.Mode | NotGiven = NOT_GIVEN" in files["_client.py"]
    assert "how: models.Mode | NotGiven = NOT_GIVEN" in files["_client.py"]
    assert 'm: (server default: "fast")' in files["_client.py"]
    assert 'how: (server default: "slow")' in files["_client.py"]
    generate(doc, tmp_path, "modes_client")
    sys.path.insert(0, str(tmp_path))
    try:
        models = importlib.import_module("modes_client.models")
        assert models.Job().mode is models.Mode.FAST
        assert models.Job.model_validate({"mode": "slow"}).mode is models.Mode.SLOW
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("modes_client")]:
            del sys.modules[name]


_HASH_OUTPUT = """
import hashlib, sys
from pathlib import Path
from generator.ir.build import build_service
from generator.load.document import load
from generator.render.package import HeaderInfo, render_package
digest = hashlib.sha256()
for name in sys.argv[1:]:
    loaded = load(Path(name))
    service, _ = build_service(loaded.document, source_name=loaded.source_name)
    header = HeaderInfo("0", "x", "0")
    for path, text in render_package(service, package_name="p", header=header).items():
        digest.update(path.encode() + text.encode())
print(digest.hexdigest())
"""


def test_output_does_not_depend_on_hash_randomisation() -> None:
    specs = [
        CORPUS / "apis-guru/sendgrid.com/1.0.0/openapi.yaml",
        CORPUS / "datamodel-code-generator/discriminator.yaml",
        CORPUS / "swagger-petstore/master/openapi.yaml",
    ]
    root = Path(__file__).resolve().parents[3]
    digests = {
        subprocess.run(
            [sys.executable, "-c", _HASH_OUTPUT, *map(str, specs)],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1
