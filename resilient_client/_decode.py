"""Turning response bytes into typed results or typed errors."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._exceptions import (
    EnvelopeError,
    HTTPStatusError,
    ResponseValidationError,
    status_error_class,
)
from ._open import OPEN_CONTEXT
from ._operation import Envelope, ResponseSpec
from ._redact import redact_text
from ._retry import parse_retry_after

_MESSAGE_LIMIT = 300
#: how much of an error body without a recognisable message ``str(exc)`` shows
_EXCERPT_LIMIT = 200
_TEXT_BODY_LIMIT = 2000

# Keyed by the type itself: building a TypeAdapter costs far more than a request's
# decoding, and every client of every service shares the same model classes.
_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def adapter_for(tp: Any) -> TypeAdapter[Any]:
    try:
        return _ADAPTERS[tp]
    except KeyError:
        adapter: TypeAdapter[Any] = TypeAdapter(tp)
        _ADAPTERS[tp] = adapter
        return adapter
    except TypeError:  # an unhashable annotation: correct, only slower
        return TypeAdapter(tp)


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _charset(content_type: str | None) -> str:
    if content_type:
        for part in content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip('"')
    return "utf-8"


def _validation_summary(exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": str(exc)}
    where = ".".join(str(p) for p in first.get("loc", ())) or "body"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first.get('msg', '')}{more}"


def decode_success(
    spec: ResponseSpec | None,
    envelope: Envelope | None,
    content: bytes,
    content_type: str | None,
    *,
    open_enums: bool = True,
) -> Any:
    """The typed result of a success response (for an envelope: its validated data).

    With ``open_enums`` an enum value the spec does not list is kept (``_open``)."""
    context = OPEN_CONTEXT if open_enums else None
    kind = spec.kind if spec is not None else ("json" if content else "empty")
    if kind == "empty":
        return None
    if kind == "bytes":
        return content
    if kind == "text":
        return content.decode(_charset(content_type), errors="replace")
    tp = spec.type if spec is not None else None
    if envelope is None:
        if tp is None:
            return _loads(content) if content else None
        try:
            return adapter_for(tp).validate_json(content, context=context)
        except ValidationError as exc:
            raise ResponseValidationError(
                f"response body does not match {_type_name(tp)}: {_validation_summary(exc)}",
                body=_safe_loads(content),
            ) from exc
    payload = _loads(content)
    if not isinstance(payload, Mapping):
        raise ResponseValidationError("envelope response is not a JSON object", body=payload)
    status = payload.get(envelope.status_field)
    if status not in envelope.success:
        raise envelope_error(payload, envelope)
    data = payload.get(envelope.data_field)
    if tp is None:
        return data
    try:
        return adapter_for(tp).validate_python(data, context=context)
    except ValidationError as exc:
        raise ResponseValidationError(
            f"envelope data does not match {_type_name(tp)}: {_validation_summary(exc)}",
            body=payload,
        ) from exc


def envelope_error(payload: Mapping[str, Any], envelope: Envelope) -> EnvelopeError:
    status = payload.get(envelope.status_field)
    error = payload.get(envelope.error_field)
    message = payload.get(envelope.message_field)
    # Both halves matter to a reader: the envelope's message is often generic ("Request
    # failed") while its error field says what went wrong; show each once.
    parts = [t for t in (_first_text(message), _first_text(error)) if t]
    text = " - ".join(dict.fromkeys(parts)) or "no message"
    return EnvelopeError(
        f"service answered envelope status {status!r}: {_clip(text)}",
        envelope_status=None if status is None else str(status),
        error=error,
        envelope_message=message if isinstance(message, str) else None,
        body=dict(payload),
    )


def status_error(
    status: int,
    reason: str,
    headers: Mapping[str, str],
    content: bytes,
    content_type: str | None,
    spec: ResponseSpec | None,
    *,
    open_enums: bool = True,
) -> HTTPStatusError:
    """The typed error for a 4xx/5xx, with body, detail message and error model."""
    body: Any = None
    if content:
        parsed = _safe_loads(content) if _is_json(content_type) or content[:1] in b"{[" else None
        body = (
            parsed
            if parsed is not None
            else content[:_TEXT_BODY_LIMIT].decode(_charset(content_type), errors="replace")
        )
    detail = _detail_message(body)
    if detail is None and body is not None:
        detail = _excerpt(body)
    message = f"HTTP {status} {reason}".rstrip()
    if detail:
        message += f": {_clip(redact_text(detail))}"
    model = None
    if (
        spec is not None
        and spec.type is not None
        and body is not None
        and not isinstance(body, str)
    ):
        try:
            context = OPEN_CONTEXT if open_enums else None
            model = adapter_for(spec.type).validate_python(body, context=context)
        except ValidationError:
            model = None  # a wrong error body must not hide the status error itself
        if not _fits(model, body):
            model = None
    retry_after = None
    if status == 429 or status >= 500:
        retry_after = parse_retry_after(headers.get("retry-after"))
    cls = status_error_class(status)
    return cls(message, status=status, body=body, model=model, retry_after=retry_after)


def _fits(model: Any, body: Any) -> bool:
    """Whether a validated error model holds anything of the body: a model whose fields
    are all optional validates any object, and an empty ``HTTPValidationError`` built
    from a body of other keys would hide the server's message behind a hollow model."""
    if isinstance(model, BaseModel) and isinstance(body, Mapping) and body:
        # Extra keys a permissive model keeps (extra="allow") do not make it fit.
        return not model.model_fields_set.isdisjoint(type(model).model_fields)
    return True


def _excerpt(body: Any) -> str | None:
    """The start of an error body whose message field is not one we know."""
    text = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))
    text = " ".join(text.split())
    if not text or text in ("{}", "[]", "null"):
        return None
    return text if len(text) <= _EXCERPT_LIMIT else text[: _EXCERPT_LIMIT - 1] + "…"


def _detail_message(body: Any) -> str | None:
    if isinstance(body, str):
        return body.strip() or None
    if not isinstance(body, Mapping):
        return None
    if "detail" in body:
        detail = body["detail"]
        if isinstance(detail, Mapping):
            return (
                _first_text(detail.get("message"))
                or _first_text(detail.get("error"))
                or (_first_text(detail.get("detail")))
            )
        if isinstance(detail, list):
            return _validation_list(detail)
        return _first_text(detail)
    return _first_text(body.get("message")) or _first_text(body.get("error"))


def _validation_list(items: list[Any]) -> str | None:
    parts = []
    for item in items[:3]:
        if isinstance(item, Mapping):
            loc = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
            msg = item.get("msg") or item.get("message") or ""
            parts.append(f"{loc}: {msg}" if loc else str(msg))
        else:
            parts.append(str(item))
    if len(items) > 3:
        parts.append(f"+{len(items) - 3} more")
    return "; ".join(parts) or None


def _first_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, list) and value:
        return _validation_list(value)
    if isinstance(value, Mapping):
        return _first_text(value.get("message")) or _first_text(value.get("code"))
    return str(value)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"


#: json.loads without its per-call keyword handling
_DECODER = json.JSONDecoder()


def _loads(content: bytes) -> Any:
    try:
        if content[:1] in (b"{", b"[") and content[1:2] != b"\x00":
            # What json.loads(bytes) decodes as UTF-8 anyway (an object or array with no
            # BOM and no UTF-16/32 zero byte), without its encoding sniffing.
            return _DECODER.decode(content.decode("utf-8", "surrogatepass"))
        return json.loads(content)
    except ValueError as exc:
        raise ResponseValidationError(f"response body is not valid JSON: {exc}") from exc


def _safe_loads(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return None


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or repr(tp)
