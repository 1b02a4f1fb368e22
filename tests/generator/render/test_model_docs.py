"""Field docstrings under model fields, and docstrings wrapped at the line length.

Each documented field is followed by a PEP 257 attribute docstring (what IDEs show on
hover), escaped like every other docstring; every docstring the generator writes is
wrapped to 100 columns in a way black leaves alone.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from pathlib import Path
from typing import Any

from black import format_str
from black.mode import Mode, TargetVersion

from generator.format.files import lay_out_files
from generator.ir.build import build_service
from generator.render.package import HeaderInfo, render_package

MODE = Mode(line_length=100, target_versions={TargetVersion.PY311})
HEADER = HeaderInfo(generator_version="0.1.0", spec_name="docs.yaml", spec_sha256="0" * 64)
LONG = (
    "Identifier of the namespace the stamp belongs to; namespaces partition stamps so that "
    "two tenants never see each other's content, and a namespace that does not exist yet "
    "is created on first use. See https://example.com/a/very/long/url/that/must/not/be/"
    "broken/anywhere/at/all/even/though/it/is/far/longer/than/the/line for details."
)


def _generated(document: dict[str, Any]) -> dict[str, str]:
    """The package exactly as the pipeline writes it (render, then the layout stage)."""
    service, _ = build_service(document, source_name="docs.yaml")
    files = render_package(service, package_name="docs_client", header=HEADER)
    return lay_out_files(files, use_cache=False)


def _spec(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Docs", "version": "1"},
        "paths": {"/thing": {"get": {
            "operationId": "getThing", "summary": LONG, "description": LONG,
            "parameters": [{"name": "q", "in": "query", "description": LONG,
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
        "components": {"schemas": {"Thing": {
            "type": "object", "description": LONG, "properties": properties, **extra}}},
    }  # fmt: skip


def _field_docs(text: str, class_name: str) -> dict[str, str | None]:
    """Field name -> the string statement right under it (None: no docstring)."""
    cls = next(
        n for n in ast.parse(text).body if isinstance(n, ast.ClassDef) and n.name == class_name
    )
    docs: dict[str, str | None] = {}
    body = cls.body
    for index, node in enumerate(body):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            after = body[index + 1] if index + 1 < len(body) else None
            is_doc = isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
            value = after.value.value if is_doc else None  # type: ignore[union-attr]
            docs[node.target.id] = inspect.cleandoc(value) if value is not None else None
    return docs


def test_each_documented_field_has_its_docstring_right_under_it() -> None:
    files = _generated(_spec({
        "name": {"type": "string", "description": "The name.", "title": "Name"},
        "plain": {"type": "integer", "title": "Plain"},
        "old": {"type": "string", "deprecated": True},
        "made": {"type": "string", "readOnly": True, "description": "Set by the server."},
        "secret": {"type": "string", "writeOnly": True},
        "long": {"type": "string", "description": LONG},
    }))  # fmt: skip
    text = files["models/_thing.py"]
    assert _field_docs(text, "Thing") == {
        "name": "The name.",
        "plain": None,  # a title alone is the field's own name: nothing to add
        "old": "Deprecated.",
        "made": "Set by the server.\n\nRead-only.",
        "secret": "Write-only.",
        "long": _field_docs(text, "Thing")["long"],
    }
    assert '    name: str | None = None\n    """The name."""\n\n    plain: int | None' in text
    long_doc = _field_docs(text, "Thing")["long"]
    assert long_doc is not None and long_doc.split() == LONG.split()
    # the field descriptions are no longer repeated in the class docstring
    assert "Attributes:" not in text


HOSTILE_DESCRIPTIONS = [
    '"""',
    'ends with a quote"',
    '"starts with one',
    "\\",
    "trailing backslash \\",
    "nul \x00 escape \x1b[31m bell \x07 tab \t done",
    "{{ 7*7 }} {% raw %} {# comment #} {%- endraw %}",
    '"""\n__import__("pathlib").Path(MARKER).touch()\n"""',
    ('"""; __import__("pathlib").Path(MARKER).touch(); """ \\' * 6).strip(),  # long: wraps
    "\r\nline\rline \u2028 separator \U0001f40d",
]


def test_hostile_field_descriptions_stay_docstrings(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    descriptions = [d.replace("MARKER", repr(str(marker))) for d in HOSTILE_DESCRIPTIONS]
    properties = {f"f{i}": {"type": "string", "description": d} for i, d in enumerate(descriptions)}
    files = _generated(_spec(properties))
    text = files["models/_thing.py"]
    assert format_str(text, mode=MODE) == text
    tree = ast.parse(text)
    calls = {
        n.func.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    assert calls <= {"ConfigDict", "Field"}
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef))
    # class docstring, model_config, then one field and one docstring per property
    assert [type(n).__name__ for n in cls.body] == ["Expr", "Assign"] + ["AnnAssign", "Expr"] * len(
        descriptions
    )
    docs = _field_docs(text, "Thing")
    for index, description in enumerate(descriptions):
        value = docs[f"f{index}"]
        assert value is not None
        expected = description.replace("\r\n", "\n").replace("\r", "\n")
        assert value.split() == expected.split(), (index, value)
    package = tmp_path / "docs_client"
    for rel, body in files.items():
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text(body, encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        models = importlib.import_module("docs_client.models")
        assert models.Thing(f0="x").f0 == "x"
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("docs_client")]:
            del sys.modules[name]
    assert not marker.exists()
