"""The OnexTree fake over real temporary directory trees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from fault_server.testing import RunningServer, serve


def make_project(root: Path) -> Path:
    files = {
        "README.md": "# demo\n",
        "src/app.py": "print('app')\n",
        "src/auth/token.py": "SECRET = 1\n",
        "src/auth/__init__.py": "",
        "tests/test_app.py": "def test(): pass\n",
        "docs/guide.MD": "guide\n",
        "data/schema.json": "{}\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


async def generate(client: httpx.AsyncClient, root: Path) -> dict[str, Any]:
    response = await client.post("/generate", json={"project_root": str(root)})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def query(client: httpx.AsyncClient, text: str, **extra: Any) -> dict[str, Any]:
    response = await client.post("/query", json={"query": text, **extra})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def test_generate_walks_the_directory(tree_client: httpx.AsyncClient, project: Path) -> None:
    data = await generate(tree_client, project)
    assert data["success"] is True
    assert (data["total_files"], data["total_directories"]) == (7, 5)
    size = sum(p.stat().st_size for p in project.rglob("*") if p.is_file())
    assert data["total_size_mb"] == pytest.approx(size / (1024 * 1024), abs=1e-6)
    health = (await tree_client.get("/health")).json()
    assert health == {"status": "healthy", "tree_loaded": True, "total_files": 7}
    assert (await tree_client.get("/")).json()["data"]["status"] == "ready"


async def test_generate_refuses_a_bad_path_with_a_plain_string(
    tree_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    missing = await tree_client.post("/generate", json={"project_root": str(tmp_path / "nope")})
    assert missing.status_code == 400
    assert isinstance(missing.json()["detail"], str)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    not_dir = await tree_client.post("/generate", json={"project_root": str(a_file)})
    assert not_dir.status_code == 400
    assert (await tree_client.post("/generate", json={})).status_code == 422


async def test_query_needs_a_tree(tree_client: httpx.AsyncClient) -> None:
    response = await tree_client.post("/query", json={"query": ".py"})
    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)
    assert (await tree_client.get("/stats")).json()["data"] == {"tree_loaded": False}
    assert (await tree_client.get("/")).json()["data"]["status"] == "no_tree_loaded"


async def test_query_by_each_type(tree_client: httpx.AsyncClient, project: Path) -> None:
    await generate(tree_client, project)
    by_ext = await query(tree_client, ".py")
    assert by_ext["query_type"] == "extension"
    assert [r["path"] for r in by_ext["results"]] == [
        "src/app.py", "src/auth/__init__.py", "src/auth/token.py", "tests/test_app.py",
    ]  # fmt: skip
    assert by_ext["count"] == 4
    assert {r["type"] for r in by_ext["results"]} == {"file"}
    md = await query(tree_client, "md", query_type="extension")
    assert [r["name"] for r in md["results"]] == ["README.md", "guide.MD"]

    by_name = await query(tree_client, "auth")
    assert by_name["query_type"] == "name"
    assert by_name["results"][0] == {
        "path": "src/auth", "name": "auth", "type": "directory", "size": None, "extension": None,
    }  # fmt: skip

    by_path = await query(tree_client, "src/auth/")
    assert by_path["query_type"] == "path"
    assert {r["name"] for r in by_path["results"]} >= {"token.py", "__init__.py"}
    glob = await query(tree_client, "tests/*.py", query_type="path")
    assert [r["path"] for r in glob["results"]] == ["tests/test_app.py"]

    limited = await query(tree_client, ".py", limit=2)
    assert limited["count"] == 2 and len(limited["results"]) == 2


async def test_unknown_query_type_is_400(tree_client: httpx.AsyncClient, project: Path) -> None:
    await generate(tree_client, project)
    response = await tree_client.post("/query", json={"query": "x", "query_type": "regex"})
    assert response.status_code == 400


async def test_intelligence_is_deterministic_and_follows_the_tree(
    tree_client: httpx.AsyncClient, project: Path
) -> None:
    request = {"context": "review the auth token handling"}
    minimal = (await tree_client.post("/intelligence", json=request)).json()["data"]
    assert minimal["intelligence"]["analysis_type"] == "minimal"
    assert minimal["metadata"]["tree_loaded"] is False

    await generate(tree_client, project)
    first = (await tree_client.post("/intelligence", json=request)).json()
    second = (await tree_client.post("/intelligence", json=request)).json()
    assert first == second
    data = first["data"]
    assert data["intelligence"]["analysis_type"] == "security_analysis"
    assert float(data["intelligence"]["confidence_score"]) > 0.5
    assert data["metadata"] == data["metadata"] | {
        "tree_loaded": True,
        "context_analyzed": request["context"],
    }
    assert "*.py" in data["patterns"]
    assert {"source": "src/auth", "target": "src/auth/token.py", "type": "contains"} in data[
        "relationships"
    ]

    lean = {**request, "include_patterns": False, "include_relationships": False}
    without = (await tree_client.post("/intelligence", json=lean)).json()["data"]
    assert (without["patterns"], without["relationships"]) == ([], [])

    (project / "src" / "auth" / "oauth.py").write_text("x = 1\n")
    await generate(tree_client, project)
    changed = (await tree_client.post("/intelligence", json=request)).json()
    assert changed != first


async def test_stats_describe_the_loaded_tree(
    tree_client: httpx.AsyncClient, project: Path
) -> None:
    await generate(tree_client, project)
    data = (await tree_client.get("/stats")).json()["data"]
    assert data["tree_loaded"] is True
    stats = data["statistics"]
    assert (stats["total_files"], stats["total_directories"]) == (7, 5)
    assert stats["file_types"][".py"] == 4


async def test_tree_root_loads_a_tree_at_start(project: Path) -> None:
    with serve("onextree", tree_root=str(project)) as srv:
        async with srv.async_client() as client:
            assert (await client.get("/health")).json()["total_files"] == 7
        tree = srv.tree_state.tree
        assert tree is not None and len(tree.files) == 7
        with pytest.raises(TypeError):
            srv.stamp_store  # noqa: B018 - the property raising is the point


async def test_symlinks_are_not_followed(tree_client: httpx.AsyncClient, project: Path) -> None:
    (project / "loop").symlink_to(project, target_is_directory=True)
    data = await generate(tree_client, project)
    assert (data["total_files"], data["total_directories"]) == (7, 5)


async def test_faults_apply_to_onextree_routes_too(
    onextree: RunningServer, tree_client: httpx.AsyncClient, project: Path
) -> None:
    onextree.faults.fail_next(1, status=503, route="POST /intelligence")
    assert (await tree_client.post("/intelligence", json={"context": "x"})).status_code == 503
    assert (await tree_client.post("/intelligence", json={"context": "x"})).status_code == 200
