"""The generator fingerprint of the ``--check`` manifest lists its source files with
``os.walk`` (no ``stat`` per file); it must list exactly what ``rglob`` found before, in
the same order, so a fingerprint changes exactly when a source file does."""

from __future__ import annotations

from pathlib import Path

import generator
from generator.write.manifest import _sources


def _by_rglob(root: Path) -> list[tuple[str, str]]:
    return [
        (path.relative_to(root).as_posix(), str(path))
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.suffix in {".py", ".jinja"}
    ]


def test_the_walk_lists_what_rglob_lists(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    for name in ["a.py", "b/c.py", "b/d.jinja", "b/e.txt", "b.py", "B/z.py", "x.py/y.py",
                 "__pycache__/a.cpython-311.pyc", "sub/__pycache__/q.pyc", "sub/t.py"]:  # fmt: skip
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name, encoding="utf-8")
    expected = _by_rglob(root)
    assert [name for name, _ in expected] == [
        "B/z.py", "a.py", "b/c.py", "b/d.jinja", "b.py", "sub/t.py", "x.py/y.py"
    ]  # fmt: skip
    assert [("/".join(parts), path) for parts, path in _sources(root)] == expected


def test_the_generator_and_its_templates_are_listed_as_before() -> None:
    package = Path(generator.__file__).resolve().parent
    for root in (package, package.parent / "templates"):
        assert [("/".join(parts), path) for parts, path in _sources(root)] == _by_rglob(root)


def test_links_are_listed_as_rglob_lists_them(tmp_path: Path) -> None:
    # found on review: os.walk named a dangling link (the `.#name.py` lock Emacs leaves
    # beside a file being edited) a source, and the fingerprint then failed reading it
    root = tmp_path / "pkg"
    (root / "real").mkdir(parents=True)
    (root / "real" / "r.py").write_text("r", encoding="utf-8")
    (root / "a.py").write_text("a", encoding="utf-8")
    (root / ".#a.py").symlink_to("user@host.1234:1700000000")  # dangling
    (root / "loop.py").symlink_to("loop.py")  # a link to itself: no file either
    (root / "b.py").symlink_to("a.py")  # a link to a file is a file
    (root / "linked").symlink_to("real", target_is_directory=True)  # never descended
    expected = _by_rglob(root)
    assert [name for name, _ in expected] == ["a.py", "b.py", "real/r.py"]
    assert [("/".join(parts), path) for parts, path in _sources(root)] == expected
