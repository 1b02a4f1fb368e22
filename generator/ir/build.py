"""Build the IR ``Service`` from a loaded (bundled, local-refs-only) OpenAPI document.

Problems are values: anything odd but survivable becomes a warning ``Problem`` and
the closest faithful code; only a document that cannot describe a client at all
raises ``SpecError``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from generator.errors import Problem, SpecError, json_pointer
from generator.ir import naming
from generator.ir.nodes import Operation, Service
from generator.ir.operations import OperationBuilder
from generator.ir.pagination import with_pagination
from generator.ir.schemas.converter import SchemaConverter
from generator.ir.security import build_security
from generator.ir.usage import used_models

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


#: Schemas are converted recursively and every ``$ref`` hop costs several frames; a
#: chain of a few hundred components is legal, so the limit is raised while building.
_RECURSION_LIMIT = 20_000


def build_service(
    document: dict[str, Any], *, source_name: str, client_name: str | None = None
) -> tuple[Service, list[Problem]]:
    """The whole service: client class, operations and models, plus warnings."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, _RECURSION_LIMIT))
    try:
        return _build_service(document, source_name=source_name, client_name=client_name)
    except RecursionError:
        raise SpecError(
            [Problem(source_name, "/components/schemas", "schemas reference each other too deeply")]
        ) from None
    finally:
        sys.setrecursionlimit(previous)


def _build_service(
    document: dict[str, Any], *, source_name: str, client_name: str | None
) -> tuple[Service, list[Problem]]:
    problems: list[Problem] = []
    _check_version(document, source_name)
    info = document.get("info") if isinstance(document.get("info"), Mapping) else {}
    assert isinstance(info, Mapping)
    title = _string(info.get("title")) or "API"
    override = client_name or _string(document.get("x-client-name"))
    class_name = naming.client_class_name(title, override)

    converter = SchemaConverter(
        document,
        source_name=source_name,
        problems=problems,
        # the package exports both clients: no model may take either name
        reserved_names=frozenset({class_name, naming.sync_client_class_name(class_name)}),
    )
    converter.convert_components()
    operations = _build_operations(document, converter, source_name, problems)
    operations = with_pagination(
        operations, converter.models(), document, deref=converter.deref, source=source_name
    )

    health = [op.name for op in operations if _is_health(document, op)]
    if len(health) > 1:
        problems.append(
            Problem(
                source_name,
                "",
                f"several operations have x-health: true; using {health[0]}",
                "warning",
            )
        )
    if isinstance(document.get("webhooks"), Mapping) and document["webhooks"]:
        problems.append(
            Problem(source_name, "/webhooks", "webhooks are not generated (skipped)", "warning")
        )
    base_url = _default_base_url(document, source_name, problems)
    schemes, requirements = build_security(
        document,
        deref=converter.deref,
        source=source_name,
        problems=problems,
        server_url=base_url,
        taken=[op.name for op in operations],
    )
    service = Service(
        title=title,
        class_name=class_name,
        version=_text(info.get("version")),
        description=_string(info.get("description")),
        default_base_url=base_url,
        operations=tuple(operations),
        models=used_models(converter.models(), operations, converter.flattened_models()),
        health_operation=health[0] if health else None,
        security_schemes=schemes,
        security_requirements=requirements,
        info_title=" ".join(str(info["title"]).split()) if info.get("title") else None,
    )
    return service, problems


def _check_version(document: Mapping[str, Any], source: str) -> None:
    version = document.get("openapi")
    if not isinstance(version, str) or not re.match(r"3\.[0-9]+", version):
        found = version if isinstance(version, str) else document.get("swagger")
        raise SpecError(
            [Problem(source, "/openapi", f"not an OpenAPI 3.x document (found {found!r})")]
        )


def _build_operations(
    document: Mapping[str, Any],
    converter: SchemaConverter,
    source: str,
    problems: list[Problem],
) -> list[Operation]:
    paths = document.get("paths")
    if paths is None:
        return []
    if not isinstance(paths, Mapping):
        raise SpecError([Problem(source, "/paths", "paths must be an object")])
    found: list[tuple[str, str, str, Mapping[str, Any], Mapping[str, Any]]] = []
    for path, raw_item in paths.items():
        item, _ = converter.deref(raw_item, json_pointer("paths", str(path)))
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, Mapping):
                found.append((f"{method.upper()} {path}", method, str(path), item, op))
    names = naming.method_names(
        [(key, _string(op.get("operationId")), method, path) for key, method, path, _, op in found]
    )
    builder = OperationBuilder(document, converter, source, problems)
    operations = [
        builder.build(names[key], method, path, item, op) for key, method, path, item, op in found
    ]
    return _with_stream_methods(operations)


def _with_stream_methods(operations: list[Operation]) -> list[Operation]:
    """Name the ``<name>_stream`` twin of every binary download and the ``<name>_events``
    twin of every event stream, in operation order."""
    taken = {op.name for op in operations}
    named = []
    for op in operations:
        if any(r.success and r.kind == "bytes" for r in op.responses):
            op = replace(op, stream_name=naming.stream_method_name(op.name, taken))
        if op.events is not None:
            method = naming.stream_method_name(op.name, taken, "_events")
            op = replace(op, events=replace(op.events, method=method))
        named.append(op)
    return named


def _is_health(document: Mapping[str, Any], op: Operation) -> bool:
    paths = document.get("paths")
    assert isinstance(paths, Mapping)
    item = paths.get(op.path)
    raw = item.get(op.method.lower()) if isinstance(item, Mapping) else None
    return isinstance(raw, Mapping) and raw.get("x-health") is True


def _default_base_url(
    document: Mapping[str, Any], source: str, problems: list[Problem]
) -> str | None:
    servers = document.get("servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], Mapping):
        return None
    url = servers[0].get("url")
    if not isinstance(url, str):
        return None
    variables = servers[0].get("variables")
    variables = variables if isinstance(variables, Mapping) else {}

    def substitute(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1))
        if isinstance(variable, Mapping) and "default" in variable:
            return str(variable["default"])
        problems.append(
            Problem(
                source,
                "/servers/0",
                f"server variable {match.group(1)!r} has no default",
                "warning",
            )
        )
        return match.group(0)

    return re.sub(r"\{([^{}]+)\}", substitute, url)


def _text(value: Any) -> str:
    """A scalar as text (``version: 1.2`` in JSON is a number), stripped; "" otherwise."""
    return str(value).strip() if isinstance(value, str | int | float) else ""


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
