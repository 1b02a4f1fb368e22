"""Stage 5: format generated Python with black, as a library.

Black is the slowest stage on large documents (~3,000 lines/s on one core), so results
are cached on disk keyed by the unformatted text, black's version and the mode, and big
packages are formatted in parallel processes. A black failure on generated code is a bug
in the generator: it is raised as ``FormatError`` naming the file, never papered over by
writing the unformatted text.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from black.mode import Mode

LINE_LENGTH = 100
# Below this many lines in total, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD_LINES = 6000


class FormatError(Exception):
    """Black rejected generated code: an internal error of the generator."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"black could not format generated file {path}: {reason}")


def cache_dir() -> Path:
    """The on-disk cache shared by the formatting and validation stages."""
    override = os.environ.get("GENERATE_CLIENT_CACHE_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "generate-client"


def cache_read(kind: str, key: str) -> bytes | None:
    try:
        return (cache_dir() / kind / key[:2] / key).read_bytes()
    except (OSError, ValueError):
        return None


def cache_write(kind: str, key: str, data: bytes) -> None:
    """Store atomically; any failure is ignored because the cache only saves time."""
    try:
        folder = cache_dir() / kind / key[:2]
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, folder / key)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
    except OSError:
        pass


def _mode() -> Mode:
    # black is imported on first use so FormatError and the cache helpers stay light.
    from black.mode import Mode, TargetVersion

    return Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY311})


@functools.cache
def _mode_tag() -> str:
    from importlib import metadata

    return f"black-{metadata.version('black')}-ll{LINE_LENGTH}-py311"


def _key(text: str) -> str:
    return hashlib.sha256(f"{_mode_tag()}\0{text}".encode()).hexdigest()


def _format_job(job: tuple[str, str]) -> tuple[str, str, str | None]:
    """Worker entry point: returns (path, formatted, failure reason) so errors cross processes."""
    import black

    path, text = job
    try:
        return path, black.format_str(text, mode=_mode()), None
    except Exception as exc:  # black raises several unrelated types for invalid code
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return path, "", reason


def format_files(files: Mapping[str, str], *, use_cache: bool = True) -> dict[str, str]:
    """Return ``files`` with every ``.py`` file black-formatted; others unchanged."""
    result = dict(files)
    pending: list[tuple[str, str]] = []
    for path in sorted(files):
        if not path.endswith(".py"):
            continue
        cached = cache_read("black", _key(files[path])) if use_cache else None
        if cached is not None:
            result[path] = cached.decode("utf-8")
        else:
            pending.append((path, files[path]))
    total_lines = sum(text.count("\n") for _, text in pending)
    workers = min(len(pending), os.cpu_count() or 1)
    if workers > 1 and total_lines >= PARALLEL_THRESHOLD_LINES:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(_format_job, pending))
    else:
        outcomes = [_format_job(job) for job in pending]
    for path, _, reason in outcomes:
        if reason is not None:
            raise FormatError(path, reason)
    for (path, original), (_, formatted, _) in zip(pending, outcomes, strict=True):
        result[path] = formatted
        if use_cache:
            cache_write("black", _key(original), formatted.encode("utf-8"))
    return result
