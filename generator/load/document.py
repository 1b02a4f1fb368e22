"""Stage 1 entry point: a spec path to a ``LoadedDocument`` (parsed, bundled, 3.x).

``parse`` reads the root file, ``bundle`` brings in every file it refers to, and a
Swagger 2.0 document is converted (``swagger2``), so later stages only ever see one
self-contained OpenAPI 3 document with local references.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Problem, SpecError
from generator.load.bundle import bundle
from generator.load.parse import parse_bytes, read_limited
from generator.load.swagger2 import convert


@dataclass(frozen=True)
class LoadedDocument:
    """A parsed, bundled document ready for validation."""

    document: dict[str, Any]
    source_name: str
    sha256: str
    warnings: list[Problem] = field(default_factory=list)
    version: str = "3.0"


def detect_version(document: dict[str, Any], display: str) -> tuple[str, list[Problem]]:
    """Return ("2.0" | "3.0" | "3.1", warnings) or raise for an unsupported version."""
    openapi = document.get("openapi")
    swagger = document.get("swagger")
    if isinstance(swagger, str | int | float) and str(swagger).startswith("2"):
        return "2.0", []
    if not isinstance(openapi, str):
        where = "/openapi" if "openapi" in document else ""
        raise SpecError(
            [Problem(display, where, "not an OpenAPI document: missing string field 'openapi'")]
        )
    if re.match(r"3\.0\.\d+", openapi):
        return "3.0", []
    if re.match(r"3\.1\.\d+", openapi):
        return "3.1", []
    if re.match(r"3\.2\.\d+", openapi):
        return "3.1", [
            Problem(display, "/openapi", f"OpenAPI {openapi} is handled as 3.1", severity="warning")
        ]
    raise SpecError([Problem(display, "/openapi", f"unsupported OpenAPI version {openapi!r}")])


def load(path: Path) -> LoadedDocument:
    """Read, parse and bundle ``path``; raise SpecError listing every problem found."""
    display = path.name
    data = read_limited(path, display)
    value, warnings = parse_bytes(data, display)
    if not isinstance(value, dict):
        raise SpecError([Problem(display, "", "document root must be a mapping")])
    version, version_warnings = detect_version(value, display)
    warnings.extend(version_warnings)
    document, bundle_warnings = bundle(value, path, display, swagger=version == "2.0")
    warnings.extend(bundle_warnings)
    if version == "2.0":
        document, convert_warnings = convert(document, display)
        warnings.extend(convert_warnings)
        version = "3.0"
    return LoadedDocument(
        document=document,
        source_name=display,
        sha256=hashlib.sha256(data).hexdigest(),
        warnings=warnings,
        version=version,
    )
