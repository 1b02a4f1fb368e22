"""Docstrings the generator writes are wrapped at black's line length (100 columns,
indentation and quotes included), and black leaves them exactly as written.

Black never rewraps a docstring; it only re-indents it, strips trailing spaces, pads a
quote at either end and may move closing quotes: the wrapped text must already be what
those rules keep.
"""

from __future__ import annotations

import ast
from typing import Any

import pytest
from black import format_str
from black.mode import Mode, TargetVersion
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.format import tokens
from generator.format.files import lay_out_files
from generator.ir.build import build_service
from generator.render import source
from generator.render.package import HeaderInfo, render_package
from generator.render.source import LINE_LENGTH, docstring_block

MODE = Mode(line_length=100, target_versions={TargetVersion.PY311})
LONG = (
    "Identifier of the namespace the stamp belongs to; namespaces partition stamps so that "
    "two tenants never see each other's content, and a namespace that does not exist yet "
    "is created on first use. See https://example.com/a/very/long/url/that/must/not/be/"
    "broken/anywhere/at/all/even/though/it/is/far/longer/than/the/line for details."
)
URL_WORD = next(word for word in LONG.split() if word.startswith("https://"))


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
@pytest.mark.parametrize(
    "text",
    [
        LONG,
        LONG + '"',
        '"' + LONG,
        LONG + "\\",
        LONG.replace(" ", '"""  ', 3),
        "Summary.\n\n" + LONG + "\n\n" + LONG,
        "Summary.\n\nArgs:\n    name: " + LONG + "\n    other: short",
        "x" * 120,
        ("word " * 19) + "end",  # 99 characters
        "Lines:\n\n   - " + LONG + "\n   - short",
        "Code:\n\n```\n" + LONG + "\n```\n\n| a | " + LONG + " |",
    ],
)
def test_wrapped_docstrings_fit_and_black_leaves_them_alone(text: str, depth: int) -> None:
    indent = 4 * depth
    doc = docstring_block(text, indent=indent)
    pad = " " * indent
    lines = (pad + doc).split("\n")
    keep_length = "```" in text or "x" * 120 in text
    for line in lines:
        if len(line) > LINE_LENGTH:
            assert keep_length or " " not in line.strip(), line  # only one word that long
    # the words are all there, in order (the padding black wants by a quote is a space)
    assert ast.literal_eval(doc).split() == text.split()
    opened = ["class A:", "    def f(self):", "        if x:"][:depth]
    source_text = "\n".join([*opened, pad + doc, "", pad + "x = 1", ""])
    assert format_str(source_text, mode=MODE) == source_text


def test_wrapping_keeps_paragraphs_words_and_entries() -> None:
    doc = docstring_block("Summary.\n\nArgs:\n    name: " + LONG + "\n\nGET /thing", indent=8)
    lines = doc.split("\n")
    assert lines[0] == '"""Summary.' and lines[1] == "" and lines[2] == "        Args:"
    assert lines[3].startswith("            name: Identifier")
    entry = [line for line in lines[4:] if line.startswith(" " * 16)]
    assert entry, "an entry's continuation lines go one level deeper"
    assert any("https://example.com/a/very/long/url" in line for line in lines)
    assert lines[-3:] == ["", "        GET /thing", '        """']
    assert all(len(line) <= LINE_LENGTH for line in lines if "https://" not in line)


def test_a_docstring_that_just_fits_stays_on_one_line() -> None:
    # 4 (indent) + 3 + 90 + 3 = 100 columns; one more character wraps it
    fits = ("word " * 18)[:90]
    assert docstring_block(fits, indent=4) == f'"""{fits.rstrip()}"""'
    text = "a" * 80 + " " + "b" * 10
    assert len(text) == 91 and "\n" in docstring_block(text, indent=4)


def test_the_line_length_is_blacks() -> None:
    assert source.LINE_LENGTH == tokens.LINE_LENGTH == MODE.line_length


def test_every_docstring_of_a_package_wraps_and_black_agrees() -> None:
    # module (title), class, method (summary, description, an Args entry) and model
    # docstrings, as the pipeline writes them
    title = "Stamping " + " ".join(["Service"] * 14)
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1", "description": LONG},
        "paths": {"/thing": {"get": {
            "operationId": "getThing", "summary": LONG, "description": LONG,
            "parameters": [{"name": "q", "in": "query", "description": LONG,
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
        "components": {"schemas": {"Thing": {"type": "object", "description": LONG,
                                              "properties": {"a": {"type": "string"}}}}},
    }  # fmt: skip
    service, _ = build_service(doc, source_name="docs.yaml")
    header = HeaderInfo(generator_version="0.1.0", spec_name="docs.yaml", spec_sha256="0" * 64)
    files = lay_out_files(render_package(service, package_name="docs_client", header=header))
    checked = []
    for name, text in files.items():
        if not name.endswith(".py"):
            continue
        assert format_str(text, mode=MODE) == text, name
        lines = text.split("\n")
        for node in ast.walk(ast.parse(text)):
            if not isinstance(
                node, ast.Module | ast.ClassDef | ast.AsyncFunctionDef | ast.FunctionDef
            ):
                continue
            found = ast.get_docstring(node, clean=False)
            words = " ".join((found or "").split())
            if " ".join(LONG.split()) not in words and title not in words:
                continue
            first = node.body[0]
            for line in lines[first.lineno - 1 : first.end_lineno]:
                assert len(line) <= LINE_LENGTH or URL_WORD in line, (name, line)
            checked.append((name, type(node).__name__))
    assert sorted(checked) == [
        ("__init__.py", "Module"), ("_client.py", "AsyncFunctionDef"), ("_client.py", "ClassDef"),
        ("_sync_client.py", "ClassDef"), ("_sync_client.py", "FunctionDef"),
        ("models/__init__.py", "Module"), ("models/_thing.py", "ClassDef"),
    ]  # fmt: skip


def _textwrap_reference(line: str, width: int) -> list[str]:
    """What ``source._wrap`` did with ``textwrap`` alone, before its fast path."""
    import textwrap

    if len(line) <= width or " " not in line.strip(" "):
        return [line]
    stripped = line.lstrip(" ")
    lead = line[: len(line) - len(stripped)]
    return textwrap.wrap(
        stripped,
        width=max(width, len(lead) + 1),
        initial_indent=lead,
        subsequent_indent=lead + "    " if lead else "",
        break_long_words=False,
        break_on_hyphens=False,
    )


_WORDS = st.lists(
    st.text(alphabet="ab-.\\'\"é", min_size=1, max_size=1)
    | st.sampled_from(["x" * 30, "y" * 95, "z" * 130, "https://example.com/a-b"]),
    min_size=1,
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(
    lead=st.sampled_from([0, 2, 4, 12, 96, 99, 120]),
    words=_WORDS,
    separator=st.sampled_from([" ", " ", "  "]),
    width=st.sampled_from([-4, 0, 1, 7, 40, 80, 92, 96, 100]),
)
def test_fast_wrap_breaks_lines_where_textwrap_does(
    lead: int, words: list[str], separator: str, width: int
) -> None:
    line = " " * lead + separator.join(words)
    assert source._wrap(line, width) == _textwrap_reference(line, width)
