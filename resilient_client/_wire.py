"""What a send step other than httpx's provides (``transport="aiohttp"`` or
``"httptools"``): one attempt's exchange, and closing its connections."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol

import httpx

if TYPE_CHECKING:
    from ._call import Call
    from ._transport import RawResponse


class Wire(Protocol):
    def exchange(
        self,
        call: Call,
        timeout: httpx.Timeout,
        headers: dict[str, str],
        params: list[tuple[str, str]],
        max_bytes: int | None,
        follow_redirects: bool,
        max_redirects: int,
    ) -> Coroutine[Any, Any, RawResponse]:
        """Send the attempt's request, follow redirects safely and read the answer
        within ``max_bytes`` (a streamed success comes back open), as
        ``_transport.exchange`` does on httpx."""
        ...

    async def aclose(self) -> None: ...
