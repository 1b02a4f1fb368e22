"""How long validation takes on a large document, before and after the fast path.

Run from the repository root::

    .venv/bin/python bench/validate_speed.py                 # GitHub's description
    .venv/bin/python bench/validate_speed.py --rounds 1 --spec specs/onextree.yaml
    .venv/bin/python bench/validate_speed.py --keyword-phase --rounds 7 --spec ...  # the worker

Every figure comes from a fresh process (so nothing is memoised) and is the median over
the rounds, in seconds of wall time:

- before: the validator's own single pass (``run_sequential``), what ``validate`` did;
- after, in-process: ``validate()`` with an empty cache folder (cold: the meta-schema
  check comes from the shipped ``meta_v30``, or fastjsonschema compiles it for other
  library versions), with the compiled code cached (warm code: a new or edited document
  on a machine that validated before) and with the answer cached (warm);
- after, in the pipeline: ``start_validation`` then build and render (what the main
  process does meanwhile) then ``result()``; "adds" is that total minus build and render
  alone, i.e. what validation still costs the pipeline's wall time. Formatting, which
  also overlaps, is left out: it is someone else's stage and would only hide more. Both
  placements of the meta-schema phase are measured (``workers.SCHEMA_IN_WORKER``: auto,
  the default, is a worker only while the meta-schema still has to be compiled).

``--keyword-phase`` measures only what the validation worker does on a cold run: the
keyword phase with its imports, in a fresh process after loading, as openapi-spec-validator
does it (``describe.root_phase``) and as ``walk.root_phase`` does it (falling back to the
former where it does not model the document); CPU and wall seconds, taking turns per
round. Both answers are compared, and a difference is reported as an error.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _benchutil import GITHUB_SPEC, PYTHON, ROOT, machine

_SNIPPET = r"""
import json, sys, time
from pathlib import Path
from generator.load.document import load
from generator.validate import validation as v
mode, spec = sys.argv[1], Path(sys.argv[2])
loaded = load(spec)
doc, name, version = loaded.document, loaded.source_name, loaded.version
figures = {}
if mode == "before":
    from generator.validate.describe import run_sequential
    start = time.perf_counter()
    found = run_sequential(doc, v._validator_kind(doc, version))
    figures["validate"] = time.perf_counter() - start
elif mode == "inprocess":
    start = time.perf_counter()
    found = v.validate(doc, source_name=name, version=version)
    figures["validate"] = time.perf_counter() - start
else:
    from generator.validate import workers as validate_workers
    validate_workers.SCHEMA_IN_WORKER = {"main": False, "worker": True}.get(mode[9:])
    from generator.ir.build import build_service
    from generator.render.package import HeaderInfo, render_package
    def main_work():
        service, _ = build_service(doc, source_name=name)
        render_package(service, package_name="bench_client", header=HeaderInfo("0", name, ""))
    start = time.perf_counter()
    main_work()
    alone = time.perf_counter() - start
    start = time.perf_counter()
    handle = v.start_validation(doc, source_name=name, version=version)
    main_work()
    found = handle.result()
    total = time.perf_counter() - start
    figures.update(total=total, alone=alone, adds=total - alone)
figures["problems"] = len(found)
print(json.dumps(figures))
"""

_PHASE_SNIPPET = r"""
import json, sys, time
from pathlib import Path
from generator.load.document import load
from generator.validate.validation import _validator_kind
mode, spec = sys.argv[1], Path(sys.argv[2])
loaded = load(spec)
kind = _validator_kind(loaded.document, loaded.version)
cpu, wall = time.process_time(), time.perf_counter()
if mode == "library":
    from generator.validate.describe import root_phase
else:
    from generator.validate.walk import root_phase
imported = time.process_time() - cpu
found = root_phase(loaded.document, kind)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                  "imports": imported, "found": found}))
"""


def keyword_phase(spec: Path, rounds: int) -> int:
    figures: dict[str, list[dict[str, object]]] = {"library": [], "walk": []}
    for turn in range(rounds):
        for mode in ("library", "walk") if turn % 2 == 0 else ("walk", "library"):
            done = subprocess.run(
                [str(PYTHON), "-c", _PHASE_SNIPPET, mode, str(spec)],
                cwd=ROOT,
                env={"PATH": "/usr/bin:/bin"},
                capture_output=True,
                text=True,
                check=True,
            )
            figures[mode].append(json.loads(done.stdout.strip().splitlines()[-1]))
    answers = {json.dumps(f["found"]) for runs in figures.values() for f in runs}
    for mode, runs in figures.items():
        text = ", ".join(
            f"{key} {statistics.median(float(str(f[key])) for f in runs):.3f} s"
            for key in ("cpu", "wall")
        )
        print(f"  keyword phase, {mode:<8} {text} (median of {len(runs)})")
    if len(answers) != 1:
        print("ERROR: the walk and the library answered differently")
        return 1
    print(f"  same answer from both: {len(json.loads(answers.pop())[0])} problems")
    return 0


def measure(mode: str, spec: Path, cache: Path) -> dict[str, float]:
    done = subprocess.run(
        [str(PYTHON), "-c", _SNIPPET, mode, str(spec)],
        cwd=ROOT,
        env={"GENERATE_CLIENT_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=GITHUB_SPEC)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keyword-phase", action="store_true")
    args = parser.parse_args()
    for line in machine():
        print(line)
    print(f"command: {' '.join(sys.argv)}")
    if args.keyword_phase:
        print(f"== the keyword phase of {args.spec.name} ({args.spec.stat().st_size / 1e6:.2f} MB)")
        return keyword_phase(args.spec, args.rounds)
    print(f"== validation of {args.spec.name} ({args.spec.stat().st_size / 1e6:.2f} MB)")
    rows: dict[str, list[dict[str, float]]] = {}

    def add(label: str, figures: dict[str, float]) -> None:
        rows.setdefault(label, []).append(figures)

    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as folder:
            cache = Path(folder)
            add(
                "before (sequential jsonschema + keyword walk)", measure("before", args.spec, cache)
            )
            add("after, in-process, cold", measure("inprocess", cache=cache, spec=args.spec))
            for entry in (cache / "validate").rglob("*"):
                if entry.is_file():
                    entry.unlink()  # keep the compiled code, drop the answer
            add("after, in-process, warm code", measure("inprocess", args.spec, cache))
            add("after, in-process, warm", measure("inprocess", args.spec, cache))
        for where in ("auto", "main", "worker"):
            mode = f"pipeline-{where}"
            with tempfile.TemporaryDirectory() as folder:
                cache = Path(folder)
                add(
                    f"after, pipeline, schema phase in {where}, cold",
                    measure(mode, args.spec, cache),
                )
                for entry in (cache / "validate").rglob("*"):
                    if entry.is_file():
                        entry.unlink()
                label = f"after, pipeline, schema phase in {where}, warm code"
                add(label, measure(mode, args.spec, cache))
    for label, figures in rows.items():
        keys = [k for k in figures[0] if k != "problems"]
        text = ", ".join(f"{k} {statistics.median(f[k] for f in figures):.2f} s" for k in keys)
        print(f"  {label:<52} {text} ({int(figures[0]['problems'])} problems)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
