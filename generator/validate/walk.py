"""openapi-spec-validator's keyword walk, done directly over the plain document.

The second validation phase (``describe.root_phase``) is openapi-spec-validator 0.8.5's
``root_validator``: tags, paths, path parameters, operationIds, parameters, media types,
schemas (the meta-schema check of each, required vs properties, defaults against their
schema). Run by the library it costs 0.16 s of imports (pydantic-settings,
jsonschema-path) and walks every node through jsonschema-path's ``$ref``-resolving
accessors (0.26 s on Kubernetes apps/v1). ``KeywordWalk`` is the same walk, keyword for
keyword and in the same order, over dicts and lists, resolving ``$ref`` itself
(``walk_refs``); the checks that need a JSON Schema validator (``walk_checks``) call the
very functions the library calls, so every message is the library's own, after asking
oracles that vouch only for what certainly passes (``walk_oracle`` for schemas against
their meta-schema, ``walk_defaults`` for defaults): a document they vouch for entirely
imports no validator at all (0.39 s of CPU became 0.15 s on Kubernetes apps/v1, whose 99
mismatching defaults need openapi-schema-validator's words; 0.19 s became 0.007 s on
specs/onextree.yaml).

It answers only where it is certain to give the library's answer; anything else raises
``Unmodelled`` and ``root_phase`` runs the library instead:

- another openapi-spec-validator than 0.8.5 (OpenAPI 3.0, 3.1 and 3.2 are modelled: 3.2's
  ``query`` and ``additionalOperations`` operations and tag parents too);
- a document that is not plain JSON (tuples, ``str`` subclasses, non-string keys) or is
  nested deeper than ``fast.MAX_DEPTH``;
- a ``$ref`` that is not a JSON pointer into the document itself (other files, URLs,
  anchors), that points nowhere, that starts inside a JSON Schema keyword (where
  ``$id`` would move the base URI), or a long chain of references (``walk_refs``);
- a shape on which the library raises instead of reporting (``paths`` as a list, a
  parameter without ``in``, a path template with unbalanced braces, ...);
- a schema nesting deeper than ``_MAX_NESTING``, where the library's own recursion
  could run out (the checks are also run with at least the library's stack depth, see
  ``walk_checks``), and any exception from a check.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Iterator
from typing import Any

from generator.cache import installed_version
from generator.validate.fast import plain_json
from generator.validate.messages import plain
from generator.validate.phases import MODELLED_VERSION, Found, PhaseResult
from generator.validate.walk_checks import Checks, Unmodelled
from generator.validate.walk_refs import References
from generator.validate.walk_tags import hierarchy_problems

MODELLED_KINDS = frozenset({"3.0", "3.1", "3.2"})
_OPERATIONS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
#: OpenAPI 3.2 adds ``query`` and a map of ``additionalOperations`` (any method name)
_OPERATIONS_3_2 = _OPERATIONS | {"query"}
_MAX_NESTING = 64
#: Frames the library needs at most beyond the walk's own levels (measured: 13 + 2 per
#: schema level at a default check); the walk refuses to start closer to the limit.
_HEADROOM = 400

Parts = tuple[Any, ...]
Node = tuple[Parts, Any]


def modelled(kind: str) -> bool:
    """True when the walk models the installed validator for documents of ``kind``."""
    return kind in MODELLED_KINDS and installed_version("openapi-spec-validator") == (
        MODELLED_VERSION
    )


def root_phase(document: dict[str, Any], kind: str) -> PhaseResult:
    """``describe.root_phase``'s exact answer: from the walk when it models the document,
    otherwise from openapi-spec-validator itself."""
    if modelled(kind):
        try:
            return KeywordWalk(document, kind).run(), True
        except Exception:  # Unmodelled, or what the walk did not foresee: the library answers
            pass
    # why: openapi-spec-validator costs 0.2 s of imports, paid only when the walk declines
    from generator.validate.describe import root_phase as library_phase

    return library_phase(document, kind)


def prepare() -> None:
    """Import what ``root_phase`` will most likely need (a standby worker does this while
    the document is still being loaded): the value and meta-schema checks' validators, or
    the library where the walk does not model the installed version."""
    if installed_version("openapi-spec-validator") == MODELLED_VERSION:
        # why: the point of preparing: import now what a check will need later
        import jsonschema.exceptions  # type: ignore[import-untyped]  # noqa: F401
        import openapi_schema_validator  # noqa: F401
    else:
        # why: the library's walk will run; import it now
        import generator.validate.describe  # noqa: F401


def _contains(node: Any, key: str) -> bool:
    return type(node) is dict and key in node


def _keys(node: Any) -> list[Any]:
    if type(node) is dict:
        return list(node)
    if type(node) is list:
        return list(range(len(node)))
    raise Unmodelled("keys of a value that is neither an object nor an array")


class KeywordWalk:
    """One pass of the keyword walk; ``run`` answers the problems or raises ``Unmodelled``."""

    def __init__(self, document: dict[str, Any], kind: str) -> None:
        if not plain_json(document):
            raise Unmodelled("not plain JSON, or nested too deeply")
        self.root = document
        self.kind = kind
        self.resolve = References(document).resolve
        self.found: list[Found] = []
        self.checks = Checks(document, kind, self.resolve)
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self.operation_ids: list[Any] = []

    # -- the document, as jsonschema-path's accessors read it ------------------------------

    def child(self, where: Node, key: Any) -> Node:
        parts, node = where
        return (*parts, key), self.resolve(node[key])

    def children(self, where: Node) -> Iterator[Node]:
        parts, node = where
        if type(node) is dict:
            for key, value in node.items():
                yield (*parts, key), self.resolve(value)
        elif type(node) is list:
            for index, value in enumerate(node):
                yield (*parts, index), self.resolve(value)
        else:
            raise Unmodelled("iterating a value that is neither an object nor an array")

    def read_str(self, node: Any, key: str) -> str:
        value = self.resolve(node[key]) if _contains(node, key) else None
        if type(value) is not str:
            raise Unmodelled(f"{key} is not a string")
        return value

    def report(self, where: Parts, message: str) -> None:
        self.found.append(plain(where, message))

    # -- RootValidator and the keyword validators, in keywords.py's order ------------------

    def run(self) -> list[Found]:
        if sys.getrecursionlimit() - self.checks.start_depth < _HEADROOM:
            raise Unmodelled("too close to the recursion limit")
        root: Node = ((), self.resolve(self.root))
        if _contains(root[1], "tags"):
            self.tags(self.child(root, "tags"))
        if _contains(root[1], "paths"):
            paths = self.child(root, "paths")
            if type(paths[1]) is not dict:
                raise Unmodelled("paths is not an object")
            for url in paths[1]:
                self.path_item(url, self.child(paths, url))
        if _contains(root[1], "components"):
            components = self.child(root, "components")
            if _contains(components[1], "schemas"):
                for schema in self.children(self.child(components, "schemas")):
                    self.schema(schema, level=4)
        return self.found

    def tags(self, tags: Node) -> None:
        seen: set[str] = set()
        for _, tag in self.children(tags):
            name = self.read_str(tag, "name")
            if name in seen:
                self.report(tags[0], f"Duplicate tag name '{name}'")
            seen.add(name)
        if self.kind == "3.2":
            hierarchy = [
                (
                    self.read_str(tag, "name"),
                    self.read_str(tag, "parent") if _contains(tag, "parent") else None,
                )
                for _, tag in self.children(tags)
            ]
            for message in hierarchy_problems(hierarchy):
                self.report(tags[0], message)

    def path_item(self, url: str, item: Node) -> None:
        shared = None
        if _contains(item[1], "parameters"):
            shared = self.child(item, "parameters")
            self.parameters(shared, level=4)
        if type(item[1]) is not dict:
            raise Unmodelled("a path item that is not an object")
        operations = _OPERATIONS_3_2 if self.kind == "3.2" else _OPERATIONS
        for name in item[1]:
            if name in operations:
                self.operation(url, name, self.child(item, name), shared)
            elif name == "additionalOperations" and self.kind == "3.2":
                additional = self.child(item, name)
                if type(additional[1]) is not dict:
                    raise Unmodelled("additionalOperations is not an object")
                for method in additional[1]:
                    self.operation(url, method, self.child(additional, method), shared)

    def parameters(self, parameters: Node, level: int) -> None:
        seen = set()
        for parameter in self.children(parameters):
            if _contains(parameter[1], "schema"):
                self.schema(self.child(parameter, "schema"), level=level + 2)
            key = (self._scalar(parameter[1], "name"), self._scalar(parameter[1], "in"))
            if key in seen:
                self.report(parameters[0], f"Duplicate parameter '{key[0]}'")
            seen.add(key)

    @staticmethod
    def _scalar(node: Any, key: str) -> Any:
        # `parameter["name"]`: the raw value (not resolved); a container would be a path
        if not _contains(node, key) or type(node[key]) in (dict, list):
            raise Unmodelled(f"a parameter whose {key} is missing or not a scalar")
        return node[key]

    def operation(self, url: str, name: str, operation: Node, shared: Node | None) -> None:
        # The library locates these errors at the last path argument it was called with:
        # the path item's parameters when there are some, else the operation.
        where = shared[0] if shared is not None else operation[0]
        node = operation[1]
        if _contains(node, "operationId"):
            operation_id = self.resolve(node["operationId"])
            if operation_id is not None and operation_id in self.operation_ids:
                self.report(
                    where, f"Operation ID '{operation_id}' for '{name}' in '{url}' is not unique"
                )
            self.operation_ids.append(operation_id)
        if _contains(node, "responses"):
            self.responses(self.child(operation, "responses"))
        names: list[str] = []
        if _contains(node, "parameters"):
            own = self.child(operation, "parameters")
            self.parameters(own, level=5)
            names += self._path_parameter_names(own)
        if shared is not None:
            names += self._path_parameter_names(shared)
        declared = set(names)
        try:
            in_url = {field for _, field, _, _ in string.Formatter().parse(url) if field}
        except ValueError as error:
            raise Unmodelled("a path template the library cannot parse") from error
        for missing in sorted(in_url - declared) + sorted(declared - in_url):
            self.report(
                where,
                f"Path parameter '{missing}' for '{name}' operation in '{url}' was not resolved",
            )

    def _path_parameter_names(self, parameters: Node) -> list[str]:
        return [
            self.read_str(parameter, "name")
            for _, parameter in self.children(parameters)
            if self.read_str(parameter, "in") == "path"
        ]

    def responses(self, responses: Node) -> None:
        if type(responses[1]) is not dict:
            raise Unmodelled("responses is not an object")
        for code in responses[1]:
            response = self.child(responses, code)
            if not _contains(response[1], "content"):
                continue
            content = self.child(response, "content")
            if type(content[1]) is not dict:
                raise Unmodelled("content is not an object")
            for media_type in content[1]:
                medium = self.child(content, media_type)
                if _contains(medium[1], "schema"):
                    self.schema(self.child(medium, "schema"), level=9)

    # -- SchemaValidator ---------------------------------------------------------------------

    def schema(
        self,
        schema: Node,
        *,
        level: int,
        require_properties: bool = True,
        meta_checked: bool = False,
    ) -> None:
        parts = schema[0]
        node: Any = schema[1]
        if level > _MAX_NESTING:
            raise Unmodelled("schemas nested too deeply")
        if type(node) is not dict and type(node) is not bool:
            self.report(parts, f"{node!r} is not of type 'object', 'boolean'")
            return
        if not meta_checked and id(node) not in self.meta_checked:
            self.meta_checked.add(id(node))
            problem = self.checks.meta(parts, node, level)
            if problem is not None:
                self.found.append(problem)
                return
        if id(node) in self.visited:
            return
        self.visited.add(id(node))
        nested: list[Any] = []
        inner = level + 1
        for keyword in ("allOf", "anyOf", "oneOf"):
            if _contains(node, keyword):
                for branch in self.children(self.child(schema, keyword)):
                    self.schema(branch, level=inner, require_properties=False, meta_checked=True)
                    if keyword == "allOf":
                        nested += list(self.collect_properties(branch[1], inner))
        for keyword in ("not", "items"):
            if _contains(node, keyword):
                self.schema(
                    self.child(schema, keyword),
                    level=inner,
                    require_properties=False,
                    meta_checked=True,
                )
        if _contains(node, "properties"):
            for prop in self.children(self.child(schema, "properties")):
                self.schema(prop, level=inner, require_properties=False, meta_checked=True)
        self._required(schema, nested, require_properties)
        if type(node) is dict and "default" in node:
            default = self.resolve(node["default"])
            nullable = self.resolve(node["nullable"]) if _contains(node, "nullable") else False
            if default is not None or nullable is not True:
                self.found.extend(self.checks.value(parts, node, default, level))

    def _required(self, schema: Node, nested: list[Any], require_properties: bool) -> None:
        parts, node = schema
        required = (_contains(node, "required") and self.resolve(node["required"])) or []
        properties = (
            _contains(node, "properties") and _keys(self.resolve(node["properties"]))
        ) or []
        if not _contains(node, "allOf"):
            return
        try:
            # The same expression as the library's, so that the same set gives the list
            # in the same (hash) order.
            extra = list(set(required) - set(properties) - set(nested))
        except TypeError as error:
            raise Unmodelled("required is not a list of names") from error
        if extra and require_properties:
            self.report(parts, f"Required list has not defined properties: {extra}")

    def collect_properties(self, node: Any, level: int) -> set[Any]:
        """``SchemaValidator._collect_properties``: every property name reachable."""
        if level > _MAX_NESTING:
            raise Unmodelled("schemas nested too deeply (or in a cycle) under allOf")
        found: set[Any] = set()
        if _contains(node, "properties"):
            found.update(_keys(self.resolve(node["properties"])))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if _contains(node, keyword):
                for _, branch in self.children(((), self.resolve(node[keyword]))):
                    found.update(self.collect_properties(branch, level + 1))
        for keyword in ("items", "not"):
            if _contains(node, keyword):
                found.update(self.collect_properties(self.resolve(node[keyword]), level + 1))
        return found
