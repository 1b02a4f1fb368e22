"""One spec through every stage: load -> validate -> build -> render -> format -> write|check.

Each stage is its own package (``load``, ``validate``, ``ir``, ``render``, ``format``,
``write``) and none imports another, except that ``render`` reads the ``ir``; this
module is the one place that crosses them. It sequences the stages, records how long
each took (``--verbose`` prints it, so slow documents show where time goes) and collects
warnings. Input problems surface as ``SpecError``; problems with the output location as
``WriteError``; anything else is a bug in the generator.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.cache import cache_dir, cache_read, cache_write
from generator.errors import Problem, SpecError
from generator.ir.naming import check_package_name, default_package_name
from generator.load.document import LoadedDocument, load
from generator.write.manifest import manifest_key, recall_if_unchanged, remember
from generator.write.package import Drift, files_on_disk, write_package
from generator.write.package import check as check_package

if TYPE_CHECKING:
    from generator.ir.compare import Change
    from generator.validate.validation import ValidationHandle
    from generator.validate.workers import Standby

DIST_SUFFIX = "-dist"
#: cache folder of the "validated before" hints (``_validated_before``)
_HINT_KIND = "validated-files"


@dataclass
class GenerateResult:
    """What one ``generate`` call did."""

    spec: Path
    package_name: str
    package_dir: Path
    files: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)
    written: bool = False
    dist_dir: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    #: True when --check confirmed the output from the manifest without re-rendering
    from_manifest: bool = False


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return True  # cannot tell: the safe answer is "do not use the cache"


class _Timer:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def _file_identity(spec: Path) -> str | None:
    """The spec file as the file system identifies this version of it."""
    try:
        info = spec.stat()
        return f"{spec.resolve()}\0{info.st_dev}\0{info.st_ino}\0{info.st_size}\0{info.st_mtime_ns}"
    except (OSError, RuntimeError):
        return None


def _hint_key(identity: str) -> str:
    # surrogateescape: a file name need not be UTF-8 (its bytes come back as surrogates)
    return hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()


def _validated_before(identity: str | None) -> bool:
    """True when this very file (path, inode, size, modification time) was validated by
    an earlier run with the cache, so the validation cache most likely holds its answer.

    Only a hint: a run it misleads (the cache entry gone, another validator version)
    validates after loading instead, without the head start of a standby worker."""
    return identity is not None and cache_read(_HINT_KIND, _hint_key(identity)) is not None


def _standby(spec: Path) -> Standby | None:
    """A validation worker started before loading, so its imports overlap ours."""
    # why: a --check the manifest answers never validates (its modules load multiprocessing)
    from generator.validate.validation import standby

    try:
        return standby(spec.stat().st_size)
    except OSError:  # load reports the unreadable file
        return None


def _start_validation(
    loaded: LoadedDocument, use_cache: bool, ready: Standby | None = None
) -> ValidationHandle:
    """Start validating; a result already in hand (cache, small document) that is fatal
    stops the pipeline here, before anything is built."""
    # why: a --check the manifest answers never validates (its modules load multiprocessing)
    from generator.validate.validation import start_validation

    validation = start_validation(
        loaded.document,
        source_name=loaded.source_name,
        version=loaded.version,
        use_cache=use_cache,
        ready=ready,
    )
    if validation.done():
        _raise_if_fatal(validation.result())
    return validation


def _raise_if_fatal(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SpecError(errors)


def generate(
    spec: Path,
    *,
    out_dir: Path,
    package_name: str | None = None,
    client_name: str | None = None,
    check: bool = False,
    dist: bool = False,
    sync: bool = True,
) -> GenerateResult:
    """Generate (or with ``check``, compare) the client package for one spec."""
    # `is None`, not falsiness: an explicit --package-name '' must be refused, not ignored.
    name = default_package_name(spec) if package_name is None else package_name
    check_package_name(name, origin=spec.name if package_name is None else "--package-name")
    result = GenerateResult(spec=spec, package_name=name, package_dir=out_dir / name)
    timer = _Timer(result.timings)

    # The cache must never leave files in the output folder (they would show up as
    # drift or be committed), so a cache configured inside it is simply not used.
    use_cache = not _inside(cache_dir(), out_dir)

    # Without --check validation always runs: its worker can start importing right away,
    # unless the validation cache will answer: then the worker would only be stopped again
    # (0.03 s of CPU spent on its imports, and the wait for it to stop).
    identity = _file_identity(spec) if use_cache and not check else None
    known = _validated_before(identity)
    ready = None if check or known else _standby(spec)
    try:
        with timer.stage("load"):
            loaded = load(spec)
    except BaseException:
        if ready is not None:
            ready.close()
        raise
    result.warnings.extend(loaded.warnings)
    dist_dir = out_dir / f"{name}{DIST_SUFFIX}"
    folders = {name: result.package_dir, **({dist_dir.name: dist_dir} if dist else {})}
    # Large documents are validated by worker processes while this one builds, renders
    # and formats; nothing is written or reported before their answer is in, and a fatal
    # one wins over whatever the build made of the invalid document. Without --check the
    # manifest cannot spare the work, so validation starts before its key is computed.
    validation = None
    if not check:
        with timer.stage("validate"):
            validation = _start_validation(loaded, use_cache, ready)
    key = None
    if use_cache:
        with timer.stage("check"):
            key = manifest_key(
                loaded.document,
                source_name=loaded.source_name,
                sha256=loaded.sha256,
                package_name=name,
                client_name=client_name,
                dist=dist,
                sync=sync,
            )
            remembered = recall_if_unchanged(key, folders) if check else None
        if remembered is not None:
            # Everything on disk is byte-identical to what this exact input produced
            # before: nothing to validate, render or format to know there is no drift.
            result.warnings.extend(remembered)
            result.files = {rel: "" for rel in files_on_disk(result.package_dir)}
            result.from_manifest = True
            return result
    after_load = len(result.warnings)
    if validation is None:
        with timer.stage("validate"):
            validation = _start_validation(loaded, use_cache)
    # why: a --check the manifest answers has returned above, without these (0.08 s)
    from generator.format.files import lay_out_files
    from generator.ir.build import build_service
    from generator.render.package import HeaderInfo, render_package

    try:
        with timer.stage("build"):
            service, build_warnings = build_service(
                loaded.document, source_name=loaded.source_name, client_name=client_name
            )
        header = HeaderInfo(
            generator_version=__version__, spec_name=loaded.source_name, spec_sha256=loaded.sha256
        )
        with timer.stage("render"):
            rendered = render_package(service, package_name=name, header=header, sync=sync)
        with timer.stage("format"):
            result.files = lay_out_files(rendered, use_cache=use_cache)
    except Exception:
        with timer.stage("validate"):
            _raise_if_fatal(validation.result())
        raise
    with timer.stage("validate"):
        problems = validation.result()
    if identity is not None and not known:
        cache_write(_HINT_KIND, _hint_key(identity), b"")
    _raise_if_fatal(problems)
    result.warnings.extend(problems)
    result.warnings.extend(build_warnings)

    outputs: list[tuple[Path, dict[str, str]]] = [(result.package_dir, result.files)]
    if dist:
        # why: only --dist needs it, and it imports jinja2 and packaging
        from generator.render.dist import render_dist

        with timer.stage("render"):
            dist_files, dist_warnings = render_dist(
                service, package_name=name, package_files=result.files, header=header
            )
        result.warnings.extend(dist_warnings)
        result.dist_dir = dist_dir
        outputs.append((result.dist_dir, dist_files))

    if key is not None:
        remember(key, [(t.name, f) for t, f in outputs], result.warnings[after_load:])
    if check:
        with timer.stage("check"):
            for target, files in outputs:
                prefix = "" if target == result.package_dir else f"{target.name}/"
                result.drift.extend(
                    Drift(prefix + d.path, d.kind, d.diff) for d in check_package(files, target)
                )
    else:
        with timer.stage("write"):
            for target, files in outputs:
                result.written = write_package(files, target) or result.written
    return result


def compare(old_spec: Path, new_spec: Path) -> list[Change]:
    """What changes for the callers of the client when ``old_spec`` becomes ``new_spec``
    (``generate-client --breaking OLD NEW``). Both documents are loaded, validated and
    built; nothing is rendered or written."""
    # why: only --breaking needs the IR builders and the comparison
    from generator.ir.build import build_service
    from generator.ir.compare import compare_services

    services = []
    for spec in (old_spec, new_spec):
        loaded = load(spec)
        _raise_if_fatal(_start_validation(loaded, use_cache=True).result())
        service, _ = build_service(loaded.document, source_name=loaded.source_name)
        services.append(service)
    return compare_services(*services)
