"""Which operations get ``<name>_iter`` and how they page (``generator/ir/pagination.py``).

Small inline documents pin each shape and each refusal; the paging spec in
``tests/data/pagination`` and GitHub's real description check the shapes as written
by others, and ``x-pagination`` errors are one line naming where.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _gen import load
from testdata import CORPUS, DATA

from generator.errors import SpecError
from generator.ir.build import build_service
from generator.ir.nodes import Operation, Pagination, TypeRef

PAGING = DATA / "pagination" / "paging.yaml"
GITHUB = CORPUS / "github" / "octokit-cache-api.github.com.json"


def _ops(document: dict[str, Any]) -> dict[str, Operation]:
    service, _ = build_service(document, source_name="spec.yaml")
    return {op.name: op for op in service.operations}


def _paging() -> dict[str, Any]:
    return load(PAGING)[0]


def _one_op(
    params: list[dict[str, Any]], schema: dict[str, Any], **extra: Any
) -> Pagination | None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "operationId": "list_x",
                    "parameters": params,
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": schema}},
                            **extra.pop("response", {}),
                        }
                    },
                    **extra,
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
                }
            }
        },
    }
    return _ops(document)["list_x"].pagination


THINGS = {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}
THING = TypeRef("model", "Thing")


def q(name: str, type_: str = "string", **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": type_, **schema}}


def page_of(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


# -- the paging spec: one operation per shape ---------------------------------------------


def test_each_shape_of_the_paging_spec_is_detected() -> None:
    ops = _ops(_paging())
    found = {name: op.pagination for name, op in ops.items()}
    issues = found["list_issues"]
    assert issues is not None and issues.style == "link" and issues.items is None
    assert (
        issues.item_type == TypeRef("model", "Issue") and issues.method_name == "list_issues_iter"
    )
    customers = found["list_customers"]
    assert customers == Pagination(
        "has_more",
        "list_customers_iter",
        TypeRef("model", "Customer"),
        items="data",
        cursor_param="starting_after",
        has_more="has_more",
        cursor_field="id",
    )
    things = found["list_things"]
    assert things is not None and (things.style, things.items) == ("cursor", "things")
    assert (things.cursor_param, things.next_cursor) == ("page_token", "next_page_token")
    events = found["list_events"]
    assert events is not None and (events.style, events.items, events.cursor_param) == (
        "offset",
        None,
        "offset",
    )
    reports = found["list_reports"]
    assert reports is not None and (reports.style, reports.first_page) == ("page", 0)
    assert reports.items == "results"
    feed = found["read_feed"]
    assert feed is not None and feed.origin == "x-pagination"
    assert (feed.items, feed.cursor_param, feed.next_cursor) == ("entries", "from", "continuation")
    assert found["list_audit"] is None  # x-pagination: false beats a cursor shape
    assert found["top_things"] is None  # a limit alone is not paging
    assert all(p.origin == "detected" for n, p in found.items() if p and n != "read_feed")


# -- shapes from small documents ---------------------------------------------------------


def test_a_cursor_needs_both_the_field_and_its_parameter() -> None:
    page = page_of(data=THINGS, next_cursor={"type": "string"})
    found = _one_op([q("cursor")], page)
    assert found is not None and found.style == "cursor" and found.next_cursor == "next_cursor"
    assert _one_op([q("limit", "integer")], page) is None  # nowhere to send it back
    assert _one_op([q("cursor")], page_of(data=THINGS)) is None  # nothing to send back
    # a numeric "cursor" field is not a token to send back
    assert _one_op([q("cursor")], page_of(data=THINGS, next_cursor={"type": "integer"})) is None


def test_items_must_be_one_unambiguous_list() -> None:
    two_lists = page_of(
        a=THINGS, b=THINGS, next_cursor={"type": "string"}
    )  # which one holds the items?
    assert _one_op([q("cursor")], two_lists) is None
    with_data = page_of(data=THINGS, tags=THINGS, next_cursor={"type": "string"})
    found = _one_op([q("cursor")], with_data)
    assert found is not None and found.items == "data"  # the conventional name wins
    assert _one_op([q("cursor")], page_of(next_cursor={"type": "string"})) is None


def test_has_more_needs_starting_after_or_after_and_items_with_an_id() -> None:
    page = page_of(data=THINGS, has_more={"type": "boolean"})
    for param in ("starting_after", "after"):
        found = _one_op([q(param)], page)
        assert found is not None and (found.style, found.cursor_param) == ("has_more", param)
    assert _one_op([q("limit", "integer")], page) is None
    no_id = page_of(
        data={
            "type": "array",
            "items": {"type": "object", "properties": {"n": {"type": "string"}}},
        },
        has_more={"type": "boolean"},
    )
    assert _one_op([q("starting_after")], no_id) is None


def test_link_needs_the_declared_header_and_a_paging_parameter() -> None:
    link = {"headers": {"Link": {"schema": {"type": "string"}}}}
    found = _one_op([q("per_page", "integer")], THINGS, response=link)
    assert found is not None and found.style == "link" and found.item_type == THING
    assert _one_op([q("state")], THINGS, response=link) is None
    # without the header, page + per_page is a page-number shape (first page stated)
    found = _one_op([q("page", "integer", default=1), q("per_page", "integer")], THINGS)
    assert found is not None and (found.style, found.first_page) == ("page", 1)


def test_page_numbers_need_a_stated_first_page_and_a_page_size() -> None:
    assert _one_op([q("page", "integer"), q("per_page", "integer")], THINGS) is None
    assert _one_op([q("page", "integer", default=1)], THINGS) is None
    assert _one_op([q("page", "integer", default=5), q("size", "integer")], THINGS) is None
    assert _one_op([q("page", "string", default="1"), q("size", "integer")], THINGS) is None


def test_offset_needs_offset_and_limit() -> None:
    found = _one_op([q("offset", "integer"), q("limit", "integer")], THINGS)
    assert found is not None and found.style == "offset"
    assert _one_op([q("offset", "integer")], THINGS) is None
    assert _one_op([q("skip", "integer"), q("limit", "integer")], THINGS) is None


def test_only_get_operations_are_detected() -> None:
    document = _paging()
    document["paths"]["/v1/customers"]["post"] = document["paths"]["/v1/customers"].pop("get")
    assert _ops(document)["list_customers"].pagination is None


def test_the_iter_name_avoids_taken_names() -> None:
    document = _paging()
    document["paths"]["/clash"] = {
        "get": {"operationId": "list_things_iter", "responses": {"204": {"description": "x"}}}
    }
    pagination = _ops(document)["list_things"].pagination
    assert pagination is not None and pagination.method_name == "list_things_iter2"


# -- x-pagination ------------------------------------------------------------------------


def test_root_x_pagination_false_turns_detection_off() -> None:
    document = _paging()
    document["x-pagination"] = False
    ops = _ops(document)
    assert ops["list_customers"].pagination is None
    assert ops["read_feed"].pagination is not None  # the operation's own word still counts


def test_root_x_pagination_is_the_apis_convention_where_it_fits() -> None:
    document = _paging()
    document["x-pagination"] = {"style": "offset", "cursor_param": "offset"}
    ops = _ops(document)
    events = ops["list_events"].pagination
    assert events is not None and events.origin == "x-pagination" and events.style == "offset"
    # operations the convention does not fit get nothing (no guessing beside it)
    assert ops["list_customers"].pagination is None and ops["list_issues"].pagination is None


def test_x_pagination_on_an_untyped_page_uses_wire_names() -> None:
    config = {"style": "cursor", "items": "rows", "next_cursor": "next", "cursor_param": "after"}
    found = _one_op([q("after")], {"type": "object"}, **{"x-pagination": config})
    assert found is not None and (found.items, found.next_cursor) == ("rows", "next")
    assert found.item_type.is_any
    with pytest.raises(SpecError, match="the response is not a list of items"):
        del config["items"]  # which key holds the items cannot be guessed from nothing
        _one_op([q("after")], {"type": "object"}, **{"x-pagination": config})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yes", "must be an object or false, not 'yes'"),
        ({"style": "scroll"}, "style must be one of cursor, has_more, link, offset, page"),
        ({"style": "cursor", "colour": "red"}, "unknown field 'colour'"),
        ({"style": "cursor", "items": 3}, "items must be a non-empty string, not 3"),
        ({"style": "page", "first_page": -1}, "first_page must be a whole number >= 0"),
        ({"style": "cursor", "items": "nope"}, "field 'nope' is not a list of items"),
        ({"style": "offset"}, "cursor_param 'offset' is not a query parameter of read_feed"),
        (
            {"style": "cursor", "cursor_param": "from"},
            "style cursor needs next_cursor",
        ),
        (
            {"style": "cursor", "cursor_param": "from", "next_cursor": "later"},
            "the response has no field 'later'",
        ),
        (
            {"style": "has_more", "cursor_param": "from", "items": "entries"},
            "the response has no field 'has_more'",
        ),
    ],
)
def test_invalid_x_pagination_is_one_line_naming_where(value: Any, message: str) -> None:
    document = _paging()
    document["paths"]["/feed"]["get"]["x-pagination"] = value
    with pytest.raises(SpecError) as caught:
        build_service(document, source_name="paging.yaml")
    [problem] = caught.value.problems
    assert problem.pointer == "/paths/~1feed/get/x-pagination"
    assert message in problem.message and "\n" not in str(problem)


def test_several_bad_fields_report_the_same_one_under_every_hash_seed() -> None:
    """The field named must not follow set order, which string hashing randomises per
    process: the same document must give the same message on every run."""
    probe = (
        "from generator.ir.pagination import _check_config\n"
        "bad = {'style': 'cursor', 'items': 1, 'next_cursor': 2, 'cursor_param': 3,"
        " 'has_more': 4, 'cursor_field': 5}\n"
        "print(_check_config(bad, '/x-pagination', 's')[0].message)\n"
    )
    messages = set()
    for seed in range(8):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        done = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr[-2000:]
        messages.add(done.stdout.strip())
    assert messages == {"x-pagination: cursor_field must be a non-empty string, not 5"}


def test_invalid_root_x_pagination_names_the_root() -> None:
    document = _paging()
    document["x-pagination"] = {"style": "cursor", "cursor": "x"}
    with pytest.raises(SpecError) as caught:
        build_service(document, source_name="paging.yaml")
    assert [p.pointer for p in caught.value.problems] == ["/x-pagination"]


def test_the_cli_reports_a_bad_x_pagination_without_a_traceback(cli: Any, tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    text = PAGING.read_text(encoding="utf-8").replace("style: cursor, items: entries", "style: x")
    spec.write_text(text, encoding="utf-8")
    result = cli(spec, "-o", tmp_path / "out")
    assert result.code == 2
    lines = [line for line in result.err.splitlines() if "x-pagination" in line]
    assert len(lines) == 1 and "shop.yaml#/paths/~1feed/get/x-pagination" in lines[0]
    assert "Traceback" not in result.err and not (tmp_path / "out").exists()


# -- GitHub's description ----------------------------------------------------------------


@pytest.fixture(scope="module")
def github() -> dict[str, Operation]:
    return _ops(copy.deepcopy(load(GITHUB)[0]))


def test_github_lists_page_by_link_header(github: dict[str, Operation]) -> None:
    issues = github["issues_list_for_repo"].pagination
    assert issues is not None and issues.style == "link" and issues.items is None
    assert issues.item_type == TypeRef("model", "Issue")
    runs = github["actions_list_workflow_runs_for_repo"].pagination
    assert runs is not None and runs.style == "link" and runs.items == "workflow_runs"
    search = github["search_code"].pagination  # no Link declared: page numbers from 1
    assert search is not None and (search.style, search.items, search.first_page) == (
        "page",
        "items",
        1,
    )


def test_github_never_pages_what_does_not_page(github: dict[str, Operation]) -> None:
    paged = {name: op for name, op in github.items() if op.pagination is not None}
    assert len(paged) > 150  # 148 by Link, 35 by page number when this was written
    assert all(op.method == "GET" for op in paged.values())
    for name in ("repos_get", "issues_get", "users_get_authenticated", "rate_limit_get"):
        assert github[name].pagination is None, name
    # every one of them takes the parameter its walk sends
    for op in paged.values():
        query = {p.wire_name for p in op.parameters if p.location == "query"}
        assert op.pagination is not None
        assert op.pagination.cursor_param is None or op.pagination.cursor_param in query


# -- other real descriptions ---------------------------------------------------------------


def test_digitalocean_lists_page_by_number() -> None:
    ops = _ops(load(CORPUS / "apis-guru" / "digitalocean.com" / "2.0" / "openapi.yaml")[0])
    by_path = {(op.method, op.path): op.pagination for op in ops.values()}
    droplets = by_path[("GET", "/v2/droplets")]
    assert droplets is not None and (droplets.style, droplets.items) == ("page", "droplets")
    assert droplets.first_page == 1 and droplets.item_type.kind == "model"
    assert by_path[("GET", "/v2/account")] is None  # one object, not a list
    assert all(p is None for (method, _), p in by_path.items() if method != "GET")


def test_kubernetes_continue_tokens_are_not_guessed() -> None:
    # list calls take limit and continue, and the token is metadata.continue, one level
    # down: not a shape detection trusts (x-pagination would have to say so)
    ops = _ops(load(CORPUS / "kubernetes" / "v3" / "apis__apps__v1_openapi.json")[0])
    listing = [op for op in ops.values() if op.name.startswith("list")]
    assert listing and all(op.pagination is None for op in ops.values())
    assert any("continue" in {p.wire_name for p in op.parameters} for op in listing)


def test_x_pagination_reaches_a_cursor_one_level_down() -> None:
    document = load(CORPUS / "kubernetes" / "v3" / "apis__apps__v1_openapi.json")[0]
    document["x-pagination"] = {
        "style": "cursor",
        "items": "items",
        "cursor_param": "continue",
        "next_cursor": "metadata.continue",
    }
    ops = _ops(document)
    paged = {name: op.pagination for name, op in ops.items() if op.pagination is not None}
    deployments = paged["list_apps_v1_namespaced_deployment"]
    assert deployments is not None and deployments.next_cursor == "metadata.continue_"
    assert deployments.item_type.kind == "model"
    assert deployments.item_type.name.startswith("IoK8sApiAppsV1Deployment")
    # the convention applies where it fits: list calls, not watches, reads or writes
    assert paged and all(name.startswith("list") for name in paged)
    assert all(p.cursor_param == "continue" and p.origin == "x-pagination" for p in paged.values())
