"""Turn openapi-spec-validator's errors into located, one-line (pointer, message, severity).

Split from ``validation`` so that module can be imported without openapi-spec-validator
(about 0.3 s of imports): a warm ``--check`` answered from the manifest never validates.
Everything that touches the validator's classes lives here and is imported on first use.

How an error is worded, located and ranked lives in ``messages``, shared with ``walk``.
The keyword checks (defaults against their schemas, undeclared path parameters, duplicate
operationIds) report no location, so the keyword validators are wrapped to prefix each
error with the JSON pointer of the object being checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]
from jsonschema_path import SchemaPath
from openapi_spec_validator import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    OpenAPIV32SpecValidator,
)
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from generator.validate.messages import VALUE_MARK, describe, shorten
from generator.validate.phases import Found, PhaseResult

__all__ = ["VALIDATORS", "describe", "root_phase", "run_sequential", "schema_phase", "shorten"]


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
                        error.schema_path.appendleft(VALUE_MARK)
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
