"""How long a generated client takes to import, and what the first calls cost.

Run from the repository root::

    .venv/bin/python bench/import_time.py                       # the GitHub client
    .venv/bin/python bench/import_time.py --quick --spec specs/onextree.yaml

The package is generated into ``bench/_work`` (with its own warm cache folder). Each
import runs in a fresh interpreter, ``python -X importtime -c "import <pkg>"``; the
figures are the sum of the self times of the package's own modules and the cumulative
time of ``<pkg>`` (its dependencies included: resilient_client, httpx, pydantic), median
over the runs. Two cases: without bytecode (``__pycache__`` absent and not written, so
the source is compiled every time, as with ``PYTHONDONTWRITEBYTECODE=1``, which this
machine sets) and with bytecode written by one earlier import into a private
``PYTHONPYCACHEPREFIX`` (as for an installed package). Target: <= 0.3 s cold for the package itself
(models included); the total with the runtime's dependencies is printed beside it.

Then, in another fresh interpreter, calls go through the generated methods over an
``httpx.MockTransport`` answering a minimal valid body: the first call of an operation
builds its (deferred) pydantic models, the second reuses them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _benchutil import (
    GITHUB_SPEC,
    PYTHON,
    WORK,
    generator,
    median,
    remove,
    run_measured,
)

TARGET = 0.3
DEFAULT_OPERATIONS = ("repos_get", "issues_get", "users_get_authenticated")

# Runs in a fresh interpreter without timing anything: the JSON schemas it needs would
# build the very models whose first-use cost the call probe measures.
PAYLOAD_SCRIPT = r"""
import json, re, sys
from pydantic import TypeAdapter
import importlib
pkg, wanted = sys.argv[1], sys.argv[2].split(",")
client_mod = importlib.import_module(pkg + "._client")
ops = {v.name: v for k, v in vars(client_mod).items() if k.startswith("_OP_")}

def candidates():
    for name in wanted:
        if name in ops:
            yield ops[name]
    for op in ops.values():
        yield op

def sample(schema, defs, depth=0):
    if depth > 40:
        return None
    if "$ref" in schema:
        return sample(defs[schema["$ref"].rsplit("/", 1)[1]], defs, depth + 1)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = schema[key]
            if any(o.get("type") == "null" for o in options):
                return None
            return sample(options[0], defs, depth + 1)
    if "allOf" in schema:
        return sample(schema["allOf"][0], defs, depth + 1)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = "null" if "null" in kind else kind[0]
    if kind == "object":
        props = schema.get("properties", {})
        return {k: sample(props.get(k, {}), defs, depth + 1) for k in schema.get("required", [])}
    if kind == "array":
        n = schema.get("minItems", 0)
        return [sample(schema.get("items", {}), defs, depth + 1) for _ in range(n)]
    if kind == "string":
        fmt = schema.get("format", "")
        return {"date-time": "2020-01-01T00:00:00Z", "date": "2020-01-01",
                "uri": "https://example.com", "email": "a@example.com",
                "uuid": "00000000-0000-0000-0000-000000000000"}.get(
                    fmt, "x" * max(1, schema.get("minLength", 1)))
    if kind == "integer":
        return int(schema.get("minimum", 0))
    if kind == "number":
        return float(schema.get("minimum", 0))
    if kind == "boolean":
        return False
    return None

chosen = []
for op in candidates():
    spec = op.responses.get("200")
    if op.method != "GET" or spec is None or spec.kind != "json" or spec.type is None:
        continue
    if op.name in [c["name"] for c in chosen]:
        continue
    try:
        schema = TypeAdapter(spec.type).json_schema()
        body = sample(schema, schema.get("$defs", {}))
        TypeAdapter(spec.type).validate_python(body)
    except Exception:
        continue
    if op.envelope is not None:
        env = op.envelope
        body = {env.status_field: env.success[0], env.data_field: body}
    params = re.findall(r"{([^}]+)}", op.path)
    chosen.append({"name": op.name, "params": params, "body": body,
                   "models": len(schema.get("$defs", {})) + 1})
    if len(chosen) == 2:
        break
print(json.dumps(chosen))
"""

CALL_SCRIPT = r"""
import asyncio, importlib, json, sys, time
import httpx
from resilient_client import BaseServiceClient
pkg, plan = sys.argv[1], json.loads(sys.argv[2])
start = time.perf_counter()
module = importlib.import_module(pkg)
imported = time.perf_counter() - start
cls = next(v for v in vars(module).values()
           if isinstance(v, type) and issubclass(v, BaseServiceClient)
           and v is not BaseServiceClient)
client_mod = importlib.import_module(pkg + "._client")
ops = {v.name: v for k, v in vars(client_mod).items() if k.startswith("_OP_")}
current = {}

def handler(request):
    return httpx.Response(200, json=current["body"])

async def main():
    results = {"import": imported}
    start = time.perf_counter()
    transport = httpx.MockTransport(handler)
    client = cls("http://bench.local", http_client=httpx.AsyncClient(transport=transport))
    results["construct"] = time.perf_counter() - start
    for entry in plan:
        current["body"] = entry["body"]
        args = {p: "x" for p in entry["params"]}
        method = getattr(client, entry["name"])
        for label in ("first", "second", "third"):
            start = time.perf_counter()
            try:
                await method(**args)
            except TypeError:
                await client._request(ops[entry["name"]], path_params=args)
            results[f"{entry['name']} {label}"] = time.perf_counter() - start
    await client.aclose()
    print(json.dumps(results))

asyncio.run(main())
"""


def generate(spec: Path, out: Path) -> str:
    cache = WORK / "cache-import"
    gen = generator()
    print(f"generator: {gen.label}")
    run = run_measured(
        gen.command("-q", "-o", out, spec),
        env={**gen.env, "GENERATE_CLIENT_CACHE_DIR": str(cache)},
    )
    if run.returncode != 0:
        raise SystemExit(f"generate-client failed ({run.returncode}): {run.stderr[-500:]}")
    packages = [p.name for p in out.iterdir() if (p / "__init__.py").exists()]
    assert len(packages) == 1, packages
    return packages[0]


def parse_importtime(stderr: str, package: str) -> tuple[float, float, list[tuple[float, str]]]:
    """(own self seconds, cumulative seconds of ``package``, own modules by self time)."""
    own: list[tuple[float, str]] = []
    total = 0.0
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        fields = line[len("import time:") :].split("|")
        self_us, cumulative_us, name = int(fields[0]), int(fields[1]), fields[2].strip()
        if name == package or name.startswith(package + "."):
            own.append((self_us / 1e6, name))
            if name == package:
                total = cumulative_us / 1e6
    return sum(s for s, _ in own), total, sorted(own, reverse=True)


def clear_bytecode(folder: Path) -> None:
    for cache in folder.rglob("__pycache__"):
        remove(cache)


IMPORT_SCRIPT = """
import json, time
c0, w0 = time.process_time(), time.perf_counter()
import resilient_client
c1, w1 = time.process_time(), time.perf_counter()
import {package}
c2, w2 = time.process_time(), time.perf_counter()
print(json.dumps([c1 - c0, w1 - w0, c2 - c1, w2 - w1]))
"""


def measure_imports(out: Path, package: str, runs: int, bytecode: bool) -> None:
    """Import the runtime, then the package, in fresh interpreters: CPU and wall of each,
    plus ``-X importtime`` self times of the package's own modules."""
    clear_bytecode(out)
    env = {"PYTHONPATH": str(out)}
    if bytecode:
        # Bytecode goes to a private prefix so nothing is written into the shared venv.
        prefix = WORK / "pycache-import"
        remove(prefix)
        env["PYTHONPYCACHEPREFIX"] = str(prefix)
        run_measured([PYTHON, "-c", f"import {package}"], env=env)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    script = IMPORT_SCRIPT.format(package=package)
    figures: dict[str, list[float]] = {}
    modules: list[tuple[float, str]] = []
    for _ in range(runs):
        run = run_measured([PYTHON, "-X", "importtime", "-c", script], env=env)
        if run.returncode != 0:
            raise SystemExit(f"import failed: {run.stderr[-800:]}")
        own, _, modules = parse_importtime(run.stderr, package)
        runtime_cpu, runtime_wall, pkg_cpu, pkg_wall = json.loads(run.stdout)
        for key, value in (
            ("runtime cpu", runtime_cpu),
            ("runtime wall", runtime_wall),
            ("package cpu", pkg_cpu),
            ("package wall", pkg_wall),
            ("total cpu", runtime_cpu + pkg_cpu),
            ("total wall", runtime_wall + pkg_wall),
            ("own self (importtime)", own),
        ):
            figures.setdefault(key, []).append(value)
    label = (
        "bytecode written by an earlier import (installed package)"
        if bytecode
        else "no bytecode for the package or resilient_client (compiled from source)"
    )
    own = median(figures["package wall"])
    verdict = "met" if own <= TARGET else "MISSED"
    print(f"  {label}, medians of {runs} fresh interpreters:")
    for key, values in figures.items():
        each = " ".join(f"{v:.3f}" for v in values)
        print(f"    {key:<24} {median(values):7.3f} s   (runs: {each})")
    print(
        f"    target: the package (models included, runtime already loaded) <= {TARGET} s "
        f"wall: {verdict} ({own:.3f} s wall, {median(figures['package cpu']):.3f} s cpu); "
        f"with the runtime and its dependencies {median(figures['total wall']):.3f} s wall, "
        f"{median(figures['total cpu']):.3f} s cpu"
    )
    print(
        "    own modules by self time (last run): "
        + ", ".join(f"{n} {s:.3f}" for s, n in modules[:6])
    )


def calls(out: Path, package: str, operations: Sequence[str], runs: int) -> None:
    env = {"PYTHONPATH": str(out)}
    prepared = run_measured([PYTHON, "-c", PAYLOAD_SCRIPT, package, ",".join(operations)], env=env)
    if prepared.returncode != 0:
        print(f"  call probe skipped: {prepared.stderr.strip()[-400:]}")
        return
    plan = json.loads(prepared.stdout)
    if not plan:
        print("  call probe skipped: no GET operation with a JSON model response")
        return
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        run = run_measured([PYTHON, "-c", CALL_SCRIPT, package, json.dumps(plan)], env=env)
        if run.returncode != 0:
            print(f"  call probe failed: {run.stderr.strip()[-600:]}")
            return
        for key, value in json.loads(run.stdout).items():
            samples.setdefault(key, []).append(value)
    described = ", ".join(
        f"{e['name']} ({e['models']} models in its response schema)" for e in plan
    )
    print(
        f"  calls through the generated methods over httpx.MockTransport, fresh process, "
        f"median of {runs}: {described}"
    )
    for key, values in samples.items():
        print(f"    {key:<36} {1000 * median(values):9.2f} ms")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=GITHUB_SPEC)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--operation", action="append", help="operation to call first")
    parser.add_argument("--quick", action="store_true", help="2 runs of each")
    args = parser.parse_args(argv)
    runs = 2 if args.quick else args.runs
    from _benchutil import machine

    for line in machine():
        print(line)
    print(f"command: {' '.join(sys.argv)}")
    out = WORK / f"import-{args.spec.stem.replace('.', '_')}"
    remove(out)
    package = generate(args.spec, out)
    sizes = {p.name: p.read_bytes().count(b"\n") for p in sorted((out / package).glob("*.py"))}
    print(f"\n== import {package} ({', '.join(f'{n} {c} lines' for n, c in sizes.items())})")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.pop("PYTHONPYCACHEPREFIX", None)
    measure_imports(out, package, runs, bytecode=False)
    measure_imports(out, package, runs, bytecode=True)
    calls(out, package, args.operation or DEFAULT_OPERATIONS, runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
