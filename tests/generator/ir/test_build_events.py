"""Which operations answer ``text/event-stream``, and the type of their events' data."""

from __future__ import annotations

from typing import Any

import pytest
from testdata import CORPUS

from generator.ir.build import build_service
from generator.ir.compare import compare_services
from generator.ir.nodes import STR, Events, Operation, Service, TypeRef, union
from generator.load.document import load


def _service(content: dict[str, Any], **more_paths: Any) -> dict[str, Operation]:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Events", "version": "1"},
        "paths": {
            "/watch": {
                "get": {
                    "operationId": "watch",
                    "responses": {"200": {"description": "ok", "content": content}},
                }
            },
            **more_paths,
        },
        "components": {
            "schemas": {
                "Tick": {"type": "object", "properties": {"n": {"type": "integer"}}},
                "Done": {"type": "object", "properties": {"total": {"type": "integer"}}},
            }
        },
    }
    service, _ = build_service(document, source_name="events.yaml")
    return {op.name: op for op in service.operations}


TICK = TypeRef("model", "Tick")
DONE = TypeRef("model", "Done")


def test_a_schema_is_the_json_data_of_each_event() -> None:
    ops = _service({"text/event-stream": {"schema": {"$ref": "#/components/schemas/Tick"}}})
    assert ops["watch"].events == Events("json", TICK, "watch_events", only=True)


def test_a_string_schema_or_none_means_text_data() -> None:
    for media in ({"schema": {"type": "string"}}, {}, {"schema": {}}):
        ops = _service({"text/event-stream; charset=utf-8": media})
        assert ops["watch"].events == Events("text", STR, "watch_events", only=True)


def test_item_schema_data_with_content_schema() -> None:
    item = {
        "type": "object",
        "properties": {
            "event": {"type": "string"},
            "data": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": {"$ref": "#/components/schemas/Tick"},
            },
            "id": {"type": "string"},
        },
    }
    ops = _service({"text/event-stream": {"itemSchema": item}})
    assert ops["watch"].events == Events("json", TICK, "watch_events", only=True)


def test_item_schema_one_of_event_shapes_is_a_union_of_their_data() -> None:
    def shape(name: str) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "event": {"const": name.lower()},
                "data": {"contentSchema": {"$ref": f"#/components/schemas/{name}"}},
            },
        }

    ops = _service({"text/event-stream": {"itemSchema": {"oneOf": [shape("Tick"), shape("Done")]}}})
    assert ops["watch"].events == Events("json", union([TICK, DONE]), "watch_events", only=True)


def test_item_schema_with_string_data_is_text() -> None:
    item = {"type": "object", "properties": {"data": {"type": "string"}}}
    ops = _service({"text/event-stream": {"itemSchema": item}})
    assert ops["watch"].events == Events("text", STR, "watch_events", only=True)


def test_json_beside_events_keeps_the_plain_method_json() -> None:
    ops = _service(
        {
            "application/json": {"schema": {"$ref": "#/components/schemas/Done"}},
            "text/event-stream": {"schema": {"$ref": "#/components/schemas/Tick"}},
        }
    )
    watch = ops["watch"]
    assert watch.return_type == DONE
    assert watch.events == Events("json", TICK, "watch_events")  # not only events


def test_events_only_across_every_success_status() -> None:
    events = {"text/event-stream": {"schema": {"$ref": "#/components/schemas/Tick"}}}
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Events", "version": "1"},
        "paths": {
            "/watch": {
                "get": {
                    "operationId": "watch",
                    "responses": {
                        "200": {"description": "ok", "content": events},
                        "202": {
                            "description": "queued",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "204": {"description": "nothing to stream"},
                    },
                }
            },
            "/tail": {
                "get": {
                    "operationId": "tail",
                    "responses": {
                        "200": {"description": "ok", "content": events},
                        "204": {"description": "nothing to stream"},
                        "404": {
                            "description": "no",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                    },
                }
            },
        },
        "components": {"schemas": {"Tick": {"type": "object"}}},
    }
    service, _ = build_service(document, source_name="events.yaml")
    ops = {op.name: op for op in service.operations}
    assert ops["watch"].events is not None and not ops["watch"].events.only  # 202 is JSON
    assert ops["tail"].events is not None and ops["tail"].events.only  # 204, 404 are not


def test_no_event_stream_no_events_and_error_responses_do_not_count() -> None:
    ops = _service(
        {"application/json": {"schema": {"type": "object"}}},
        **{
            "/other": {
                "get": {
                    "operationId": "other",
                    "responses": {
                        "200": {"description": "ok"},
                        "default": {
                            "description": "err",
                            "content": {"text/event-stream": {"schema": {"type": "string"}}},
                        },
                    },
                }
            }
        },
    )
    assert ops["watch"].events is None and ops["other"].events is None


def test_the_events_method_steps_aside_for_an_operation_of_that_name() -> None:
    stream = {"text/event-stream": {"schema": {"type": "string"}}}
    ops = _service(
        stream,
        **{
            "/watch/events": {
                "get": {
                    "operationId": "watch_events",
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    )
    assert ops["watch"].events is not None
    assert ops["watch"].events.method == "watch_events2"


@pytest.mark.slow
def test_the_corpus_document_with_event_streams() -> None:
    # DigitalOcean's OpenAI-compatible inference routes answer JSON, or SSE chunks when
    # the request says stream: true: the only corpus document with event streams
    loaded = load(CORPUS / "digitalocean-multifile/specification/DigitalOcean-public.v2.yaml")
    service, _ = build_service(loaded.document, source_name=loaded.source_name)
    streams = {op.name: op for op in service.operations if op.events is not None}
    assert sorted(streams) == [
        "agent_inference_create_chat_completion",
        "inference_create_chat_completion",
        "inference_create_image",
        "inference_create_messages",
        "inference_create_response",
    ]
    chat = streams["inference_create_chat_completion"]
    assert chat.events == Events(
        "json", TypeRef("model", "ChatCompletionChunk"), "inference_create_chat_completion_events"
    )
    assert chat.return_type != chat.events.data_type  # the plain method keeps the JSON answer


def _watch(content: dict[str, Any]) -> Service:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Events", "version": "1"},
        "paths": {
            "/watch": {
                "get": {
                    "operationId": "watch",
                    "responses": {"200": {"description": "ok", "content": content}},
                }
            }
        },
        "components": {
            "schemas": {"Tick": {"type": "object", "properties": {"n": {"type": "integer"}}}}
        },
    }
    return build_service(document, source_name="events.yaml")[0]


def test_breaking_changes_of_an_event_stream() -> None:
    ticks = _watch({"text/event-stream": {"schema": {"$ref": "#/components/schemas/Tick"}}})
    text = _watch({"text/event-stream": {"schema": {"type": "string"}}})
    json_only = _watch({"application/json": {"schema": {"type": "string"}}})
    assert [str(c) for c in compare_services(ticks, json_only)] == [
        "BREAKING: watch: watch_events removed (no text/event-stream)"
    ]
    assert [str(c) for c in compare_services(json_only, ticks)] == [
        "added: watch: watch_events added (text/event-stream)"
    ]
    assert "BREAKING: watch: event data type Tick -> str" in [
        str(c) for c in compare_services(ticks, text)
    ]
    both = _watch(
        {
            "application/json": {"schema": {"type": "string"}},
            "text/event-stream": {"schema": {"$ref": "#/components/schemas/Tick"}},
        }
    )
    assert "BREAKING: watch: no longer returns the events (text/event-stream only: False)" in [
        str(c) for c in compare_services(ticks, both)
    ]


def test_a_renamed_events_method_is_breaking() -> None:
    """A new operation called ``watch_events`` pushes the twin to ``watch_events2``:
    callers of ``watch_events()`` now reach a different operation."""
    content = {"text/event-stream": {"schema": {"$ref": "#/components/schemas/Tick"}}}
    old = _watch(content)
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Events", "version": "1"},
        "paths": {
            "/watch": {
                "get": {
                    "operationId": "watch",
                    "responses": {"200": {"description": "ok", "content": content}},
                }
            },
            "/other": {
                "get": {
                    "operationId": "watch_events",
                    "responses": {"204": {"description": "none"}},
                }
            },
        },
        "components": {
            "schemas": {"Tick": {"type": "object", "properties": {"n": {"type": "integer"}}}}
        },
    }
    new = build_service(document, source_name="events.yaml")[0]
    assert {op.name: op.events.method for op in new.operations if op.events} == {
        "watch": "watch_events2"
    }
    assert "BREAKING: watch: watch_events renamed watch_events2" in [
        str(c) for c in compare_services(old, new)
    ]


def test_an_item_schema_that_refers_to_itself_is_not_followed_forever() -> None:
    """The schema converter types a schema that is only a reference to itself as Any with
    a warning; the event reading must not recurse into it until Python gives up (which
    refused the whole document as "schemas reference each other too deeply")."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Events", "version": "1"},
        "paths": {
            "/watch": {
                "get": {
                    "operationId": "watch",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "text/event-stream": {
                                    "itemSchema": {"$ref": "#/components/schemas/Loop"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Loop": {"oneOf": [{"$ref": "#/components/schemas/Loop"}]}}},
    }
    service, _ = build_service(document, source_name="events.yaml")
    (watch,) = service.operations
    assert watch.events is not None and watch.events.data_type.is_any
