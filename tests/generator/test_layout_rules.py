"""The generator's layout (DESIGN.md, "Generator pipeline"), checked on its source.

- Every module belongs to a stage package (``load``, ``validate``, ``ir``, ``render``,
  ``format``, ``write``), is shared (``errors``, ``cache``, the package ``__init__``
  with the version) or sits on top (``cli``, ``pipeline``, ``__main__``).
- A stage imports only its own modules and the shared ones; ``render`` also reads the
  ``ir``. Only the top crosses stages. Shared modules import nothing of the generator.
- No two modules import each other, directly or around a longer circle, counting
  imports at module level, inside functions and under ``TYPE_CHECKING``.
- An import inside a function exists only to keep ``--help`` or ``--check`` fast, and
  says so in a ``# why:`` comment on the line above it (or above its group of imports).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[2] / "generator"
STAGES = frozenset({"load", "validate", "ir", "render", "format", "write"})
SHARED = frozenset({"generator", "generator.errors", "generator.cache"})
TOP = frozenset({"generator.cli", "generator.pipeline", "generator.__main__"})
#: stage -> the other stages it may import
READS = {"render": frozenset({"ir"})}
#: (module, imported module) pairs whose function-level import needs no ``# why:``
#: comment; keep it empty unless a comment cannot say it better
WHY_NOT_NEEDED: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (or package)
    line: int
    in_function: bool
    why: bool  # a "# why:" comment heads it (or its group of imports)


def _module_name(path: Path) -> str:
    parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(GENERATOR.rglob("*.py"))}


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    found = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        found.append(submodule if submodule in MODULES else base)
    return found


def _imports(module: str, path: Path) -> list[Import]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text, str(path))
    in_function: set[int] = set()  # id() of import nodes inside a function body
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            in_function.update(
                id(inner)
                for inner in ast.walk(node)
                if isinstance(inner, ast.Import | ast.ImportFrom)
            )
    nodes = sorted(
        (n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)),
        key=lambda n: n.lineno,
    )
    ends = {n.end_lineno: n for n in nodes if id(n) in in_function}
    found = []
    for node in nodes:
        head = node
        while head.lineno - 1 in ends:  # the import right above: same group
            head = ends[head.lineno - 1]
        above = lines[head.lineno - 2].strip() if head.lineno > 1 else ""
        for target in _targets(node, module, path.name == "__init__.py"):
            found.append(
                Import(
                    module, target, node.lineno, id(node) in in_function, above.startswith("# why:")
                )
            )
    return found


#: every import in the generator, third-party and standard library ones included
ALL_IMPORTS = [imp for module, path in MODULES.items() for imp in _imports(module, path)]
#: the generator's imports of its own modules
IMPORTS = [i for i in ALL_IMPORTS if i.target == "generator" or i.target.startswith("generator.")]


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_every_module_has_a_place() -> None:
    homeless = [m for m in MODULES if m not in SHARED | TOP and _stage(m) is None]
    assert not homeless, f"modules outside the stage packages, shared or top: {homeless}"
    folders = {path.parent for path in MODULES.values()}
    namespace = sorted(str(f) for f in folders if not (f / "__init__.py").is_file())
    assert not namespace, f"folders without __init__.py (mypy and the wheel need one): {namespace}"


def test_imports_name_existing_modules() -> None:
    missing = [
        f"{i.source}:{i.line} imports {i.target}" for i in IMPORTS if i.target not in MODULES
    ]
    assert not missing, missing


def test_stages_import_only_themselves_and_shared_modules() -> None:
    crossing = []
    for imp in IMPORTS:
        if imp.source in TOP or imp.target in SHARED:
            continue
        source, target = _stage(imp.source), _stage(imp.target)
        if imp.source in SHARED:
            crossing.append(f"{imp.source}:{imp.line} (shared) imports {imp.target}")
        elif target is None or (target != source and target not in READS.get(source or "", ())):
            crossing.append(f"{imp.source}:{imp.line} imports {imp.target}")
    assert not crossing, "only pipeline and cli may cross stages:\n" + "\n".join(crossing)


def test_stage_packages_import_nothing() -> None:
    # Importing one module of a stage (the CLI imports ir.naming) must not import the
    # rest of the stage through its package's __init__.
    packages = {m for m, path in MODULES.items() if path.name == "__init__.py"} - SHARED
    eager = [f"{i.source} imports {i.target}" for i in IMPORTS if i.source in packages]
    assert not eager, eager


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module, or a self-import."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles() -> None:
    graph: dict[str, set[str]] = {}
    for imp in IMPORTS:
        graph.setdefault(imp.source, set()).add(imp.target)
    circles = _cycles(graph)
    assert not circles, "modules that import each other (split out what they share):\n" + (
        "\n".join(" <-> ".join(circle) for circle in circles)
    )


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"a"}}) == [["a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_function_level_imports_say_why() -> None:
    # Third-party ones too: ``black`` or ``pydantic`` imported late is a promise about
    # speed that must be written down.
    silent = [
        f"{i.source}:{i.line} imports {i.target}"
        for i in ALL_IMPORTS
        if i.in_function and not i.why and (i.source, i.target) not in WHY_NOT_NEEDED
    ]
    assert not silent, "a function-level import needs a '# why:' comment above it:\n" + "\n".join(
        silent
    )
