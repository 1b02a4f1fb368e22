"""The templates shipped compiled (``generator.render.compiled_templates``): used when they
were built from the templates in hand, rendering exactly what compiling the templates
renders, and never used once a template changes."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import jinja2
import pytest

from generator.ir.build import build_service
from generator.load.document import load
from generator.render import compiled_templates, package, prebuilt
from generator.render.package import HeaderInfo, render_package

REPO = Path(__file__).resolve().parents[3]
SPECS = [REPO / "specs" / "onextree.yaml", REPO / "specs" / "metadata_stamping.yaml"]


def test_the_shipped_templates_were_built_from_the_templates_in_the_repository() -> None:
    """Fails after a template edit: run ``python -m generator.render.prebuilt`` (until
    then every run compiles the templates again)."""
    folder = prebuilt.template_dir()
    assert prebuilt.key(prebuilt.template_sources(folder)) == compiled_templates.KEY
    shipped = ast.parse(Path(compiled_templates.__file__).read_text(encoding="utf-8"))
    assert ast.dump(shipped) == ast.dump(ast.parse(prebuilt.source(folder)))


def test_the_environment_loads_the_shipped_templates() -> None:
    env = package._environment()
    assert isinstance(env.loader, prebuilt.PrebuiltLoader)
    assert set(env.loader.builders) == set(prebuilt.template_sources(prebuilt.template_dir()))


def _render(spec: Path) -> dict[str, str]:
    loaded = load(spec)
    service, _ = build_service(loaded.document, source_name=loaded.source_name)
    header = HeaderInfo(
        generator_version="9.9", spec_name=loaded.source_name, spec_sha256=loaded.sha256
    )
    return render_package(service, package_name="pkg", header=header, sync=True)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_shipped_and_freshly_compiled_templates_render_the_same_text(
    spec: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = _render(spec)
    fresh_loader = jinja2.FileSystemLoader(str(prebuilt.template_dir()))
    monkeypatch.setattr(prebuilt, "loader", lambda folder: fresh_loader)
    package._environment.cache_clear()
    try:
        assert isinstance(package._environment().loader, jinja2.FileSystemLoader)
        assert _render(spec) == shipped
    finally:
        package._environment.cache_clear()


def test_an_edited_template_is_compiled_from_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(prebuilt.template_dir(), folder)
    assert isinstance(prebuilt.loader(folder), prebuilt.PrebuiltLoader)
    header = folder / "_header.jinja"
    header.write_text(header.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    edited = prebuilt.loader(folder)
    assert isinstance(edited, jinja2.FileSystemLoader)
    env = jinja2.Environment(loader=edited, undefined=jinja2.StrictUndefined, **prebuilt.OPTIONS)
    assert env.get_template("py.typed.jinja").render(header_lines=["# a"]) == "# a\n# edited\n"


def test_another_jinja2_version_is_not_served_the_shipped_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = prebuilt.template_dir()
    monkeypatch.setattr(jinja2, "__version__", "0.0.1")
    assert isinstance(prebuilt.loader(folder), jinja2.FileSystemLoader)


def test_a_dangling_link_among_the_templates_is_no_template(tmp_path: Path) -> None:
    # found on review: the key read every *.jinja entry, so the `.#name.jinja` lock Emacs
    # leaves beside a template being edited made every run fail with FileNotFoundError
    folder = tmp_path / "templates"
    shutil.copytree(prebuilt.template_dir(), folder)
    (folder / ".#_client.py.jinja").symlink_to("user@host.1234:1700000000")
    assert set(prebuilt.template_sources(folder)) == set(compiled_templates.BUILDERS)
    assert isinstance(prebuilt.loader(folder), prebuilt.PrebuiltLoader)


def test_a_jinja2_runtime_without_a_name_the_code_imports_falls_back_to_the_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # found on review: the shipped code was imported with the module, so another Jinja2
    # (the requirement is only >=3.1) whose runtime lacks one of the names it imports would
    # have failed every run, where the key promises a fallback to compiling the files
    import importlib
    import sys

    import generator.render

    monkeypatch.delattr(jinja2.runtime, "str_join")
    monkeypatch.setattr(jinja2, "__version__", "9.9")
    for name in ("compiled_templates", "prebuilt"):
        monkeypatch.delitem(sys.modules, f"generator.render.{name}")
        monkeypatch.delattr(generator.render, name)  # restored after the test, as above
    fresh = importlib.import_module("generator.render.prebuilt")
    assert isinstance(fresh.loader(fresh.template_dir()), jinja2.FileSystemLoader)
