"""One OpenAPI operation to one IR ``Operation``: arguments, body, responses, policy."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, cast

from generator.errors import Problem, json_pointer
from generator.ir import naming
from generator.ir.bodies import build_body, is_json_media
from generator.ir.events import event_stream
from generator.ir.nodes import (
    ANY,
    BYTES,
    NONE,
    STR,
    EnvelopeConfig,
    Location,
    Operation,
    Parameter,
    Policy,
    Response,
    ResponseKind,
    Style,
    TypeRef,
    union,
)
from generator.ir.schemas.converter import SchemaConverter

_LOCATIONS: tuple[Location, ...] = ("path", "query", "header", "cookie")
#: OpenAPI says these header parameters are ignored (the body and auth set them).
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_STYLES = frozenset(
    {"form", "simple", "label", "matrix", "spaceDelimited", "pipeDelimited", "deepObject"}
)
_POLICY_FIELDS: dict[tuple[str, ...], tuple[str, type | tuple[type, ...]]] = {
    ("retry", "max_attempts"): ("max_attempts", int),
    ("retry", "backoff_base"): ("backoff_base", (int, float)),
    ("retry", "backoff_cap"): ("backoff_cap", (int, float)),
    ("timeout",): ("timeout", (int, float)),
    ("deadline",): ("deadline", (int, float)),
    ("idempotent",): ("idempotent", bool),
    ("cache", "ttl"): ("cache_ttl", (int, float)),
    ("cache", "max_entries"): ("cache_max_entries", int),
}


class OperationBuilder:
    def __init__(
        self,
        document: Mapping[str, Any],
        converter: SchemaConverter,
        source: str,
        problems: list[Problem],
    ) -> None:
        self._doc = document
        self._conv = converter
        self._source = source
        self._problems = problems

    def _warn(self, pointer: str, message: str) -> None:
        self._problems.append(Problem(self._source, pointer, message, "warning"))

    def build(
        self,
        name: str,
        method: str,
        path: str,
        item: Mapping[str, Any],
        op: Mapping[str, Any],
    ) -> Operation:
        pointer = json_pointer("paths", path, method)
        hint = naming.pascal_case(name, prefix="Op")
        raw_params = self._merged_parameters(item, op, pointer)
        params = self._parameters(raw_params, path, hint, pointer)
        taken = {p.name for p in params}
        body = build_body(op.get("requestBody"), self._conv, hint, f"{pointer}/requestBody", taken)
        if isinstance(op.get("callbacks"), Mapping) and op["callbacks"]:
            self._warn(f"{pointer}/callbacks", "callbacks are not generated (skipped)")
        envelope = self._envelope(op)
        responses, return_type = self._responses(op, hint, pointer, envelope)
        security = op.get("security")
        return Operation(
            name=name,
            operation_id=op.get("operationId") if isinstance(op.get("operationId"), str) else None,
            method=method.upper(),
            path=path,
            summary=_text(op.get("summary")),
            description=_text(op.get("description")),
            parameters=params,
            body=body,
            responses=responses,
            return_type=return_type,
            policy=self._policy(item, op, pointer),
            envelope=envelope,
            authenticated=not (isinstance(security, list) and not security),
            deprecated=op.get("deprecated") is True,
            events=event_stream(op.get("responses"), self._conv, hint, pointer),
        )

    # -- parameters ----------------------------------------------------------------

    def _merged_parameters(
        self, item: Mapping[str, Any], op: Mapping[str, Any], pointer: str
    ) -> list[tuple[Mapping[str, Any], str]]:
        merged: dict[tuple[str, str], tuple[Mapping[str, Any], str]] = {}
        for level, owner in (("item", item), ("op", op)):
            raw = owner.get("parameters")
            if not isinstance(raw, list):
                continue
            base = pointer.rsplit("/", 1)[0] if level == "item" else pointer
            for index, entry in enumerate(raw):
                param, param_pointer = self._conv.deref(entry, f"{base}/parameters/{index}")
                if not isinstance(param, Mapping) or not isinstance(param.get("name"), str):
                    self._warn(param_pointer, "parameter without a name (skipped)")
                    continue
                location = param.get("in")
                if location not in _LOCATIONS:
                    self._warn(param_pointer, f"parameter location {location!r} (skipped)")
                    continue
                if location == "header" and param["name"].lower() in _IGNORED_HEADERS:
                    continue
                merged[(param["name"], location)] = (param, param_pointer)
        return list(merged.values())

    def _parameters(
        self,
        raw: list[tuple[Mapping[str, Any], str]],
        path: str,
        hint: str,
        pointer: str,
    ) -> tuple[Parameter, ...]:
        template_names = list(dict.fromkeys(re.findall(r"\{([^{}]+)\}", path)))
        by_path_name = {p["name"]: (p, ptr) for p, ptr in raw if p["in"] == "path"}
        ordered: list[tuple[Mapping[str, Any], str]] = []
        for wire in template_names:
            if wire in by_path_name:
                ordered.append(by_path_name[wire])
            else:
                self._warn(pointer, f"path parameter {wire!r} is not declared; typed as str")
                ordered.append(
                    ({"name": wire, "in": "path", "schema": {"type": "string"}}, pointer)
                )
        for wire, (_, ptr) in by_path_name.items():
            if wire not in template_names:
                self._warn(ptr, f"path parameter {wire!r} is not in the path (skipped)")
        ordered += [(p, ptr) for p, ptr in raw if p["in"] != "path"]
        order = {location: index for index, location in enumerate(_LOCATIONS)}
        names = naming.assign_unique(
            [
                (f"{order[p['in']]}:{index:04d}", naming.snake_identifier(p["name"], prefix="arg"))
                for index, (p, _) in enumerate(ordered)
            ],
            reserved=naming.RESERVED_ARGUMENT_NAMES,
        )
        result = [
            self._parameter(p, ptr, names[f"{order[p['in']]}:{index:04d}"], hint)
            for index, (p, ptr) in enumerate(ordered)
        ]
        # path params stay first (positional); then required before optional
        path_params = [p for p in result if p.location == "path"]
        rest = [p for p in result if p.location != "path"]
        rest.sort(key=lambda p: not (p.required and p.default is None))
        return tuple(path_params + rest)

    def _parameter(self, param: Mapping[str, Any], pointer: str, name: str, hint: str) -> Parameter:
        location: Location = param["in"]
        schema: Any = param.get("schema")
        schema_pointer = f"{pointer}/schema"
        content = param.get("content")
        if schema is None and isinstance(content, Mapping) and content:
            media = next(iter(content))
            entry = content[media]
            schema = entry.get("schema") if isinstance(entry, Mapping) else None
            schema_pointer = json_pointer(*_parts(pointer), "content", str(media), "schema")
        type_hint = hint + naming.pascal_case(param["name"], prefix="Param")
        type_ = (
            self._conv.type_of(schema, hint=type_hint, pointer=schema_pointer)
            if schema is not None
            else STR
        )
        required = location == "path" or param.get("required") is True
        default = self._conv.default_for(self._conv.view(schema, schema_pointer), type_)
        return Parameter(
            name=name,
            wire_name=param["name"],
            location=location,
            type=type_,
            required=required,
            default=None if location == "path" else default,
            description=_text(param.get("description")),
            deprecated=param.get("deprecated") is True,
            style=self._style(param, location, pointer),
        )

    def _style(self, param: Mapping[str, Any], location: Location, pointer: str) -> Style | None:
        default_style = "form" if location in ("query", "cookie") else "simple"
        style = param.get("style", default_style)
        if style not in _STYLES:
            self._warn(pointer, f"unknown parameter style {style!r}; using {default_style!r}")
            style = default_style
        explode = param.get("explode", style == "form")
        if not isinstance(explode, bool):
            explode = style == "form"
        if style == default_style and explode == (default_style == "form"):
            return None
        return Style(style, explode)

    # -- responses -----------------------------------------------------------------

    def _envelope(self, op: Mapping[str, Any]) -> EnvelopeConfig | None:
        root = self._doc.get("x-envelope")
        if not isinstance(root, Mapping) or op.get("x-envelope") is False:
            return None
        values: dict[str, Any] = {}
        for key in ("status_field", "data_field", "error_field", "message_field"):
            if isinstance(root.get(key), str):
                values[key] = root[key]
        success = root.get("success")
        if isinstance(success, list) and all(isinstance(s, str) for s in success):
            values["success"] = tuple(success)
        return EnvelopeConfig(**values)

    def _responses(
        self,
        op: Mapping[str, Any],
        hint: str,
        pointer: str,
        envelope: EnvelopeConfig | None,
    ) -> tuple[tuple[Response, ...], TypeRef]:
        raw = op.get("responses")
        raw = raw if isinstance(raw, Mapping) else {}
        statuses = [_status(key) for key in raw]
        explicit_success = any(_is_success(status) for status in statuses)
        responses: list[Response] = []
        success_types: list[TypeRef] = []
        for key, status in zip(raw, statuses, strict=True):
            response_pointer = json_pointer(*_parts(pointer), "responses", str(key))
            is_success = _is_success(status) or (status == "default" and not explicit_success)
            response_hint = hint + ("Response" if is_success else f"Error{status.title()}")
            kind, type_ = self._response(raw[key], response_pointer, response_hint)
            if is_success and envelope is not None and kind == "json" and type_ is not None:
                type_ = self._envelope_data(raw[key], response_pointer, hint, envelope)
            responses.append(Response(status, kind, type_, success=is_success))
            if is_success:
                success_types.append(_returned(kind, type_))
        return tuple(responses), union(success_types) if success_types else ANY

    def _response(self, raw: Any, pointer: str, hint: str) -> tuple[ResponseKind, TypeRef | None]:
        response, pointer = self._conv.deref(raw, pointer)
        content = response.get("content") if isinstance(response, Mapping) else None
        if not isinstance(content, Mapping) or not content:
            return "empty", None
        media_types = [str(m) for m in content]
        json_media = [m for m in media_types if is_json_media(m)]
        if json_media:
            entry = content[json_media[0]]
            schema = entry.get("schema") if isinstance(entry, Mapping) else None
            if schema is None or schema == {}:
                return "json", None
            schema_pointer = json_pointer(*_parts(pointer), "content", json_media[0], "schema")
            return "json", self._conv.type_of(schema, hint=hint, pointer=schema_pointer)
        if any(m.lower().startswith("text/") for m in media_types):
            return "text", STR
        return "bytes", BYTES

    def _envelope_data(
        self, raw: Any, pointer: str, hint: str, envelope: EnvelopeConfig
    ) -> TypeRef:
        response, pointer = self._conv.deref(raw, pointer)
        content = response.get("content", {}) if isinstance(response, Mapping) else {}
        media = next((str(m) for m in content if is_json_media(str(m))), None)
        entry = content.get(media) if media is not None else None
        schema = entry.get("schema") if isinstance(entry, Mapping) else None
        schema_pointer = json_pointer(*_parts(pointer), "content", str(media), "schema")
        collected = self._conv.object_properties(schema, schema_pointer)
        if collected is None or envelope.data_field not in collected[0]:
            self._warn(pointer, f"envelope response has no {envelope.data_field!r}; typed as Any")
            return ANY
        data_schema, data_pointer = collected[0][envelope.data_field]
        return self._conv.type_of(data_schema, hint=f"{hint}Data", pointer=data_pointer)

    # -- x-resilience --------------------------------------------------------------

    def _policy(self, item: Mapping[str, Any], op: Mapping[str, Any], pointer: str) -> Policy:
        values: dict[str, Any] = {}
        for owner in (self._doc, item, op):
            raw = owner.get("x-resilience")
            if raw is None:
                continue
            if not isinstance(raw, Mapping):
                self._warn(pointer, "x-resilience must be an object (ignored)")
                continue
            for path, (field, expected) in _POLICY_FIELDS.items():
                value: Any = raw
                for part in path:
                    value = value.get(part) if isinstance(value, Mapping) else None
                if value is None:
                    continue
                original = value
                if isinstance(value, bool) and expected is not bool:
                    value = None
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    # NaN, infinities and negative numbers mean nothing as timeouts or counts
                    value = value if math.isfinite(value) and value >= 0 else None
                if isinstance(value, expected):
                    values[field] = float(cast(float, value)) if expected == (int, float) else value
                else:
                    self._warn(pointer, f"x-resilience {'.'.join(path)}={original!r} (ignored)")
        return Policy(**values)


def _returned(kind: ResponseKind, type_: TypeRef | None) -> TypeRef:
    if kind == "empty":
        return NONE
    return type_ if type_ is not None else ANY


def _status(key: Any) -> str:
    text = str(key).strip()
    return text.upper() if re.fullmatch(r"[1-5][xX]{2}", text) else text


def _is_success(status: str) -> bool:
    return bool(re.fullmatch(r"[123][0-9X]{2}", status))


def _parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
