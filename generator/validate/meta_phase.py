"""The meta-schema phase by jsonschema, without importing openapi-spec-validator.

When fastjsonschema cannot vouch for a document (every 3.1 and 3.2 document, and 3.0
documents with problems), jsonschema checks it against the meta-schema. The library's
validator for that is plain jsonschema: ``validator_for(schema)(schema)`` over the
``resources/schemas/v<version>/schema.json`` it ships, with no format checker. Building
the same validator here from the same file saves importing the library (0.15 s beyond
jsonschema's own 0.07 s: pydantic-settings, jsonschema-path), which a small 3.1 document
validated in the main process paid on every cold run.

Used only where that is certainly the library's validator: openapi-spec-validator 0.8.5
(``MODELLED_VERSION``; a test holds the file's JSON to the library's own reading of it),
the jsonschema backend (``fast.jsonschema_backend``), and plain JSON no deeper than
``fast.MAX_DEPTH`` (so the recursion limit, whose exact point moves with the stack depth,
cannot strike); otherwise ``describe.schema_phase`` answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.cache import installed_version
from generator.validate.fast import jsonschema_backend, meta_schema_path, plain_json, valid_v30
from generator.validate.messages import describe, shorten
from generator.validate.phases import MODELLED_VERSION, Found, PhaseResult

_validators: dict[str, Any] = {}


def schema_file(kind: str) -> Path | None:
    """The meta-schema openapi-spec-validator ships for ``kind`` ("3.0", "3.1", "3.2")."""
    path = meta_schema_path()
    return None if path is None else path.parent.parent / f"v{kind}" / "schema.json"


def _validator(kind: str) -> Any:
    if kind not in _validators:
        # why: jsonschema (0.07 s) only when fastjsonschema could not vouch
        from jsonschema.validators import validator_for  # type: ignore[import-untyped]

        path = schema_file(kind)
        if path is None:
            raise FileNotFoundError("openapi-spec-validator's meta-schema")
        schema = json.loads(path.read_text(encoding="utf-8"))
        _validators[kind] = validator_for(schema)(schema)
    return _validators[kind]


def _modelled() -> bool:
    return installed_version("openapi-spec-validator") == MODELLED_VERSION and (
        jsonschema_backend()
    )


def schema_phase(document: dict[str, Any], kind: str) -> PhaseResult:
    """``describe.schema_phase``'s exact answer: nothing when fastjsonschema vouches for a
    3.0 document (``fast``; 3.1 and 3.2 use draft 2020-12, which it does not implement),
    else jsonschema's problems."""
    if kind == "3.0" and valid_v30(document):
        return [], True
    return jsonschema_phase(document, kind)


def jsonschema_phase(document: dict[str, Any], kind: str) -> PhaseResult:
    """``describe.schema_phase``'s exact answer, from jsonschema alone where it can be."""
    if _modelled() and plain_json(document):
        try:
            validator = _validator(kind)
        except (OSError, ValueError):  # no readable file: the library knows where it is
            validator = None
        if validator is not None:
            return collect(lambda: iter(validator.iter_errors(document)))
    # why: openapi-spec-validator costs 0.2 s of imports, paid only where needed
    from generator.validate.describe import schema_phase as library_phase

    return library_phase(document, kind)


def collect(errors: Callable[[], Iterator[Any]]) -> PhaseResult:
    """``describe._collect`` for errors from jsonschema itself."""
    found: list[Found] = []
    try:
        for error in errors():
            found.append(describe(error))
    except RecursionError:
        found.append(("", "too deeply recursive for the validator; not fully validated", "warning"))
        return found, False
    except Exception as exc:  # the validator has its own bugs; they are not the user's
        reason = f"{type(exc).__name__}: {exc}"
        found.append(("", shorten(f"validator could not finish ({reason})"), "warning"))
        return found, False
    return found, True
