"""In-memory stamps for the MetadataStampingService fake: hashing, stamp text, storage.

The real service hashes with BLAKE3; BLAKE2b-256 gives the same shape (64 hex chars)
from the standard library, which is all a client can observe.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

HASH_PATTERN = re.compile(r"^[a-f0-9]{64}$")
# One stamp per line, in an HTML comment so it survives in most text formats.
_STAMP_LINE = re.compile(r"^<!-- ONEX_STAMP type=(\w+) hash=([a-f0-9]{64})[^\n]*-->\n?", re.M)


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def grade(execution_time_ms: float) -> str:
    """The service's grading: A under 1 ms, B under 2 ms, else C."""
    if execution_time_ms < 1.0:
        return "A"
    if execution_time_ms < 2.0:
        return "B"
    return "C"


def performance_metrics(started: float, size: int | None) -> dict[str, Any]:
    elapsed_ms = (time.perf_counter() - started) * 1000.0
    return {
        "execution_time_ms": round(elapsed_ms, 4),
        "file_size_bytes": size,
        "cpu_usage_percent": 0.0,
        "performance_grade": grade(elapsed_ms),
    }


def make_stamp(file_hash: str, stamp_type: str, namespace: str, metadata: dict[str, Any]) -> str:
    if stamp_type == "rich":
        extra = json.dumps(metadata, sort_keys=True, separators=(",", ":"))
        return (
            f"<!-- ONEX_STAMP type=rich hash={file_hash} namespace={namespace} metadata={extra} -->"
        )
    return f"<!-- ONEX_STAMP type=lightweight hash={file_hash} -->"


def split_stamps(content: str) -> tuple[list[tuple[str, str]], str]:
    """The ``(stamp_type, hash)`` of every stamp line, and the content without them."""
    found = [(m.group(1), m.group(2)) for m in _STAMP_LINE.finditer(content)]
    return found, _STAMP_LINE.sub("", content)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class StampRow:
    """A row of the service's ``metadata_stamps`` table."""

    id: str
    file_hash: str
    file_path: str
    file_size: int
    content_type: str | None
    stamp_data: dict[str, Any]
    protocol_version: str
    intelligence_data: dict[str, Any]
    version: int
    op_id: str
    namespace: str
    metadata_version: str
    created_at: str
    updated_at: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def listing(self) -> dict[str, Any]:
        """The shorter form the namespace listing answers with."""
        return {
            "stamp_id": self.id,
            "file_hash": self.file_hash,
            "file_path": self.file_path,
            "stamp_type": self.stamp_data["stamp_type"],
            "created_at": self.created_at,
            "metadata": self.stamp_data.get("metadata", {}),
            "op_id": self.op_id,
            "namespace": self.namespace,
            "version": self.version,
            "metadata_version": self.metadata_version,
            "intelligence_data": self.intelligence_data,
        }


@dataclass
class StampStore:
    """Stamps by content hash. ``stamps_created`` counts real inserts, not idempotent hits."""

    started_at: float = field(default_factory=time.monotonic)
    stamps_created: int = 0
    hashes_generated: int = 0
    _rows: dict[str, StampRow] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def get_or_create(
        self,
        content: bytes,
        *,
        file_path: str | None,
        stamp_type: str,
        namespace: str,
        metadata: dict[str, Any],
        protocol_version: str,
        intelligence_data: dict[str, Any] | None,
        version: int,
        op_id: str | None,
        metadata_version: str,
        persist: bool = True,
    ) -> tuple[StampRow, bool]:
        """The row for this content, created if new; the bool says whether it was stored.

        ``persist=False`` (a service without its database) builds the row and keeps nothing.
        """
        file_hash = content_hash(content)
        with self._lock:
            self.hashes_generated += 1
            existing = self._rows.get(file_hash) if persist else None
            if existing is not None:
                return existing, False
            created = now_iso()
            row = StampRow(
                id=str(uuid.uuid4()),
                file_hash=file_hash,
                file_path=file_path or "",
                file_size=len(content),
                content_type="text/plain",
                stamp_data={
                    "stamp_type": stamp_type,
                    "stamp": make_stamp(file_hash, stamp_type, namespace, metadata),
                    "metadata": metadata,
                    "namespace": namespace,
                },
                protocol_version=protocol_version,
                intelligence_data=intelligence_data or {},
                version=version,
                op_id=op_id or str(uuid.uuid4()),
                namespace=namespace,
                metadata_version=metadata_version,
                created_at=created,
                updated_at=created,
            )
            if not persist:
                return row, False
            self._rows[file_hash] = row
            self.stamps_created += 1
            return row, True

    def get(self, file_hash: str) -> StampRow | None:
        with self._lock:
            return self._rows.get(file_hash)

    def in_namespace(self, namespace: str) -> list[StampRow]:
        with self._lock:
            rows = [r for r in self._rows.values() if r.namespace == namespace]
        return sorted(rows, key=lambda r: (r.created_at, r.id))

    def count_hash(self) -> None:
        with self._lock:
            self.hashes_generated += 1

    @property
    def total_stamps(self) -> int:
        with self._lock:
            return len(self._rows)

    def uptime(self) -> float:
        return time.monotonic() - self.started_at


def validate_content(content: str, expected_hash: str | None) -> dict[str, Any]:
    """Every stamp found in ``content`` checked against the hash of the content without them."""
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
