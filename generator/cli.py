"""``generate-client``: the command line around the pipeline.

Exit codes: 0 ok, 1 drift found by ``--check``, 2 bad input (one line per problem on
stderr, naming file and JSON pointer or line), 3 internal error; with ``--breaking``:
4 changes that break callers, 5 additions only (0: callers see no change). Tracebacks are shown
only with ``--verbose`` or ``GENERATE_CLIENT_DEBUG=1``: a user with a broken spec needs
the problem list, not our stack.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from generator import __version__
from generator.errors import FormatError, Problem, SpecError, WriteError
from generator.ir.naming import default_package_name

EXIT_OK, EXIT_DRIFT, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_BREAKING, EXIT_ADDITIONS = 4, 5
WARNINGS_SHOWN = 20


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="generate-client",
        description="Generate typed, resilient async Python clients from OpenAPI documents.",
    )
    parser.add_argument("specs", nargs="+", metavar="SPEC", type=Path, help="OpenAPI document(s)")
    parser.add_argument(
        "-o", "--output", type=Path, default=Path("generated"), metavar="OUTDIR",
        help="folder that receives one package per spec (default: generated/)",
    )  # fmt: skip
    parser.add_argument("--package-name", help="package name (only with a single SPEC)")
    parser.add_argument("--client-name", help="client class name (overrides info.title)")
    parser.add_argument(
        "--sync", action=argparse.BooleanOptionalAction, default=True,
        help="also write <Name>SyncClient, the blocking client (_sync_client.py); the "
        "default. --no-sync leaves it out, and --check then needs --no-sync too",
    )  # fmt: skip
    parser.add_argument(
        "--check", action="store_true",
        help="write nothing; exit 1 if the committed output differs from what SPEC generates",
    )  # fmt: skip
    parser.add_argument(
        "--breaking", type=Path, metavar="OLD_SPEC",
        help="write nothing; list what changes for callers from OLD_SPEC to SPEC, breaking "
        "changes apart from additions (exit 4 breaking, 5 additions only, 0 none)",
    )  # fmt: skip
    parser.add_argument(
        "--dist", action="store_true",
        help="also write OUTDIR/<package>-dist, an installable project (pyproject.toml)",
    )  # fmt: skip
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    noise.add_argument(
        "-v", "--verbose", action="store_true", help="print stage timings and every warning"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


class _Output:
    def __init__(self, quiet: bool, verbose: bool, out: TextIO, err: TextIO) -> None:
        self.quiet, self.verbose, self.out, self.err = quiet, verbose, out, err

    def info(self, line: str) -> None:
        if not self.quiet:
            print(line, file=self.out)

    def error(self, line: str) -> None:
        print(line, file=self.err)

    def problems(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            self.error(str(problem))

    def warnings(self, warnings: Sequence[Problem]) -> None:
        if self.quiet:
            return
        shown = warnings if self.verbose else warnings[:WARNINGS_SHOWN]
        for warning in shown:
            self.error(str(warning))
        if len(shown) < len(warnings):
            self.error(f"... {len(warnings) - len(shown)} more warnings (--verbose shows all)")


def _debug(verbose: bool) -> bool:
    return verbose or os.environ.get("GENERATE_CLIENT_DEBUG", "") not in ("", "0")


def _duplicate_targets(specs: Sequence[Path], package_name: str | None) -> list[Problem]:
    seen: dict[str, Path] = {}
    problems = []
    for spec in specs:
        name = default_package_name(spec) if package_name is None else package_name
        if name in seen:
            problems.append(
                Problem(spec.name, "", f"package {name!r} is also generated from {seen[name]}")
            )
        seen.setdefault(name, spec)
    return problems


def run(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
        err: TextIO | None = None) -> int:  # fmt: skip
    """Run the command; return the exit code (``main`` exits with it)."""
    parser = _parser()
    args = parser.parse_args(argv)
    output = _Output(args.quiet, args.verbose, out or sys.stdout, err or sys.stderr)
    if args.package_name is not None and len(args.specs) > 1:
        output.error("generate-client: error: --package-name can only be used with one SPEC")
        return EXIT_BAD_INPUT
    if args.breaking is not None:
        if len(args.specs) != 1:
            output.error("generate-client: error: --breaking OLD_SPEC compares with one SPEC")
            return EXIT_BAD_INPUT
        return _breaking(args.breaking, args.specs[0], args, output)
    clashes = _duplicate_targets(args.specs, args.package_name)
    if clashes:
        output.problems(clashes)
        return EXIT_BAD_INPUT
    status = EXIT_OK
    for spec in args.specs:
        status = max(status, _one(spec, args, output))
    return status


def _one(spec: Path, args: argparse.Namespace, output: _Output) -> int:
    try:
        # Inside the try: a broken installation (a missing dependency) is an internal
        # error reported in one line, not a traceback.
        # why: --help and --version never pay for the pipeline's imports (yaml, the stages)
        from generator.pipeline import generate

        result = generate(
            spec,
            out_dir=args.output,
            package_name=args.package_name,
            client_name=args.client_name,
            check=args.check,
            dist=args.dist,
            sync=args.sync,
        )
    except SpecError as exc:
        output.problems(exc.problems or [Problem(spec.name, "", "invalid document")])
        return EXIT_BAD_INPUT
    except WriteError as exc:
        output.error(f"{spec.name}: error: {exc}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        return _internal_error(exc, spec, args, output)
    output.warnings(result.warnings)
    if args.verbose:
        stages = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in result.timings.items())
        output.error(f"{spec.name}: timings: {stages} (total {sum(result.timings.values()):.2f}s)")
    if args.check:
        return _report_drift(result.package_dir, result.drift, output)
    verb = "wrote" if result.written else "unchanged"
    output.info(f"{verb} {result.package_dir} ({len(result.files)} files)")
    if result.dist_dir is not None:
        output.info(f"{verb} {result.dist_dir} (pyproject.toml)")
    return EXIT_OK


def _internal_error(exc: Exception, spec: Path, args: argparse.Namespace, output: _Output) -> int:
    if _debug(args.verbose):
        traceback.print_exc(file=output.err)
    where = f"{exc.path}: " if isinstance(exc, FormatError) else ""
    summary = " ".join(str(exc).split())[:300]
    output.error(
        f"internal error: {spec.name}: {where}{type(exc).__name__}: {summary} (please report)"
    )
    return EXIT_INTERNAL


def _breaking(old: Path, new: Path, args: argparse.Namespace, output: _Output) -> int:
    try:
        # why: --help and --version never pay for the pipeline's imports
        from generator.pipeline import compare

        changes = compare(old, new)
    except SpecError as exc:
        output.problems(exc.problems)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        return _internal_error(exc, new, args, output)
    breaking = [c for c in changes if c.kind == "breaking"]
    additions = [c for c in changes if c.kind == "addition"]
    for change in breaking:
        print(str(change), file=output.out)
    for change in additions:
        output.info(str(change))
    output.info(
        f"{old.name} -> {new.name}: {len(breaking)} breaking change(s), "
        f"{len(additions)} addition(s)"
    )
    if breaking:
        return EXIT_BREAKING
    return EXIT_ADDITIONS if additions else EXIT_OK


def _report_drift(package_dir: Path, drift: Sequence[object], output: _Output) -> int:
    if not drift:
        output.info(f"{package_dir} is up to date")
        return EXIT_OK
    output.error(f"{package_dir}: {len(drift)} file(s) differ from the spec; regenerate:")
    for item in drift:
        output.error(f"  {item}")
        diff = getattr(item, "diff", "")
        for line in diff.splitlines():
            output.error(f"    {line}")
    return EXIT_DRIFT


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        code = run(argv)
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)
