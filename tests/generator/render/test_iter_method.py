"""``<name>_iter``: rendered only for paging operations, wired to ``_paginate``, with
``max_pages`` keyword-only and every spec string escaped."""

from __future__ import annotations

import ast
import copy
from typing import Any

from _gen import load, render_files
from testdata import DATA

PAGING = DATA / "pagination" / "paging.yaml"


def _client_source(document: dict[str, Any]) -> str:
    files, _ = render_files(document, package="paging_client")
    source = files["_client.py"]
    ast.parse(source)  # valid Python whatever the spec said
    return source


def _method(source: str, name: str) -> ast.FunctionDef:
    tree = ast.parse(source)
    found = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name]
    assert len(found) == 1, name
    return found[0]


def test_only_paging_operations_get_an_iter_method() -> None:
    source = _client_source(load(PAGING)[0])
    tree = ast.parse(source)
    iters = sorted(
        n.name
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef) and n.name.endswith("_iter")
    )
    assert iters == [
        "list_customers_iter",
        "list_events_iter",
        "list_issues_iter",
        "list_reports_iter",
        "list_things_iter",
        "read_feed_iter",
    ]


def test_the_iter_method_passes_the_operations_arguments_and_max_pages() -> None:
    source = _client_source(load(PAGING)[0])
    method = _method(source, "list_issues_iter")
    assert [a.arg for a in method.args.args] == ["self", "owner"]
    assert [a.arg for a in method.args.kwonlyargs] == ["state", "per_page", "page", "max_pages"]
    assert method.args.kwarg is not None and method.args.kwarg.arg == "call_options"
    assert ast.unparse(method.returns) == (  # type: ignore[arg-type]
        "AsyncPaginator[models.Issue, list[models.Issue] | None]"
    )
    call = method.body[-1]
    assert isinstance(call, ast.Return) and isinstance(call.value, ast.Call)
    assert ast.unparse(call.value.func) == "self._paginate"
    assert [ast.unparse(a) for a in call.value.args] == ["_OP_LIST_ISSUES", "_PAGE_LIST_ISSUES"]
    keywords = {k.arg: ast.unparse(k.value) for k in call.value.keywords}
    assert keywords["path_params"] == "{'owner': owner}"
    assert keywords["max_pages"] == "max_pages" and None in keywords  # **call_options
    assert "_PAGE_LIST_ISSUES: Pagination[models.Issue] = Pagination('link')" in ast.unparse(
        ast.parse(source)
    )
    customers = ast.unparse(ast.parse(source))
    assert (
        "_PAGE_LIST_CUSTOMERS: Pagination[models.Customer] = Pagination('has_more', "
        "items='data', cursor_param='starting_after', has_more='has_more', cursor_field='id')"
    ) in customers
    assert "Pagination('page', items='results', cursor_param='page', first_page=0)" in customers


def test_max_pages_stays_keyword_only_when_the_operation_has_only_path_parameters() -> None:
    document = load(PAGING)[0]
    issues = document["paths"]["/repos/{owner}/issues"]["get"]
    issues["parameters"] = issues["parameters"][:1]  # owner only
    issues["x-pagination"] = {"style": "link"}
    method = _method(_client_source(document), "list_issues_iter")
    assert [a.arg for a in method.args.args] == ["self", "owner"]
    assert [a.arg for a in method.args.kwonlyargs] == ["max_pages"]


def test_hostile_names_are_escaped() -> None:
    document = copy.deepcopy(load(PAGING)[0])
    feed = document["paths"]["/feed"]["get"]
    hostile = 'from"\n)\nimport os  #'
    feed["parameters"][0]["name"] = hostile
    feed["x-pagination"]["cursor_param"] = hostile
    source = _client_source(document)
    constant = next(
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "_PAGE_READ_FEED"
    )
    assert isinstance(constant.value, ast.Call)
    keywords = {k.arg: k.value for k in constant.value.keywords}
    cursor = keywords["cursor_param"]
    assert isinstance(cursor, ast.Constant) and cursor.value == hostile
    assert "import os" not in [ast.unparse(n) for n in ast.parse(source).body]
