"""A generated module's text as statements: logical lines, as the templates wrote them.

The layout stage decides one statement at a time; this module only finds where each one
starts and ends (brackets that span lines join them) and which lines are not code
(docstrings, comments, blank lines), which pass through unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.format.tokens import INDENT

_STRING = re.compile(r"""[rRbBuU]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""")


def _balance(line: str) -> int:
    """Opening minus closing brackets on one physical line, outside string literals."""
    if '"' in line or "'" in line:
        line = _STRING.sub("", line)
    return (
        line.count("(") + line.count("[") + line.count("{")
        - line.count(")") - line.count("]") - line.count("}")
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Statement:
    """One logical line as the template wrote it: one or more physical lines."""

    lines: tuple[str, ...]
    #: False for docstrings, comments and blank lines, which pass through unchanged
    code: bool = True

    @property
    def depth(self) -> int:
        first = self.lines[0]
        return (len(first) - len(first.lstrip(" "))) // len(INDENT)


def statements(text: str) -> list[Statement]:
    """Group a module's lines into logical lines (brackets spanning lines joined)."""
    found: list[Statement] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.lstrip(" ")
        if stripped.startswith('"""'):
            end = index
            if not (len(stripped) >= 6 and stripped.rstrip().endswith('"""')):
                end = index + 1
                while end < len(lines) and not lines[end].rstrip().endswith('"""'):
                    end += 1
            found.append(Statement(tuple(lines[index : end + 1]), code=False))
            index = end + 1
            continue
        if not stripped or stripped.startswith("#"):
            found.append(Statement((line,), code=False))
            index += 1
            continue
        end = index
        # templates open a multi-line bracket only at the end of a line
        depth = _balance(line) if line.endswith(("(", "[", "{")) else 0
        while depth > 0 and end + 1 < len(lines):
            end += 1
            depth += _balance(lines[end])
        found.append(Statement(tuple(lines[index : end + 1])))
        index = end + 1
    return found


_OPENERS = ("(", "[", "{")


def long_statements(lines: list[str], long_lines: list[int]) -> list[tuple[int, int, Statement]]:
    """The code statements of ``statements`` holding one of ``long_lines`` (indices into
    ``lines``, ascending), each as (first line, line after it, statement).

    What ``statements`` would find, without grouping every line: only lines that may open
    a statement spanning lines (a docstring, code ending with an opening bracket) are
    looked at, up to the last long line; on a large client a tenth of its lines.
    """
    last = long_lines[-1] if long_lines else -1
    spans: list[tuple[int, int, bool]] = []  # statements spanning lines, in order
    next_free = 0
    for number, first in enumerate(lines[: last + 1]):
        if number < next_free or not (first.endswith(_OPENERS) or '"""' in first):
            continue  # inside the statement found before, or a line of its own
        stripped = first.lstrip(" ")
        end = number
        if stripped.startswith('"""'):
            if not (len(stripped) >= 6 and stripped.rstrip().endswith('"""')):
                end += 1
                while end < len(lines) and not lines[end].rstrip().endswith('"""'):
                    end += 1
        elif stripped and not stripped.startswith("#") and first.endswith(_OPENERS):
            depth = _balance(first)
            while depth > 0 and end + 1 < len(lines):
                end += 1
                depth += _balance(lines[end])
        if end > number:
            spans.append((number, end + 1, not stripped.startswith('"""')))
        next_free = end + 1
    found: dict[int, tuple[int, int, Statement]] = {}
    span = 0
    for number in long_lines:
        while span < len(spans) and spans[span][1] <= number:
            span += 1
        if span < len(spans) and spans[span][0] <= number:
            start, end, code = spans[span]
            if code:
                found[start] = (start, end, Statement(tuple(lines[start:end])))
            continue
        stripped = lines[number].lstrip(" ")
        if stripped and not stripped.startswith(("#", '"""')):
            found[number] = (number, number + 1, Statement((lines[number],)))
    return list(found.values())
