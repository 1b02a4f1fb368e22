"""One validator error as a located, one-line (pointer, message, severity).

Shared by ``describe`` (errors from openapi-spec-validator itself) and ``walk`` (the same
keyword walk done over the plain document), so both word and rank every problem the
same way. Nothing here imports a validator: ``best_match`` (jsonschema) is imported only
when an error has sub-errors to choose from, which only jsonschema's own errors have.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from generator.errors import Severity, json_pointer
from generator.validate.phases import MAX_MESSAGE

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

#: Marks (in ``schema_path``) an error about a ``default`` value rather than the document.
VALUE_MARK = "generate-client:value"
_LENIENT_VALIDATORS = frozenset(
    {"additionalProperties", "unevaluatedProperties", "format", "patternProperties"}
)
_LENIENT_MESSAGES = ("Unknown JSON Schema dialect", "Required list has not defined properties")
# Keywords that tell a JSON Schema validator how to read a schema; the generator reads
# none of them, so a malformed one (Swagger's 3.1 petstore gives `$vocabulary` a string)
# cannot change the client.
_META_KEYWORDS = frozenset({"$vocabulary", "$schema", "$comment"})


def _is_reference_branch(errors: list[ValidationError]) -> bool:
    return any(e.validator == "required" and "'$ref'" in e.message for e in errors)


def _cause(error: ValidationError) -> ValidationError:
    """The most specific sub-error of a oneOf/anyOf failure, for message and severity.

    OpenAPI's schema says "a Reference or an X" everywhere; when the object is not a
    reference, the "X" branch is the one that explains the failure.
    """
    if not error.context:
        return error
    # why: only jsonschema's own errors have sub-errors, and then jsonschema is loaded
    from jsonschema.exceptions import best_match

    for _ in range(20):
        if not error.context:
            break
        branches: dict[Any, list[ValidationError]] = {}
        for inner in error.context:
            branch = inner.relative_schema_path[0] if inner.relative_schema_path else None
            branches.setdefault(branch, []).append(inner)
        candidates = [
            e for errs in branches.values() if not _is_reference_branch(errs) for e in errs
        ]
        chosen = best_match(candidates or list(error.context))
        if chosen is None:
            break
        error = chosen
    return error


def _severity(error: ValidationError, cause: ValidationError) -> Severity:
    if VALUE_MARK in error.schema_path:
        return "warning"
    if cause.validator in _LENIENT_VALIDATORS or error.validator in _LENIENT_VALIDATORS:
        return "warning"
    if any(str(part) in _META_KEYWORDS for part in list(cause.absolute_path)[-1:]):
        return "warning"
    if any(error.message.startswith(prefix) for prefix in _LENIENT_MESSAGES):
        return "warning"
    return "error"


def shorten(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 3] + "..."


def describe(error: ValidationError) -> tuple[str, str, Severity]:
    cause = _cause(error)
    path = list(cause.absolute_path) if cause is not error else list(error.path)
    pointer = json_pointer(*[str(p) for p in path])
    message = cause.message if cause is not error else error.message
    if VALUE_MARK in error.schema_path:
        message = f"default value does not match its schema: {message}"
    bad_codes = _bad_status_codes(cause, path)
    if bad_codes:
        # The schema's "no status code, so `default` is required" branch is what fails,
        # but the cause is the key that is not a status code.
        shown = ", ".join(repr(code) for code in bad_codes)
        message = f"{shown}: not a status code (100-599, 1XX-5XX) or 'default'"
    return pointer, shorten(message), _severity(error, cause)


def plain(where: Sequence[Any], message: str) -> tuple[str, str, Severity]:
    """``describe`` of an error the keyword walk raises itself (no jsonschema validator,
    no sub-errors, no path of its own): located at ``where``."""
    severity: Severity = "error"
    if any(str(part) in _META_KEYWORDS for part in list(where)[-1:]) or any(
        message.startswith(prefix) for prefix in _LENIENT_MESSAGES
    ):
        severity = "warning"
    return json_pointer(*[str(p) for p in where]), shorten(message), severity


_STATUS_CODE = re.compile(r"^[1-5](?:[0-9]{2}|XX)$")


def _bad_status_codes(cause: ValidationError, path: list[Any]) -> list[str]:
    if cause.validator != "required" or not path or path[-1] != "responses":
        return []
    if not isinstance(cause.instance, dict) or "'default'" not in cause.message:
        return []
    return [
        str(key)
        for key in cause.instance
        if not _STATUS_CODE.match(str(key)) and not str(key).startswith("x-")
    ]
