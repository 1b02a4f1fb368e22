"""Spelling IR values as Python source text, safely.

Every string that came from a spec reaches generated code through ``py_literal``
(a ``repr()``), ``docstring_text`` or ``comment_text``; nothing here ever
concatenates spec text into code unescaped.
"""

from __future__ import annotations

import functools
import math
import re
import textwrap
from typing import Any

from generator.ir.nodes import Default, Scalar, TypeRef

_BUILTIN_SOURCE = {
    "datetime": "_dt.datetime",
    "date": "_dt.date",
    "time": "_dt.time",
    "UUID": "_uuid.UUID",
    "Decimal": "_decimal.Decimal",
    "file": "bytes | IO[bytes]",
}
#: Import line each qualified name above needs (keyed by the name's first part).
IMPORTS = {
    "_dt": "import datetime as _dt",
    "_uuid": "import uuid as _uuid",
    "_decimal": "import decimal as _decimal",
}


def py_literal(value: Scalar | tuple[Any, ...]) -> str:
    """A Python literal for a JSON scalar (or a tuple of them)."""
    if isinstance(value, tuple):
        inner = ", ".join(py_literal(item) for item in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"no Python literal for {value!r}")
    if isinstance(value, str):
        return str_literal(value)
    return repr(value)


_ESCAPE_OR_DOUBLE_QUOTE = re.compile(r"""\\(.)|\"""", re.DOTALL)


def str_literal(text: str) -> str:
    """``repr(text)`` with the quotes black prefers, so black never has to change it.

    Black turns ``'...'`` into ``"..."`` unless that needs more backslashes than it
    removes; ``repr`` picks single quotes. Doing black's choice here is what lets the
    layout stage (``generator.format.layout``) skip black.
    """
    source = repr(text)
    if source.startswith('"'):
        return source  # repr went for double quotes because the text holds a ' only
    body = source[1:-1]
    removed = body.count("\\'")  # repr escapes ' only when the text has both quotes
    if text.count('"') > removed:
        return source

    def swap(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return '\\"'
        return "'" if match.group(1) == "'" else match.group()

    return '"' + _ESCAPE_OR_DOUBLE_QUOTE.sub(swap, body) + '"'


def default_source(default: Default, *, models_prefix: str) -> str:
    """A default value as source: an enum member by name, anything else as a literal."""
    if default.enum_member is not None:
        enum_name, member = default.enum_member
        return f"{models_prefix}{enum_name}.{member}"
    return py_literal(default.value)


def comment_text(text: str) -> str:
    """Spec text inside a ``#`` comment: one line, nothing unprintable."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


_CLOSING_QUOTE = re.compile(r'"(?=")|(?<=")"|"\Z')


def docstring_text(text: str) -> str:
    """Body of a ``\"\"\"`` docstring: backslashes, quotes and control characters escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = text.replace("\\", "\\\\")
    # only quotes that could close the docstring (a run, or the last character)
    text = _CLOSING_QUOTE.sub('\\\\"', text)
    if not text.replace("\n", "").isprintable():
        text = "".join(_printable(ch) for ch in text)
    return text or "No description."


def _printable(ch: str) -> str:
    if ch == "\n" or ch.isprintable():
        return ch
    if ord(ch) < 0x100:
        return f"\\x{ord(ch):02x}"
    return f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"


def annotation(
    type_: TypeRef, *, models_prefix: str, tagged: bool = True, open_literals: bool = False
) -> str:
    """Source text of a type; model classes are prefixed (``models.``) outside ``models/``.

    ``tagged=False`` spells a discriminated union as the plain union: what a signature
    should show, while pydantic (models, ``ResponseSpec``) needs the ``Annotated`` tag.
    ``open_literals`` marks inline enums of two or more values ``OpenLiteral`` (a model
    field: a response may carry a value the spec does not list yet; a one-value
    ``Literal`` is a constant, not an enum that grows).
    """

    def inner(item: TypeRef) -> str:
        return annotation(
            item, models_prefix=models_prefix, tagged=tagged, open_literals=open_literals
        )

    if type_.kind == "literal" and open_literals and len(type_.values) > 1:
        return f"Annotated[{annotation(type_, models_prefix=models_prefix)}, OpenLiteral]"

    if type_.kind == "builtin":
        return _BUILTIN_SOURCE.get(type_.name, type_.name)
    if type_.kind == "model":
        return models_prefix + type_.name
    if type_.kind == "list":
        return f"list[{inner(type_.args[0])}]"
    if type_.kind == "dict":
        return f"dict[str, {inner(type_.args[0])}]"
    if type_.kind == "literal":
        return "Literal[" + ", ".join(py_literal(v) for v in type_.values) + "]"
    members = " | ".join(inner(member) for member in type_.args)
    if type_.kind == "discriminated" and tagged:
        return f"Annotated[{members}, Field(discriminator={py_literal(type_.name)})]"
    return members


def names_used(types: list[TypeRef]) -> set[str]:
    """Module-level names the annotations of ``types`` need imported."""
    used: set[str] = set()
    stack = list(types)
    while stack:
        type_ = stack.pop()
        stack.extend(type_.args)
        if type_.kind == "literal":
            used.add("Literal")
        elif type_.kind == "discriminated":
            used.update({"Annotated", "Field"})
        elif type_.kind == "builtin":
            if type_.name == "Any":
                used.add("Any")
            elif type_.name == "file":
                used.add("IO")
            elif type_.name in _BUILTIN_SOURCE:
                used.add(_BUILTIN_SOURCE[type_.name].split(".", 1)[0])
    return used


def docstring_block(text: str, *, indent: int) -> str:
    """A complete docstring literal, as black leaves it; a multi-line one closes on its own line.

    Black re-indents a docstring: it removes the indentation its lines after the first
    share and puts a space between the quotes and a quote character at either end. Lines
    are wrapped to ``LINE_LENGTH`` columns, indentation and quotes included (see
    ``_wrapped``); black never rewraps a docstring, so it keeps them as they are.
    """
    body = docstring_text(text)
    lead = '"""' + (" " if body.startswith('"') else "")
    one_line = lead + body + (' """' if body.endswith('"') else '"""')
    if "\n" not in body:
        if indent + len(one_line) <= LINE_LENGTH:
            return one_line
        # too long with its closing quotes: wrapped as if they followed the first line
        lines = _wrapped(body, indent=indent, first_offset=len(lead) + 3)
        if len(lines) == 1:
            return one_line  # one word too long for the line: black leaves it so too
    else:
        lines = _wrapped(body, indent=indent, first_offset=len(lead))
    pad = " " * indent
    rest = [line and pad + line for line in lines[1:]]
    return lead + "\n".join([lines[0], *rest]) + "\n" + pad + '"""'


def module_docstring_text(text: str) -> str:
    """The body of a module docstring whose template writes the quotes (at column 0) and
    any paragraph after it: ``docstring_text``, wrapped like ``docstring_block``."""
    return "\n".join(_wrapped(docstring_text(text), indent=0, first_offset=3))


#: black's line length (``generator.format.tokens.LINE_LENGTH``; render cannot import it)
LINE_LENGTH = 100
#: how much deeper the rest of a wrapped indented line goes ("Args:" entries, list items)
_HANGING_INDENT = "    "


def _wrapped(body: str, *, indent: int, first_offset: int) -> list[str]:
    """``body``'s lines (escaped text), their common indentation after the first removed as
    black removes it, each line longer than the space left wrapped at spaces.

    Words are never broken (a URL stays whole, on a line of its own if need be) and
    blank lines (paragraph breaks) stay. Continuation lines of an indented line go one
    level deeper, so an ``Args:`` entry still reads as one entry. Lines inside a fenced
    code block (```) and table rows (``|`` first) keep their length: wrapping would
    change what they say. The escapes ``docstring_text`` wrote contain no space, so a
    break never splits one.
    """
    first, *rest = body.split("\n")
    margin = min((len(line) - len(line.lstrip(" ")) for line in rest if line), default=0)
    lines = _wrap(first, LINE_LENGTH - indent - first_offset)
    fenced = first.lstrip().startswith("```")
    for line in rest:
        line = line[margin:]
        stripped = line.lstrip(" ")
        if stripped.startswith("```"):
            fenced = not fenced
            lines.append(line)
        elif fenced or stripped.startswith("|"):
            lines.append(line)
        else:
            lines.extend(_wrap(line, LINE_LENGTH - indent))
    return lines


def _wrap(line: str, width: int) -> list[str]:
    if len(line) <= width or " " not in line.strip(" "):
        return [line]
    stripped = line.lstrip(" ")
    lead = line[: len(line) - len(stripped)]
    if "  " not in stripped and not stripped.endswith(" "):
        return _greedy(stripped, width, lead)
    return textwrap.wrap(
        stripped,
        width=max(width, len(lead) + 1),
        initial_indent=lead,
        subsequent_indent=lead + _HANGING_INDENT if lead else "",
        break_long_words=False,
        break_on_hyphens=False,
    )


def _greedy(text: str, width: int, lead: str) -> list[str]:
    """``textwrap.wrap`` as ``_wrap`` calls it, for words with one space between them.

    The same greedy choice (as many words as fit, a word longer than the line alone) made
    by a regular expression a line at a time: textwrap walks its chunks one by one in
    Python, which was half of rendering a large client's docstrings.
    """
    rest_lead = lead + _HANGING_INDENT if lead else ""
    width = max(width, len(lead) + 1)
    first = _line_pattern(width - len(lead)).match(text)
    assert first is not None  # a word of one character or more always matches
    rest = _line_pattern(width - len(rest_lead)).findall(text, first.end())
    return [lead + first.group(1), *(rest_lead + line for line in rest)]


@functools.cache
def _line_pattern(room: int) -> re.Pattern[str]:
    """The longest run of words that fits ``room`` columns, else one word; and its space."""
    return re.compile(rf"(.{{1,{max(room, 1)}}}(?= |\Z)|[^ ]+)(?: |\Z)")
