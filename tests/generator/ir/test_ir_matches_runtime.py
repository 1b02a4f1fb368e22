"""The IR mirrors two runtime contract types field for field, on purpose.

The generator's IR does not import the runtime's classes (the IR describes a spec; the
runtime executes calls), so ``ir.Policy``/``ir.EnvelopeConfig`` repeat the fields of
``SpecPolicy``/``Envelope``. The renderer writes IR fields as keyword arguments of the
runtime types, so a field added on one side only would silently be lost or break every
generated client; this keeps the two in step.
"""

from __future__ import annotations

import dataclasses

import pytest

from generator.ir import nodes as ir
from resilient_client import Envelope, SpecPolicy


@pytest.mark.parametrize(
    ("ir_type", "runtime_type"), [(ir.Policy, SpecPolicy), (ir.EnvelopeConfig, Envelope)]
)
def test_ir_type_has_exactly_the_runtime_fields_and_defaults(
    ir_type: type, runtime_type: type
) -> None:
    def shape(cls: type) -> list[tuple[str, object]]:
        return [(f.name, f.default) for f in dataclasses.fields(cls)]

    assert shape(ir_type) == shape(runtime_type)
