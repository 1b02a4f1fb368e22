"""A client generated from a server nobody here wrote, driven against that server.

The server is Prefect's (the workflow orchestrator: ``prefect server start``, FastAPI,
SQLite, its own OpenAPI 3.1 document of 150 paths), started on 127.0.0.1 for this module.
Its client is generated in the test from the document the running server serves, then
used for create, read, partial update, clearing a field and delete; after each step the
server's stored state is read back with plain httpx, not through the client under test.

What this holds the generator and runtime to:
- a partial update sends only what the caller named: ``update_deployment(id,
  description=...)`` must not send ``paused: false`` (the schema default) and un-pause;
- ``None`` for a nullable field clears it on the server;
- Prefect answers 201 where its document declares only 200: the typed method still
  returns its model;
- a 422 body that is not the declared ``HTTPValidationError`` leaves ``exc.model`` empty
  and keeps the server's message.

Prefect is installed on first use into its own venv (``.venv-thirdparty``, beside the
project's, so none of its ~100 packages can hide a dependency this project forgot to
declare); later runs reuse it.
"""

from __future__ import annotations

import importlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.pipeline import generate
from resilient_client import NotFoundError, UnprocessableEntityError

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENT = "prefect==3.9.1"
VENV = ROOT / ".venv-thirdparty"
START_TIMEOUT = 90.0


def _prefect() -> Path:
    """The ``prefect`` command of a venv holding exactly ``REQUIREMENT``."""
    marker = VENV / "installed.txt"
    command = VENV / "bin" / "prefect"
    if not (marker.is_file() and marker.read_text() == REQUIREMENT and command.is_file()):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run(
            [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", REQUIREMENT],
            check=True,
            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        )
        marker.write_text(REQUIREMENT)
    return command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    command = _prefect()
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [str(command), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"prefect server exited: {(home / 'server.log').read_text()}")
            try:
                if httpx.get(f"{api}/health", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"prefect server not ready after {START_TIMEOUT}s")
            time.sleep(0.25)
        yield api
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def prefect_client(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The package generated from the document the running server serves."""
    work = tmp_path_factory.mktemp("prefect-client")
    spec = work / "prefect.json"
    spec.write_bytes(httpx.get(f"{prefect_api}/openapi.json", timeout=10.0).content)
    result = generate(spec, out_dir=work / "out", package_name="prefect_client")
    assert result.written
    sys.path.insert(0, str(work / "out"))
    try:
        return importlib.import_module("prefect_client")
    finally:
        sys.path.remove(str(work / "out"))


def _stored(api: str, path: str) -> dict[str, Any]:
    response = httpx.get(f"{api}{path}", timeout=10.0)
    response.raise_for_status()
    stored: dict[str, Any] = response.json()
    return stored


async def test_create_read_partial_update_clear_and_delete(
    prefect_api: str, prefect_client: ModuleType
) -> None:
    models = prefect_client.models
    async with prefect_client.PrefectRESTClient(prefect_api) as client:
        name = f"etl-{uuid.uuid4().hex[:8]}"
        flow = await client.create_flow(name=name)  # the server answers 201, declared 200
        assert isinstance(flow, models.Flow) and flow.name == name
        again = await client.create_flow(name=name)  # an existing flow: 200
        assert isinstance(again, models.Flow) and again.id == flow.id

        created = await client.create_deployment(
            name="nightly", flow_id=flow.id, paused=True, description="original", tags=["a"]
        )
        assert isinstance(created, models.DeploymentResponse)
        path = f"/deployments/{created.id}"
        stored = _stored(prefect_api, path)
        assert (stored["paused"], stored["description"], stored["tags"]) == (
            True,
            "original",
            ["a"],
        )

        # A partial update changes the one field named, nothing else.
        await client.update_deployment(created.id, description="d1")
        stored = _stored(prefect_api, path)
        assert (stored["paused"], stored["description"], stored["tags"]) == (True, "d1", ["a"])

        # None for a nullable field clears it.
        await client.update_deployment(created.id, description=None)
        stored = _stored(prefect_api, path)
        assert stored["description"] is None and stored["paused"] is True

        read = await client.read_deployment(created.id)
        assert isinstance(read, models.DeploymentResponse)
        assert read.paused is True and read.description is None and read.tags == ["a"]

        await client.delete_deployment(created.id)
        assert httpx.get(f"{prefect_api}{path}", timeout=10.0).status_code == 404
        with pytest.raises(NotFoundError):
            await client.read_deployment(created.id)


async def test_a_validation_error_in_the_servers_own_shape_keeps_its_message(
    prefect_api: str, prefect_client: ModuleType
) -> None:
    async with prefect_client.PrefectRESTClient(prefect_api) as client:
        with pytest.raises(UnprocessableEntityError) as info:
            await client.create_flow(name="not/allowed")
    exc = info.value
    assert exc.model is None  # Prefect's body is not the HTTPValidationError it declares
    assert isinstance(exc.body, dict) and exc.body["exception_message"]
    assert "Invalid request received." in str(exc)
