"""Turn openapi-spec-validator's errors into located, one-line (pointer, message, severity).

Split from ``validation`` so that module can be imported without openapi-spec-validator
(about 0.3 s of imports): a warm ``--check`` answered from the manifest never validates.
Everything that touches the validator's classes lives here and is imported on first use.

The keyword checks (defaults against their schemas, undeclared path parameters, duplicate
operationIds) report no location, so the keyword validators are wrapped to prefix each
error with the JSON pointer of the object being checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from jsonschema.exceptions import (  # type: ignore[import-untyped]
    ValidationError,
    best_match,
)
from jsonschema_path import SchemaPath
from openapi_spec_validator import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    OpenAPIV32SpecValidator,
)
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from generator.errors import Severity, json_pointer
from generator.validate.phases import MAX_MESSAGE, Found, PhaseResult

_VALUE_MARK = "generate-client:value"
_LENIENT_VALIDATORS = frozenset(
    {"additionalProperties", "unevaluatedProperties", "format", "patternProperties"}
)
_LENIENT_MESSAGES = ("Unknown JSON Schema dialect", "Required list has not defined properties")
# Keywords that tell a JSON Schema validator how to read a schema; the generator reads
# none of them, so a malformed one (Swagger's 3.1 petstore gives `$vocabulary` a string)
# cannot change the client.
_META_KEYWORDS = frozenset({"$vocabulary", "$schema", "$comment"})


def _located(base: type[Any], *, value: bool) -> type[Any]:
    """Subclass a keyword validator so its errors carry the checked object's location."""

    class Located(base):  # type: ignore[misc]
        def __call__(self, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
            where = next((a for a in reversed(args) if isinstance(a, SchemaPath)), None)
            for error in super().__call__(*args, **kwargs):
                if where is not None and not getattr(error, "_located", False):
                    parts = [*where.parts, "default"] if value else list(where.parts)
                    error.path.extendleft(reversed(parts))
                    if value:
                        error.schema_path.appendleft(_VALUE_MARK)
                    error._located = True
                yield error

    Located.__name__ = f"Located{base.__name__}"
    return Located


def _with_locations(base: type[Any]) -> type[Any]:
    keywords = {
        name: cls if name == "__root__" else _located(cls, value=name == "default")
        for name, cls in base.keyword_validators.items()
    }
    return type(f"Located{base.__name__}", (base,), {"keyword_validators": keywords})


VALIDATORS: dict[str, type[Any]] = {
    "3.0": _with_locations(OpenAPIV30SpecValidator),
    "3.1": _with_locations(OpenAPIV31SpecValidator),
    "3.2": _with_locations(OpenAPIV32SpecValidator),
}


def _is_reference_branch(errors: list[ValidationError]) -> bool:
    return any(e.validator == "required" and "'$ref'" in e.message for e in errors)


def _cause(error: ValidationError) -> ValidationError:
    """The most specific sub-error of a oneOf/anyOf failure, for message and severity.

    OpenAPI's schema says "a Reference or an X" everywhere; when the object is not a
    reference, the "X" branch is the one that explains the failure.
    """
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
    if _VALUE_MARK in error.schema_path:
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
    if _VALUE_MARK in error.schema_path:
        message = f"default value does not match its schema: {message}"
    bad_codes = _bad_status_codes(cause, path)
    if bad_codes:
        # The schema's "no status code, so `default` is required" branch is what fails,
        # but the cause is the key that is not a status code.
        shown = ", ".join(repr(code) for code in bad_codes)
        message = f"{shown}: not a status code (100-599, 1XX-5XX) or 'default'"
    return pointer, shorten(message), _severity(error, cause)


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


def _wrapped(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    """What the validator's own ``iter_errors`` does to every error it yields."""
    for error in errors:
        yield error if isinstance(error, OpenAPIValidationError) else _wrap(error)


def _wrap(error: ValidationError) -> ValidationError:
    return OpenAPIValidationError.create_from(error)


def _collect(errors: Callable[[], Iterator[ValidationError]]) -> PhaseResult:
    found: list[Found] = []
    try:
        for error in _wrapped(errors()):
            found.append(describe(error))
    except RecursionError:
        found.append(("", "too deeply recursive for the validator; not fully validated", "warning"))
        return found, False
    except Exception as exc:  # the validator has its own bugs; they are not the user's
        reason = f"{type(exc).__name__}: {exc}"
        found.append(("", shorten(f"validator could not finish ({reason})"), "warning"))
        return found, False
    return found, True


def schema_phase(document: dict[str, Any], kind: str) -> PhaseResult:
    """The document against the OpenAPI meta-schema (jsonschema): the first half of the
    validator's ``iter_errors``."""

    def errors() -> Iterator[ValidationError]:
        validator = VALIDATORS[kind](document)
        return iter(validator.schema_validator.iter_errors(validator.schema))

    return _collect(errors)


def root_phase(document: dict[str, Any], kind: str) -> PhaseResult:
    """The keyword walk (tags, paths, components): the second half of ``iter_errors``.
    It does not depend on the first half, so the two can run in different processes."""

    def errors() -> Iterator[ValidationError]:
        validator = VALIDATORS[kind](document)
        return iter(validator.root_validator(validator.schema_path))

    return _collect(errors)


def run_sequential(document: dict[str, Any], kind: str) -> list[Found]:
    """The reference: the validator's own ``iter_errors`` in one pass, as before the two
    phases were split. Tests hold every faster path to exactly this answer."""
    found: list[Found] = []
    try:
        for error in VALIDATORS[kind](document).iter_errors():
            found.append(describe(error))
    except RecursionError:
        found.append(("", "too deeply recursive for the validator; not fully validated", "warning"))
    except Exception as exc:  # the validator has its own bugs; they are not the user's
        reason = f"{type(exc).__name__}: {exc}"
        found.append(("", shorten(f"validator could not finish ({reason})"), "warning"))
    return list(dict.fromkeys(found))
