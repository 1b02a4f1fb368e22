"""Every real-world document in the corpus builds and renders to valid Python.

The loader may reject a document (that is its job, with a clear problem); once it hands
a document over, build and render must never crash, and their output must parse.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from testdata import CORPUS

from generator.errors import SpecError
from generator.ir.build import build_service
from generator.load.document import load
from generator.render.package import HeaderInfo, render_package

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:  # ``bench`` is a folder of scripts, not an installed package
    sys.path.insert(0, str(REPO))

from bench.corpus import read_manifest  # noqa: E402 - needs the path above

HEADER = HeaderInfo(generator_version="0.1.0", spec_name="corpus", spec_sha256="0" * 64)


EXPECTED_REJECTIONS = {e.file for e in read_manifest(CORPUS) if e.expect_rejection}


@pytest.mark.slow
@pytest.mark.parametrize("relative", [e.file for e in read_manifest(CORPUS)])
def test_document_builds_and_renders(relative: str) -> None:
    try:
        loaded = load(CORPUS / relative)
    except SpecError as refused:
        # The loader may refuse only what the corpus knows to be broken, and says where.
        assert relative in EXPECTED_REJECTIONS, refused.problems
        assert refused.problems
        return
    service, problems = build_service(loaded.document, source_name=loaded.source_name)
    assert all(p.severity == "warning" for p in problems)
    files = render_package(service, package_name="corpus_client", header=HEADER)
    for name, text in files.items():
        if name.endswith(".py"):
            ast.parse(text, filename=name)
    names = [op.name for op in service.operations]
    assert len(names) == len(set(names))
    assert all(name.isidentifier() for name in names)
    model_names = [m.name for m in service.models]
    assert len(model_names) == len(set(model_names))


def test_the_big_documents_keep_every_operation() -> None:
    github = CORPUS / "github/octokit-cache-api.github.com.json"
    loaded = load(github)
    service, _ = build_service(loaded.document, source_name=loaded.source_name)
    assert len(service.operations) == 771  # MANIFEST.tsv: no operation skipped


def test_digitalocean_bundled_copy_generates_with_its_dangling_mappings_as_warnings() -> None:
    """APIs.guru left discriminator mappings pointing at files it did not copy, and wrote
    its pointers %-encoded (``~1%7Bdomain_name%7D``): neither may cost an operation or a
    parameter."""
    document = CORPUS / "apis-guru/digitalocean.com/2.0/openapi.yaml"
    loaded = load(document)
    dropped = [w for w in loaded.warnings if "mapping entry dropped" in w.message]
    assert dropped and all("/discriminator/mapping/" in w.pointer for w in dropped)
    service, problems = build_service(loaded.document, source_name=loaded.source_name)
    assert len(service.operations) == 244  # MANIFEST.tsv
    assert not [p for p in problems if "points to nothing" in p.message]
    assert not [p for p in problems if "parameter without a name" in p.message]
