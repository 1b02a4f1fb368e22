"""Run the generator over the shared corpus of real-world API descriptions.

For every entry document in ``MANIFEST.tsv``: generate a client through the pipeline's
Python API, import the package in a fresh interpreter (a broken package must not poison
this process, and import-time side effects stay in the child), optionally type-check it
with ``mypy --strict``, and write one table row per document to ``bench/CORPUS.md``.

Full run (not CI; mypy on everything takes a long while on big documents)::

    nice -n 10 .venv/bin/python bench/corpus.py                 # mypy on all
    nice -n 10 .venv/bin/python bench/corpus.py --mypy-sample 12
    .venv/bin/python bench/corpus.py --no-mypy --only petstore --no-write

A traceback anywhere is a failure row, never a crash of the runner.
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(
    os.environ.get("GENERATE_CLIENT_CORPUS", str(REPO.parent / "shared" / "corpus"))
).resolve()
REPORT = REPO / "bench" / "CORPUS.md"
# The openapi-python-client documents that its authors wrote to be refused.
ERROR_GROUP = "openapi-python-client/documents_with_errors/"
# Everything below this line in CORPUS.md is triage written by people; a rerun keeps it.
ANALYSIS_MARKER = "<!-- hand-written triage below: kept when the table is regenerated -->"
# Documents that are not valid OpenAPI (checked with openapi-spec-validator 0.7 on its own,
# outside the generator): refusing them with a clear error is the right answer, so like
# documents_with_errors/ they must be refused cleanly or generated with a warning.
INVALID_DOCUMENTS = {
    "datamodel-code-generator/discriminator.yaml": "no info (required)",
    "datamodel-code-generator/discriminator_in_array_oneof.yaml": "no info (required)",
    "datamodel-code-generator/x_enum_varnames.yaml": "no info (required)",
    "datamodel-code-generator/type_alias_recursive.yaml": "3.0 without paths (required)",
    "datamodel-code-generator/type_alias_mutual_recursive.yaml": "3.0 without paths (required)",
    "datamodel-code-generator/nested_oneof.yaml": "3.0 without paths (required)",
    "datamodel-code-generator/body_and_parameters.yaml": "path parameter without required: true",
    "datamodel-code-generator/enum_models.yaml": "3.0 schema with a tuple `items` list",
    "datamodel-code-generator/no_components.yaml": "$ref to a missing #/components/schemas/Pets",
    "datamodel-code-generator/content_in_parameters.yaml": "path template {supiOrSuci} undeclared",
    "datamodel-code-generator/querystring_parameter_31.yaml": "`in: querystring` is 3.2, doc says 3.1",
    "swagger-petstore/v31/design-first-petstore.yaml": (
        "`$ref: #/components/...` unquoted: YAML reads a comment, so the $ref is null"
    ),
    "oai-spec-repo/v3.1-dev-schema-tests-pass/operation-object-example.yaml": (
        "path template {id} undeclared (passes the OAI JSON schema, not the spec's prose)"
    ),
}
# The CI-sized slice (tests/corpus/test_corpus_subset.py runs it on the copy vendored in
# tests/data/corpus): every small targeted document and a few medium ones.
CI_SMALL_BYTES = 40_000
CI_MEDIUM = frozenset(
    {
        "apis-guru/netlify.com/2.5.0/swagger.yaml",
        "kubernetes/v3/apis__networking.k8s.io__v1alpha1_openapi.json",
        "openapi-python-client/baseline_openapi_3.0.json",
        "openapi-python-client/baseline_openapi_3.1.yaml",
    }
)
IMPORT_TIMEOUT = 120.0
MYPY_TIMEOUT = 1800.0

# Black may wrap a long annotation onto several lines, so match only the name and colon.
_OP_CONSTANT = re.compile(r"^_OP_\w+\s*:", re.MULTILINE)
_MODEL_CLASS = re.compile(r"^class \w+", re.MULTILINE)

# Runs in the child: imports the package, counts the Operation constants the client
# module really defines (the authoritative count when the import works).
_IMPORT_PROBE = """
import importlib, json, sys
sys.path.insert(0, sys.argv[1])
pkg = importlib.import_module(sys.argv[2])
client = importlib.import_module(sys.argv[2] + "._client")
from resilient_client import BaseServiceClient, Operation
ops = [v for k, v in vars(client).items() if isinstance(v, Operation)]
classes = [c for c in vars(pkg).values()
           if isinstance(c, type) and issubclass(c, BaseServiceClient) and c is not BaseServiceClient]
sys.path.insert(0, sys.argv[3])
from corpus import sync_client_problem
print(json.dumps({"operations": len(ops), "clients": len(classes),
                  "sync": sync_client_problem(sys.argv[2], classes)}))
"""


@dataclass(frozen=True)
class Entry:
    """One MANIFEST.tsv row."""

    file: str
    version: str
    operations: int
    size: int

    @property
    def expect_rejection(self) -> bool:
        return self.file.startswith(ERROR_GROUP) or self.file in INVALID_DOCUMENTS

    @property
    def targeted(self) -> bool:
        """The corpus targets apply: an OpenAPI 3.0/3.1 or Swagger 2.0 document meant to work."""
        return (
            not self.expect_rejection
            and re.match(r"(openapi 3\.[01]|swagger 2)", self.version) is not None
        )


@dataclass
class Row:
    """What happened to one document."""

    entry: Entry
    package: str
    outcome: str = "crashed"  # generated | rejected | crashed
    operations: int | None = None
    models: int | None = None
    warnings: int = 0
    errors: int = 0
    seconds: float = 0.0
    import_ok: bool | None = None
    mypy_ok: bool | None = None
    message: str = ""
    details: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def slowest_stage(self) -> str:
        if not self.timings:
            return "—"
        stage, seconds = max(self.timings.items(), key=lambda item: item[1])
        return f"{stage} {seconds:.1f}"

    @property
    def skipped(self) -> int:
        if self.operations is None:
            return self.entry.operations
        return max(0, self.entry.operations - self.operations)

    def failure(self) -> str | None:
        """One line saying how this document misses its target, or None."""
        e = self.entry
        if self.outcome == "crashed":
            return f"traceback: {self.message}"
        if e.expect_rejection:
            if self.outcome == "rejected" or self.warnings:
                return None if self.import_ok is not False else f"import failed: {self.message}"
            return "generated without a single warning (expected rejection or a warning)"
        if self.outcome == "rejected":
            return f"rejected: {self.message}" if e.targeted else None
        if self.import_ok is False:
            return f"import failed: {self.message}"
        if self.mypy_ok is False:
            return f"mypy --strict: {self.message}"
        if self.operations is not None and self.operations != e.operations:
            return f"{e.operations} operations in the spec, {self.operations} generated"
        return None


def read_manifest(corpus: Path = CORPUS) -> list[Entry]:
    lines = (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    entries = []
    for line in lines[1:]:
        if not line.strip():
            continue
        row = dict(zip(header, line.split("\t"), strict=True))
        entries.append(
            Entry(row["file"], row["version"], int(row["operations"]), int(row["bytes"]))
        )
    return entries


def ci_subset(entries: Sequence[Entry]) -> list[Entry]:
    """The entries of the CI slice, in manifest order."""
    return [e for e in entries if e.targeted and (e.size < CI_SMALL_BYTES or e.file in CI_MEDIUM)]


def package_name(entry: Entry) -> str:
    """A unique, importable name per document (many are called ``openapi.yaml``)."""
    slug = re.sub(r"[^0-9a-z]+", "_", entry.file.lower()).strip("_")
    return f"c_{slug}_client"


def one_line(text: str, limit: int = 240) -> str:
    return " ".join(text.split())[:limit]


def generate_one(entry: Entry, out_dir: Path, corpus: Path = CORPUS) -> Row:
    """Generate one document in this process; every exception becomes a row, not a crash."""
    from generator.errors import SpecError, WriteError
    from generator.pipeline import generate

    row = Row(entry, package_name(entry))
    start = time.perf_counter()
    try:
        result = generate(corpus / entry.file, out_dir=out_dir, package_name=row.package)
    except SpecError as exc:
        row.outcome = "rejected"
        row.errors = max(1, len(exc.problems))
        row.details = [str(p) for p in exc.problems]
        row.message = one_line(row.details[0] if row.details else str(exc))
    except WriteError as exc:
        row.outcome, row.errors, row.message = "rejected", 1, one_line(f"WriteError: {exc}")
    except Exception as exc:  # any other exception is the finding itself
        row.details = traceback.format_exception(exc)
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
        row.message = one_line(f"{type(exc).__name__}: {exc} ({where})")
    else:
        row.outcome = "generated"
        row.timings = dict(result.timings)
        row.warnings = len(result.warnings)
        row.details = [str(w) for w in result.warnings]
        client = result.files.get("_client.py", "")
        row.operations = len(_OP_CONSTANT.findall(client))
        row.models = len(_MODEL_CLASS.findall(result.files.get("models.py", "")))
    row.seconds = time.perf_counter() - start
    return row


def import_check(row: Row, out_dir: Path) -> None:
    """Import the package in a child interpreter; record the result on ``row``."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROBE, str(out_dir), row.package, str(REPO / "bench")],
            capture_output=True,
            text=True,
            timeout=IMPORT_TIMEOUT,
            cwd=out_dir,
            check=False,
        )
    except subprocess.TimeoutExpired:
        row.import_ok, row.message = False, f"import took over {IMPORT_TIMEOUT:.0f}s"
        return
    if proc.returncode != 0:
        row.import_ok = False
        lines = proc.stderr.strip().splitlines() or ["(no stderr)"]
        row.message = one_line(lines[-1])
        row.details.append(proc.stderr)
        return
    _record_import(row, json.loads(proc.stdout.strip().splitlines()[-1]))


def _forked_probe(out_dir: str, package: str, conn: Connection) -> None:
    try:
        sys.path.insert(0, out_dir)
        pkg = importlib.import_module(package)
        client = importlib.import_module(package + "._client")
        from resilient_client import BaseServiceClient, Operation

        ops = sum(isinstance(v, Operation) for v in vars(client).values())
        classes = [
            c
            for c in vars(pkg).values()
            if isinstance(c, type)
            and issubclass(c, BaseServiceClient)
            and c is not BaseServiceClient
        ]
        conn.send(
            {
                "operations": ops,
                "clients": len(classes),
                "sync": sync_client_problem(package, classes),
            }
        )
    except BaseException as exc:  # reported to the parent, which decides
        conn.send({"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()})
    finally:
        conn.close()


def import_check_forked(row: Row, out_dir: Path) -> None:
    """Like ``import_check`` but forks this process, which has already imported the runtime.

    Starting a fresh interpreter and importing httpx and pydantic costs seconds on a busy
    machine; a forked child pays only for the generated package and still cannot leave
    anything behind in this process. Used by the CI subset; the full run uses fresh ones.
    """
    import resilient_client  # noqa: F401 - imported once here so every child inherits it

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_forked_probe, args=(str(out_dir), row.package, child))
    proc.start()
    child.close()
    found: dict[str, object] | None = None
    if parent.poll(IMPORT_TIMEOUT):
        try:
            found = parent.recv()
        except EOFError:
            found = None
    proc.join(5)
    if proc.is_alive():
        proc.kill()
        proc.join()
    if found is None:
        row.import_ok, row.message = False, f"import did not finish (exit {proc.exitcode})"
        return
    _record_import(row, found)


def sync_client_problem(package: str, clients: list[type]) -> str | None:
    """Import ``<package>._sync_client`` (when generated) and check that its class has a
    blocking twin of every method of the async client; None when it does."""
    if len(clients) != 1:
        return None  # reported as such by the caller
    module = importlib.import_module(package)
    if not Path(module.__file__ or "").with_name("_sync_client.py").is_file():
        return None
    from resilient_client.sync import SyncServiceClient

    sync_module = importlib.import_module(package + "._sync_client")
    found = [
        c
        for c in vars(sync_module).values()
        if isinstance(c, type) and issubclass(c, SyncServiceClient) and c is not SyncServiceClient
    ]
    if len(found) != 1:
        return f"_sync_client.py defines {len(found)} sync client classes, expected 1"
    methods = [n for n, v in vars(clients[0]).items() if callable(v) and not n.startswith("_")]
    missing = [n for n in methods if n not in vars(found[0])]
    return f"the sync client lacks {', '.join(missing[:5])}" if missing else None


def _record_import(row: Row, found: dict[str, object]) -> None:
    if "error" in found:
        row.import_ok = False
        row.message = one_line(str(found["error"]))
        row.details.append(str(found.get("trace", "")))
        return
    row.import_ok = found["clients"] == 1
    if not row.import_ok:
        row.message = f"package exports {found['clients']} client classes, expected 1"
    elif found.get("sync"):
        row.import_ok, row.message = False, str(found["sync"])
    operations = found["operations"]
    assert isinstance(operations, int)
    row.operations = operations


def mypy_check(row: Row, out_dir: Path) -> None:
    """``mypy --strict`` on the generated package with the project's config (pydantic plugin)."""
    cmd = [
        sys.executable, "-m", "mypy", "--strict", "--config-file", str(REPO / "pyproject.toml"),
        "--cache-dir", str(out_dir / ".mypy_cache"), "--no-error-summary", "-p", row.package,
    ]  # fmt: skip
    # The runtime from the source tree: resilient_client has no py.typed marker yet, so
    # mypy would refuse the installed copy (a finding reported in CORPUS.md, not ours).
    env = {**os.environ, "MYPYPATH": f"{out_dir}{os.pathsep}{REPO}"}
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=MYPY_TIMEOUT, cwd=out_dir, env=env,
            check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        row.mypy_ok, row.message = False, f"mypy took over {MYPY_TIMEOUT:.0f}s"
        return
    row.mypy_ok = proc.returncode == 0
    if not row.mypy_ok:
        errors = [ln for ln in proc.stdout.splitlines() if ": error:" in ln]
        first = errors[0].split(f"{row.package}/", 1)[-1] if errors else proc.stdout + proc.stderr
        row.message = one_line(f"{len(errors)} errors, first: {first}")
        row.details.append(proc.stdout[-6000:])


def mypy_sample(rows: Sequence[Row], n: int | None) -> set[str]:
    """Which packages get mypy: all, or ``n`` spread evenly over document size."""
    candidates = sorted(
        (r for r in rows if r.import_ok), key=lambda r: (r.entry.size, r.entry.file)
    )
    if n is None or n >= len(candidates):
        return {r.package for r in candidates}
    if n <= 0:
        return set()
    step = (len(candidates) - 1) / max(1, n - 1)
    return {candidates[round(i * step)].package for i in range(n)}


def _mark(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "**no**")


def _num(value: int | None) -> str:
    return "—" if value is None else str(value)


def render_report(rows: Sequence[Row], *, command: str, started: datetime, total: float) -> str:
    generated = [r for r in rows if r.outcome == "generated"]
    imported = [r for r in rows if r.import_ok]
    typed = [r for r in rows if r.mypy_ok]
    checked = [r for r in rows if r.mypy_ok is not None]
    targeted = [r for r in rows if r.entry.targeted]
    failures = [(r, f) for r in rows if (f := r.failure()) is not None]
    spec_ops = sum(r.entry.operations for r in targeted)
    gen_ops = sum(r.operations or 0 for r in targeted)
    crashed = [r for r in rows if r.outcome == "crashed"]
    out = [
        "# Generator on the corpus",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; wall time {total:.0f} s",
        f"- Machine: {_machine()}",
        f"- Command: `{command}`",
        f"- Corpus: `{CORPUS}` ({len(rows)} entry documents from MANIFEST.tsv)",
        "",
        "## Summary",
        "",
        f"- Generated: **{len(generated)} / {len(rows)}** documents "
        f"({sum(r.outcome == 'rejected' for r in rows)} rejected with a clear error, of which "
        f"{sum(r.outcome == 'rejected' and r.entry.expect_rejection for r in rows)} are "
        f"invalid documents; {len(crashed)} with a traceback)",
        f"- Imported: **{len(imported)} / {len(generated)}** generated packages",
        f"- `mypy --strict`: **{len(typed)} / {len(checked)}** packages checked",
        f"- Operations on target documents (OpenAPI 3.0/3.1, Swagger 2.0; "
        f"{len(targeted)} documents): **{gen_ops} / {spec_ops}** generated",
        f"- Documents missing their target: **{len(failures)}**",
        "",
    ]
    slowest = sorted(generated, key=lambda r: -r.seconds)[:5]
    if slowest:
        out.append("- Slowest: " + "; ".join(
            f"`{r.entry.file}` {r.seconds:.0f} s ("
            + ", ".join(f"{k} {v:.1f}" for k, v in r.timings.items() if v >= 0.5) + ")"
            for r in slowest
        ))  # fmt: skip
        out.append("")
    if failures:
        out += ["### Failures", ""]
        out += [f"- `{r.entry.file}`: {one_line(f, 400)}" for r, f in failures]
        out.append("")
    rejected_on_purpose = [r for r in rows if r.entry.expect_rejection]
    if rejected_on_purpose:
        out += [
            "### Invalid documents (`documents_with_errors/` and the ones listed in "
            "`INVALID_DOCUMENTS`): refused, or generated with a warning",
            "",
        ]
        for r in rejected_on_purpose:
            how = (
                f"rejected (exit 2): {r.message}" if r.outcome == "rejected"
                else f"generated with {r.warnings} warning(s)" if r.outcome == "generated"
                else f"traceback: {r.message}"
            )  # fmt: skip
            why = INVALID_DOCUMENTS.get(r.entry.file)
            out.append(f"- `{r.entry.file}`{f' ({why})' if why else ''}: {one_line(how, 300)}")
        out.append("")
    out += [
        "## Per document",
        "",
        "Ops: operations in the spec (MANIFEST, webhooks not counted) / generated. "
        "Seconds: generation (load to write) with a cold generator cache unless the command "
        "says --warm-cache; not import or mypy. — = not run.",
        "",
        "| document | version | ops spec | ops gen | models | warnings | errors | s "
        "| slowest stage (s) | import | mypy | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|---|---|",
    ]
    for r in rows:
        verdict = r.failure()
        result = "ok" if verdict is None else one_line(verdict, 120).replace("|", "\\|")
        if verdict is None and r.outcome == "rejected":
            result = "rejected as expected"
        out.append(
            f"| `{r.entry.file}` | {r.entry.version} | {r.entry.operations} | "
            f"{_num(r.operations)} | {_num(r.models)} | {r.warnings} | {r.errors} | "
            f"{r.seconds:.2f} | {r.slowest_stage()} | {_mark(r.import_ok)} | {_mark(r.mypy_ok)} "
            f"| {result} |"
        )
    return "\n".join(out) + "\n"


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs "
        f"(shared with other work), Python {platform.python_version()}"
    )


def run(args: argparse.Namespace) -> list[Row]:
    entries = [e for e in read_manifest() if not args.only or any(s in e.file for s in args.only)]
    out_dir = Path(args.out).resolve() if args.out else Path(tempfile.mkdtemp(prefix="corpus-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = None
    if not args.warm_cache:
        # The generator caches validation and black output on disk; a cold cache makes the
        # seconds column what a first generation costs, not a replay of an earlier run.
        cache = tempfile.mkdtemp(prefix="corpus-cache-")
        os.environ["GENERATE_CLIENT_CACHE_DIR"] = cache
    rows = []
    try:
        for entry in entries:
            row = generate_one(entry, out_dir)
            if row.outcome == "generated":
                import_check(row, out_dir)
            rows.append(row)
            _progress(row)
        sample = None if args.mypy_sample is None else args.mypy_sample
        chosen = set() if args.no_mypy else mypy_sample(rows, sample)
        for row in rows:
            if row.package in chosen:
                mypy_check(row, out_dir)
                print(f"  mypy {row.entry.file}: {_mark(row.mypy_ok)}", file=sys.stderr)
    finally:
        if not args.out:
            shutil.rmtree(out_dir, ignore_errors=True)
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)
    return rows


def _progress(row: Row) -> None:
    status = row.failure() or "ok"
    print(f"{row.seconds:7.2f}s {row.outcome:9} {row.entry.file}: {status}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--no-mypy", action="store_true", help="skip mypy --strict")
    parser.add_argument("--mypy-sample", type=int, metavar="N", help="mypy on N documents only")
    parser.add_argument("--only", nargs="*", metavar="TEXT", help="documents whose path has TEXT")
    parser.add_argument("--out", help="keep the generated packages here (default: a temp dir)")
    parser.add_argument(
        "--warm-cache", action="store_true", help="use the generator's own on-disk cache"
    )
    parser.add_argument("--no-write", action="store_true", help=f"do not rewrite {REPORT.name}")
    parser.add_argument(
        "--json", metavar="PATH", help="also dump every row with its full messages (for triage)"
    )
    args = parser.parse_args(argv)
    if not (CORPUS / "MANIFEST.tsv").is_file():
        print(
            f"bench/corpus.py: no corpus at {CORPUS} (no MANIFEST.tsv): the full corpus sits"
            " beside the checkout in ../shared/corpus on the project's machines; elsewhere set"
            " GENERATE_CLIENT_CORPUS, e.g. to tests/data/corpus for the vendored slice",
            file=sys.stderr,
        )
        return 2
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    rows = run(args)
    argv_used = list(sys.argv[1:] if argv is None else argv)
    command = " ".join([".venv/bin/python bench/corpus.py", *argv_used])
    report = render_report(rows, command=command, started=started, total=time.perf_counter() - t0)
    if not args.no_write:
        old = REPORT.read_text(encoding="utf-8") if REPORT.is_file() else ""
        kept = old[old.index(ANALYSIS_MARKER) :] if ANALYSIS_MARKER in old else ""
        REPORT.write_text(report + ("\n" + kept if kept else ""), encoding="utf-8")
    if args.json:
        dump = [
            {**asdict(r), "entry": asdict(r.entry), "failure": r.failure()} for r in rows
        ]  # fmt: skip
        Path(args.json).write_text(json.dumps(dump, indent=1), encoding="utf-8")
    print(report.split("## Per document")[0])
    return 0 if all(r.outcome != "crashed" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
