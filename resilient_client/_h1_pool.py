"""The keep-alive pool of the ``transport="httptools"`` send step, honouring ``PoolLimits``.

- ``max_connections`` bounds every connection open or being opened, idle ones included,
  across origins (as httpx counts it). A call that finds the pool full waits, first in
  first out, for at most the pool timeout (``httpx.PoolTimeout``: nothing was sent); an
  idle connection to another origin is closed to make room rather than waited for.
- ``max_keepalive_connections`` bounds the idle ones; ``keepalive_expiry`` drops an idle
  connection older than that when it would next be used (and on every new connect).
- An idle connection is taken most recently used first, and checked (``stale``) before
  a request is written on it: one the server closed while idle is dropped for a fresh
  one, so no request is ever written on a connection already known to be closed.

The slot count is kept exact under cancellation: every path that takes a slot
(``acquire``) ends in ``release`` or ``discard``, which the send step guarantees with
``try``/``finally``; a connect cancelled half-way gives its slot back here.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections import deque
from collections.abc import Callable

import httpx

from ._config import PoolLimits
from ._h1 import H1Connection
from ._h1_request import Origin


class H1Pool:
    """The connections of one client, in the event loop of its first call."""

    def __init__(
        self,
        limits: PoolLimits,
        ssl_context: ssl.SSLContext | bool,
        clock: Callable[[], float],
    ) -> None:
        self._max = limits.max_connections
        self._max_idle = limits.max_keepalive_connections
        self._expiry = limits.keepalive_expiry
        self._ssl = ssl_context
        self._clock = clock
        self._loop = asyncio.get_running_loop()
        self._idle: dict[Origin, deque[H1Connection]] = {}
        self._idle_count = 0
        #: connections open or being opened, idle ones included
        self.active = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._closed = False

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    @property
    def idle_count(self) -> int:
        return self._idle_count

    async def acquire(
        self, origin: Origin, timeout: httpx.Timeout, fresh: bool = False
    ) -> tuple[H1Connection, bool]:
        """A connection to ``origin`` and whether it was reused (idle in the pool);
        ``fresh``: a new one, never an idle one."""
        conn = None if fresh else self._take_idle(origin)
        if conn is not None:
            return conn, True
        if self._max is not None and self.active >= self._max:
            conn = await self._wait_for_room(origin, timeout.pool, fresh)
            if conn is not None:
                return conn, True
        self.active += 1
        try:
            self._sweep()
            conn = await self._connect(origin, timeout.connect)
            conn.origin = origin
            return conn, False
        except BaseException:
            self.active -= 1
            self._wake_one()
            raise

    def release(self, conn: H1Connection, origin: Origin) -> None:
        """Take back a connection whose answer ended: kept idle if it may be reused."""
        if (
            conn.reusable
            and not conn.closed
            and not conn.unsent()
            and not self._closed
            and self._expiry != 0
            and (self._max_idle is None or self._idle_count < self._max_idle)
        ):
            conn.idle_since = self._clock()
            self._idle.setdefault(origin, deque()).append(conn)
            self._idle_count += 1
        else:
            conn.close()
            self.active -= 1
        self._wake_one()

    def discard(self, conn: H1Connection) -> None:
        """Drop a connection mid-exchange (an error, a cancellation, an unread body)."""
        conn.abort()
        self.active -= 1
        self._wake_one()

    def abandon(self) -> None:
        """Drop the idle connections of a pool whose event loop is no longer running."""
        for idle in self._idle.values():
            for conn in idle:
                conn.abandon()
        self._idle.clear()
        self._idle_count = 0

    async def aclose(self) -> None:
        self._closed = True
        for idle in self._idle.values():
            for conn in idle:
                conn.close()
                self.active -= 1
        self._idle.clear()
        self._idle_count = 0
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(httpx.PoolTimeout("the client was closed"))
        # let the transports' close callbacks run before the loop may end
        await asyncio.sleep(0)

    # -- internals ----------------------------------------------------------------------

    def _take_idle(self, origin: Origin) -> H1Connection | None:
        idle = self._idle.get(origin)
        if not idle:
            return None
        expiry = self._expiry
        now = self._clock() if expiry is not None else 0.0
        while idle:
            conn = idle.pop()
            self._idle_count -= 1
            if (expiry is not None and now - conn.idle_since > expiry) or conn.stale():
                conn.close()
                self.active -= 1
                continue
            return conn
        return None

    def _evict_other(self) -> bool:
        """Close the longest idle connection (to any origin) to make room for a new one."""
        oldest: deque[H1Connection] | None = None
        for idle in self._idle.values():
            if idle and (oldest is None or idle[0].idle_since < oldest[0].idle_since):
                oldest = idle
        if oldest is None:
            return False
        oldest.popleft().close()
        self._idle_count -= 1
        self.active -= 1
        return True

    def _sweep(self) -> None:
        """Close idle connections past their expiry or closed by their server."""
        if not self._idle_count:
            return
        now = self._clock()
        expiry = self._expiry
        for idle in self._idle.values():
            kept: list[H1Connection] = []
            for conn in idle:
                if conn.closed or (expiry is not None and now - conn.idle_since > expiry):
                    conn.close()
                    self._idle_count -= 1
                    self.active -= 1
                else:
                    kept.append(conn)
            if len(kept) != len(idle):
                idle.clear()
                idle.extend(kept)

    async def _wait_for_room(
        self, origin: Origin, timeout: float | None, fresh: bool
    ) -> H1Connection | None:
        """Wait until a connection to ``origin`` is idle (returned; unless ``fresh``) or
        a slot is free (None; the caller opens a connection)."""
        deadline = None if timeout is None else self._loop.time() + timeout
        while True:
            conn = None if fresh else self._take_idle(origin)
            if conn is not None:
                return conn
            if self._max is None or self.active < self._max:
                return None
            if self._idle_count and self._evict_other():
                continue
            if self._closed:
                raise httpx.PoolTimeout("the client was closed")
            waiter: asyncio.Future[None] = self._loop.create_future()
            self._waiters.append(waiter)
            timer = None
            if deadline is not None:
                timer = self._loop.call_later(
                    max(0.0, deadline - self._loop.time()), _expire, waiter
                )
            try:
                await waiter
            except BaseException:
                if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                    self._wake_one()  # woken and then cancelled: pass the turn on
                else:
                    with contextlib.suppress(ValueError):
                        self._waiters.remove(waiter)
                raise
            finally:
                if timer is not None:
                    timer.cancel()

    def _wake_one(self) -> None:
        waiters = self._waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    async def _connect(self, origin: Origin, timeout: float | None) -> H1Connection:
        scheme, host, port = origin
        context: ssl.SSLContext | None = None
        if scheme == "https":
            context = self._ssl if isinstance(self._ssl, ssl.SSLContext) else _unverified()
        loop = self._loop
        try:
            async with asyncio.timeout(timeout):
                _, conn = await loop.create_connection(
                    lambda: H1Connection(loop),
                    host,
                    port,
                    ssl=context,
                    server_hostname=host if context is not None else None,
                )
        except TimeoutError:
            raise httpx.ConnectTimeout(f"timed out connecting to {host}:{port}") from None
        except OSError as exc:  # refused, unreachable, DNS, TLS handshake (SSLError)
            raise httpx.ConnectError(f"{type(exc).__name__}: {exc}") from None
        return conn


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(httpx.PoolTimeout("timed out waiting for a pooled connection"))


_UNVERIFIED: list[ssl.SSLContext] = []


def _unverified() -> ssl.SSLContext:
    """``verify=False``: TLS without checking the certificate or the host name."""
    if not _UNVERIFIED:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        _UNVERIFIED.append(context)
    return _UNVERIFIED[0]
