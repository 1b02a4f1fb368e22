"""OpenAPI 3.2's tag hierarchy checks, as ``OpenAPIV32TagsValidator`` words them.

Split from ``walk`` to keep it readable; the order of the messages (unknown parents in
tag order, then each cycle once, from the first tag that reaches it) is the library's.
"""

from __future__ import annotations


def hierarchy_problems(tags: list[tuple[str, str | None]]) -> list[str]:
    """The messages for ``(name, parent)`` pairs in document order (the last of two tags
    with the same name decides its parent, as in the library's dict)."""
    seen = {name for name, _ in tags}
    parent_by_tag_name: dict[str, str | None] = {}
    for name, parent in tags:
        parent_by_tag_name[name] = parent
    problems = [
        f"Tag '{name}' references unknown parent tag '{parent}'"
        for name, parent in parent_by_tag_name.items()
        if parent is not None and parent not in seen
    ]
    reported_cycles: set[str] = set()
    for start in parent_by_tag_name:
        name = start
        trail: list[str] = []
        trail_pos: dict[str, int] = {}
        while True:
            if name in trail_pos:
                cycle = " -> ".join([*trail[trail_pos[name] :], name])
                if cycle not in reported_cycles:
                    reported_cycles.add(cycle)
                    problems.append(f"Circular tag hierarchy detected: {cycle}")
                break
            trail_pos[name] = len(trail)
            trail.append(name)
            parent = parent_by_tag_name.get(name)
            if parent is None or parent not in seen:
                break
            name = parent
    return problems
