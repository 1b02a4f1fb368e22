"""Stage 1: references the world writes: 3.1 ``$id``/``$anchor``, broken refs nothing
needs, dangling discriminator mappings, percent-encoded pointers, commented-out refs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.errors import INCOMPLETE_MAPPING, Problem, SpecError
from generator.ir.build import build_service
from generator.load.document import load
from generator.validate.validation import validate

HEAD_31 = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n"
HEAD_30 = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str) -> tuple[dict[str, Any], list[Problem]]:
    loaded = load(write(tmp_path / "spec" / "api.yaml", text))
    return loaded.document, loaded.warnings


def problems_of(tmp_path: Path, text: str) -> list[Problem]:
    with pytest.raises(SpecError) as info:
        load(write(tmp_path / "spec" / "api.yaml", text))
    return info.value.problems


def prop_ref(document: dict[str, Any], schema: str, prop: str) -> Any:
    return document["components"]["schemas"][schema]["properties"][prop]["$ref"]


# -- $id / $anchor -------------------------------------------------------------------------

ID_DOC = HEAD_31 + """paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        details: {$ref: /components/schemas/petdetails}
        detailsId: {$ref: '/components/schemas/petdetails#pet_details_id'}
        byPointer: {$ref: '/components/schemas/petdetails#/properties/tag'}
        absolute: {$ref: 'https://example.com/schemas/tag'}
    PetDetails:
      $id: /components/schemas/petdetails
      type: object
      properties:
        id: {type: integer, $anchor: pet_details_id}
        tag: {type: string}
        local: {$ref: '#/components/schemas/Pet'}
    Tag:
      $id: https://example.com/schemas/tag
      type: string
"""


def test_id_and_anchor_refs_become_local_pointers(tmp_path: Path) -> None:
    document, _ = load_text(tmp_path, ID_DOC)
    assert prop_ref(document, "Pet", "details") == "#/components/schemas/PetDetails"
    assert prop_ref(document, "Pet", "detailsId") == (
        "#/components/schemas/PetDetails/properties/id"
    )
    assert prop_ref(document, "Pet", "byPointer") == (
        "#/components/schemas/PetDetails/properties/tag"
    )
    assert prop_ref(document, "Pet", "absolute") == "#/components/schemas/Tag"


def test_a_relative_ref_resolves_against_the_enclosing_id(tmp_path: Path) -> None:
    # `tag` inside PetDetails (/components/schemas/petdetails) is /components/schemas/tag.
    text = ID_DOC.replace("https://example.com/schemas/tag", "/components/schemas/tag")
    text = text.replace("tag: {type: string}", "tag: {$ref: tag}")
    document, _ = load_text(tmp_path, text)
    assert prop_ref(document, "PetDetails", "tag") == "#/components/schemas/Tag"


def test_hash_slash_refs_stay_document_relative_inside_an_id(tmp_path: Path) -> None:
    document, _ = load_text(tmp_path, ID_DOC)
    assert prop_ref(document, "PetDetails", "local") == "#/components/schemas/Pet"


def test_generated_type_follows_the_anchor(tmp_path: Path) -> None:
    document, _ = load_text(tmp_path, ID_DOC)
    service, _ = build_service(document, source_name="api.yaml")
    pet = next(m for m in service.models if m.name == "Pet")
    types = {f.wire_name: f.type for f in pet.fields}  # type: ignore[union-attr]
    assert types["detailsId"].name == "int"
    assert types["details"].name == "PetDetails"


@pytest.mark.parametrize(
    "ref, expected",
    [
        ("/components/schemas/petdetails#nope", "no $anchor 'nope' in '/components/schemas/pet"),
        ("#nope", "no $anchor 'nope' in this file"),
        ("/components/schemas/undeclared", "absolute paths are refused"),
    ],
)
def test_wrong_id_refs_are_problems_at_the_ref(tmp_path: Path, ref: str, expected: str) -> None:
    text = ID_DOC.replace("/components/schemas/petdetails}", f"'{ref}'}}", 1)
    problems = problems_of(tmp_path, text)
    assert [(p.file, p.pointer) for p in problems] == [
        ("api.yaml", "/components/schemas/Pet/properties/details/$ref")
    ]
    assert expected in problems[0].message


def test_a_duplicated_id_is_ambiguous(tmp_path: Path) -> None:
    text = ID_DOC.replace(
        "$id: https://example.com/schemas/tag", "$id: /components/schemas/petdetails"
    )
    problems = problems_of(tmp_path, text)
    assert any("declared more than once" in p.message for p in problems)


def test_anchor_in_another_file(tmp_path: Path) -> None:
    write(tmp_path / "spec" / "common.yaml", "Id: {type: integer, $anchor: the_id}\n")
    text = HEAD_31 + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'common.yaml#the_id'}\n"
    document, _ = load_text(tmp_path, text)
    assert document["components"]["schemas"]["A"] == {"type": "integer", "$anchor": "the_id"}


# -- broken references nothing needs -------------------------------------------------------

REMOTE = "https://example.com/api/openapi.json#/components/securitySchemes/x"
SCHEMES = f"""components:
  securitySchemes:
    basic: {{type: http, scheme: basic}}
    external: {{$ref: '{REMOTE}'}}
"""


def test_remote_ref_in_an_unused_security_scheme_is_a_warning(tmp_path: Path) -> None:
    document, warnings = load_text(tmp_path, HEAD_31 + "security: [{basic: []}]\n" + SCHEMES)
    assert set(document["components"]["securitySchemes"]) == {"basic"}
    (warning,) = [w for w in warnings if "not fetched" in w.message]
    assert warning.pointer == "/components/securitySchemes/external/$ref"
    assert "used by nothing the client needs" in warning.message


def test_remote_ref_in_a_security_scheme_an_operation_names_is_fatal(tmp_path: Path) -> None:
    paths = "paths:\n  /a:\n    get:\n      security: [{external: []}]\n"
    paths += "      responses: {'200': {description: ok}}\n"
    problems = problems_of(tmp_path, HEAD_31 + paths + SCHEMES)
    assert [p.pointer for p in problems] == ["/components/securitySchemes/external/$ref"]
    assert "not fetched" in problems[0].message


PARAMS = HEAD_30 + """paths:
  /a:
    get:
      parameters: [{$ref: '#/components/parameters/Used'}]
      responses: {'200': {description: ok}}
components:
  parameters:
    Used: {$ref: 'missing.yaml#/Q'}
    Unused: {$ref: 'gone.yaml#/Q'}
"""


def test_missing_file_matters_only_where_an_operation_reaches_it(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, PARAMS)
    assert [(p.pointer, p.message) for p in problems] == [
        ("/components/parameters/Used/$ref", "missing.yaml: file does not exist")
    ]
    inline = "{name: q, in: query, schema: {type: string}}"
    document, warnings = load_text(tmp_path, PARAMS.replace("{$ref: 'missing.yaml#/Q'}", inline))
    assert list(document["components"]["parameters"]) == ["Used"]
    assert any("gone.yaml: file does not exist" in w.message for w in warnings)


def test_a_component_schema_is_always_needed(tmp_path: Path) -> None:
    text = HEAD_30 + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'https://x.test/a'}\n"
    assert "not fetched" in problems_of(tmp_path, text)[0].message


# -- discriminator mappings ----------------------------------------------------------------

MAPPED = HEAD_30 + """paths: {}
components:
  schemas:
    Shape:
      oneOf: [{$ref: '#/components/schemas/Circle'}, {$ref: '#/components/schemas/Square'}]
      discriminator:
        propertyName: kind
        mapping: {round: '#/components/schemas/Circle', boxy: 'models/square.yml#/Square'}
    Circle:
      type: object
      required: [kind]
      properties: {kind: {type: string}, r: {type: number}}
    Square:
      type: object
      required: [kind]
      properties: {kind: {type: string}, side: {type: number}}
"""


def test_a_mapping_entry_to_a_missing_file_is_dropped_with_a_warning(tmp_path: Path) -> None:
    document, warnings = load_text(tmp_path, MAPPED)
    discriminator = document["components"]["schemas"]["Shape"]["discriminator"]
    assert discriminator["mapping"] == {"round": "#/components/schemas/Circle"}
    assert discriminator[INCOMPLETE_MAPPING] is True
    (warning,) = [w for w in warnings if "mapping entry dropped" in w.message]
    assert warning.pointer == "/components/schemas/Shape/discriminator/mapping/boxy"
    assert "models/square.yml: file does not exist" in warning.message


def test_an_incomplete_mapping_does_not_guess_tags_from_schema_names(tmp_path: Path) -> None:
    document, _ = load_text(tmp_path, MAPPED)
    service, _ = build_service(document, source_name="api.yaml")
    square = next(m for m in service.models if m.name == "Square")
    kind = next(f for f in square.fields if f.wire_name == "kind")  # type: ignore[union-attr]
    # "Square" would be a guess; the server may send "boxy".
    assert kind.type.kind == "builtin" and kind.type.name == "str"


def test_a_complete_mapping_still_narrows(tmp_path: Path) -> None:
    text = MAPPED.replace("'models/square.yml#/Square'", "'#/components/schemas/Square'")
    document, warnings = load_text(tmp_path, text)
    assert not [w for w in warnings if "mapping" in w.message]
    service, _ = build_service(document, source_name="api.yaml")
    square = next(m for m in service.models if m.name == "Square")
    kind = next(f for f in square.fields if f.wire_name == "kind")  # type: ignore[union-attr]
    assert kind.type.kind == "literal" and kind.type.values == ("boxy",)


# -- pointers as written in the wild -------------------------------------------------------

ENCODED = HEAD_30 + """paths:
  /a/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses: {'200': {description: ok}}
  /b/{id}:
    get:
      parameters: [{$ref: '#/paths/~1a~1%7Bid%7D/get/parameters/0'}]
      responses: {'200': {description: ok}}
"""


def test_percent_encoded_pointers_are_decoded_for_later_stages(tmp_path: Path) -> None:
    document, _ = load_text(tmp_path, ENCODED)
    ref = document["paths"]["/b/{id}"]["get"]["parameters"][0]["$ref"]
    assert ref == "#/paths/~1a~1{id}/get/parameters/0"
    service, problems = build_service(document, source_name="api.yaml")
    (op,) = [o for o in service.operations if o.path == "/b/{id}"]
    assert [p.wire_name for p in op.parameters] == ["id"]
    assert not [p for p in problems if "points to nothing" in p.message]


COMMENTED = HEAD_31 + """paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        b:
          $ref: #/components/schemas/B
        c:
          $ref: #/components/schemas/Nope
    B: {type: string}
"""


def test_an_unquoted_ref_read_as_a_comment_is_recovered_with_its_line(tmp_path: Path) -> None:
    document, warnings = load_text(tmp_path, COMMENTED)
    properties = document["components"]["schemas"]["A"]["properties"]
    assert properties["b"] == {"$ref": "#/components/schemas/B"}
    assert {"line 10", "line 12"} <= {w.pointer for w in warnings}
    # The second guess points to nothing: YAML's reading (no reference) wins, with a warning.
    assert properties["c"] == {}
    assert any(w.pointer == "/components/schemas/A/properties/c/$ref" for w in warnings)


def test_a_comment_alone_is_not_a_ref(tmp_path: Path) -> None:
    text = COMMENTED.replace("$ref: #/components/schemas/Nope", "$ref:  # TODO later")
    with pytest.raises(SpecError):
        validate_or_raise(load_text(tmp_path, text)[0])


def validate_or_raise(document: dict[str, Any]) -> None:
    errors = [
        p
        for p in validate(document, source_name="api.yaml", version="3.1", use_cache=False)
        if p.severity == "error"
    ]
    if errors:
        raise SpecError(errors)


def test_a_malformed_vocabulary_is_only_a_warning() -> None:
    document = json.loads(
        '{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {},'
        ' "components": {"schemas": {"A": {"type": "object", "$vocabulary": "x"}}}}'
    )
    problems = validate(document, source_name="api.yaml", version="3.1", use_cache=False)
    assert [(p.pointer, p.severity) for p in problems] == [
        ("/components/schemas/A/$vocabulary", "warning")
    ]


def test_a_forgiven_mapping_does_not_hide_a_real_ref_to_the_same_missing_file(
    tmp_path: Path,
) -> None:
    text = MAPPED.replace(
        "    Circle:\n", "    Other: {$ref: 'models/square.yml#/Square'}\n    Circle:\n"
    )
    problems = problems_of(tmp_path, text)
    assert [p.pointer for p in problems] == ["/components/schemas/Other/$ref"]
    assert "models/square.yml" in problems[0].message


def test_a_draft_07_fragment_id_is_an_anchor_not_a_second_document(tmp_path: Path) -> None:
    text = HEAD_31 + (
        "paths: {}\ncomponents:\n  schemas:\n    A: {$id: '#a', type: string}\n"
        "    B: {$ref: '#a'}\n    C: {$ref: '#/components/schemas/A'}\n"
    )
    document, _ = load_text(tmp_path, text)
    schemas = document["components"]["schemas"]
    assert schemas["B"] == {"$ref": "#/components/schemas/A"}
    assert schemas["C"] == {"$ref": "#/components/schemas/A"}


def test_swagger_2_unused_parameter_with_a_remote_ref_is_left_out(tmp_path: Path) -> None:
    text = """swagger: '2.0'
info: {title: T, version: '1'}
paths:
  /a:
    get:
      parameters: [{$ref: '#/parameters/Used'}]
      responses: {'200': {description: ok}}
parameters:
  Used: {name: q, in: query, type: string}
  Unused: {$ref: 'https://example.com/p.json#/q'}
"""
    document, warnings = load_text(tmp_path, text)
    assert any("not fetched" in w.message for w in warnings)
    flat = json.dumps(document)
    assert "example.com" not in flat


def test_malformed_uris_are_problems_not_crashes(tmp_path: Path) -> None:
    text = ID_DOC.replace("$id: https://example.com/schemas/tag", "$id: 'http://[bad'")
    text = text.replace("{$ref: 'https://example.com/schemas/tag'}", "{type: string}")
    text = text.replace("{$ref: /components/schemas/petdetails}", "{$ref: 'http://[x/y#z'}")
    problems = problems_of(tmp_path, text)
    assert [p.pointer for p in problems] == ["/components/schemas/Pet/properties/details/$ref"]
    assert "not a valid URI reference" in problems[0].message
