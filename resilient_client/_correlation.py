"""The correlation id of the current task, carried by ``contextvars``.

Tasks created inside a scope copy the context, so they inherit the id without any
help; a per-call ``correlation_id=`` argument wins over the scope.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from random import getrandbits

_current: ContextVar[str | None] = ContextVar("resilient_client_correlation_id", default=None)


def canonical_correlation_id(value: str | uuid.UUID) -> str:
    """``str(uuid)`` for a UUID, the text itself otherwise (stripped of whitespace)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    text = str(value).strip()
    if not text or any(ch in text for ch in "\r\n\0"):
        # A header value with a line break would be refused by httpx deep in the send;
        # failing here names the actual mistake.
        raise ValueError(f"invalid correlation id {value!r}")
    return text


_VERSION_MASK = ~(0xF000 << 64) & ~(0xC000 << 48)
_VERSION_BITS = (0x4000 << 64) | (0x8000 << 48)


def new_correlation_id() -> str:
    """A random RFC 4122 version-4 UUID string.

    Drawn from ``random`` rather than ``uuid.uuid4`` (``os.urandom``), which costs
    several times more on every call: a correlation id must be unique, not secret.
    """
    h = f"{getrandbits(128) & _VERSION_MASK | _VERSION_BITS:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def get_correlation_id() -> str | None:
    """The id of the enclosing ``correlation_scope``, if any."""
    return _current.get()


def resolve_correlation_id(explicit: str | uuid.UUID | None) -> str:
    if explicit is not None:
        return canonical_correlation_id(explicit)
    current = _current.get()
    if current is not None:
        return current
    return new_correlation_id()


@contextmanager
def correlation_scope(correlation_id: str | uuid.UUID | None = None) -> Iterator[str]:
    """Make every call inside the block (and tasks it spawns) use one correlation id.

    Without an argument a fresh uuid4 is used; the id is yielded either way.
    """
    value = (
        canonical_correlation_id(correlation_id)
        if correlation_id is not None
        else new_correlation_id()
    )
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)
