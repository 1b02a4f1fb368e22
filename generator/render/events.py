"""The ``<name>_events`` method of an operation answered as ``text/event-stream``, and
the ``events=`` option of its ``Operation`` constant (how each event's data decodes).

The plain ``<name>`` method is left as it was: it reads the whole answer (the text of
a finite stream, or the JSON of an operation that offers both); ``<name>_events``
asks for ``text/event-stream`` and returns ``EventStream[T]``, iterated event by event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.ir.nodes import Operation
from generator.render.source import annotation


def events_option(op: Operation) -> str | None:
    """``events=ResponseSpec(...)`` for the ``Operation`` constant; None without events."""
    events = op.events
    if events is None:
        return None
    if events.data_kind == "text":
        return 'events=ResponseSpec("text")'
    if events.data_type.is_any:
        return 'events=ResponseSpec("json")'
    type_text = annotation(events.data_type, models_prefix="models.", tagged=True)
    if "models." not in type_text:
        return f'events=ResponseSpec("json", {type_text})'
    return f'events=ResponseSpec("json", lazy=lambda: {type_text})'


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
