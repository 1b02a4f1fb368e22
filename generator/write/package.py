"""Stage 6: put a rendered package on disk atomically, or compare it with what is there.

The whole package is written into a fresh temporary directory inside the output folder
and swapped into place with renames, so a failure midway leaves the previous package
intact and files that are no longer generated disappear with the old directory. Paths
are checked so a package can never be written outside the output folder, and an
existing symlink at the package location is refused rather than followed.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.errors import WriteError

DIFF_LINES_PER_FILE = 8
_IGNORED_DIRS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache"})


@dataclass(frozen=True, slots=True)
class Drift:
    """One file whose committed content differs from what the spec generates."""

    path: str
    kind: Literal["added", "removed", "changed"]
    diff: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.path}"


def _safe_parts(relative: str) -> tuple[str, ...]:
    # Split by hand: PurePosixPath would quietly normalise "a//b" and "./x", and a
    # renderer emitting those is a bug worth stopping at.
    parts = tuple(relative.split("/"))
    if not relative or any(p in ("", ".", "..") for p in parts):
        raise WriteError(f"refusing to write unsafe path {relative!r}")
    if any("\\" in p or "\0" in p for p in parts):
        raise WriteError(f"refusing to write unsafe path {relative!r}")
    return parts


def files_on_disk(package_dir: Path) -> dict[str, Path]:
    """Files currently in the package, without following symlinks anywhere."""
    found: dict[str, Path] = {}
    if package_dir.is_symlink() or not package_dir.is_dir():
        return found
    for current, dirs, names in os.walk(package_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _IGNORED_DIRS)
        for name in names:
            if name.endswith(".pyc"):
                continue
            full = Path(current) / name
            found[full.relative_to(package_dir).as_posix()] = full
    return found


def _read_text(path: Path) -> str | None:
    if path.is_symlink():
        return None
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _summary(relative: str, old: str, new: str) -> str:
    lines = list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), f"a/{relative}", f"b/{relative}", lineterm="", n=0
        )
    )
    body = [line for line in lines[2:] if not line.startswith("@@")]
    shown = body[:DIFF_LINES_PER_FILE]
    if len(body) > len(shown):
        shown.append(f"... {len(body) - len(shown)} more changed lines")
    return "\n".join(shown)


def check(files: Mapping[str, str], package_dir: Path) -> list[Drift]:
    """Compare rendered ``files`` with ``package_dir`` in memory; write nothing."""
    existing = files_on_disk(package_dir)
    drift: list[Drift] = []
    for relative in sorted(set(files) | set(existing)):
        if relative not in existing:
            drift.append(Drift(relative, "added"))
        elif relative not in files:
            drift.append(Drift(relative, "removed"))
        else:
            current = _read_text(existing[relative])
            if current != files[relative]:
                diff = _summary(relative, current, files[relative]) if current is not None else ""
                drift.append(Drift(relative, "changed", diff))
    return drift


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_package(files: Mapping[str, str], package_dir: Path) -> bool:
    """Make ``package_dir`` contain exactly ``files``; return False if it already did."""
    out_dir = package_dir.parent
    if package_dir.is_symlink():
        raise WriteError(f"{package_dir} is a symlink; refusing to write through it")
    if package_dir.exists() and not package_dir.is_dir():
        raise WriteError(f"{package_dir} exists and is not a directory")
    planned = {relative: _safe_parts(relative) for relative in files}
    if package_dir.is_dir() and not check(files, package_dir):
        return False
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot create output folder {out_dir}: {exc.strerror}") from None
    staging = Path(tempfile.mkdtemp(prefix=f".{package_dir.name}.new-", dir=out_dir))
    try:
        os.chmod(staging, 0o777 & ~_umask())
        for relative, parts in sorted(planned.items()):
            target = staging.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8", newline="\n") as handle:
                handle.write(files[relative])
        _swap(staging, package_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteError(f"cannot write {package_dir}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return True


def _swap(staging: Path, package_dir: Path) -> None:
    if not package_dir.exists():
        os.rename(staging, package_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{package_dir.name}.old-", dir=package_dir.parent))
    retired.rmdir()
    os.rename(package_dir, retired)
    try:
        os.rename(staging, package_dir)
    except OSError:
        os.rename(retired, package_dir)
        raise
    # rmtree unlinks symlinks instead of following them, so this stays inside OUTDIR.
    shutil.rmtree(retired, ignore_errors=True)
