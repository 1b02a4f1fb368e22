"""``with_raw_response`` over real sockets: the committed stamping client against the
fault server, headers and status of the answer that the typed model came from."""

from __future__ import annotations

import pytest
from metadata_stamping_client import MetadataStampingClient
from metadata_stamping_client.models import CreateStampData

from fault_server.testing import RunningServer

pytestmark = pytest.mark.integration


async def test_the_model_comes_with_the_answers_status_and_headers(
    stamping_server: RunningServer,
) -> None:
    async with MetadataStampingClient(stamping_server.base_url) as client:
        raw = await client.with_raw_response(
            client.create_stamp, content="raw response", correlation_id="cid-raw"
        )
    assert isinstance(raw.parsed, CreateStampData) and raw.status_code == 200
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.correlation_id == "cid-raw" and raw.attempts == 1
    assert raw.url == stamping_server.url("/api/v1/metadata-stamping/stamp")
