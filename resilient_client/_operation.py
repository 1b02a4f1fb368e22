"""What generated code tells the runtime about one operation.

This module is the contract between the generator and the runtime: generated client
modules build one frozen ``Operation`` per spec operation at import time and pass it,
with the call's values, to ``BaseServiceClient._request``. Response types may be
given lazily (``ResponseSpec(kind, lazy=...)``) so that building the constants does not
import the models. Everything OpenAPI-specific has already been resolved by the
generator; the runtime only reads these fields.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Generic, Literal, TypedDict, TypeVar, final

T = TypeVar("T")

#: How a response body is decoded.
#: ``json`` validates the parsed JSON into ``ResponseSpec.type`` (raw JSON when None),
#: ``text`` returns ``str``, ``bytes`` returns the raw body, ``empty`` returns None.
ContentKind = Literal["json", "text", "bytes", "empty"]

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class CallOptions(TypedDict, total=False):
    """Per-call keywords every generated method takes (``**call_options: Unpack[CallOptions]``).

    One TypedDict instead of six parameters in each of hundreds of methods: the same
    names and types for callers and type checkers, a fifth less code to import.
    """

    correlation_id: str | uuid.UUID | None
    timeout: float | None
    #: seconds for this whole call (``ClientConfig.deadline``; for ``<op>_stream``, the
    #: body included, replacing ``ClientConfig.stream_deadline``)
    deadline: float | None
    max_attempts: int | None
    idempotency_key: str | None
    extra_headers: Mapping[str, str] | None


class ResponseSpec:
    """One declared response: how to decode it and what to validate it into.

    ``type`` is anything pydantic's ``TypeAdapter`` accepts (a model class, ``list[X]``,
    a union, ``dict[str, Any]``) or None for "do not validate". For an envelope
    operation ``type`` describes the envelope's ``data`` payload, not the envelope.

    Generated clients pass ``lazy=lambda: models.X`` instead of the type: naming the
    model at import time would import (and define) every model of a large API when the
    client module loads. The callable runs on the first read of ``type`` (the first
    response decoded with this spec), and its result replaces it, so later reads are a
    plain attribute read. Resolving twice (two threads racing) is harmless: both get the
    same object from the models module.
    """

    __slots__ = ("_lazy", "_type", "kind")

    kind: ContentKind
    _type: Any
    _lazy: Callable[[], Any] | None

    def __init__(
        self, kind: ContentKind, type: Any = None, *, lazy: Callable[[], Any] | None = None
    ) -> None:
        if type is not None and lazy is not None:
            raise ValueError("ResponseSpec takes a type or a lazy type, not both")
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "_type", type)
        object.__setattr__(self, "_lazy", lazy)

    @property
    def type(self) -> Any:
        lazy = self._lazy
        if lazy is not None:
            object.__setattr__(self, "_type", lazy())
            object.__setattr__(self, "_lazy", None)
        return self._type

    @property
    def resolved(self) -> bool:
        """False until a lazy type has been resolved (always True without one)."""
        return self._lazy is None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"ResponseSpec is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"ResponseSpec is immutable (cannot delete {name!r})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ResponseSpec):
            return NotImplemented
        return (self.kind, self.type) == (other.kind, other.type)

    def __hash__(self) -> int:
        return hash((self.kind, self.type))

    def __repr__(self) -> str:
        shown = "<lazy>" if self._lazy is not None else repr(self._type)
        return f"ResponseSpec(kind={self.kind!r}, type={shown})"


@dataclass(frozen=True, slots=True)
class Envelope:
    """``x-envelope``: the service wraps every answer in a status/data/error object."""

    status_field: str = "status"
    data_field: str = "data"
    error_field: str = "error"
    message_field: str = "message"
    success: tuple[str, ...] = ("success", "partial")


@dataclass(frozen=True, slots=True)
class SpecPolicy:
    """``x-resilience`` merged root -> path -> operation by the generator.

    None means "the spec says nothing": user config and runtime defaults apply.
    """

    max_attempts: int | None = None
    backoff_base: float | None = None
    backoff_cap: float | None = None
    timeout: float | None = None
    deadline: float | None = None
    idempotent: bool | None = None
    cache_ttl: float | None = None
    cache_max_entries: int | None = None

    @property
    def cacheable(self) -> bool:
        return self.cache_ttl is not None and self.cache_ttl > 0


@dataclass(frozen=True, slots=True)
class ParamStyle:
    """Serialisation of one parameter whose OpenAPI style/explode is not the default.

    Defaults (omitted from ``Operation.param_styles``): query and cookie
    ``form``/explode=True (lists become repeated keys), path and header
    ``simple``/explode=False (lists joined by commas).
    """

    style: Literal[
        "form", "simple", "label", "matrix", "spaceDelimited", "pipeDelimited", "deepObject"
    ]
    explode: bool


@dataclass(frozen=True, slots=True)
class Operation(Generic[T]):
    """One API operation. ``T`` is the Python type a successful call returns.

    ``path`` is the template from the spec (``/stamp/{file_hash}``), appended to the
    client's base URL. ``responses`` is keyed by status code as a string (``"200"``),
    by range (``"2XX"``, ``"4XX"``) or ``"default"``; exact codes win over ranges,
    ranges over ``default``. Statuses below 400 are successes; the others raise the
    status's typed error, with the body validated into the declared model (if any)
    and attached as ``error.model``.
    """

    name: str
    method: str
    path: str
    responses: Mapping[str, ResponseSpec] = field(default_factory=lambda: _EMPTY)
    policy: SpecPolicy = field(default_factory=SpecPolicy)
    envelope: Envelope | None = None
    #: keyed by the parameter's wire name; only parameters with a non-default style
    param_styles: Mapping[str, ParamStyle] = field(default_factory=lambda: _EMPTY)
    #: False when the spec says ``security: []`` for this operation: credentials
    #: are not sent.
    authenticated: bool = True
    #: declared request media type (``application/json``, ``multipart/form-data``,
    #: ``application/x-www-form-urlencoded``, ``application/octet-stream``,
    #: ``text/plain``...) or None when the operation has no body
    request_content_type: str | None = None
    #: how the data of each server-sent event decodes (``"json"`` into ``type``, or
    #: ``"text"``) when a success answers ``text/event-stream``; None otherwise
    events: ResponseSpec | None = None
    #: the operation answers only ``text/event-stream``: ``_request`` returns the
    #: connected ``EventStream`` (``async for event in await client.op()``)
    events_only: bool = False


class _NoBody:
    """Sentinel type: the call sends no JSON body (``None`` is a valid JSON body)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_BODY"

    def __bool__(self) -> bool:
        return False


#: Default of ``_request(json=...)``: distinguishes "no body" from a JSON ``null``.
NO_BODY: Any = _NoBody()


@final
class NotGiven:
    """The type of ``NOT_GIVEN``: an argument the caller did not pass.

    Optional parameters and body fields of generated methods default to ``NOT_GIVEN``,
    not to ``None`` and not to the spec's ``default``: only what the caller named goes
    on the wire, so a partial update never resets a field the caller left alone (the
    server applies its own default), and ``None`` stays free to mean JSON ``null`` for
    a nullable field. Annotations read ``str | NotGiven`` (or ``str | None | NotGiven``
    when the spec allows null), so mypy rejects ``None`` where the spec does.
    """

    __slots__ = ()
    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"  # copies and pickles stay the one sentinel


#: The default of every optional argument of a generated method; see ``NotGiven``.
NOT_GIVEN: Final = NotGiven()
