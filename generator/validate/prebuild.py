"""Write ``meta_v30.py``: the OAS 3.0 meta-schema check of ``fast``, built ahead of time.

A cold run without it imports openapi-spec-validator (0.3 s) only to read the
meta-schema, then has fastjsonschema compile it (0.07-0.7 s). The shipped module holds
the compiled code and the ``KEY`` it was built for; ``fast`` uses it only when the key
matches the installed meta-schema and fastjsonschema, and compiles otherwise.

Run ``python -m generator.validate.prebuild`` after upgrading fastjsonschema or
openapi-spec-validator; tests/generator/validate/test_prebuilt.py fails until then.
"""

from __future__ import annotations

from pathlib import Path

from generator.validate.fast import _generate_code, cache_key

TARGET = Path(__file__).with_name("meta_v30.py")

_HEADER = '''"""fastjsonschema's check for the OAS 3.0 meta-schema, built ahead of time.

Written by ``python -m generator.validate.prebuild``; do not edit.
"""

# ruff: noqa
# mypy: ignore-errors
# fmt: off

KEY = "{key}"

'''


def source() -> str:
    """The text of ``meta_v30.py`` for the installed libraries."""
    return _HEADER.format(key=cache_key()) + _generate_code().rstrip("\n") + "\n"


def main() -> None:
    TARGET.write_text(source(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
