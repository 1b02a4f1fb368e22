"""How long ``generate-client --check`` takes on an unchanged client with a warm cache,
and proof that it still finds real drift.

Run from the repository root::

    .venv/bin/python bench/check_speed.py                     # the GitHub client
    .venv/bin/python bench/check_speed.py --quick --spec specs/onextree.yaml

The client is generated into ``bench/_work`` with a private cache folder
(``GENERATE_CLIENT_CACHE_DIR``), which that generation fills; every ``--check`` then
runs in a fresh process against it. Printed: median wall and CPU seconds, the stage
timings ``--verbose`` reports, and the cost of merely starting ``generate-client``
(``--version``). The generator is HEAD's committed snapshot (see ``_benchutil``) unless
``--working-tree`` is given. Then one generated file is modified and ``--check`` must exit 1 naming
it. With ``--profile`` the warm check also runs in-process under cProfile.
Target: <= 1.5 s wall.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _benchutil import (
    GITHUB_SPEC,
    generator,
    machine,
    median,
    remove,
    run_measured,
    stage_timings,
)

TARGET = 1.5


def profile_check(spec: Path, out: Path, cache: Path) -> None:
    from generator.pipeline import generate

    os.environ["GENERATE_CLIENT_CACHE_DIR"] = str(cache)
    profiler = cProfile.Profile()
    result = profiler.runcall(generate, spec, out_dir=out, check=True)
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats("cumulative").print_stats(25)
    print(
        f"\n== cProfile of one warm --check in-process (drift: {len(result.drift)} files); "
        "top 25 by cumulative time:"
    )
    lines = stream.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    for line in lines[start:]:
        if line.strip():
            print("  " + line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=GITHUB_SPEC)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="2 runs")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--working-tree", action="store_true", help="run .venv/bin/generate-client as it is now"
    )
    args = parser.parse_args(argv)
    gen = generator(args.working_tree)
    runs = 2 if args.quick else args.runs
    for line in machine():
        print(line)
    print(f"command: {' '.join(sys.argv)}")
    print(f"generator under test: {gen.label}")
    from _benchutil import WORK

    out = WORK / f"check-{args.spec.stem.replace('.', '_')}"
    cache = WORK / f"cache-check-{args.spec.stem.replace('.', '_')}"
    remove(out)
    reused = cache.is_dir()
    env = {**gen.env, "GENERATE_CLIENT_CACHE_DIR": str(cache)}
    first = run_measured(gen.command("-q", "-o", out, args.spec), env=env)
    if first.returncode != 0:
        raise SystemExit(f"generate-client failed: {first.stderr[-600:]}")
    print(
        f"\n== {args.spec.name}: generated into {out} in {first.wall:.2f} s wall, "
        f"{first.cpu:.2f} s cpu ({'reusing' if reused else 'filling'} the cache folder)"
    )
    startup = [run_measured(gen.command("--version"), env=gen.env) for _ in range(runs)]
    startup_wall = median([r.wall for r in startup])
    print(
        f"  start-up alone (generate-client --version): wall {startup_wall:.3f} s, "
        f"cpu {median([r.cpu for r in startup]):.3f} s"
    )
    checks = []
    for _ in range(runs):
        run = run_measured(gen.command("-v", "--check", "-o", out, args.spec), env=env)
        if run.returncode != 0:
            print(f"  --check on the unchanged client exited {run.returncode}: {run.stderr[-600:]}")
        checks.append(run)
    walls = [r.wall for r in checks]
    codes = sorted({r.returncode for r in checks})
    wall = median(walls)
    stages = [stage_timings(r.stderr) for r in checks]
    per = ", ".join(f"{n} {median([s.get(n, 0.0) for s in stages]):.2f}" for n in stages[0])
    print(
        f"  --check, unchanged client, warm cache: wall {wall:.2f} s, cpu "
        f"{median([r.cpu for r in checks]):.2f} s, max RSS "
        f"{max(r.max_rss for r in checks) / 2**20:.0f} MiB (medians of {runs}; walls "
        f"{' '.join(f'{w:.2f}' for w in walls)}; exit codes {codes})"
    )
    print(f"  stages (wall s, median, from --verbose): {per}")
    print(f"  target <= {TARGET} s wall: {'met' if wall <= TARGET else 'MISSED'}")

    package = next(p for p in out.iterdir() if (p / "__init__.py").exists())
    victim = package / ("models.py" if (package / "models.py").exists() else "__init__.py")
    original = victim.read_text(encoding="utf-8")
    victim.write_text(original.replace("\n\n", "\n\n# edited by hand\n", 1), encoding="utf-8")
    drift = run_measured(gen.command("--check", "-o", out, args.spec), env=env)
    victim.write_text(original, encoding="utf-8")
    named = victim.name in drift.stderr
    print(
        f"  drift: edited {victim.name}; --check exited {drift.returncode} in {drift.wall:.2f} s "
        f"wall and {'named' if named else 'did NOT name'} the file: "
        f"{'ok' if drift.returncode == 1 and named else 'FAILED'}"
    )
    for line in drift.stderr.strip().splitlines()[:4]:
        print(f"    | {line}")
    again = run_measured(gen.command("--check", "-o", out, args.spec), env=env)
    print(f"  restored the file; --check exited {again.returncode} (expected 0)")
    if args.profile:
        if "PYTHONPATH" in gen.env:
            sys.path.insert(0, gen.env["PYTHONPATH"])
        profile_check(args.spec, out, cache)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
