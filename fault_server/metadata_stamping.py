"""A faithful in-memory fake of MetadataStampingService (all 20 routes of its export).

Request bodies mirror the export's models; answers follow services/README.md and the
project's ``specs/metadata_stamping.yaml``. Errors are raised the way the service raises
them: ``{"detail": <error envelope>}`` (or a plain string for size limits).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse

from fault_server.envelope import envelope, raise_error
from fault_server.stamping_models import (
    BatchStampRequest,
    ProtocolValidationRequest,
    StampingInput,
    StampRequest,
    ValidationInput,
    ValidationRequest,
)
from fault_server.stamping_store import (
    HASH_PATTERN,
    StampStore,
    content_hash,
    grade,
    make_stamp,
    performance_metrics,
    split_stamps,
)
from fault_server.state import SERVICE_SCOPE_KEY

PREFIX = "/api/v1/metadata-stamping"
VERSION = "0.1.0"
MAX_CONTENT_BYTES = 100 * 1024 * 1024
MAX_FILE_BYTES = 500 * 1024 * 1024


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


def _validation(content: str, expected_hash: str | None) -> dict[str, Any]:
    stamps, bare = split_stamps(content)
    current = content_hash(bare.encode())
    details = [
        {"stamp_type": kind, "stamp_hash": h, "is_valid": h == current, "current_hash": current}
        for kind, h in stamps
    ]
    is_valid = bool(stamps) and all(d["is_valid"] for d in details)
    if expected_hash is not None:
        is_valid = is_valid and expected_hash == current
    return {
        "is_valid": is_valid,
        "stamps_found": len(stamps),
        "current_hash": current,
        "validation_details": details,
    }


@dataclass(frozen=True)
class StampingService:
    """One server's fake: its stamps and its size limits (lowered in tests to reach 413)."""

    store: StampStore = field(default_factory=StampStore)
    max_content_bytes: int = MAX_CONTENT_BYTES
    max_file_bytes: int = MAX_FILE_BYTES


def _service(request: Request) -> StampingService:
    service: StampingService = request.scope[SERVICE_SCOPE_KEY]
    return service


Service = Annotated[StampingService, Depends(_service)]


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
        )
        stamp = row.stamp_data["stamp"]
        result = {
            "success": True,
            "stamp_id": row.id,
            "file_hash": row.file_hash,
            "stamped_content": f"{stamp}\n{request.content}",
            "stamp": stamp,
            "stamp_type": row.stamp_data["stamp_type"],
            "performance_metrics": performance_metrics(started, len(data)),
            "created_at": row.created_at,
            "op_id": row.op_id,
            "namespace": row.namespace,
            "version": row.version,
            "metadata_version": row.metadata_version,
        }
        message = "Stamp created" if created else "Content already stamped; existing stamp returned"
        return envelope(
            result, message=message, metadata={"operation": "create_stamp", "created": created}
        )

    @app.post(f"{PREFIX}/validate")
    def validate_stamp(request: ValidationRequest, svc: Service) -> dict[str, Any]:
        started = time.perf_counter()
        data = request.content.encode()
        _check_size(len(data), svc.max_content_bytes, "Content")
        result = _validation(request.content, request.options.expected_hash)
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
        results = [_batch_item(svc.store, i, item, request) for i, item in enumerate(request.items)]
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
        found = _validation(request.content, None)
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

    @app.get(f"{PREFIX}/health/live")
    def health_live(svc: Service) -> dict[str, Any]:
        return envelope(
            {"status": "alive", "uptime_seconds": svc.store.uptime(), "timestamp": time.time()}
        )

    @app.get(f"{PREFIX}/health/ready")
    def health_ready() -> dict[str, Any]:
        components = {
            "database": {"ready": True, "status": "healthy"},
            "hash_generator": {"ready": True, "status": "healthy"},
        }
        return envelope({"status": "ready", "components": components, "overall_ready": True})

    @app.get(f"{PREFIX}/health")
    def health(svc: Service) -> dict[str, Any]:
        components = {
            "database": {
                "status": "healthy",
                "response_time_ms": 0.0,
                "details": {"backend": "memory"},
            },
            "hash_generator": {"status": "healthy", "response_time_ms": 0.0, "details": None},
        }
        data = {
            "status": "healthy",
            "components": components,
            "uptime_seconds": svc.store.uptime(),
            "version": VERSION,
        }
        return envelope(data)

    @app.get(f"{PREFIX}/metrics")
    def get_metrics(
        svc: Service, namespace: str | None = Query(None, description="Filter metrics by namespace")
    ) -> dict[str, Any]:
        total = (
            svc.store.total_stamps if namespace is None else len(svc.store.in_namespace(namespace))
        )
        data = {
            "hash_generation": {
                "total_hashes": svc.store.hashes_generated,
                "algorithm": "blake2b-256",
            },
            "database": {"total_stamps": total, "stamps_created": svc.store.stamps_created},
            "service_uptime": svc.store.uptime(),
        }
        return envelope(data, metadata={"namespace": namespace})

    @app.post(f"{PREFIX}/transform/stamp")
    def transformer_stamp(request: StampingInput) -> dict[str, Any]:
        file_hash = content_hash(request.content.encode())
        stamp = make_stamp(file_hash, request.stamp_type, request.namespace, request.metadata)
        data = {
            "stamped_content": f"{stamp}\n{request.content}",
            "file_hash": file_hash,
            "stamp": stamp,
        }
        return envelope(data, metadata={"transformer": "stamping"})

    @app.post(f"{PREFIX}/transform/validate")
    def transformer_validate(request: ValidationInput) -> dict[str, Any]:
        result = _validation(request.content, request.expected_hash)
        if request.expected_hash is not None and request.expected_hash != result["current_hash"]:
            # The transform routes report a failed check as HTTP 200 with status "error".
            return envelope(
                result, status="error", error="Hash mismatch", message="Validation failed"
            )
        return envelope(result, metadata={"transformer": "validation"})

    @app.get(f"{PREFIX}/transformers")
    def list_transformers() -> dict[str, Any]:
        names = [("stamping", "StampingInput"), ("validation", "ValidationInput")]
        return envelope({"transformers": [{"name": n, "input_schema": s} for n, s in names]})

    @app.get(f"{PREFIX}/schemas")
    def list_schemas() -> dict[str, Any]:
        schemas = {m.__name__: m.model_json_schema() for m in (StampingInput, ValidationInput)}
        return envelope({"schemas": schemas})

    @app.get("/registry/health")
    def registry_health() -> dict[str, Any]:
        return {"status": "healthy", "registry": "memory", "registered_services": 1}

    @app.get("/registry/discover/{service_name}")
    def registry_discover(service_name: str) -> dict[str, Any]:
        known = service_name == "metadata-stamping"
        instances = [{"service_name": service_name, "status": "healthy"}] if known else []
        return {"service_name": service_name, "found": known, "instances": instances}

    @app.get("/registry/services")
    def registry_services() -> dict[str, Any]:
        return {"services": ["metadata-stamping"], "count": 1}

    @app.get("/")
    def root() -> dict[str, Any]:
        return {"service": "MetadataStampingService", "version": VERSION, "status": "running"}

    @app.get("/health")
    def simple_health() -> dict[str, Any]:
        return {"status": "ok", "service": "metadata-stamping"}

    # Not in the JSON export (mounted outside the router), but the service has it.
    @app.get("/metrics", include_in_schema=False, response_class=PlainTextResponse)
    def prometheus_metrics(svc: Service) -> str:
        return (
            "# TYPE metadata_stamps_total counter\n"
            f"metadata_stamps_total {svc.store.stamps_created}\n"
            "# TYPE metadata_hashes_total counter\n"
            f"metadata_hashes_total {svc.store.hashes_generated}\n"
        )

    return app


def _batch_item(
    store: StampStore, index: int, item: dict[str, Any], request: BatchStampRequest
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
    row, _ = store.get_or_create(
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
    )
    return {
        "id": item_id,
        "success": True,
        "stamp_id": row.id,
        "file_hash": row.file_hash,
        "stamp": row.stamp_data["stamp"],
        "error": None,
        "performance_metrics": performance_metrics(started, row.file_size),
    }
