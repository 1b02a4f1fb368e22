"""Source text for ``_sync_client.py``: the blocking twin of ``_client.py``.

``<Name>SyncClient`` subclasses ``resilient_client.sync.SyncServiceClient`` and has one
method per operation with the async method's name, parameters, return type and
docstring; its body hands the async method's coroutine to the runtime's portal
(``self._call(self._async.<name>(...))``), so no request logic is generated twice.
Everything here is derived mechanically from the async client's view, which is why a
new kind of async method only needs one more mapping below:

* a coroutine method -> ``self._call(...)``, same return type;
* an ``<op>_stream`` context manager -> ``self._stream_context(...)``, ``SyncStreamContext``;
* an ``<op>_events`` stream -> ``self._event_stream(...)``, ``SyncEventStream[T]``; the
  plain method of an events-only operation (``EventStream[T]``, connected) ->
  ``self._event_stream(self._call(...))``;
* an ``<op>_iter`` walk (``AsyncPaginator[X, Page]``) -> ``self._paginated(...)``,
  ``SyncPaginator[X, Page]`` (items, ``pages()``).
"""

from __future__ import annotations

import re
from typing import Any

from generator.ir.naming import sync_client_class_name
from generator.ir.nodes import Service
from generator.render.client import _docstring
from generator.render.events import no_content_note
from generator.render.source import docstring_block

#: names a signature may use, and where each comes from (``_client.py`` imports the same)
_TYPING_NAMES = ("Annotated", "Any", "IO", "Literal")
_STDLIB = {"_dt": "import datetime as _dt", "_uuid": "import uuid as _uuid",
           "_decimal": "import decimal as _decimal"}  # fmt: skip
_RUNTIME_NAMES = ("NOT_GIVEN", "NotGiven")


def _parameter_name(entry: str) -> str:
    return entry.split(":", 1)[0].split("=", 1)[0].strip()


def forward_arguments(signature: list[str]) -> list[str]:
    """The call that passes a method's own parameters on, unchanged: positional before
    the bare ``*``, by keyword after it, ``**call_options`` as it came."""
    args: list[str] = []
    keyword = False
    for entry in signature[1:]:  # [0] is self
        if entry == "*":
            keyword = True
            continue
        name = _parameter_name(entry)
        if name.startswith("**"):
            args.append(name)
        elif keyword:
            args.append(f"{name}={name}")
        else:
            args.append(name)
    return args


def _stream_usage(name: str) -> str:
    return "\n".join(
        [
            "Streams the body instead of holding it in memory whole::",
            "",
            f"    with client.{name}(...) as response:",
            "        for chunk in response.iter_bytes(): ...",
            "        # or: written = response.save_to(path)",
            "",
            "Retries happen only before the body starts; a body that breaks off raises",
            "StreamInterruptedError. Leaving the block closes the connection.",
        ]
    )


def _iter_usage(name: str) -> str:
    return "\n".join(
        [
            "Every item across pages::",
            "",
            f"    for item in client.{name}(...): ...",
            f"    for page in client.{name}(...).pages(): ...",
            "",
            "Each page is one call of the operation (retries, breaker and cache apply per",
            "page) with one correlation id for the whole walk; max_pages stops it early.",
        ]
    )


def _events_usage(name: str, *, connected: bool, note: list[str] | None = None) -> str:
    opened = f"client.{name}(...)"
    return "\n".join(
        [
            (
                "Iterates the server-sent events instead of reading the whole answer::"
                if not connected
                else "Returns the server-sent events once the status has arrived::"
            ),
            "",
            f"    with {opened} as events:",
            "        for event in events:",
            "            event.data, event.event, event.id",
            "",
            "The status is checked on entering the block"
            + ("" if not connected else " (here, already when the method returns)")
            + "; leaving",
            "it closes the connection. A dropped connection is resumed with Last-Event-ID",
            "when the operation is idempotent, else raises StreamInterruptedError.",
            *(note or []),
        ]
    )


def sync_client_view(service: Service, client: dict[str, Any]) -> dict[str, Any]:
    """The template's view of ``_sync_client.py``, from the async client's view."""
    methods: list[dict[str, Any]] = []
    for op, view in zip(service.operations, client["operations"], strict=True):
        call = f"self._async.{view['name']}({', '.join(forward_arguments(view['signature']))})"
        if view["return_type"].startswith("EventStream["):
            # events only: the async method returns the connected stream
            methods.append(
                {
                    "name": view["name"],
                    "signature": view["signature"],
                    "return_type": "Sync" + view["return_type"],
                    "docstring": _docstring(
                        op, _events_usage(view["name"], connected=True, note=no_content_note(op))
                    ),
                    "body": f"self._event_stream(self._call({call}))",
                }
            )
        else:
            methods.append(
                {
                    "name": view["name"],
                    "signature": view["signature"],
                    "return_type": view["return_type"],
                    "docstring": view["docstring"],
                    "body": f"self._call({call})",
                }
            )
        stream = view["stream"]
        if stream is not None:
            methods.append(
                {
                    "name": stream["name"],
                    "signature": stream["signature"],
                    "return_type": "SyncStreamContext",
                    "docstring": _docstring(op, _stream_usage(stream["name"])),
                    "body": f"self._stream_context(self._async.{stream['name']}"
                    f"({', '.join(forward_arguments(stream['signature']))}))",
                }
            )
        walk = view.get("iter")
        if walk is not None:
            methods.append(
                {
                    "name": walk["name"],
                    "signature": walk["signature"],
                    "return_type": "Sync" + walk["return_type"].removeprefix("Async"),
                    "docstring": _docstring(op, _iter_usage(walk["name"])),
                    "body": f"self._paginated(self._async.{walk['name']}"
                    f"({', '.join(forward_arguments(walk['signature']))}))",
                }
            )
        events = view.get("events")
        if events is not None:
            methods.append(
                {
                    "name": events["name"],
                    "signature": events["signature"],
                    "return_type": f"SyncEventStream[{events['data_type']}]",
                    "docstring": _docstring(op, _events_usage(events["name"], connected=False)),
                    "body": f"self._event_stream(self._async.{events['name']}"
                    f"({', '.join(forward_arguments(events['signature']))}))",
                }
            )
    text = "\n".join(
        line for m in methods for line in [*m["signature"], m["return_type"]]
    )  # what the annotations name, to import exactly that
    used = {name for name in (*_TYPING_NAMES, *_RUNTIME_NAMES) if re.search(rf"\b{name}\b", text)}
    helpers = [s.helper for s in service.security_schemes if s.helper is not None]
    class_name = sync_client_class_name(client["class_name"])
    # `--client-name SyncServiceClient` would shadow the runtime base class imported here
    async_ref = "_AsyncClient" if client["class_name"] == "SyncServiceClient" else None
    return {
        "class_name": class_name,
        "async_class_name": client["class_name"],
        "async_import": client["class_name"] + (f" as {async_ref}" if async_ref else ""),
        "async_ref": async_ref or client["class_name"],
        "docstring": docstring_block(
            "\n\n".join(
                [
                    f"Blocking client for {service.title}: the async client's methods, "
                    "without await.",
                    *([service.description] if service.description else []),
                    "Every call runs the async client's own pipeline (retries, breaker, "
                    "cache, bulkhead, auth, metrics) on a private event loop thread; "
                    "close() or a with block stops it.",
                ]
            ),
            indent=4,
        ),
        "stdlib_imports": sorted(
            line for name, line in _STDLIB.items() if re.search(rf"\b{name}\.", text)
        ),
        "typing_names": sorted(used & set(_TYPING_NAMES)),
        "runtime_import": ", ".join(sorted({"CallOptions"} | (used & set(_RUNTIME_NAMES)))),
        "sync_import": ", ".join(
            sorted(
                {"SyncServiceClient"}
                | ({"SyncStreamContext"} if "SyncStreamContext" in text else set())
                | ({"SyncEventStream"} if "SyncEventStream[" in text else set())
                | ({"SyncPaginator"} if "SyncPaginator[" in text else set())
            )
        ),
        "uses_field": bool(re.search(r"\bField\(", text)),
        "has_models": "models." in text,
        "auth_helpers": helpers,
        "methods": methods,
    }
