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
