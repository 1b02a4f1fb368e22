"""Which operations of the corpus get ``<name>_iter``, by style, for a false-positive review.

For every entry document in the corpus's ``MANIFEST.tsv``: load it, build the IR (no
rendering), and count the operations whose ``pagination`` is set, by style. Prints one
line per document with any, the totals, and every paged operation of the smaller
documents (and a sample of each style from the large ones), so a person can read them
against the spec and judge. Documents the generator refuses are counted apart.

    .venv/bin/python bench/pagination_census.py [--corpus PATH] [--show N]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.errors import SpecError  # noqa: E402
from generator.ir.build import build_service  # noqa: E402
from generator.load.document import load  # noqa: E402

DEFAULT = Path(os.environ.get("GENERATE_CLIENT_CORPUS", str(REPO.parent / "shared" / "corpus")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--show", type=int, default=4, help="examples per style per document")
    args = parser.parse_args()
    rows = (args.corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    totals: Counter[str] = Counter()
    operations = documents = refused = 0
    for row in rows:
        name = row.split("\t", 1)[0]
        try:
            document = load(args.corpus / name).document
            service, _ = build_service(document, source_name=name)
        except (SpecError, OSError, ValueError) as exc:
            refused += 1
            if "x-pagination" in str(exc):
                print(f"REFUSED for x-pagination: {name}: {exc}")
            continue
        except Exception as exc:  # a census reports a failure, it does not stop on one
            refused += 1
            print(f"ERROR {name}: {type(exc).__name__}: {exc}")
            continue
        documents += 1
        operations += len(service.operations)
        paged = [op for op in service.operations if op.pagination is not None]
        styles = Counter(op.pagination.style for op in paged if op.pagination)
        totals.update(styles)
        if not paged:
            continue
        print(f"{name}: {len(paged)}/{len(service.operations)} {dict(sorted(styles.items()))}")
        shown: Counter[str] = Counter()
        for op in paged:
            paging = op.pagination
            assert paging is not None
            if shown[paging.style] >= args.show:
                continue
            shown[paging.style] += 1
            print(
                f"    {paging.style:8} {op.method} {op.path}  items={paging.items} "
                f"param={paging.cursor_param} next={paging.next_cursor or paging.has_more}"
            )
    print(
        f"\n{documents} documents built ({refused} refused), {operations} operations, "
        f"{sum(totals.values())} with _iter: {dict(sorted(totals.items()))}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
