"""Helpers shared by the generator benchmarks: measured child processes, machine facts,
sub-documents and the openapi-python-client venv.

A child is timed by wall clock and by CPU (user + system of the child and every process
it waited for, from ``os.wait4``), because the machine these figures come from is shared:
CPU seconds move far less than wall seconds when neighbours are busy. Memory is reported
two ways: the largest single process (``ru_maxrss`` from ``wait4``, covering the child
and its waited-for workers) and the peak of the whole process tree's PSS summed
(sampled from /proc every 50 ms), since a process pool's memory is the sum of its
workers; PSS rather than RSS so pages a forked worker shares with its parent count once.
Short peaks between two samples can be missed; ``ru_maxrss`` cannot miss them.

The generator benchmarked is, by default, a snapshot of the committed ``generator/`` and
``templates/`` at HEAD exported into ``bench/_work`` (``git archive``): other engineers
edit the working tree while a benchmark runs, and a run must measure one version.
"""

from __future__ import annotations

import copy
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "_work"
# The full corpus beside the checkout when there is one, else the copy the tests vendor
# (it holds every document these benchmarks name: GitHub, SendGrid, Kubernetes apps/v1).
_FULL_CORPUS = Path(os.environ.get("GENERATE_CLIENT_CORPUS", ROOT.parent / "shared" / "corpus"))
CORPUS = _FULL_CORPUS if _FULL_CORPUS.is_dir() else ROOT / "tests" / "data" / "corpus"
GITHUB_SPEC = CORPUS / "github" / "octokit-cache-api.github.com.json"
GENERATE_CLIENT = ROOT / ".venv" / "bin" / "generate-client"
PYTHON = ROOT / ".venv" / "bin" / "python"
OPC_VENV = ROOT / "bench" / ".venv-opc"
OPC_REQUIREMENT = "openapi-python-client==0.29.*"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MIB = 1024 * 1024


@dataclass(frozen=True)
class Run:
    """One measured child process."""

    wall: float
    cpu: float
    max_rss: int  # bytes, largest single process (child or a waited-for descendant)
    tree_pss: int  # bytes, peak of the PSS summed over the live process tree
    returncode: int
    stdout: str
    stderr: str


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                found.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return found


def _pss(pid: int) -> int:
    """Proportional set size: shared pages (a forked worker's copy-on-write memory) are
    split between the processes sharing them, so a sum over a tree counts them once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def tree_pss(pid: int) -> int:
    """Memory of ``pid`` and all its descendants now (sum of PSS), in bytes."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _pss(current)
        stack.extend(_children(current))
    return total


def run_measured(
    cmd: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Run:
    """Run ``cmd`` to completion and measure it; output is captured, never raised on."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(c) for c in cmd], stdout=out, stderr=err, env=full_env, cwd=cwd
        )
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_pss(proc.pid))
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            max_rss=usage.ru_maxrss * 1024,
            tree_pss=peak,
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def stage_timings(stderr: str) -> dict[str, float]:
    """Parse the ``timings: load 1.2s, ...`` line that ``generate-client -v`` prints."""
    for line in reversed(stderr.splitlines()):
        if ": timings: " in line:
            body = line.split(": timings: ", 1)[1].split(" (total", 1)[0]
            stages: dict[str, float] = {}
            for part in body.split(", "):
                name, _, seconds = part.rpartition(" ")
                stages[name] = float(seconds.rstrip("s"))
            return stages
    return {}


def count_lines(folder: Path) -> dict[str, int]:
    """Lines per generated ``.py`` file under ``folder`` (relative posix paths)."""
    counts: dict[str, int] = {}
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" in path.parts or any(p.startswith(".venv") for p in path.parts):
            continue
        with path.open("rb") as handle:
            counts[path.relative_to(folder).as_posix()] = sum(1 for _ in handle)
    return counts


def machine() -> list[str]:
    """Facts a reader needs to judge the figures, one per line."""
    cpu_model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / MIB:.1f} GiB"
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "generator", "templates"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    changed = sum(1 for line in dirty if line.strip())
    if changed:
        commit += f" + {changed} uncommitted generator/template file(s) (others' work in progress)"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"date: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}",
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs (nproc), {cpu_model}, "
        f"{mem} RAM, Python {platform.python_version()}",
        f"commit: {commit or 'unknown'}; load average at start: {load}",
    ]


def operation_count(document: Mapping[str, Any]) -> int:
    paths = document.get("paths") or {}
    return sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for method in item
        if method in HTTP_METHODS
    )


def prefix_document(document: Mapping[str, Any], fraction: float) -> dict[str, Any]:
    """A copy of ``document`` keeping the leading paths that hold ``fraction`` of its
    operations, and every component (so the model count does not shrink with it)."""
    total = operation_count(document)
    wanted = max(1, round(total * fraction))
    kept: dict[str, Any] = {}
    seen = 0
    for path, item in (document.get("paths") or {}).items():
        if seen >= wanted:
            break
        kept[path] = item
        if isinstance(item, dict):
            seen += sum(1 for method in item if method in HTTP_METHODS)
    result = copy.copy(dict(document))
    result["paths"] = kept
    return result


def write_prefix_documents(
    spec: Path, fractions: Sequence[float], folder: Path
) -> list[tuple[float, Path, int]]:
    """Write one sub-document per fraction; return (fraction, path, operations)."""
    document = json.loads(spec.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fraction in fractions:
        sub = prefix_document(document, fraction) if fraction < 1 else document
        target = folder / f"{spec.stem.replace('.', '_')}_{round(fraction * 100)}pct.json"
        target.write_text(json.dumps(sub), encoding="utf-8")
        written.append((fraction, target, operation_count(sub)))
    return written


def snapshot_generator(revision: str = "HEAD") -> tuple[Path, str]:
    """Export ``revision``'s ``generator/`` and ``templates/`` once; return (folder, commit)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", revision],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    folder = WORK / f"snapshot-{commit}"
    if not (folder / "generator" / "__main__.py").exists():
        for old in WORK.glob("snapshot-*"):  # earlier commits' exports, unless in use lately
            if time.time() - old.stat().st_mtime > 3600:
                remove(old)
        remove(folder)
        folder.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit, "generator", "templates"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    # Bytecode, as `pip install` writes it for both tools: without it every run would
    # compile the generator's modules afresh where PYTHONDONTWRITEBYTECODE is set (as on
    # the machine these figures come from), while openapi-python-client's venv has its own.
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(folder / "generator")], check=True)
    return folder, commit


@dataclass(frozen=True)
class Generator:
    """How to start the generator under test."""

    argv: tuple[str, ...]
    env: Mapping[str, str]
    label: str

    def command(self, *args: str | Path) -> list[str | Path]:
        return [*self.argv, *args]


def generator(working_tree: bool = False, revision: str = "HEAD") -> Generator:
    """``-P``: without it ``python -m`` puts the current directory first on ``sys.path``,
    and from the repository root that is the working tree's ``generator``, not the
    snapshot on ``PYTHONPATH``."""
    if working_tree:
        return Generator((str(GENERATE_CLIENT),), {}, "working tree (.venv/bin/generate-client)")
    folder, commit = snapshot_generator(revision)
    return Generator(
        (str(PYTHON), "-P", "-m", "generator"),
        {"PYTHONPATH": str(folder)},
        f"committed snapshot of generator/ and templates/ at {commit} ({folder.name})",
    )


def ensure_opc(venv: Path = OPC_VENV) -> Path:
    """The ``openapi-python-client`` executable of the benchmark's own venv, created and
    installed from PyPI when missing."""
    exe = venv / "bin" / "openapi-python-client"
    if exe.exists():
        return exe
    print(f"creating {venv} with {OPC_REQUIREMENT} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", OPC_REQUIREMENT], check=True)
    return exe


def fresh_dir(prefix: str) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=WORK))


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def mib(value: float) -> str:
    return f"{value / MIB:.0f} MiB"
