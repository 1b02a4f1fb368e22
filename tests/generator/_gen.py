"""Generate a client package into a directory: build + render + black.

A small stand-in for G1's pipeline (no validation, no writing rules) so generator tests
can exercise real output from G1's loader through build, render and black.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import black

from generator.errors import Problem
from generator.ir.build import build_service
from generator.load.document import load as load_document
from generator.render.package import HeaderInfo, render_package

MODE = black.Mode(line_length=100)


def load(path: Path) -> tuple[dict[str, Any], str]:
    """The document as G1's loader hands it to ``build_service`` (refs bundled, keys str)."""
    loaded = load_document(path)
    return loaded.document, loaded.sha256


def render_files(
    document: dict[str, Any], *, package: str, spec_name: str = "spec.yaml", sha: str = "0" * 64
) -> tuple[dict[str, str], list[Problem]]:
    service, problems = build_service(document, source_name=spec_name)
    files = render_package(
        service,
        package_name=package,
        header=HeaderInfo(generator_version="0.1.0", spec_name=spec_name, spec_sha256=sha),
    )
    formatted = {
        name: black.format_str(text, mode=MODE) if name.endswith(".py") else text
        for name, text in files.items()
    }
    return formatted, problems


def generate(spec: Path | dict[str, Any], out_dir: Path, package: str) -> list[Problem]:
    """Write ``out_dir/package``; returns the build warnings."""
    if isinstance(spec, Path):
        document, sha = load(spec)
        name = spec.name
    else:
        document, name, sha = spec, "spec.yaml", "0" * 64
    files, problems = render_files(document, package=package, spec_name=name, sha=sha)
    target = out_dir / package
    target.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)  # models/ is a package
        (target / rel).write_text(text, encoding="utf-8")
    return problems
