"""Where the test suite's vendored data lives (``tests/data/``).

A user's clone has nothing beside it, so every document a test reads is copied into the
project with its source recorded: ``tests/data/services/`` (the two services' own
OpenAPI exports) and ``tests/data/corpus/`` (the real-world documents the CI subset and
the named corpus tests use; ``MANIFEST.tsv`` there records repository, path, commit and
licence). ``tests/data/refresh_corpus.py`` rebuilds the corpus copy from a full corpus.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"
SERVICES = DATA / "services"
