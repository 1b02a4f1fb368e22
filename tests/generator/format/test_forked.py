"""The layout stage split over a forked child (``generator.format.forked``): the same
text as ``lay_out_files``, the child's errors surfacing in the parent, and no fork when
no core is idle."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from generator.errors import FormatError
from generator.format import forked
from generator.format.files import lay_out_files
from generator.ir.build import build_service
from generator.load.document import load
from generator.render.package import HeaderInfo, render_package

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    loaded = load(ROOT / "specs" / "onextree.yaml")
    service, _ = build_service(loaded.document, source_name=loaded.source_name)
    header = HeaderInfo(generator_version="9", spec_name="s", spec_sha256=loaded.sha256)
    return render_package(service, package_name="pkg", header=header, sync=True)


def test_split_shares_the_python_files_out_by_size(rendered: dict[str, str]) -> None:
    mine, theirs = forked.split(rendered)
    assert set(mine) | set(theirs) == set(rendered) and not set(mine) & set(theirs)
    assert theirs and all(path.endswith(".py") for path in theirs)
    assert all(path in mine for path in rendered if not path.endswith(".py"))
    sizes = [sum(len(t) for p, t in group.items() if p.endswith(".py")) for group in (mine, theirs)]
    assert abs(sizes[0] - sizes[1]) <= max(len(t) for t in rendered.values())


def test_the_forked_layout_is_the_serial_layout(
    rendered: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()

    def recording(files: dict[str, str], *, use_cache: bool = True) -> dict[str, str]:
        (tmp_path / str(os.getpid())).write_text(" ".join(sorted(files)), encoding="utf-8")
        return lay_out_files(files, use_cache=use_cache)

    monkeypatch.setattr(forked, "FORK_THRESHOLD_CHARS", 0)
    monkeypatch.setattr(forked, "lay_out_files", recording)
    result = forked.lay_out_files_forked(rendered, use_cache=False)
    expected = lay_out_files(rendered, use_cache=False)
    assert result == expected and list(result) == list(expected)
    children = [p for p in tmp_path.iterdir() if p.name != str(parent)]
    assert len(children) == 1, "the child laid out no files"
    assert children[0].read_text(encoding="utf-8").split() == sorted(forked.split(rendered)[1])


def test_a_format_error_in_the_child_is_raised_in_the_parent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(forked, "FORK_THRESHOLD_CHARS", 0)
    files = {"big.py": "x = 1\n" * 200, "small.py": "def broken(:\n"}
    assert "small.py" in forked.split(files)[1]  # the child's part
    with pytest.raises(FormatError) as raised:
        forked.lay_out_files_forked(files, use_cache=False)
    assert raised.value.path == "small.py"
    assert "SyntaxError" in raised.value.reason


def test_a_child_that_fails_otherwise_has_its_part_redone_here(
    rendered: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()

    def failing_in_the_child(files: dict[str, str], *, use_cache: bool = True) -> dict[str, str]:
        if os.getpid() != parent:
            raise RuntimeError("a bug in the layout")
        return lay_out_files(files, use_cache=use_cache)

    monkeypatch.setattr(forked, "FORK_THRESHOLD_CHARS", 0)
    monkeypatch.setattr(forked, "lay_out_files", failing_in_the_child)
    assert forked.lay_out_files_forked(rendered, use_cache=False) == lay_out_files(
        rendered, use_cache=False
    )


def test_no_fork_without_an_idle_core_or_with_other_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    # other tests of the run may have left threads behind: only this test's count
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert forked.second_core_idle()
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 1.0, 1.0))
    assert not forked.second_core_idle()  # both cores busy over the last minute
    monkeypatch.setattr(os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert not forked.second_core_idle()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not forked.second_core_idle()
