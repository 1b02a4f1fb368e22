"""Fast validation gives exactly the old answer: the fastjsonschema oracle, the split
phases and the forked workers, each held to the validator's sequential pass."""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from validation_cases import assert_exact, base, cases

from generator.validate import describe as validate_describe
from generator.validate import fast as validate_fast
from generator.validate import meta_phase as validate_meta_phase
from generator.validate import validation as validate_module
from generator.validate import workers as validate_workers
from generator.validate.describe import run_sequential

CASES = cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_paths_give_exactly_the_sequential_answer(name: str) -> None:
    document, version = CASES[name]
    assert_exact(document, version)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_oracle_is_never_more_lenient_than_jsonschema(name: str) -> None:
    document, version = CASES[name]
    if version != "3.0":
        return
    if validate_fast.valid_v30(document):
        assert validate_describe.schema_phase(document, "3.0") == ([], True)


@pytest.mark.parametrize(
    "name",
    [
        "tuple_as_array",
        "str_subclass",
        "too_deep_for_jsonschema",
        "path_parameter_required_is_1",
        "version_with_trailing_newline",
        "float_where_integer",
        "boolean_where_number",
    ],
)
def test_the_oracle_refuses_what_it_cannot_vouch_for(name: str) -> None:
    assert not validate_fast.valid_v30(CASES[name][0])


def test_the_cases_cover_the_fatal_kinds() -> None:
    fatal = {
        name
        for name, (document, version) in CASES.items()
        if any(
            s == "error"
            for _, _, s in run_sequential(
                document, validate_module._validator_kind(document, version)
            )
        )
    }
    assert {
        "title_is_a_number",
        "missing_responses",
        "duplicate_operation_ids",
        "undeclared_path_parameter",
        "bad_status_code_3_1",  # in 3.0 an unknown response key is only a warning
        "undeclared_path_parameter_3_1",
    } <= fatal
    assert "valid" not in fatal and "valid_3_1" not in fatal


def _spy_jsonschema_phase(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each call of the jsonschema meta-schema phase (``meta_phase``, which builds
    the library's validator itself or asks ``describe``)."""
    calls: list[str] = []
    real = validate_meta_phase.jsonschema_phase

    def spy(document: dict[str, Any], kind: str) -> Any:
        calls.append(kind)
        return real(document, kind)

    monkeypatch.setattr(validate_meta_phase, "jsonschema_phase", spy)
    return calls


def test_a_valid_3_0_document_skips_the_jsonschema_phase(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _spy_jsonschema_phase(monkeypatch)
    document = base()
    assert validate_module.validate(document, source_name="a", version="3.0", use_cache=False) == []
    assert calls == []
    document["info"]["title"] = 5
    problems = validate_module.validate(document, source_name="a", version="3.0", use_cache=False)
    assert [p.pointer for p in problems] == ["/info/title"] and calls == ["3.0"]


def test_3_1_documents_keep_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _spy_jsonschema_phase(monkeypatch)
    validate_module.validate(base("3.1.0"), source_name="a", version="3.1", use_cache=False)
    assert calls == ["3.1"]


def test_the_document_is_not_filled_with_defaults() -> None:
    import fastjsonschema
    from openapi_spec_validator.schemas import schema_v30

    document = base()
    document["paths"]["/items/{id}"]["get"]["parameters"].append(
        {"name": "q", "in": "query", "schema": {"type": "string"}}
    )
    snapshot = copy.deepcopy(document)
    assert validate_fast.valid_v30(document)
    assert document == snapshot
    # The hazard is real: with its defaults on, fastjsonschema writes into the document.
    filled = copy.deepcopy(document)
    fastjsonschema.compile(dict(schema_v30))(filled)
    assert filled != snapshot


def _without_the_shipped_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """As where fastjsonschema or the meta-schema differ from what ``meta_v30`` was built
    from: the code is compiled and cached on disk."""
    monkeypatch.setattr(validate_fast, "prebuilt", lambda key: None)


def test_compiled_code_is_cached_on_disk_and_a_damaged_entry_recompiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(validate_fast, "_compiled", {})
    _without_the_shipped_code(monkeypatch)
    with validate_fast.disk_cache(False):
        validate_fast.validator_v30()
    assert not (tmp_path / "fastjsonschema").exists()

    monkeypatch.setattr(validate_fast, "_compiled", {})
    validate_fast.validator_v30()
    (entry,) = [p for p in (tmp_path / "fastjsonschema").rglob("*") if p.is_file()]
    assert validate_fast.at_hand()
    monkeypatch.setattr(validate_fast, "_compiled", {})
    assert validate_fast.at_hand()  # from the disk cache
    with validate_fast.disk_cache(False):
        assert not validate_fast.at_hand()

    real_generate = validate_fast._generate_code
    compiles: list[int] = []

    def counting_generate() -> str:
        compiles.append(1)
        return real_generate()

    monkeypatch.setattr(validate_fast, "_generate_code", counting_generate)
    monkeypatch.setattr(validate_fast, "_compiled", {})
    assert validate_fast.validator_v30()(base())  # a warm machine: loaded, not compiled
    assert compiles == []

    entry.write_bytes(b"\x00 not python")
    monkeypatch.setattr(validate_fast, "_compiled", {})
    assert validate_fast.validator_v30()(base())
    assert compiles == [1]


def _in_child_only(action: Any) -> Any:
    """A root phase that misbehaves in a forked worker but works in this process."""
    parent, real = os.getpid(), validate_workers.PHASES["root"]

    def phase(document: dict[str, Any], kind: str) -> Any:
        if os.getpid() != parent:
            return action()
        return real(document, kind)

    return phase


@pytest.mark.parametrize(
    "action",
    [
        pytest.param(lambda: os._exit(3), id="worker-dies"),
        pytest.param(lambda: 1 / 0, id="worker-raises"),
        pytest.param(lambda: ([("", "x", "fatal!")], True), id="worker-sends-garbage"),
    ],
)
def test_a_failing_worker_falls_back_to_this_process(
    action: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(validate_workers.PHASES, "root", _in_child_only(action))
    for name in ("valid", "undeclared_path_parameter", "bad_default"):
        document, _ = CASES[name]
        pending = validate_workers.start(document, "3.0", use_cache=False)
        assert pending is not None
        assert pending.result() == run_sequential(document, "3.0")


@pytest.mark.parametrize("in_worker", [True, False, None])
def test_the_schema_phase_may_run_in_a_worker_or_here(
    in_worker: bool | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate_workers, "SCHEMA_IN_WORKER", in_worker)
    for name in ("valid", "title_is_a_number", "duplicate_operation_ids", "valid_3_1"):
        assert_exact(*CASES[name])


def test_no_fork_when_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate_workers.threading, "active_count", lambda: 2)
    assert validate_workers.start(base(), "3.0", use_cache=False) is None
    monkeypatch.setattr(validate_workers, "_fork_context", lambda: None)
    handle = validate_module.start_validation(
        base(), source_name="a", version="3.0", use_cache=False
    )
    assert handle.done() and handle.result() == []


def test_start_validation_uses_workers_for_large_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(validate_module, "SMALL_DOCUMENT", 0)
    document, _ = CASES["duplicate_operation_ids"]
    handle = validate_module.start_validation(
        document, source_name="a.yaml", version="3.0", use_cache=False
    )
    assert not handle.done()
    assert handle.result() == validate_module.validate(
        document, source_name="a.yaml", version="3.0", use_cache=False
    )


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    return spec


def test_a_fatal_problem_found_by_a_worker_still_blocks_every_write(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document, _ = CASES["duplicate_operation_ids"]
    document = copy.deepcopy(document)
    document["info"]["title"] = 5
    spec = _write(tmp_path, document)
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(tmp_path / "cache"))
    inline = cli("-o", tmp_path / "inline", spec)
    assert inline.code == 2 and not (tmp_path / "inline").exists()
    shutil.rmtree(tmp_path / "cache")

    started: list[int] = []
    real_start = validate_workers.start

    def counting_start(*args: Any, **kwargs: Any) -> Any:
        pending = real_start(*args, **kwargs)
        started.append(pending is not None)
        return pending

    monkeypatch.setattr(validate_module, "SMALL_DOCUMENT", 0)
    monkeypatch.setattr(validate_workers, "start", counting_start)
    forked = cli("-o", tmp_path / "forked", spec)
    assert started == [True]
    assert forked.code == 2 and not (tmp_path / "forked").exists()
    assert forked.err == inline.err and forked.out == inline.out
    lines = forked.err.splitlines()
    assert any(": error: " in line for line in lines)
    assert all(": error: " in line or ": warning: " in line for line in lines), lines


def test_a_build_crash_on_an_invalid_document_reports_the_validation_errors(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.ir import build

    def crashing_build(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("the builder trusted a field validation rejects")

    monkeypatch.setattr(validate_module, "SMALL_DOCUMENT", 0)
    monkeypatch.setattr(build, "build_service", crashing_build)
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(tmp_path / "cache"))
    document = copy.deepcopy(CASES["title_is_a_number"][0])
    bad = cli("-o", tmp_path / "out", _write(tmp_path, document))
    assert bad.code == 2 and "/info/title" in bad.err and "KeyError" not in bad.err
    assert not (tmp_path / "out").exists()
    good = cli("-o", tmp_path / "out", _write(tmp_path, base()))
    assert good.code not in (0, 2) and "KeyError" in good.err  # still the internal error


def test_a_warm_check_does_not_import_the_validator(tmp_path: Path) -> None:
    """openapi-spec-validator costs about 0.3 s of imports; the manifest fast path of
    ``--check`` never validates, so it must not pay for them."""
    spec = _write(tmp_path, base())
    env = {**os.environ, "GENERATE_CLIENT_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "out"
    first = subprocess.run(
        [sys.executable, "-m", "generator", "-q", "-o", str(out), str(spec)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert first.returncode == 0, first.stderr[-2000:]
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator.pipeline import generate\n"
        f"result = generate(Path({str(spec)!r}), out_dir=Path({str(out)!r}), check=True)\n"
        "print(result.from_manifest, 'openapi_spec_validator' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "False"]


def test_auto_placement_gives_the_schema_phase_a_worker_only_while_it_must_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(validate_fast, "_compiled", {})
    monkeypatch.setattr(validate_workers, "SCHEMA_IN_WORKER", None)
    _without_the_shipped_code(monkeypatch)
    names: list[str] = []
    real_worker = validate_workers._Worker

    def recording_worker(context: Any, name: str, *args: Any) -> Any:
        names.append(name)
        return real_worker(context, name, *args)

    monkeypatch.setattr(validate_workers, "_Worker", recording_worker)
    document = base()
    for _ in range(2):  # cold: the worker compiles (and caches); then the code is at hand
        pending = validate_workers.start(document, "3.0", use_cache=True)
        assert pending is not None and pending.result() == []
    assert names == ["root", "schema", "root"]


_ODD_VALUES: list[Any] = [
    0,
    1,
    -1,
    2.0,
    2.5,
    True,
    False,
    None,
    "",
    "x",
    "3.0.3\n",
    "/p",
    "200",
    "default",
    [],
    ["a", "a"],
    [1, True],
    {},
    {"$ref": "#/x"},
    {"type": "string"},
    {"200": {"description": "d"}},
]


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _nodes(item, (*path, index))
    return found


def _mutate(document: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    mutated = copy.deepcopy(document)
    path = rng.choice(_nodes(mutated)[1:])
    parent = mutated
    for part in path[:-1]:
        parent = parent[part]
    action = rng.random()
    if action < 0.2 and isinstance(parent, dict):
        del parent[path[-1]]
    elif action < 0.35 and isinstance(parent, dict):
        parent[rng.choice(["title", "x-a", "required", "in", "$ref", "400", "get"])] = (
            copy.deepcopy(rng.choice(_ODD_VALUES))
        )
    else:
        parent[path[-1]] = copy.deepcopy(rng.choice(_ODD_VALUES))
    return mutated


def test_the_oracle_is_never_more_lenient_on_random_mutations() -> None:
    """Random damage to a rich valid document: whenever fastjsonschema vouches for the
    result, jsonschema must find nothing either (the converse only costs time)."""
    seed = base()
    seed["components"] = {
        "schemas": {"A": {"type": "object", "required": ["a"], "properties": {"a": {}}}},
        "parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "integer"}}},
        "securitySchemes": {"s": {"type": "http", "scheme": "bearer"}},
    }
    seed["paths"]["/items/{id}"]["get"]["responses"]["default"] = {"$ref": "#/x"}
    seed["tags"] = [{"name": "t"}]
    rng = random.Random(6)
    vouched = 0
    for _ in range(400):
        document = _mutate(seed, rng)
        if validate_fast.valid_v30(document):
            vouched += 1
            assert validate_describe.schema_phase(document, "3.0") == ([], True), document
    assert vouched > 50  # the oracle is exercised, not merely refusing everything
