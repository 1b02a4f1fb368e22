"""Problems in the input are values, not crashes; every exception a stage raises on purpose.

Every stage reports what is wrong with a document as ``Problem`` records (file, JSON
pointer, message). A stage that cannot continue raises ``SpecError`` carrying all the
problems it found; the CLI prints one line per problem and exits 2. ``WriteError`` (the
output location cannot be written safely) also exits 2; ``FormatError`` (generated code
that is not valid Python) is a bug of the generator, exit 3. They live here, in one
module that imports nothing else of the generator, so the CLI can tell them apart
without importing the stages that raise them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

#: The one mark a stage leaves in the document for a later one: the bundler sets it on a
#: discriminator whose mapping lost entries it could not resolve (each reported as a
#: warning), so the build does not guess tag values (the schema name) for the members
#: they named. Here, not in load/ or ir/, so neither stage imports the other.
INCOMPLETE_MAPPING = "x-generate-client-incomplete-mapping"


def _printable(text: str) -> str:
    # One problem is one line: a message quoting a hostile document must not be able to
    # forge extra lines or terminal escapes in the user's output.
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or odd) in a document.

    ``pointer`` is a JSON pointer into ``file`` ("" for the document root, or a line
    reference such as "line 12" when the document could not be parsed).
    """

    file: str
    pointer: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.file}#{self.pointer}" if self.pointer else self.file
        return _printable(f"{where}: {self.severity}: {self.message}")


class SpecError(Exception):
    """The document cannot be turned into a client; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems) or "invalid document")


class WriteError(Exception):
    """The output location cannot be written safely; the message says why."""


class FormatError(Exception):
    """Black rejected generated code: an internal error of the generator."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"black could not format generated file {path}: {reason}")


def json_pointer(*parts: str | int) -> str:
    """Build an RFC 6901 pointer: ``json_pointer("paths", "/pets", "get")`` -> ``/paths/~1pets/get``."""
    if len(parts) == 1:
        # the loader's walk makes one of these per key of the document (20,000 on a small
        # one): the common case without a generator expression and a join
        part = parts[0] if isinstance(parts[0], str) else str(parts[0])
        if "~" in part or "/" in part:
            part = part.replace("~", "~0").replace("/", "~1")
        return "/" + part
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
