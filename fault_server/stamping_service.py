"""What one metadata-stamping server holds, handed to the shared app per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from fault_server.stamping_store import StampStore
from fault_server.state import SERVICE_SCOPE_KEY

PREFIX = "/api/v1/metadata-stamping"
VERSION = "0.1.0"
MAX_CONTENT_BYTES = 100 * 1024 * 1024
MAX_FILE_BYTES = 500 * 1024 * 1024


@dataclass(frozen=True)
class StampingService:
    """One server's fake: its stamps and its size limits (lowered in tests to reach 413)."""

    store: StampStore = field(default_factory=StampStore)
    max_content_bytes: int = MAX_CONTENT_BYTES
    max_file_bytes: int = MAX_FILE_BYTES
    #: False runs the service as without its database: nothing is stored, the stamp's id
    #: and creation time are null, reads of stored stamps answer 503, health is degraded.
    database: bool = True


def _service(request: Request) -> StampingService:
    service: StampingService = request.scope[SERVICE_SCOPE_KEY]
    return service


Service = Annotated[StampingService, Depends(_service)]
