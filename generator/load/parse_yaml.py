"""Part of stage 1 (load): YAML documents, parsed safely and with their quirks kept.

Safe (no object construction), bounded (nesting depth, alias expansion) and tolerant of
the YAML 1.1 quirks real documents rely on: unquoted ``200:`` keys stay the string
``"200"``, ``2020-01-01`` stays a string, and documents that are not strictly valid YAML
but unambiguous (C1 control characters, tabs where YAML wants spaces) load with a
warning naming the line. Imported only for documents that are not JSON.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.errors import Problem, SpecError
from generator.load.comment_ref import COMMENT_REF_TAG, CommentRef
from generator.load.limits import MAX_DEPTH, MAX_EXPANDED_NODES, MAX_FLOW_PRESCAN, MAX_REPAIRS
from generator.load.repair import (
    child_nodes,
    recover_commented_refs,
    repair_tab,
    strip_control_chars,
)

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_VALUE = "tag:yaml.org,2002:value"
_BOOL = "tag:yaml.org,2002:bool"
# YAML 1.2 booleans only: `required: [url, on]` (LaunchDarkly) means the property "on".
_BOOL_1_2 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_TEXT_FIELDS = frozenset({"openapi", "swagger", "version"})
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})
_KEEP_KEY_TAGS = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"})
_BASE_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_BASE_LOADER):  # type: ignore[misc]
    """SafeLoader that keeps dates, yes/no/on/off and mapping keys as written."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # YAML 1.1 turns `200:` into an int and `yes:` into True; OpenAPI means the text.
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag not in _KEEP_KEY_TAGS:
                key_node.tag = "tag:yaml.org,2002:str"
            # `version: 1.10` must not become the float 1.1; these fields are strings.
            if (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.value in _TEXT_FIELDS
                and isinstance(value_node, yaml.ScalarNode)
                and value_node.tag in _NUMBER_TAGS
            ):
                value_node.tag = "tag:yaml.org,2002:str"
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result


# Without these resolvers dates stay strings and a bare `=` (seen in SendGrid's document)
# is an ordinary string instead of an unconstructable `value` tag.
_SpecLoader.yaml_implicit_resolvers = {
    first: [
        (tag, _BOOL_1_2 if tag == _BOOL else rx)
        for tag, rx in resolvers
        if tag not in (_TIMESTAMP, _VALUE)
    ]
    for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
}


_SpecLoader.add_constructor(
    COMMENT_REF_TAG, lambda loader, node: CommentRef(loader.construct_scalar(node))
)


# libyaml's scanner is quadratic in flow-collection depth (20,000 nested "[" take tens
# of seconds), so absurd bracket nesting is refused before parsing. A crude count (every
# bracket) runs at C speed; only when it trips does a Python scan that knows quotes,
# comments and where a flow collection can start decide. The limit is far above
# MAX_DEPTH, which is still enforced exactly after composing.
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def _crude_flow_depth_exceeds(text: str, limit: int) -> bool:
    depth = 0
    for char in _NOT_BRACKETS.sub("", text):
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif depth:
            depth -= 1
    return False


def _starts_node(text: str, index: int) -> bool:
    """In block context a bracket or quote opens something only where a node begins."""
    back = index - 1
    while back >= 0 and text[back] in " \t":
        back -= 1
    return back < 0 or text[back] in "\n:-?,[{"


def _flow_depth_exceeds(text: str, limit: int) -> bool:
    if not _crude_flow_depth_exceeds(text, limit):
        return False
    depth, index, quote, size = 0, 0, "", len(text)
    while index < size:
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char in "[{" and (depth or _starts_node(text, index)):
            depth += 1
            if depth > limit:
                return True
        elif char in "]}" and depth:
            depth -= 1
        elif char in "'\"" and (depth or _starts_node(text, index)):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            newline = text.find("\n", index)
            index = size if newline < 0 else newline
            continue
        index += 1
    return False


def parse_yaml(text: str, display: str) -> tuple[Any, list[Problem]]:
    if _flow_depth_exceeds(text, MAX_FLOW_PRESCAN):
        raise SpecError([Problem(display, "", f"nesting deeper than {MAX_DEPTH} levels")])
    warnings: list[Problem] = []
    for _ in range(MAX_REPAIRS):
        try:
            return _compose_and_construct(text, display, warnings), warnings
        except yaml.reader.ReaderError as exc:
            repaired = strip_control_chars(text, display, warnings)
            if repaired == text:
                raise SpecError(
                    [Problem(display, "", f"invalid character: {exc.reason}")]
                ) from None
            text = repaired
        except yaml.MarkedYAMLError as exc:
            tab_fixed = repair_tab(text, exc, display, warnings)
            if tab_fixed is None:
                raise SpecError([_yaml_problem(exc, display)]) from None
            text = tab_fixed
        except RecursionError:
            raise SpecError(
                [Problem(display, "", f"nesting deeper than {MAX_DEPTH} levels")]
            ) from None
    raise SpecError([Problem(display, "", "too many YAML repairs needed; fix the document")])


def _yaml_problem(exc: yaml.MarkedYAMLError, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    message = " ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
    return Problem(display, where, f"YAML syntax error: {message}")


def _compose_and_construct(text: str, display: str, warnings: list[Problem]) -> Any:
    loader = _SpecLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_node_budget(node, display)
        recover_commented_refs(node, text, display, warnings)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_node_budget(root: yaml.Node, display: str) -> None:
    """Refuse alias bombs and absurd nesting before anything walks the data.

    An alias is a shared node, so the expanded size is computed bottom-up once per distinct
    node: linear in the document as written, whatever it would expand to.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if id(node) in sizes:
            continue
        if depth > MAX_DEPTH:
            line = node.start_mark.line + 1 if node.start_mark else 0
            raise SpecError(
                [Problem(display, f"line {line}", f"nesting deeper than {MAX_DEPTH} levels")]
            )
        children = child_nodes(node)
        if done:
            total = 1 + sum(sizes[id(child)] for child in children)
            if total > MAX_EXPANDED_NODES:
                raise SpecError(
                    [
                        Problem(
                            display,
                            "",
                            "document expands to too many nodes (YAML alias bomb?); refused",
                        )
                    ]
                )
            sizes[id(node)] = total
            continue
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)
