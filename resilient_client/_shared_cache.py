"""The shared cache: responses another replica fetched, kept in the state backend.

The local ``ResponseCache`` answers first; on a local miss ``SharedCache.get`` asks
the store (one round trip). The store holds the response's status, content type and
body, never a pickled object (a shared store must not be able to run code in the
client), and each replica decodes it again with the operation's own response model.

Writing a fresh answer to the store does not hold up the call that fetched it (up to the
backend's timeout, 50 ms for Redis, on every miss): ``put`` starts the write as a task
and returns. The tasks are kept (an event loop holds only weak references to its
tasks), a failed write reaches ``BackendHealth`` like any other (one warning per
outage, every failure counted), and the client's ``aclose()`` waits for the writes
still running, cancelling those past ``flush_timeout``.
"""

from __future__ import annotations

import asyncio
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

#: writes in flight at once; more (a backend much slower than the misses) are skipped
#: and counted: a write that is not made only costs another replica a miss
MAX_PENDING_WRITES = 256
#: how long ``aclose`` waits for writes still running before cancelling them (seconds);
#: a backend's own timeout (Redis: 50 ms) normally ends them long before
FLUSH_TIMEOUT = 1.0


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

    def __init__(
        self, store: CacheStore, health: BackendHealth, *, flush_timeout: float = FLUSH_TIMEOUT
    ) -> None:
        self.store = store
        self.health = health
        self.flush_timeout = flush_timeout
        self.hits = 0
        self.misses = 0
        #: writes skipped because MAX_PENDING_WRITES were already running
        self.skipped_writes = 0
        self._writes: set[asyncio.Task[None]] = set()

    @property
    def pending_writes(self) -> int:
        return len(self._writes)

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
        """Start writing ``raw`` to the store and return without waiting for it."""
        if not self.health.usable():
            return
        if len(self._writes) >= MAX_PENDING_WRITES:
            self.skipped_writes += 1
            return
        # packed now: the task must not keep the response (and its connection) alive
        task = asyncio.get_running_loop().create_task(
            self._write(_cache_digest(key), pack_response(raw), ttl)
        )
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _write(self, digest: str, data: bytes, ttl: float) -> None:
        health = self.health
        try:
            await self.store.set(digest, data, ttl)
        except Exception as exc:
            health.failed(exc)  # logged once per outage, every failure counted
            return
        health.succeeded()

    async def flush(self) -> None:
        """Wait until the writes started so far have ended (written or failed)."""
        while self._writes:
            await asyncio.wait(set(self._writes))

    async def aclose(self) -> None:
        """Wait for the writes still running (at most ``flush_timeout`` s), then cancel
        the rest: a closing client neither drops its last answers nor hangs on a
        stalled backend."""
        writes = set(self._writes)
        if not writes:
            return
        if self.flush_timeout > 0:
            _, writes = await asyncio.wait(writes, timeout=self.flush_timeout)
        for task in writes:
            task.cancel()
        if writes:
            # asyncio.wait, not ``await task`` under suppress(CancelledError): that would
            # also swallow a cancellation of this close itself
            await asyncio.wait(writes)
            logger.warning(
                "state backend %s: %d shared cache write(s) still running at close were "
                "cancelled",
                self.health.name,
                len(writes),
                extra={"backend": self.health.name},
            )
