"""The project's OnexTree spec, generated and driven through the runtime (HTTP mocked):
typed envelope data, envelope opt-out, x-health wiring and the spec's cache policy."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import respx
from _gen import generate

from resilient_client import EnvelopeError

ROOT = Path(__file__).resolve().parents[3]
BASE = "http://tree.test"


@pytest.fixture(scope="module")
def onextree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("gen")
    generate(ROOT / "specs/onextree.yaml", out, "gen_onextree_client")
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("gen_onextree_client")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.startswith("gen_onextree_client")]:
            del sys.modules[name]


INTELLIGENCE = {
    "intelligence": {"analysis_type": "api_analysis", "confidence_score": "0.85",
                     "recommendations": ["split module"]},
    "patterns": ["p"],
    "relationships": [{"a": "b"}],
    "metadata": {"analysis_time_ms": 1.5, "tree_loaded": True, "context_analyzed": "ctx"},
}  # fmt: skip


def envelope(data: object, status: str = "success") -> dict[str, object]:
    return {"status": status, "data": data, "error": None, "message": None, "metadata": {}}


async def test_envelope_data_is_typed_and_cached_per_spec(onextree: ModuleType) -> None:
    client_cls = onextree.OnexTreeClient
    assert client_cls.default_base_url == "http://localhost:8058"
    with respx.mock(assert_all_called=True) as router:
        route = router.post(f"{BASE}/intelligence").respond(200, json=envelope(INTELLIGENCE))
        async with client_cls(BASE) as client:
            first = await client.get_intelligence(context="ctx")
            again = await client.get_intelligence(context="ctx")
            fresh = await client.get_intelligence(context="ctx", use_cache=False)
    assert isinstance(first, onextree.IntelligenceData)
    assert first.intelligence.confidence_score == "0.85"
    assert first.metadata.tree_loaded is True
    assert again == first == fresh
    assert route.call_count == 2  # x-resilience cache ttl: the second call was a hit
    # only what the caller named: the spec's defaults are the server's to apply
    assert json.loads(route.calls.last.request.content) == {"context": "ctx"}


async def test_envelope_error_status_raises_even_under_http_200(onextree: ModuleType) -> None:
    with respx.mock() as router:
        router.post(f"{BASE}/query").respond(
            200, json={"status": "error", "data": None, "error": "no tree loaded"}
        )
        async with onextree.OnexTreeClient(BASE) as client:
            with pytest.raises(EnvelopeError):
                await client.query_files(query="*.py")


async def test_health_operation_is_wired_and_unwrapped(onextree: ModuleType) -> None:
    with respx.mock(assert_all_called=True) as router:
        router.get(f"{BASE}/health").respond(
            200, json={"status": "healthy", "tree_loaded": False, "total_files": 0}
        )
        async with onextree.OnexTreeClient(BASE) as client:
            direct = await client.health()
            status = await client.health_check()
    assert direct.status == "healthy" and direct.tree_loaded is False
    assert status.healthy and status.status == "healthy"
