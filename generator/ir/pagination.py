"""Which operations page, and how: the ``Pagination`` of ``<name>_iter``.

Detection is deliberately narrow. A wrong guess gives users a method that loops, skips
or stops early, which is worse than no method, so a shape counts only when the
response and the parameters agree (a next-cursor field *and* a cursor parameter; a
``Link`` header *and* a paging parameter), the items are one unambiguous list, and
the method is GET. ``x-pagination`` on the operation (or the root, as the API's
convention) says it outright, or ``false`` turns it off; an invalid one stops the build
with one line naming where.

Shapes, in the order they are tried:

- ``has_more``: a boolean ``has_more``, a list of items with an ``id``, and a
  ``starting_after`` (Stripe) or ``after`` (OpenAI) query parameter: the last item's id
  goes back in it.
- ``cursor``: a next-cursor field (``next_cursor``, ``next_page_token``...) and its
  query parameter (``cursor``, ``page_token``...).
- ``link``: a declared ``Link`` response header and a paging query parameter (GitHub).
- ``offset``: ``offset`` and ``limit`` query parameters.
- ``page``: a ``page`` parameter whose first page the spec states (its default, 0 or
  1) and a page size (``per_page``, ``page_size``, ``limit``...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any, get_args

from generator.errors import Problem, SpecError, json_pointer
from generator.ir import naming
from generator.ir.nodes import (
    ANY,
    NONE,
    Model,
    ModelField,
    ObjectModel,
    Operation,
    Pagination,
    PaginationStyle,
    Parameter,
    TypeRef,
)

STYLES: tuple[str, ...] = get_args(PaginationStyle)
_KEYS = frozenset(
    {"style", "items", "cursor_param", "next_cursor", "has_more", "cursor_field", "first_page"}
)
#: next-cursor field -> the query parameters that take it back
_CURSOR_PAIRS: dict[str, tuple[str, ...]] = {
    "next_cursor": ("cursor", "next_cursor"),
    "nextCursor": ("cursor", "nextCursor"),
    "next_page_token": ("page_token", "pageToken", "next_page_token"),
    "nextPageToken": ("pageToken", "page_token"),
    "next_token": ("next_token", "token"),
    "nextToken": ("nextToken", "token"),
    "cursor": ("cursor",),
    "next": ("cursor",),
}
_HAS_MORE_PARAMS = ("starting_after", "after")
_LINK_PARAMS = frozenset({"page", "per_page", "page_size", "limit", "cursor", "after", "since"})
_PAGE_SIZE_PARAMS = ("per_page", "page_size", "pageSize", "perPage", "limit", "size")
_ITEM_FIELDS = ("data", "items", "results", "entries", "records", "values")

Deref = Callable[[Any, str], tuple[Any, str]]


def with_pagination(
    operations: list[Operation],
    models: Iterable[Model],
    document: Mapping[str, Any],
    *,
    deref: Deref,
    source: str,
) -> list[Operation]:
    """``operations`` with ``pagination`` set on those that page; raises ``SpecError``
    for an invalid ``x-pagination``."""
    shapes = _Shapes({m.name: m for m in models})
    root = document.get("x-pagination")
    errors: list[Problem] = []
    if root is not None and root is not False:
        errors += _check_config(root, "/x-pagination", source)
    taken = {op.name for op in operations} | {op.stream_name for op in operations if op.stream_name}
    result = []
    for op in operations:
        raw, pointer = _raw_operation(document, op, deref)
        explicit = raw.get("x-pagination")
        found: Pagination | None = None
        if explicit is False or (explicit is None and root is False):
            found = None
        elif explicit is not None:
            where = f"{pointer}/x-pagination"
            problems = _check_config(explicit, where, source)
            if not problems:
                found, problem = shapes.configured(op, explicit)
                if problem:
                    problems.append(Problem(source, where, f"x-pagination: {problem}"))
            errors += problems
        elif isinstance(root, Mapping) and not errors:
            found = shapes.configured(op, root)[0] if op.method == "GET" else None
        elif op.method == "GET":
            found = shapes.detect(op, _declares_link(raw, pointer, deref))
        if found is not None:
            name = naming.stream_method_name(op.name, taken, "_iter")
            detected = explicit is None and not isinstance(root, Mapping)
            found = replace(
                found, method_name=name, origin="detected" if detected else "x-pagination"
            )
        result.append(replace(op, pagination=found) if found is not None else op)
    if errors:
        raise SpecError(errors)
    return result


def _raw_operation(
    document: Mapping[str, Any], op: Operation, deref: Deref
) -> tuple[Mapping[str, Any], str]:
    paths = document.get("paths")
    pointer = json_pointer("paths", op.path)
    item, _ = deref(paths.get(op.path) if isinstance(paths, Mapping) else None, pointer)
    raw = item.get(op.method.lower()) if isinstance(item, Mapping) else None
    return (raw if isinstance(raw, Mapping) else {}), f"{pointer}/{op.method.lower()}"


def _declares_link(raw: Mapping[str, Any], pointer: str, deref: Deref) -> bool:
    """A 2xx response of ``raw`` declares a ``Link`` header."""
    responses = raw.get("responses")
    if not isinstance(responses, Mapping):
        return False
    for status, entry in responses.items():
        if not str(status).startswith("2"):
            continue
        response, _ = deref(entry, json_pointer(*pointer.split("/")[1:], "responses", str(status)))
        headers = response.get("headers") if isinstance(response, Mapping) else None
        if isinstance(headers, Mapping) and any(str(h).lower() == "link" for h in headers):
            return True
    return False


def _check_config(value: Any, where: str, source: str) -> list[Problem]:
    """The problems of one ``x-pagination`` value by itself (before looking at the op)."""

    def problem(message: str) -> list[Problem]:
        return [Problem(source, where, f"x-pagination: {message}")]

    if not isinstance(value, Mapping):
        return problem(f"must be an object or false, not {value!r}")
    unknown = sorted(str(k) for k in value if k not in _KEYS)
    if unknown:
        return problem(f"unknown field {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    if value.get("style") not in STYLES:
        return problem(f"style must be one of {', '.join(STYLES)}, not {value.get('style')!r}")
    for key in sorted(_KEYS - {"style", "first_page"}):  # sets follow the hash seed
        if key in value and not (isinstance(value[key], str) and value[key]):
            return problem(f"{key} must be a non-empty string, not {value[key]!r}")
    first = value.get("first_page", 1)
    if isinstance(first, bool) or not isinstance(first, int) or first < 0:
        return problem(f"first_page must be a whole number >= 0, not {first!r}")
    return []


class _Shapes:
    """Reads operations' parameters and response models against the known shapes."""

    def __init__(self, models: Mapping[str, Model]) -> None:
        self._models = models

    # -- reading the IR ----------------------------------------------------------------

    def _fields(self, type_: TypeRef) -> dict[str, ModelField] | None:
        """The wire name -> field of an object model (base classes' fields included)."""
        type_ = _without_none(type_)
        model = self._models.get(type_.name) if type_.kind == "model" else None
        if not isinstance(model, ObjectModel):
            return None
        fields: dict[str, ModelField] = {}
        seen: set[str] = set()
        while isinstance(model, ObjectModel) and model.name not in seen:
            seen.add(model.name)
            for f in model.fields:
                fields.setdefault(f.wire_name, f)
            model = self._models.get(model.base) if model.base else None
        return fields

    def _items(self, page: TypeRef, named: str | None) -> tuple[str | None, TypeRef] | None:
        """(page field holding the items or None for a bare list, item type)."""
        page = _without_none(page)
        if page.kind == "list" and named is None:
            return None, page.args[0]
        if _untyped(page) and named is not None:
            return named, ANY  # x-pagination on plain JSON: the runtime reads keys
        fields = self._fields(page)
        if fields is None:
            return None
        lists = {w: f for w, f in fields.items() if _without_none(f.type).kind == "list"}
        if named is not None:
            chosen = lists.get(named)
        elif len(lists) == 1:
            chosen = next(iter(lists.values()))
        else:
            known = [lists[w] for w in _ITEM_FIELDS if w in lists]
            chosen = known[0] if len(known) == 1 else None
        if chosen is None:
            return None
        return chosen.name, _without_none(chosen.type).args[0]

    # -- detection -----------------------------------------------------------------------

    def detect(self, op: Operation, declares_link: bool) -> Pagination | None:
        query = {p.wire_name: p for p in op.parameters if p.location == "query"}
        page = _page_type(op)
        items = self._items(page, None)
        if items is None:
            return None
        fields = self._fields(page) or {}
        return (
            self._has_more(query, fields, items)
            or _cursor(query, fields, items)
            or (_link(query, items) if declares_link else None)
            or _offset(query, items)
            or _page(query, items)
        )

    def _has_more(
        self,
        query: Mapping[str, Parameter],
        fields: Mapping[str, ModelField],
        items: tuple[str | None, TypeRef],
    ) -> Pagination | None:
        flag = fields.get("has_more")
        param = next((p for p in _HAS_MORE_PARAMS if p in query), None)
        item_fields = self._fields(items[1]) or {}
        if flag is None or _without_none(flag.type) != TypeRef("builtin", "bool") or param is None:
            return None
        if items[0] is None or not _is_scalar_id(item_fields.get("id")):
            return None
        return _paging(
            "has_more",
            items,
            cursor_param=param,
            has_more=flag.name,
            cursor_field=item_fields["id"].name,
        )

    # -- x-pagination ----------------------------------------------------------------------

    def configured(self, op: Operation, config: Mapping[str, Any]) -> tuple[Pagination | None, str]:
        """The pagination ``config`` describes for ``op``, or (None, why it does not fit)."""
        style = config["style"]
        query = {p.wire_name for p in op.parameters if p.location == "query"}
        page = _page_type(op)
        items = self._items(page, config.get("items"))
        if items is None:
            where = f"field {config['items']!r}" if "items" in config else "the response"
            return None, f"{where} is not a list of items (set items: to the list field)"
        param = config.get("cursor_param") or _DEFAULT_PARAM.get(style)
        if style != "link" and param not in query:
            return None, f"cursor_param {param!r} is not a query parameter of {op.name}"
        fields = self._fields(page) or {}
        if _untyped(_without_none(page)):  # plain JSON: trust the wire names
            wires = [config.get("next_cursor"), config.get("has_more", "has_more")]
            fields = {w: _plain(w) for w in wires if w is not None}
        if style == "cursor":
            name = config.get("next_cursor")
            if name is None:
                return None, "style cursor needs next_cursor: the field with the next cursor"
            found = self._path(page, name, fields)
            if found is None:
                return None, f"the response has no field {name!r}"
            return _paging(style, items, cursor_param=param, next_cursor=found), ""
        if style == "has_more":
            flag = config.get("has_more", "has_more")
            key = config.get("cursor_field", "id")
            item_fields = self._fields(items[1]) or {}
            if items[1] == ANY:  # plain JSON items: read by key
                item_fields = {key: _plain(key)}
            if flag not in fields:
                return None, f"the response has no field {flag!r}"
            if key not in item_fields:
                return None, f"the items have no field {key!r}"
            return (
                _paging(
                    style,
                    items,
                    cursor_param=param,
                    has_more=fields[flag].name,
                    cursor_field=item_fields[key].name,
                ),
                "",
            )
        first = config.get("first_page", 1)
        return _paging(style, items, cursor_param=param, first_page=first), ""

    def _path(self, page: TypeRef, wire: str, fields: Mapping[str, ModelField]) -> str | None:
        """The attribute path of a field, ``metadata.continue`` -> ``metadata.continue_``
        (a cursor one level down, as Kubernetes and Slack send it), or None."""
        if wire in fields:
            return fields[wire].name
        head, _, rest = wire.partition(".")
        if not rest or head not in fields:
            return None
        inner = fields[head]
        below = self._fields(inner.type)
        if below is None:
            return f"{inner.name}.{rest}" if _untyped(_without_none(inner.type)) else None
        found = self._path(inner.type, rest, below)
        return None if found is None else f"{inner.name}.{found}"


_DEFAULT_PARAM = {"has_more": "starting_after", "offset": "offset", "page": "page"}


def _paging(
    style: PaginationStyle,
    items: tuple[str | None, TypeRef],
    **values: Any,
) -> Pagination:
    return Pagination(style, method_name="", item_type=items[1], items=items[0], **values)


def _cursor(
    query: Mapping[str, Parameter],
    fields: Mapping[str, ModelField],
    items: tuple[str | None, TypeRef],
) -> Pagination | None:
    if items[0] is None:
        return None
    for field_name, params in _CURSOR_PAIRS.items():
        found = fields.get(field_name)
        param = next((p for p in params if p in query), None)
        if found is not None and param is not None and _is_text(found.type):
            return _paging("cursor", items, cursor_param=param, next_cursor=found.name)
    return None


def _link(query: Mapping[str, Parameter], items: tuple[str | None, TypeRef]) -> Pagination | None:
    if not _LINK_PARAMS & query.keys():
        return None
    return _paging("link", items)


def _offset(query: Mapping[str, Parameter], items: tuple[str | None, TypeRef]) -> Pagination | None:
    offset, limit = query.get("offset"), query.get("limit")
    if offset is None or limit is None or not _is_int(offset.type):
        return None
    return _paging("offset", items, cursor_param="offset")


def _page(query: Mapping[str, Parameter], items: tuple[str | None, TypeRef]) -> Pagination | None:
    page = query.get("page")
    if page is None or not _is_int(page.type) or not any(p in query for p in _PAGE_SIZE_PARAMS):
        return None
    first = page.default.value if page.default is not None else None
    if first not in (0, 1) or isinstance(first, bool):
        return None  # without a stated first page, 0-based and 1-based look alike
    return _paging("page", items, cursor_param="page", first_page=first)


def _page_type(op: Operation) -> TypeRef:
    """What a page is: the one 2xx body type (GitHub's list endpoints also declare a
    301 with an error model, which the method's return type includes and which ends a
    walk like an empty page)."""
    found = {r.type for r in op.responses if r.status.startswith("2") and r.type is not None}
    return found.pop() if len(found) == 1 else op.return_type


def _untyped(type_: TypeRef) -> bool:
    return type_ == ANY or (type_.kind == "dict" and type_.args[0] == ANY)


def _plain(wire: str) -> ModelField:
    """A field of plain JSON: read by its key."""
    return ModelField(name=wire, wire_name=wire, type=ANY, required=False)


def _without_none(type_: TypeRef) -> TypeRef:
    if type_.kind != "union":
        return type_
    rest = [a for a in type_.args if a != NONE]
    return rest[0] if len(rest) == 1 else type_


def _is_text(type_: TypeRef) -> bool:
    return _without_none(type_) == TypeRef("builtin", "str")


def _is_int(type_: TypeRef) -> bool:
    return _without_none(type_) == TypeRef("builtin", "int")


def _is_scalar_id(found: ModelField | None) -> bool:
    return found is not None and (_is_text(found.type) or _is_int(found.type))
