"""The Jinja2 templates compiled ahead of time, and the loader that uses them.

Jinja2 turns every template into Python source and compiles that on each run (0.03 s
for ours: a tenth of a small document's cold generation). ``compiled_templates.py``
holds that Python for the shipped templates, written by
``python -m generator.render.prebuilt``, with the ``KEY`` it was built for: Jinja2's
version, the environment's options and every template's text. When the key matches,
templates load from it; otherwise (a template edited, another Jinja2) they compile from
the template folder as before, so the shipped code can only save time, never change the
output. tests/generator/render/test_prebuilt_templates.py fails while it is stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from typing import Any

import jinja2

#: Options the templates are compiled with; part of the key, as they change the code.
OPTIONS: dict[str, Any] = {
    "autoescape": False,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}
TARGET = Path(__file__).with_name("compiled_templates.py")
_IMPORT_PREFIX = "from jinja2.runtime import "

Builder = Callable[[jinja2.Environment], MutableMapping[str, Any]]


def template_dir() -> Path:
    """``generator/templates`` in an installed wheel, else the repository's ``templates``."""
    generator_dir = Path(__file__).resolve().parents[1]
    installed = generator_dir / "templates"
    if installed.is_dir():
        return installed
    return generator_dir.parent / "templates"


def template_sources(folder: Path) -> dict[str, str]:
    """Template name -> text, for every ``.jinja`` file in ``folder``; not a dangling link
    (the ``.#name.jinja`` lock Emacs leaves beside a template being edited), which is no
    template and cannot be read."""
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(folder.glob("*.jinja"))
        if path.is_file()
    }


def key(sources: Mapping[str, str]) -> str:
    """What the compiled code depends on: Jinja2's version, the options, the templates."""
    digest = hashlib.sha256(f"jinja2 {jinja2.__version__}\0{sorted(OPTIONS.items())}".encode())
    for name in sorted(sources):
        digest.update(f"\0{name}\0{sources[name]}".encode())
    return digest.hexdigest()


class PrebuiltLoader(jinja2.BaseLoader):
    """Templates from ``compiled_templates.py``'s builders, unknown names from ``fallback``."""

    def __init__(self, builders: Mapping[str, Builder], fallback: jinja2.BaseLoader) -> None:
        self.builders = builders
        self.fallback = fallback

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        build = self.builders.get(name)
        if build is None:
            return self.fallback.load(environment, name, globals)
        return environment.template_class.from_module_dict(
            environment, build(environment), globals if globals is not None else {}
        )


def loader(folder: Path) -> jinja2.BaseLoader:
    """The prebuilt templates when they were built from ``folder``'s, else ``folder``."""
    files = jinja2.FileSystemLoader(str(folder))
    try:
        # Another Jinja2's runtime may lack a name the shipped code imports (its key would
        # not match anyway): that must fall back to the files, not fail.
        # why: imported here, where an ImportError can fall back to the files
        from generator.render import compiled_templates
    except ImportError:
        return files
    if key(template_sources(folder)) != compiled_templates.KEY:
        return files
    return PrebuiltLoader(compiled_templates.BUILDERS, files)


def _environment(folder: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        **OPTIONS,
    )


def source(folder: Path) -> str:
    """The text of ``compiled_templates.py`` for the templates in ``folder``."""
    sources = template_sources(folder)
    env = _environment(folder)
    imports: set[str] = set()
    functions: list[str] = []
    names: list[tuple[str, str]] = []
    for number, name in enumerate(sorted(sources)):
        code = env.compile(sources[name], name, name, raw=True, defer_init=True)
        first, _, body = code.partition("\n")
        if not first.startswith(_IMPORT_PREFIX) or _spans_lines(body):
            raise RuntimeError(f"unexpected code for {name}: {first[:60]!r}")
        imports.update(part.strip() for part in first[len(_IMPORT_PREFIX) :].split(","))
        function = f"_template_{number}"
        # `environment` is a global of Jinja2's code; here it is the builder's parameter
        lines = [f"def {function}(environment):"]
        lines += [f"    {line}" if line else "" for line in body.strip("\n").split("\n")]
        lines.append(f"    __file__ = {name!r}")
        lines.append("    return locals()")
        functions.append("\n".join(lines))
        names.append((name, function))
    header = (
        '"""The shipped Jinja2 templates, compiled ahead of time.\n\n'
        'Written by ``python -m generator.render.prebuilt``; do not edit.\n"""\n\n'
        "# ruff: noqa\n# mypy: ignore-errors\n# fmt: off\n\n"
        f"KEY = {key(sources)!r}\n\n"
        f"{_IMPORT_PREFIX}{', '.join(sorted(imports))}\n\n\n"
    )
    table = "BUILDERS = {\n" + "".join(f"    {n!r}: {f},\n" for n, f in names) + "}\n"
    return header + "\n\n\n".join(functions) + "\n\n\n" + table


def _spans_lines(code: str) -> bool:
    """True if a string literal spans lines: indenting the code would change its text."""
    # why: only building the module needs the tokenizer
    import io
    import tokenize

    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    return any(tok.type == tokenize.STRING and "\n" in tok.string for tok in tokens)


def main() -> None:
    TARGET.write_text(source(template_dir()), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
