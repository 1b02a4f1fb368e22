"""A faithful in-memory fake of MetadataStampingService (all 20 routes of its export).

Request bodies mirror the export's models; answers follow services/README.md and the
project's ``specs/metadata_stamping.yaml``. Errors are raised the way the service raises
them: ``{"detail": <error envelope>}`` (or a plain string for size limits).
"""

from __future__ import annotations

import time
import uuid
from functools import cache
from typing import Annotated, Any

from fastapi import FastAPI, File, HTTPException, Query, UploadFile
from fastapi.exceptions import RequestValidationError

from fault_server import stamping_extras
from fault_server.envelope import envelope, raise_error
from fault_server.stamping_models import (
    BatchStampRequest,
    ProtocolValidationRequest,
    StampRequest,
    ValidationRequest,
)
from fault_server.stamping_service import PREFIX, VERSION, Service, StampingService
from fault_server.stamping_store import (
    HASH_PATTERN,
    content_hash,
    grade,
    performance_metrics,
    validate_content,
)


def _check_size(size: int, limit: int, what: str) -> None:
    if size > limit:
        raise HTTPException(status_code=413, detail=f"{what} exceeds {limit} bytes")


def _check_op_id(op_id: str | None) -> None:
    if op_id is None:
        return
    try:
        uuid.UUID(op_id)
    except ValueError:
        raise RequestValidationError(
            [{"loc": ("body", "op_id"), "msg": "op_id must be a UUID", "type": "uuid_parsing"}]
        ) from None


@cache
def metadata_stamping_app() -> FastAPI:
    """The app, built once per process: each server passes its own ``StampingService``
    in the ASGI scope, because building a FastAPI app dominated a test server's start."""
    app = FastAPI(
        title="MetadataStampingService",
        description="Fake of the metadata stamping service (fault-server)",
        version=VERSION,
    )

    @app.post(f"{PREFIX}/stamp")
    def create_stamp(request: StampRequest, svc: Service) -> dict[str, Any]:
        started = time.perf_counter()
        data = request.content.encode()
        _check_size(len(data), svc.max_content_bytes, "Content")
        _check_op_id(request.op_id)
        namespace = request.namespace or "omninode.services.metadata"
        row, created = svc.store.get_or_create(
            data,
            file_path=request.file_path,
            stamp_type=request.options.stamp_type.value,
            namespace=namespace,
            metadata=(request.metadata or {}) if request.options.include_metadata else {},
            protocol_version=request.protocol_version,
            intelligence_data=request.intelligence_data,
            version=request.version,
            op_id=request.op_id,
            metadata_version=request.metadata_version,
            persist=svc.database,
        )
        stamp = row.stamp_data["stamp"]
        result = {
            "success": True,
            # Without a database nothing is stored, so there is no id or creation time.
            "stamp_id": row.id if svc.database else None,
            "file_hash": row.file_hash,
            "stamped_content": f"{stamp}\n{request.content}",
            "stamp": stamp,
            "stamp_type": row.stamp_data["stamp_type"],
            "performance_metrics": performance_metrics(started, len(data)),
            "created_at": row.created_at if svc.database else None,
            "op_id": row.op_id,
            "namespace": row.namespace,
            "version": row.version,
            "metadata_version": row.metadata_version,
        }
        if not svc.database:
            message = "Stamp generated; not stored (no database)"
        elif created:
            message = "Stamp created"
        else:
            message = "Content already stamped; existing stamp returned"
        return envelope(
            result, message=message, metadata={"operation": "create_stamp", "created": created}
        )

    @app.post(f"{PREFIX}/validate")
    def validate_stamp(request: ValidationRequest, svc: Service) -> dict[str, Any]:
        started = time.perf_counter()
        data = request.content.encode()
        _check_size(len(data), svc.max_content_bytes, "Content")
        result = validate_content(request.content, request.options.expected_hash)
        result = {
            "success": True,
            **result,
            "performance_metrics": performance_metrics(started, len(data)),
        }
        return envelope(
            result, metadata={"operation": "validate_stamp", "namespace": request.namespace}
        )

    @app.post(f"{PREFIX}/hash")
    async def generate_hash(
        file: Annotated[UploadFile, File()],
        svc: Service,
        namespace: str | None = Query("default", description="Namespace"),
    ) -> dict[str, Any]:
        data = await file.read()
        _check_size(len(data), svc.max_file_bytes, "File")
        started = time.perf_counter()
        file_hash = content_hash(data)
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        svc.store.count_hash()
        result = {
            "file_hash": file_hash,
            "execution_time_ms": round(elapsed_ms, 4),
            "file_size_bytes": len(data),
            "performance_grade": grade(elapsed_ms),
        }
        return envelope(result, metadata={"operation": "generate_hash", "namespace": namespace})

    @app.get(f"{PREFIX}/stamp/{{file_hash}}")
    def get_stamp(
        svc: Service,
        file_hash: str,
        namespace: str | None = Query(None, description="Filter by namespace"),
    ) -> dict[str, Any]:
        if not HASH_PATTERN.match(file_hash):
            raise_error(
                400, "Invalid file hash: expected 64 lowercase hex characters", code="INVALID_HASH"
            )
        _require_database(svc)
        row = svc.store.get(file_hash)
        if row is None or (namespace is not None and row.namespace != namespace):
            raise_error(404, f"No stamp found for hash {file_hash}", code="NOT_FOUND")
        assert row is not None  # for mypy: raise_error never returns
        return envelope(row.to_dict(), metadata={"operation": "get_stamp"})

    @app.post(f"{PREFIX}/batch")
    def batch_create_stamps(request: BatchStampRequest, svc: Service) -> dict[str, Any]:
        started = time.perf_counter()
        if not request.items:
            raise_error(400, "Batch must contain at least one item", code="EMPTY_BATCH")
        results = [_batch_item(svc, i, item, request) for i, item in enumerate(request.items)]
        ok = sum(1 for r in results if r["success"])
        data = {
            "total_items": len(results),
            "successful_items": ok,
            "failed_items": len(results) - ok,
            "results": results,
            "overall_performance": performance_metrics(started, None),
        }
        # Any failed item makes the whole answer "partial"; the items say which ones.
        status = "success" if ok == len(results) else "partial"
        return envelope(data, status=status, metadata={"operation": "batch_create_stamps"})

    @app.post(f"{PREFIX}/validate-protocol")
    def validate_protocol(request: ProtocolValidationRequest, svc: Service) -> dict[str, Any]:
        started = time.perf_counter()
        data = request.content.encode()
        _check_size(len(data), svc.max_content_bytes, "Content")
        found = validate_content(request.content, None)
        issues: list[str] = []
        if found["stamps_found"] == 0:
            issues.append("No ONEX stamp found")
        elif not found["is_valid"]:
            issues.append("Stamp hash does not match the content")
        level = (
            "none" if found["stamps_found"] == 0 else ("full" if found["is_valid"] else "partial")
        )
        result = {
            "is_valid": found["is_valid"],
            "protocol_version": request.target_protocol,
            "compliance_level": level,
            "issues": issues,
            "recommendations": ["Re-stamp the content"] if issues else [],
        }
        payload = {
            "validation_result": result,
            "performance_metrics": performance_metrics(started, len(data)),
        }
        return envelope(payload, metadata={"validation_level": request.validation_level})

    @app.get(f"{PREFIX}/namespace/{{namespace}}")
    def list_namespace_stamps(
        svc: Service,
        namespace: str,
        limit: int = Query(50, ge=1, le=1000, description="Maximum number of results"),
        offset: int = Query(0, ge=0, description="Offset for pagination"),
    ) -> dict[str, Any]:
        _require_database(svc)
        rows = svc.store.in_namespace(namespace)
        page = rows[offset : offset + limit]
        data = {
            "namespace": namespace,
            "total_stamps": len(rows),
            "stamps": [r.listing() for r in page],
            "pagination": {
                "limit": limit,
                "offset": offset,
                "total": len(rows),
                "has_more": offset + len(page) < len(rows),
            },
        }
        return envelope(data)

    app.include_router(stamping_extras.router)

    return app


def _require_database(svc: StampingService) -> None:
    if not svc.database:
        raise_error(503, "Database not configured", code="DATABASE_UNAVAILABLE")


def _batch_item(
    svc: StampingService, index: int, item: dict[str, Any], request: BatchStampRequest
) -> dict[str, Any]:
    started = time.perf_counter()
    item_id = str(item.get("id") or index)
    content = item.get("content")
    if not isinstance(content, str):
        return {
            "id": item_id,
            "success": False,
            "stamp_id": None,
            "file_hash": None,
            "stamp": None,
            "error": "content is required and must be a string",
            "performance_metrics": None,
        }
    namespace = item.get("namespace") or request.namespace or "default"
    metadata = item.get("metadata")
    row, _ = svc.store.get_or_create(
        content.encode(),
        file_path=item.get("file_path") if isinstance(item.get("file_path"), str) else None,
        stamp_type=request.options.stamp_type.value,
        namespace=str(namespace),
        metadata=metadata if isinstance(metadata, dict) else {},
        protocol_version=request.protocol_version,
        intelligence_data=None,
        version=1,
        op_id=None,
        metadata_version="0.1",
        persist=svc.database,
    )
    return {
        "id": item_id,
        "success": True,
        "stamp_id": row.id if svc.database else None,
        "file_hash": row.file_hash,
        "stamp": row.stamp_data["stamp"],
        "error": None,
        "performance_metrics": performance_metrics(started, row.file_size),
    }
