"""Integration fixtures: generated clients against fault servers on 127.0.0.1, real sockets.

The clients under test are the committed packages in ``generated/``. They are not
installed into the venv (the project is run from its checkout), so ``generated/`` is put
on ``sys.path`` here, before the test modules import ``metadata_stamping_client``.
When a checkout has no committed packages yet, the CLI generates them into a temporary
folder instead, so the integration tests still exercise real generator output rather
than being skipped.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("metadata_stamping_client", "onextree_client")
SPECS = ("specs/metadata_stamping.yaml", "specs/onextree.yaml")


def _clients_location() -> Path:
    committed = ROOT / "generated"
    if all((committed / package / "__init__.py").is_file() for package in PACKAGES):
        return committed
    # Not committed yet: generate with the real CLI, not a stand-in, so what is tested
    # is what users would get. The folder outlives the session only in /tmp.
    out = Path(tempfile.mkdtemp(prefix="integration-clients-"))
    subprocess.run(
        [sys.executable, "-m", "generator", "-q", "-o", str(out), *SPECS],
        cwd=ROOT,
        check=True,
    )
    return out


_location = str(_clients_location())
if _location not in sys.path:
    sys.path.insert(0, _location)

# Imported only after sys.path is set up, hence below the code above.
from metadata_stamping_client import MetadataStampingClient  # noqa: E402
from onextree_client import OnexTreeClient  # noqa: E402

from fault_server.testing import RunningServer, serve  # noqa: E402
from resilient_client import (  # noqa: E402
    CircuitBreakerConfig,
    ClientConfig,
    RetryConfig,
)


def fast_config(**overrides: Any) -> ClientConfig:
    """Short backoffs and recovery windows so no test waits longer than it must.

    ``timeout`` is set explicitly so it overrides the spec's generous per-attempt values;
    a fault-free loopback answer takes milliseconds, so 2 s only catches a hung test.
    """
    values: dict[str, Any] = {
        "retry": RetryConfig(max_attempts=3, backoff_base=0.01, backoff_cap=0.05),
        "circuit_breaker": CircuitBreakerConfig(
            failure_threshold=5, recovery_timeout=0.2, success_threshold=1
        ),
        "timeout": 2.0,
    }
    values.update(overrides)
    return ClientConfig(**values)


class RecordingSleep:
    """The real ``asyncio.sleep``, recording each requested delay (for Retry-After checks)."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(seconds)


def make_project(root: Path) -> Path:
    """A small source tree for the OnexTree fake to load."""
    project = root / "project"
    (project / "src" / "auth").mkdir(parents=True)
    (project / "tests").mkdir()
    (project / "src" / "auth" / "login.py").write_text("def login():\n    return True\n")
    (project / "src" / "auth" / "tokens.py").write_text("TOKENS = {}\n")
    (project / "src" / "api.py").write_text("ROUTES = []\n")
    (project / "tests" / "test_login.py").write_text("def test_login():\n    pass\n")
    (project / "README.md").write_text("# project\n")
    return project


@pytest.fixture
def stamping_server() -> Iterator[RunningServer]:
    with serve("metadata-stamping") as srv:
        yield srv


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.fixture
def tree_server(project: Path) -> Iterator[RunningServer]:
    with serve("onextree", tree_root=str(project)) as srv:
        yield srv


@pytest.fixture
async def make_stamping(
    stamping_server: RunningServer,
) -> AsyncIterator[Callable[..., MetadataStampingClient]]:
    """Build MetadataStampingClients pointed at the fault server; closed after the test."""
    made: list[MetadataStampingClient] = []

    def factory(config: ClientConfig | None = None, **kwargs: Any) -> MetadataStampingClient:
        client = MetadataStampingClient(
            stamping_server.base_url, config=config or fast_config(), **kwargs
        )
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()


@pytest.fixture
async def make_tree(
    tree_server: RunningServer,
) -> AsyncIterator[Callable[..., OnexTreeClient]]:
    made: list[OnexTreeClient] = []

    def factory(config: ClientConfig | None = None, **kwargs: Any) -> OnexTreeClient:
        client = OnexTreeClient(tree_server.base_url, config=config or fast_config(), **kwargs)
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()
