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
  or ``float``, not ``bool``), boolean (``bool``); a list of types gets no verdict;
- ``format``: absent, or int32 / int64 on an integer within their range (the validators'
  format checker accepts ``~(1 << 31) < value < 1 << 31``, resp. 63);
- ``enum``: a list holding an equal string, for a string value;
- ``minimum``, ``maximum`` (numbers, without ``exclusiveMinimum``/``exclusiveMaximum``),
  ``minLength``, ``maxLength`` (integers), met;
- annotations the validators ignore: ``title``, ``description``, ``example``,
  ``nullable``, ``readOnly``, ``writeOnly``, ``deprecated``, ``default``, ``x-`` keys.

tests/generator/validate/test_walk.py holds the verdicts to the three validators.
"""

from __future__ import annotations

from typing import Any

_ANNOTATIONS = frozenset(
    {"title", "description", "example", "nullable", "readOnly", "writeOnly", "deprecated"}
)
_CHECKED = frozenset({"type", "format", "enum", "minimum", "maximum", "minLength", "maxLength"})
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


def certainly_valid(schema: dict[str, Any], value: Any) -> bool:
    """True only when the validator for the document's version finds nothing wrong with
    ``value`` as ``schema``'s default. ``schema`` and ``value`` are plain JSON."""
    for key in schema:
        known = key in _CHECKED or key in _ANNOTATIONS or key == "default"
        if not known and not key.startswith("x-"):
            return False
    if "type" not in schema or not _of_type(value, schema["type"]):
        return False
    if "format" in schema:
        bits = _FORMAT_BITS.get(schema["format"])
        if bits is None or type(value) is not int or not ~(1 << bits) < value < 1 << bits:
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
