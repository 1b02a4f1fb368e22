"""What a validation phase answers, shared by the modules that run the phases.

A problem found is ``(pointer, message, severity)``; a phase answers the problems it
found and whether it ran to its end, and ``combine`` puts the two phases' answers in
the validator's order. Nothing here imports openapi-spec-validator, so ``validation``
and ``workers`` can use these without paying for it.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.errors import Severity

MAX_MESSAGE = 200
#: The openapi-spec-validator release ``walk`` and ``meta_phase`` reproduce exactly.
MODELLED_VERSION = "0.8.5"

Found = tuple[str, str, Severity]

#: (problems found, the phase ran to its end). A phase the validator could not finish
#: ends with a warning saying so; after a schema phase that stopped, nothing more runs.
PhaseResult = tuple[list[Found], bool]


def combine(schema: PhaseResult, root: Callable[[], PhaseResult]) -> list[Found]:
    """The two halves in the validator's order: ``root`` is only consulted when the schema
    phase finished, as the sequential ``iter_errors`` would never have reached it."""
    found, finished = schema
    if finished:
        found = found + root()[0]
    return list(dict.fromkeys(found))
