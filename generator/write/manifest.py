"""``--check`` fast path: remember what a generation produced, keyed by all it depends on.

A check of an unchanged spec would otherwise validate, build, render and black-format
the whole package only to find it identical. After every full run we store, under a key
made of the bundled document, the options and a fingerprint of the generator itself
(its source, templates, the runtime it reads member names from, and black's version),
the sha256 of every file the run produced. A later check with the same key only hashes
the files on disk. Any difference, or any doubt (no manifest, unreadable cache), falls
back to the full pipeline, so the fast path can only ever confirm byte-identical output.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import generator
from generator.cache import cache_read, cache_write, canonical_json, installed_version
from generator.errors import Problem
from generator.write.package import files_on_disk

_KIND = "manifest"
#: bump when the manifest's own layout changes
_LAYOUT = "1"
_SOURCES = (".py", ".jinja")


@functools.cache
def generator_fingerprint() -> str:
    """Hash of everything besides the document that decides the output's bytes."""
    # found, not imported: importing the runtime would cost a --check 0.12 s
    runtime_spec = importlib.util.find_spec("resilient_client")
    runtime_origin = runtime_spec.origin if runtime_spec is not None else None

    # black's version from its dist-info: importing black itself costs more than a check
    black_version = installed_version("black")
    digest = hashlib.sha256(f"{_LAYOUT}\0{generator.__version__}\0{black_version}\0".encode())
    generator_dir = Path(generator.__file__).resolve().parent
    installed_templates = generator_dir / "templates"
    template_dir = (
        installed_templates if installed_templates.is_dir() else generator_dir.parent / "templates"
    )
    roots = [
        generator_dir,
        template_dir,
        # naming reads BaseServiceClient's members to avoid collisions with them
        *([Path(runtime_origin).resolve().parent] if runtime_origin else []),
    ]
    for root in roots:
        for parts, path in _sources(root):
            digest.update("/".join(parts).encode() + b"\0")
            digest.update(Path(path).read_bytes() + b"\0")
    return digest.hexdigest()


def _sources(root: Path) -> list[tuple[tuple[str, ...], str]]:
    """Every ``.py`` and ``.jinja`` file under ``root``: (its path's parts below ``root``,
    its path), in the order of ``sorted(root.rglob("*"))``. ``os.scandir`` knows files from
    folders without a ``stat`` of each, which cost 9 ms a run for ``Path.is_file``; only a
    symbolic link is followed, as ``Path.is_file`` follows it, so a dangling one (the
    ``.#name.py`` lock Emacs leaves beside a file being edited) is no source."""
    found = []
    pending: list[tuple[tuple[str, ...], str]] = [((), str(root))]
    while pending:
        below, folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            continue  # as rglob and os.walk: a folder that cannot be listed has nothing
        for entry in listed:
            try:
                is_dir = entry.is_dir()
                is_source = not is_dir and entry.name.endswith(_SOURCES) and entry.is_file()
            except OSError:
                continue  # a link in a loop: neither, as for Path.is_file and os.walk
            if is_dir:
                # rglob does not descend into linked folders; __pycache__ holds bytecode only
                if not entry.is_symlink() and entry.name != "__pycache__":
                    pending.append(((*below, entry.name), entry.path))
            elif is_source:
                found.append(((*below, entry.name), entry.path))
    return sorted(found)


def manifest_key(
    document: Mapping[str, Any],
    *,
    source_name: str,
    sha256: str,
    package_name: str,
    client_name: str | None,
    dist: bool,
    sync: bool = True,
) -> str:
    # The bundled document, not the root file's bytes: a multi-file spec changes when
    # any of its files does. The root file's sha256 still matters (it is in the header).
    canonical = canonical_json(document)
    options = json.dumps([source_name, sha256, package_name, client_name, dist, sync])
    digest = hashlib.sha256(generator_fingerprint().encode() + b"\0" + options.encode() + b"\0")
    digest.update(canonical.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def remember(
    key: str, outputs: Sequence[tuple[str, Mapping[str, str]]], warnings: Sequence[Problem]
) -> None:
    """Store the produced files' hashes (per output folder name) and the run's warnings."""
    record = {
        "outputs": {
            folder: {rel: _sha(text.encode("utf-8")) for rel, text in files.items()}
            for folder, files in outputs
        },
        "warnings": [[w.file, w.pointer, w.message, w.severity] for w in warnings],
    }
    cache_write(_KIND, key, json.dumps(record, sort_keys=True).encode())


def recall_if_unchanged(key: str, folders: Mapping[str, Path]) -> list[Problem] | None:
    """The remembered warnings when every output folder holds exactly the remembered
    bytes; None when anything differs or is unknown (then run the full pipeline)."""
    raw = cache_read(_KIND, key)
    if raw is None:
        return None
    try:
        record = json.loads(raw)
        expected: dict[str, dict[str, str]] = record["outputs"]
        warnings = [
            Problem(str(f), str(p), str(m), "warning" if s == "warning" else "error")
            for f, p, m, s in record["warnings"]
        ]
    except (ValueError, KeyError, TypeError):
        return None
    if set(expected) != set(folders):
        return None
    for folder, path in folders.items():
        on_disk = files_on_disk(path)
        if set(on_disk) != set(expected[folder]):
            return None
        for rel, file in on_disk.items():
            try:
                if _sha(file.read_bytes()) != expected[folder][rel]:
                    return None
            except OSError:
                return None
    return warnings
