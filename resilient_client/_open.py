"""Forward-compatible responses: an enum value the spec does not list yet.

A deployed client must survive its server's next release. Unknown fields are kept
(generated models allow extras) and absent optional fields default; this module covers
the third case, a new enum value: ``HealthData.status`` answering ``"starting"`` the day
the server adds it.

- Generated enum classes derive from ``OpenEnum`` (``class Status(str, OpenEnum)``).
  Decoding a response, an unknown value becomes a pseudo-member of the class: an
  instance of ``Status`` (so ``mypy --strict`` holds), equal to its raw value, with
  ``.value`` the value and ``.name`` ``"UNKNOWN"``, and ``Status.is_known(x)`` False.
- Inline enums (``Literal[...]`` fields) carry the ``OpenLiteral`` marker
  (``Annotated[Literal["a", "b"], OpenLiteral]``): decoding a response, an unknown
  value is kept as the plain string or number.
- Everywhere else the enum stays strict: a model built by hand for a request
  (``StampOptions(stamp_type="bogus")``) is refused, and type checkers see the closed
  type. Only the runtime's response decoding opens them, through pydantic's validation
  context, and ``ClientConfig(strict_responses=True)`` turns that off.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, ClassVar

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

#: the validation-context key under which response decoding admits unknown values
OPEN_CONTEXT_KEY = "resilient_client.open_enums"
#: the context response decoding passes (immutable by convention; shared by all calls)
OPEN_CONTEXT: dict[str, Any] = {OPEN_CONTEXT_KEY: True}

_SCALARS = (str, int, float)


def _open(info: core_schema.ValidationInfo) -> bool:
    context = info.context
    return isinstance(context, dict) and context.get(OPEN_CONTEXT_KEY) is True


class OpenEnum(Enum):
    """Base of generated enums: closed for requests, open when decoding a response."""

    _unknown_members: ClassVar[dict[Any, Any]]

    @classmethod
    def is_known(cls, member: Any) -> bool:
        """True for a member the spec lists, False for a value the server added since."""
        return any(member is known for known in cls.__members__.values())

    @classmethod
    def _unknown(cls, value: Any) -> OpenEnum:
        cache = cls.__dict__.get("_unknown_members")
        if cache is None:
            cache = {}
            type.__setattr__(cls, "_unknown_members", cache)
        member = cache.get(value)
        if member is None:
            base: Any = getattr(cls, "_member_type_", object)  # the mixin: str, int or object
            member = object.__new__(cls) if base is object else base.__new__(cls, value)
            member._name_ = "UNKNOWN"
            member._value_ = value
            cache[value] = member
        return member

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        members = list(cls.__members__.values())
        sub_type = "str" if issubclass(cls, str) else "int" if issubclass(cls, int) else None
        closed = core_schema.enum_schema(cls, members, sub_type=sub_type)  # type: ignore[arg-type]

        def validate(
            value: Any,
            closed_validator: core_schema.ValidatorFunctionWrapHandler,
            info: core_schema.ValidationInfo,
        ) -> Any:
            if isinstance(value, cls):
                return value
            try:
                return closed_validator(value)
            except ValueError:
                if _open(info) and isinstance(value, _SCALARS) and not isinstance(value, bool):
                    return cls._unknown(value)
                raise

        return core_schema.with_info_wrap_validator_function(
            validate,
            closed,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda member: member.value if isinstance(member, Enum) else member,
                when_used="json",
            ),
        )


class _OpenLiteral:
    """``Annotated[Literal[...], OpenLiteral]``: a response may carry a value not listed."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        closed = handler(source)

        def validate(
            value: Any,
            closed_validator: core_schema.ValidatorFunctionWrapHandler,
            info: core_schema.ValidationInfo,
        ) -> Any:
            try:
                return closed_validator(value)
            except ValueError:
                if _open(info) and isinstance(value, _SCALARS) and not isinstance(value, bool):
                    return value
                raise

        return core_schema.with_info_wrap_validator_function(validate, closed)

    def __repr__(self) -> str:
        return "OpenLiteral"


OpenLiteral = _OpenLiteral()
