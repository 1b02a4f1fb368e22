"""Stage 6: atomic writes confined to the output folder, and in-memory drift checks."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import WriteError
from generator.write import package as write_module
from generator.write.package import Drift, check, write_package

FILES = {"__init__.py": "A = 1\n", "_client.py": "B = 2\n", "sub/models.py": "C = 3\n"}
Snapshot = Callable[[Path], dict[str, bytes]]


def test_writes_exactly_the_files(tmp_path: Path, snapshot: Snapshot) -> None:
    assert write_package(FILES, tmp_path / "out" / "pkg") is True
    assert snapshot(tmp_path / "out") == {f"pkg/{k}": v.encode() for k, v in FILES.items()}


def test_unchanged_package_is_not_rewritten(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    write_package(FILES, package)
    stamp = (package / "__init__.py").stat().st_mtime_ns
    os.utime(package / "__init__.py", ns=(stamp - 10**9, stamp - 10**9))
    assert write_package(FILES, package) is False
    assert (package / "__init__.py").stat().st_mtime_ns == stamp - 10**9


def test_stale_files_go_and_neighbours_stay(tmp_path: Path, snapshot: Snapshot) -> None:
    out = tmp_path / "out"
    write_package(FILES, out / "pkg")
    write_package({"x.py": "X = 0\n"}, out / "other_pkg")
    (out / "README.md").write_text("mine")
    (out / "pkg" / "old.py").write_text("stale = True\n")

    write_package({"__init__.py": "A = 2\n"}, out / "pkg")

    assert snapshot(out) == {
        "README.md": b"mine",
        "other_pkg/x.py": b"X = 0\n",
        "pkg/__init__.py": b"A = 2\n",
    }


def test_failure_midway_leaves_the_previous_package_intact(
    tmp_path: Path, snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_package(FILES, out / "pkg")
    before = snapshot(out)

    def broken_swap(staging: Path, package_dir: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write_module, "_swap", broken_swap)
    with pytest.raises(WriteError, match="No space left"):
        write_package({"__init__.py": "changed\n"}, out / "pkg")
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["pkg"]  # no staging left behind


@pytest.mark.parametrize("bad", ["../escape.py", "/abs.py", "a/../../b.py", "", "a//b.py", "./x"])
def test_unsafe_paths_are_refused_before_writing(tmp_path: Path, bad: str) -> None:
    with pytest.raises(WriteError):
        write_package({"ok.py": "", bad: "boom"}, tmp_path / "out" / "pkg")
    assert not (tmp_path / "escape.py").exists()
    assert not (tmp_path / "out" / "pkg").exists()


def test_symlinked_package_dir_is_refused(tmp_path: Path, snapshot: Snapshot) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "pkg").symlink_to(victim, target_is_directory=True)
    with pytest.raises(WriteError, match="symlink"):
        write_package(FILES, out / "pkg")
    assert snapshot(victim) == {"keep.txt": b"precious"}


def test_replacing_a_package_never_follows_symlinks_inside_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious")
    package = tmp_path / "out" / "pkg"
    write_package(FILES, package)
    (package / "link").symlink_to(victim, target_is_directory=True)
    write_package({"__init__.py": "new\n"}, package)
    assert (victim / "keep.txt").read_text() == "precious"
    assert not (package / "link").exists()


def test_check_reports_added_removed_and_changed(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    write_package({"__init__.py": "A = 1\n", "gone.py": "G = 1\n", "same.py": "S\n"}, package)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")

    drift = check({"__init__.py": "A = 2\n", "new.py": "N\n", "same.py": "S\n"}, package)

    assert [(d.path, d.kind) for d in drift] == [
        ("__init__.py", "changed"),
        ("gone.py", "removed"),
        ("new.py", "added"),
    ]
    assert drift[0].diff.splitlines() == ["-A = 1", "+A = 2"]
    assert str(drift[1]) == "removed: gone.py"


def test_check_limits_the_diff_per_file(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    write_package({"m.py": "".join(f"x{i} = {i}\n" for i in range(50))}, package)
    [drift] = check({"m.py": "".join(f"x{i} = {i + 1}\n" for i in range(50))}, package)
    lines = drift.diff.splitlines()
    assert len(lines) == write_module.DIFF_LINES_PER_FILE + 1
    assert lines[-1] == "... 92 more changed lines"


def test_check_writes_nothing(tmp_path: Path) -> None:
    assert check(FILES, tmp_path / "missing") == [
        Drift("__init__.py", "added"),
        Drift("_client.py", "added"),
        Drift("sub/models.py", "added"),
    ]
    assert not (tmp_path / "missing").exists()


def test_check_does_not_follow_a_symlinked_file(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    write_package({"a.py": "A\n"}, package)
    outside = tmp_path / "outside.py"
    outside.write_text("A\n")
    (package / "a.py").unlink()
    (package / "a.py").symlink_to(outside)
    assert [(d.path, d.kind) for d in check({"a.py": "A\n"}, package)] == [("a.py", "changed")]
