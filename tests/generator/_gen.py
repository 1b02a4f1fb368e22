"""Generate a client package into a directory: build + render + black.

A small stand-in for G1's pipeline so generator tests can exercise real output; it
reads JSON or YAML and assumes the document needs no external-file bundling.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import black
import yaml

from generator.build import build_service
from generator.errors import Problem
from generator.render import HeaderInfo, render_package

MODE = black.Mode(line_length=100)


def load(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return _string_keys(data)  # type: ignore[no-any-return]


def _string_keys(node: Any) -> Any:
    # YAML 1.1 reads ``200:`` as an int; G1's loader normalises keys the same way
    if isinstance(node, dict):
        return {str(k): _string_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_string_keys(v) for v in node]
    return node


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
        document = load(spec)
        name = spec.name
        sha = hashlib.sha256(spec.read_bytes()).hexdigest()
    else:
        document, name, sha = spec, "spec.yaml", "0" * 64
    files, problems = render_files(document, package=package, spec_name=name, sha=sha)
    target = out_dir / package
    target.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (target / rel).write_text(text, encoding="utf-8")
    return problems
