"""The built wheel works on its own: templates ship inside it and the console script runs.

Builds this project's wheel, installs it (no dependencies: they come from the test
environment) into a fresh venv, and runs the
installed ``generate-client`` from a folder where the source tree cannot be imported.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PETSTORE = Path("oai-learn-examples/v3.0/petstore.yaml")

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_installed_wheel_generates_a_client(corpus: Path, tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", REPO, "--no-deps", "-q", "-w", wheels]
    if importlib.util.find_spec("hatchling") is not None:
        build.append("--no-build-isolation")  # offline and faster when the backend is here
    built = _run(*build, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    [wheel] = wheels.glob("resilient_openapi_clients-*.whl")

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    # Dependencies come from the test environment (offline, fast). A .pth line adds only
    # that directory: .pth files inside it (such as an editable install of this source
    # tree) are not processed, so the tree cannot leak into the new venv.
    [site_dir] = env_dir.glob("lib/python*/site-packages")
    (site_dir / "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q"]
    installed = _run(*install, wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr

    where = _run(python, "-c", "import generator; print(generator.__file__)", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(env_dir), "source tree leaked in"

    out = tmp_path / "out"
    spec = corpus / PETSTORE
    result = _run(env_dir / "bin" / "generate-client", spec, "-o", out, "--dist", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    package = out / "petstore_client"
    assert sorted(p.name for p in package.iterdir()) == [
        "__init__.py",
        "_client.py",
        "_sync_client.py",
        "models",
        "py.typed",
        "testing.py",
    ]
    assert "class SwaggerPetstoreClient" in (package / "_client.py").read_text()
    # the wheel ships the sync client's template
    assert "class SwaggerPetstoreSyncClient" in (package / "_sync_client.py").read_text()
    assert (out / "petstore_client-dist" / "pyproject.toml").is_file()

    # The --dist project installs with pip, and the client then imports from anywhere.
    dist = _run(*install, out / "petstore_client-dist", cwd=tmp_path)
    assert dist.returncode == 0, dist.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    imported = _run(
        python, "-c", "import petstore_client; print(petstore_client.__file__)", cwd=elsewhere
    )
    assert imported.returncode == 0, imported.stderr
    assert Path(imported.stdout.strip()).is_relative_to(env_dir)
