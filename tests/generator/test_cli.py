"""``generate-client``: options, exit codes, output, --check, --dist and internal errors."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import __version__
from generator.ir.naming import check_package_name, default_package_name

Cli = Callable[..., Any]
Snapshot = Callable[[Path], dict[str, bytes]]
PACKAGE_FILES = ["__init__.py", "_client.py", "_sync_client.py", "models", "py.typed", "testing.py"]


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("specs/metadata_stamping.yaml", "metadata_stamping_client"),
        ("petstore-expanded.yaml", "petstore_expanded_client"),
        ("DigitalOcean-public.v2.yaml", "digitalocean_public_v2_client"),
        ("1password.json", "api_1password_client"),
        ("import.yaml", "import_client"),
        ("---.yaml", "api_client"),
    ],
)
def test_default_package_name(spec: str, expected: str) -> None:
    assert default_package_name(Path(spec)) == expected
    check_package_name(expected)


def test_generates_a_package_with_headers(cli: Cli, petstore: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    result = cli(petstore, "-o", out)
    assert result.code == 0, result.err
    package = out / "petstore_client"
    assert sorted(p.name for p in package.iterdir()) == PACKAGE_FILES
    digest = hashlib.sha256(petstore.read_bytes()).hexdigest()
    files = sorted(p.relative_to(package) for p in package.rglob("*") if p.is_file())
    assert Path("models/__init__.py") in files and len(files) > len(PACKAGE_FILES)
    for name in files:
        head = "\n".join((package / name).read_text().splitlines()[:4])
        assert __version__ in head and "petstore.yaml" in head and digest in head
        assert "do not edit" in head.lower()
    assert "class SwaggerPetstoreClient(BaseServiceClient)" in (package / "_client.py").read_text()
    assert f"wrote {package}" in result.out


def test_default_output_folder_is_generated(
    cli: Cli, petstore: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli(petstore).code == 0
    assert (tmp_path / "generated" / "petstore_client" / "_client.py").is_file()


def test_package_and_client_name_options(cli: Cli, petstore: Path, tmp_path: Path) -> None:
    result = cli(petstore, "-o", tmp_path, "--package-name", "pets", "--client-name", "PetsClient")
    assert result.code == 0, result.err
    assert "class PetsClient(BaseServiceClient)" in (tmp_path / "pets" / "_client.py").read_text()


def test_package_name_needs_a_single_spec(cli: Cli, petstore: Path, tmp_path: Path) -> None:
    result = cli(petstore, petstore, "-o", tmp_path, "--package-name", "x")
    assert result.code == 2 and "one SPEC" in result.err
    assert list(tmp_path.iterdir()) == [petstore.parent]


def test_several_specs_in_one_call(cli: Cli, petstore: Path, tmp_path: Path) -> None:
    other = petstore.with_name("store-two.yaml")
    other.write_bytes(petstore.read_bytes())
    result = cli(petstore, other, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "petstore_client",
        "store_two_client",
    ]


def test_two_specs_may_not_target_one_package(cli: Cli, petstore: Path, tmp_path: Path) -> None:
    twin = tmp_path / "elsewhere" / "petstore.yaml"
    twin.parent.mkdir()
    twin.write_bytes(petstore.read_bytes())
    result = cli(petstore, twin, "-o", tmp_path / "out")
    assert result.code == 2 and "petstore_client" in result.err
    assert not (tmp_path / "out").exists()


def test_quiet_and_verbose(cli: Cli, petstore: Path, tmp_path: Path) -> None:
    quiet = cli(petstore, "-o", tmp_path, "--quiet")
    assert quiet.code == 0 and quiet.out == "" and quiet.err == ""
    verbose = cli(petstore, "-o", tmp_path, "--verbose")
    assert verbose.code == 0
    timings = [line for line in verbose.err.splitlines() if "timings:" in line]
    assert len(timings) == 1
    for stage in ("load", "validate", "build", "render", "format", "write"):
        assert f"{stage} " in timings[0]


def test_warnings_are_printed_and_do_not_fail(cli: Cli, petstore: Path, tmp_path: Path) -> None:
    petstore.write_text(
        petstore.read_text().replace(
            "operationId: listPets", "title: odd\n      operationId: listPets"
        )
    )
    result = cli(petstore, "-o", tmp_path)
    assert result.code == 0
    warning_lines = [line for line in result.err.splitlines() if ": warning: " in line]
    assert warning_lines and warning_lines[0].startswith("petstore.yaml#/paths/~1pets/get")
    assert cli(petstore, "-o", tmp_path, "-q").err == ""


def test_many_warnings_are_summarised_unless_verbose(
    cli: Cli, petstore: Path, tmp_path: Path
) -> None:
    odd = "".join(
        f"\n        - {{name: q{i}, in: query, schema: {{type: string, default: {i}}}}}"
        for i in range(25)
    )
    petstore.write_text(
        petstore.read_text().replace(
            "operationId: listPets", "operationId: listPets\n      parameters:" + odd
        )
    )
    default = [line for line in cli(petstore, "-o", tmp_path).err.splitlines()]
    assert len([line for line in default if ": warning: " in line]) == 20
    assert default[-1] == "... 5 more warnings (--verbose shows all)"
    verbose = cli(petstore, "-o", tmp_path, "--verbose").err.splitlines()
    assert len([line for line in verbose if ": warning: " in line]) == 25


def test_check_passes_on_fresh_output_and_writes_nothing(
    cli: Cli, petstore: Path, tmp_path: Path, snapshot: Snapshot
) -> None:
    assert cli(petstore, "-o", tmp_path / "out").code == 0
    before = snapshot(tmp_path / "out")
    result = cli(petstore, "-o", tmp_path / "out", "--check")
    assert result.code == 0 and "up to date" in result.out
    assert snapshot(tmp_path / "out") == before


def test_check_reports_drift_with_a_diff_summary(
    cli: Cli, petstore: Path, tmp_path: Path, snapshot: Snapshot
) -> None:
    out = tmp_path / "out"
    assert cli(petstore, "-o", out).code == 0
    package = out / "petstore_client"
    (package / "stale.py").write_text("x = 1\n")
    (package / "py.typed").unlink()
    petstore.write_text(petstore.read_text().replace("listPets", "listEveryPet"))
    before = snapshot(out)

    result = cli(petstore, "-o", out, "--check")

    assert result.code == 1
    lines = result.err.splitlines()
    assert "added: py.typed" in result.err and "removed: stale.py" in result.err
    assert any(line.strip().startswith("changed: ") for line in lines)
    assert any(line.strip().startswith("+") and "list_every_pet" in line for line in lines)
    assert any(line.strip().startswith("-") and "list_pets" in line for line in lines)
    assert snapshot(out) == before


def test_check_of_missing_output_is_drift(cli: Cli, petstore: Path, tmp_path: Path) -> None:
    result = cli(petstore, "-o", tmp_path / "never", "--check")
    assert result.code == 1 and "added: _client.py" in result.err
    assert not (tmp_path / "never").exists()


def test_dist_writes_an_installable_project(cli: Cli, petstore: Path, tmp_path: Path) -> None:
    petstore.write_text(
        petstore.read_text().replace(
            "title: Swagger Petstore", 'title: "Pets\\"\\n[tool.evil]\\nx = 1"'
        )
    )
    result = cli(petstore, "-o", tmp_path, "--dist")
    assert result.code == 0, result.err
    dist = tmp_path / "petstore_client-dist"
    project = tomllib.loads((dist / "pyproject.toml").read_text())
    assert set(project) == {"build-system", "project", "tool"}
    assert set(project["tool"]) == {"hatch"}
    assert project["project"]["name"] == "petstore-client"
    assert project["project"]["version"] == "1.0.0"
    assert project["project"]["dependencies"] == ["resilient-openapi-clients>=0.2.0,<0.3.0"]
    assert "[tool.evil]" in project["project"]["description"]
    package = tmp_path / "petstore_client"
    files = [p.relative_to(package) for p in package.rglob("*") if p.is_file()]
    assert len(files) > len(PACKAGE_FILES)  # models/ holds several modules
    for name in files:
        copy = dist / "petstore_client" / name
        assert copy.read_bytes() == (package / name).read_bytes()
    assert cli(petstore, "-o", tmp_path, "--dist", "--check").code == 0
    (dist / "pyproject.toml").write_text("tampered")
    drifted = cli(petstore, "-o", tmp_path, "--dist", "--check")
    assert drifted.code == 1 and "petstore_client-dist/pyproject.toml" in drifted.err


def test_internal_error_is_one_line_without_traceback(
    cli: Cli, petstore: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.ir.build

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(generator.ir.build, "build_service", explode)
    monkeypatch.delenv("GENERATE_CLIENT_DEBUG", raising=False)
    result = cli(petstore, "-o", tmp_path / "out")
    assert result.code == 3
    assert result.err.splitlines() == [
        "internal error: petstore.yaml: RuntimeError: kaboom (please report)"
    ]
    assert not (tmp_path / "out").exists()

    monkeypatch.setenv("GENERATE_CLIENT_DEBUG", "1")
    debug = cli(petstore, "-o", tmp_path / "out")
    assert debug.code == 3 and "Traceback" in debug.err


def test_black_failure_names_the_file_and_writes_nothing(
    cli: Cli, petstore: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.render.package

    real = generator.render.package.render_package

    def broken(*args: Any, **kwargs: Any) -> dict[str, str]:
        files = real(*args, **kwargs)
        return {**files, "_client.py": files["_client.py"] + "\ndef broken(:\n"}

    monkeypatch.setattr(generator.render.package, "render_package", broken)
    result = cli(petstore, "-o", tmp_path / "out")
    assert result.code == 3
    assert "_client.py" in result.err and "(please report)" in result.err
    assert not (tmp_path / "out").exists()


def test_module_entry_point(cli_process: Cli) -> None:
    result = cli_process("--version")
    assert result.code == 0 and result.out.strip() == f"generate-client {__version__}"


def test_a_cache_inside_the_output_folder_is_not_used(
    cli: Cli, petstore: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.setenv("GENERATE_CLIENT_CACHE_DIR", str(out / ".cache"))
    assert cli(petstore, "-o", out).code == 0
    assert sorted(p.name for p in out.iterdir()) == ["petstore_client"]
