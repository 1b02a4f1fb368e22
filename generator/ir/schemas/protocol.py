"""What the schema helpers (``allof``, ``fields``) ask of the converter that calls them.

They call back into the converter for the types of the schemas they contain; naming
this protocol instead of ``SchemaConverter`` keeps them from importing the module that
imports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from generator.ir.nodes import Default, TypeRef


class Converter(Protocol):
    def view(self, schema: Any, pointer: str) -> Mapping[str, Any]: ...

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]: ...

    def type_of(self, schema: Any, *, hint: str, pointer: str) -> TypeRef: ...

    def default_for(self, schema: Mapping[str, Any], type_: TypeRef) -> Default | None: ...

    def warn(self, pointer: str, message: str) -> None: ...
