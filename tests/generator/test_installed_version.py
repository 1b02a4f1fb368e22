"""``cache.installed_version`` reads versions from ``.dist-info`` folder names to spare
cold runs importing importlib.metadata; it must name the distribution importlib.metadata
would find, whatever spelling the installer used for the folder."""

from __future__ import annotations

import importlib.metadata
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import cache


def _install(site: Path, folder: str, version: str, name: str) -> None:
    info = site / folder
    info.mkdir(parents=True)
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    info.joinpath("PKG-INFO" if folder.endswith(".egg-info") else "METADATA").write_text(
        metadata, encoding="utf-8"
    )


@pytest.fixture
def sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """Two fresh site folders, first and second on ``sys.path``, nothing else."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    monkeypatch.setattr(sys, "path", [str(first), str(second)])
    cache.installed_version.cache_clear()
    yield first, second
    cache.installed_version.cache_clear()


@pytest.mark.parametrize(
    ("folder", "asked"),
    [
        ("Zope.Interface-6.0.dist-info", "zope.interface"),  # a wheel of the old escaping
        ("Zope.Interface-6.0.dist-info", "zope-interface"),
        ("zope_interface-6.0.dist-info", "Zope.Interface"),
        ("ruamel.yaml.clib-6.0.dist-info", "ruamel-yaml-clib"),
        ("Foo__Bar-6.0.dist-info", "foo.bar"),
        ("FOO_BAR-6.0.DIST-INFO", "foo-bar"),
    ],
)
def test_a_folder_spelled_otherwise_is_found_where_importlib_metadata_finds_it(
    sites: tuple[Path, Path], folder: str, asked: str
) -> None:
    first, second = sites
    _install(first, folder, "6.0", asked)
    # an older copy later on the path, which importlib.metadata never reaches
    _install(second, re.sub(r"[-_.]+", "_", asked).lower() + "-5.0.dist-info", "5.0", asked)
    assert importlib.metadata.version(asked) == "6.0"
    assert cache.installed_version(asked) == "6.0"


def test_a_name_that_only_starts_like_another_is_not_taken_for_it(
    sites: tuple[Path, Path],
) -> None:
    first, second = sites
    _install(first, "foo_bar-2.0.dist-info", "2.0", "foo-bar")
    _install(second, "foo-1.0.dist-info", "1.0", "foo")
    assert cache.installed_version("foo") == importlib.metadata.version("foo") == "1.0"


@pytest.mark.parametrize(
    "folders",
    [
        ["demo-1.0.dist-info", "Demo-2.0.dist-info"],  # two installs in one folder
        ["demo-3.0.egg-info"],
        ["demo-3.0-py3.11.egg-info"],
    ],
)
def test_unusual_folders_are_left_to_importlib_metadata(
    sites: tuple[Path, Path], folders: list[str]
) -> None:
    first, _ = sites
    for folder in folders:
        _install(first, folder, folder.split("-")[1], "demo")
    assert cache.installed_version("demo") == importlib.metadata.version("demo")
