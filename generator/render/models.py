"""How models are split into the private submodules of ``<pkg>/models/``.

A large API has hundreds of models, and defining a pydantic class costs about a
millisecond even with ``defer_build``: a single ``models.py`` made importing the GitHub
client take over a second. So models live in small modules that ``models/__init__.py``
imports on first use (PEP 562 ``__getattr__``).

Grouping rule, deterministic and free of import cycles:

1. Strongly connected components of the reference graph (field types and base classes)
   stay together: mutually recursive models must share a module, since each needs the
   other's name when pydantic builds it.
2. A component referenced by exactly one other component joins that component's module:
   it is imported whenever its only user is, so sharing the module costs nothing and
   saves a file (nested object schemas such as ``RepoPermissions`` mostly end here).
3. Everything else (referenced by several components, or only by operations) gets a
   module of its own.

A module only depends on modules of other groups, and a group is only ever entered
through its root, so modules import each other without cycles (a cycle would have put
them into one component). Importing a model therefore imports exactly the models it can
reach, never an unrelated one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.ir.naming import private_name
from generator.ir.nodes import Model
from generator.ir.schemas.order import order_models
from generator.ir.usage import references


@dataclass(frozen=True, slots=True)
class ModelModule:
    """One private submodule of ``models/``: its name and its models in definition order."""

    name: str
    models: tuple[Model, ...]
    #: models defined in other submodules that this one imports, by submodule
    imports: tuple[tuple[str, tuple[str, ...]], ...]


def _components(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion (a chain of 1,000 models must not overflow
    the stack). Components come out dependencies first; visiting names and edges in
    sorted order makes the result deterministic."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, edge = work.pop()
            if edge == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            edges = graph[node]
            while edge < len(edges):
                target = edges[edge]
                edge += 1
                if target not in index:
                    work.append((node, edge))
                    work.append((target, 0))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    found.append(sorted(component))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return found


def group_models(models: Iterable[Model]) -> list[ModelModule]:
    """The submodules of ``models/``, sorted by name; see the module docstring."""
    by_name = {m.name: m for m in models}
    graph = {name: sorted(references(by_name[name]) & by_name.keys()) for name in sorted(by_name)}
    components = _components(graph)
    component_of = {name: i for i, members in enumerate(components) for name in members}
    users: dict[int, set[int]] = {i: set() for i in range(len(components))}
    for name, targets in graph.items():
        for target in targets:
            if component_of[target] != component_of[name]:
                users[component_of[target]].add(component_of[name])
    # Users come later in Tarjan's order, so walking backwards settles a component's
    # only user before the component itself.
    group_of: dict[int, int] = {}
    for i in reversed(range(len(components))):
        only = users[i]
        group_of[i] = group_of[next(iter(only))] if len(only) == 1 else i
    members: dict[int, list[str]] = {}
    for i, component in enumerate(components):
        members.setdefault(group_of[i], []).extend(component)
    taken: set[str] = set()
    module_of_group = {
        root: private_name(components[root][0], taken, fallback="model")
        for root in sorted(members, reverse=True)
    }
    module_of = {name: module_of_group[root] for root, names in members.items() for name in names}
    modules = []
    for root, names in members.items():
        module = module_of_group[root]
        inside = set(names)
        needed: dict[str, set[str]] = {}
        for name in names:
            for target in graph[name]:
                if target not in inside:
                    needed.setdefault(module_of[target], set()).add(target)
        modules.append(
            ModelModule(
                name=module,
                models=order_models({n: by_name[n] for n in sorted(names)}),
                imports=tuple((m, tuple(sorted(needed[m]))) for m in sorted(needed)),
            )
        )
    return sorted(modules, key=lambda m: m.name)
