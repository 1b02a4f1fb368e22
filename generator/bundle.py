"""Part of stage 1 (load): bundle relative-file ``$ref``s into one self-contained document.

Later stages see only local ``#/...`` references. Schemas referenced in other files are
hoisted under ``components/schemas`` (``definitions`` for Swagger 2.0) with deterministic
unique names, so recursive schemas across files keep working and keep their names; every
other referenced object (path item, parameter, response, example) is inlined.

Files are read only from the root spec's directory tree (its parent directory and
below, so ``../common/x.yaml`` in a split spec works, unless that parent is the
filesystem root or the home folder), never over the network, and only if they are
regular ``.yaml``/``.yml``/``.json`` files. Reference cycles that cannot be expressed by naming a schema
are reported, as is every ``$ref`` that points to nothing.
"""

from __future__ import annotations

import copy
import enum
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.errors import Problem, SpecError, json_pointer
from generator.load import parse_bytes, read_limited

MAX_FILES = 5000


class _Ctx(enum.Enum):
    OTHER = "other"
    SCHEMA = "schema"
    SCHEMA_MAP = "schema map"
    SCHEMA_LIST = "schema list"
    DISCRIMINATOR = "discriminator"
    MAPPING = "mapping"
    DATA = "data"


_SCHEMA_CHILD = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "additionalItems",
        "contentSchema",
    }
)
_SCHEMA_MAP_CHILD = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
_SCHEMA_LIST_CHILD = frozenset({"allOf", "oneOf", "anyOf", "prefixItems"})
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
# Not "default": outside a schema that is mostly the `default` response.
_OTHER_DATA_KEYS = frozenset({"example", "enum", "value"})
_Target = tuple[Path, str]


def _child_ctx(ctx: _Ctx, key: str, parent_key: str | None, at_root: bool) -> _Ctx:
    if ctx is _Ctx.SCHEMA_MAP or ctx is _Ctx.SCHEMA_LIST:
        return _Ctx.SCHEMA
    if ctx is _Ctx.SCHEMA:
        if key in _SCHEMA_CHILD:
            return _Ctx.SCHEMA
        if key in _SCHEMA_MAP_CHILD:
            return _Ctx.SCHEMA_MAP
        if key in _SCHEMA_LIST_CHILD:
            return _Ctx.SCHEMA_LIST
        if key == "discriminator":
            return _Ctx.DISCRIMINATOR
        return _Ctx.DATA if key in _DATA_KEYS else _Ctx.OTHER
    if ctx is _Ctx.DISCRIMINATOR:
        return _Ctx.MAPPING if key == "mapping" else _Ctx.DATA
    if key == "schema":
        return _Ctx.SCHEMA
    if (key == "schemas" and parent_key == "components") or (key == "definitions" and at_root):
        return _Ctx.SCHEMA_MAP
    return _Ctx.DATA if key in _OTHER_DATA_KEYS else _Ctx.OTHER


def _is_ref_string(value: str) -> bool:
    return "#" in value or "/" in value or value.endswith((".yaml", ".yml", ".json"))


def _decode_pointer(fragment: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in fragment.split("/")[1:]]


def _resolve_pointer(document: Any, fragment: str) -> Any:
    node = document
    for part in _decode_pointer(fragment):
        if isinstance(node, dict):
            node = node[part]
        elif isinstance(node, list) and part.isdigit():
            node = node[int(part)]
        else:
            raise KeyError(part)
    return node


_DOCUMENT_SUFFIXES = frozenset({".yaml", ".yml", ".json"})


def _reference_root(root: Path) -> Path:
    """The folder references may read from: the spec's parent folder, so ``../common``
    works in split specs, but never the filesystem root or the home folder as a whole
    (a spec dropped in /tmp or ~ must not reach every file on the machine)."""
    spec_dir = root.parent
    parent = spec_dir.parent
    try:
        home = Path.home().resolve()
    except (RuntimeError, OSError):
        home = None
    if parent == Path(parent.anchor) or (home is not None and home.is_relative_to(parent)):
        return spec_dir
    return parent


class _Bundler:
    def __init__(self, document: dict[str, Any], root: Path, display: str, swagger: bool) -> None:
        self.root = root.resolve()
        self.base = _reference_root(self.root)
        self.display = display
        self.files: dict[Path, Any] = {self.root: document}
        self.document = document
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.names: dict[_Target, str] = {}
        self.hoisted: dict[str, Any] = {}
        self.walked: set[int] = set()
        self.inlining: list[_Target] = []
        self.local_refs: list[tuple[str, str]] = []
        self.resolved: dict[tuple[Path, str], Path] = {}
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
        return value

    def target(self, ref: str, file: Path, where: str) -> _Target | None:
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
        if fragment and not fragment.startswith("/"):
            self.problem(file, where, f"$ref {ref!r}: only JSON-pointer fragments are supported")
            return None
        if not path_part:
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
        if resolved.suffix.lower() not in _DOCUMENT_SUFFIXES:
            self.problem(file, where, f"$ref {ref!r}: only .yaml, .yml and .json files are read")
            return None
        if self.file_data(resolved, file, where) is None and resolved not in self.files:
            return None
        return resolved, fragment

    def lookup(self, target: _Target, file: Path, pointer: str, ref: str) -> tuple[bool, Any]:
        data = self.files.get(target[0])
        if data is None:
            return False, None  # the file itself failed; already reported
        try:
            return True, _resolve_pointer(data, target[1])
        except (KeyError, IndexError):
            self.problem(file, pointer + "/$ref", f"$ref {ref!r} points to nothing")
            return False, None

    # -- the walk ---------------------------------------------------------------------------
    def walk(self, node: Any, file: Path, pointer: str, ctx: _Ctx, key: str | None = None) -> Any:
        if ctx is _Ctx.DATA or id(node) in self.walked:
            return node
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ctx is not _Ctx.MAPPING:
                return self.reference(node, ref, file, pointer, ctx)
            at_root = pointer == ""
            for child_key in list(node):
                name = str(child_key)
                if ctx is _Ctx.MAPPING and isinstance(node[child_key], str):
                    node[child_key] = self.mapping_value(node[child_key], file, pointer, name)
                    continue
                node[child_key] = self.walk(
                    node[child_key],
                    file,
                    pointer + json_pointer(name),
                    _child_ctx(ctx, name, key, at_root),
                    name,
                )
        elif isinstance(node, list):
            item_ctx = _Ctx.SCHEMA if ctx in (_Ctx.SCHEMA, _Ctx.SCHEMA_LIST) else ctx
            for index, item in enumerate(node):
                node[index] = self.walk(item, file, f"{pointer}/{index}", item_ctx, key)
        return node

    def reference(self, node: dict[str, Any], ref: str, file: Path, pointer: str, ctx: _Ctx) -> Any:
        if file == self.root and ref.startswith("#"):
            self.local_refs.append((pointer, ref))
            self.walk_siblings(node, file, pointer, ctx)
            return node
        target = self.target(ref, file, pointer + "/$ref")
        if target is None:
            return node
        if target[0] == self.root:
            self.local_refs.append((pointer, ref))
            return {**node, "$ref": "#" + target[1]}
        if ctx is _Ctx.SCHEMA:
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

    def walk_siblings(self, node: dict[str, Any], file: Path, pointer: str, ctx: _Ctx) -> None:
        for key in node:
            if key != "$ref":
                node[key] = self.walk(
                    node[key], file, pointer + json_pointer(key), _child_ctx(ctx, key, None, False)
                )

    def mapping_value(self, value: str, file: Path, pointer: str, key: str) -> str:
        if not _is_ref_string(value) or (file == self.root and value.startswith("#")):
            return value
        target = self.target(value, file, pointer + json_pointer(key))
        if target is None:
            return value
        if target[0] == self.root:
            return "#" + target[1]
        return "#" + json_pointer(*self.schema_pointer, self.hoist(target, file, pointer, value))

    def unique_name(self, target: _Target) -> str:
        parts = _decode_pointer(target[1])
        raw = parts[-1] if parts else target[0].stem
        base = re.sub(r"[^A-Za-z0-9._-]", "_", raw) or "Schema"
        name, counter = base, 1
        while name in self.taken:
            counter += 1
            name = f"{base}_{counter}"
        self.taken.add(name)
        return name

    def hoist(self, target: _Target, file: Path, pointer: str, ref: str) -> str:
        if target in self.names:
            return self.names[target]
        name = self.unique_name(target)
        self.names[target] = name
        self.hoisted[name] = {}
        found, content = self.lookup(target, file, pointer, ref)
        if found:
            self.hoisted[name] = self.place(content, target)
        return name

    def place(self, content: Any, target: _Target) -> Any:
        result = self.walk(copy.deepcopy(content), target[0], target[1], _Ctx.SCHEMA)
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
                _resolve_pointer(self.document, fragment)
            except (KeyError, IndexError):
                self.problem(self.root, pointer + "/$ref", f"$ref {ref!r} points to nothing")

    def run(self) -> dict[str, Any]:
        self.reserve_component_names()
        self.walk(self.document, self.root, "", _Ctx.OTHER)
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
    if bundler.problems:
        raise SpecError(_dedupe(bundler.problems))
    return result, bundler.warnings


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
