"""A small spec with server-sent events, shared by the generator and integration tests.

Importable as ``from sse_spec import ticker_spec`` (a unique module name beside
``fakes.py``). ``watch_ticks`` (GET, idempotent) streams ``Tick`` events;
``run_job`` (POST, not idempotent) answers JSON or, asked for events, ``Progress``
events; ``tail_log`` streams text.
"""

from __future__ import annotations

from typing import Any

PACKAGE = "ticker_client"


def ticker_spec(base_url: str = "http://ticks.test") -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Ticker Service", "version": "1"},
        "servers": [{"url": base_url}],
        "paths": {
            "/ticks": {
                "get": {
                    "operationId": "watch_ticks",
                    "summary": "Ticks as they happen.",
                    "parameters": [
                        {"name": "every", "in": "query", "schema": {"type": "integer"}},
                        {"name": "drop_after", "in": "query", "schema": {"type": "integer"}},
                        {"name": "stall_after", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ticks",
                            "content": {
                                "text/event-stream": {
                                    "schema": {"$ref": "#/components/schemas/Tick"}
                                }
                            },
                        },
                        "404": {"description": "no such ticker"},
                    },
                }
            },
            "/jobs": {
                "post": {
                    "operationId": "run_job",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["name"],
                                    "properties": {
                                        "name": {"type": "string"},
                                        "drop_after": {"type": "integer"},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "the job, or its progress as events",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Job"}
                                },
                                "text/event-stream": {
                                    "schema": {"$ref": "#/components/schemas/Progress"}
                                },
                            },
                        }
                    },
                }
            },
            "/log": {
                "get": {
                    "operationId": "tail_log",
                    "responses": {
                        "200": {
                            "description": "log lines",
                            "content": {"text/event-stream": {"schema": {"type": "string"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Tick": {
                    "type": "object",
                    "required": ["n"],
                    "properties": {
                        "n": {"type": "integer"},
                        "phase": {"type": "string", "enum": ["odd", "even"]},
                    },
                },
                "Job": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Progress": {
                    "type": "object",
                    "required": ["percent"],
                    "properties": {"percent": {"type": "number"}},
                },
            }
        },
    }
