"""When a recursive alias is well-founded.

A recursive schema that is not an object becomes a named alias (``Tree = list[Tree]``,
``Json = str | ... | dict[str, Json]``). That only means something when every way back
to the alias passes through a list, a map or a class: ``A = A | str`` names no type, and
pydantic would recurse forever building its validator.
"""

from __future__ import annotations

from generator.ir import TypeRef


def unguarded(target: TypeRef, name: str) -> bool:
    """Whether ``target`` reaches the alias ``name`` without a container in between."""
    if target.kind == "model":
        return target.name == name
    if target.kind == "union":
        return any(unguarded(member, name) for member in target.args)
    return False
