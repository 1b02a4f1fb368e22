"""Which models the package defines: all of them, except request models nothing uses.

An object request body is flattened into keyword arguments (``bodies``), so the model
of that body is named by no signature, no response and no other model: generated, it
would be a class nobody can pass anywhere, exported next to the ones that matter. Such
a model is left out, with the inline models only it contains. A flattened model stays
when anything else reaches it: an operation's parameter, body argument (``list[X]``,
a body sent whole) or response type, or any model that stays (a field, a base class,
a discriminated union, an alias). Every other model stays, used or not, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set

from generator.ir.nodes import AliasModel, Model, ObjectModel, Operation, TypeRef

_COMPONENT = re.compile(r"/components/schemas/[^/]+")


def used_models(
    models: tuple[Model, ...], operations: Iterable[Operation], flattened: Set[str]
) -> tuple[Model, ...]:
    """``models`` (in their order) without the flattened ones nothing else reaches."""
    by_name = {model.name: model for model in models}
    dropped = flattened & by_name.keys()
    if not dropped:
        return models
    # Inline models reached from a flattened model through inline models only: they
    # exist for it, so they are not kept for their own sake (components always are).
    owned: set[str] = set()
    stack = sorted(dropped)
    while stack:
        for name in sorted(references(by_name[stack.pop()]) & by_name.keys()):
            if name not in owned and name not in dropped and _is_inline(by_name[name]):
                owned.add(name)
                stack.append(name)
    keep = {name for name in by_name if name not in dropped and name not in owned}
    for op in operations:
        types = [p.type for p in op.parameters] + [r.type for r in op.responses if r.type]
        types += [f.type for f in op.body.fields] if op.body is not None else []
        for type_ in (op.return_type, *types):
            keep |= type_models(type_) & by_name.keys()
    stack = sorted(keep)
    while stack:
        for name in references(by_name[stack.pop()]) & by_name.keys():
            if name not in keep:
                keep.add(name)
                stack.append(name)
    return tuple(model for model in models if model.name in keep)


def _is_inline(model: Model) -> bool:
    return model.source.startswith("/") and not _COMPONENT.fullmatch(model.source)


def references(model: Model) -> set[str]:
    """Names of the models ``model`` needs: field types, base class, alias target."""
    if isinstance(model, AliasModel):
        return type_models(model.target)
    if not isinstance(model, ObjectModel):
        return set()
    found = {model.base} if model.base else set()
    for field in model.fields:
        found |= type_models(field.type)
    return found


def type_models(type_: TypeRef) -> set[str]:
    found = {type_.name} if type_.kind == "model" else set()
    for arg in type_.args:
        found |= type_models(arg)
    return found
