"""The auth helpers of generated clients, used the way the README shows."""

from __future__ import annotations

from collections.abc import Mapping

from security_examples_client import APIClient
from security_ops_client import APIWithNonOperationsAndSecurityClient as OpsClient
from swagger_petstore_client import SwaggerPetstoreOpenAPI30Client as PetstoreClient

from resilient_client import (
    ApiKeyAuth,
    BasicAuth,
    BearerAuth,
    ClientConfig,
    CombinedAuth,
    OAuth2ClientCredentials,
)


async def fresh_token() -> str:
    return "t"


def every_helper() -> list[object]:
    key: ApiKeyAuth = APIClient.auth_api_key("k")
    basic: BasicAuth = APIClient.auth_basic("user", "pw")
    bearer: BearerAuth = APIClient.auth_jwt_bearer("t")
    refreshed: BearerAuth = APIClient.auth_jwt_bearer(fresh_token)
    machine: OAuth2ClientCredentials = APIClient.auth_oauth2("id", "secret")
    narrow = APIClient.auth_oauth2("id", "secret", scopes=["read:pets"], token_url="https://t")
    relative = OpsClient.auth_oauth2("id", "secret", token_url="https://idp.example/token")
    return [key, basic, bearer, refreshed, machine, narrow, relative]


async def configured() -> Mapping[str, str]:
    both = CombinedAuth(OpsClient.auth_api_key("k"), OpsClient.auth_oauth2("i", "s", token_url="u"))
    async with OpsClient("https://api.example", config=ClientConfig(auth=both)) as ops:
        await ops.get_pets()
    async with PetstoreClient(auth=PetstoreClient.auth_api_key("k")) as pets:
        await pets.get_inventory()
    kinds: Mapping[str, str] = APIClient.security_schemes
    requirements: tuple[tuple[str, ...], ...] = APIClient.security_requirements
    return {**kinds, "first": requirements[0][0]}
