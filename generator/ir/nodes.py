"""The intermediate representation between an OpenAPI document and generated code.

Everything the templates print has been decided here: Python names are final and
unique, types are structural ``TypeRef`` values, defaults are plain JSON scalars. The
render stage only turns these values into source text; it never looks at the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: JSON scalars a generated signature or model may use as a default value.
Scalar = str | int | float | bool | None

TypeKind = Literal["builtin", "model", "list", "dict", "union", "literal", "discriminated"]

#: Names a ``TypeRef(kind="builtin")`` may carry; render maps each to source text.
BUILTIN_TYPES = frozenset(
    {"str", "int", "float", "bool", "bytes", "None", "Any", "datetime", "date", "time"}
    | {"UUID", "Decimal", "file"}
)


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A Python type, structurally.

    ``builtin``: ``name`` is one of ``BUILTIN_TYPES`` (``file`` is an upload:
    ``bytes | IO[bytes]``). ``model``: ``name`` is a class in ``models.py``.
    ``list``/``dict``: ``args`` holds the item/value type. ``union``: ``args`` are the
    members (``None`` included for nullable). ``literal``: ``values`` are the choices.
    ``discriminated``: a union of models (``args``) tagged by the field ``name``.
    A ``model`` may also name an ``AliasModel``: used like a class, defined in ``models/``.
    """

    kind: TypeKind
    name: str = ""
    args: tuple[TypeRef, ...] = ()
    values: tuple[str | int | bool, ...] = ()

    @property
    def is_any(self) -> bool:
        return self.kind == "builtin" and self.name == "Any"

    @property
    def nullable(self) -> bool:
        return self == NONE or (self.kind == "union" and NONE in self.args)


ANY = TypeRef("builtin", "Any")
NONE = TypeRef("builtin", "None")
STR = TypeRef("builtin", "str")
BYTES = TypeRef("builtin", "bytes")
FILE = TypeRef("builtin", "file")


def builtin(name: str) -> TypeRef:
    assert name in BUILTIN_TYPES, name
    return TypeRef("builtin", name)


def list_of(item: TypeRef) -> TypeRef:
    return TypeRef("list", args=(item,))


def dict_of(value: TypeRef) -> TypeRef:
    return TypeRef("dict", args=(value,))


def union(members: list[TypeRef] | tuple[TypeRef, ...]) -> TypeRef:
    """Flatten nested unions, drop duplicates (first wins), and collapse to ``Any`` when
    any member is ``Any`` (``Any | X`` says nothing more than ``Any``)."""
    flat: list[TypeRef] = []
    for member in members:
        for item in member.args if member.kind == "union" else (member,):
            if item not in flat:
                flat.append(item)
    if any(item.is_any for item in flat):
        return ANY
    # None last reads naturally (``X | None``) and keeps output stable.
    flat.sort(key=lambda item: item == NONE)
    if not flat:
        return ANY
    return flat[0] if len(flat) == 1 else TypeRef("union", args=tuple(flat))


def nullable(inner: TypeRef) -> TypeRef:
    return union([inner, NONE])


@dataclass(frozen=True, slots=True)
class Default:
    """A spec default simple enough to print as a Python literal.

    ``enum_member`` names the member (``("Status", "ON")``) when the value belongs to an
    enum class: the default must then be spelled as the member to type-check.
    """

    value: Scalar
    enum_member: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class ModelField:
    name: str  # Python attribute name
    wire_name: str  # JSON key
    type: TypeRef
    required: bool
    default: Default | None = None
    description: str | None = None
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False


@dataclass(frozen=True, slots=True)
class ObjectModel:
    name: str
    fields: tuple[ModelField, ...]
    base: str | None = None  # single parent model (allOf with one $ref)
    description: str | None = None
    deprecated: bool = False
    extra: Literal["allow", "ignore"] = "allow"
    source: str = ""  # JSON pointer of the schema, for messages


@dataclass(frozen=True, slots=True)
class EnumMember:
    name: str
    value: str | int


@dataclass(frozen=True, slots=True)
class EnumModel:
    name: str
    value_type: Literal["str", "int"]
    members: tuple[EnumMember, ...]
    description: str | None = None
    deprecated: bool = False
    source: str = ""


@dataclass(frozen=True, slots=True)
class AliasModel:
    """A named type alias for a recursive schema that is not an object (``Json``,
    ``Tree = list[Tree]``): only a name lets a type refer to itself, and only an object
    gets a class. Rendered as ``TypeAliasType``, which pydantic and mypy both resolve.
    """

    name: str
    target: TypeRef
    description: str | None = None
    source: str = ""


Model = ObjectModel | EnumModel | AliasModel

Location = Literal["path", "query", "header", "cookie"]
StyleName = Literal[
    "form", "simple", "label", "matrix", "spaceDelimited", "pipeDelimited", "deepObject"
]


@dataclass(frozen=True, slots=True)
class Style:
    style: StyleName
    explode: bool


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str  # Python argument name
    wire_name: str
    location: Location
    type: TypeRef
    required: bool
    default: Default | None = None
    description: str | None = None
    deprecated: bool = False
    style: Style | None = None  # only when not the location's default


@dataclass(frozen=True, slots=True)
class BodyField:
    """One keyword argument that becomes part of the request body."""

    name: str
    wire_name: str
    type: TypeRef
    required: bool
    default: Default | None = None
    description: str | None = None
    is_file: bool = False


#: ``json_fields``: an object body flattened into keyword arguments, sent as ``json=``.
#: ``json``: one ``body`` argument sent as ``json=``. ``form``: fields sent as ``data=``.
#: ``multipart``: fields sent as ``data=``, file fields as ``files=``.
#: ``bytes``/``text``: one argument sent as ``content=``.
BodyKind = Literal["json_fields", "json", "form", "multipart", "bytes", "text"]


@dataclass(frozen=True, slots=True)
class Body:
    media_type: str
    kind: BodyKind
    fields: tuple[BodyField, ...]
    required: bool
    description: str | None = None
    #: one argument carries the whole body (not flattened into fields)
    single_argument: bool = False


ResponseKind = Literal["json", "text", "bytes", "empty"]


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "2XX", "default"
    kind: ResponseKind
    type: TypeRef | None  # None: do not validate (raw JSON, or nothing to decode)
    #: what the method returns: a 1XX-3XX status, or ``default`` when none is listed
    success: bool


@dataclass(frozen=True, slots=True)
class Events:
    """A success answered as ``text/event-stream`` (``generator/ir/events.py``): each
    event's data is JSON of ``data_type`` (``json``) or plain text (``text``, ``str``)."""

    data_kind: Literal["json", "text"]
    data_type: TypeRef
    #: the ``<name>_events`` method that iterates the events (set once names are known)
    method: str = ""
    #: no success offers another media type: the plain method returns the events too
    only: bool = False


@dataclass(frozen=True, slots=True)
class Policy:
    """``x-resilience`` after merging root, path item and operation."""

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
class EnvelopeConfig:
    status_field: str = "status"
    data_field: str = "data"
    error_field: str = "error"
    message_field: str = "message"
    success: tuple[str, ...] = ("success", "partial")


#: How an operation's pages link up (``generator/ir/pagination.py`` says which is which):
#: ``cursor`` a next-cursor field in the body sent back as a query parameter; ``has_more``
#: a flag in the body, the last item's id sent back (Stripe's ``starting_after``);
#: ``link`` a ``Link: <...>; rel="next"`` response header (GitHub); ``offset`` an offset
#: query parameter advanced by each page's item count; ``page`` a page number.
PaginationStyle = Literal["cursor", "has_more", "link", "offset", "page"]


@dataclass(frozen=True, slots=True)
class Pagination:
    """How ``<name>_iter`` walks an operation's pages (``Operation.pagination``).

    Field names are what the runtime reads from a decoded page: Python attribute names
    of the page and item models (the wire name where the page is untyped JSON).
    ``cursor_param`` is the wire name of the query parameter the next page's cursor,
    offset or page number goes into (None for ``link``, which replays the next link's
    query).
    """

    style: PaginationStyle
    method_name: str  # ``<name>_iter``, unique in the client
    item_type: TypeRef
    items: str | None  # the page's list field; None when the page is the list itself
    cursor_param: str | None = None
    next_cursor: str | None = None  # ``cursor``: the page field holding the next cursor
    has_more: str | None = None  # ``has_more``: the page's flag
    cursor_field: str | None = None  # ``has_more``: the item field whose last value goes on
    first_page: int = 1  # ``page``: the number of the first page
    #: ``detected`` from the operation's shape, or ``x-pagination`` (the spec said so)
    origin: Literal["detected", "x-pagination"] = "detected"


@dataclass(frozen=True, slots=True)
class Operation:
    name: str  # Python method name
    operation_id: str | None
    method: str  # upper case
    path: str
    summary: str | None
    description: str | None
    parameters: tuple[Parameter, ...]  # path params in path order, then the rest
    body: Body | None
    responses: tuple[Response, ...]
    return_type: TypeRef
    policy: Policy = field(default_factory=Policy)
    envelope: EnvelopeConfig | None = None
    authenticated: bool = True
    deprecated: bool = False
    #: the method that streams a binary success body instead (``<name>_stream``), if any
    stream_name: str | None = None
    #: how ``<name>_iter`` pages through the results, if the operation pages
    pagination: Pagination | None = None
    #: the success answers ``text/event-stream`` too: its events' data and method
    events: Events | None = None

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")


#: What a security scheme asks for. ``apiKey``, ``bearer``, ``basic`` and ``oauth2``
#: (with a client-credentials flow) get a helper on the client class; the others are
#: recorded so the client can list them, with a warning saying why there is no helper.
SecurityKind = Literal[
    "apiKey", "bearer", "basic", "oauth2", "http", "openIdConnect", "mutualTLS", "unknown"
]


@dataclass(frozen=True, slots=True)
class OAuthFlow:
    """One OAuth2 flow; only ``clientCredentials`` can be run by the runtime unattended."""

    flow: str  # "clientCredentials", "authorizationCode", "implicit", "password"
    token_url: str | None = None
    #: the spec's ``tokenUrl`` was relative and no absolute server URL could resolve it
    token_url_relative: bool = False
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """One entry of ``components.securitySchemes``.

    ``key`` is the spec's name (printed as a literal), ``helper`` the Python name of the
    client's static helper (``None``: no helper for this kind). ``location``/``wire_name``
    describe an API key; ``http_scheme`` the scheme of any ``http`` entry.
    """

    key: str
    kind: SecurityKind
    helper: str | None = None
    description: str | None = None
    wire_name: str | None = None
    location: Literal["header", "query", "cookie"] | None = None
    http_scheme: str | None = None
    bearer_format: str | None = None
    flows: tuple[OAuthFlow, ...] = ()

    @property
    def client_credentials(self) -> OAuthFlow | None:
        """The flow the runtime can run: client credentials with a token URL."""
        return next((f for f in self.flows if f.flow == "clientCredentials" and f.token_url), None)


@dataclass(frozen=True, slots=True)
class Service:
    title: str
    class_name: str
    #: ``info.version`` as written (a number too), stripped; "" without one
    version: str
    description: str | None
    default_base_url: str | None
    operations: tuple[Operation, ...]
    models: tuple[Model, ...]  # in definition order (a base class before its children)
    health_operation: str | None = None  # the Python name of the x-health operation
    security_schemes: tuple[SecurityScheme, ...] = ()  # in spec order
    #: the document's top-level ``security``: alternatives, each a set of scheme keys
    #: that must be sent together (an empty tuple is "anonymous is allowed")
    security_requirements: tuple[tuple[str, ...], ...] = ()
    #: ``info.title`` as ``--dist`` describes the project: any value, on one line (None
    #: without one; ``title`` above falls back to "API" and wants a string)
    info_title: str | None = None
