"""Part of stage 1 (load): bundle relative-file ``$ref``s into one self-contained document.

Later stages see only local ``#/...`` references, %-decoded. 3.1 ``$id``/``$anchor``
references resolve within the file that declares them (``bundle_ids``). Schemas referenced in other files are
hoisted under ``components/schemas`` (``definitions`` for Swagger 2.0) with deterministic
unique names, so recursive schemas across files keep working and keep their names; every
other referenced object (path item, parameter, response, example) is inlined.

Files are read only from the root spec's directory tree (its parent directory and
below, so ``../common/x.yaml`` in a split spec works, unless that parent is the
filesystem root or the home folder), never over the network, and only if they are
regular ``.yaml``/``.yml``/``.json`` files. Reference cycles that cannot be expressed by
naming a schema are reported, as is every ``$ref`` that points to nothing, unless the
client cannot depend on it: a discriminator mapping entry (a hint; dropped with a
warning) or a component nothing needed reaches (left out with a warning, ``bundle_unused``).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.errors import INCOMPLETE_MAPPING, Problem, SpecError, json_pointer
from generator.load.bundle_context import (
    DOCUMENT_SUFFIXES,
    Ctx,
    Target,
    child_ctx,
    decode_pointer,
    is_ref_string,
    reference_root,
    resolve_pointer,
)
from generator.load.bundle_ids import IdIndex
from generator.load.bundle_unused import drop_unneeded
from generator.load.comment_ref import CommentRef
from generator.load.parse import parse_bytes, read_limited

MAX_FILES = 5000
_reference_root = reference_root  # the name tests and older callers use


class _Bundler:
    def __init__(self, document: dict[str, Any], root: Path, display: str, swagger: bool) -> None:
        self.root = root.resolve()
        self.base = reference_root(self.root)
        self.display = display
        self.files: dict[Path, Any] = {self.root: document}
        self.document = document
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.names: dict[Target, str] = {}
        self.hoisted: dict[str, Any] = {}
        self.walked: set[int] = set()
        self.inlining: list[Target] = []
        self.local_refs: list[tuple[str, str]] = []
        self.comment_refs: dict[str, dict[str, Any]] = {}
        self.resolved: dict[tuple[Path, str], Path] = {}
        self.ids: dict[Path, IdIndex] = {self.root: IdIndex(document, self.root)}
        self.incomplete_mappings: set[int] = set()
        if swagger:
            self.schema_pointer: tuple[str, ...] = ("definitions",)
        else:
            self.schema_pointer = ("components", "schemas")
        existing = self._schema_container(create=False)
        self.taken: set[str] = set(existing) if isinstance(existing, dict) else set()

    def _schema_container(self, *, create: bool) -> Any:
        node: Any = self.document
        for part in self.schema_pointer:
            if not isinstance(node, dict):
                return None
            if create and not isinstance(node.get(part), dict):
                node[part] = {}
            node = node.get(part)
        return node

    def name_of(self, path: Path) -> str:
        if path == self.root:
            return self.display
        try:
            return path.relative_to(self.root.parent).as_posix()
        except ValueError:
            return "../" + path.relative_to(self.base).as_posix()

    def problem(self, path: Path, pointer: str, message: str) -> None:
        self.problems.append(Problem(self.name_of(path), pointer, message))

    # -- files and targets ----------------------------------------------------------------
    def file_data(self, path: Path, at: Path, pointer: str) -> Any:
        if path in self.files:
            return self.files[path]
        if len(self.files) >= MAX_FILES:
            self.problem(at, pointer, f"more than {MAX_FILES} referenced files; refused")
            return None
        display = self.name_of(path)
        value: Any = None
        warnings: list[Problem] = []
        try:
            data = read_limited(path, display)
        except SpecError as exc:
            # "file does not exist" is a fault of the reference, so report it there.
            self.problems.extend(
                Problem(self.name_of(at), pointer, f"{display}: {p.message}") for p in exc.problems
            )
        else:
            try:
                value, warnings = parse_bytes(data, display)
            except SpecError as exc:
                self.problems.extend(exc.problems)
        self.warnings.extend(warnings)
        self.files[path] = value
        if value is not None:
            # Indexed before the walk rewrites anything, so the $ids are the file's own.
            self.ids[path] = IdIndex(value, path)
        return value

    def id_target(self, ref: str, file: Path, where: str) -> tuple[bool, Target | None]:
        """Resolve ``ref`` against the ``$id``/``$anchor`` names ``file`` declares.

        ``#/...`` stays document-relative even inside an ``$id`` resource: that is what
        OpenAPI authors mean (Swagger's own 3.1 petstore relies on it).
        """
        index = self.ids.get(file)
        if index is None or not index.declares_anything or ref.startswith("#/") or ref == "#":
            return False, None
        pointer, message = index.resolve(ref, where)
        if message is not None:
            self.problem(file, where, message)
            return True, None
        return (True, (file, pointer)) if pointer is not None else (False, None)

    def target(self, ref: str, file: Path, where: str) -> Target | None:
        handled, by_id = self.id_target(ref, file, where)
        if handled:
            return by_id
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", ref) or ref.startswith("//"):
            self.problem(
                file,
                where,
                f"remote or URL $ref {ref!r} is not fetched; "
                "save it next to the spec and use a relative path",
            )
            return None
        path_part, _, fragment = ref.partition("#")
        path_part, fragment = unquote(path_part), unquote(fragment)
        if not path_part:
            if fragment and not fragment.startswith("/"):
                self.problem(file, where, f"$ref {ref!r}: no such $anchor in this file")
                return None
            return file, fragment
        if path_part.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path_part):
            self.problem(file, where, f"$ref {ref!r}: absolute paths are refused")
            return None
        key = (file.parent, path_part)
        resolved = self.resolved.get(key)
        if resolved is None:
            # realpath is the hot spot of split specs with thousands of references.
            resolved = self.resolved[key] = (file.parent / path_part).resolve()
        if not resolved.is_relative_to(self.base):
            self.problem(file, where, f"$ref {ref!r} leaves the spec's directory tree; refused")
            return None
        if resolved.suffix.lower() not in DOCUMENT_SUFFIXES:
            self.problem(file, where, f"$ref {ref!r}: only .yaml, .yml and .json files are read")
            return None
        before = len(self.problems)
        if self.file_data(resolved, file, where) is None:
            at = (self.name_of(file), where)
            if len(self.problems) == before and all(
                (p.file, p.pointer) != at for p in self.problems
            ):
                # Reported at its first reference (which may have been forgiven): every
                # reference to it fails, and each must say so where it is.
                shown = self.name_of(resolved)
                self.problem(file, where, f"{shown}: empty, or could not be read")
            return None
        if fragment and not fragment.startswith("/"):
            index = self.ids.get(resolved)
            found = index.anchors.get((index.document_uri, fragment)) if index else None
            if found is None:
                self.problem(file, where, f"$ref {ref!r}: no such $anchor in {path_part}")
                return None
            return resolved, found
        return resolved, fragment

    def lookup(
        self, target: Target, file: Path, pointer: str, ref: str, suffix: str = "/$ref"
    ) -> tuple[bool, Any]:
        data = self.files.get(target[0])
        if data is None:
            return False, None  # the file itself failed; already reported
        try:
            return True, resolve_pointer(data, target[1])
        except (KeyError, IndexError):
            self.problem(file, pointer + suffix, f"$ref {ref!r} points to nothing")
            return False, None

    # -- the walk ---------------------------------------------------------------------------
    def walk(self, node: Any, file: Path, pointer: str, ctx: Ctx, key: str | None = None) -> Any:
        if ctx is Ctx.DATA or id(node) in self.walked:
            return node
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ctx is not Ctx.MAPPING:
                return self.reference(node, ref, file, pointer, ctx)
            at_root = pointer == ""
            for child_key in list(node):
                name = str(child_key)
                if ctx is Ctx.MAPPING and isinstance(node[child_key], str):
                    mapped = self.mapping_value(node[child_key], file, pointer, name)
                    if mapped is None:
                        del node[child_key]
                        self.incomplete_mappings.add(id(node))
                    else:
                        node[child_key] = mapped
                    continue
                node[child_key] = self.walk(
                    node[child_key],
                    file,
                    pointer + json_pointer(name),
                    child_ctx(ctx, name, key, at_root),
                    name,
                )
            if ctx is Ctx.DISCRIMINATOR and id(node.get("mapping")) in self.incomplete_mappings:
                node[INCOMPLETE_MAPPING] = True
        elif isinstance(node, list):
            item_ctx = Ctx.SCHEMA if ctx in (Ctx.SCHEMA, Ctx.SCHEMA_LIST) else ctx
            for index, item in enumerate(node):
                node[index] = self.walk(item, file, f"{pointer}/{index}", item_ctx, key)
        return node

    def reference(self, node: dict[str, Any], ref: str, file: Path, pointer: str, ctx: Ctx) -> Any:
        if file == self.root and (ref.startswith("#/") or ref == "#"):
            if isinstance(ref, CommentRef):
                self.comment_refs[pointer] = node
            if "%" in ref:
                # Later stages read the pointer as written; `%7B` must already be `{`.
                ref = node["$ref"] = "#" + unquote(ref[1:])
            self.local_refs.append((pointer, ref))
            self.walk_siblings(node, file, pointer, ctx)
            return node
        target = self.target(ref, file, pointer + "/$ref")
        if target is None:
            return node
        if target[0] == self.root:
            local = "#" + target[1]
            self.local_refs.append((pointer, local))
            result = {**node, "$ref": local}
            if file == self.root:
                self.walk_siblings(result, file, pointer, ctx)
            return result
        if ctx is Ctx.SCHEMA:
            name = self.hoist(target, file, pointer, ref)
            result = {**node, "$ref": "#" + json_pointer(*self.schema_pointer, name)}
            self.walk_siblings(result, file, pointer, ctx)
            return result
        if target in self.inlining:
            self.problem(file, pointer + "/$ref", f"$ref {ref!r} is circular")
            return node
        found, content = self.lookup(target, file, pointer, ref)
        if not found:
            return node
        self.inlining.append(target)
        try:
            result = self.walk(copy.deepcopy(content), target[0], target[1], ctx)
        finally:
            self.inlining.pop()
        if isinstance(result, dict):
            # OpenAPI 3.1 lets a reference override the target's summary and description.
            result.update({k: node[k] for k in ("summary", "description") if k in node})
        return result

    def walk_siblings(self, node: dict[str, Any], file: Path, pointer: str, ctx: Ctx) -> None:
        for key in node:
            if key != "$ref":
                node[key] = self.walk(
                    node[key], file, pointer + json_pointer(key), child_ctx(ctx, key, None, False)
                )

    def mapping_value(self, value: str, file: Path, pointer: str, key: str) -> str | None:
        """The mapping value as a local ref, or None (with a warning) when it resolves to
        nothing: a mapping is a hint about tag values, and the ``oneOf`` members it would
        name are still there, so a dangling entry must not sink the whole document."""
        if not is_ref_string(value):
            return value
        if file == self.root and value.startswith("#/"):
            return "#" + unquote(value[1:])
        where = pointer + json_pointer(key)
        before = len(self.problems)
        target = self.target(value, file, where)
        found = target is not None and self.lookup(target, file, where, value, suffix="")[0]
        failed, self.problems[before:] = self.problems[before:], []
        if target is not None and found and not failed:
            if target[0] == self.root:
                return "#" + target[1]
            # Hoisted outside the window above: problems inside the schema stay fatal.
            name = self.hoist(target, file, pointer, value)
            return "#" + json_pointer(*self.schema_pointer, name)
        if not failed:
            failed = [Problem(self.name_of(file), where, f"{value!r} cannot be resolved")]
        self.warnings.extend(
            Problem(p.file, p.pointer, f"{p.message}; mapping entry dropped", severity="warning")
            for p in failed
        )
        return None

    def unique_name(self, target: Target) -> str:
        parts = decode_pointer(target[1])
        raw = parts[-1] if parts else target[0].stem
        base = re.sub(r"[^A-Za-z0-9._-]", "_", raw) or "Schema"
        name, counter = base, 1
        while name in self.taken:
            counter += 1
            name = f"{base}_{counter}"
        self.taken.add(name)
        return name

    def hoist(self, target: Target, file: Path, pointer: str, ref: str) -> str:
        if target in self.names:
            return self.names[target]
        name = self.unique_name(target)
        self.names[target] = name
        self.hoisted[name] = {}
        found, content = self.lookup(target, file, pointer, ref)
        if found:
            self.hoisted[name] = self.place(content, target)
        return name

    def place(self, content: Any, target: Target) -> Any:
        result = self.walk(copy.deepcopy(content), target[0], target[1], Ctx.SCHEMA)
        self.walked.add(id(result))
        return result

    def reserve_component_names(self) -> None:
        """A root schema that is only a file reference takes the target's place and name."""
        container = self._schema_container(create=False)
        if not isinstance(container, dict):
            return
        for name, value in list(container.items()):
            if not (isinstance(value, dict) and set(value) == {"$ref"}):
                continue
            ref = value["$ref"]
            if not isinstance(ref, str) or ref.startswith("#"):
                continue
            pointer = json_pointer(*self.schema_pointer, name)
            target = self.target(ref, self.root, pointer + "/$ref")
            if target is None or target[0] == self.root or target in self.names:
                continue
            self.names[target] = str(name)
            found, content = self.lookup(target, self.root, pointer, ref)
            if found:
                container[name] = self.place(content, target)

    def check_local_refs(self) -> None:
        for pointer, ref in self.local_refs:
            fragment = unquote(ref.partition("#")[2])
            if fragment and not fragment.startswith("/"):
                self.problem(
                    self.root,
                    pointer + "/$ref",
                    f"$ref {ref!r}: only JSON-pointer fragments are supported",
                )
                continue
            try:
                resolve_pointer(self.document, fragment)
            except (KeyError, IndexError):
                message = f"$ref {ref!r} points to nothing"
                if pointer not in self.comment_refs:
                    self.problem(self.root, pointer + "/$ref", message)
                    continue
                # Only a guess read from a comment: YAML itself says no reference here.
                del self.comment_refs[pointer]["$ref"]
                where = pointer + "/$ref"
                message += "; ignored (YAML read it as a comment), so the schema allows anything"
                self.warnings.append(Problem(self.display, where, message, severity="warning"))

    def run(self) -> dict[str, Any]:
        self.reserve_component_names()
        self.walk(self.document, self.root, "", Ctx.OTHER)
        if self.hoisted:
            container = self._schema_container(create=True)
            container.update(self.hoisted)
        self.check_local_refs()
        return self.document


def bundle(
    document: dict[str, Any], root: Path, display: str, *, swagger: bool = False
) -> tuple[dict[str, Any], list[Problem]]:
    """Return ``document`` with every file reference bundled in, plus warnings.

    Raises SpecError listing every unresolvable reference.
    """
    bundler = _Bundler(document, root, display, swagger)
    try:
        result = bundler.run()
    except RecursionError:
        raise SpecError([Problem(display, "", "$ref chains nest too deeply")]) from None
    problems, forgiven = drop_unneeded(result, _dedupe(bundler.problems), display, swagger=swagger)
    if problems:
        raise SpecError(problems)
    return result, bundler.warnings + forgiven


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
