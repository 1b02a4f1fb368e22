"""Stage 2: validate a bundled document against the OpenAPI specification.

``openapi-spec-validator`` does the checking (``describe`` turns its errors into
located one-line problems). Each error becomes one Problem:

- fatal: the document's structure is wrong (missing or mistyped required fields,
  undeclared path parameters, duplicate operationIds);
- warning: the document is merely odd and a client can still be generated (unknown
  fields, example/default values that do not match their schema, unknown ``format``
  values, unknown JSON Schema dialects, validator limitations).

Full validation of GitHub's 3.6 MB description took 6.9 s, in two independent phases:
the document against the meta-schema (jsonschema, 3.8 s) then the keyword walk (3.1 s).
To make a cold run fast without changing a single message:

- the meta-schema phase of a 3.0 document first asks ``fast`` (fastjsonschema,
  0.5 s); only when it does not vouch for the document does jsonschema run, built by
  ``meta_phase`` as the library builds it but without importing the library;
- the keyword walk is done by ``walk`` directly over the document (0.39 s of CPU become
  0.15 s on Kubernetes apps/v1: 0.03 s of walking, the rest importing
  openapi-schema-validator for its 99 mismatching defaults), with the library itself
  where the walk does not model a case;
- ``start_validation`` runs the phases in forked worker processes (``workers``)
  while the pipeline builds and renders; ``ValidationHandle.result`` joins them.

Results are cached on disk keyed by the canonical document and the validator version.
``run_sequential`` (the validator's own single pass) stays as the reference the tests
hold every faster path to.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from generator.cache import cache_read, cache_write, canonical_json, installed_version
from generator.errors import Problem
from generator.validate import workers
from generator.validate.fast import disk_cache
from generator.validate.meta_phase import schema_phase
from generator.validate.phases import Found, combine
from generator.validate.workers import Pending, Standby

MAX_PROBLEMS = 200
#: Below this many bytes of canonical JSON, forking workers costs more than it saves
#: (measured in bench/validate_speed.py): such documents validate in this process.
SMALL_DOCUMENT = 200_000
_CACHE_VERSION = "5"


def _validator_kind(document: dict[str, Any], version: str) -> str:
    declared = str(document.get("openapi", ""))
    return "3.2" if declared.startswith("3.2") else version


def _canonical(document: dict[str, Any], kind: str) -> tuple[str, int]:
    """The cache key and the size of the canonical text (which decides on workers)."""
    text = canonical_json(document)
    digest = hashlib.sha256()
    # The distribution's version, not `openapi_spec_validator.__version__`: the same
    # string, without importing the validator when the answer is in the cache.
    validator_version = installed_version("openapi-spec-validator")
    digest.update(f"{_CACHE_VERSION}\0{validator_version}\0{kind}\0".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest(), len(text)


def _run(document: dict[str, Any], kind: str) -> list[Found]:
    """Every problem, computed in this process: the fast meta-schema phase, then (if it
    finished) the keyword walk. Exactly ``run_sequential``'s answer."""
    # why: the keyword walk's module tree, which a cached answer never pays for
    from generator.validate.walk import root_phase

    return combine(schema_phase(document, kind), lambda: root_phase(document, kind))


def _read_cache(key: str) -> list[Found] | None:
    cached = cache_read("validate", key)
    if cached is None:
        return None
    try:
        return [
            (str(p), str(m), "error" if s == "error" else "warning")
            for p, m, s in json.loads(cached)
        ]
    except (ValueError, TypeError):
        return None


class ValidationHandle:
    """Validation under way; ``result()`` waits for it (at most once)."""

    def __init__(
        self,
        source_name: str,
        *,
        key: str,
        use_cache: bool,
        found: list[Found] | None = None,
        pending: Pending | None = None,
    ) -> None:
        self._source_name = source_name
        self._key = key
        self._use_cache = use_cache
        self._found = found
        self._pending = pending
        self._problems: list[Problem] | None = None

    def done(self) -> bool:
        """True when ``result()`` will not wait for a worker."""
        return self._pending is None

    def result(self) -> list[Problem]:
        """Every problem in the document; severity "error" ones are fatal."""
        if self._problems is not None:
            return self._problems
        if self._found is None:
            assert self._pending is not None
            self._found = self._pending.result()
            self._pending = None
            if self._use_cache:
                cache_write("validate", self._key, json.dumps(self._found).encode("utf-8"))
        problems = [Problem(self._source_name, p, m, severity=s) for p, m, s in self._found]
        errors = [p for p in problems if p.severity == "error"]
        warnings = [p for p in problems if p.severity == "warning"]
        self._problems = errors[:MAX_PROBLEMS] + warnings[:MAX_PROBLEMS]
        return self._problems


def standby(size_hint: int) -> Standby | None:
    """A worker forked before loading, when the file (``size_hint`` bytes) promises a
    document large enough for workers; ``start_validation`` hands it the document."""
    return workers.standby() if size_hint >= SMALL_DOCUMENT else None


def start_validation(
    document: dict[str, Any],
    *,
    source_name: str,
    version: str,
    use_cache: bool = True,
    concurrent: bool = True,
    ready: Standby | None = None,
) -> ValidationHandle:
    """Start validating ``document``; with ``concurrent``, large documents are checked by
    forked workers while the caller goes on (it must not change ``document`` meanwhile).
    ``ready`` (from ``standby``) is used as a worker or stopped.

    Answers from the cache, small documents and platforms without ``fork`` are done
    before this returns.
    """
    try:
        return _start(document, source_name, version, use_cache, concurrent, ready)
    finally:
        if ready is not None:
            ready.close()  # does nothing once a worker has taken it over


def _start(
    document: dict[str, Any],
    source_name: str,
    version: str,
    use_cache: bool,
    concurrent: bool,
    ready: Standby | None,
) -> ValidationHandle:
    kind = _validator_kind(document, version)
    key, size = _canonical(document, kind)
    found = _read_cache(key) if use_cache else None
    if found is not None:
        return ValidationHandle(source_name, key=key, use_cache=False, found=found)
    pending = None
    if concurrent and size >= SMALL_DOCUMENT:
        pending = workers.start(document, kind, use_cache=use_cache, ready=ready)
    if pending is None:
        with disk_cache(use_cache):
            found = _run(document, kind)
        if use_cache:
            cache_write("validate", key, json.dumps(found).encode("utf-8"))
        return ValidationHandle(source_name, key=key, use_cache=False, found=found)
    return ValidationHandle(source_name, key=key, use_cache=use_cache, pending=pending)


def validate(
    document: dict[str, Any], *, source_name: str, version: str, use_cache: bool = True
) -> list[Problem]:
    """Return every problem in ``document``; severity "error" ones are fatal."""
    return start_validation(
        document, source_name=source_name, version=version, use_cache=use_cache, concurrent=False
    ).result()
