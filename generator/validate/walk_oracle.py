"""A fast "does ``OAS30Validator.check_schema`` accept this schema?" answer.

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

The shipped code is used only when its ``KEY`` (the versions of the libraries that decide
the verdict) matches the installed ones; otherwise every schema goes to jsonschema.
tests/generator/validate/test_walk.py holds the oracle to jsonschema's verdict and the
shipped code to a fresh build. Rebuild with ``python -m generator.validate.walk_oracle``.
"""

from __future__ import annotations

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
