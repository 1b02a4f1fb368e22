"""``--no-sync``: the blocking client is written by default, left out on request, and
``--check`` reproduces either choice (the flag is part of the manifest's key)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

Cli = Callable[..., Any]


def test_sync_client_by_default_and_no_sync_leaves_it_out(
    cli: Cli, petstore: Path, tmp_path: Path
) -> None:
    both, async_only = tmp_path / "both", tmp_path / "async_only"
    assert cli(petstore, "-o", both).code == 0
    assert cli(petstore, "-o", async_only, "--no-sync").code == 0
    sync_module = both / "petstore_client" / "_sync_client.py"
    assert "class SwaggerPetstoreSyncClient(SyncServiceClient[SwaggerPetstoreClient])" in (
        sync_module.read_text()
    )
    assert not (async_only / "petstore_client" / "_sync_client.py").exists()
    init = (async_only / "petstore_client" / "__init__.py").read_text()
    assert "SyncClient" not in init


def test_check_reproduces_the_choice(cli: Cli, petstore: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli(petstore, "-o", out, "--no-sync").code == 0
    # twice each: the second check answers from the manifest, and must agree
    for _ in range(2):
        assert cli(petstore, "-o", out, "--check", "--no-sync").code == 0
        drift = cli(petstore, "-o", out, "--check")
        assert drift.code == 1 and "added: _sync_client.py" in drift.err
    assert cli(petstore, "-o", out).code == 0
    for _ in range(2):
        assert cli(petstore, "-o", out, "--check").code == 0
        drift = cli(petstore, "-o", out, "--check", "--no-sync")
        assert drift.code == 1 and "removed: _sync_client.py" in drift.err


def test_sync_is_the_default_and_can_be_named(cli: Cli, petstore: Path, tmp_path: Path) -> None:
    assert cli(petstore, "-o", tmp_path / "named", "--sync").code == 0
    assert cli(petstore, "-o", tmp_path / "named", "--check").code == 0  # same as the default
    assert (tmp_path / "named" / "petstore_client" / "_sync_client.py").is_file()
