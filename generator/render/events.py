"""The ``<name>_events`` method of an operation answered as ``text/event-stream``, and
the ``events=`` option of its ``Operation`` constant (how each event's data decodes).

``<name>_events`` asks for ``text/event-stream`` and returns ``EventStream[T]``, iterated
event by event. The plain ``<name>`` of an operation that answers only
``text/event-stream`` returns the same stream, connected (``plain_events``); one that
offers JSON too keeps returning the JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.ir.nodes import Operation
from generator.render.source import annotation


def events_options(op: Operation) -> list[str]:
    """``events=ResponseSpec(...)`` (and ``events_only=True``) for the ``Operation``
    constant; nothing without events."""
    events = op.events
    if events is None:
        return []
    only = ["events_only=True"] if events.only else []
    if events.data_kind == "text":
        return ['events=ResponseSpec("text")', *only]
    if events.data_type.is_any:
        return ['events=ResponseSpec("json")', *only]
    type_text = annotation(events.data_type, models_prefix="models.", tagged=True)
    if "models." not in type_text:
        return [f'events=ResponseSpec("json", {type_text})', *only]
    return [f'events=ResponseSpec("json", lazy=lambda: {type_text})', *only]


def plain_events(op: Operation, view: dict[str, Any], describe: Callable[[str], str]) -> None:
    """The plain method of an operation that answers only ``text/event-stream`` returns
    the connected ``EventStream`` (the runtime's ``_request`` opens it), as openai's
    ``await client.create(stream=True)`` returns its ``AsyncStream``: no ``use_cache``
    (a stream is never cached), and ``EventStream[T]`` as its type and its constant's."""
    if op.events is None or not op.events.only:
        return
    view["return_type"] = f"EventStream[{annotation(op.events.data_type, models_prefix='models.')}]"
    view["signature"] = [a for a in view["signature"] if not a.startswith("use_cache:")]
    view["request_args"] = [a for a in view["request_args"] if a != "use_cache=use_cache"]
    usage = "\n".join(
        [
            "Returns the server-sent events once the status has arrived::",
            "",
            f"    async for event in await client.{op.name}(...):",
            "        event.data, event.event, event.id",
            "",
            f"or ``async with await client.{op.name}(...) as events``, which closes the",
            "connection when the block ends.",
            *no_content_note(op),
        ]
    )
    view["docstring"] = describe(usage)


def no_content_note(op: Operation) -> list[str]:
    """Usage lines saying what a declared success without content (a 204 beside the
    stream) returns: the same stream type, without events. Empty when none is declared."""
    statuses = [r.status for r in op.responses if r.success and r.kind == "empty"]
    if not statuses:
        return []
    return ["", f"An answer without content ({', '.join(statuses)}) is a stream without events."]


def events_view(
    op: Operation, view: dict[str, Any], describe: Callable[[str], str]
) -> dict[str, Any] | None:
    """What ``templates/_events_method.jinja`` prints: the plain method's arguments
    minus ``use_cache`` (an event stream is never cached), its docstring from
    ``describe(usage)``."""
    events = op.events
    if events is None:
        return None
    name = events.method
    usage = "\n".join(
        [
            "Iterates the server-sent events instead of reading the whole answer::",
            "",
            f"    async with client.{name}(...) as events:",
            "        async for event in events:",
            "            event.data, event.event, event.id",
            "",
            "The status is checked on entering the block; leaving it (or the loop) closes",
            "the connection. A dropped connection is resumed with Last-Event-ID when the",
            "operation is idempotent, else raises StreamInterruptedError.",
        ]
    )
    return {
        "name": name,
        "data_type": annotation(events.data_type, models_prefix="models."),
        "signature": [a for a in view["signature"] if not a.startswith("use_cache:")],
        "docstring": describe(usage),
        "request_args": [a for a in view["request_args"] if a != "use_cache=use_cache"],
    }
