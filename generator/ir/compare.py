"""What a spec change does to the callers of its generated client.

Two IRs (the old spec's and the new one's) are compared by what a caller names: method
names and their arguments, model classes and their fields, enum members. Each change is
either *breaking* (code that worked against the old client fails, or a type check
fails: an operation or model removed, an argument removed, a new required argument, an
optional argument made required, a type narrowed or changed, an enum member removed, a
return type changed) or an *addition* (a new operation, model, optional argument, field
or enum member; a type widened). Paths, descriptions and defaults are not part of a
caller's contract with the client and are not compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from generator.ir.nodes import (
    NONE,
    EnumModel,
    Model,
    ModelField,
    ObjectModel,
    Operation,
    Service,
    TypeRef,
)

Kind = Literal["breaking", "addition"]


@dataclass(frozen=True, slots=True, order=True)
class Change:
    """One difference a caller can see; ``where`` names the method or model."""

    kind: Kind
    where: str
    what: str

    def __str__(self) -> str:
        label = "BREAKING" if self.kind == "breaking" else "added"
        return f"{label}: {self.where}: {self.what}"


def compare_services(old: Service, new: Service) -> list[Change]:
    """Every caller-visible change from ``old`` to ``new``: breaking ones first, sorted."""
    changes = list(_operations(old.operations, new.operations))
    changes += _models(old.models, new.models)
    return sorted(changes)


def describe(type_: TypeRef) -> str:
    """A type as a reader sees it in a signature (``list[Pet] | None``)."""
    if type_.kind == "builtin":
        return type_.name
    if type_.kind == "model":
        return type_.name
    if type_.kind == "list":
        return f"list[{describe(type_.args[0])}]"
    if type_.kind == "dict":
        return f"dict[str, {describe(type_.args[0])}]"
    if type_.kind == "literal":
        return "Literal[" + ", ".join(repr(v) for v in type_.values) + "]"
    return " | ".join(describe(member) for member in type_.args)


def _members(type_: TypeRef) -> frozenset[TypeRef]:
    if type_.kind in ("union", "discriminated"):
        return frozenset(m for arg in type_.args for m in _members(arg))
    if type_.kind == "literal":
        return frozenset(TypeRef("literal", values=(v,)) for v in type_.values)
    return frozenset({type_})


def _type_change(old: TypeRef, new: TypeRef, *, accepted: bool) -> tuple[Kind, str] | None:
    """``accepted``: the type of something the caller passes (a wider one is fine);
    otherwise of something the caller receives (a narrower one is fine)."""
    if old == new:
        return None
    before, after = _members(old), _members(new)
    wider, narrower = before < after, after < before
    text = f"type {describe(old)} -> {describe(new)}"
    if (accepted and wider) or (not accepted and narrower):
        return "addition", text
    return "breaking", text


def _operations(old: Iterable[Operation], new: Iterable[Operation]) -> Iterator[Change]:
    before = {op.name: op for op in old}
    after = {op.name: op for op in new}
    for name in sorted(before.keys() - after.keys()):
        yield Change("breaking", name, "operation removed")
    for name in sorted(after.keys() - before.keys()):
        yield Change("addition", name, f"operation added ({after[name].method} {after[name].path})")
    for name in sorted(before.keys() & after.keys()):
        yield from _arguments(name, before[name], after[name])
        change = _type_change(before[name].return_type, after[name].return_type, accepted=False)
        if change is not None:
            yield Change(change[0], name, f"return {change[1]}")
        yield from _stream(name, before[name], after[name])
        yield from _pagination(name, before[name], after[name])
        yield from _events(name, before[name], after[name])


def _stream(name: str, old: Operation, new: Operation) -> Iterator[Change]:
    """``<name>_stream`` (a binary success body read in chunks) gone, new or renamed."""
    was, now = old.stream_name, new.stream_name
    if was is not None and now is None:
        yield Change("breaking", name, f"{was}() removed (no binary success body)")
    elif was is None and now is not None:
        yield Change("addition", name, f"{now}() added (binary success body)")
    elif was is not None and now is not None and was != now:
        yield Change("breaking", name, f"{was}() renamed {now}()")


def _pagination(name: str, old: Operation, new: Operation) -> Iterator[Change]:
    """``<name>_iter`` gone or new; a different style or item type changes what it yields."""
    was, now = old.pagination, new.pagination
    if was is not None and now is None:
        yield Change("breaking", name, f"{was.method_name}() removed (no longer paginated)")
    elif was is None and now is not None:
        yield Change("addition", name, f"{now.method_name}() added ({now.style} pagination)")
    elif was is not None and now is not None:
        if was.method_name != now.method_name:
            yield Change("breaking", name, f"{was.method_name}() renamed {now.method_name}()")
        change = _type_change(was.item_type, now.item_type, accepted=False)
        if change is not None:
            yield Change(change[0], name, f"{now.method_name}() item {change[1]}")


def _events(name: str, old: Operation, new: Operation) -> Iterator[Change]:
    """The ``<name>_events`` method: callers iterate it and read each event's data."""
    if old.events is not None and new.events is None:
        yield Change("breaking", name, f"{old.events.method} removed (no text/event-stream)")
    elif old.events is None and new.events is not None:
        yield Change("addition", name, f"{new.events.method} added (text/event-stream)")
    elif old.events is not None and new.events is not None:
        if old.events.method != new.events.method:
            yield Change("breaking", name, f"{old.events.method} renamed {new.events.method}")
        change = _type_change(old.events.data_type, new.events.data_type, accepted=False)
        if change is not None:
            yield Change(change[0], name, f"event data {change[1]}")
        if old.events.only != new.events.only:
            # the plain method returned the EventStream only while nothing else was offered
            now = "returns the events" if new.events.only else "no longer returns the events"
            yield Change("breaking", name, f"{now} (text/event-stream only: {new.events.only})")


def _arguments_of(op: Operation) -> dict[str, tuple[TypeRef, bool]]:
    args = {p.name: (p.type, p.required) for p in op.parameters}
    if op.body is not None:
        args.update((f.name, (f.type, f.required)) for f in op.body.fields)
    return args


def _arguments(name: str, old: Operation, new: Operation) -> Iterator[Change]:
    before, after = _arguments_of(old), _arguments_of(new)
    for arg in sorted(before.keys() - after.keys()):
        yield Change("breaking", name, f"argument {arg} removed")
    for arg in sorted(after.keys() - before.keys()):
        required = after[arg][1]
        kind: Kind = "breaking" if required else "addition"
        yield Change(kind, name, f"{'required' if required else 'optional'} argument {arg} added")
    for arg in sorted(before.keys() & after.keys()):
        (old_type, old_required), (new_type, new_required) = before[arg], after[arg]
        if new_required and not old_required:
            yield Change("breaking", name, f"argument {arg} is now required")
        elif old_required and not new_required:
            yield Change("addition", name, f"argument {arg} is now optional")
        change = _type_change(old_type, new_type, accepted=True)
        if change is not None:
            yield Change(change[0], name, f"argument {arg}: {change[1]}")


def _models(old: Iterable[Model], new: Iterable[Model]) -> Iterator[Change]:
    before = {m.name: m for m in old}
    after = {m.name: m for m in new}
    for name in sorted(before.keys() - after.keys()):
        yield Change("breaking", name, "model removed")
    for name in sorted(after.keys() - before.keys()):
        yield Change("addition", name, "model added")
    for name in sorted(before.keys() & after.keys()):
        old_model, new_model = before[name], after[name]
        if isinstance(old_model, EnumModel) and isinstance(new_model, EnumModel):
            yield from _enum_members(name, old_model, new_model)
        elif isinstance(old_model, ObjectModel) and isinstance(new_model, ObjectModel):
            yield from _fields(name, old_model.fields, new_model.fields)
        elif type(old_model) is not type(new_model):
            yield Change("breaking", name, "no longer the same kind of model")


def _enum_members(name: str, old: EnumModel, new: EnumModel) -> Iterator[Change]:
    before = {m.value: m.name for m in old.members}
    after = {m.value: m.name for m in new.members}
    for value in sorted(before.keys() - after.keys(), key=repr):
        yield Change("breaking", name, f"enum member {before[value]} ({value!r}) removed")
    for value in sorted(after.keys() - before.keys(), key=repr):
        yield Change("addition", name, f"enum member {after[value]} ({value!r}) added")


def _fields(
    name: str, old: tuple[ModelField, ...], new: tuple[ModelField, ...]
) -> Iterator[Change]:
    before = {f.name: f for f in old}
    after = {f.name: f for f in new}
    for field in sorted(before.keys() - after.keys()):
        yield Change("breaking", name, f"field {field} removed")
    for field in sorted(after.keys() - before.keys()):
        # a new required field breaks code that builds the model (a request body)
        kind: Kind = "breaking" if after[field].required else "addition"
        label = "required" if after[field].required else "optional"
        yield Change(kind, name, f"{label} field {field} added")
    for field in sorted(before.keys() & after.keys()):
        old_field, new_field = before[field], after[field]
        if new_field.required and not old_field.required:
            yield Change("breaking", name, f"field {field} is now required")
        # a model field is read (responses) and written (requests): any change can break
        old_type, new_type = _declared(old_field), _declared(new_field)
        if old_type != new_type:
            text = f"field {field}: type {describe(old_type)} -> {describe(new_type)}"
            yield Change("breaking", name, text)


def _declared(field: ModelField) -> TypeRef:
    return field.type if field.required else _without_none(field.type)


def _without_none(type_: TypeRef) -> TypeRef:
    if type_.kind != "union":
        return type_
    rest = tuple(arg for arg in type_.args if arg != NONE)
    return rest[0] if len(rest) == 1 else TypeRef("union", args=rest)
