"""Credentials: bearer (static or refreshed), API keys, basic, OAuth2 client credentials.

An ``Auth`` writes its credential into the outgoing headers, query pairs or cookies of
each attempt (so providers can refresh tokens), names what it writes (so redirects to
another origin and log records can drop it), and offers an ``identity`` (a hash of the
credential) so cached responses are never shared between two credentials.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import inspect
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

import httpx

from ._exceptions import AuthError

TokenProvider = Callable[[], "str | Awaitable[str]"]


def _fingerprint(secret: str) -> str:
    # A short digest is enough to keep cache entries apart and never reveals the secret.
    return hashlib.sha256(secret.encode()).hexdigest()[:32]


class Auth:
    """Base class: subclass and implement ``apply`` and ``identity`` for custom schemes."""

    #: lower-case header names this auth writes
    secret_headers: frozenset[str] = frozenset()
    #: lower-case query parameter names this auth writes
    secret_params: frozenset[str] = frozenset()

    async def apply(
        self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]
    ) -> None:
        raise NotImplementedError

    async def identity(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        # Never show the credential itself, whatever the subclass stores.
        return f"{type(self).__name__}(...)"


class BearerAuth(Auth):
    """``Authorization: Bearer <token>``; ``token`` may be a sync or async callable."""

    secret_headers = frozenset({"authorization"})

    def __init__(self, token: str | TokenProvider) -> None:
        self._token = token

    async def token(self) -> str:
        if isinstance(self._token, str):
            return self._token
        value = self._token()
        if inspect.isawaitable(value):
            value = await value
        return str(value)

    async def apply(
        self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]
    ) -> None:
        headers["authorization"] = f"Bearer {await self.token()}"

    async def identity(self) -> str:
        return "bearer:" + _fingerprint(await self.token())


class ApiKeyAuth(Auth):
    """An API key in a header (default ``X-API-Key``), a query parameter or a cookie."""

    def __init__(
        self,
        key: str,
        *,
        name: str = "X-API-Key",
        location: Literal["header", "query", "cookie"] = "header",
    ) -> None:
        if location not in ("header", "query", "cookie"):
            raise ValueError(
                f"ApiKeyAuth location must be header, query or cookie, not {location!r}"
            )
        self._key = key
        self.name = name
        self.location = location
        if location == "header":
            self.secret_headers = frozenset({name.lower()})
        elif location == "query":
            self.secret_params = frozenset({name.lower()})
        else:
            self.secret_headers = frozenset({"cookie"})

    async def apply(
        self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]
    ) -> None:
        if self.location == "header":
            headers[self.name.lower()] = self._key
        elif self.location == "query":
            params.append((self.name, self._key))
        else:
            cookies[self.name] = self._key

    async def identity(self) -> str:
        return "apikey:" + _fingerprint(self._key)


class CombinedAuth(Auth):
    """Several credentials on every request, e.g. an API key *and* a bearer token.

    An OpenAPI security requirement naming two schemes (``{api_key: [], jwt: []}``)
    means both are sent together; the client takes one ``Auth``, so this one applies
    each part in order and unions what they write for redaction.
    """

    def __init__(self, *parts: Auth) -> None:
        if not parts:
            raise ValueError("CombinedAuth needs at least one Auth")
        self._parts = parts
        self.secret_headers = frozenset().union(*(p.secret_headers for p in parts))
        self.secret_params = frozenset().union(*(p.secret_params for p in parts))

    async def apply(
        self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]
    ) -> None:
        for part in self._parts:
            await part.apply(headers, params, cookies)

    async def identity(self) -> str:
        # Cached responses belong to the whole combination, never to one of its parts.
        return "all:" + ",".join([await part.identity() for part in self._parts])


class BasicAuth(Auth):
    """HTTP basic authentication."""

    secret_headers = frozenset({"authorization"})

    def __init__(self, username: str, password: str) -> None:
        raw = f"{username}:{password}".encode()
        self._header = "Basic " + base64.b64encode(raw).decode()

    async def apply(
        self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]
    ) -> None:
        headers["authorization"] = self._header

    async def identity(self) -> str:
        return "basic:" + _fingerprint(self._header)


class OAuth2ClientCredentials(BearerAuth):
    """Bearer tokens from an OAuth2 client-credentials grant, cached until near expiry.

    One refresh at a time: concurrent calls that find the token stale wait for the
    same token request instead of each asking the authorization server.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        scopes: Sequence[str] = (),
        *,
        http_client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
        leeway: float = 30.0,
    ) -> None:
        super().__init__(self._fetch)
        self.token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        # A str is a Sequence[str] too: read it as the grant's space-separated scope list
        # rather than sending one scope per character.
        self._scopes = tuple(scopes.split() if isinstance(scopes, str) else scopes)
        self._http = http_client
        self._clock = clock
        self._leeway = leeway
        self._cached: str | None = None
        self._expires_at = 0.0
        self._lock: asyncio.Lock | None = None

    async def _fetch(self) -> str:
        if self._cached is not None and self._clock() < self._expires_at:
            return self._cached
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._cached is not None and self._clock() < self._expires_at:
                return self._cached
            payload = await self._request_token()
            token = payload.get("access_token")
            if not isinstance(token, str) or not token:
                raise ValueError(f"token endpoint {self.token_url} returned no access_token")
            expires_in = float(payload.get("expires_in", 3600))
            self._cached = token
            self._expires_at = self._clock() + max(0.0, expires_in - self._leeway)
            return token

    async def _request_token(self) -> dict[str, Any]:
        form = {"grant_type": "client_credentials"}
        if self._scopes:
            form["scope"] = " ".join(self._scopes)
        auth = httpx.BasicAuth(self._client_id, self._client_secret)
        if self._http is not None:
            response = await self._http.post(self.token_url, data=form, auth=auth)
        else:
            async with httpx.AsyncClient() as client:
                response = await client.post(self.token_url, data=form, auth=auth)
        if response.status_code >= 400:
            # The response body of a failed grant may echo the credentials; keep it out.
            raise ValueError(
                f"token endpoint {self.token_url} answered HTTP {response.status_code}"
            )
        payload = response.json()
        if not isinstance(payload, dict):
            raise ValueError(f"token endpoint {self.token_url} returned no JSON object")
        return payload

    def invalidate(self) -> None:
        """Forget the cached token, e.g. after a 401."""
        self._cached = None
        self._expires_at = 0.0


async def apply_auth(
    auth: Auth, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]
) -> None:
    """``auth.apply`` with any failure of a provider turned into ``AuthError``."""
    try:
        await auth.apply(headers, params, cookies)
    except Exception as exc:
        raise AuthError(
            f"{type(auth).__name__} could not provide a credential: {type(exc).__name__}"
        ) from exc


async def auth_identity(auth: Auth) -> str:
    try:
        return await auth.identity()
    except Exception as exc:
        raise AuthError(
            f"{type(auth).__name__} could not provide a credential: {type(exc).__name__}"
        ) from exc


def coerce_auth(value: Auth | str | tuple[str, str] | None) -> Auth | None:
    """A bare string is a bearer token and a pair is basic credentials."""
    if value is None or isinstance(value, Auth):
        return value
    if isinstance(value, str):
        return BearerAuth(value)
    if isinstance(value, tuple) and len(value) == 2:
        return BasicAuth(value[0], value[1])
    raise TypeError(
        f"auth must be an Auth, a bearer token string or a (user, password) pair, not {type(value).__name__}"
    )
