"""Part of stage 1 (load): JSON Schema 2020-12 ``$id``/``$anchor`` references inside a file.

OpenAPI 3.1 schemas may name themselves with ``$id`` (a URI, usually relative such as
``/components/schemas/petdetails``) and mark a location with ``$anchor``; a ``$ref``
resolves against the base URI of its enclosing ``$id`` (or the document's own URI).
Swagger's 3.1 petstore writes ``$ref: /components/schemas/petdetails#pet_details_id``.

The index is exact and bounded: it maps the absolute URIs the file itself declares to
JSON pointers, so such a reference becomes an ordinary ``#/...`` pointer and nothing is
ever fetched. A URI nobody in the file declares is not ours to resolve; the caller then
treats the reference as before (a relative file, or a refusal).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from generator.errors import json_pointer

# Values under these keys are instance data, not schemas: an example may well contain
# a "$id" field that declares nothing.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const", "value"})


class IdIndex:
    """The ``$id`` resources and ``$anchor`` names declared in one parsed file."""

    def __init__(self, data: Any, path: Path) -> None:
        # The file's URI is only a key: a relative $id resolves against it, and refs
        # resolve the same way, so both sides agree without knowing where it was served.
        self.document_uri = path.as_uri()
        self.resources: dict[str, str] = {self.document_uri: ""}
        self.anchors: dict[tuple[str, str], str] = {}
        self.bases: dict[str, str] = {"": self.document_uri}
        self.duplicates: dict[str, list[str]] = {}
        self._index(data)

    @property
    def declares_anything(self) -> bool:
        return len(self.resources) > 1 or bool(self.anchors)

    def _index(self, data: Any) -> None:
        stack: list[tuple[Any, str, str]] = [(data, "", self.document_uri)]
        while stack:
            node, pointer, base = stack.pop()
            if isinstance(node, dict):
                declared = node.get("$id")
                if isinstance(declared, str) and declared.startswith("#"):
                    # draft-07's way to write an anchor; it names no new resource.
                    name = declared[1:]
                    if name and not name.startswith("/"):
                        self._add(self.anchors, (base, name), pointer, f"{base}#{name}")
                elif isinstance(declared, str) and pointer and _joinable(base, declared):
                    uri, _ = urldefrag(urljoin(base, declared))
                    base = uri
                    self.bases[pointer] = uri
                    self._add(self.resources, uri, pointer, uri)
                anchor = node.get("$anchor")
                if isinstance(anchor, str):
                    self._add(self.anchors, (base, anchor), pointer, f"{base}#{anchor}")
                for key, child in node.items():
                    if str(key) not in _DATA_KEYS:
                        stack.append((child, pointer + json_pointer(str(key)), base))
            elif isinstance(node, list):
                stack.extend((item, f"{pointer}/{i}", base) for i, item in enumerate(node))

    def _add(self, table: dict[Any, str], key: Any, pointer: str, shown: str) -> None:
        if key in table and table[key] != pointer:
            self.duplicates.setdefault(shown, [table[key]]).append(pointer)
        else:
            table.setdefault(key, pointer)

    def shown(self, uri: str) -> str:
        """A URI as the author wrote it: never this machine's path to the file."""
        if uri == self.document_uri:
            return "this file"
        return repr(uri.removeprefix("file://") if uri.startswith("file:///") else uri)

    def base_at(self, pointer: str) -> str:
        """The base URI in force at ``pointer``: the nearest enclosing ``$id``."""
        current = pointer
        while current:
            if current in self.bases:
                return self.bases[current]
            current = current.rsplit("/", 1)[0]
        return self.document_uri

    def resolve(self, ref: str, where: str) -> tuple[str | None, str | None]:
        """``(pointer, None)`` for a reference to something this file declares,
        ``(None, message)`` for one that names a declared resource wrongly, and
        ``(None, None)`` when the reference is not about this file's ids at all."""
        base = self.base_at(where)
        if not _joinable(base, ref):
            return None, f"$ref {ref!r} is not a valid URI reference"
        uri, fragment = urldefrag(urljoin(base, ref))
        fragment = unquote(fragment)
        if uri not in self.resources:
            return None, None
        if uri in self.duplicates:
            return None, f"$ref {ref!r}: $id {self.shown(uri)} is declared more than once"
        resource = self.resources[uri]
        if not fragment:
            return resource, None
        if fragment.startswith("/"):
            return resource + fragment, None
        shown = f"{uri}#{fragment}"
        if shown in self.duplicates:
            return None, f"$ref {ref!r}: $anchor {fragment!r} is declared more than once"
        found = self.anchors.get((uri, fragment))
        if found is None:
            return None, f"$ref {ref!r}: no $anchor {fragment!r} in {self.shown(uri)}"
        return found, None


def _joinable(base: str, reference: str) -> bool:
    """urllib raises on some malformed URIs (``http://[x``); such an ``$id`` declares
    nothing we could match, and such a ``$ref`` is a problem, not a crash."""
    try:
        urldefrag(urljoin(base, reference))
    except ValueError:
        return False
    return True
