"""A fast "is this ``default`` certainly valid against its schema?" answer.

Most defaults are a plain value for a plain schema (``{"type": "integer", "minimum": 1,
"default": 20}``); checking each with openapi-schema-validator first costs its imports
(0.17 s: jsonschema, pydantic-settings), which a small document validated in-process
would otherwise pay for nothing. ``certainly_valid`` answers only for schemas made of
the keywords below, with the exact rule ``OAS30Validator``, ``OAS31Validator`` and
``OAS32Validator`` apply to a value of the matching type; any other keyword, type or
value (``None``, bools where numbers are due, NaN, a ``pattern``) gets no verdict and
goes to the validator, so the oracle is stricter than the validator, never more lenient:

- ``type``: one of string (``str``), integer (``int`` but not ``bool``), number (``int``
  or ``float``, not ``bool``), boolean (``bool``), and from 3.1 on null in an ``anyOf``
  branch (``None`` itself gets no verdict); a list of types gets no verdict;
- ``format``: absent, or int32 / int64 on an integer within their range (the validators'
  format checker accepts ``~(1 << 31) < value < 1 << 31``, resp. 63);
- ``enum``: a list holding an equal string, for a string value;
- ``minimum``, ``maximum`` (numbers, without ``exclusiveMinimum``/``exclusiveMaximum``),
  ``minLength``, ``maxLength`` (integers), met;
- ``anyOf`` (without ``discriminator``, which is not among these keywords): a list with a
  branch that is itself certainly valid (so ``anyOf: [{type: string}, {type: 'null'}]``,
  pydantic's optional field, vouches for a string; a missing ``type`` is then allowed);
- annotations the validators ignore: ``title``, ``description``, ``example``,
  ``nullable``, ``readOnly``, ``writeOnly``, ``deprecated``, ``default``, ``x-`` keys.

tests/generator/validate/test_walk.py holds the verdicts to the three validators.
"""

from __future__ import annotations

from typing import Any

_ANNOTATIONS = frozenset(
    {"title", "description", "example", "nullable", "readOnly", "writeOnly", "deprecated"}
)
_FORMAT_BITS = {"int32": 31, "int64": 63}


def _number(value: Any) -> bool:
    return type(value) is int or type(value) is float


def _of_type(value: Any, kind: Any) -> bool:
    if kind == "string":
        return type(value) is str
    if kind == "integer":
        return type(value) is int
    if kind == "number":
        return _number(value)
    if kind == "boolean":
        return type(value) is bool
    return False


def _clean(schema: Any, kind: str) -> bool:
    """Only the keywords above, each well formed, here and in every ``anyOf`` branch: the
    validator then reports, never raises, on a failing branch evaluated before the one
    that passes (``type: 'null'`` raises UnknownType under OpenAPI 3.0, so it is a type
    only from 3.1 on; the schema of a default need not have passed the meta-schema check
    when it is reached by ``$ref``)."""
    if type(schema) is not dict:
        return False
    for key, value in schema.items():
        if key in _ANNOTATIONS or key == "default" or key.startswith("x-"):
            continue
        if key == "type":
            ok = value in ("string", "integer", "number", "boolean") or (
                value == "null" and kind != "3.0"
            )
        elif key == "format":
            ok = value in _FORMAT_BITS
        elif key == "enum":
            ok = type(value) is list
        elif key in ("minimum", "maximum"):
            ok = _number(value)
        elif key in ("minLength", "maxLength"):
            ok = type(value) is int
        elif key == "anyOf":
            ok = type(value) is list and all(_clean(branch, kind) for branch in value)
        else:
            return False
        if not ok:
            return False
    return True


def certainly_valid(schema: dict[str, Any], value: Any, kind: str) -> bool:
    """True only when the validator for ``kind`` ("3.0", "3.1", "3.2") finds nothing wrong
    with ``value`` as ``schema``'s default. ``schema`` and ``value`` are plain JSON."""
    if not _clean(schema, kind):
        return False
    if "anyOf" in schema:
        if not any(certainly_valid(branch, value, kind) for branch in schema["anyOf"]):
            return False
    elif "type" not in schema:
        return False
    if "type" in schema and not _of_type(value, schema["type"]):
        return False
    if "format" in schema:
        bits = _FORMAT_BITS[schema["format"]]
        if type(value) is not int or not ~(1 << bits) < value < 1 << bits:
            return False
    if "enum" in schema:
        enum = schema["enum"]
        if type(value) is not str or type(enum) is not list:
            return False
        if not any(type(item) is str and item == value for item in enum):
            return False
    return _within_bounds(schema, value)


def _within_bounds(schema: dict[str, Any], value: Any) -> bool:
    for key in ("minimum", "maximum"):
        if key in schema:
            bound = schema[key]
            if not (_number(value) and _number(bound)):
                return False
            if not (value >= bound if key == "minimum" else value <= bound):
                return False
    for key in ("minLength", "maxLength"):
        if key in schema:
            bound = schema[key]
            if type(value) is not str or type(bound) is not int:
                return False
            if not (len(value) >= bound if key == "minLength" else len(value) <= bound):
                return False
    return True
