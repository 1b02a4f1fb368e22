"""Stage 5, fast path: lay generated code out the way black leaves it, without black.

Black formats about 1,500 lines a second here, so on GitHub's description it cost more
than everything else together. Our templates emit a small, known set of statement
shapes, already spaced and quoted as black wants (``render.source.py_literal`` writes
black's preferred quotes). What black still did was break lines longer than
``LINE_LENGTH``, and for those shapes its choice is mechanical:

* a line that fits stays as it is;
* a line that does not fit is split at its last bracket pair ("right-hand split"): the
  text up to the opening bracket, the contents one level deeper, the closing bracket;
* contents that still do not fit, or that belong to a collection display
  (``[...]``/``{...}``), go one element per line with a trailing comma. That comma is
  "magic": black keeps any bracket that ends in one exploded, so the result is a fixed
  point of black even where black, starting from scratch, might have picked another
  split.

Anything outside those shapes (an operator chain that would need splitting, a head
that is itself too long, unbalanced brackets, a multi-line string in the middle of a
line) raises ``Unsupported``; ``files.lay_out_files`` then gives that statement to black,
so the output is always black's. ``tests/generator/format/test_layout.py`` and the corpus
tests check ``black(output) == output`` on every generated file.
"""

from __future__ import annotations

import itertools

from generator.format.statements import Statement
from generator.format.tokens import (
    DELIMITER_OPS,
    DELIMITER_WORDS,
    INDENT,
    LINE_LENGTH,
    Tok,
    Unsupported,
    delimiters,
    has_delimiter,
    local_partners,
    magic_comma,
    match_brackets,
    shift_tokens,
    split_elements,
    tokens_of,
    top_level,
)


def lay_out(text: str, depth: int, *, inside: bool, tokens: list[Tok] | None = None) -> list[str]:
    """Lines (without indentation) for one logical line at ``depth`` indents.

    ``inside`` says the line is an element of an enclosing bracket, so it ends in a
    comma (or is the last element) and black may split it at its commas.
    """
    width = LINE_LENGTH - len(INDENT) * depth
    if tokens is None:
        tokens = tokens_of(text)
    partner = match_brackets(tokens)
    if len(text) <= width and not magic_comma(tokens, partner):
        return [text]
    if inside:
        top_commas = [i for i in top_level(tokens, partner) if tokens[i].kind == "comma"]
        ends_in_comma = bool(top_commas) and top_commas[-1] == len(tokens) - 1
        if len(top_commas) - int(ends_in_comma) >= 1:
            return [
                line
                for element, element_tokens in split_elements(text, tokens, partner)
                for line in lay_out(element, depth, inside=True, tokens=element_tokens)
            ]
        core = tokens[:-1] if ends_in_comma else tokens
        if ends_in_comma and _is_parameter(core, partner):
            return _parameter(text, core, partner, depth)
        # black looks for delimiters without the trailing comma: `a | b,` splits at `|`
        if has_delimiter(core, match_brackets(core)):
            return _split_at_bars(text, tokens, partner, depth)
        if not any(tok.kind in ("open", "close") for tok in tokens):
            return [text]  # one atom (a string, a name): black cannot split it either
    return _right_hand_split(text, tokens, partner, depth, inside=inside)


def _split_at_bars(text: str, tokens: list[Tok], partner: dict[int, int], depth: int) -> list[str]:
    """A union that does not fit: black starts a line at each ``|`` (its strongest delimiter
    here), keeping what comes before the first one, a trailing comma stays on the last."""
    core = tokens[:-1] if tokens[-1].kind == "comma" else tokens
    if delimiters(core, match_brackets(core)) != {"|"}:
        raise Unsupported("an operator other than | at the top level of a long line")
    bars = [i for i in top_level(tokens, partner) if tokens[i].text == "|"]
    lines: list[str] = []
    for a, b in itertools.pairwise([0, *bars, len(tokens)]):
        part = tokens[a:b]
        base = part[0].start
        piece = text[base : part[-1].end]
        lines.extend(lay_out(piece, depth, inside=True, tokens=shift_tokens(part, base)))
    return lines


def _tail_ok(tail: list[Tok], *, inside: bool) -> bool:
    """What may follow the last bracket: a comma, or ``= atom`` after a parameter type."""
    kinds = [tok.kind for tok in tail]
    if kinds and kinds[-1] == "comma":
        kinds = kinds[:-1]
        if not inside:
            return False
    if not kinds:
        return True
    return inside and len(kinds) == 2 and tail[0].text == "=" and kinds[1] in ("str", "num", "name")


def _right_hand_split(
    text: str, tokens: list[Tok], partner: dict[int, int], depth: int, *, inside: bool
) -> list[str]:
    closing = max((i for i, tok in enumerate(tokens) if tok.kind == "close"), default=-1)
    if not inside:
        annotated = _annotated(text, tokens, partner, depth)
        if annotated is not None:
            return annotated
    if closing < 0:
        raise Unsupported("a long line without brackets")
    if not inside and _is_atom(tokens[closing + 1 :]) and tokens[closing + 1].text == "=":
        # `x["key"] = long_name`: black wraps the value in parentheses
        return _wrap_value(text, tokens, closing + 1, depth)
    if not _tail_ok(tokens[closing + 1 :], inside=inside):
        raise Unsupported("a long line whose last bracket is followed by more than a comma")
    opening = partner[closing]
    if opening == 0 or closing == opening + 1:
        raise Unsupported("a long line whose last bracket cannot be split")
    if tokens[0].kind == "name" and tokens[0].text in ("def", "async", "class"):
        raise Unsupported("a long def or class line")
    before = top_level(tokens[:opening], partner)
    equals = [i for i in before if tokens[i].kind == "op" and tokens[i].text == "="]
    if equals:
        before = [i for i in before if i > equals[-1]]  # only the assigned value matters
    statement_ops = {tokens[i].text for i in before if tokens[i].kind == "op"}
    if statement_ops & DELIMITER_OPS or any(
        tokens[i].kind == "name" and tokens[i].text in DELIMITER_WORDS - {"not"} for i in before
    ):
        raise Unsupported("an operator before the last bracket")
    if tokens[opening].text == "(" and tokens[opening - 1].kind not in ("name", "close"):
        raise Unsupported("a parenthesised expression or tuple")
    is_display = tokens[opening].text in "[{" and tokens[opening - 1].kind not in (
        "name",
        "close",
        "str",
    )
    head = text[: tokens[opening].end]
    tail = text[tokens[closing].start :]
    head_lines = [head]
    force_explode = False
    width = LINE_LENGTH - len(INDENT) * depth
    if len(head) > width:
        left = len(text[: tokens[equals[-1]].end]) if equals and not inside else None
        # measured on black: a left side ending by column 98 keeps the value in
        # parentheses; from column 99 on, black splits the left side's own bracket
        if left is not None and left <= width - 2:
            return _wrap_value(text, tokens, equals[-1], depth)
        head_lines = _split_long_head(text, tokens, partner, opening, equals, depth, inside)
        force_explode = True
    base = tokens[opening + 1].start
    body_text = text[base : tokens[closing - 1].end]
    body_tokens = shift_tokens(tokens[opening + 1 : closing], base)
    body_partner = match_brackets(body_tokens)
    elements = split_elements(body_text, body_tokens, body_partner)
    has_commas = any(body_tokens[i].kind == "comma" for i in top_level(body_tokens, body_partner))
    inner_width = LINE_LENGTH - len(INDENT) * (depth + 1)
    if has_commas and (
        is_display
        or force_explode
        or len(body_text) > inner_width
        or magic_comma(body_tokens, body_partner)
    ):
        body = [
            line
            for element, element_tokens in elements
            for line in lay_out(element, depth + 1, inside=True, tokens=element_tokens)
        ]
    elif force_explode:
        raise Unsupported("a long head before a bracket with one element")
    else:
        body = lay_out(body_text, depth + 1, inside=True, tokens=body_tokens)
    return [*head_lines, *(INDENT + line for line in body), tail]


def _is_parameter(core: list[Tok], partner: dict[int, int]) -> bool:
    """``name: A | B = default`` inside a def: a type with an operator at its top level."""
    if len(core) < 4 or core[0].kind != "name" or core[0].text == "lambda" or core[1].text != ":":
        return False
    end = len(core) - 2 if _is_atom(core[-2:]) else len(core)
    return any(core[2 + i].text == "|" for i in top_level(core[2:end], local_partners(partner, 1)))


def _parameter(text: str, core: list[Tok], partner: dict[int, int], depth: int) -> list[str]:
    """Black puts a long parameter type in parentheses of its own: ``name: (`` ... ``) = x,``."""
    end = len(core) - 2 if _is_atom(core[-2:]) else len(core)
    annotation = core[2:end]
    bars = [
        i for i in top_level(annotation, local_partners(partner, 1)) if annotation[i].text == "|"
    ]
    body = _union_lines(text, annotation, bars, depth + 1)
    rest = text[core[end - 1].end :].strip()
    closing = ")" + (" " if rest[:1] == "=" else "") + rest
    return [text[: core[1].end] + " (", *(INDENT + line for line in body), closing]


def _is_atom(tail: list[Tok]) -> bool:
    """``= name`` / ``= "text"``: an assignment of one atom."""
    return len(tail) == 2 and tail[0].text == "=" and tail[1].kind in ("name", "str", "num")


def _wrap_value(text: str, tokens: list[Tok], equals: int, depth: int) -> list[str]:
    """``LEFT = (`` / value one level deeper / ``)``: black's parentheses around a value."""
    left = text[: tokens[equals].end]
    value = text[tokens[equals].end :].strip()
    if len(left) + 2 > LINE_LENGTH - len(INDENT) * depth:
        raise Unsupported("a long left-hand side")
    return [left + " (", *(INDENT + line for line in lay_out(value, depth + 1, inside=True)), ")"]


def _annotated(
    text: str, tokens: list[Tok], partner: dict[int, int], depth: int
) -> list[str] | None:
    """``name: A | B`` or ``name: A | B = None`` too long: black parenthesises the type.

    None when the statement has another shape.
    """
    if len(tokens) < 4 or tokens[0].kind != "name" or tokens[1].text != ":":
        return None
    end = len(tokens) - 2 if _is_atom(tokens[-2:]) else len(tokens)
    annotation = tokens[2:end]
    if any(tok.text == "=" for tok in annotation):
        return None
    bars = [
        i for i in top_level(annotation, local_partners(partner, 1)) if annotation[i].text == "|"
    ]
    if not bars:
        return None
    if end < len(tokens) and tokens[end].end <= LINE_LENGTH - len(INDENT) * depth - 2:
        return _wrap_value(text, tokens, end, depth)  # the same column rule as for calls
    body = _union_lines(text, annotation, bars, depth + 1)
    rest = text[annotation[-1].end :].strip()
    closing = ")" + (" " + rest if rest else "")
    return [text[: tokens[1].end] + " (", *(INDENT + line for line in body), closing]


def _split_long_head(
    text: str,
    tokens: list[Tok],
    partner: dict[int, int],
    opening: int,
    equals: list[int],
    depth: int,
    inside: bool,
) -> list[str]:
    """``NAME: Type[Long] = Call(`` too long: black splits the head at its own last bracket.

    Only when the part before ``=`` is itself longer than a line: black then prefers
    splitting the call over wrapping the value in parentheses. Shorter left sides are
    left to black, whose choice there depends on more than this module models.
    """
    width = LINE_LENGTH - len(INDENT) * depth
    if inside or not equals or len(text[: tokens[equals[-1]].end]) < width - 1:
        raise Unsupported("the text before the last bracket is itself too long")
    if len(tokens) > 3 and tokens[0].kind == "name" and tokens[1].text == ":":
        annotation = tokens[2 : equals[-1]]
        local = local_partners(partner, 1)
        bars = [i for i in top_level(annotation, local) if annotation[i].text == "|"]
        if bars:
            return _parenthesised_annotation(text, annotation, bars, tokens[opening], depth)
    closing = max((i for i in range(equals[-1]) if tokens[i].kind == "close"), default=-1)
    if closing < 0 or any(tok.kind in ("open", "close") for tok in tokens[closing + 1 : opening]):
        raise Unsupported("a long head without a bracket to split")
    inner = partner[closing]
    first = text[: tokens[inner].end]
    last = text[tokens[closing].start : tokens[opening].end]
    if max(len(first), len(last)) > width:
        raise Unsupported("a long head whose parts do not fit")
    middle = tokens[inner + 1 : closing]
    if not middle:
        raise Unsupported("a long head with empty brackets")
    bars = [i for i in top_level(middle, local_partners(partner, inner)) if middle[i].text == "|"]
    body = _union_lines(text, middle, bars, depth + 1)
    nested = local_partners(partner, inner)
    commas = [
        i
        for i in top_level(tokens[inner + 1 : closing], nested)
        if tokens[inner + 1 + i].kind == "comma"
    ]
    if inner == 0 or tokens[inner].text != "[" or commas:
        raise Unsupported("a long head split somewhere other than a one-element subscript")
    return [first, *(INDENT + line for line in body), last]


def _union_lines(text: str, annotation: list[Tok], bars: list[int], depth: int) -> list[str]:
    """A type inside black's parentheses: one line if it fits, else one operand a line."""
    inner = text[annotation[0].start : annotation[-1].end]
    if len(inner) <= LINE_LENGTH - len(INDENT) * depth:
        return [inner]
    cuts = [0, *bars, len(annotation)]
    lines: list[str] = []
    for a, b in itertools.pairwise(cuts):
        operand = annotation[a:b]
        base = operand[0].start
        piece = text[base : operand[-1].end]
        lines.extend(lay_out(piece, depth, inside=True, tokens=shift_tokens(operand, base)))
    return lines


def _parenthesised_annotation(
    text: str, annotation: list[Tok], bars: list[int], opening: Tok, depth: int
) -> list[str]:
    """``name: A | B = Call(`` too long: black wraps the type, one operand a line if need be."""
    body = _union_lines(text, annotation, bars, depth + 1)
    last = ") " + text[annotation[-1].end : opening.end].strip()
    if len(last) > LINE_LENGTH - len(INDENT) * depth:
        raise Unsupported("a long head whose parts do not fit")
    return [text[: annotation[0].start].rstrip() + " (", *(INDENT + line for line in body), last]


def lay_out_statement(statement: Statement) -> list[str]:
    """The statement's lines, long ones split; ``Unsupported`` if it cannot be proved."""
    if not statement.code or all(len(line) <= LINE_LENGTH for line in statement.lines):
        return list(statement.lines)
    out: list[str] = []
    last = len(statement.lines) - 1
    for number, line in enumerate(statement.lines):
        if len(line) <= LINE_LENGTH:
            out.append(line)
            continue
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        depth = indent // len(INDENT)
        if last and number == last and stripped.startswith(") -> ") and stripped.endswith(":"):
            out.extend(" " * indent + part for part in _return_annotation(stripped, depth))
            continue
        if indent % len(INDENT) or (last and number in (0, last)):
            # the first and last line of a multi-line construct hold unbalanced brackets
            raise Unsupported("a long opening or closing line")
        if not last and stripped.startswith("class ") and stripped.endswith("):"):
            out.extend(" " * indent + part for part in _class_line(stripped, depth))
            continue
        if not last and stripped.startswith(("def ", "async def ")) and stripped.endswith(":"):
            out.extend(" " * indent + part for part in _def_line(stripped, depth))
            continue
        if stripped.startswith("from ") and " import " in stripped and "(" not in stripped:
            out.extend(_import_lines(stripped, depth))
            continue
        out.extend(" " * indent + part for part in lay_out(stripped, depth, inside=bool(last)))
    return out


def _class_line(stripped: str, depth: int) -> list[str]:
    """``class Name(Base):`` too long: black moves the bases one level in, on one line."""
    head, _, bases = stripped[: -len("):")].partition("(")
    width = LINE_LENGTH - len(INDENT) * depth
    tokens = tokens_of(bases)
    if (
        len(head) + 1 > width
        or len(bases) > width - len(INDENT)
        or any(tok.kind in ("open", "close") for tok in tokens)
        or magic_comma(tokens, match_brackets(tokens))
    ):
        raise Unsupported("a long class line with complex bases")
    return [head + "(", INDENT + bases, "):"]


def _def_line(stripped: str, depth: int) -> list[str]:
    """``def name(param) -> T:`` too long on one line. Black splits every def at its
    parameters' parentheses (its "left-hand split"), gives a lone parameter the magic
    trailing comma, and then treats ``) -> T:`` as after a def written on several lines."""
    tokens = tokens_of(stripped)
    partner = match_brackets(tokens)
    opening = 3 if tokens[0].text == "async" else 2
    if len(tokens) <= opening or tokens[opening].text != "(" or tokens[opening - 1].kind != "name":
        raise Unsupported("a long def line without a parameter list after the name")
    closing = partner[opening]
    parameter = tokens[opening + 1 : closing]
    # one plain parameter (`self`, `value: int`): black adds a comma only where there is none
    if not parameter or not all(tok.kind == "name" or tok.text in ":." for tok in parameter):
        raise Unsupported("a long def line with other than one plain parameter")
    width = LINE_LENGTH - len(INDENT) * depth
    head = stripped[: tokens[opening].end]
    body = stripped[parameter[0].start : parameter[-1].end] + ","
    tail = stripped[tokens[closing].start :]
    if len(head) > width or len(body) > width - len(INDENT):
        raise Unsupported("a long def line whose parts do not fit")
    if len(tail) <= width:
        return [head, INDENT + body, tail]
    if not tail.startswith(") -> "):
        raise Unsupported("a long def line whose closing part does not fit")
    return [head, INDENT + body, *_return_annotation(tail, depth)]


def _return_annotation(stripped: str, depth: int) -> list[str]:
    """``) -> T:`` closing a def, too long: black treats T like a parameter's type."""
    text = stripped[len(") -> ") : -1]
    tokens = tokens_of(text)
    partner = match_brackets(tokens)
    bars = [i for i in top_level(tokens, partner) if tokens[i].text == "|"]
    if bars:
        body = _union_lines(text, tokens, bars, depth + 1)
        return [") -> (", *(INDENT + line for line in body), "):"]
    if has_delimiter(tokens, partner) or tokens[-1].kind != "close":
        raise Unsupported("a long return annotation black would split elsewhere")
    lines = _right_hand_split(text, tokens, partner, depth, inside=True)
    if len(") -> " + lines[0]) > LINE_LENGTH - len(INDENT) * depth:
        raise Unsupported("a long return annotation head")
    return [") -> " + lines[0], *lines[1:-1], lines[-1] + ":"]


def _import_lines(stripped: str, depth: int) -> list[str]:
    """``from x import a, b`` that does not fit: black parenthesises it, one name a line."""
    head, _, names = stripped.partition(" import ")
    pad = INDENT * depth
    return [
        f"{pad}{head} import (",
        *(f"{pad}{INDENT}{name.strip()}," for name in names.split(",")),
        f"{pad})",
    ]
