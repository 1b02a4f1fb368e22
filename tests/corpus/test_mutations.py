"""Property: any mutation of a real document is a clean refusal or code that compiles.

Small corpus documents are damaged the way broken or hostile specs are (keys deleted,
values of the wrong type, hostile strings injected into values and keys) and fed to the
CLI in this process. The exit code must be 0 or 2, stderr must hold no traceback, and
every generated ``.py`` must compile. Derandomised so a failure is reproducible and the
run is bounded.
"""

from __future__ import annotations

import copy
import io
import json
import os
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from testdata import CORPUS

from generator.cli import run
from generator.load.parse import parse_bytes

BASES = [
    "oai-learn-examples/v3.0/petstore-expanded.yaml",
    "oai-learn-examples/v3.0/link-example.yaml",
    "oai-learn-examples/v3.1/tictactoe.yaml",
    "oai-learn-examples/v2.0/petstore.yaml",
    "datamodel-code-generator/oneof.yaml",
    "datamodel-code-generator/allof.yaml",
    "datamodel-code-generator/discriminator_allof.yaml",
]
MARKER = "HOSTILE_MARKER"
PAYLOAD = "__import__('pathlib').Path('HOSTILE_MARKER').touch()"
HOSTILE_STRINGS = [
    f'"""; {PAYLOAD}; """',
    f"'''; {PAYLOAD}; '''",
    f'"); {PAYLOAD} #',
    f"\n{PAYLOAD}\n#",
    "\\",
    "\\\n",
    "# comment",
    "\x00",
    "\x1b[31m",
    "\u2028",
    "{{ cycler.__init__.__globals__.os.system('touch HOSTILE_MARKER') }}",
    "{% for x in [1] %}{% endfor %}",
    "{#",
    "",
    " ",
    "class",
    "None",
    "__init__",
    "../../escape",
    "$ref",
    "#/components/schemas/Nope",
    "0abc",
    "a" * 300,
]
WRONG_VALUES: list[Any] = [42, -1, 3.5, True, None, [], {}, "text", [1, "a"], {"a": {}}]
WRONG_VALUES.append({"$ref": "#/components/schemas/DoesNotExist"})
WRONG_VALUES.append({"$ref": "#"})


@cache
def _base(name: str) -> dict[str, Any]:
    path = CORPUS / name
    document, _ = parse_bytes(path.read_bytes(), path.name)
    assert isinstance(document, dict)
    return document


def _slots(node: Any) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) pair in the document, the root's children included."""
    stack = [node]
    while stack:
        current = stack.pop()
        keys: list[Any] = (
            list(current) if isinstance(current, dict)
            else list(range(len(current))) if isinstance(current, list)
            else []
        )  # fmt: skip
        for key in keys:
            yield current, key
            stack.append(current[key])


hostile_text = st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=12))


@st.composite
def mutated_documents(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(BASES))
    document = copy.deepcopy(_base(name))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        slots = list(_slots(document))
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        action = draw(st.sampled_from(["delete", "wrong_type", "inject", "rename"]))
        if action == "delete":
            del container[key]
        elif action == "wrong_type":
            container[key] = copy.deepcopy(draw(st.sampled_from(WRONG_VALUES)))
        elif action == "inject":
            old = container[key]
            text = draw(hostile_text)
            container[key] = f"{old[:3]}{text}{old[3:]}" if isinstance(old, str) else text
        elif isinstance(container, dict):
            new_key = draw(hostile_text)
            if new_key not in container:
                container[new_key] = container.pop(key)
    return name, document


@pytest.fixture(scope="module")
def bases_present() -> None:
    missing = [b for b in BASES if not (CORPUS / b).is_file()]
    assert not missing, f"not vendored in {CORPUS}: {missing}"


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=mutated_documents())
def test_mutated_document_is_refused_cleanly_or_compiles(
    bases_present: None, case: tuple[str, dict[str, Any]]
) -> None:
    name, document = case
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        spec = work / (Path(name).stem + ".json")
        spec.write_text(json.dumps(document), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        cwd = Path.cwd()
        os.chdir(work)  # a payload run while generating would leave its marker here
        try:
            code = run([str(spec), "-o", str(work / "out"), "-q"], out=out, err=err)
        finally:
            os.chdir(cwd)
        report = err.getvalue()
        event(f"exit {code}")  # --hypothesis-show-statistics: how many generated vs refused
        assert code in (0, 2), f"exit {code} for a mutation of {name}:\n{report}"
        assert "Traceback" not in report
        assert not (work / MARKER).exists()
        if code == 0:
            for source in (work / "out").rglob("*.py"):
                compile(source.read_text(encoding="utf-8"), str(source), "exec")
