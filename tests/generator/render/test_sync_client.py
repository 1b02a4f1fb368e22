"""``<Name>SyncClient``: the async client's methods, blocking, in ``_sync_client.py``.

Generated from the blob store spec of ``test_stream_method`` (downloads, a cacheable
operation, a renamed stream twin) and driven over ``httpx.MockTransport``.
"""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from _gen import generate, render_files
from test_stream_method import blob_spec

from generator.ir.naming import sync_client_class_name as sync_class_name
from generator.render.sync_client import forward_arguments
from resilient_client import NotFoundError

PACKAGE = "blobstore_sync_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("sync_gen")
    generate(blob_spec(), out, PACKAGE)
    sys.path.insert(0, str(out))
    try:
        yield out
    finally:
        sys.path.remove(str(out))
        for mod in [m for m in sys.modules if m.startswith(PACKAGE)]:
            del sys.modules[mod]


def test_class_name_and_argument_forwarding() -> None:
    assert sync_class_name("MetadataStampingClient") == "MetadataStampingSyncClient"
    assert sync_class_name("Petstore") == "PetstoreSyncClient"
    signature = [
        "self",
        "blob_id: str",
        "*",
        "version: int | NotGiven = NOT_GIVEN",
        "use_cache: bool = True",
        "**call_options: Unpack[CallOptions]",
    ]
    assert forward_arguments(signature) == [
        "blob_id",
        "version=version",
        "use_cache=use_cache",
        "**call_options",
    ]


def test_every_method_has_a_blocking_twin_with_the_same_signature(generated: Path) -> None:
    module = importlib.import_module(PACKAGE)
    async_cls, sync_cls = module.BlobStoreClient, module.BlobStoreSyncClient
    operations = [
        name
        for name, member in vars(async_cls).items()
        if callable(member) and not name.startswith("_")
    ]
    assert set(operations) >= {"get_blob", "get_blob_stream", "get_thumbnail", "list_blobs"}
    for name in operations:
        plain, blocking = getattr(async_cls, name), getattr(sync_cls, name)
        assert not inspect.iscoroutinefunction(blocking), name
        assert inspect.signature(blocking).parameters == inspect.signature(plain).parameters
        if not name.endswith(("_stream", "_stream2")):
            assert blocking.__doc__ == plain.__doc__, name
    assert "with client.get_blob_stream(" in (sync_cls.get_blob_stream.__doc__ or "")
    assert "async" not in (sync_cls.get_blob_stream.__doc__ or "")
    assert sync_cls.default_base_url == "http://blobs.test"
    assert sync_cls.service_name == "Blob Store"


def test_blocking_calls_and_streams_go_through_the_async_pipeline(
    generated: Path, tmp_path: Path
) -> None:
    module = importlib.import_module(PACKAGE)
    body = bytes(range(256)) * 4096  # 1 MiB
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/blobs/missing":
            return httpx.Response(404, json={"detail": "no such blob"})
        return httpx.Response(200, content=body, headers={"content-type": "image/png"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    with module.BlobStoreSyncClient(http_client=http) as client:
        assert client.get_blob("b 1", version=3) == body
        with pytest.raises(NotFoundError):
            client.get_blob("missing")
        with client.get_blob_stream("b1") as response:
            assert response.status_code == 200 and response.content_type == "image/png"
            written = response.save_to(tmp_path / "blob.bin")
        with client.get_thumbnail_stream2("b1") as response:
            chunks = list(response.iter_bytes(chunk_size=100_000))
            assert response.complete and response.bytes_received == len(body)
        client.get_thumbnail("t1")
        client.get_thumbnail("t1")  # cached by the async pipeline
        assert client.cache_stats().hits == 1
        client.get_thumbnail("t1", use_cache=False)
        raw = client.with_raw_response(client.get_blob, "b2")
    assert http.is_closed is False  # injected: the caller's to close
    assert raw.parsed == body and raw.status_code == 200
    assert raw.headers["content-type"] == "image/png"
    assert written == len(body) and (tmp_path / "blob.bin").read_bytes() == body
    assert b"".join(chunks) == body and max(map(len, chunks)) == 100_000
    assert str(seen[0].url) == "http://blobs.test/blobs/b%201?version=3"
    assert [r.url.path for r in seen].count("/thumbnails/t1") == 2


def test_an_unread_stream_is_closed_when_its_block_ends(generated: Path) -> None:
    module = importlib.import_module(PACKAGE)
    http = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, content=b"x" * 10))
    )
    with module.BlobStoreSyncClient(http_client=http) as client:
        with client.get_blob_stream("b1") as response:
            first = next(iter(response.iter_bytes(chunk_size=4)))
        assert first == b"xxxx" and not response.complete
        snapshot = client.metrics()
    assert snapshot.operations["get_blob"].calls == 1


def test_importing_the_package_leaves_the_sync_client_unloaded(generated: Path) -> None:
    probe = (
        "import sys, blobstore_sync_client as p\n"
        "assert 'blobstore_sync_client._sync_client' not in sys.modules\n"
        "assert 'resilient_client.sync' not in sys.modules\n"
        "cls = p.BlobStoreSyncClient\n"
        "from blobstore_sync_client import BlobStoreSyncClient\n"
        "assert cls is BlobStoreSyncClient and 'BlobStoreSyncClient' in p.__all__\n"
        "assert 'blobstore_sync_client._sync_client' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=generated,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_no_sync_leaves_the_module_out() -> None:
    files, _ = render_files(blob_spec(), package=PACKAGE)
    assert "_sync_client.py" in files
    from generator.ir.build import build_service
    from generator.render.package import HeaderInfo, render_package

    service, _ = build_service(blob_spec(), source_name="spec.yaml")
    header = HeaderInfo(generator_version="0", spec_name="spec.yaml", spec_sha256="0" * 64)
    without = render_package(service, package_name=PACKAGE, header=header, sync=False)
    assert "_sync_client.py" not in without
    assert "SyncClient" not in without["__init__.py"]


USAGE = """
from pathlib import Path

from blobstore_sync_client import BlobStoreSyncClient


def download(client: BlobStoreSyncClient, target: Path) -> int:
    with client.get_blob_stream("b1", version=2) as response:
        status: int = response.status_code
        for chunk in response.iter_bytes():
            data: bytes = chunk
        return response.save_to(target) + status


def wrong(client: BlobStoreSyncClient) -> None:
    with client.get_blob_stream("b1") as response:
        text: str = response.bytes_received
"""


@pytest.mark.slow
def test_sync_streams_pass_mypy_strict_and_constrain_callers(generated: Path) -> None:
    (generated / "usage_sync_stream.py").write_text(USAGE)
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(root / "pyproject.toml"),
         "--cache-dir", str(generated / ".mypy_cache"), "--no-error-summary",
         PACKAGE, "usage_sync_stream.py"],
        cwd=generated,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": f"{generated}{os.pathsep}{root}"},
    )  # fmt: skip
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    # exactly the deliberate mistake: an int assigned to a str
    assert len(errors) == 1, result.stdout[-4000:] + result.stderr[-2000:]
    assert "usage_sync_stream.py:17" in errors[0] and "int" in errors[0]


def test_a_model_named_like_the_sync_client_steps_aside(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "servers": [{"url": "http://pets.test"}],
        "paths": {"/pet": {"get": {"operationId": "get_pet", "responses": {"200": {
            "description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/PetsSyncClient"}}}}}}}},
        "components": {"schemas": {"PetsSyncClient": {
            "type": "object", "properties": {"name": {"type": "string"}}}}},
    }  # fmt: skip
    files, _ = render_files(spec, package="pets_sync_clash_client")
    assert "class PetsSyncClient(SyncServiceClient[PetsClient])" in files["_sync_client.py"]
    models = "".join(text for name, text in files.items() if name.startswith("models/"))
    assert "class PetsSyncClient(" not in models  # the model was renamed
    init = files["__init__.py"]
    assert init.count('"PetsSyncClient",') == 2  # once in _SYNC_NAMES, once in __all__
