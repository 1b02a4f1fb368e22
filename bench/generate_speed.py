"""How long ``generate-client`` takes on large documents, against openapi-python-client.

Run from the repository root::

    .venv/bin/python bench/generate_speed.py                 # GitHub + other docs + scaling
    .venv/bin/python bench/generate_speed.py --profile-only  # where our time goes, per stage
    .venv/bin/python bench/generate_speed.py --quick --no-opc --spec specs/onextree.yaml

For each document the contenders take turns in every round (ours cold, theirs, ours
warm; the order rotates per round) so a burst of load from a neighbour lands on all of
them, and each figure is the median over the rounds. "Cold" points
``GENERATE_CLIENT_CACHE_DIR`` at an empty folder (no validation, meta-schema or black
cache; the generator's bytecode exists, as after ``pip install``); "warm" reuses the
folder the first cold run filled. openapi-python-client 0.29.x runs from
``bench/.venv-opc`` (created when missing) with ``literal_enums: true`` and its default
ruff post-hooks; its run counts even when it exits non-zero after writing its output.
Targets: ours <= 0.5x theirs, peak memory <= 300 MiB, time linear in document size.

``--baseline COMMIT`` adds a fourth contender to every round, the generator as it was at
COMMIT, run cold the same way, so a change is measured against its own past in one run.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import io
import json
import pstats
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _benchutil import (
    CORPUS,
    GITHUB_SPEC,
    OPC_VENV,
    Generator,
    Run,
    count_lines,
    ensure_opc,
    fresh_dir,
    generator,
    machine,
    median,
    mib,
    operation_count,
    remove,
    run_measured,
    stage_timings,
    write_prefix_documents,
)

# The largest non-GitHub documents in MANIFEST.tsv that are complete on their own (the
# apis-guru DigitalOcean copy refers to files missing from the corpus, so it is rejected).
OTHER_SPECS = (
    CORPUS / "apis-guru" / "sendgrid.com" / "1.0.0" / "openapi.yaml",
    CORPUS / "kubernetes" / "v3" / "apis__apps__v1_openapi.json",
)
RATIO_TARGET = 0.5
MEMORY_TARGET = 300 * 1024 * 1024
OPC_CONFIG = {"literal_enums": True}
T = TypeVar("T")


@dataclass
class Contender:
    name: str
    runs: list[Run] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    stages: list[dict[str, float]] = field(default_factory=list)

    def wall(self) -> float:
        return median([r.wall for r in self.runs])

    def cpu(self) -> float:
        return median([r.cpu for r in self.runs])

    def max_rss(self) -> int:
        return max((r.max_rss for r in self.runs), default=0)

    def tree_pss(self) -> int:
        return max((r.tree_pss for r in self.runs), default=0)

    def failures(self) -> list[int]:
        return [r.returncode for r in self.runs if r.returncode != 0]


GEN = Generator((), {}, "unset")
BASE: Generator | None = None


def ours(
    spec: Path, cache: Path, keep: bool, gen: Generator | None = None
) -> tuple[Run, dict[str, int]]:
    gen = gen or GEN
    out = fresh_dir("ours-")
    run = run_measured(
        gen.command("-v", "-o", out, spec),
        env={**gen.env, "GENERATE_CLIENT_CACHE_DIR": str(cache)},
    )
    if run.returncode != 0:
        print(f"  generate-client exited {run.returncode}: {run.stderr[-600:]}", file=sys.stderr)
    lines = count_lines(out)
    if not keep:
        remove(out)
    return run, lines


def theirs(opc: Path, spec: Path, keep: bool) -> tuple[Run, dict[str, int]]:
    out = fresh_dir("opc-")
    config = out / "config.json"
    config.write_text(json.dumps(OPC_CONFIG), encoding="utf-8")
    bin_dir = str(opc.parent)
    run = run_measured(
        [
            opc,
            "generate",
            "--path",
            spec.resolve(),
            "--config",
            config,
            "--output-path",
            out / "client",
            "--overwrite",
        ],
        env={"PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin", "VIRTUAL_ENV": str(opc.parents[1])},
        cwd=out,
    )
    lines = count_lines(out / "client")
    if run.returncode != 0:
        print(
            f"  openapi-python-client exited {run.returncode} ({sum(lines.values())} lines "
            f"written, counted as measured): {run.stderr.strip()[-300:]}",
            file=sys.stderr,
        )
    if not keep:
        remove(out)
    return run, lines


def compare(
    spec: Path, rounds: int, opc: Path | None, warm: bool, keep: bool
) -> dict[str, Contender]:
    """Alternate the contenders ``rounds`` times on one document."""
    print(
        f"\n== {spec.name}: {_operations(spec)} operations, "
        f"{spec.stat().st_size / 1e6:.2f} MB, {rounds} round(s)"
    )
    cold, hot, them = Contender("ours cold"), Contender("ours warm"), Contender("opc 0.29")
    base = Contender("base cold")
    warm_cache = fresh_dir("cache-warm-")
    order = ["cold", "theirs", "warm", *(["base"] if BASE is not None else [])]
    for index in range(rounds):
        turn = index % len(order)
        for who in order[turn:] + order[:turn]:
            if who == "cold":
                cache = warm_cache if index == 0 else fresh_dir("cache-cold-")
                run, lines = ours(spec, cache, keep)
                if cache != warm_cache:
                    remove(cache)
                cold.runs.append(run)
                cold.lines = lines
                cold.stages.append(stage_timings(run.stderr))
            elif who == "base":
                cache = fresh_dir("cache-base-")
                run, lines = ours(spec, cache, keep, BASE)
                remove(cache)
                base.runs.append(run)
                base.lines = lines
                base.stages.append(stage_timings(run.stderr))
            elif who == "theirs" and opc is not None:
                run, lines = theirs(opc, spec, keep)
                them.runs.append(run)
                them.lines = lines
            elif who == "warm" and warm:
                if not any(warm_cache.iterdir()):  # round 0 ran warm before cold: fill first
                    ours(spec, warm_cache, keep=False)
                run, lines = ours(spec, warm_cache, keep)
                hot.runs.append(run)
                hot.lines = lines
                hot.stages.append(stage_timings(run.stderr))
            print(f"  round {index + 1} {who}: done", file=sys.stderr)
    remove(warm_cache)
    return {"cold": cold, "warm": hot, "theirs": them, "base": base}


def _operations(spec: Path) -> str:
    """Operation count from the corpus MANIFEST.tsv, else by parsing the document."""
    try:
        relative = spec.resolve().relative_to(CORPUS.resolve()).as_posix()
        for line in (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if fields[0] == relative:
                return fields[7]
    except (OSError, ValueError, IndexError):
        pass
    try:
        if spec.suffix == ".json":
            loaded = json.loads(spec.read_text(encoding="utf-8"))
        else:
            import yaml

            loaded = yaml.safe_load(spec.read_text(encoding="utf-8"))
        return str(operation_count(loaded)) if isinstance(loaded, dict) else "?"
    except Exception:  # only a label: a document the parser dislikes still gets measured
        return "?"


def report(results: dict[str, Contender]) -> list[str]:
    """Print the table for one document; return the verdict lines."""
    print(
        f"  {'contender':<10} {'runs':>4} {'wall s (median)':>16} {'cpu s (median)':>15} "
        f"{'walls':>26} {'max RSS 1 proc':>15} {'peak tree PSS':>14} {'lines':>8}"
    )
    for item in results.values():
        if not item.runs:
            continue
        walls = " ".join(f"{r.wall:.1f}" for r in item.runs)
        print(
            f"  {item.name:<10} {len(item.runs):>4} {item.wall():>16.2f} {item.cpu():>15.2f} "
            f"{walls:>26} {mib(item.max_rss()):>15} {mib(item.tree_pss()):>14} "
            f"{sum(item.lines.values()):>8}"
        )
    for key in ("cold", "warm", "base"):
        stages = results[key].stages
        if stages and all(stages):
            names = list(stages[0])
            per = ", ".join(f"{n} {median([s.get(n, 0.0) for s in stages]):.2f}" for n in names)
            print(f"  ours {key} stages (wall s, median): {per}")
    if results["cold"].lines:
        lines = results["cold"].lines
        biggest = sorted(lines.items(), key=lambda item: -item[1])[:3]
        per_file = ", ".join(f"{p} {n}" for p, n in biggest)
        print(f"  our lines: {sum(lines.values())} in {len(lines)} files; largest: {per_file}")
    verdicts = []
    them = results["theirs"]
    base = results["base"]
    if base.runs and results["cold"].runs and not base.failures():
        cold = results["cold"]
        verdicts.append(
            f"  ours cold / base cold ({BASE.label if BASE else ''}): wall "
            f"{cold.wall() / base.wall():.2f}x, cpu {cold.cpu() / base.cpu():.2f}x"
        )
        if them.runs and sum(them.lines.values()):
            verdicts.append(
                f"  base cold / theirs: wall {base.wall() / them.wall():.2f}x, "
                f"cpu {base.cpu() / them.cpu():.2f}x"
            )
    for key in ("cold", "warm"):
        mine = results[key]
        if not mine.runs:
            continue
        if mine.failures():
            verdicts.append(
                f"  ours {key}: INVALID, generate-client failed (exit {mine.failures()}); "
                "no verdict for this document"
            )
            continue
        if them.runs and not sum(them.lines.values()):
            verdicts.append(
                f"  ours {key} / theirs: no verdict, openapi-python-client wrote nothing "
                f"(exit {them.failures()}), so there is no baseline for this document"
            )
        elif them.runs:
            wall_ratio, cpu_ratio = mine.wall() / them.wall(), mine.cpu() / them.cpu()
            met = "met" if wall_ratio <= RATIO_TARGET else "MISSED"
            verdicts.append(
                f"  ours {key} / theirs: wall {wall_ratio:.2f}x, cpu {cpu_ratio:.2f}x "
                f"(target <= {RATIO_TARGET}x wall): {met}"
            )
        peak = max(mine.max_rss(), mine.tree_pss())
        met = "met" if peak <= MEMORY_TARGET else "MISSED"
        verdicts.append(f"  ours {key} peak memory {mib(peak)} (target <= 300 MiB): {met}")
    if them.runs:
        verdicts.append(f"  theirs peak memory {mib(max(them.max_rss(), them.tree_pss()))}")
    for line in verdicts:
        print(line)
    return verdicts


def scaling(spec: Path, keep: bool) -> None:
    """Ours, cold, on a quarter, half and all of the document's operations."""
    print(f"\n== scaling on {spec.name} (ours, cold cache, one run each)")
    folder = fresh_dir("sub-")
    rows = []
    for fraction, path, ops in write_prefix_documents(spec, (0.25, 0.5, 1.0), folder):
        cache = fresh_dir("cache-scale-")
        run, lines = ours(path, cache, keep)
        remove(cache)
        total = sum(lines.values())
        stages = stage_timings(run.stderr)
        rows.append((fraction, ops, run, total, stages))
        print(
            f"  {fraction:>4.0%}: {ops:>4} ops, {total:>6} lines, wall {run.wall:6.2f} s, "
            f"cpu {run.cpu:6.2f} s, cpu ms/op {1000 * run.cpu / ops:6.1f}, "
            f"cpu ms/100 lines {100_000 * run.cpu / max(total, 1):5.2f}, "
            f"format {stages.get('format', float('nan')):.2f} s"
        )
    remove(folder)
    if len(rows) == 3:
        base = rows[0][2].cpu / rows[0][1]
        growth = ", ".join(f"{r[0]:.0%} {r[2].cpu / r[1] / base:.2f}" for r in rows)
        print(
            f"  cpu per operation relative to the quarter document: {growth} "
            "(1.00 everywhere = linear; models are kept whole, so small docs pay more per op)"
        )


def _top(profiler: cProfile.Profile, count: int) -> str:
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.strip_dirs().sort_stats("tottime").print_stats(count)
    rows = [line for line in stream.getvalue().splitlines() if re.match(r"\s+\d", line)]
    return "\n".join(
        "    " + " ".join(row.split()[1:2] + row.split()[3:4] + row.split()[5:]) for row in rows
    )


def profile(spec: Path) -> None:
    """Each stage in-process with wall and CPU time; cProfile (tottime, cumtime) of the
    stages before black; black timed per file (without a profiler: it is pure Python and
    cProfile would double it), on the rendered text and again on its own output."""
    from generator import __version__
    from generator.format.files import LINE_LENGTH, lay_out_files
    from generator.ir.build import build_service
    from generator.load.document import load
    from generator.render.package import HeaderInfo, render_package
    from generator.validate.validation import validate

    print(f"\n== profile of ours on {spec.name} (in-process, no caches, one core)")
    print("  columns below: tottime s, cumtime s, function")
    stages: dict[str, tuple[float, float]] = {}

    def staged(name: str, call: Callable[[], T]) -> T:
        """Run ``call`` once plain (timed) and once under cProfile (top functions)."""
        wall, cpu = time.perf_counter(), time.process_time()
        value = call()
        stages[name] = (time.perf_counter() - wall, time.process_time() - cpu)
        profiler = cProfile.Profile()
        cpu = time.process_time()
        profiler.runcall(call)
        print(
            f"  -- {name}: without profiler wall {stages[name][0]:.2f} s, cpu "
            f"{stages[name][1]:.2f} s; under cProfile cpu {time.process_time() - cpu:.2f} s"
        )
        print(_top(profiler, 8))
        return value

    loaded = staged("load", lambda: load(spec))
    doc, source = loaded.document, loaded.source_name
    staged(
        "validate",
        lambda: validate(doc, source_name=source, version=loaded.version, use_cache=False),
    )
    service, _ = staged("build", lambda: build_service(doc, source_name=source))
    header = HeaderInfo(__version__, source, loaded.sha256)
    rendered = staged(
        "render", lambda: render_package(service, package_name="bench_client", header=header)
    )
    import black
    from black.mode import Mode, TargetVersion

    mode = Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY311})

    def _format_one(path: str, text: str) -> str:
        return black.format_str(text, mode=mode)

    print("  -- black.format_str per whole file, one core (reference: the old format stage)")
    formatted: dict[str, str] = {}
    black_wall = black_cpu = 0.0
    for path, text in rendered.items():
        if not path.endswith(".py"):
            continue
        wall, cpu = time.perf_counter(), time.process_time()
        formatted[path] = _format_one(path, text)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        black_wall, black_cpu = black_wall + wall, black_cpu + cpu
        lines = formatted[path].count("\n")
        print(
            f"    {path:<14} {text.count(chr(10)):>6} lines in, {lines:>6} out: "
            f"cpu {cpu:6.2f} s ({lines / max(cpu, 1e-9):6.0f} lines/s), wall {wall:6.2f} s"
        )
    print(f"    black on every file: wall {black_wall:.2f} s, cpu {black_cpu:.2f} s")
    wall, cpu = time.perf_counter(), time.process_time()
    via_stage = lay_out_files(rendered, use_cache=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    stable = all(
        black.format_str(text, mode=mode) == text
        for path, text in via_stage.items()
        if path.endswith(".py")
    )
    print(
        f"    the generator's own format stage (layout, black only where needed, compile "
        f"check; no cache): wall {wall:.2f} s, cpu {cpu:.2f} s, black leaves it unchanged: "
        f"{stable}"
    )
    stages["format"] = (wall, cpu)
    biggest = max(formatted, key=lambda p: len(formatted[p]))
    cpu = time.process_time()
    again = _format_one(biggest, formatted[biggest])
    cpu = time.process_time() - cpu
    print(
        f"    black on its own output of {biggest} (input already black-stable): cpu "
        f"{cpu:.2f} s, unchanged: {again == formatted[biggest]}"
    )
    cpu = time.process_time()
    for text in formatted.values():
        compile(ast.parse(text), "<generated>", "exec")
    print(
        f"    ast.parse + compile of all formatted files (a floor for any check): "
        f"cpu {time.process_time() - cpu:.2f} s"
    )
    total_wall = sum(w for w, _ in stages.values())
    total_cpu = sum(c for _, c in stages.values())
    print(
        "  stage totals (without profiler): "
        + ", ".join(f"{n} {w:.2f}/{c:.2f}" for n, (w, c) in stages.items())
        + f" (wall/cpu s; total "
        f"{total_wall:.2f}/{total_cpu:.2f})"
    )
    if "_client.py" in formatted:
        composition(formatted["_client.py"])


PER_CALL = (
    "correlation_id",
    "timeout",
    "max_attempts",
    "idempotency_key",
    "extra_headers",
    "use_cache",
)


def composition(text: str) -> None:
    """Where the lines of the formatted ``_client.py`` go."""
    lines = text.splitlines()
    tree = ast.parse(text)
    kinds = dict.fromkeys(
        (
            "Operation constants",
            "method signatures",
            "  of which per-call keywords",
            "docstrings",
            "_request(...) calls",
            "  of which per-call forwarding",
            "other",
        ),
        0,
    )
    covered = [False] * (len(lines) + 1)

    def mark(kind: str, first: int, last: int) -> None:
        kinds[kind] += last - first + 1
        for number in range(first, last + 1):
            covered[number] = True

    methods = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign | ast.Assign) and node.col_offset == 0:
            assert node.end_lineno is not None
            mark("Operation constants", node.lineno, node.end_lineno)
        elif isinstance(node, ast.AsyncFunctionDef):
            methods += 1
            body_start = node.body[0].lineno
            mark("method signatures", node.lineno, body_start - 1)
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                assert first.end_lineno is not None
                mark("docstrings", first.lineno, first.end_lineno)
            last = node.body[-1]
            if isinstance(last, ast.Return):
                assert last.end_lineno is not None
                mark("_request(...) calls", last.lineno, last.end_lineno)
    for number, line in enumerate(lines, start=1):
        name = line.strip().split(":")[0].split("=")[0]
        if name in PER_CALL and covered[number]:
            key = (
                "  of which per-call keywords" if ":" in line else "  of which per-call forwarding"
            )
            kinds[key] += 1
    kinds["other"] = sum(1 for n in range(1, len(lines) + 1) if not covered[n])
    print(
        f"  -- _client.py composition ({len(lines)} lines, {methods} methods): "
        + ", ".join(f"{k.strip()} {v}" for k, v in kinds.items())
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=GITHUB_SPEC, help="main document")
    parser.add_argument("--other", type=Path, action="append", help="other large documents")
    parser.add_argument("--rounds", type=int, default=3, help="rounds on the main document")
    parser.add_argument("--other-rounds", type=int, default=1, help="rounds on the others")
    parser.add_argument("--no-opc", action="store_true", help="skip openapi-python-client")
    parser.add_argument("--opc-venv", type=Path, default=OPC_VENV)
    parser.add_argument("--no-warm", action="store_true", help="skip the warm-cache runs")
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--no-others", action="store_true")
    parser.add_argument("--profile", action="store_true", help="also profile in-process")
    parser.add_argument("--profile-only", action="store_true")
    parser.add_argument("--quick", action="store_true", help="one round, main doc only")
    parser.add_argument("--keep", action="store_true", help="keep outputs in bench/_work")
    parser.add_argument(
        "--working-tree", action="store_true", help="run .venv/bin/generate-client as it is now"
    )
    parser.add_argument(
        "--baseline", metavar="COMMIT", help="also run the generator at COMMIT, cold, each round"
    )
    args = parser.parse_args(argv)
    global GEN, BASE
    GEN = generator(args.working_tree)
    if args.baseline:
        BASE = generator(revision=args.baseline)
    if args.quick:
        args.rounds, args.no_scaling, args.no_others = 1, True, True
    for line in machine():
        print(line)
    print(f"command: {' '.join(sys.argv)}")
    print(f"generator under test: {GEN.label}")
    if BASE is not None:
        print(f"baseline: {BASE.label}")
    if args.profile or args.profile_only:
        if "PYTHONPATH" in GEN.env:
            sys.path.insert(0, GEN.env["PYTHONPATH"])
        profile(args.spec)
        if args.profile_only:
            return 0
    opc = None if args.no_opc else ensure_opc(args.opc_venv)
    verdicts = report(compare(args.spec, args.rounds, opc, not args.no_warm, args.keep))
    if not args.no_others:
        for other in args.other or OTHER_SPECS:
            verdicts += report(compare(other, args.other_rounds, opc, not args.no_warm, args.keep))
    if not args.no_scaling:
        scaling(args.spec, args.keep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
