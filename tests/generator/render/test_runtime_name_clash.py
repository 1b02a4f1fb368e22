"""A client named like a runtime class its modules import (``--client-name
BaseServiceClient``; ``--client-name Client``, whose mock is ``MockClient``) keeps that
name, and the module imports the runtime class under an alias instead of shadowing it.

Why an alias rather than a refusal: the name also comes from ``x-client-name`` or
``info.title`` (a title ``Base Service Client Service`` makes ``BaseServiceClient``), so
a refusal would reject documents over a spelling their authors never chose as Python.
"""

from __future__ import annotations

import importlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import resilient_client
import resilient_client.testing
from generator.cli import EXIT_OK, run

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "specs" / "onextree.yaml"
CLIENTS = {"base_named_client": "BaseServiceClient", "client_named_client": "Client"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("clash")
    cache = tmp_path_factory.mktemp("clash_cache")
    previous = os.environ.get("GENERATE_CLIENT_CACHE_DIR")
    os.environ["GENERATE_CLIENT_CACHE_DIR"] = str(cache)
    try:
        for package, name in CLIENTS.items():
            err = io.StringIO()
            argv = [str(SPEC), "-o", str(out), "--package-name", package, "--client-name", name]
            assert run(argv, out=io.StringIO(), err=err) == EXIT_OK, err.getvalue()
    finally:
        if previous is None:
            os.environ.pop("GENERATE_CLIENT_CACHE_DIR", None)
        else:
            os.environ["GENERATE_CLIENT_CACHE_DIR"] = previous
    sys.path.insert(0, str(out))
    try:
        yield out
    finally:
        sys.path.remove(str(out))
        for mod in [m for m in sys.modules if m.startswith(tuple(CLIENTS))]:
            del sys.modules[mod]


def test_the_runtime_base_class_is_imported_under_an_alias(generated: Path) -> None:
    client = (generated / "base_named_client" / "_client.py").read_text(encoding="utf-8")
    assert "BaseServiceClient as _BaseServiceClient" in client
    assert "class BaseServiceClient(_BaseServiceClient):" in client
    module = importlib.import_module("base_named_client")
    assert module.BaseServiceClient is not resilient_client.BaseServiceClient
    assert issubclass(module.BaseServiceClient, resilient_client.BaseServiceClient)


def test_the_runtime_mock_class_is_imported_under_an_alias(generated: Path) -> None:
    testing = (generated / "client_named_client" / "testing.py").read_text(encoding="utf-8")
    assert "from resilient_client.testing import MockClient as _MockClient" in testing
    assert "class MockClient(_MockClient):" in testing
    mock = importlib.import_module("client_named_client.testing").MockClient
    assert mock is not resilient_client.testing.MockClient
    assert issubclass(mock, resilient_client.testing.MockClient)
    client = importlib.import_module("client_named_client").Client
    assert issubclass(client, resilient_client.BaseServiceClient)


def test_other_names_import_the_runtime_classes_as_they_are(tmp_path: Path) -> None:
    err = io.StringIO()
    argv = [str(SPEC), "-o", str(tmp_path), "--package-name", "plain_client"]
    assert run(argv, out=io.StringIO(), err=err) == EXIT_OK, err.getvalue()
    package = tmp_path / "plain_client"
    assert "(BaseServiceClient):" in (package / "_client.py").read_text(encoding="utf-8")
    testing = (package / "testing.py").read_text(encoding="utf-8")
    assert "from resilient_client.testing import MockClient, MockedOperation" in testing


@pytest.mark.slow
def test_both_packages_pass_mypy_strict(generated: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(generated / ".mypy_cache"), "--no-error-summary", *CLIENTS],
        cwd=generated,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": f"{generated}{os.pathsep}{ROOT}"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
