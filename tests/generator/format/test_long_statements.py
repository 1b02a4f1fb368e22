"""``statements.long_statements`` finds the statements the layout stage changes (code
holding a line over 100 columns) without grouping every line: it must find exactly the
ones ``statements`` finds, at the same lines."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.format.statements import Statement, long_statements, statements
from generator.format.tokens import LINE_LENGTH
from generator.ir.build import build_service
from generator.load.document import load
from generator.render.package import HeaderInfo, render_package

ROOT = Path(__file__).resolve().parents[3]
LONG = "x" * 101


def _by_statements(text: str) -> list[tuple[int, int, Statement]]:
    """The answer from the full grouping, as the layout stage used it before."""
    found, line = [], 0
    for statement in statements(text):
        end = line + len(statement.lines)
        if statement.code and any(len(part) > LINE_LENGTH for part in statement.lines):
            found.append((line, end, statement))
        line = end
    return found


def _fast(text: str) -> list[tuple[int, int, Statement]]:
    lines = text.split("\n")
    long_lines = [number for number, part in enumerate(lines) if len(part) > LINE_LENGTH]
    return long_statements(lines, long_lines)


_LINES = st.sampled_from([
    "x = (", "    a,", ")", "]", "}", "y = [", "z = {", "f(", '"""Doc (', '    """', '"""',
    '"""One line."""', '    """Indented (', "# a comment (", "", "    ", "v = 1",
    "s = ')'", "t = '(' + (", f"    {LONG},", f"{LONG} = 1", f"# {LONG}", f'"""{LONG}"""',
    f"    {LONG}", f"call({LONG}", f'    """{LONG}', "    )", "        ],", f"{LONG} = g(",
])  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_LINES, max_size=40))
def test_the_same_statements_as_the_full_grouping(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert _fast(text) == _by_statements(text)


def test_the_same_statements_on_generated_clients() -> None:
    for spec in (
        "specs/onextree.yaml",
        "tests/data/corpus/kubernetes/v3/apis__apps__v1_openapi.json",
    ):
        loaded = load(ROOT / spec)
        service, _ = build_service(loaded.document, source_name=loaded.source_name)
        header = HeaderInfo(generator_version="9", spec_name=spec, spec_sha256=loaded.sha256)
        files = render_package(service, package_name="pkg", header=header, sync=True)
        for path, text in files.items():
            if path.endswith(".py"):
                assert _fast(text) == _by_statements(text), path
