"""``--dist``: make a generated client installable on its own.

Layout (accepted by ``pip install OUTDIR/<pkg>-dist`` and ``python -m build``)::

    OUTDIR/<pkg>/                 the package, importable with OUTDIR on sys.path
    OUTDIR/<pkg>-dist/
        pyproject.toml            hatchling project depending on the shared runtime
        <pkg>/...                 the same package files

The project is self-contained so it can be built or installed without reaching outside
its directory (sdists and isolated builds cannot see ``..``). It depends on the
distribution that ships ``resilient_client``, limited to the runtime versions the
generated code was written against.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import jinja2
from packaging.version import InvalidVersion, Version

from generator.errors import Problem
from generator.ir.naming import distribution_name
from generator.ir.nodes import Service
from generator.render.package import RUNTIME_REQUIREMENT, HeaderInfo
from generator.render.prebuilt import template_dir

#: The distribution that ships ``resilient_client`` (see the repository's pyproject).
RUNTIME_DISTRIBUTION = "resilient-openapi-clients"


def _toml_string(value: str) -> str:
    # JSON string escapes are a subset of TOML basic-string escapes, so spec text can
    # never end the string early or add keys.
    return json.dumps(value, ensure_ascii=True)


def _comment(value: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in value)


def _version(text: str, source: str) -> tuple[str, list[Problem]]:
    """``info.version`` as a PEP 440 version, or 0.0.0 with a warning."""
    try:
        return str(Version(text.lstrip("vV"))), []
    except InvalidVersion:
        warning = Problem(
            source,
            "/info/version",
            f"info.version {text!r} is not a PEP 440 version; the distribution uses 0.0.0",
            severity="warning",
        )
        return "0.0.0", [warning]


def render_dist(
    service: Service,
    *,
    package_name: str,
    package_files: Mapping[str, str],
    header: HeaderInfo,
) -> tuple[dict[str, str], list[Problem]]:
    """Files of the ``<pkg>-dist`` project (relative path -> text) plus warnings."""
    version, warnings = _version(service.version, header.spec_name)
    description = service.info_title if service.info_title is not None else package_name
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    pyproject = env.get_template("pyproject.toml.jinja").render(
        generator_version=_comment(header.generator_version),
        spec_name=_comment(header.spec_name),
        spec_sha256=_comment(header.spec_sha256),
        dist_name=_toml_string(distribution_name(package_name)),
        version=_toml_string(version),
        description=_toml_string(f"Async client for {description} (generated)"),
        runtime_dependency=_toml_string(f"{RUNTIME_DISTRIBUTION}{RUNTIME_REQUIREMENT}"),
        package_path=_toml_string(package_name),
    )
    files = {"pyproject.toml": pyproject}
    files.update({f"{package_name}/{path}": text for path, text in package_files.items()})
    return dict(sorted(files.items())), warnings
