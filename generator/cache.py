"""The on-disk cache the stages share, and the canonical text its keys are made of.

Validation results, the compiled meta-schema, black's answers for statements the layout
stage cannot prove, the ``--check`` manifest and which spec files were validated before
(``pipeline``: such a run needs no standby validation worker) all live under one folder
(``GENERATE_CLIENT_CACHE_DIR``, else ``$XDG_CACHE_HOME/generate-client``, else
``~/.cache/generate-client``), one subfolder per kind. The cache only ever saves time:
a missing, unreadable or damaged entry means "compute it", never an error.

This module imports nothing else of the generator, so any stage may use it without
depending on another stage.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """The cache folder (see the module docstring)."""
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


# The canonical JSON text of a loaded document, made once per run. Both the validation
# cache and the ``--check`` manifest key on it; on GitHub's 3.6 MB description one
# ``json.dumps(sort_keys=True)`` costs about 0.15 s, so the second caller reuses the
# first one's text. Only the most recent document is remembered, by identity: nothing
# modifies a loaded document between the two calls.
_last: tuple[object, str] | None = None


def canonical_json(document: Any) -> str:
    """``document`` as sorted, compact JSON (non-JSON values by ``repr``)."""
    global _last
    if _last is not None and _last[0] is document:
        return _last[1]
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=repr
    )
    _last = (document, text)
    return text


def _normalized(name: str) -> str:
    """A distribution name as importlib.metadata compares them (PEP 503, ``_`` for ``-``)."""
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.cache
def installed_version(distribution: str) -> str:
    """The installed version of ``distribution``, as the cache keys record it.

    Read from the name of its ``<name>-<version>.dist-info`` folder (the installed-package
    format every installer writes) in the first ``sys.path`` entry that has one, matched
    as ``importlib.metadata`` matches it: the folder name's part before its first ``-``,
    normalised like the name asked for (case, and runs of ``-``, ``_``, ``.``), so
    ``Zope.Interface-6.0.dist-info`` is ``zope-interface``'s. That module costs 30-70 ms
    of imports (email, zipfile, csv) on every cold start. Anything unusual (several
    matching folders, an ``.egg-info``, a version with a ``-``, a zip or egg on the
    path) asks ``importlib.metadata`` after all.
    """
    wanted = _normalized(distribution)
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            if os.path.isfile(entry):
                break  # a zip importlib.metadata would look inside
            continue
        if entry.lower().endswith(".egg"):
            break  # an egg's EGG-INFO, which importlib.metadata also reads
        found = [
            name
            for name in names
            if name.lower().endswith((".dist-info", ".egg-info"))
            and _normalized(name.rpartition(".")[0].partition("-")[0]) == wanted
        ]
        if len(found) == 1 and found[0].lower().endswith(".dist-info"):
            version = found[0][: -len(".dist-info")].partition("-")[2]
            if version and "-" not in version:
                return version
        if found:
            break
    # why: the folder's name did not settle it; this import is the slow, general answer
    from importlib.metadata import version as metadata_version

    return metadata_version(distribution)
