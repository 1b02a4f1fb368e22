"""When a recursive alias is well-founded.

A recursive schema that is not an object becomes a named alias (``Tree = list[Tree]``,
``Json = str | ... | dict[str, Json]``). Every way back to the alias must pass through
a list, a map or a class: pydantic would otherwise recurse forever building its
validator. A union naming itself directly (``A = int | B``, ``B = str | A``) is read
as its least solution, ``A = int | str``; an alias that is nothing but itself
(``A: {oneOf: [{$ref: A}]}``) names no type at all.
"""

from __future__ import annotations

from generator.ir.nodes import TypeRef, union


def well_founded(target: TypeRef, name: str) -> TypeRef | None:
    """``target`` without the alias ``name`` as a direct union member; None when
    nothing else is left."""
    itself = TypeRef("model", name)
    if target == itself:
        return None
    if target.kind != "union" or itself not in target.args:
        return target
    rest = [member for member in target.args if member != itself]
    return union(rest) if rest else None
