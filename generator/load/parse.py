"""Stage 1: read a spec file from disk into plain JSON-like data.

A spec is untrusted input. Parsing is safe (no object construction) and bounded (file
size, nesting depth, alias expansion). JSON is parsed here; anything else is YAML, parsed
by ``parse_yaml`` with the YAML 1.1 quirks real documents rely on kept, which a JSON
document never imports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.errors import Problem, SpecError
from generator.load.limits import MAX_DEPTH, MAX_FLOW_PRESCAN

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_FLOW_PRESCAN", "parse_bytes", "read_limited"]

MAX_FILE_BYTES = 64 * 1024 * 1024


def read_limited(path: Path, display: str) -> bytes:
    """Read a regular file of bounded size, or raise SpecError naming it."""
    try:
        if not path.is_file():
            what = "does not exist" if not path.exists() else "is not a regular file"
            raise SpecError([Problem(display, "", f"file {what}")])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            raise SpecError(
                [Problem(display, "", f"file is {size} bytes, over the {limit} MiB limit")]
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SpecError(
            [Problem(display, "", f"cannot read file: {exc.strerror or exc}")]
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise SpecError([Problem(display, "", "file grew past the size limit while reading")])
    return data


def parse_bytes(data: bytes, display: str) -> tuple[Any, list[Problem]]:
    """Parse JSON or YAML (chosen by content) into plain data plus warnings."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(
            [Problem(display, "", f"not UTF-8 text (byte offset {exc.start})")]
        ) from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            value = json.loads(text)
        except RecursionError:
            raise SpecError(
                [Problem(display, "", f"nesting deeper than {MAX_DEPTH} levels")]
            ) from None
        except json.JSONDecodeError:
            pass  # JSON-looking YAML (flow style, comments) is still YAML.
        else:
            _check_depth(value, display)
            return value, []
    # why: a JSON document never needs the YAML parser (10 ms of imports on a cold run)
    from generator.load.parse_yaml import parse_yaml

    return parse_yaml(text, display)


def _check_depth(value: Any, display: str) -> None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SpecError([Problem(display, "", f"nesting deeper than {MAX_DEPTH} levels")])
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
