"""Fast "does the library's meta-schema check accept this schema?" answers.

The keyword walk checks every schema of a 3.0 document against
``OAS30Validator.META_SCHEMA`` (JSON Schema draft 4's meta-schema) with jsonschema:
about 630 schemas and 0.1 s on Kubernetes apps/v1, after importing
openapi-schema-validator (0.1 s). ``meta_draft4`` holds fastjsonschema's code for the same
meta-schema, built ahead of time; like ``fast`` it is an oracle only: "valid" means
jsonschema would raise nothing; anything else sends the walk to jsonschema for the exact
message. It must never be more lenient than jsonschema, which is why:

- ``use_formats=True``: ``check_schema`` runs with openapi-schema-validator's format
  checker, whose ``regex`` check (``pattern``) is ``re.compile`` unless the optional
  ``regress`` is installed (then no verdict is given); fastjsonschema's own ``regex``
  check is ``re.compile`` too, failing on any exception (stricter);
- ``use_default=False``: fastjsonschema would otherwise write defaults into the schema;
- draft 4's ``integer`` excludes 2.0 in both; ``uniqueItems`` tells ``True`` from ``1``
  in both (fastjsonschema also calls one NaN object twice a duplicate: stricter);
- the walk only asks about plain JSON no deeper than ``fast.MAX_DEPTH``.

For 3.1 (draft 2020-12, which fastjsonschema does not implement) ``vouches_for_v31`` is
written by hand for the OpenAPI 3.1 base dialect, and just as strict: it knows a subset
of the keywords with the dialect meta-schema's rule for each, takes ``x-`` keys and
``nullable`` (no keyword of the dialect) as the annotations they are there, and gives no
verdict on any other key (``$schema``, ``$id``, ``discriminator``, ...), on a ``$ref``
that is not a plain fragment (its ``uri-reference`` format may be checked, depending on
what is installed) or on a ``pattern`` when ``regress`` is installed.

The shipped code is used only when its ``KEY`` (the versions of the libraries that decide
the verdict) matches the installed ones; otherwise every schema goes to jsonschema.
tests/generator/validate/test_walk.py holds the oracle to jsonschema's verdict and the
shipped code to a fresh build. Rebuild with ``python -m generator.validate.walk_oracle``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from generator.cache import installed_version

TARGET = Path(__file__).with_name("meta_draft4.py")
_DECIDING = (
    "openapi-schema-validator",
    "jsonschema",
    "jsonschema-specifications",
    "fastjsonschema",
)

_check: list[Callable[[Any], Any] | None] = []

_HEADER = '''"""fastjsonschema's check for OAS30Validator's meta-schema (JSON Schema draft 4).

Written by ``python -m generator.validate.walk_oracle``; do not edit.
"""

# ruff: noqa
# mypy: ignore-errors
# fmt: off

KEY = "{key}"

'''


def cache_key() -> str:
    """What the verdict depends on; the shipped code carries the key it was built for."""
    versions = [f"{name}={installed_version(name)}" for name in _DECIDING]
    return ";".join(versions)


def _usable() -> bool:
    # why: with regress installed, openapi-schema-validator checks patterns as ECMA regexes
    return find_spec("regress") is None


def _shipped() -> Callable[[Any], Any] | None:
    if not _check:
        function = None
        if _usable():
            # why: 23 kB of code, read only when a 3.0 document's schemas are walked
            from generator.validate import fast, meta_draft4

            if cache_key() == meta_draft4.KEY:
                function = fast._entry_point(vars(meta_draft4))
        _check.append(function)
    return _check[0]


def vouches_for_v30(schema: Any) -> bool:
    """True only when ``OAS30Validator.check_schema(schema)`` certainly raises nothing.
    ``schema`` must be plain JSON (``fast.plain_json``): fastjsonschema takes a tuple for
    an array; the walk checks the whole document once before it starts."""
    check = _shipped()
    if check is None:
        return False
    try:
        check(schema)
    except Exception:  # invalid, or anything unexpected: jsonschema will tell exactly
        return False
    return True


def generate_code() -> str:
    # why: building is rare (after an upgrade); these imports cost 0.2 s
    import fastjsonschema
    from openapi_schema_validator import OAS30Validator

    code: str = fastjsonschema.compile_to_code(
        dict(OAS30Validator.META_SCHEMA),
        use_default=False,
        use_formats=True,
        detailed_exceptions=False,
    )
    # fastjsonschema 2.22's `format: regex` replaces the generated imports with `import re`,
    # dropping the `Decimal` the number checks name: every schema with a `minimum` would
    # then raise NameError (no verdict, so safe, but no use).
    if "Decimal" in code and "from decimal import Decimal" not in code:
        code = "from decimal import Decimal\n" + code
    return code


def source() -> str:
    """The text of ``meta_draft4.py`` for the installed libraries."""
    return _HEADER.format(key=cache_key()) + generate_code().rstrip("\n") + "\n"


def main() -> None:
    TARGET.write_text(source(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()


#: openapi-schema-validator's ``OAS31_BASE_DIALECT_ID`` (a test keeps the two equal), the
#: dialect of every 3.1 schema without ``$schema`` unless ``jsonSchemaDialect`` says otherwise
OAS31_BASE_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"
_SIMPLE_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
_SUBSCHEMA = frozenset(
    {"items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else",
     "unevaluatedItems", "unevaluatedProperties", "contentSchema"}
)  # fmt: skip
_SUBSCHEMA_MAPS = frozenset({"properties", "$defs"})
_SUBSCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_NUMBERS = frozenset({"maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum"})
_COUNTS = frozenset(
    {"maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties",
     "maxContains", "minContains"}
)  # fmt: skip
_FLAGS = frozenset({"uniqueItems", "deprecated", "readOnly", "writeOnly"})
_TEXTS = frozenset(
    {"title", "description", "format", "$comment", "contentEncoding", "contentMediaType"}
)
_ANYTHING = frozenset({"const", "default", "example", "nullable"})
_PLAIN_FRAGMENT = re.compile(r"#[A-Za-z0-9._~!$&'()*+,;=:@/-]*\Z")


def _is_number(value: Any) -> bool:
    return type(value) is int or type(value) is float


def _unique_strings(value: Any) -> bool:
    return (
        type(value) is list
        and all(type(item) is str for item in value)
        and len(set(value)) == len(value)
    )


def _keyword_ok(key: str, value: Any) -> bool:
    if key in _SUBSCHEMA:
        return vouches_for_v31(value)
    if key in _SUBSCHEMA_MAPS:
        return type(value) is dict and all(vouches_for_v31(item) for item in value.values())
    if key in _SUBSCHEMA_LISTS:
        return type(value) is list and bool(value) and all(vouches_for_v31(i) for i in value)
    if key == "type":
        if type(value) is list:
            return bool(value) and _unique_strings(value) and set(value) <= _SIMPLE_TYPES
        return value in _SIMPLE_TYPES if type(value) is str else False
    if key in _NUMBERS:
        return _is_number(value)
    if key == "multipleOf":
        return _is_number(value) and value > 0
    if key in _COUNTS:
        return type(value) is int and value >= 0
    if key in _FLAGS:
        return type(value) is bool
    if key in _TEXTS:
        return type(value) is str
    if key == "pattern":
        return type(value) is str and _compiles(value)
    if key in ("enum", "examples"):
        return type(value) is list
    if key == "required":
        return _unique_strings(value)
    if key == "$ref":
        return type(value) is str and _PLAIN_FRAGMENT.match(value) is not None
    return key in _ANYTHING or key.startswith("x-")


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except Exception:  # the library's check fails only on re.error; any failure: no verdict
        return False
    return True


def vouches_for_v31(schema: Any) -> bool:
    """True only when the OpenAPI 3.1 base dialect's meta-schema (jsonschema, with
    openapi-schema-validator's 3.1 format checker) accepts ``schema``, plain JSON."""
    if type(schema) is bool:
        return True
    if type(schema) is not dict or not _usable():
        return False
    return all(_keyword_ok(key, value) for key, value in schema.items())
