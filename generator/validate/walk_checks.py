"""The two checks of the keyword walk that need a JSON Schema validator.

- ``meta``: a schema against its meta-schema, as ``SchemaValidator._validate_schema_meta``
  does (3.0: ``OAS30Validator.check_schema``; 3.1 and 3.2: the class jsonschema finds for
  the schema's dialect, with openapi-schema-validator's format checker for the version);
- ``value``: a ``default`` against its schema, as ``ValueValidator`` does (``OAS30Validator``,
  ``OAS31Validator`` or ``OAS32Validator`` over the document's own references).

They call exactly what openapi-spec-validator calls, imported on first use: a 3.0 schema
the ``walk_oracle`` vouches for, and a default ``walk_defaults`` vouches for, need no
validator at all. Any exception a check raises
(where the library would stop with "validator could not finish") becomes ``Unmodelled``.

A check runs on a stack at least as deep as the library's would be at that point
(``_padded``), so a schema or value deep enough to exhaust the recursion limit there
cannot pass here: the walk then declines and the library gives its own answer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from typing import Any

from generator.validate.messages import VALUE_MARK, describe, plain
from generator.validate.phases import Found
from generator.validate.walk_defaults import certainly_valid
from generator.validate.walk_oracle import OAS31_BASE_DIALECT, vouches_for_v30, vouches_for_v31

#: Frames the library may hold beyond the walk at a check, over two per keyword level.
_LIBRARY_MARGIN = 40


class Unmodelled(Exception):
    """The keyword walk does not model this document: the library must answer."""


def stack_depth() -> int:
    frame = sys._getframe(1)
    depth = 0
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    return depth


def _padded(frames: int, call: Callable[[], Any]) -> Any:
    """``call()`` with ``frames`` more frames on the stack."""
    if frames <= 0:
        return call()
    return _padded(frames - 1, call)


class Checks:
    """The meta-schema and ``default`` checks of one walk over ``document``."""

    def __init__(self, document: dict[str, Any], kind: str, resolve: Callable[[Any], Any]):
        self.document = document
        self.kind = kind
        self.resolve = resolve
        self.start_depth = stack_depth()
        self._resolver: Any = None
        self._default_dialect: str | None = None
        self._classes: dict[str, Any] = {}

    def _run(self, level: int, call: Callable[[], Any]) -> Any:
        target = self.start_depth + 2 * level + _LIBRARY_MARGIN
        try:
            return _padded(target - stack_depth(), call)
        except Unmodelled:
            raise
        except Exception as error:  # RecursionError included: the library must answer
            raise Unmodelled(f"a check raised {type(error).__name__}") from error

    # -- the meta-schema check -------------------------------------------------------------

    def meta(self, parts: tuple[Any, ...], schema: Any, level: int) -> Found | None:
        """The problem ``_validate_schema_meta`` reports for ``schema``, located at ``parts``."""
        if self.kind == "3.0":
            if vouches_for_v30(schema):
                return None
            # why: openapi-schema-validator costs 0.1 s of imports, paid only when needed
            from openapi_schema_validator import OAS30Validator

            checker: Callable[[Any], Any] = OAS30Validator.check_schema
        else:
            if self.kind == "3.1" and self._base_dialect(schema) and vouches_for_v31(schema):
                return None
            try:
                checker = self._checker_v31(schema)
            except ValueError as error:
                return plain(parts, str(error))
        problem: Found | None = self._run(level, lambda: self._meta_error(parts, checker, schema))
        return problem

    @staticmethod
    def _meta_error(parts: tuple[Any, ...], checker: Callable[[Any], Any], schema: Any) -> Any:
        # why: jsonschema (0.07 s of imports) only once a schema needs checking by it
        from jsonschema.exceptions import (  # type: ignore[import-untyped]
            SchemaError,
            ValidationError,
        )

        try:
            checker(schema)
        except (SchemaError, ValidationError) as error:
            error.path.extendleft(reversed(parts))
            return describe(error)
        return None

    def _checker_v31(self, schema: Any) -> Callable[[Any], Any]:
        # OpenAPIV31SchemaValidator._get_schema_checker
        # why: jsonschema and openapi-schema-validator (0.17 s) only once a schema is checked
        from jsonschema.validators import validator_for  # type: ignore[import-untyped]
        from openapi_schema_validator import oas31_format_checker, oas32_format_checker

        if type(schema) is dict and "$schema" in schema:
            dialect = schema["$schema"]
            if type(dialect) is not str:
                raise ValueError(f"Unknown JSON Schema dialect: {dialect!r}")
        else:
            dialect = self._default_dialect_v31()
        if dialect not in self._classes:
            self._classes[dialect] = validator_for({"$schema": dialect}, default=None)
        validator_class = self._classes[dialect]
        if validator_class is None:
            raise ValueError(f"Unknown JSON Schema dialect: {dialect!r}")
        checker = oas32_format_checker if self.kind == "3.2" else oas31_format_checker
        return partial(validator_class.check_schema, format_checker=checker)

    def _base_dialect(self, schema: Any) -> bool:
        """True when ``schema`` is checked against the OpenAPI 3.1 base dialect."""
        plain = type(schema) is not dict or "$schema" not in schema
        return plain and self._default_dialect_v31() == OAS31_BASE_DIALECT

    def _default_dialect_v31(self) -> str:
        if self._default_dialect is None:
            dialect = OAS31_BASE_DIALECT
            if self.kind == "3.2":
                # why: openapi-schema-validator (0.17 s of imports) only where no oracle helps
                from openapi_schema_validator import OAS32_BASE_DIALECT_ID

                dialect = OAS32_BASE_DIALECT_ID
            root = self.resolve(self.document)
            if type(root) is dict and "jsonSchemaDialect" in root:
                dialect = self.resolve(root["jsonSchemaDialect"])
                if type(dialect) is not str:
                    raise Unmodelled("jsonSchemaDialect is not a string")
            self._default_dialect = dialect
        return self._default_dialect

    # -- defaults against their schema -----------------------------------------------------

    def value(
        self, parts: tuple[Any, ...], schema: dict[str, Any], value: Any, level: int
    ) -> list[Found]:
        """The problems ``ValueValidator`` reports for ``value`` (the schema's ``default``)."""
        if certainly_valid(schema, value, self.kind):
            return []
        if self.kind == "3.0":
            # why: openapi-schema-validator costs 0.17 s of imports, paid only for a default
            from openapi_schema_validator import OAS30Validator as validator_class
            from openapi_schema_validator import oas30_format_checker as format_checker
        elif self.kind == "3.1":
            # why: as above, only for a default
            from openapi_schema_validator import OAS31Validator as validator_class
            from openapi_schema_validator import oas31_format_checker as format_checker
        else:
            # why: as above, only for a default
            from openapi_schema_validator import OAS32Validator as validator_class
            from openapi_schema_validator import oas32_format_checker as format_checker
        validator = validator_class(
            schema, _resolver=self.resolver(), format_checker=format_checker
        )
        errors = self._run(level, lambda: list(validator.iter_errors(value)))
        found = []
        where = [*parts, "default"]
        for error in errors:
            error.path.extendleft(reversed(where))
            error.schema_path.appendleft(VALUE_MARK)
            found.append(describe(error))
        return found

    def resolver(self) -> Any:
        """The resolver jsonschema-path would hand the value validator: the document as the
        only resource, at the empty base URI, retrieving nothing else."""
        if self._resolver is None:
            # why: referencing comes with jsonschema, needed only once a default is checked
            from referencing import Registry
            from referencing.jsonschema import DRAFT202012

            registry: Any = Registry(retrieve=_retrieve_nothing)  # type: ignore[call-arg]
            registry = registry.with_resource("", DRAFT202012.create_resource(self.document))
            self._resolver = registry.resolver(base_uri="")
        return self._resolver


def _retrieve_nothing(uri: str) -> Any:
    raise Unmodelled(f"a reference to another document ({uri})")
