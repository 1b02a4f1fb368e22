"""``$ref`` resolution as jsonschema-path does it for the keyword walk, for the one case
modelled: a JSON pointer into the document itself.

jsonschema-path follows a reference wherever the walk steps (and again while the target
is itself a reference) with referencing's ``Resolver.lookup`` and ``Resource.pointer``
over draft 2020-12 resources at the empty base URI. A pointer percent-decodes, then
unescapes ``~1`` and ``~0`` in object keys and reads array indices with ``int``. Nothing
else is modelled (``Unmodelled``): other documents, anchors, pointers to nowhere, chains
of more than ``_MAX_CHAIN`` references (a cycle never ends in the library), and pointers
whose first step is a JSON Schema keyword (only there could referencing enter a
subresource whose ``$id`` moves the base URI; an OpenAPI document's top-level keys never
are one).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from generator.validate.walk_checks import Unmodelled

_MAX_CHAIN = 32
#: referencing's draft 2020-12 keywords: a pointer whose first step is one of them may
#: enter a subresource, whose ``$id`` would change how later references resolve.
_SUBRESOURCE_KEYWORDS = frozenset(
    {
        "additionalProperties",
        "contains",
        "contentSchema",
        "else",
        "if",
        "items",
        "not",
        "propertyNames",
        "then",
        "unevaluatedItems",
        "unevaluatedProperties",
        "allOf",
        "anyOf",
        "oneOf",
        "prefixItems",
        "$defs",
        "definitions",
        "dependentSchemas",
        "patternProperties",
        "properties",
    }
)


class References:
    """Resolves references within ``document``."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, node: Any) -> Any:
        """``node`` with its ``$ref`` followed (again, while the target is a reference)."""
        for _ in range(_MAX_CHAIN):
            if type(node) is not dict or type(node.get("$ref")) is not str:
                return node
            node = self._lookup(node["$ref"])
        raise Unmodelled("a long or circular chain of references")

    def _lookup(self, ref: str) -> Any:
        # referencing's Resolver.lookup and Resource.pointer, for the one case modelled
        if not ref.startswith("#"):
            raise Unmodelled("a reference to another document")
        fragment = ref[1:]
        if not fragment:
            return self.document
        if not fragment.startswith("/"):
            raise Unmodelled("a reference to an anchor")
        contents: Any = self.document
        segments = unquote(fragment[1:]).split("/")
        if segments[0].replace("~1", "/").replace("~0", "~") in _SUBRESOURCE_KEYWORDS:
            raise Unmodelled("a reference into a JSON Schema subresource")
        for segment in segments:
            if type(contents) is list:
                try:
                    contents = contents[int(segment)]
                except (ValueError, IndexError) as error:
                    raise Unmodelled("a reference to nowhere") from error
            elif type(contents) is dict:
                key = segment.replace("~1", "/").replace("~0", "~")
                if key not in contents:
                    raise Unmodelled("a reference to nowhere")
                contents = contents[key]
            else:
                raise Unmodelled("a reference through a scalar")
        return contents
