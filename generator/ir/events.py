"""Server-sent events: which operations answer ``text/event-stream``, and what each
event's ``data`` decodes into.

The data type comes from the media type's schema, read the way specs write it:

- OAS 3.2 ``itemSchema`` describes one event (``{event, data, id, retry}``): the type
  of its ``data`` property is the data's, through ``contentSchema`` when the data is
  a JSON string (``contentMediaType: application/json``); a ``oneOf``/``anyOf`` of
  event shapes gives the union of their data types.
- a ``schema`` (what FastAPI and most hand-written specs give) is the data's own
  schema, JSON-encoded in each event; ``type: string`` means the data is text.
- no schema at all: text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from generator.errors import json_pointer
from generator.ir.nodes import ANY, STR, Events, union
from generator.ir.schemas.converter import SchemaConverter

EVENT_STREAM = "text/event-stream"
_TEXT = Events("text", STR)


def event_stream(
    responses: Any, converter: SchemaConverter, hint: str, pointer: str
) -> Events | None:
    """The event stream of the first success response that offers one, else None;
    ``only`` when no success response offers another media type."""
    if not isinstance(responses, Mapping):
        return None
    found: Events | None = None
    other = False
    for status, raw in responses.items():
        if str(status).strip()[:1] not in ("2", "3"):
            continue
        response, response_pointer = converter.deref(
            raw, json_pointer(*_parts(pointer), "responses", str(status))
        )
        content = response.get("content") if isinstance(response, Mapping) else None
        if not isinstance(content, Mapping):
            continue
        for media, entry in content.items():
            if str(media).split(";", 1)[0].strip().lower() != EVENT_STREAM:
                other = True
            elif found is None:
                where = json_pointer(*_parts(response_pointer), "content", str(media))
                found = (
                    _from_media(entry, converter, f"{hint}Event", where)
                    if isinstance(entry, Mapping)
                    else _TEXT
                )
    if found is None:
        return None
    return found if other else replace(found, only=True)


def _from_media(
    entry: Mapping[str, Any], converter: SchemaConverter, hint: str, pointer: str
) -> Events:
    item = entry.get("itemSchema")
    if item is not None:
        return _from_item(item, converter, hint, f"{pointer}/itemSchema")
    schema = entry.get("schema")
    if schema is None or _is_text(converter.view(schema, f"{pointer}/schema")):
        return _TEXT
    return Events("json", converter.type_of(schema, hint=hint, pointer=f"{pointer}/schema"))


def _from_item(
    item: Any,
    converter: SchemaConverter,
    hint: str,
    pointer: str,
    seen: frozenset[str] = frozenset(),
) -> Events:
    schema, pointer = converter.deref(item, pointer)
    if pointer in seen:  # a shape made of itself: the converter types it Any too
        return Events("json", ANY)
    seen = seen | {pointer}
    if not isinstance(schema, Mapping):
        return _TEXT
    for keyword in ("oneOf", "anyOf"):
        members = schema.get(keyword)
        if isinstance(members, list) and members:
            shapes = [
                _from_item(
                    member, converter, f"{hint}{index}", f"{pointer}/{keyword}/{index}", seen
                )
                for index, member in enumerate(members)
            ]
            if all(shape.data_kind == "text" for shape in shapes):
                return _TEXT
            # text members stay str in the union: such events keep their raw text
            return Events("json", union([shape.data_type for shape in shapes]))
    properties = schema.get("properties")
    data = properties.get("data") if isinstance(properties, Mapping) else None
    if data is None:
        return _TEXT  # the event shape says nothing about its data
    data_pointer = f"{pointer}/properties/data"
    view = converter.view(data, data_pointer)
    content_schema = view.get("contentSchema")
    if content_schema is not None:
        return Events(
            "json",
            converter.type_of(content_schema, hint=hint, pointer=f"{data_pointer}/contentSchema"),
        )
    if _is_text(view):
        return _TEXT
    return Events("json", converter.type_of(data, hint=hint, pointer=data_pointer))


def _is_text(view: Mapping[str, Any]) -> bool:
    kind = view.get("type")
    return not view or kind == "string" or (isinstance(kind, list) and kind == ["string"])


def _parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
