"""The ``<name>_iter`` method of a paging operation and its ``Pagination`` constant.

The method takes the operation's own arguments plus ``max_pages`` and hands them,
with the operation's ``Pagination``, to ``BaseServiceClient._paginate``, which sends
each page through ``_request`` (docs/CONTRACT.md, "Pagination").
"""

from __future__ import annotations

from typing import Any

from generator.ir.nodes import Operation, Pagination
from generator.render.source import annotation, py_literal

_MAX_PAGES = "max_pages: int | None = None"
_FIELDS = ("items", "cursor_param", "next_cursor", "has_more", "cursor_field")


def iter_view(op: Operation, view: dict[str, Any], docstring: Any) -> dict[str, Any] | None:
    """What ``_iter_method.jinja`` prints for ``op``, or None when it does not page.

    ``view`` is the operation's own method view (signature, request arguments);
    ``docstring(usage)`` renders the operation's docstring with a usage paragraph."""
    paging = op.pagination
    if paging is None:
        return None
    const = "_PAGE_" + op.name.upper()
    item = annotation(paging.item_type, models_prefix="models.")
    signature = [*view["signature"][:-1], _MAX_PAGES, view["signature"][-1]]
    if "*" not in signature:  # only path parameters: max_pages must stay keyword-only
        signature.insert(signature.index(_MAX_PAGES), "*")
    arguments = view["request_args"]
    usage = "\n".join(
        [
            f"Every {_what(paging)} across pages ({paging.style} pagination)::",
            "",
            f"    async for item in client.{paging.method_name}(...): ...",
            f"    async for page in client.{paging.method_name}(...).pages(): ...",
            "",
            "Each page is one call of the operation (retries, breaker and cache apply per",
            "page) with one correlation id for the whole walk; max_pages stops it early.",
        ]
    )
    return {
        "name": paging.method_name,
        "const": const,
        "const_line": f"{const}: Pagination[{item}] = Pagination({_options(paging)})",
        "return_type": f"AsyncPaginator[{item}, {view['return_type']}]",
        "signature": signature,
        "docstring": docstring(usage),
        "request_args": [
            arguments[0],
            const,
            *arguments[1:-1],
            "max_pages=max_pages",
            arguments[-1],
        ],
    }


def _what(paging: Pagination) -> str:
    return f"item of {paging.items!r}" if paging.items else "item"


def _options(paging: Pagination) -> str:
    parts = [py_literal(paging.style)]
    parts += [
        f"{name}={py_literal(getattr(paging, name))}"
        for name in _FIELDS
        if getattr(paging, name) is not None
    ]
    if paging.style == "page" and paging.first_page != 1:
        parts.append(f"first_page={paging.first_page}")
    return ", ".join(parts)
