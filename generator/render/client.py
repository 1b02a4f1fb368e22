"""Source text for ``_client.py``: one ``Operation`` constant and one method per operation.

The method bodies follow docs/CONTRACT.md exactly: arguments are gathered into the
``path_params``/``query``/``headers``/``cookies`` dicts keyed by wire name, bodies into
``json=``/``data=``/``files=``/``content=``, and everything goes to ``self._request``.
An operation whose success body is binary also gets ``<name>_stream`` (same arguments,
to ``self._stream``), so a large download need not be held in memory whole.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

from generator.ir.naming import private_name
from generator.ir.nodes import (
    Body,
    BodyField,
    Default,
    EnvelopeConfig,
    Operation,
    Policy,
    Response,
    Service,
    TypeRef,
)
from generator.render.events import events_options, events_view, plain_events
from generator.render.pagination import iter_view
from generator.render.security import security_view
from generator.render.source import (
    IMPORTS,
    annotation,
    docstring_block,
    names_used,
    py_literal,
)

#: correlation_id, timeout, max_attempts, idempotency_key and extra_headers: one typed
#: ``**call_options`` (resilient_client.CallOptions) instead of five parameters a method,
#: which made a fifth of a big client's source and of its import time
_OPTIONS_PARAMETER = "**call_options: Unpack[CallOptions]"
_OPTIONS_ARGUMENT = "**call_options"
#: resilient_client.testing.MockClient's members, which an operation's mock must not hide
_MOCK_CLIENT_MEMBERS = frozenset({"base_url", "router", "default_base_url"})
_LOCATION_KWARG = {
    "path": "path_params",
    "query": "query",
    "header": "headers",
    "cookie": "cookies",
}
_POLICY_FIELDS = (
    "max_attempts",
    "backoff_base",
    "backoff_cap",
    "timeout",
    "deadline",
    "idempotent",
    "cache_ttl",
    "cache_max_entries",
)


def _type(type_: TypeRef, *, tagged: bool = False) -> str:
    return annotation(type_, models_prefix="models.", tagged=tagged)


def _alias(runtime_name: str, defined: str) -> str:
    """How a module that defines ``defined`` refers to the runtime's ``runtime_name``."""
    return f"_{runtime_name}" if runtime_name == defined else runtime_name


def _aliased(runtime_name: str, defined: str) -> str:
    """The import of ``runtime_name`` in a module that defines ``defined``."""
    alias = _alias(runtime_name, defined)
    return runtime_name if alias == runtime_name else f"{runtime_name} as {alias}"


def client_view(service: Service) -> dict[str, Any]:
    types: list[TypeRef] = []
    runtime_names = {"BaseServiceClient", "CallOptions", "Operation", "ResponseSpec"}
    operations = []
    shared = _shared_responses(service.operations)
    for op in service.operations:
        types.append(op.return_type)
        types.extend(p.type for p in op.parameters)
        if op.body is not None:
            types.extend(f.type for f in op.body.fields)
        types.extend(r.type for r in op.responses if r.type is not None)
        view = _operation_view(op, shared)
        view["stream"] = _stream_view(op, view)
        if view["stream"] is not None:
            runtime_names.add("StreamContext")
        view["iter"] = iter_view(op, view, functools.partial(_docstring, op))
        if view["iter"] is not None:
            runtime_names |= {"AsyncPaginator", "Pagination"}
        view["events"] = events_view(op, view, functools.partial(_docstring, op))
        plain_events(op, view, functools.partial(_docstring, op))
        if op.events is not None:
            runtime_names.add("EventStream")
            types.append(op.events.data_type)
        if _has_optional_argument(op):
            runtime_names |= {"NOT_GIVEN", "NotGiven"}
        runtime_names.update(view.pop("runtime_names"))
        operations.append(view)
    security = security_view(service)
    runtime_names |= security["runtime_names"]
    used = names_used(types)
    typing_names = sorted({"Any", "ClassVar"} | (used & {"Annotated", "IO", "Literal"}))
    health = next((o["const"] for o in operations if o["name"] == service.health_operation), None)
    return {
        "class_name": service.class_name,
        "docstring": docstring_block(
            "\n\n".join(
                p for p in (f"Async client for {service.title}.", service.description) if p
            ),
            indent=4,
        ),
        "service_name": py_literal(service.title),
        "default_base_url": py_literal(service.default_base_url),
        "health_operation": health or "None",
        "stdlib_imports": sorted(IMPORTS[n] for n in used if n in IMPORTS),
        "typing_import": ", ".join(typing_names),
        # `--client-name BaseServiceClient` (or such a title) names the class after the
        # runtime class it subclasses, and testing.py's Mock<Name> after MockClient: the
        # runtime class is imported under an alias there, as the user's name is the API
        "runtime_import": ", ".join(
            _aliased(name, service.class_name) for name in sorted(runtime_names)
        ),
        "base_ref": _alias("BaseServiceClient", service.class_name),
        "mock_import": _aliased("MockClient", f"Mock{service.class_name}"),
        "mock_ref": _alias("MockClient", f"Mock{service.class_name}"),
        "has_models": bool(service.models),
        "uses_field": "Field" in used,
        "operations": operations,
        "shared_responses": [(name, source) for source, name in shared.items()],
        "abc_import": ", ".join(sorted({"Mapping"} | security["abc_names"])),
        "security_lines": security["lines"],
        "plain_event_streams": any(
            op.events is not None and op.events.only for op in service.operations
        ),
    }


def _operation_view(op: Operation, shared: dict[str, str]) -> dict[str, Any]:
    const = "_OP_" + op.name.upper()
    runtime_names: set[str] = set()
    responses = [
        f"{py_literal(r.status)}: {shared.get(_response_spec(r), _response_spec(r))}"
        for r in op.responses
    ]
    # name, method and path positionally: they are the first three fields in the
    # contract, and the shorter constant usually fits on one line after black.
    options = [
        py_literal(op.name),
        py_literal(op.method),
        py_literal(op.path),
        "responses={" + ", ".join(responses) + "}",
    ]
    policy = _policy(op.policy)
    if policy:
        options.append(f"policy=SpecPolicy({policy})")
        runtime_names.add("SpecPolicy")
    if op.envelope is not None:
        options.append(f"envelope=Envelope({_envelope(op.envelope)})")
        runtime_names.add("Envelope")
    styles = [
        f"{py_literal(p.wire_name)}: ParamStyle({py_literal(p.style.style)}, " f"{p.style.explode})"
        for p in op.parameters
        if p.style is not None
    ]
    if styles:
        options.append("param_styles={" + ", ".join(styles) + "}")
        runtime_names.add("ParamStyle")
    if not op.authenticated:
        options.append("authenticated=False")
    if op.body is not None:
        options.append(f"request_content_type={py_literal(op.body.media_type)}")
    options += events_options(op)

    statements, request_args = _request_arguments(op)
    return {
        "name": op.name,
        # the attribute of Mock<Name>Client (testing.py): MockClient's own names are taken
        "mock_name": op.name + "_" if op.name in _MOCK_CLIENT_MEMBERS else op.name,
        "const": const,
        "return_type": _type(op.return_type),
        "operation_options": options,
        "signature": _signature(op),
        "docstring": _docstring(op),
        "statements": statements,
        "request_args": request_args,
        "runtime_names": runtime_names,
    }


def _stream_view(op: Operation, view: dict[str, Any]) -> dict[str, Any] | None:
    """The ``<name>_stream`` twin of a binary download, or None for other operations.

    Same arguments minus ``use_cache``: the runtime never caches a stream.
    """
    name = op.stream_name
    if name is None:
        return None
    usage = "\n".join(
        [
            "Streams the body instead of holding it in memory whole::",
            "",
            f"    async with client.{name}(...) as response:",
            "        async for chunk in response.iter_bytes(): ...",
            "        # or: written = await response.save_to(path)",
            "",
            "Retries happen only before the body starts; a body that breaks off raises",
            "StreamInterruptedError. Leaving the block closes the connection.",
        ]
    )
    return {
        "name": name,
        "signature": _options_last(
            [a for a in view["signature"][:-1] if not a.startswith("use_cache:")]
        ),
        "docstring": _docstring(op, usage),
        "request_args": [a for a in view["request_args"] if a != "use_cache=use_cache"],
    }


def _response_spec(response: Response) -> str:
    """Source of one ``ResponseSpec``; a model type is named lazily (see CONTRACT.md)."""
    kind = py_literal(response.kind)
    if response.type is None:
        return f"ResponseSpec({kind})"
    type_text = _type(response.type, tagged=True)
    if "models." not in type_text:
        return f"ResponseSpec({kind}, {type_text})"
    return f"ResponseSpec({kind}, lazy=lambda: {type_text})"


def _constant_name(source: str, taken: set[str]) -> str:
    """``ResponseSpec("json", lazy=lambda: models.BasicError)`` -> ``_JSON_BASIC_ERROR``."""
    words = re.sub(r"ResponseSpec|lazy=lambda|models\.", " ", source)
    return private_name(words, taken, fallback="RESPONSE", upper=True)


def _shared_responses(operations: tuple[Operation, ...]) -> dict[str, str]:
    """Source of each ``ResponseSpec`` used by several operations -> its constant's name.

    GitHub repeats ``404: BasicError`` 628 times; one module-level constant each saves
    lines, and a lazy type shared this way is resolved once for all its operations.
    """
    counts = Counter(_response_spec(r) for op in operations for r in op.responses)
    taken: set[str] = set()  # every name starts with the kind, never with _OP_
    return {
        source: _constant_name(source, taken) for source in sorted(counts) if counts[source] > 1
    }


def _policy(policy: Policy) -> str:
    values = [(name, getattr(policy, name)) for name in _POLICY_FIELDS]
    return ", ".join(f"{name}={py_literal(v)}" for name, v in values if v is not None)


def _envelope(envelope: EnvelopeConfig) -> str:
    default = EnvelopeConfig()
    parts = []
    for name in ("status_field", "data_field", "error_field", "message_field", "success"):
        value = getattr(envelope, name)
        if value != getattr(default, name):
            parts.append(f"{name}={py_literal(value)}")
    return ", ".join(parts)


def _argument(name: str, type_: TypeRef, required: bool) -> tuple[str, bool]:
    """``(source, has_default)`` for one signature entry.

    An optional argument defaults to ``NOT_GIVEN``, never to the spec's default nor to
    None: what the caller does not name is not sent (the server applies its own
    default, and a partial update leaves other fields alone), and ``None`` is accepted
    only where the schema is nullable, where it is sent as ``null``.
    """
    text = _type(type_)
    if required:
        return f"{name}: {text}", False
    return f"{name}: {text} | NotGiven = NOT_GIVEN", True


def _has_optional_argument(op: Operation) -> bool:
    fields = op.body.fields if op.body is not None else ()
    return any(not p.required for p in op.parameters) or any(not f.required for f in fields)


def _signature(op: Operation) -> list[str]:
    lines = ["self"]
    for param in op.path_parameters:
        lines.append(_argument(param.name, param.type, True)[0])
    lines.append("*")
    keyword: list[tuple[str, bool]] = [
        _argument(p.name, p.type, p.required) for p in op.parameters if p.location != "path"
    ]
    if op.body is not None:
        keyword += [_argument(f.name, f.type, f.required) for f in op.body.fields]
    keyword.sort(key=lambda entry: entry[1])  # stable: required first, order kept
    lines += [text for text, _ in keyword]
    if op.policy.cacheable:
        lines.append("use_cache: bool = True")
    return _options_last(lines)


def _options_last(lines: list[str]) -> list[str]:
    """Append ``**call_options``; a bare ``*`` with no keyword-only parameter after it goes."""
    if lines[-1] == "*":
        lines = lines[:-1]
    return [*lines, _OPTIONS_PARAMETER]


def _request_arguments(op: Operation) -> tuple[list[str], list[str]]:
    statements: list[str] = []
    args = [op.name and f"_OP_{op.name.upper()}"]
    for location, kwarg in _LOCATION_KWARG.items():
        params = [p for p in op.parameters if p.location == location]
        if params:
            items = ", ".join(f"{py_literal(p.wire_name)}: {p.name}" for p in params)
            args.append(f"{kwarg}={{{items}}}")
    body = op.body
    if body is not None:
        statements, body_args = _body_arguments(body)
        args += body_args
    if op.policy.cacheable:
        args.append("use_cache=use_cache")
    args.append(_OPTIONS_ARGUMENT)
    return statements, args


def _dict_statements(variable: str, fields: list[BodyField]) -> list[str]:
    # Every field goes in; the runtime leaves the NOT_GIVEN ones off the wire.
    items = ", ".join(f"{py_literal(f.wire_name)}: {f.name}" for f in fields)
    return [f"{variable}: dict[str, Any] = {{{items}}}"]


def _body_arguments(body: Body) -> tuple[list[str], list[str]]:
    fields = list(body.fields)
    if body.kind in ("bytes", "text"):
        return [], [f"content={fields[0].name}"]
    if body.kind == "json":
        # an optional body left NOT_GIVEN sends nothing; None (if nullable) sends null
        return [], [f"json={fields[0].name}"]
    if body.kind == "json_fields":
        return _dict_statements("_json", fields), ["json=_json"]
    data = [f for f in fields if not f.is_file]
    files = [f for f in fields if f.is_file]
    statements: list[str] = []
    args: list[str] = []
    if body.single_argument:
        return [], [f"data={fields[0].name}"]
    if data:
        statements += _dict_statements("_data", data)
        args.append("data=_data")
    if files:
        statements += _dict_statements("_files", files)
        args.append("files=_files")
    return statements, args


def _server_default(default: Default | None) -> str:
    # Documented, never sent: the server applies it to what the caller leaves out.
    if default is None:
        return ""
    return f" (server default: {py_literal(default.value)})"  # the wire value, enum or not


def _docstring(op: Operation, usage: str | None = None) -> str:
    parts = [p for p in (op.summary, op.description) if p]
    if parts[1:] and parts[0] == parts[1]:
        parts = parts[:1]
    if op.deprecated:
        parts.append("Deprecated.")
    notes: list[tuple[str, str]] = [
        (
            p.name,
            (p.description or "")
            + (" (deprecated)" if p.deprecated else "")
            + _server_default(p.default),
        )
        for p in op.parameters
    ]
    if op.body is not None:
        notes += [
            (f.name, (f.description or "") + _server_default(f.default)) for f in op.body.fields
        ]
    lines = [f"    {name}: {' '.join(text.split())}" for name, text in notes if text.strip()]
    if lines:
        parts.append("\n".join(["Args:", *lines]))
    if usage is not None:
        parts.append(usage)
    parts.append(f"{op.method} {op.path}")
    return docstring_block("\n\n".join(parts), indent=8)
