"""Every Python name the generator emits is decided here.

Spec names are arbitrary text (``find pet by id``, ``get /users/{id}``, ``名前``,
``x-rate-limit``); generated names must be identifiers that shadow nothing the
generated code or the runtime relies on, and must come out the same on every run so a
regenerated client does not rename methods under its users. Collisions are resolved by
a trailing underscore (reserved words) and then numeric suffixes assigned in a stable
order.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import PurePath

from generator.errors import Problem, SpecError


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Arguments every generated operation takes besides the spec's own.
PER_CALL_ARGUMENTS = _names(
    "correlation_id timeout max_attempts idempotency_key extra_headers use_cache call_options "
    "max_pages"
)

#: Names generated code refers to inside a class body or a function. A method or a
#: field with one of these names would shadow it for the annotations that follow.
GENERATED_CODE_NAMES = _names(
    "self cls models str int float bool bytes list dict tuple type object super isinstance "
    "len print"
)

_PYTHON_KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)

#: ``BaseServiceClient``'s public surface; generated methods must not override it. A
#: fixed list, not the runtime's ``dir()``: importing the runtime (pydantic-settings
#: included) cost every generation 0.12 s. tests/generator/ir/test_naming.py fails when the
#: runtime gains a public member this list lacks.
_CLIENT_MEMBERS_FIXED = _names(
    "aclose close health_check metrics cache_stats clear_cache circuit_breaker closed "
    "set_fallback set_auth config base_url http_client service_name default_base_url "
    "health_operation request security_schemes security_requirements retry_budget "
    "with_raw_response bulkhead"
)

#: pydantic ``BaseModel`` members a field must not shadow. A fixed list, not ``dir()``:
#: importing pydantic cost every generation 0.04-0.06 s. tests/generator/ir/test_naming.py
#: fails when the installed pydantic gains a public member this list lacks.
_BASEMODEL_MEMBERS_FIXED = _names(
    "model_config model_fields model_computed_fields model_extra model_fields_set "
    "model_construct model_copy model_dump model_dump_json model_json_schema "
    "model_parametrized_name model_post_init model_rebuild model_validate "
    "model_validate_json model_validate_strings dict json parse_obj parse_raw "
    "parse_file from_orm construct copy schema schema_json validate "
    "update_forward_refs fields Config"
)

#: Names ``models.py`` and ``__init__.py`` import; a model class must not replace them.
MODULE_LEVEL_NAMES = _names(
    "BaseModel ConfigDict Field Any Literal Enum Annotated Union Optional IO UUID "
    "Decimal ClassVar Mapping TypeAdapter BaseServiceClient Operation ResponseSpec "
    "SpecPolicy Envelope ParamStyle check_runtime_version OpenEnum OpenLiteral"
)


def reserved_method_names() -> frozenset[str]:
    return _PYTHON_KEYWORDS | PER_CALL_ARGUMENTS | GENERATED_CODE_NAMES | _CLIENT_MEMBERS_FIXED


#: Reserved for operation arguments (path/query/header/cookie/body).
RESERVED_ARGUMENT_NAMES = _PYTHON_KEYWORDS | PER_CALL_ARGUMENTS | GENERATED_CODE_NAMES


def reserved_field_names() -> frozenset[str]:
    return _PYTHON_KEYWORDS | GENERATED_CODE_NAMES | _BASEMODEL_MEMBERS_FIXED


_CAMEL_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+[a-z]*")
_CODEPOINT = re.compile(r"u[0-9a-f]{4,6}")


_ASCII_WORD_CHARS = re.compile(r"[A-Za-z0-9]+")


def _ascii_chunks(text: str) -> list[str]:
    """Split text into runs of ASCII letters/digits.

    Accented letters lose their accents (``é`` -> ``e``); a letter or digit with no
    ASCII form becomes its own ``u<hex>`` run, so ``名前`` stays distinct from ``名``
    instead of vanishing.
    """
    if text.isascii():  # the common case, in one regex pass
        return _ASCII_WORD_CHARS.findall(text)
    chunks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            chunks.append("".join(current))
            current.clear()

    for char in text:
        if char.isascii():
            if char.isalnum():
                current.append(char)
            else:
                flush()
            continue
        folded = "".join(
            c for c in unicodedata.normalize("NFKD", char) if c.isascii() and c.isalnum()
        )
        if folded:
            current.append(folded)
        elif char.isalnum():
            flush()
            # Never merged with neighbours: ``words`` must see it whole.
            chunks.append(f"u{ord(char):04x}")
        else:
            flush()
    flush()
    return chunks


def words(text: str) -> list[str]:
    """``addPet`` -> [add, Pet]; ``HTTPError`` -> [HTTP, Error]; ``get /a/{b}`` -> [get, a, b]."""
    result: list[str] = []
    for chunk in _ascii_chunks(text):
        if _CODEPOINT.fullmatch(chunk):
            result.append(chunk)
        else:
            result.extend(_CAMEL_WORD.findall(chunk) or [chunk])
    return result


def snake_case(text: str) -> str:
    """Lower snake case; may be empty or start with a digit (see ``snake_identifier``)."""
    return "_".join(word.lower() for word in words(text))


def snake_identifier(text: str, *, prefix: str) -> str:
    name = snake_case(text)
    if not name:
        return prefix
    if name[0].isdigit():
        return f"{prefix}_{name}"
    return name


def pascal_case(text: str, *, prefix: str = "Model") -> str:
    """``pet-store`` -> ``PetStore``; names that already are PascalCase identifiers are
    kept verbatim, so ``HTTPValidationError`` stays recognisable."""
    if text.isascii() and text.isidentifier() and text[:1].isupper() and "_" not in text:
        return text
    name = "".join(chunk[0].upper() + chunk[1:] for chunk in _ascii_chunks(text))
    if not name:
        return prefix
    if name[0].isdigit():
        return f"{prefix}{name}"
    return name


def upper_identifier(text: str, *, prefix: str = "VALUE") -> str:
    name = "_".join(word.upper() for word in words(text))
    if not name:
        return "EMPTY" if text == "" else prefix
    if name[0].isdigit():
        return f"{prefix}_{name}"
    return name


def enum_member_name(value: str | int) -> str:
    if isinstance(value, int):
        return f"VALUE_MINUS_{-value}" if value < 0 else f"VALUE_{value}"
    return upper_identifier(value)


def avoid_reserved(name: str, reserved: Iterable[str]) -> str:
    """``class`` -> ``class_``: the rename users can guess."""
    reserved_set = reserved if isinstance(reserved, frozenset | set) else set(reserved)
    while name in reserved_set:
        name += "_"
    return name


def assign_unique(
    candidates: Sequence[tuple[str, str]],
    *,
    taken: Iterable[str] = (),
    reserved: Iterable[str] = (),
    separator: str = "_",
) -> dict[str, str]:
    """Give every ``(stable_key, desired_name)`` a distinct final name.

    Suffixes are assigned in ``(desired, stable_key)`` order, not input order, so adding
    an unrelated operation to a spec never renames an existing one.
    """
    reserved_set = frozenset(reserved)
    used = set(taken)
    result: dict[str, str] = {}
    for key, desired in sorted(candidates, key=lambda item: (item[1], item[0])):
        base = avoid_reserved(desired, reserved_set)
        name = base
        number = 2
        while name in used or name in reserved_set:
            joiner = "" if base.endswith("_") or not separator else separator
            name = f"{base}{joiner}{number}"
            number += 1
        used.add(name)
        result[key] = name
    return result


def fastapi_suffix(method: str, path: str) -> str:
    """The tail FastAPI's ``generate_unique_id`` appends to a route's name."""
    return re.sub(r"\W", "_", path) + "_" + method.lower()


def operation_base_name(operation_id: str | None, method: str, path: str) -> str:
    """The method name an operation asks for before collisions are resolved."""
    if not operation_id:
        return snake_identifier(f"{method} {path}", prefix="op")
    suffix = fastapi_suffix(method, path)
    if operation_id.endswith(suffix) and len(operation_id) > len(suffix):
        shortened = snake_case(operation_id[: -len(suffix)])
        if shortened:
            return snake_identifier(shortened, prefix="op")
    return snake_identifier(operation_id, prefix="op")


def method_names(operations: Sequence[tuple[str, str | None, str, str]]) -> dict[str, str]:
    """Final method names for ``(key, operation_id, method, path)`` tuples.

    A FastAPI id is shortened only when its short form is unique among the operations;
    otherwise those operations keep their full ids, which FastAPI made unique.
    """
    short = {
        key: operation_base_name(op_id, method, path) for key, op_id, method, path in operations
    }
    counts: dict[str, int] = {}
    for name in short.values():
        counts[name] = counts.get(name, 0) + 1
    desired: list[tuple[str, str]] = []
    for key, op_id, _method, _path in operations:
        name = short[key]
        if counts[name] > 1 and op_id:
            name = snake_identifier(op_id, prefix="op")
        desired.append((key, name))
    return assign_unique(desired, reserved=reserved_method_names())


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def private_name(text: str, taken: set[str], *, fallback: str, upper: bool = False) -> str:
    """A private name of generated code from ``text``'s ASCII words, split at camel case:
    ``BasicError`` -> ``_basic_error`` (``_BASIC_ERROR`` with ``upper``), ``_<fallback>``
    when no word is left, then ``_2``, ``_3``... until it is not in ``taken``, which
    receives it. Names model submodules and shared response constants."""
    snake = "_".join(_ASCII_WORD.findall(_CAMEL_BOUNDARY.sub("_", text)))
    name = "_" + ((snake.upper() if upper else snake.lower()) or fallback)
    candidate, counter = name, 1
    while candidate in taken:
        counter += 1
        candidate = f"{name}_{counter}"
    taken.add(candidate)
    return candidate


def stream_method_name(method: str, taken: set[str], suffix: str = "_stream") -> str:
    """``download`` -> ``download_stream`` (``download_stream2``... when that is taken;
    ``watch_events`` with ``suffix="_events"``, ``list_pets_iter`` with
    ``"_iter"``); the name is added to ``taken``."""
    name, counter = f"{method}{suffix}", 1
    while name in taken:
        counter += 1
        name = f"{method}{suffix}{counter}"
    taken.add(name)
    return name


def client_class_name(title: str, override: str | None = None) -> str:
    """``OnexTree Service`` -> ``OnexTreeClient``; an override ending in ``Client`` is
    the whole name, any other override gets ``Client`` appended."""
    if override:
        name = pascal_case(override, prefix="Api")
        return name if name.endswith("Client") else name + "Client"
    name = pascal_case(title, prefix="Api")
    for suffix in ("Service", "API", "Api"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return name + "Client"


def sync_client_class_name(class_name: str) -> str:
    """``MetadataStampingClient`` -> ``MetadataStampingSyncClient``: the blocking twin.

    openai's ``OpenAI``/``AsyncOpenAI`` marks the async class; here the async client came
    first and keeps its name, so the new blocking class carries the marker."""
    stem = class_name[: -len("Client")] if class_name.endswith("Client") else class_name
    return f"{stem}SyncClient"


# -- the package and its distribution ----------------------------------------------


def default_package_name(spec: PurePath) -> str:
    """``petstore-expanded.yaml`` -> ``petstore_expanded_client``."""
    words = re.sub(r"[^0-9A-Za-z]+", "_", spec.stem).strip("_").lower()
    if not words:
        words = "api"
    if words[0].isdigit():
        words = f"api_{words}"
    return f"{words}_client"


def distribution_name(package_name: str) -> str:
    """``petstore_client`` -> ``petstore-client``: the name ``--dist`` gives the project."""
    return re.sub(r"_+", "-", package_name)


def check_package_name(name: str, *, origin: str = "--package-name") -> None:
    """Refuse names that are not importable or could steer writes elsewhere."""
    reason = None
    if any(sep in name for sep in ("/", "\\", "..")) or name in (".", ""):
        reason = "must not contain path separators or '..'"
    elif not name.isascii() or not name.isidentifier():
        reason = "must be a valid Python identifier (letters, digits, underscores)"
    elif keyword.iskeyword(name):
        reason = "must not be a Python keyword"
    if reason is not None:
        raise SpecError([Problem(origin, "", f"invalid package name {name!r}: {reason}")])
