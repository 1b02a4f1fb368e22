"""The telemetry extras stay optional: the runtime imports and works without them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter where importing either package fails, as on a machine
# that installed the project without the [otel] and [prometheus] extras.
BLOCKER = textwrap.dedent("""
    import importlib.abc
    import sys

    BLOCKED = ("opentelemetry", "prometheus_client")

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}")
            return None

    sys.meta_path.insert(0, Block())
    """)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_runtime_imports_and_calls_without_the_telemetry_packages() -> None:
    result = _run("""
        import asyncio, httpx, sys
        import resilient_client
        from resilient_client import BaseServiceClient, ClientConfig, Operation, ResponseSpec

        OP = Operation("ping", "GET", "/ping", responses={"200": ResponseSpec("json")})

        class C(BaseServiceClient):
            default_base_url = "http://svc.test"

        async def main():
            transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"ok": 1}))
            async with C(http_client=httpx.AsyncClient(transport=transport)) as c:
                print(await c._request(OP))

        asyncio.run(main())
        loaded = [m for m in sys.modules if m.startswith(("opentelemetry", "prometheus_client"))]
        print("loaded:", loaded)
        """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["{'ok': 1}", "loaded: []"]


def test_the_adapters_name_the_extra_to_install() -> None:
    for module, extra in (("otel", "[otel]"), ("prometheus", "[prometheus]")):
        result = _run(f"import resilient_client.{module}")
        assert result.returncode == 1
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("ImportError: resilient_client.")
        assert f"pip install 'resilient-openapi-clients{extra}'" in last
