"""Turning Python values into path segments, query pairs, headers and bodies.

Styles follow OpenAPI 3 ``style``/``explode``; the generator only records the
non-default ones in ``Operation.param_styles``.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pydantic

from ._operation import NOT_GIVEN, ParamStyle

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")

_QUERY_DEFAULT = ParamStyle("form", True)
_SIMPLE_DEFAULT = ParamStyle("simple", False)


def scalar_text(value: Any) -> str:
    """The wire text of one scalar (bool lower-case, enums by value, ISO dates)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return scalar_text(value.value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, bytes):
        return value.decode()
    return str(value)


def _structured(value: Any) -> Any:
    # Models become plain dicts so that styles can spread their fields.
    if isinstance(value, pydantic.BaseModel):
        # Neither null nor an unset default can be said in a query string or a form.
        return value.model_dump(by_alias=True, exclude_unset=True, exclude_none=True, mode="json")
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return value


def _pairs_of(value: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(k), scalar_text(v)) for k, v in value.items() if v is not None and v is not NOT_GIVEN
    ]


def omitted(value: Any) -> bool:
    """A parameter value that puts nothing on the wire: not given, or None where the
    location (query, header, cookie, form field) has no way to say null."""
    return value is None or value is NOT_GIVEN


def query_pairs(name: str, value: Any, style: ParamStyle | None) -> list[tuple[str, str]]:
    """Query (or cookie) pairs for one parameter."""
    style = style or _QUERY_DEFAULT
    value = _structured(value)
    if isinstance(value, list):
        items = [scalar_text(v) for v in value if v is not None]
        if style.style == "form" and style.explode:
            return [(name, item) for item in items]
        separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style.style, ",")
        return [(name, separator.join(items))]
    if isinstance(value, Mapping):
        pairs = _pairs_of(value)
        if style.style == "deepObject":
            return [(f"{name}[{k}]", v) for k, v in pairs]
        if style.explode:
            return pairs
        return [(name, ",".join(part for pair in pairs for part in pair))]
    return [(name, scalar_text(value))]


def simple_text(value: Any, style: ParamStyle | None = None) -> str:
    """A header value (``simple`` style) for one parameter."""
    style = style or _SIMPLE_DEFAULT
    value = _structured(value)
    if isinstance(value, list):
        return ",".join(scalar_text(v) for v in value)
    if isinstance(value, Mapping):
        pairs = _pairs_of(value)
        if style.explode:
            return ",".join(f"{k}={v}" for k, v in pairs)
        return ",".join(part for pair in pairs for part in pair)
    return scalar_text(value)


def _path_segment(name: str, value: Any, style: ParamStyle | None) -> str:
    if style is None:
        # the common case (a plain id in the default style) without the general machinery
        kind = type(value)
        if kind is str:
            return quote(value, safe="")
        if kind is int:
            return str(value)
    style = style or _SIMPLE_DEFAULT
    value = _structured(value)

    def enc(text: str) -> str:
        # safe="" so a "/" inside a value can never change which route is hit.
        return quote(text, safe="")

    if isinstance(value, list):
        items = [enc(scalar_text(v)) for v in value]
    elif isinstance(value, Mapping):
        pairs = [(enc(k), enc(v)) for k, v in _pairs_of(value)]
        if style.explode and style.style != "matrix":
            items = [f"{k}={v}" for k, v in pairs]
        elif style.explode:
            return "".join(f";{k}={v}" for k, v in pairs)
        else:
            items = [part for pair in pairs for part in pair]
    else:
        items = [enc(scalar_text(value))]
    if style.style == "label":
        return "." + ("." if style.explode else ",").join(items)
    if style.style == "matrix":
        if style.explode and isinstance(value, list):
            return "".join(f";{name}={item}" for item in items)
        return f";{name}=" + ",".join(items)
    return ",".join(items)


class PathTemplate:
    """A path template split once into literals and parameter names."""

    __slots__ = ("head", "literal", "names", "parts", "tail", "template")

    def __init__(self, template: str) -> None:
        self.template = template
        self.parts: list[tuple[str, str | None]] = []
        position = 0
        for match in _PATH_PARAM.finditer(template):
            self.parts.append((template[position : match.start()], match.group(1)))
            position = match.end()
        self.parts.append((template[position:], None))
        self.names = tuple(name for _, name in self.parts if name is not None)
        #: the whole path when the template has no parameters (the common fast case)
        self.literal: str | None = template if not self.names else None
        #: the text before the first parameter, then each parameter with the text after it
        self.head = self.parts[0][0]
        self.tail = tuple(
            (name, self.parts[i + 1][0]) for i, (_, name) in enumerate(self.parts) if name
        )

    def format(self, values: Mapping[str, Any] | None, styles: Mapping[str, ParamStyle]) -> str:
        if self.literal is not None:
            return self.literal
        if values is None:
            values = {}
        path = self.head
        for name, after in self.tail:
            value = values.get(name)
            if value is None:
                raise ValueError(f"path parameter {name!r} is required for {self.template}")
            path += _path_segment(name, value, styles.get(name)) + after
        return path


#: Serialises any value the way pydantic dumps a model, with its flags reaching every
#: model nested anywhere in the value.
_ANY = pydantic.TypeAdapter(Any)


def json_bytes(value: Any) -> bytes:
    """JSON for a request body: only what the caller set.

    A dict body (the generated methods' flattened fields) drops its ``NOT_GIVEN``
    entries; pydantic models anywhere in the value are dumped by alias with
    ``exclude_unset`` semantics (a field left at its default is not sent, one set to
    None is sent as ``null``); ``None`` elsewhere is ``null``.
    """
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if v is not NOT_GIVEN}
    return _ANY.dump_json(value, by_alias=True, exclude_unset=True)


def form_fields(data: Mapping[str, Any]) -> dict[str, str | list[str]]:
    fields: dict[str, str | list[str]] = {}
    for key, value in data.items():
        if omitted(value):
            continue
        value = _structured(value)
        if isinstance(value, list):
            fields[key] = [scalar_text(v) for v in value]
        elif isinstance(value, Mapping):
            fields[key] = json_bytes(value).decode()
        else:
            fields[key] = scalar_text(value)
    return fields


#: one multipart part as httpx takes it: (field name, (filename or None, content, ...))
MultipartPart = tuple[str, Any]


def multipart_parts(
    data: Mapping[str, Any] | None, files: Mapping[str, Any] | None
) -> list[MultipartPart]:
    """Form fields and files as an ordered list of parts.

    A list under one file field is several parts with the same name (OpenAPI's array of
    binary); a tuple stays one file (filename, content[, content type]). Form fields are
    parts without a filename, so an operation declared multipart is sent as multipart
    even when the caller passed no file.
    """
    parts: list[MultipartPart] = []
    for name, value in form_fields(data or {}).items():
        for text in value if isinstance(value, list) else [value]:
            parts.append((name, (None, text.encode())))
    for name, value in (files or {}).items():
        if omitted(value):
            continue
        for item in value if isinstance(value, list) else [value]:
            parts.append((name, item))
    return parts
