"""Reading one logical line of generated code for ``generator.format.layout``.

A small tokenizer for the Python our templates emit (names, numbers, one-line string
literals, operators, brackets), bracket matching, and the two facts black's line
splitting turns on: where a line's top-level commas are, and which operators at its
top level black treats as delimiters. Everything here is pure and knows nothing of
layout decisions.
"""

from __future__ import annotations

import re
from typing import NamedTuple

LINE_LENGTH = 100
INDENT = "    "

_TOKEN = re.compile(
    r"""[ \t]+"""
    r"""|[rRbBuU]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|[^\W\d]\w*|\d[\w.]*(?:[eE][+-]?\d+)?j?"""
    r"""|->|\*\*|//|==|!=|<=|>=|:=|\.\.\.|[-+*/%@&|^~<>=.:;!(),\[\]{}]"""
)
_KIND = {**dict.fromkeys("([{", "open"), **dict.fromkeys(")]}", "close"), ",": "comma"}
_PAIRS = {"(": ")", "[": "]", "{": "}"}
# Operators black splits at ("delimiters") before it tries brackets; a line inside
# brackets that holds one of them at its top level is left to black.
DELIMITER_OPS = frozenset({"|", "+", "-", "*", "/", "//", "%", "@", "&", "^", "<", ">", "==",
                            "!=", "<=", ">=", "**"})  # fmt: skip
DELIMITER_WORDS = frozenset({"and", "or", "not", "in", "is", "if", "else", "for"})


class Unsupported(Exception):
    """A line this module cannot prove black would leave alone."""


class Tok(NamedTuple):
    kind: str  # open, close, comma, str, name, num, op
    text: str
    start: int
    end: int


def tokens_of(text: str) -> list[Tok]:
    found: list[Tok] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() != pos:
            break
        pos = match.end()
        token = match.group()
        first = token[0]
        if first in " \t":
            continue
        kind = _KIND.get(first)
        if kind is None:
            if token[-1] in "\"'":
                kind = "str"
            elif first.isdigit():
                kind = "num"
            elif first.isidentifier():
                kind = "name"
            else:
                kind = "op"
        found.append(Tok(kind, token, match.start(), pos))
    if pos != len(text):
        raise Unsupported(f"cannot read {text[pos:pos + 20]!r}")
    return found


def match_brackets(tokens: list[Tok]) -> dict[int, int]:
    """Index of each bracket's partner; unbalanced text is unsupported."""
    partner: dict[int, int] = {}
    stack: list[int] = []
    for index, tok in enumerate(tokens):
        if tok.kind == "open":
            stack.append(index)
        elif tok.kind == "close":
            if not stack or _PAIRS[tokens[stack[-1]].text] != tok.text:
                raise Unsupported("unbalanced brackets")
            opening = stack.pop()
            partner[opening] = index
            partner[index] = opening
    if stack:
        raise Unsupported("unbalanced brackets")
    return partner


def top_level(tokens: list[Tok], partner: dict[int, int]) -> list[int]:
    """Indices of the tokens outside every bracket."""
    found: list[int] = []
    index = 0
    while index < len(tokens):
        found.append(index)
        index = partner[index] + 1 if tokens[index].kind == "open" else index + 1
    return found


def magic_comma(tokens: list[Tok], partner: dict[int, int]) -> bool:
    """True if a bracket ends in a trailing comma black would treat as magic."""
    for index, tok in enumerate(tokens):
        if tok.kind != "close" or index == 0 or tokens[index - 1].kind != "comma":
            continue
        opening = partner[index]
        if tok.text == ")" and _is_one_tuple(tokens, partner, opening, index):
            continue  # `(x,)`: a one-element tuple, not a magic comma
        return True
    return False


def _is_one_tuple(tokens: list[Tok], partner: dict[int, int], opening: int, closing: int) -> bool:
    if opening > 0 and tokens[opening - 1].kind in ("name", "close", "str"):
        return False  # a call: `f(x,)` is magic
    inner = range(opening + 1, closing)
    commas = [i for i in top_level(tokens[opening + 1 : closing], local_partners(partner, opening))
              if tokens[opening + 1 + i].kind == "comma"]  # fmt: skip
    return len(inner) > 1 and len(commas) == 1


def local_partners(partner: dict[int, int], offset: int) -> dict[int, int]:
    shift = offset + 1
    return {a - shift: b - shift for a, b in partner.items() if a >= shift and b >= shift}


def shift_tokens(tokens: list[Tok], base: int) -> list[Tok]:
    return [Tok(t.kind, t.text, t.start - base, t.end - base) for t in tokens]


def split_elements(
    text: str, tokens: list[Tok], partner: dict[int, int]
) -> list[tuple[str, list[Tok]]]:
    """Each top-level comma-separated element of ``text`` with a comma after it."""
    elements: list[tuple[str, list[Tok]]] = []
    begin = 0
    for index in [*(i for i in top_level(tokens, partner) if tokens[i].kind == "comma"), None]:
        end = len(tokens) if index is None else index
        if end > begin:
            base = tokens[begin].start
            item = text[base : tokens[end - 1].end]
            comma = Tok("comma", ",", len(item), len(item) + 1)
            elements.append((item + ",", [*shift_tokens(tokens[begin:end], base), comma]))
        begin = end + 1
    return elements


_NOT_OPERANDS = frozenset({"op", "open", "comma"})


def delimiters(tokens: list[Tok], partner: dict[int, int]) -> set[str]:
    """The operators, keywords or attribute dots black would split the line at.

    A unary ``-``/``+``/``*``/``**`` (after an operator, a bracket or a comma) is no
    delimiter; a ``.`` is one only after a closing bracket (``f(x).y``), as in black.
    """
    found: set[str] = set()
    previous: Tok | None = None
    for index in top_level(tokens, partner):
        tok = tokens[index]
        if tok.kind == "op":
            binary = previous is not None and previous.kind not in _NOT_OPERANDS
            if tok.text in DELIMITER_OPS and binary:
                found.add(tok.text)
            if tok.text == "." and previous is not None and previous.kind == "close":
                found.add(".")
        elif tok.kind == "name" and tok.text in DELIMITER_WORDS:
            found.add(tok.text)
        elif tok.kind == "str" and previous is not None and previous.kind == "str":
            found.add("implicit concatenation")
        # a bracket pair counts as one operand: its closing token decides what follows
        previous = tokens[partner[index]] if tok.kind == "open" else tok
    return found


def has_delimiter(tokens: list[Tok], partner: dict[int, int]) -> bool:
    return bool(delimiters(tokens, partner))
