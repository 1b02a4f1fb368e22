"""What a send step other than httpx's provides (``transport="aiohttp"`` or
``"httptools"``): one attempt's exchange, and closing its connections; and the
construction of the httptools one (imported only when selected)."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from ._config import ClientConfig
from ._exceptions import ConfigError
from ._tls import ssl_context

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


def httptools_wire(
    config: ClientConfig,
    http_client: httpx.AsyncClient | None,
    base_url: str | None,
    clock: Callable[[], float],
) -> Wire:
    """The send step of ``ClientConfig(transport="httptools")`` (see ``_httptools``),
    with the same TLS settings as the httpx transport; httptools is imported here, only
    when selected. ``clock`` times the keep-alive expiry (the client's, for tests)."""
    if http_client is not None:
        raise ConfigError(
            'ClientConfig(transport="httptools") sends through its own connections, so an '
            "http_client cannot be used with it; drop http_client or the transport setting"
        )
    try:
        from ._httptools import HttptoolsWire
    except ImportError as exc:
        raise ConfigError(
            f'ClientConfig(transport="httptools") needs httptools ({exc}); install it with '
            "pip install 'resilient-openapi-clients[httptools]'"
        ) from None
    refuse_proxies(base_url, "httptools")
    return HttptoolsWire(config, ssl_context(config), clock)


def refuse_proxies(base_url: str | None, transport: str) -> None:
    """The httpx transport honours the HTTP(S)_PROXY/ALL_PROXY environment (trust_env);
    the aiohttp and httptools ones do not, so a client that would go through a proxy
    refuses to start rather than silently connecting directly."""
    proxies = urllib.request.getproxies()
    if not proxies or base_url is None:
        return
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL:
        return
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if proxy and not urllib.request.proxy_bypass(url.host):
        raise ConfigError(
            f'ClientConfig(transport="{transport}") cannot send through a proxy, and the '
            f"environment names one for {url.scheme} URLs; use the httpx transport or set "
            f"NO_PROXY={url.host}"
        )
