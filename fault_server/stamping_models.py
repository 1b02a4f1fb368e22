"""Request bodies of MetadataStampingService, as its OpenAPI export declares them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class StampType(StrEnum):
    lightweight = "lightweight"
    rich = "rich"


class StampOptions(BaseModel):
    stamp_type: StampType = StampType.lightweight
    include_metadata: bool = True
    validate_integrity: bool = True


class StampRequest(BaseModel):
    content: str
    file_path: str | None = None
    options: StampOptions = Field(default_factory=StampOptions)
    metadata: dict[str, Any] | None = None
    protocol_version: str = "1.0"
    namespace: str | None = "omninode.services.metadata"
    intelligence_data: dict[str, Any] | None = None
    version: int = 1
    op_id: str | None = None
    metadata_version: str = "0.1"


class ValidationOptions(BaseModel):
    strict_mode: bool = True
    expected_hash: str | None = None
    check_tampering: bool = True


class ValidationRequest(BaseModel):
    content: str
    options: ValidationOptions = Field(default_factory=ValidationOptions)
    namespace: str | None = "default"


class BatchStampRequest(BaseModel):
    items: list[dict[str, Any]]
    options: StampOptions = Field(default_factory=StampOptions)
    protocol_version: str = "1.0"
    namespace: str | None = "default"


class ProtocolValidationRequest(BaseModel):
    content: str
    target_protocol: str = "O.N.E.v0.1"
    validation_level: str = "strict"
    namespace: str | None = "default"


class StampingInput(BaseModel):
    content: str
    file_path: str | None = None
    file_size: int | None = None
    stamp_type: str = "lightweight"
    namespace: str = "omninode.services.metadata"
    metadata: dict[str, Any] = Field(default_factory=dict)


class ValidationInput(BaseModel):
    content: str
    expected_hash: str | None = None
    namespace: str | None = None
