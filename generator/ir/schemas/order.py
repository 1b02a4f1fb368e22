"""The order classes are written in ``models.py``.

Without postponed annotations a class can only name classes defined above it (anything
else must be a string, which pydantic compiles at import); a base class must always come
first.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.ir.nodes import AliasModel, Model, ObjectModel, TypeRef


def order_models(models: Mapping[str, Model]) -> tuple[Model, ...]:
    """All models, dependencies first (a base class always before its children),
    ties broken by name; only reference cycles leave forward references."""
    ordered: list[Model] = []
    placed: set[str] = set()

    def place(model: Model) -> None:
        if model.name in placed:
            return
        placed.add(model.name)
        if isinstance(model, ObjectModel):
            needed = {model.base} if model.base else set()
            for field in model.fields:
                needed |= _model_names(field.type)
            for name in sorted(needed):
                if name in models:
                    place(models[name])
        elif isinstance(model, AliasModel):
            for name in sorted(_model_names(model.target)):
                if name in models:
                    place(models[name])
        ordered.append(model)

    for name in sorted(models):
        place(models[name])
    # a cycle through a base class can put a child first; classes need their base
    final: list[Model] = []
    done: set[str] = set()

    def place_base_first(model: Model) -> None:
        if model.name in done:
            return
        done.add(model.name)
        if isinstance(model, ObjectModel) and model.base is not None and model.base in models:
            place_base_first(models[model.base])
        final.append(model)

    for model in ordered:
        place_base_first(model)
    return tuple(final)


def _model_names(type_: TypeRef) -> set[str]:
    found = {type_.name} if type_.kind == "model" else set()
    for arg in type_.args:
        found |= _model_names(arg)
    return found
