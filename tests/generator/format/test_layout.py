"""generator.format.layout writes what black would leave alone, without running black.

Every case is checked against black itself: the laid-out text, put at its real depth,
must come back from ``black.format_str`` unchanged. Shapes the module cannot prove raise
``Unsupported`` and ``lay_out_files`` hands them to black.
"""

from __future__ import annotations

import pytest
from black import format_str
from black.mode import Mode, TargetVersion
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.format.files import _wrapper, lay_out_files
from generator.format.layout import Unsupported, lay_out, lay_out_statement
from generator.format.statements import Statement
from generator.render.source import str_literal

MODE = Mode(line_length=100, target_versions={TargetVersion.PY311})
LONG = "x" * 60


def _black_keeps(lines: list[str], depth: int) -> None:
    pad = "    " * depth
    body = "\n".join(pad + line if line else line for line in lines) + "\n"
    if lines[-1].endswith(":"):
        body += pad + "    pass\n"
    source = _wrapper(depth) + body
    assert format_str(source, mode=MODE) == source


def _statement(text: str, depth: int = 0) -> list[str]:
    lines = lay_out(text, depth, inside=False)
    _black_keeps(lines, depth)
    return lines


def test_a_line_that_fits_is_left_alone() -> None:
    assert _statement('x = foo("a", b=1)') == ['x = foo("a", b=1)']


def test_a_long_call_keeps_its_arguments_on_one_line_when_they_fit() -> None:
    lines = _statement(f'result = some_function("{LONG}", keyword=other_value)')
    assert lines == ["result = some_function(", f'    "{LONG}", keyword=other_value', ")"]


def test_arguments_that_do_not_fit_go_one_per_line_with_a_magic_comma() -> None:
    lines = _statement(f'value = call("{LONG}", "{LONG}", flag=True)', depth=1)
    assert lines == ["value = call(", f'    "{LONG}",', f'    "{LONG}",', "    flag=True,", ")"]


def test_a_long_dict_argument_is_exploded_inside_a_call() -> None:
    text = (
        "return await self._request(_OP_GET_THING, path_params={"
        + ", ".join(f'"key_{i}_{LONG[:20]}": key_{i}' for i in range(4))
        + "}, correlation_id=correlation_id)"
    )
    lines = _statement(text, depth=2)
    assert lines[0] == "return await self._request("
    assert "    path_params={" in lines and '        "key_0_xxxxxxxxxxxxxxxxxxxx": key_0,' in lines


def test_a_left_side_longer_than_a_line_splits_its_own_subscript() -> None:
    name = "_OP_" + "A" * 80
    lines = _statement(f'{name}: Operation[models.Thing] = Operation("a", "GET", "/")')
    assert lines[:3] == [f"{name}: Operation[", "    models.Thing", "] = Operation("]
    assert lines[-1] == ")"


def test_a_call_that_does_not_fit_after_a_short_left_side_is_parenthesised() -> None:
    name = "_OP_" + "B" * 47  # left side 88 characters, with " Operation(" 101
    text = f'{name}: Operation[list[models.Item] | None] = Operation("{LONG[:30]}", "GET", "/x")'
    lines = _statement(text)
    assert lines[0].endswith(" = (") and lines[-1] == ")"


def test_an_assigned_name_that_does_not_fit_is_parenthesised() -> None:
    text = f'_json["{LONG}"] = {LONG}_value'
    assert _statement(text, depth=2) == [f'_json["{LONG}"] = (', f"    {LONG}_value", ")"]


def test_a_long_parameter_type_gets_parentheses_of_its_own() -> None:
    element = f"restrictions: models.{LONG}Restrictions | None = None,"
    lines = lay_out(element, 2, inside=True)
    assert lines == ["restrictions: (", f"    models.{LONG}Restrictions | None", ") = None,"]
    _black_keeps(["async def f(", *("    " + line for line in lines), ") -> None:"], 1)


def test_a_long_field_type_gets_parentheses() -> None:
    lines = _statement(f"restrictions: {LONG}Restrictions | None = None", depth=1)
    assert lines == ["restrictions: (", f"    {LONG}Restrictions | None", ") = None"]


def test_a_long_string_element_cannot_be_split_and_is_kept() -> None:
    element = f'"/orgs/{{org}}/{LONG}/{LONG}",'
    assert lay_out(element, 1, inside=True) == [element]


def test_a_long_import_is_parenthesised_with_one_name_a_line() -> None:
    names = ", ".join(f"Model{i}{LONG[:10]}" for i in range(6))
    statement = Statement((f"from ._module import {names}",))
    lines = lay_out_statement(statement)
    assert lines[0] == "from ._module import (" and lines[-1] == ")"
    assert all(line.endswith(",") for line in lines[1:-1])
    _black_keeps(lines, 0)


@pytest.mark.parametrize(
    "text",
    [
        f"x = {LONG} + {LONG}",  # an operator chain: black splits at the operator
        f"x = ({LONG}, {LONG})",  # a tuple in parentheses
        f"def {LONG}_{LONG}(a: int) -> None:",  # a def line
    ],
)
def test_shapes_it_cannot_prove_are_refused(text: str) -> None:
    with pytest.raises(Unsupported):
        lay_out(text, 0, inside=False)


def test_refused_statements_are_formatted_by_black_at_their_depth() -> None:
    source = (
        "class Thing:\n"
        "    def method(self) -> int:\n"
        f"        total = {LONG} + {LONG} + {LONG}\n"
        f'        return call("{LONG}", "{LONG}")\n'
    )
    laid_out = lay_out_files({"m.py": source}, use_cache=False)["m.py"]
    assert format_str(laid_out, mode=MODE) == laid_out
    # black's own split of the chain, one operand a line, which this module never writes
    assert f"        total = (\n            {LONG}\n            + {LONG}\n" in laid_out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab'\"\\\n\t\x00é "), max_size=12))
def test_string_literals_use_the_quotes_black_prefers(text: str) -> None:
    literal = str_literal(text)
    assert eval(literal) == text  # our own literal, checked for round-trip
    source = f"x = {literal}\n"
    assert format_str(source, mode=MODE) == source


def test_an_operator_in_a_long_argument_is_left_to_black() -> None:
    # black looks for delimiters without the trailing comma, so it splits at `+` here
    with pytest.raises(Unsupported):
        lay_out(f"total={LONG} + {LONG[:30]},", 3, inside=True)
    # ...but a negative default or a unary operator is no delimiter
    assert lay_out(f"{LONG}_{LONG[:30]}: int = -1,", 2, inside=True) == [
        f"{LONG}_{LONG[:30]}: int = -1,"
    ]


def test_a_long_union_type_before_a_call_is_parenthesised_one_operand_a_line() -> None:
    name = "f" * 30
    text = f'{name}: list[Item{LONG}{LONG[:20]}] | None = Field(default=None, alias="X")'
    lines = _statement(text, depth=1)
    assert lines[:4] == [
        f"{name}: (",
        f"    list[Item{LONG}{LONG[:20]}]",
        "    | None",
        ") = Field(",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Lines.\n\n   - indented item\n   - another item",
        '"Quoted" at both ends"',
        'one line that ends in a quote"',
        "first\n\n\tmixed   \n  spaces\n\n",
    ],
)
def test_docstrings_are_written_as_black_reindents_them(text: str) -> None:
    from generator.render.source import docstring_block

    doc = docstring_block(text, indent=4)
    source = f"class A:\n    {doc}\n\n    x = 1\n"
    assert format_str(source, mode=MODE) == source


@pytest.mark.parametrize("left", range(94, 104))
def test_the_column_where_black_stops_parenthesising_the_value(left: int) -> None:
    # black keeps `LEFT = (` up to column 98 and splits LEFT's own bracket from 99 on
    name = "_OP_" + "A" * (left - len("_OP_") - len(": Operation[list[models.X]] ="))
    text = f'{name}: Operation[list[models.X]] = Operation("a", "GET", "/", responses={{"2": _X}})'
    lines = _statement(text)
    assert lines[0].endswith(" = (" if left <= 98 else ": Operation[")


def test_a_long_literal_union_field_is_parenthesised_and_split_at_the_bar() -> None:
    values = ", ".join(f'"value_{i}_{LONG[:8]}"' for i in range(8))
    lines = _statement(f"conclusion: Literal[{values}] | None = None", depth=1)
    assert lines[0] == "conclusion: (" and lines[1] == "    Literal["
    assert "    | None" in lines and lines[-1] == ") = None"


def test_a_long_union_inside_the_left_subscript_goes_one_operand_a_line() -> None:
    union = " | ".join(f"models.Content{kind}{LONG[:12]}" for kind in ("File", "Dir", "Link"))
    name = "_OP_REPOS_GET_CONTENT_" + "X" * 30
    lines = _statement(f'{name}: Operation[{union} | None] = Operation("a", "GET", "/")')
    assert lines[0] == f"{name}: Operation[" and lines[4] == "    | None"
    assert lines[5] == "] = Operation("


def test_a_long_union_argument_starts_a_line_at_each_bar() -> None:
    union = " | ".join(f"models.Content{kind}{LONG[:12]}" for kind in ("File", "Dir", "Link"))
    lines = lay_out(f"lazy=lambda: {union},", 3, inside=True)
    assert lines[0] == f"lazy=lambda: models.ContentFile{LONG[:12]}"
    assert lines[1:] == [f"| models.ContentDir{LONG[:12]}", f"| models.ContentLink{LONG[:12]},"]
    _black_keeps(["x = f(", *("    " + line for line in lines), ")"], 2)


@pytest.mark.parametrize("wrapped", [True, False])
def test_a_long_return_annotation_is_split_like_a_parameter_type(wrapped: bool) -> None:
    members = " | ".join(f"models.Event{i}{LONG[:10]}" for i in range(6))
    annotation = f"{members} | None" if wrapped else f"list[{members}]"
    statement = Statement(("    async def f(", "        self,", f"    ) -> {annotation}:"))
    lines = lay_out_statement(statement)
    assert lines[2] == ("    ) -> (" if wrapped else "    ) -> list[")
    assert lines[-1] == ("    ):" if wrapped else "    ]:")
    source = "class A:\n" + "\n".join(lines) + "\n        pass\n"
    assert format_str(source, mode=MODE) == source


def test_a_long_class_line_moves_its_base_one_level_in() -> None:
    name, base = f"IoK8sApiAppsV1StatefulSetSpec{LONG[:30]}", f"IoK8sApiAppsV1Base{LONG[:30]}"
    lines = lay_out_statement(Statement((f"class {name}({base}):",)))
    assert lines == [f"class {name}(", f"    {base}", "):"]
    _black_keeps(lines, 0)


@pytest.mark.parametrize("prefix", ["def", "async def"])
@pytest.mark.parametrize("parameter", ["self", "value: models.Thing"])
def test_a_long_one_line_def_is_split_at_its_parameters(prefix: str, parameter: str) -> None:
    # the typed mocks' shape: `def op(self) -> MockedOperation[models.Long]:`
    head = f"{prefix} list_apps_v1_controller_revision_for_all_namespaces("
    annotation = f"MockedOperation[models.IoK8sApiAppsV1ControllerRevisionList{LONG[:8]}]"
    lines = lay_out_statement(Statement((f"    {head}{parameter}) -> {annotation}:",)))
    assert lines == [f"    {head}", f"        {parameter},", f"    ) -> {annotation}:"]
    source = "class A:\n" + "\n".join(lines) + "\n        pass\n"
    assert format_str(source, mode=MODE) == source


def test_a_long_one_line_def_without_annotation_and_with_a_long_return_type() -> None:
    plain = lay_out_statement(Statement((f"    def method_{LONG}_{LONG[:20]}(self):",)))
    assert plain == [f"    def method_{LONG}_{LONG[:20]}(", "        self,", "    ):"]
    members = " | ".join(f"models.Event{i}{LONG[:10]}" for i in range(6))
    long_return = lay_out_statement(Statement((f"    def f(self) -> {members} | None:",)))
    assert long_return[:3] == ["    def f(", "        self,", "    ) -> ("]
    for lines in (plain, long_return):
        source = "class A:\n" + "\n".join(lines) + "\n        pass\n"
        assert format_str(source, mode=MODE) == source


@pytest.mark.parametrize(
    "line",
    [
        f"    def method_{LONG}(self, other: int) -> {LONG}:",  # several parameters
        f"    def method_{LONG}(self: A | B) -> {LONG}:",  # a union parameter: no comma added
        f"    def method_{LONG}() -> {LONG}:",  # nothing to split at the parameters
        f"    def method_{LONG}_{LONG}(self) -> None:",  # the head itself is too long
    ],
)
def test_other_long_def_lines_are_left_to_black(line: str) -> None:
    with pytest.raises(Unsupported):
        lay_out_statement(Statement((line,)))
