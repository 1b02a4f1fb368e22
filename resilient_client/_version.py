"""The runtime's version and the check generated packages run at import time."""

from __future__ import annotations

import operator
from collections.abc import Callable

__version__ = "0.2.0"

_OPERATORS: dict[str, Callable[[tuple[int, ...], tuple[int, ...]], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    ">": operator.gt,
    "<": operator.lt,
}


def _parse_version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.strip().split("."))
    except ValueError:
        raise ValueError(f"not a dotted-integer version: {text!r}") from None


def _pad(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    # "0.1" and "0.1.0" must compare equal, so both sides get the same length.
    width = max(len(a), len(b))
    return a + (0,) * (width - len(a)), b + (0,) * (width - len(b))


def version_satisfies(version: str, spec: str) -> bool:
    """True when ``version`` meets every comma-separated clause of ``spec``."""
    current = _parse_version(version)
    for raw in spec.split(","):
        clause = raw.strip()
        if not clause:
            continue
        # Two-character operators first so ">=" is not read as ">".
        for symbol in (">=", "<=", "==", ">", "<"):
            if clause.startswith(symbol):
                left, right = _pad(current, _parse_version(clause[len(symbol) :]))
                if not _OPERATORS[symbol](left, right):
                    return False
                break
        else:
            raise ValueError(f"unsupported version clause {clause!r} in {spec!r}")
    return True


def check_runtime_version(spec: str, *, package: str) -> None:
    """Fail a generated package's import when the installed runtime is incompatible.

    Raising ``ImportError`` (not a warning) is deliberate: a client generated for a
    different runtime contract would otherwise fail later, per call, in obscure ways.
    """
    if not version_satisfies(__version__, spec):
        raise ImportError(
            f"{package} requires resilient_client {spec}, but version {__version__} is "
            f"installed; install a matching resilient_client or regenerate {package}"
        )
