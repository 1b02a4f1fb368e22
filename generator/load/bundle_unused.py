"""Part of stage 1 (load): forgive broken references in components nothing needs.

A reference that cannot be resolved (a remote URL, which is never fetched; a missing
file; a pointer to nothing) is fatal when the generated client depends on it. When it
sits in a reusable component (a security scheme, parameter, response, ...) that no
operation, schema or needed component reaches, the client cannot depend on it: that
component is left out with a warning instead. Component schemas always count as needed,
since every one of them becomes a model.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from generator.errors import Problem

_Key = tuple[str, ...]


def _containers(swagger: bool) -> tuple[_Key, ...]:
    if swagger:
        return (("parameters",), ("responses",), ("securityDefinitions",))
    kinds = ("responses", "parameters", "examples", "requestBodies", "headers")
    more = ("securitySchemes", "links", "callbacks", "pathItems")
    return tuple(("components", kind) for kind in (*kinds, *more))


def _component_of(parts: list[str], containers: tuple[_Key, ...]) -> _Key | None:
    for container in containers:
        size = len(container)
        if len(parts) > size and tuple(parts[:size]) == container:
            return (*container, parts[size])
    return None


def _parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def _node(document: Any, key: _Key) -> Any:
    node = document
    for part in key:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _needed(document: dict[str, Any], containers: tuple[_Key, ...], swagger: bool) -> set[_Key]:
    """Components reachable by ``$ref`` (or, for security schemes, by name) from
    everything that is not itself an optional component."""
    scheme_container = ("securityDefinitions",) if swagger else ("components", "securitySchemes")
    tops = {c[0] for c in containers}
    stack: list[Any] = [v for k, v in document.items() if k not in tops]
    if not swagger and isinstance(document.get("components"), dict):
        stack.extend(
            v for k, v in document["components"].items() if ("components", k) not in containers
        )
    needed: set[_Key] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        found: list[_Key] = []
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            key = _component_of(_parts(unquote(ref[1:])), containers)
            if key is not None:
                found.append(key)
        security = node.get("security")
        if isinstance(security, list):
            found.extend(
                (*scheme_container, str(name))
                for requirement in security
                if isinstance(requirement, dict)
                for name in requirement
            )
        for key in found:
            if key not in needed:
                needed.add(key)
                stack.append(_node(document, key))
        stack.extend(node.values())
    return needed


def drop_unneeded(
    document: dict[str, Any], problems: list[Problem], display: str, *, swagger: bool
) -> tuple[list[Problem], list[Problem]]:
    """Split ``problems`` into (still fatal, now warnings), removing from ``document``
    each unneeded component that had a problem."""
    containers = _containers(swagger)
    candidates = [
        (p, _component_of(_parts(p.pointer), containers)) if p.file == display else (p, None)
        for p in problems
    ]
    if all(key is None for _, key in candidates):
        return problems, []
    needed = _needed(document, containers, swagger)
    fatal: list[Problem] = []
    warnings: list[Problem] = []
    for problem, key in candidates:
        if key is None or key in needed:
            fatal.append(problem)
            continue
        where = "/".join(key)
        message = f"{problem.message}; {where} is used by nothing the client needs, so left out"
        warnings.append(Problem(problem.file, problem.pointer, message, severity="warning"))
        container = _node(document, key[:-1])
        if isinstance(container, dict):
            container.pop(key[-1], None)
    return fatal, warnings
