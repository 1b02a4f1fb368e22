"""Rebuild ``tests/data/corpus/`` from a full copy of the corpus.

The test suite must run in a clone with nothing beside it, so the documents it reads are
vendored: the CI slice (``bench.corpus.ci_subset``), the documents tests name one by one
(``NAMED`` below) and every file those documents pull in through relative ``$ref``s. Which
fragments a multi-file document needs is not guessed: each document is loaded by the
generator with an audit hook recording the files it opens. Rows are copied from the full
corpus's ``MANIFEST.tsv``/``FRAGMENTS.tsv`` with one column added: the licence of the
repository each file comes from.

    .venv/bin/python tests/data/refresh_corpus.py --source PATH/TO/corpus

Run it after adding a document to ``NAMED`` or changing the slice; commit the result.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.corpus import ci_subset, read_manifest  # noqa: E402 - needs the path above
from generator.errors import SpecError  # noqa: E402
from generator.load import load  # noqa: E402

TARGET = REPO / "tests" / "data" / "corpus"

# Documents tests read by name, beyond the CI slice.
NAMED = (
    "apis-guru/digitalocean.com/2.0/openapi.yaml",
    "apis-guru/sendgrid.com/1.0.0/openapi.yaml",
    "datamodel-code-generator/discriminator.yaml",
    "digitalocean-multifile/specification/DigitalOcean-public.v2.yaml",
    "github/octokit-cache-api.github.com.json",
    "kubernetes/v3/apis__apps__v1_openapi.json",
    "kubernetes/v3/apis__discovery.k8s.io__v1_openapi.json",
    "oai-learn-examples/v2.0/petstore-separate/spec/swagger.yaml",
)
# Every document another generator wrote to be refused: the rejection tests walk them all.
NAMED_FOLDERS = ("openapi-python-client/documents_with_errors/",)

# The licence each source repository publishes its files under (SPDX identifiers).
LICENCES = {
    "OAI/OpenAPI-Specification": "Apache-2.0",
    "OAI/learn.openapis.org": "Apache-2.0",
    # A clone of APIs-guru/openapi-directory: the collection is CC0-1.0; each API
    # description stays under its provider's terms.
    "benkilimnik/openapi-directory-clone": "CC0-1.0 (collection; descriptions per provider)",
    "digitalocean/openapi": "Apache-2.0",
    "koxudaxi/datamodel-code-generator": "MIT",
    "kubernetes/client-go": "Apache-2.0",
    "octokit/openapi": "MIT",
    "openapi-generators/openapi-python-client": "MIT",
    "openapi-ts/openapi-typescript": "MIT",
    "swagger-api/swagger-petstore": "Apache-2.0",
}


@contextmanager
def opened_files(root: Path) -> Iterator[set[Path]]:
    """The files under ``root`` opened while the block runs (audit hooks cannot be
    removed, so the hook stays installed but records only while active)."""
    seen: set[Path] = set()
    active = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if active[0] and event == "open" and isinstance(args[0], str | Path):
            path = Path(args[0]).resolve()
            if path.is_relative_to(root):
                seen.add(path)

    sys.addaudithook(hook)
    try:
        yield seen
    finally:
        active[0] = False


def _rows(table: Path) -> tuple[list[str], dict[str, dict[str, str]]]:
    with table.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        return list(reader.fieldnames or []), {row["file"]: row for row in reader}


def _write(table: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*header, "licence"], delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "licence": LICENCES[row["repo"]]})


def refresh(source: Path) -> tuple[int, int]:
    source = source.resolve()
    manifest_header, manifest = _rows(source / "MANIFEST.tsv")
    fragment_header, fragments = _rows(source / "FRAGMENTS.tsv")
    wanted = {e.file for e in ci_subset(read_manifest(source))} | set(NAMED)
    wanted |= {f for f in manifest if f.startswith(NAMED_FOLDERS)}
    missing = sorted(wanted - manifest.keys())
    if missing:
        raise SystemExit(f"not entry documents of {source}/MANIFEST.tsv: {', '.join(missing)}")
    needed: set[str] = set()
    for file in sorted(wanted):
        # A refused document still opened what it reached.
        with opened_files(source) as seen, suppress(SpecError):
            load(source / file)
        needed |= {p.relative_to(source).as_posix() for p in seen}
        needed.add(file)
    unknown = sorted(needed - manifest.keys() - fragments.keys() - {"MANIFEST.tsv"})
    if unknown:
        raise SystemExit(f"opened but listed in neither table: {', '.join(unknown)}")

    if TARGET.exists():
        for child in TARGET.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
    TARGET.mkdir(parents=True, exist_ok=True)
    for relative in sorted(needed):
        (TARGET / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, TARGET / relative)
    entries = [manifest[f] for f in manifest if f in needed]
    parts = [fragments[f] for f in fragments if f in needed and f not in manifest]
    _write(TARGET / "MANIFEST.tsv", manifest_header, entries)
    _write(TARGET / "FRAGMENTS.tsv", fragment_header, parts)
    return len(entries), len(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="a full corpus folder")
    args = parser.parse_args()
    if not (args.source / "MANIFEST.tsv").is_file():
        raise SystemExit(f"{args.source}: no MANIFEST.tsv here; pass the full corpus folder")
    entries, parts = refresh(args.source)
    print(f"{TARGET.relative_to(REPO)}: {entries} documents, {parts} fragments")


if __name__ == "__main__":
    main()
