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

The code is built ahead of time and shipped as ``meta_v30`` (``prebuild`` writes it): a
cold run would otherwise import openapi-spec-validator (0.3 s) to read the meta-schema
and compile it (0.07-0.7 s). It is used only when it was built from the installed
meta-schema by the installed fastjsonschema (its ``KEY``); with other versions the code
is compiled and cached on disk next to the other caches under the same key; the cached
code is executed, which trusts the cache folder as Python trusts its ``__pycache__``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from generator.cache import cache_read, cache_write, installed_version

#: Nesting depth (containers) up to which fastjsonschema's verdict is trusted; jsonschema
#: needs about 6 frames per level, so 64 levels stay far from the limit of 1000 frames.
MAX_DEPTH = 64
_CODE_VERSION = "2"
#: openapi-spec-validator's setting that picks jsonschema or jsonschema-rs (pydantic-settings
#: matches environment variables without regard to case)
_BACKEND_VARIABLE = "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"
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


def meta_schema_path() -> Path | None:
    """openapi-spec-validator's copy of the OAS 3.0 meta-schema, found without importing it."""
    spec = find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder / "resources" / "schemas" / "v3.0" / "schema.json"


def cache_key() -> str:
    """What the compiled code depends on: the meta-schema's bytes, fastjsonschema's version
    and the options (``_CODE_VERSION``). The shipped ``meta_v30`` carries the same key."""
    digest = hashlib.sha256(f"{_CODE_VERSION}\0{installed_version('fastjsonschema')}\0".encode())
    try:
        path = meta_schema_path()
        digest.update(path.read_bytes() if path is not None else b"missing")
    except OSError:
        digest.update(b"unreadable")
    return digest.hexdigest()


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
    return _entry_point(namespace)


def _entry_point(namespace: dict[str, Any]) -> Callable[[Any], Any]:
    # One function per definition, each named after the meta-schema's `id` plus the
    # definition's path: the shortest name is the one for the whole meta-schema.
    names = [name for name in namespace if name.startswith("validate_")]
    if not names or not callable(namespace[min(names, key=len)]):
        raise ValueError("no validation function in the generated code")
    function: Callable[[Any], Any] = namespace[min(names, key=len)]
    return function


def prebuilt(key: str) -> Callable[[Any], Any] | None:
    """The check shipped in the package, if it was built for ``key``."""
    # why: 160 kB of code, read only when a 3.0 document is validated
    from generator.validate import meta_v30

    return _entry_point(vars(meta_v30)) if key == meta_v30.KEY else None


def at_hand() -> bool:
    """True when ``validator_v30`` will not have to compile (shipped, memory or disk cache)."""
    key = cache_key()
    return (
        key in _compiled
        or prebuilt(key) is not None
        or (_use_disk.get() and cache_read("fastjsonschema", key) is not None)
    )


def validator_v30() -> Callable[[Any], Any]:
    """The compiled meta-schema check: from memory, shipped, the disk cache or compiled now."""
    use_cache = _use_disk.get()
    key = cache_key()
    if key in _compiled:
        return _compiled[key]
    function = prebuilt(key)
    if function is not None:
        _compiled[key] = function
        return function
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


def jsonschema_backend() -> bool:
    """openapi-spec-validator's ``get_validator_backend() == "jsonschema"``, answered
    without importing it (0.3 s) when nothing can change its default: no backend chosen in
    the environment and jsonschema-rs not installed ("auto" then means jsonschema)."""
    chosen = any(name.upper() == _BACKEND_VARIABLE for name in os.environ)
    if chosen or find_spec("jsonschema_rs") is not None:
        # why: only a setting or jsonschema-rs makes the library's own answer necessary
        from openapi_spec_validator.schemas import get_validator_backend

        return bool(get_validator_backend() == "jsonschema")
    return True


def valid_v30(document: dict[str, Any]) -> bool:
    """True only when jsonschema is certain to find no meta-schema error in ``document``."""
    if not jsonschema_backend() or not plain_json(document):
        return False
    try:
        validator_v30()(document)
    except Exception:  # invalid, or anything unexpected: jsonschema will tell exactly
        return False
    return True
