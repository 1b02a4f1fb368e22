"""A fast "is this 3.0 document valid against the meta-schema?" answer.

jsonschema takes about 3.8 s to check GitHub's description against the OpenAPI 3.0
meta-schema; ``fastjsonschema`` compiled from the very same meta-schema (the copy
openapi-spec-validator ships) answers in about 0.5 s. It is used only as an oracle: when
it says "valid", jsonschema would have reported nothing; any other outcome (invalid, an
exception, a document it cannot be trusted on) sends the caller to jsonschema for the
exact messages. Being stricter than jsonschema only costs time; it must never be more
lenient, which is why:

- ``use_default=False``: by default fastjsonschema writes ``default`` values into the
  document it checks;
- ``use_formats=False``: openapi-spec-validator's jsonschema validator has no format
  checker, so ``format`` constrains nothing there either;
- documents holding anything but JSON's own types (tuples pass fastjsonschema's "array",
  ``str`` subclasses, non-string keys that make jsonschema raise) are not trusted;
- documents nested deeper than ``MAX_DEPTH`` are not trusted: jsonschema recurses about six
  Python frames per level and would hit the recursion limit (a warning, and the rest of
  validation skipped) where fastjsonschema finishes.

``pattern`` is compiled with ``\\Z`` for ``$`` (stricter) and ``enum`` keeps booleans
apart from numbers, like jsonschema; ``patternProperties`` and ``$ref`` behave the same.
tests/generator/validate/test_validate_fast.py holds the oracle to jsonschema's verdict.

Compiling takes about 0.7 s, so the generated code is cached on disk next to the other
caches, keyed by both libraries' versions; the cached code is executed, which trusts the
cache folder as Python trusts its ``__pycache__``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib.metadata import version as dist_version
from typing import Any

from generator.cache import cache_read, cache_write
from generator.validate.phases import PhaseResult

#: Nesting depth (containers) up to which fastjsonschema's verdict is trusted; jsonschema
#: needs about 6 frames per level, so 64 levels stay far from the limit of 1000 frames.
MAX_DEPTH = 64
_CODE_VERSION = "1"
_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})

_compiled: dict[str, Callable[[Any], Any]] = {}
# Whether the compiled code may be read from and written to the disk cache: not when the
# pipeline found the cache folder inside the output folder.
_use_disk: ContextVar[bool] = ContextVar("generate_client_fast_disk_cache", default=True)


@contextmanager
def disk_cache(enabled: bool) -> Iterator[None]:
    """Within this block, the compiled meta-schema is cached on disk only if ``enabled``."""
    token = _use_disk.set(enabled)
    try:
        yield
    finally:
        _use_disk.reset(token)


def plain_json(document: Any) -> bool:
    """True when ``document`` holds only JSON's types (exactly) with string keys and is
    at most ``MAX_DEPTH`` containers deep."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        kind = type(value)
        if kind is dict:
            if depth > MAX_DEPTH:
                return False
            for key, item in value.items():
                if type(key) is not str:
                    return False
                if type(item) not in _JSON_SCALARS:
                    stack.append((item, depth + 1))
        elif kind is list:
            if depth > MAX_DEPTH:
                return False
            stack.extend((item, depth + 1) for item in value if type(item) not in _JSON_SCALARS)
        elif kind not in _JSON_SCALARS:
            return False
    return True


def _cache_key() -> str:
    parts = (
        _CODE_VERSION,
        dist_version("fastjsonschema"),
        dist_version("openapi-spec-validator"),
        "3.0",
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _generate_code() -> str:
    # why: compiling is rare (the code is cached on disk); importing its tools costs 0.3 s
    import fastjsonschema
    from openapi_spec_validator.schemas import schema_v30

    code: str = fastjsonschema.compile_to_code(
        dict(schema_v30),
        use_default=False,
        use_formats=False,
        detailed_exceptions=False,
    )
    return code


def _load(code: str) -> Callable[[Any], Any]:
    namespace: dict[str, Any] = {}
    exec(compile(code, "<fastjsonschema: OpenAPI 3.0 meta-schema>", "exec"), namespace)
    # One function per definition, each named after the meta-schema's `id` plus the
    # definition's path: the shortest name is the one for the whole meta-schema.
    names = [name for name in namespace if name.startswith("validate_")]
    if not names or not callable(namespace[min(names, key=len)]):
        raise ValueError("no validation function in the generated code")
    function: Callable[[Any], Any] = namespace[min(names, key=len)]
    return function


def at_hand() -> bool:
    """True when ``validator_v30`` will not have to compile (memory or disk cache)."""
    key = _cache_key()
    return key in _compiled or (_use_disk.get() and cache_read("fastjsonschema", key) is not None)


def validator_v30() -> Callable[[Any], Any]:
    """The compiled meta-schema check, from memory, the disk cache or compiled now."""
    use_cache = _use_disk.get()
    key = _cache_key()
    if key in _compiled:
        return _compiled[key]
    function = None
    cached = cache_read("fastjsonschema", key) if use_cache else None
    if cached is not None:
        try:
            function = _load(cached.decode("utf-8"))
        except Exception:  # a damaged cache entry: compile afresh
            function = None
    if function is None:
        code = _generate_code()
        function = _load(code)
        if use_cache:
            cache_write("fastjsonschema", key, code.encode("utf-8"))
    _compiled[key] = function
    return function


def valid_v30(document: dict[str, Any]) -> bool:
    """True only when jsonschema is certain to find no meta-schema error in ``document``."""
    # why: openapi-spec-validator costs 0.3 s of imports, which a cached answer never pays
    from openapi_spec_validator.schemas import get_validator_backend

    if get_validator_backend() != "jsonschema" or not plain_json(document):
        return False
    try:
        validator_v30()(document)
    except Exception:  # invalid, or anything unexpected: jsonschema will tell exactly
        return False
    return True


def schema_phase(document: dict[str, Any], kind: str) -> PhaseResult:
    """``describe.schema_phase``, skipped when fastjsonschema vouches for a 3.0
    document (3.1 and 3.2 use draft 2020-12, which fastjsonschema does not implement)."""
    if kind == "3.0" and valid_v30(document):
        return [], True
    # why: openapi-spec-validator costs 0.3 s of imports; vouched-for 3.0 documents skip it
    from generator.validate.describe import schema_phase as jsonschema_phase

    return jsonschema_phase(document, kind)
