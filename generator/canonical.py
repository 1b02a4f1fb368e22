"""The canonical JSON text of a loaded document, made once per run.

Both the validation cache and the ``--check`` manifest key on it; on GitHub's 3.6 MB
description one ``json.dumps(sort_keys=True)`` costs about 0.15 s, so the second caller
reuses the first one's text. Only the most recent document is remembered, by identity:
nothing modifies a loaded document between the two calls.
"""

from __future__ import annotations

import json
from typing import Any

_last: tuple[object, str] | None = None


def canonical_json(document: Any) -> str:
    """``document`` as sorted, compact JSON (non-JSON values by ``repr``)."""
    global _last
    if _last is not None and _last[0] is document:
        return _last[1]
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=repr
    )
    _last = (document, text)
    return text
