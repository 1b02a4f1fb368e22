"""The shared cache: responses another replica fetched, kept in the state backend.

The local ``ResponseCache`` answers first; on a local miss ``SharedCache.get`` asks
the store (one round trip). The store holds the response's status, content type and
body, never a pickled object (a shared store must not be able to run code in the
client), and each replica decodes it again with the operation's own response model.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Hashable
from typing import Any

from ._decode import decode_success
from ._policy import Plan
from ._state import BackendHealth, CacheStore
from ._transport import RawResponse

__all__ = ["SharedCache", "pack_response", "unpack_response"]

logger = logging.getLogger("resilient_client.state")


def _cache_digest(key: Hashable) -> str:
    # The key's parts are strings, bytes and tuples of them, whose repr is stable
    # across processes; the digest keeps URLs, bodies and identities out of key names.
    return hashlib.sha256(repr(key).encode()).hexdigest()


def pack_response(raw: RawResponse) -> bytes:
    content_type = raw.headers.get("content-type") or ""
    return f"{raw.status}\n{content_type}\n".encode() + raw.content


def unpack_response(data: bytes) -> tuple[int, str | None, bytes]:
    status, content_type, content = data.split(b"\n", 2)
    return int(status), content_type.decode() or None, content


class SharedCache:
    """Responses kept in the store for every replica (the second cache level)."""

    def __init__(self, store: CacheStore, health: BackendHealth) -> None:
        self.store = store
        self.health = health
        self.hits = 0
        self.misses = 0

    async def get(self, plan: Plan, key: Hashable) -> tuple[Any, int, float] | None:
        """(value, size, seconds left), or None on a miss or an unusable backend."""
        health = self.health
        if not health.usable():
            return None
        try:
            found = await self.store.get(_cache_digest(key))
        except Exception as exc:
            health.failed(exc)
            return None
        health.succeeded()
        if found is None:
            self.misses += 1
            return None
        data, ttl = found
        try:
            status, content_type, content = unpack_response(data)
            value = decode_success(
                plan.success_for(status),
                plan.envelope,
                content,
                content_type,
                open_enums=plan.open_responses,
            )
        except Exception as exc:
            # Written by another version of the client, or not by a client at all: a
            # miss, and the fresh answer will replace it.
            logger.debug("shared cache entry for %s unusable: %s", plan.name, exc)
            self.misses += 1
            return None
        self.hits += 1
        return value, len(content), ttl

    async def put(self, key: Hashable, raw: RawResponse, ttl: float) -> None:
        health = self.health
        if not health.usable():
            return
        try:
            await self.store.set(_cache_digest(key), pack_response(raw), ttl)
        except Exception as exc:
            health.failed(exc)
            return
        health.succeeded()
