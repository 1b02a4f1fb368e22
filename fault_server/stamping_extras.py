"""MetadataStampingService's probes, metrics, transformers, registry and root routes."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from fault_server.envelope import envelope
from fault_server.stamping_models import StampingInput, ValidationInput
from fault_server.stamping_service import PREFIX, VERSION, Service
from fault_server.stamping_store import content_hash, make_stamp, validate_content

router = APIRouter()


@router.get(f"{PREFIX}/health/live")
def health_live(svc: Service) -> dict[str, Any]:
    return envelope(
        {"status": "alive", "uptime_seconds": svc.store.uptime(), "timestamp": time.time()}
    )


@router.get(f"{PREFIX}/health/ready")
def health_ready(svc: Service) -> dict[str, Any]:
    database = (
        {"ready": True, "status": "healthy"}
        if svc.database
        else {"ready": False, "status": "unavailable", "reason": "no database configured"}
    )
    components = {"database": database, "hash_generator": {"ready": True, "status": "healthy"}}
    ready = svc.database
    data = {
        "status": "ready" if ready else "not_ready",
        "components": components,
        "overall_ready": ready,
    }
    # Not ready is still HTTP 200: the envelope says "partial" and data says which part.
    return envelope(data, status="success" if ready else "partial")


@router.get(f"{PREFIX}/health")
def health(svc: Service) -> dict[str, Any]:
    database = (
        {"status": "healthy", "response_time_ms": 0.0, "details": {"backend": "memory"}}
        if svc.database
        else {
            "status": "unhealthy",
            "response_time_ms": None,
            "details": {"error": "not configured"},
        }
    )
    components = {
        "database": database,
        "hash_generator": {"status": "healthy", "response_time_ms": 0.0, "details": None},
    }
    data = {
        "status": "healthy" if svc.database else "degraded",
        "components": components,
        "uptime_seconds": svc.store.uptime(),
        "version": VERSION,
    }
    return envelope(data, status="success" if svc.database else "partial")


@router.get(f"{PREFIX}/metrics")
def get_metrics(
    svc: Service, namespace: str | None = Query(None, description="Filter metrics by namespace")
) -> dict[str, Any]:
    total = svc.store.total_stamps if namespace is None else len(svc.store.in_namespace(namespace))
    data = {
        "hash_generation": {
            "total_hashes": svc.store.hashes_generated,
            "algorithm": "blake2b-256",
        },
        "database": (
            {"total_stamps": total, "stamps_created": svc.store.stamps_created}
            if svc.database
            else {}
        ),
        "service_uptime": svc.store.uptime(),
    }
    return envelope(data, metadata={"namespace": namespace})


@router.post(f"{PREFIX}/transform/stamp")
def transformer_stamp(request: StampingInput) -> dict[str, Any]:
    file_hash = content_hash(request.content.encode())
    stamp = make_stamp(file_hash, request.stamp_type, request.namespace, request.metadata)
    data = {
        "stamped_content": f"{stamp}\n{request.content}",
        "file_hash": file_hash,
        "stamp": stamp,
    }
    return envelope(data, metadata={"transformer": "stamping"})


@router.post(f"{PREFIX}/transform/validate")
def transformer_validate(request: ValidationInput) -> dict[str, Any]:
    result = validate_content(request.content, request.expected_hash)
    if request.expected_hash is not None and request.expected_hash != result["current_hash"]:
        # The transform routes report a failed check as HTTP 200 with status "error".
        return envelope(result, status="error", error="Hash mismatch", message="Validation failed")
    return envelope(result, metadata={"transformer": "validation"})


@router.get(f"{PREFIX}/transformers")
def list_transformers() -> dict[str, Any]:
    names = [("stamping", "StampingInput"), ("validation", "ValidationInput")]
    return envelope({"transformers": [{"name": n, "input_schema": s} for n, s in names]})


@router.get(f"{PREFIX}/schemas")
def list_schemas() -> dict[str, Any]:
    schemas = {m.__name__: m.model_json_schema() for m in (StampingInput, ValidationInput)}
    return envelope({"schemas": schemas})


@router.get("/registry/health")
def registry_health() -> dict[str, Any]:
    return {"status": "healthy", "registry": "memory", "registered_services": 1}


@router.get("/registry/discover/{service_name}")
def registry_discover(service_name: str) -> dict[str, Any]:
    known = service_name == "metadata-stamping"
    instances = [{"service_name": service_name, "status": "healthy"}] if known else []
    return {"service_name": service_name, "found": known, "instances": instances}


@router.get("/registry/services")
def registry_services() -> dict[str, Any]:
    return {"services": ["metadata-stamping"], "count": 1}


@router.get("/")
def root() -> dict[str, Any]:
    return {"service": "MetadataStampingService", "version": VERSION, "status": "running"}


@router.get("/health")
def simple_health() -> dict[str, Any]:
    return {"status": "ok", "service": "metadata-stamping"}


# Not in the JSON export (mounted outside the router), but the service has it.
@router.get("/metrics", include_in_schema=False, response_class=PlainTextResponse)
def prometheus_metrics(svc: Service) -> str:
    return (
        "# TYPE metadata_stamps_total counter\n"
        f"metadata_stamps_total {svc.store.stamps_created}\n"
        "# TYPE metadata_hashes_total counter\n"
        f"metadata_hashes_total {svc.store.hashes_generated}\n"
    )
