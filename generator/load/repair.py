"""Part of stage 1 (load): repairs for documents that are not strictly valid YAML but
whose meaning is unambiguous. Each repair leaves a warning naming the line."""

from __future__ import annotations

import re

import yaml

from generator.errors import Problem
from generator.load.comment_ref import COMMENT_REF_TAG

# C1 controls (and C0 other than tab/newline/CR) are rejected by YAML but carry no meaning
# in a description; removing them cannot change what the document says about the API.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_control_chars(text: str, display: str, warnings: list[Problem]) -> str:
    lines: list[int] = []
    for match in _CONTROL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if not lines or lines[-1] != line:
            lines.append(line)
    for line in lines[:20]:
        warnings.append(
            Problem(display, f"line {line}", "control character removed", severity="warning")
        )
    if len(lines) > 20:
        warnings.append(
            Problem(
                display,
                "",
                f"control characters removed on {len(lines) - 20} more lines",
                severity="warning",
            )
        )
    return _CONTROL.sub("", text)


def repair_tab(
    text: str, exc: yaml.MarkedYAMLError, display: str, warnings: list[Problem]
) -> str | None:
    """Indent a block-scalar line that starts with a tab like the line before it.

    Inside a block scalar the tab can only be text, so this keeps the meaning; a tab
    used to indent mappings is ambiguous and stays an error.
    """
    mark = exc.problem_mark
    problem, context = str(exc.problem or ""), str(exc.context or "")
    if mark is None or "tab" not in problem or "block scalar" not in context:
        return None
    lines = text.split("\n")
    if mark.line >= len(lines) or "\t" not in lines[mark.line]:
        return None
    previous = next((ln for ln in reversed(lines[: mark.line]) if ln.strip()), "")
    indent = previous[: len(previous) - len(previous.lstrip(" "))]
    line = lines[mark.line]
    lines[mark.line] = indent + line.lstrip(" \t")
    warnings.append(
        Problem(
            display,
            f"line {mark.line + 1}",
            "tab indentation in a block scalar replaced by spaces",
            severity="warning",
        )
    )
    return "\n".join(lines)


_MAYBE_COMMENTED_REF = re.compile(r"\$ref['\"]?:[ \t]+#")
_COMMENTED_REF = re.compile(r"[ \t]+(#[^\s'\"#]*)[ \t]*$")


def recover_commented_refs(
    root: yaml.Node, text: str, display: str, warnings: list[Problem]
) -> None:
    """``$ref: #/components/schemas/X`` unquoted is a YAML comment, so ``$ref`` is null.

    A null ``$ref`` means nothing, and the comment on the same line says what was meant
    (Swagger's 3.1 petstore has one), so the comment becomes the value, with a warning.
    """
    if not _MAYBE_COMMENTED_REF.search(text):
        return  # the common case: no node walk for a multi-megabyte document
    lines = text.split("\n")
    seen: set[int] = set()
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if (
                    isinstance(key, yaml.ScalarNode)
                    and key.value == "$ref"
                    and isinstance(value, yaml.ScalarNode)
                    and value.tag == "tag:yaml.org,2002:null"
                    and value.value == ""
                ):
                    _fill_ref(key, value, lines, display, warnings)
        stack.extend(child_nodes(node))


def _fill_ref(
    key: yaml.ScalarNode,
    value: yaml.ScalarNode,
    lines: list[str],
    display: str,
    warnings: list[Problem],
) -> None:
    mark = key.end_mark
    if mark is None or mark.line >= len(lines):
        return
    rest = lines[mark.line][mark.column :]
    match = _COMMENTED_REF.match(rest.removeprefix(":")) if rest.startswith(":") else None
    if match is None:
        return
    value.tag, value.value = COMMENT_REF_TAG, match.group(1)
    warnings.append(
        Problem(
            display,
            f"line {mark.line + 1}",
            f"unquoted $ref {match.group(1)!r} is a YAML comment; read as the reference",
            severity="warning",
        )
    )


def child_nodes(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []
