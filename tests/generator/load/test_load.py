"""Stage 1: parsing quirks, safety limits, file-ref bundling and Swagger 2.0 conversion."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from generator.errors import SpecError
from generator.load import parse as load_module
from generator.load.document import load
from generator.load.parse import parse_bytes


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def all_refs(node: Any) -> list[str]:
    """Every reference, skipping example/default values (literal data, never resolved)."""
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [
            r for k, v in node.items() if k not in ("example", "default") for r in all_refs(v)
        ]
    if isinstance(node, list):
        return [r for v in node for r in all_refs(v)]
    return []


def resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


MINIMAL = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n"


# -- parsing ----------------------------------------------------------------------------


def test_yaml_1_1_quirks_keep_the_text_the_author_meant() -> None:
    data, warnings = parse_bytes(
        b"200: ok\n404: missing\nyes: 1\n3.0: v\n"
        b"born: 2020-01-01\nat: 2020-01-01T10:00:00Z\n"
        b"required: [url, on, off, yes, no]\nflag: true\nsign: =\n",
        "x.yaml",
    )
    assert warnings == []
    assert data["200"] == "ok" and data["404"] == "missing"
    assert data["yes"] == 1 and data["3.0"] == "v"
    assert data["born"] == "2020-01-01" and data["at"] == "2020-01-01T10:00:00Z"
    assert data["required"] == ["url", "on", "off", "yes", "no"]
    assert data["flag"] is True and data["sign"] == "="
    assert all(isinstance(k, str) for k in data)


def test_version_fields_keep_their_text() -> None:
    data, _ = parse_bytes(
        b"swagger: 2.0\ninfo: {version: 1.10, title: T}\nx: {minimum: 1.10, max: 3}\n", "x.yaml"
    )
    assert data["swagger"] == "2.0" and data["info"]["version"] == "1.10"
    assert data["x"] == {"minimum": 1.1, "max": 3}


def test_merge_keys_still_merge() -> None:
    data, _ = parse_bytes(b"base: &b {a: 1, b: 2}\nchild: {<<: *b, b: 3}\n", "x.yaml")
    assert data["child"] == {"a": 1, "b": 3}


def test_json_is_chosen_by_content_not_extension(tmp_path: Path) -> None:
    as_yaml = write(
        tmp_path / "spec.yaml",
        json.dumps(
            json.loads(
                json.dumps(
                    {"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {}}
                )
            )
        ),
    )
    as_json = write(tmp_path / "spec.json", MINIMAL)
    assert load(as_yaml).document["info"]["title"] == "T"
    assert load(as_json).document["openapi"] == "3.0.3"


def test_c1_control_character_loads_with_a_warning_naming_the_line() -> None:
    data, warnings = parse_bytes("a: ok\nb: bad\u009fchar\n".encode(), "x.yaml")
    assert data == {"a": "ok", "b": "badchar"}
    assert [(w.pointer, w.severity) for w in warnings] == [("line 2", "warning")]


def test_tab_starting_a_block_scalar_line_loads_with_a_warning() -> None:
    data, warnings = parse_bytes(b"d: |\n  first\n\tsecond\nnext: 1\n", "x.yaml")
    assert data == {"d": "first\nsecond\n", "next": 1}
    assert [w.pointer for w in warnings] == ["line 3"]


def test_tab_indenting_a_mapping_is_an_error_with_its_line() -> None:
    with pytest.raises(SpecError) as info:
        parse_bytes(b"a:\n\tb: 1\n", "x.yaml")
    assert info.value.problems[0].pointer.startswith("line 2")


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    start = time.perf_counter()
    with pytest.raises(SpecError) as info:
        parse_bytes("\n".join(lines).encode(), "bomb.yaml")
    assert time.perf_counter() - start < 1.0
    assert "too many nodes" in info.value.problems[0].message


def test_modest_alias_reuse_is_fine() -> None:
    data, _ = parse_bytes(b"a: &a {k: v}\nb: [*a, *a, *a]\n", "x.yaml")
    assert data["b"] == [{"k": "v"}] * 3


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_is_refused(opening: str, closing: str) -> None:
    depth = load_module.MAX_DEPTH + 5
    with pytest.raises(SpecError) as info:
        parse_bytes((opening * depth + "1" + closing * depth).encode(), "deep.yaml")
    assert "nesting deeper" in info.value.problems[0].message


def test_very_deep_flow_nesting_is_refused_before_parsing() -> None:
    # libyaml alone needs tens of seconds for this 40 KB document.
    text = "a: " + "[" * 20_000 + "]" * 20_000 + "\n"
    start = time.perf_counter()
    with pytest.raises(SpecError) as info:
        parse_bytes(text.encode(), "deep.yaml")
    assert time.perf_counter() - start < 1.0
    assert "nesting deeper" in info.value.problems[0].message


def test_unbalanced_brackets_in_text_do_not_trip_the_prescan() -> None:
    text = "".join(f"d{i}: 'see [{i}' \n" for i in range(load_module.MAX_FLOW_PRESCAN + 10))
    data, _ = parse_bytes(text.encode(), "x.yaml")
    assert len(data) == load_module.MAX_FLOW_PRESCAN + 10


def test_deep_json_is_refused() -> None:
    depth = load_module.MAX_DEPTH + 5
    with pytest.raises(SpecError):
        parse_bytes(("[" * depth + "]" * depth).encode(), "deep.json")


def test_oversized_file_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", 100)
    spec = write(tmp_path / "big.yaml", MINIMAL + "x-pad: '" + "p" * 200 + "'\n")
    with pytest.raises(SpecError) as info:
        load(spec)
    assert "limit" in info.value.problems[0].message


def test_loaded_document_names_the_file_only_and_hashes_its_bytes(tmp_path: Path) -> None:
    spec = write(tmp_path / "deep" / "dir" / "api.yaml", MINIMAL)
    loaded = load(spec)
    assert loaded.source_name == "api.yaml"
    assert loaded.sha256 == hashlib.sha256(spec.read_bytes()).hexdigest()
    assert loaded.version == "3.0"


def test_openapi_3_2_is_treated_as_3_1_with_a_warning(tmp_path: Path) -> None:
    loaded = load(write(tmp_path / "s.yaml", MINIMAL.replace("3.0.3", "3.2.0")))
    assert loaded.version == "3.1"
    assert [w.pointer for w in loaded.warnings] == ["/openapi"]


def test_unknown_version_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load(write(tmp_path / "s.yaml", MINIMAL.replace("3.0.3", "4.0.0")))
    assert info.value.problems[0].pointer == "/openapi"


# -- bundling ---------------------------------------------------------------------------


ROOT_WITH_FILE_REFS = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /pets:
    $ref: paths/pets.yaml
components:
  schemas:
    Pet: {$ref: 'schemas/pet.yaml'}
    Error: {type: object}
"""


def test_relative_file_refs_are_bundled_into_local_refs(tmp_path: Path) -> None:
    write(
        tmp_path / "paths" / "pets.yaml",
        """\
get:
  parameters:
    - $ref: '../common/params.yaml#/limit'
  responses:
    '200':
      description: ok
      content:
        application/json:
          schema: {$ref: '../schemas/pet.yaml'}
    default:
      description: error
      content:
        application/json:
          schema: {$ref: '../schemas/other.yaml#/components/schemas/Error'}
""",
    )
    write(
        tmp_path / "schemas" / "pet.yaml",
        """\
type: object
properties:
  owner: {$ref: 'owner.yaml#/Owner'}
  friends: {type: array, items: {$ref: 'pet.yaml'}}
""",
    )
    write(
        tmp_path / "schemas" / "owner.yaml",
        "Owner: {type: object, properties: {n: {type: string}}}\n",
    )
    write(
        tmp_path / "schemas" / "other.yaml",
        """\
components:
  schemas:
    Error: {type: object, properties: {detail: {$ref: '#/components/schemas/Detail'}}}
    Detail: {type: string}
""",
    )
    write(
        tmp_path / "common" / "params.yaml",
        "limit: {name: limit, in: query, schema: {type: integer}}\n",
    )
    root = write(tmp_path / "api.yaml", ROOT_WITH_FILE_REFS)

    document = load(root).document

    refs = all_refs(document)
    assert refs and all(ref.startswith("#/") for ref in refs)
    for ref in refs:
        resolve(document, ref)  # every rewritten reference lands somewhere
    schemas = document["components"]["schemas"]
    # The root's own name wins for a schema that is only a file reference.
    assert schemas["Pet"]["properties"]["friends"]["items"] == {"$ref": "#/components/schemas/Pet"}
    assert schemas["Pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/Owner"}
    # A clash with an existing root name gets a deterministic suffix.
    assert schemas["Error"] == {"type": "object"}
    error_ref = document["paths"]["/pets"]["get"]["responses"]["default"]["content"][
        "application/json"
    ]["schema"]["$ref"]
    assert error_ref == "#/components/schemas/Error_2"
    assert schemas["Error_2"]["properties"]["detail"] == {"$ref": "#/components/schemas/Detail"}
    # Non-schema objects are inlined.
    assert document["paths"]["/pets"]["get"]["parameters"][0]["name"] == "limit"


def test_bundling_is_deterministic(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "A: {type: object, properties: {b: {$ref: 'b.yaml#/B'}}}\n")
    write(tmp_path / "b.yaml", "B: {type: object, properties: {a: {$ref: 'a.yaml#/A'}}}\n")
    root = write(
        tmp_path / "api.yaml", MINIMAL + "components:\n  schemas:\n    X: {$ref: 'a.yaml#/A'}\n"
    )
    first = json.dumps(load(root).document)
    assert first == json.dumps(load(root).document)
    assert json.loads(first)["components"]["schemas"]["B"]["properties"]["a"] == {
        "$ref": "#/components/schemas/X"
    }


def bundle_problem(tmp_path: Path, root_text: str) -> tuple[str, str, str]:
    with pytest.raises(SpecError) as info:
        load(write(tmp_path / "spec" / "api.yaml", root_text))
    problem = info.value.problems[0]
    return problem.file, problem.pointer, problem.message


SCHEMA_REF = MINIMAL + "components:\n  schemas:\n    A: {$ref: 'REF'}\n    B: {type: string}\n"


@pytest.mark.parametrize(
    "ref, expected",
    [
        ("https://example.com/api.yaml#/X", "not fetched"),
        ("http://169.254.169.254/latest", "not fetched"),
        ("/etc/passwd", "absolute"),
        ("../../outside.yaml", "leaves the spec's directory tree"),
        ("missing.yaml", "does not exist"),
        ("#/components/schemas/Nope", "points to nothing"),
        ("#anchor", "no such $anchor"),
        ("/components/schemas/B", "absolute"),  # not an $id anyone declared
    ],
)
def test_bad_refs_are_problems_at_the_ref(tmp_path: Path, ref: str, expected: str) -> None:
    write(tmp_path / "outside.yaml", "type: string\n")
    file, pointer, message = bundle_problem(tmp_path, SCHEMA_REF.replace("REF", ref))
    assert (file, pointer) == ("api.yaml", "/components/schemas/A/$ref")
    assert expected in message


def test_only_document_files_are_read(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "notes.txt").write_text("type: string\n")
    _, _, message = bundle_problem(tmp_path, SCHEMA_REF.replace("REF", "notes.txt"))
    assert "only .yaml, .yml and .json" in message


def test_references_stay_below_the_spec_folder_near_the_top_or_home() -> None:
    from generator.load.bundle import _reference_root

    assert _reference_root(Path("/work/repo/specs/api.yaml")) == Path("/work/repo")
    assert _reference_root(Path("/tmp/api.yaml")) == Path("/tmp")
    home = Path.home().resolve()
    assert _reference_root(home / "api.yaml") == home
    assert _reference_root(home / "proj" / "api.yaml") == home / "proj"
    assert _reference_root(home / "proj" / "specs" / "api.yaml") == home / "proj"


def test_symlink_leaving_the_tree_is_refused(tmp_path: Path) -> None:
    secret = write(tmp_path / "elsewhere" / "secret.yaml", "type: string\n")
    spec_dir = tmp_path / "tree" / "spec"
    spec_dir.mkdir(parents=True)
    os.symlink(secret, spec_dir / "link.yaml")
    with pytest.raises(SpecError) as info:
        load(write(spec_dir / "api.yaml", SCHEMA_REF.replace("REF", "link.yaml")))
    assert "leaves the spec's directory tree" in info.value.problems[0].message


def test_a_directory_is_not_a_ref_target(tmp_path: Path) -> None:
    (tmp_path / "spec" / "dir.yaml").mkdir(parents=True)
    _, _, message = bundle_problem(tmp_path, SCHEMA_REF.replace("REF", "dir.yaml"))
    assert "not a regular file" in message


def test_dangling_fragment_in_another_file_names_the_ref(tmp_path: Path) -> None:
    write(tmp_path / "spec" / "schemas.yaml", "B: {type: string}\n")
    file, pointer, message = bundle_problem(
        tmp_path, SCHEMA_REF.replace("REF", "schemas.yaml#/Nope")
    )
    assert (file, pointer) == ("api.yaml", "/components/schemas/A/$ref")
    assert "points to nothing" in message


def test_cycle_between_files_of_non_schema_objects_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "spec" / "a.yaml", "$ref: b.yaml\n")
    write(tmp_path / "spec" / "b.yaml", "$ref: a.yaml\n")
    root = MINIMAL.replace("paths: {}", "paths:\n  /x: {$ref: a.yaml}")
    _, _, message = bundle_problem(tmp_path, root)
    assert "circular" in message


def test_syntax_error_in_a_referenced_file_names_that_file_and_line(tmp_path: Path) -> None:
    write(tmp_path / "spec" / "bad.yaml", "a: [1, 2\nb: 3\n")
    file, pointer, _ = bundle_problem(tmp_path, SCHEMA_REF.replace("REF", "bad.yaml"))
    assert file == "bad.yaml" and pointer.startswith("line ")


def test_discriminator_mapping_to_files_is_rewritten(tmp_path: Path) -> None:
    write(tmp_path / "spec" / "cat.yaml", "type: object\nproperties: {kind: {type: string}}\n")
    root = MINIMAL + """\
components:
  schemas:
    Pet:
      oneOf: [{$ref: 'cat.yaml'}]
      discriminator: {propertyName: kind, mapping: {cat: 'cat.yaml', local: '#/components/schemas/Pet'}}
"""
    document = load(write(tmp_path / "spec" / "api.yaml", root)).document
    mapping = document["components"]["schemas"]["Pet"]["discriminator"]["mapping"]
    assert mapping == {"cat": "#/components/schemas/cat", "local": "#/components/schemas/Pet"}
    assert document["components"]["schemas"]["cat"]["type"] == "object"


def test_examples_and_defaults_are_data_not_refs(tmp_path: Path) -> None:
    root = MINIMAL + """\
components:
  schemas:
    A:
      type: object
      example: {$ref: 'not-a-file.yaml'}
      default: {$ref: 'not-a-file.yaml'}
"""
    document = load(write(tmp_path / "api.yaml", root)).document
    assert document["components"]["schemas"]["A"]["example"] == {"$ref": "not-a-file.yaml"}


def test_digitalocean_split_spec_bundles_completely(corpus: Path) -> None:
    loaded = load(corpus / "digitalocean-multifile/specification/DigitalOcean-public.v2.yaml")
    refs = all_refs(loaded.document)
    assert refs and all(ref.startswith("#/") for ref in refs)
    for ref in set(refs):
        resolve(loaded.document, ref)
    assert len(loaded.document["paths"]) > 400


# -- Swagger 2.0 ------------------------------------------------------------------------


SWAGGER = """\
swagger: '2.0'
info: {title: Old, version: '1.0'}
host: api.example.com
basePath: /v1
schemes: [https, http]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  key: {type: apiKey, name: X-Key, in: header}
  oauth: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {read: r}}
parameters:
  limit: {name: limit, in: query, type: integer}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - $ref: '#/parameters/limit'
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
      responses:
        200:
          description: ok
          schema: {type: array, items: {$ref: '#/definitions/Pet'}}
          headers: {X-Rate: {type: integer}}
    post:
      operationId: addPet
      parameters:
        - {name: body, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
      responses: {201: {description: created}}
  /pets/{id}/photo:
    post:
      operationId: upload
      consumes: [multipart/form-data]
      parameters:
        - {name: id, in: path, required: true, type: string}
        - {name: file, in: formData, required: true, type: file}
        - {name: note, in: formData, type: string}
      responses: {200: {description: ok}}
definitions:
  Pet:
    type: object
    discriminator: kind
    required: [kind]
    properties:
      kind: {type: string}
      nick: {type: string, x-nullable: true}
"""


def test_swagger_2_is_converted_to_openapi_3(tmp_path: Path) -> None:
    from generator.validate.validation import validate

    loaded = load(write(tmp_path / "old.yaml", SWAGGER))
    doc = loaded.document
    assert loaded.version == "3.0" and doc["openapi"].startswith("3.0")
    assert doc["servers"] == [
        {"url": "https://api.example.com/v1"},
        {"url": "http://api.example.com/v1"},
    ]
    get = doc["paths"]["/pets"]["get"]
    assert get["parameters"][0] == {"$ref": "#/components/parameters/limit"}
    assert get["parameters"][1]["style"] == "form" and get["parameters"][1]["explode"] is True
    ok = get["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["items"] == {
        "$ref": "#/components/schemas/Pet"
    }
    assert ok["headers"]["X-Rate"]["schema"] == {"type": "integer"}
    body = doc["paths"]["/pets"]["post"]["requestBody"]
    assert body["required"] is True
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Pet"}
    upload = doc["paths"]["/pets/{id}/photo"]["post"]["requestBody"]["content"][
        "multipart/form-data"
    ]
    assert upload["schema"]["properties"]["file"] == {"type": "string", "format": "binary"}
    assert upload["schema"]["required"] == ["file"]
    pet = doc["components"]["schemas"]["Pet"]
    assert pet["discriminator"] == {"propertyName": "kind"}
    assert pet["properties"]["nick"]["nullable"] is True
    schemes = doc["components"]["securitySchemes"]
    assert schemes["key"] == {"type": "apiKey", "name": "X-Key", "in": "header"}
    assert set(schemes["oauth"]["flows"]) == {"authorizationCode"}
    problems = validate(doc, source_name="old.yaml", version="3.0", use_cache=False)
    assert [p for p in problems if p.severity == "error"] == []
    assert any("Swagger 2.0" in w.message for w in loaded.warnings)


def test_split_swagger_2_spec_from_the_corpus_converts(corpus: Path) -> None:
    loaded = load(corpus / "oai-learn-examples/v2.0/petstore-separate/spec/swagger.yaml")
    assert all(ref.startswith("#/components/") for ref in all_refs(loaded.document))
    assert "Error" in loaded.document["components"]["schemas"]
