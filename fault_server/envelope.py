"""The ``UnifiedResponse`` envelope both services answer with, and their error shapes."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException


def envelope(
    data: Any = None,
    *,
    status: str = "success",
    error: str | list[dict[str, Any]] | None = None,
    message: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "status": status,
        "data": data,
        "error": error,
        "message": message,
        "metadata": metadata if metadata is not None else {},
    }


def error_envelope(message: str, *, code: str | None = None) -> dict[str, Any]:
    error: str | list[dict[str, Any]] = (
        message if code is None else [{"code": code, "field": None, "message": message}]
    )
    return envelope(None, status="error", error=error, message=message)


def raise_error(status_code: int, message: str, *, code: str | None = None) -> None:
    """Raise as the services do: ``{"detail": <error envelope>}`` with the status."""
    raise HTTPException(status_code=status_code, detail=error_envelope(message, code=code))
