"""Replay of requests that carry an ``Idempotency-Key``.

The first successful answer for a key is stored and every later request with that key
gets it back without the handler running again, so a client retrying after a lost
response causes one side effect, not two. A key reused for a different request is a
client bug and is refused with 422 (as the IETF Idempotency-Key draft suggests).
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

#: Bound on remembered keys; the oldest are forgotten first.
MAX_KEYS = 10_000


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass
class _Entry:
    fingerprint: str
    lock: asyncio.Lock
    response: StoredResponse | None = None


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class KeyReusedError(Exception):
    """The key was first used for a different method, path or body."""


class IdempotencyStore:
    def __init__(self, max_keys: int = MAX_KEYS) -> None:
        self._max_keys = max_keys
        # Cleared from test threads, used from the server loop: guard the dict itself.
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def entry_lock(self, key: str, request_fingerprint: str) -> asyncio.Lock:
        """The per-key lock that serialises concurrent requests with one key.

        A retry that arrives while the first attempt is still running waits for it and
        then replays its answer, instead of running the handler a second time.
        """
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = _Entry(request_fingerprint, asyncio.Lock())
                self._entries[key] = entry
                while len(self._entries) > self._max_keys:
                    self._entries.popitem(last=False)
            elif entry.fingerprint != request_fingerprint:
                raise KeyReusedError(key)
            return entry.lock

    def get(self, key: str) -> StoredResponse | None:
        with self._lock:
            entry = self._entries.get(key)
            return entry.response if entry is not None else None

    def store(self, key: str, response: StoredResponse) -> None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.response is None:
                entry.response = response

    def keys(self) -> list[str]:
        with self._lock:
            return [k for k, e in self._entries.items() if e.response is not None]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def renew_locks(self) -> None:
        """Give every key a fresh lock, keeping the stored answers.

        For a server restarting on a new event loop while nothing runs: an asyncio lock
        that a request once waited on is bound to the loop it waited in.
        """
        with self._lock:
            for entry in self._entries.values():
                entry.lock = asyncio.Lock()
