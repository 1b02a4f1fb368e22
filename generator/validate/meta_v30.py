"""fastjsonschema's check for the OAS 3.0 meta-schema, built ahead of time.

Written by ``python -m generator.validate.prebuild``; do not edit.
"""

# ruff: noqa
# mypy: ignore-errors
# fmt: off

KEY = "350211267b492da37a5c50702c47506b284500d81520bc593c08df5414486589"

VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^3\\.0\\.\\d(-.+)?$': re.compile('^3\\.0\\.\\d(-.+)?\\Z'),
    '^x-': re.compile('^x-'),
    '^[a-zA-Z0-9\\.\\-_]+$': re.compile('^[a-zA-Z0-9\\.\\-_]+$'),
    '^(get|put|post|delete|options|head|patch|trace)$': re.compile('^(get|put|post|delete|options|head|patch|trace)$'),
    '^[1-5](?:\\d{2}|XX)$': re.compile('^[1-5](?:\\d{2}|XX)$'),
    '^[Bb][Ee][Aa][Rr][Ee][Rr]$': re.compile('^[Bb][Ee][Aa][Rr][Ee][Rr]\\Z'),
    '^\\$ref$': re.compile('^\\$ref$'),
    '^\\/': re.compile('^\\/')
}

NoneType = type(None)

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['openapi', 'info', 'paths']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "openapi" in data_keys:
            data_keys.remove("openapi")
            data__openapi = data["openapi"]
            if not isinstance(data__openapi, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".openapi must be string")
            if isinstance(data__openapi, str):
                if not REGEX_PATTERNS['^3\\.0\\.\\d(-.+)?$'].search(data__openapi):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".openapi must match pattern ^3\\.0\\.\\d(-.+)?$")
        if "info" in data_keys:
            data_keys.remove("info")
            data__info = data["info"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_info(data__info, custom_formats, (name_prefix or "data") + ".info")
        if "externalDocs" in data_keys:
            data_keys.remove("externalDocs")
            data__externalDocs = data["externalDocs"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_externaldocumentation(data__externalDocs, custom_formats, (name_prefix or "data") + ".externalDocs")
        if "servers" in data_keys:
            data_keys.remove("servers")
            data__servers = data["servers"]
            if not isinstance(data__servers, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".servers must be array")
            data__servers_is_list = isinstance(data__servers, (list, tuple))
            if data__servers_is_list:
                data__servers_len = len(data__servers)
                for data__servers_x, data__servers_item in enumerate(data__servers):
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_server(data__servers_item, custom_formats, (name_prefix or "data") + ".servers[{data__servers_x}]".format(**locals()))
        if "security" in data_keys:
            data_keys.remove("security")
            data__security = data["security"]
            if not isinstance(data__security, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".security must be array")
            data__security_is_list = isinstance(data__security, (list, tuple))
            if data__security_is_list:
                data__security_len = len(data__security)
                for data__security_x, data__security_item in enumerate(data__security):
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_securityrequirement(data__security_item, custom_formats, (name_prefix or "data") + ".security[{data__security_x}]".format(**locals()))
        if "tags" in data_keys:
            data_keys.remove("tags")
            data__tags = data["tags"]
            if not isinstance(data__tags, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tags must be array")
            data__tags_is_list = isinstance(data__tags, (list, tuple))
            if data__tags_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__tags_len = len(data__tags)
                if data__tags_len > len(set(fn(data__tags_x) for data__tags_x in data__tags)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tags must contain unique items")
                for data__tags_x, data__tags_item in enumerate(data__tags):
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_tag(data__tags_item, custom_formats, (name_prefix or "data") + ".tags[{data__tags_x}]".format(**locals()))
        if "paths" in data_keys:
            data_keys.remove("paths")
            data__paths = data["paths"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_paths(data__paths, custom_formats, (name_prefix or "data") + ".paths")
        if "components" in data_keys:
            data_keys.remove("components")
            data__components = data["components"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_components(data__components, custom_formats, (name_prefix or "data") + ".components")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_components(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "schemas" in data_keys:
            data_keys.remove("schemas")
            data__schemas = data["schemas"]
            if not isinstance(data__schemas, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".schemas must be object")
            data__schemas_is_dict = isinstance(data__schemas, dict)
            if data__schemas_is_dict:
                data__schemas_keys = set(data__schemas.keys())
                for data__schemas_key, data__schemas_val in data__schemas.items():
                    if REGEX_PATTERNS['^[a-zA-Z0-9\\.\\-_]+$'].search(data__schemas_key):
                        if data__schemas_key in data__schemas_keys:
                            data__schemas_keys.remove(data__schemas_key)
                        data__schemas_val_one_of_count1 = 0
                        if data__schemas_val_one_of_count1 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schema(data__schemas_val, custom_formats, (name_prefix or "data") + ".schemas.{data__schemas_key}".format(**locals()))
                                data__schemas_val_one_of_count1 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__schemas_val_one_of_count1 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__schemas_val, custom_formats, (name_prefix or "data") + ".schemas.{data__schemas_key}".format(**locals()))
                                data__schemas_val_one_of_count1 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__schemas_val_one_of_count1 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".schemas.{data__schemas_key}".format(**locals()) + " must be valid exactly by one definition")
        if "responses" in data_keys:
            data_keys.remove("responses")
            data__responses = data["responses"]
            if not isinstance(data__responses, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".responses must be object")
            data__responses_is_dict = isinstance(data__responses, dict)
            if data__responses_is_dict:
                data__responses_keys = set(data__responses.keys())
                for data__responses_key, data__responses_val in data__responses.items():
                    if REGEX_PATTERNS['^[a-zA-Z0-9\\.\\-_]+$'].search(data__responses_key):
                        if data__responses_key in data__responses_keys:
                            data__responses_keys.remove(data__responses_key)
                        data__responses_val_one_of_count2 = 0
                        if data__responses_val_one_of_count2 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__responses_val, custom_formats, (name_prefix or "data") + ".responses.{data__responses_key}".format(**locals()))
                                data__responses_val_one_of_count2 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__responses_val_one_of_count2 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_response(data__responses_val, custom_formats, (name_prefix or "data") + ".responses.{data__responses_key}".format(**locals()))
                                data__responses_val_one_of_count2 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__responses_val_one_of_count2 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".responses.{data__responses_key}".format(**locals()) + " must be valid exactly by one definition")
        if "parameters" in data_keys:
            data_keys.remove("parameters")
            data__parameters = data["parameters"]
            if not isinstance(data__parameters, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".parameters must be object")
            data__parameters_is_dict = isinstance(data__parameters, dict)
            if data__parameters_is_dict:
                data__parameters_keys = set(data__parameters.keys())
                for data__parameters_key, data__parameters_val in data__parameters.items():
                    if REGEX_PATTERNS['^[a-zA-Z0-9\\.\\-_]+$'].search(data__parameters_key):
                        if data__parameters_key in data__parameters_keys:
                            data__parameters_keys.remove(data__parameters_key)
                        data__parameters_val_one_of_count3 = 0
                        if data__parameters_val_one_of_count3 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__parameters_val, custom_formats, (name_prefix or "data") + ".parameters.{data__parameters_key}".format(**locals()))
                                data__parameters_val_one_of_count3 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__parameters_val_one_of_count3 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_parameter(data__parameters_val, custom_formats, (name_prefix or "data") + ".parameters.{data__parameters_key}".format(**locals()))
                                data__parameters_val_one_of_count3 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__parameters_val_one_of_count3 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".parameters.{data__parameters_key}".format(**locals()) + " must be valid exactly by one definition")
        if "examples" in data_keys:
            data_keys.remove("examples")
            data__examples = data["examples"]
            if not isinstance(data__examples, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".examples must be object")
            data__examples_is_dict = isinstance(data__examples, dict)
            if data__examples_is_dict:
                data__examples_keys = set(data__examples.keys())
                for data__examples_key, data__examples_val in data__examples.items():
                    if REGEX_PATTERNS['^[a-zA-Z0-9\\.\\-_]+$'].search(data__examples_key):
                        if data__examples_key in data__examples_keys:
                            data__examples_keys.remove(data__examples_key)
                        data__examples_val_one_of_count4 = 0
                        if data__examples_val_one_of_count4 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__examples_val, custom_formats, (name_prefix or "data") + ".examples.{data__examples_key}".format(**locals()))
                                data__examples_val_one_of_count4 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__examples_val_one_of_count4 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_example(data__examples_val, custom_formats, (name_prefix or "data") + ".examples.{data__examples_key}".format(**locals()))
                                data__examples_val_one_of_count4 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__examples_val_one_of_count4 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".examples.{data__examples_key}".format(**locals()) + " must be valid exactly by one definition")
        if "requestBodies" in data_keys:
            data_keys.remove("requestBodies")
            data__requestBodies = data["requestBodies"]
            if not isinstance(data__requestBodies, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".requestBodies must be object")
            data__requestBodies_is_dict = isinstance(data__requestBodies, dict)
            if data__requestBodies_is_dict:
                data__requestBodies_keys = set(data__requestBodies.keys())
                for data__requestBodies_key, data__requestBodies_val in data__requestBodies.items():
                    if REGEX_PATTERNS['^[a-zA-Z0-9\\.\\-_]+$'].search(data__requestBodies_key):
                        if data__requestBodies_key in data__requestBodies_keys:
                            data__requestBodies_keys.remove(data__requestBodies_key)
                        data__requestBodies_val_one_of_count5 = 0
                        if data__requestBodies_val_one_of_count5 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__requestBodies_val, custom_formats, (name_prefix or "data") + ".requestBodies.{data__requestBodies_key}".format(**locals()))
                                data__requestBodies_val_one_of_count5 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__requestBodies_val_one_of_count5 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_requestbody(data__requestBodies_val, custom_formats, (name_prefix or "data") + ".requestBodies.{data__requestBodies_key}".format(**locals()))
                                data__requestBodies_val_one_of_count5 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__requestBodies_val_one_of_count5 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".requestBodies.{data__requestBodies_key}".format(**locals()) + " must be valid exactly by one definition")
        if "headers" in data_keys:
            data_keys.remove("headers")
            data__headers = data["headers"]
            if not isinstance(data__headers, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must be object")
            data__headers_is_dict = isinstance(data__headers, dict)
            if data__headers_is_dict:
                data__headers_keys = set(data__headers.keys())
                for data__headers_key, data__headers_val in data__headers.items():
                    if REGEX_PATTERNS['^[a-zA-Z0-9\\.\\-_]+$'].search(data__headers_key):
                        if data__headers_key in data__headers_keys:
                            data__headers_keys.remove(data__headers_key)
                        data__headers_val_one_of_count6 = 0
                        if data__headers_val_one_of_count6 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__headers_val, custom_formats, (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()))
                                data__headers_val_one_of_count6 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__headers_val_one_of_count6 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_header(data__headers_val, custom_formats, (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()))
                                data__headers_val_one_of_count6 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__headers_val_one_of_count6 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()) + " must be valid exactly by one definition")
        if "securitySchemes" in data_keys:
            data_keys.remove("securitySchemes")
            data__securitySchemes = data["securitySchemes"]
            if not isinstance(data__securitySchemes, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".securitySchemes must be object")
            data__securitySchemes_is_dict = isinstance(data__securitySchemes, dict)
            if data__securitySchemes_is_dict:
                data__securitySchemes_keys = set(data__securitySchemes.keys())
                for data__securitySchemes_key, data__securitySchemes_val in data__securitySchemes.items():
                    if REGEX_PATTERNS['^[a-zA-Z0-9\\.\\-_]+$'].search(data__securitySchemes_key):
                        if data__securitySchemes_key in data__securitySchemes_keys:
                            data__securitySchemes_keys.remove(data__securitySchemes_key)
                        data__securitySchemes_val_one_of_count7 = 0
                        if data__securitySchemes_val_one_of_count7 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__securitySchemes_val, custom_formats, (name_prefix or "data") + ".securitySchemes.{data__securitySchemes_key}".format(**locals()))
                                data__securitySchemes_val_one_of_count7 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__securitySchemes_val_one_of_count7 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_securityscheme(data__securitySchemes_val, custom_formats, (name_prefix or "data") + ".securitySchemes.{data__securitySchemes_key}".format(**locals()))
                                data__securitySchemes_val_one_of_count7 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__securitySchemes_val_one_of_count7 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".securitySchemes.{data__securitySchemes_key}".format(**locals()) + " must be valid exactly by one definition")
        if "links" in data_keys:
            data_keys.remove("links")
            data__links = data["links"]
            if not isinstance(data__links, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".links must be object")
            data__links_is_dict = isinstance(data__links, dict)
            if data__links_is_dict:
                data__links_keys = set(data__links.keys())
                for data__links_key, data__links_val in data__links.items():
                    if REGEX_PATTERNS['^[a-zA-Z0-9\\.\\-_]+$'].search(data__links_key):
                        if data__links_key in data__links_keys:
                            data__links_keys.remove(data__links_key)
                        data__links_val_one_of_count8 = 0
                        if data__links_val_one_of_count8 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__links_val, custom_formats, (name_prefix or "data") + ".links.{data__links_key}".format(**locals()))
                                data__links_val_one_of_count8 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__links_val_one_of_count8 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_link(data__links_val, custom_formats, (name_prefix or "data") + ".links.{data__links_key}".format(**locals()))
                                data__links_val_one_of_count8 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__links_val_one_of_count8 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".links.{data__links_key}".format(**locals()) + " must be valid exactly by one definition")
        if "callbacks" in data_keys:
            data_keys.remove("callbacks")
            data__callbacks = data["callbacks"]
            if not isinstance(data__callbacks, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".callbacks must be object")
            data__callbacks_is_dict = isinstance(data__callbacks, dict)
            if data__callbacks_is_dict:
                data__callbacks_keys = set(data__callbacks.keys())
                for data__callbacks_key, data__callbacks_val in data__callbacks.items():
                    if REGEX_PATTERNS['^[a-zA-Z0-9\\.\\-_]+$'].search(data__callbacks_key):
                        if data__callbacks_key in data__callbacks_keys:
                            data__callbacks_keys.remove(data__callbacks_key)
                        data__callbacks_val_one_of_count9 = 0
                        if data__callbacks_val_one_of_count9 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__callbacks_val, custom_formats, (name_prefix or "data") + ".callbacks.{data__callbacks_key}".format(**locals()))
                                data__callbacks_val_one_of_count9 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__callbacks_val_one_of_count9 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_callback(data__callbacks_val, custom_formats, (name_prefix or "data") + ".callbacks.{data__callbacks_key}".format(**locals()))
                                data__callbacks_val_one_of_count9 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__callbacks_val_one_of_count9 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".callbacks.{data__callbacks_key}".format(**locals()) + " must be valid exactly by one definition")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_callback(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        for data_key in data_keys:
            if data_key not in []:
                data_value = data.get(data_key)
                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_pathitem(data_value, custom_formats, (name_prefix or "data") + ".{data_key}".format(**locals()))
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_pathitem(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "$ref" in data_keys:
            data_keys.remove("$ref")
            data__ref = data["$ref"]
            if not isinstance(data__ref, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".$ref must be string")
        if "summary" in data_keys:
            data_keys.remove("summary")
            data__summary = data["summary"]
            if not isinstance(data__summary, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".summary must be string")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "servers" in data_keys:
            data_keys.remove("servers")
            data__servers = data["servers"]
            if not isinstance(data__servers, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".servers must be array")
            data__servers_is_list = isinstance(data__servers, (list, tuple))
            if data__servers_is_list:
                data__servers_len = len(data__servers)
                for data__servers_x, data__servers_item in enumerate(data__servers):
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_server(data__servers_item, custom_formats, (name_prefix or "data") + ".servers[{data__servers_x}]".format(**locals()))
        if "parameters" in data_keys:
            data_keys.remove("parameters")
            data__parameters = data["parameters"]
            if not isinstance(data__parameters, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".parameters must be array")
            data__parameters_is_list = isinstance(data__parameters, (list, tuple))
            if data__parameters_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__parameters_len = len(data__parameters)
                if data__parameters_len > len(set(fn(data__parameters_x) for data__parameters_x in data__parameters)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".parameters must contain unique items")
                for data__parameters_x, data__parameters_item in enumerate(data__parameters):
                    data__parameters_item_one_of_count10 = 0
                    if data__parameters_item_one_of_count10 < 2:
                        try:
                            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_parameter(data__parameters_item, custom_formats, (name_prefix or "data") + ".parameters[{data__parameters_x}]".format(**locals()))
                            data__parameters_item_one_of_count10 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__parameters_item_one_of_count10 < 2:
                        try:
                            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__parameters_item, custom_formats, (name_prefix or "data") + ".parameters[{data__parameters_x}]".format(**locals()))
                            data__parameters_item_one_of_count10 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__parameters_item_one_of_count10 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".parameters[{data__parameters_x}]".format(**locals()) + " must be valid exactly by one definition")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^(get|put|post|delete|options|head|patch|trace)$'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_operation(data_val, custom_formats, (name_prefix or "data") + ".{data_key}".format(**locals()))
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_operation(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['responses']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "tags" in data_keys:
            data_keys.remove("tags")
            data__tags = data["tags"]
            if not isinstance(data__tags, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tags must be array")
            data__tags_is_list = isinstance(data__tags, (list, tuple))
            if data__tags_is_list:
                data__tags_len = len(data__tags)
                for data__tags_x, data__tags_item in enumerate(data__tags):
                    if not isinstance(data__tags_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".tags[{data__tags_x}]".format(**locals()) + " must be string")
        if "summary" in data_keys:
            data_keys.remove("summary")
            data__summary = data["summary"]
            if not isinstance(data__summary, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".summary must be string")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "externalDocs" in data_keys:
            data_keys.remove("externalDocs")
            data__externalDocs = data["externalDocs"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_externaldocumentation(data__externalDocs, custom_formats, (name_prefix or "data") + ".externalDocs")
        if "operationId" in data_keys:
            data_keys.remove("operationId")
            data__operationId = data["operationId"]
            if not isinstance(data__operationId, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".operationId must be string")
        if "parameters" in data_keys:
            data_keys.remove("parameters")
            data__parameters = data["parameters"]
            if not isinstance(data__parameters, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".parameters must be array")
            data__parameters_is_list = isinstance(data__parameters, (list, tuple))
            if data__parameters_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__parameters_len = len(data__parameters)
                if data__parameters_len > len(set(fn(data__parameters_x) for data__parameters_x in data__parameters)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".parameters must contain unique items")
                for data__parameters_x, data__parameters_item in enumerate(data__parameters):
                    data__parameters_item_one_of_count11 = 0
                    if data__parameters_item_one_of_count11 < 2:
                        try:
                            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_parameter(data__parameters_item, custom_formats, (name_prefix or "data") + ".parameters[{data__parameters_x}]".format(**locals()))
                            data__parameters_item_one_of_count11 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__parameters_item_one_of_count11 < 2:
                        try:
                            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__parameters_item, custom_formats, (name_prefix or "data") + ".parameters[{data__parameters_x}]".format(**locals()))
                            data__parameters_item_one_of_count11 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__parameters_item_one_of_count11 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".parameters[{data__parameters_x}]".format(**locals()) + " must be valid exactly by one definition")
        if "requestBody" in data_keys:
            data_keys.remove("requestBody")
            data__requestBody = data["requestBody"]
            data__requestBody_one_of_count12 = 0
            if data__requestBody_one_of_count12 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_requestbody(data__requestBody, custom_formats, (name_prefix or "data") + ".requestBody")
                    data__requestBody_one_of_count12 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__requestBody_one_of_count12 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__requestBody, custom_formats, (name_prefix or "data") + ".requestBody")
                    data__requestBody_one_of_count12 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__requestBody_one_of_count12 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".requestBody must be valid exactly by one definition")
        if "responses" in data_keys:
            data_keys.remove("responses")
            data__responses = data["responses"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_responses(data__responses, custom_formats, (name_prefix or "data") + ".responses")
        if "callbacks" in data_keys:
            data_keys.remove("callbacks")
            data__callbacks = data["callbacks"]
            if not isinstance(data__callbacks, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".callbacks must be object")
            data__callbacks_is_dict = isinstance(data__callbacks, dict)
            if data__callbacks_is_dict:
                data__callbacks_keys = set(data__callbacks.keys())
                for data__callbacks_key in data__callbacks_keys:
                    if data__callbacks_key not in []:
                        data__callbacks_value = data__callbacks.get(data__callbacks_key)
                        data__callbacks_value_one_of_count13 = 0
                        if data__callbacks_value_one_of_count13 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_callback(data__callbacks_value, custom_formats, (name_prefix or "data") + ".callbacks.{data__callbacks_key}".format(**locals()))
                                data__callbacks_value_one_of_count13 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__callbacks_value_one_of_count13 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__callbacks_value, custom_formats, (name_prefix or "data") + ".callbacks.{data__callbacks_key}".format(**locals()))
                                data__callbacks_value_one_of_count13 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__callbacks_value_one_of_count13 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".callbacks.{data__callbacks_key}".format(**locals()) + " must be valid exactly by one definition")
        if "deprecated" in data_keys:
            data_keys.remove("deprecated")
            data__deprecated = data["deprecated"]
            if not isinstance(data__deprecated, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".deprecated must be boolean")
        if "security" in data_keys:
            data_keys.remove("security")
            data__security = data["security"]
            if not isinstance(data__security, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".security must be array")
            data__security_is_list = isinstance(data__security, (list, tuple))
            if data__security_is_list:
                data__security_len = len(data__security)
                for data__security_x, data__security_item in enumerate(data__security):
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_securityrequirement(data__security_item, custom_formats, (name_prefix or "data") + ".security[{data__security_x}]".format(**locals()))
        if "servers" in data_keys:
            data_keys.remove("servers")
            data__servers = data["servers"]
            if not isinstance(data__servers, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".servers must be array")
            data__servers_is_list = isinstance(data__servers, (list, tuple))
            if data__servers_is_list:
                data__servers_len = len(data__servers)
                for data__servers_x, data__servers_item in enumerate(data__servers):
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_server(data__servers_item, custom_formats, (name_prefix or "data") + ".servers[{data__servers_x}]".format(**locals()))
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_responses(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain at least 1 properties")
        data_keys = set(data.keys())
        if "default" in data_keys:
            data_keys.remove("default")
            data__default = data["default"]
            data__default_one_of_count14 = 0
            if data__default_one_of_count14 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_response(data__default, custom_formats, (name_prefix or "data") + ".default")
                    data__default_one_of_count14 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__default_one_of_count14 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__default, custom_formats, (name_prefix or "data") + ".default")
                    data__default_one_of_count14 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__default_one_of_count14 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".default must be valid exactly by one definition")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^[1-5](?:\\d{2}|XX)$'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
                data_val_one_of_count15 = 0
                if data_val_one_of_count15 < 2:
                    try:
                        validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_response(data_val, custom_formats, (name_prefix or "data") + ".{data_key}".format(**locals()))
                        data_val_one_of_count15 += 1
                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                if data_val_one_of_count15 < 2:
                    try:
                        validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data_val, custom_formats, (name_prefix or "data") + ".{data_key}".format(**locals()))
                        data_val_one_of_count15 += 1
                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                if data_val_one_of_count15 != 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".{data_key}".format(**locals()) + " must be valid exactly by one definition")
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_link(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['operationId', 'operationRef']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
    except (JsonSchemaValueException, JsonSchemaValuesException): pass
    else:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "operationId" in data_keys:
            data_keys.remove("operationId")
            data__operationId = data["operationId"]
            if not isinstance(data__operationId, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".operationId must be string")
        if "operationRef" in data_keys:
            data_keys.remove("operationRef")
            data__operationRef = data["operationRef"]
            if not isinstance(data__operationRef, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".operationRef must be string")
        if "parameters" in data_keys:
            data_keys.remove("parameters")
            data__parameters = data["parameters"]
            if not isinstance(data__parameters, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".parameters must be object")
            data__parameters_is_dict = isinstance(data__parameters, dict)
            if data__parameters_is_dict:
                data__parameters_keys = set(data__parameters.keys())
        if "requestBody" in data_keys:
            data_keys.remove("requestBody")
            data__requestBody = data["requestBody"]
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "server" in data_keys:
            data_keys.remove("server")
            data__server = data["server"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_server(data__server, custom_formats, (name_prefix or "data") + ".server")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_securityscheme(data, custom_formats={}, name_prefix=None):
    data_one_of_count16 = 0
    if data_one_of_count16 < 2:
        try:
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_apikeysecurityscheme(data, custom_formats, (name_prefix or "data") + "")
            data_one_of_count16 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count16 < 2:
        try:
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_httpsecurityscheme(data, custom_formats, (name_prefix or "data") + "")
            data_one_of_count16 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count16 < 2:
        try:
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_oauth2securityscheme(data, custom_formats, (name_prefix or "data") + "")
            data_one_of_count16 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count16 < 2:
        try:
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_openidconnectsecurityscheme(data, custom_formats, (name_prefix or "data") + "")
            data_one_of_count16 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count16 != 1:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be valid exactly by one definition")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_openidconnectsecurityscheme(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['type', 'openIdConnectUrl']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            if not isinstance(data__type, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be string")
            if not (isinstance(data__type, str) and data__type == 'openIdConnect'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be one of ['openIdConnect']")
        if "openIdConnectUrl" in data_keys:
            data_keys.remove("openIdConnectUrl")
            data__openIdConnectUrl = data["openIdConnectUrl"]
            if not isinstance(data__openIdConnectUrl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".openIdConnectUrl must be string")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_oauth2securityscheme(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['type', 'flows']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            if not isinstance(data__type, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be string")
            if not (isinstance(data__type, str) and data__type == 'oauth2'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be one of ['oauth2']")
        if "flows" in data_keys:
            data_keys.remove("flows")
            data__flows = data["flows"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_oauthflows(data__flows, custom_formats, (name_prefix or "data") + ".flows")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_oauthflows(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "implicit" in data_keys:
            data_keys.remove("implicit")
            data__implicit = data["implicit"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_implicitoauthflow(data__implicit, custom_formats, (name_prefix or "data") + ".implicit")
        if "password" in data_keys:
            data_keys.remove("password")
            data__password = data["password"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_passwordoauthflow(data__password, custom_formats, (name_prefix or "data") + ".password")
        if "clientCredentials" in data_keys:
            data_keys.remove("clientCredentials")
            data__clientCredentials = data["clientCredentials"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_clientcredentialsflow(data__clientCredentials, custom_formats, (name_prefix or "data") + ".clientCredentials")
        if "authorizationCode" in data_keys:
            data_keys.remove("authorizationCode")
            data__authorizationCode = data["authorizationCode"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_authorizationcodeoauthflow(data__authorizationCode, custom_formats, (name_prefix or "data") + ".authorizationCode")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_authorizationcodeoauthflow(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['authorizationUrl', 'tokenUrl', 'scopes']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "authorizationUrl" in data_keys:
            data_keys.remove("authorizationUrl")
            data__authorizationUrl = data["authorizationUrl"]
            if not isinstance(data__authorizationUrl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".authorizationUrl must be string")
        if "tokenUrl" in data_keys:
            data_keys.remove("tokenUrl")
            data__tokenUrl = data["tokenUrl"]
            if not isinstance(data__tokenUrl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tokenUrl must be string")
        if "refreshUrl" in data_keys:
            data_keys.remove("refreshUrl")
            data__refreshUrl = data["refreshUrl"]
            if not isinstance(data__refreshUrl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".refreshUrl must be string")
        if "scopes" in data_keys:
            data_keys.remove("scopes")
            data__scopes = data["scopes"]
            if not isinstance(data__scopes, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".scopes must be object")
            data__scopes_is_dict = isinstance(data__scopes, dict)
            if data__scopes_is_dict:
                data__scopes_keys = set(data__scopes.keys())
                for data__scopes_key in data__scopes_keys:
                    if data__scopes_key not in []:
                        data__scopes_value = data__scopes.get(data__scopes_key)
                        if not isinstance(data__scopes_value, (str)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".scopes.{data__scopes_key}".format(**locals()) + " must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_clientcredentialsflow(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['tokenUrl', 'scopes']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "tokenUrl" in data_keys:
            data_keys.remove("tokenUrl")
            data__tokenUrl = data["tokenUrl"]
            if not isinstance(data__tokenUrl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tokenUrl must be string")
        if "refreshUrl" in data_keys:
            data_keys.remove("refreshUrl")
            data__refreshUrl = data["refreshUrl"]
            if not isinstance(data__refreshUrl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".refreshUrl must be string")
        if "scopes" in data_keys:
            data_keys.remove("scopes")
            data__scopes = data["scopes"]
            if not isinstance(data__scopes, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".scopes must be object")
            data__scopes_is_dict = isinstance(data__scopes, dict)
            if data__scopes_is_dict:
                data__scopes_keys = set(data__scopes.keys())
                for data__scopes_key in data__scopes_keys:
                    if data__scopes_key not in []:
                        data__scopes_value = data__scopes.get(data__scopes_key)
                        if not isinstance(data__scopes_value, (str)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".scopes.{data__scopes_key}".format(**locals()) + " must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_passwordoauthflow(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['tokenUrl', 'scopes']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "tokenUrl" in data_keys:
            data_keys.remove("tokenUrl")
            data__tokenUrl = data["tokenUrl"]
            if not isinstance(data__tokenUrl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tokenUrl must be string")
        if "refreshUrl" in data_keys:
            data_keys.remove("refreshUrl")
            data__refreshUrl = data["refreshUrl"]
            if not isinstance(data__refreshUrl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".refreshUrl must be string")
        if "scopes" in data_keys:
            data_keys.remove("scopes")
            data__scopes = data["scopes"]
            if not isinstance(data__scopes, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".scopes must be object")
            data__scopes_is_dict = isinstance(data__scopes, dict)
            if data__scopes_is_dict:
                data__scopes_keys = set(data__scopes.keys())
                for data__scopes_key in data__scopes_keys:
                    if data__scopes_key not in []:
                        data__scopes_value = data__scopes.get(data__scopes_key)
                        if not isinstance(data__scopes_value, (str)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".scopes.{data__scopes_key}".format(**locals()) + " must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_implicitoauthflow(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['authorizationUrl', 'scopes']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "authorizationUrl" in data_keys:
            data_keys.remove("authorizationUrl")
            data__authorizationUrl = data["authorizationUrl"]
            if not isinstance(data__authorizationUrl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".authorizationUrl must be string")
        if "refreshUrl" in data_keys:
            data_keys.remove("refreshUrl")
            data__refreshUrl = data["refreshUrl"]
            if not isinstance(data__refreshUrl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".refreshUrl must be string")
        if "scopes" in data_keys:
            data_keys.remove("scopes")
            data__scopes = data["scopes"]
            if not isinstance(data__scopes, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".scopes must be object")
            data__scopes_is_dict = isinstance(data__scopes, dict)
            if data__scopes_is_dict:
                data__scopes_keys = set(data__scopes.keys())
                for data__scopes_key in data__scopes_keys:
                    if data__scopes_key not in []:
                        data__scopes_value = data__scopes.get(data__scopes_key)
                        if not isinstance(data__scopes_value, (str)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".scopes.{data__scopes_key}".format(**locals()) + " must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_httpsecurityscheme(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_one_of_count17 = 0
    if data_one_of_count17 < 2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data_keys = set(data.keys())
                if "scheme" in data_keys:
                    data_keys.remove("scheme")
                    data__scheme = data["scheme"]
                    if not isinstance(data__scheme, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".scheme must be string")
                    if isinstance(data__scheme, str):
                        if not REGEX_PATTERNS['^[Bb][Ee][Aa][Rr][Ee][Rr]$'].search(data__scheme):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".scheme must match pattern ^[Bb][Ee][Aa][Rr][Ee][Rr]$")
            data_one_of_count17 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count17 < 2:
        try:
            try:
                data_is_dict = isinstance(data, dict)
                if data_is_dict:
                    data__missing_keys = set(['bearerFormat']) - data.keys()
                    if data__missing_keys:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
            except (JsonSchemaValueException, JsonSchemaValuesException): pass
            else:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition")
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data_keys = set(data.keys())
                if "scheme" in data_keys:
                    data_keys.remove("scheme")
                    data__scheme = data["scheme"]
                    try:
                        if not isinstance(data__scheme, (str)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".scheme must be string")
                        if isinstance(data__scheme, str):
                            if not REGEX_PATTERNS['^[Bb][Ee][Aa][Rr][Ee][Rr]$'].search(data__scheme):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".scheme must match pattern ^[Bb][Ee][Aa][Rr][Ee][Rr]$")
                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    else:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".scheme must NOT match a disallowed definition")
            data_one_of_count17 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count17 != 1:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be valid exactly by one definition")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['scheme', 'type']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "scheme" in data_keys:
            data_keys.remove("scheme")
            data__scheme = data["scheme"]
            if not isinstance(data__scheme, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".scheme must be string")
        if "bearerFormat" in data_keys:
            data_keys.remove("bearerFormat")
            data__bearerFormat = data["bearerFormat"]
            if not isinstance(data__bearerFormat, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".bearerFormat must be string")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            if not isinstance(data__type, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be string")
            if not (isinstance(data__type, str) and data__type == 'http'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be one of ['http']")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_apikeysecurityscheme(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['type', 'name', 'in']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            if not isinstance(data__type, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be string")
            if not (isinstance(data__type, str) and data__type == 'apiKey'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be one of ['apiKey']")
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
        if "in" in data_keys:
            data_keys.remove("in")
            data__in = data["in"]
            if not isinstance(data__in, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".in must be string")
            if not (isinstance(data__in, str) and data__in == 'header' or isinstance(data__in, str) and data__in == 'query' or isinstance(data__in, str) and data__in == 'cookie'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".in must be one of ['header', 'query', 'cookie']")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_header(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_examplexorexamples(data, custom_formats, (name_prefix or "data") + "")
    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schemaxorcontent(data, custom_formats, (name_prefix or "data") + "")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "required" in data_keys:
            data_keys.remove("required")
            data__required = data["required"]
            if not isinstance(data__required, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".required must be boolean")
        if "deprecated" in data_keys:
            data_keys.remove("deprecated")
            data__deprecated = data["deprecated"]
            if not isinstance(data__deprecated, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".deprecated must be boolean")
        if "allowEmptyValue" in data_keys:
            data_keys.remove("allowEmptyValue")
            data__allowEmptyValue = data["allowEmptyValue"]
            if not isinstance(data__allowEmptyValue, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".allowEmptyValue must be boolean")
        if "style" in data_keys:
            data_keys.remove("style")
            data__style = data["style"]
            if not isinstance(data__style, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".style must be string")
            if not (isinstance(data__style, str) and data__style == 'simple'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".style must be one of ['simple']")
        if "explode" in data_keys:
            data_keys.remove("explode")
            data__explode = data["explode"]
            if not isinstance(data__explode, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".explode must be boolean")
        if "allowReserved" in data_keys:
            data_keys.remove("allowReserved")
            data__allowReserved = data["allowReserved"]
            if not isinstance(data__allowReserved, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".allowReserved must be boolean")
        if "schema" in data_keys:
            data_keys.remove("schema")
            data__schema = data["schema"]
            data__schema_one_of_count18 = 0
            if data__schema_one_of_count18 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schema(data__schema, custom_formats, (name_prefix or "data") + ".schema")
                    data__schema_one_of_count18 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__schema_one_of_count18 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__schema, custom_formats, (name_prefix or "data") + ".schema")
                    data__schema_one_of_count18 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__schema_one_of_count18 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".schema must be valid exactly by one definition")
        if "content" in data_keys:
            data_keys.remove("content")
            data__content = data["content"]
            if not isinstance(data__content, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".content must be object")
            data__content_is_dict = isinstance(data__content, dict)
            if data__content_is_dict:
                data__content_len = len(data__content)
                if data__content_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".content must contain at least 1 properties")
                if data__content_len > 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".content must contain less than or equal to 1 properties")
                data__content_keys = set(data__content.keys())
                for data__content_key in data__content_keys:
                    if data__content_key not in []:
                        data__content_value = data__content.get(data__content_key)
                        validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_mediatype(data__content_value, custom_formats, (name_prefix or "data") + ".content.{data__content_key}".format(**locals()))
        if "example" in data_keys:
            data_keys.remove("example")
            data__example = data["example"]
        if "examples" in data_keys:
            data_keys.remove("examples")
            data__examples = data["examples"]
            if not isinstance(data__examples, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".examples must be object")
            data__examples_is_dict = isinstance(data__examples, dict)
            if data__examples_is_dict:
                data__examples_keys = set(data__examples.keys())
                for data__examples_key in data__examples_keys:
                    if data__examples_key not in []:
                        data__examples_value = data__examples.get(data__examples_key)
                        data__examples_value_one_of_count19 = 0
                        if data__examples_value_one_of_count19 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_example(data__examples_value, custom_formats, (name_prefix or "data") + ".examples.{data__examples_key}".format(**locals()))
                                data__examples_value_one_of_count19 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__examples_value_one_of_count19 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__examples_value, custom_formats, (name_prefix or "data") + ".examples.{data__examples_key}".format(**locals()))
                                data__examples_value_one_of_count19 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__examples_value_one_of_count19 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".examples.{data__examples_key}".format(**locals()) + " must be valid exactly by one definition")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_mediatype(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_examplexorexamples(data, custom_formats, (name_prefix or "data") + "")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "schema" in data_keys:
            data_keys.remove("schema")
            data__schema = data["schema"]
            data__schema_one_of_count20 = 0
            if data__schema_one_of_count20 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schema(data__schema, custom_formats, (name_prefix or "data") + ".schema")
                    data__schema_one_of_count20 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__schema_one_of_count20 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__schema, custom_formats, (name_prefix or "data") + ".schema")
                    data__schema_one_of_count20 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__schema_one_of_count20 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".schema must be valid exactly by one definition")
        if "example" in data_keys:
            data_keys.remove("example")
            data__example = data["example"]
        if "examples" in data_keys:
            data_keys.remove("examples")
            data__examples = data["examples"]
            if not isinstance(data__examples, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".examples must be object")
            data__examples_is_dict = isinstance(data__examples, dict)
            if data__examples_is_dict:
                data__examples_keys = set(data__examples.keys())
                for data__examples_key in data__examples_keys:
                    if data__examples_key not in []:
                        data__examples_value = data__examples.get(data__examples_key)
                        data__examples_value_one_of_count21 = 0
                        if data__examples_value_one_of_count21 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_example(data__examples_value, custom_formats, (name_prefix or "data") + ".examples.{data__examples_key}".format(**locals()))
                                data__examples_value_one_of_count21 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__examples_value_one_of_count21 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__examples_value, custom_formats, (name_prefix or "data") + ".examples.{data__examples_key}".format(**locals()))
                                data__examples_value_one_of_count21 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__examples_value_one_of_count21 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".examples.{data__examples_key}".format(**locals()) + " must be valid exactly by one definition")
        if "encoding" in data_keys:
            data_keys.remove("encoding")
            data__encoding = data["encoding"]
            if not isinstance(data__encoding, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".encoding must be object")
            data__encoding_is_dict = isinstance(data__encoding, dict)
            if data__encoding_is_dict:
                data__encoding_keys = set(data__encoding.keys())
                for data__encoding_key in data__encoding_keys:
                    if data__encoding_key not in []:
                        data__encoding_value = data__encoding.get(data__encoding_key)
                        validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_encoding(data__encoding_value, custom_formats, (name_prefix or "data") + ".encoding.{data__encoding_key}".format(**locals()))
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_encoding(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "contentType" in data_keys:
            data_keys.remove("contentType")
            data__contentType = data["contentType"]
            if not isinstance(data__contentType, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".contentType must be string")
        if "headers" in data_keys:
            data_keys.remove("headers")
            data__headers = data["headers"]
            if not isinstance(data__headers, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must be object")
            data__headers_is_dict = isinstance(data__headers, dict)
            if data__headers_is_dict:
                data__headers_keys = set(data__headers.keys())
                for data__headers_key in data__headers_keys:
                    if data__headers_key not in []:
                        data__headers_value = data__headers.get(data__headers_key)
                        data__headers_value_one_of_count22 = 0
                        if data__headers_value_one_of_count22 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_header(data__headers_value, custom_formats, (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()))
                                data__headers_value_one_of_count22 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__headers_value_one_of_count22 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__headers_value, custom_formats, (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()))
                                data__headers_value_one_of_count22 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__headers_value_one_of_count22 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()) + " must be valid exactly by one definition")
        if "style" in data_keys:
            data_keys.remove("style")
            data__style = data["style"]
            if not isinstance(data__style, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".style must be string")
            if not (isinstance(data__style, str) and data__style == 'form' or isinstance(data__style, str) and data__style == 'spaceDelimited' or isinstance(data__style, str) and data__style == 'pipeDelimited' or isinstance(data__style, str) and data__style == 'deepObject'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".style must be one of ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject']")
        if "explode" in data_keys:
            data_keys.remove("explode")
            data__explode = data["explode"]
            if not isinstance(data__explode, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".explode must be boolean")
        if "allowReserved" in data_keys:
            data_keys.remove("allowReserved")
            data__allowReserved = data["allowReserved"]
            if not isinstance(data__allowReserved, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".allowReserved must be boolean")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schemaxorcontent(data, custom_formats={}, name_prefix=None):
    data_one_of_count23 = 0
    if data_one_of_count23 < 2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['schema']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
            data_one_of_count23 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count23 < 2:
        try:
            try:
                data_is_dict = isinstance(data, dict)
                if data_is_dict:
                    data__missing_keys = set(['style']) - data.keys()
                    if data__missing_keys:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
            except (JsonSchemaValueException, JsonSchemaValuesException): pass
            else:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition")
            try:
                data_is_dict = isinstance(data, dict)
                if data_is_dict:
                    data__missing_keys = set(['explode']) - data.keys()
                    if data__missing_keys:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
            except (JsonSchemaValueException, JsonSchemaValuesException): pass
            else:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition")
            try:
                data_is_dict = isinstance(data, dict)
                if data_is_dict:
                    data__missing_keys = set(['allowReserved']) - data.keys()
                    if data__missing_keys:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
            except (JsonSchemaValueException, JsonSchemaValuesException): pass
            else:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition")
            try:
                data_is_dict = isinstance(data, dict)
                if data_is_dict:
                    data__missing_keys = set(['example']) - data.keys()
                    if data__missing_keys:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
            except (JsonSchemaValueException, JsonSchemaValuesException): pass
            else:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition")
            try:
                data_is_dict = isinstance(data, dict)
                if data_is_dict:
                    data__missing_keys = set(['examples']) - data.keys()
                    if data__missing_keys:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
            except (JsonSchemaValueException, JsonSchemaValuesException): pass
            else:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition")
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['content']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
            data_one_of_count23 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count23 != 1:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be valid exactly by one definition")
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['schema', 'content']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
    except (JsonSchemaValueException, JsonSchemaValuesException): pass
    else:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_examplexorexamples(data, custom_formats={}, name_prefix=None):
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['example', 'examples']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
    except (JsonSchemaValueException, JsonSchemaValuesException): pass
    else:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_requestbody(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['content']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "content" in data_keys:
            data_keys.remove("content")
            data__content = data["content"]
            if not isinstance(data__content, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".content must be object")
            data__content_is_dict = isinstance(data__content, dict)
            if data__content_is_dict:
                data__content_keys = set(data__content.keys())
                for data__content_key in data__content_keys:
                    if data__content_key not in []:
                        data__content_value = data__content.get(data__content_key)
                        validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_mediatype(data__content_value, custom_formats, (name_prefix or "data") + ".content.{data__content_key}".format(**locals()))
        if "required" in data_keys:
            data_keys.remove("required")
            data__required = data["required"]
            if not isinstance(data__required, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".required must be boolean")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_example(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "summary" in data_keys:
            data_keys.remove("summary")
            data__summary = data["summary"]
            if not isinstance(data__summary, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".summary must be string")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "value" in data_keys:
            data_keys.remove("value")
            data__value = data["value"]
        if "externalValue" in data_keys:
            data_keys.remove("externalValue")
            data__externalValue = data["externalValue"]
            if not isinstance(data__externalValue, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".externalValue must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_parameter(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_examplexorexamples(data, custom_formats, (name_prefix or "data") + "")
    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schemaxorcontent(data, custom_formats, (name_prefix or "data") + "")
    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_parameterlocation(data, custom_formats, (name_prefix or "data") + "")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['name', 'in']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
        if "in" in data_keys:
            data_keys.remove("in")
            data__in = data["in"]
            if not isinstance(data__in, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".in must be string")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "required" in data_keys:
            data_keys.remove("required")
            data__required = data["required"]
            if not isinstance(data__required, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".required must be boolean")
        if "deprecated" in data_keys:
            data_keys.remove("deprecated")
            data__deprecated = data["deprecated"]
            if not isinstance(data__deprecated, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".deprecated must be boolean")
        if "allowEmptyValue" in data_keys:
            data_keys.remove("allowEmptyValue")
            data__allowEmptyValue = data["allowEmptyValue"]
            if not isinstance(data__allowEmptyValue, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".allowEmptyValue must be boolean")
        if "style" in data_keys:
            data_keys.remove("style")
            data__style = data["style"]
            if not isinstance(data__style, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".style must be string")
        if "explode" in data_keys:
            data_keys.remove("explode")
            data__explode = data["explode"]
            if not isinstance(data__explode, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".explode must be boolean")
        if "allowReserved" in data_keys:
            data_keys.remove("allowReserved")
            data__allowReserved = data["allowReserved"]
            if not isinstance(data__allowReserved, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".allowReserved must be boolean")
        if "schema" in data_keys:
            data_keys.remove("schema")
            data__schema = data["schema"]
            data__schema_one_of_count24 = 0
            if data__schema_one_of_count24 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schema(data__schema, custom_formats, (name_prefix or "data") + ".schema")
                    data__schema_one_of_count24 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__schema_one_of_count24 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__schema, custom_formats, (name_prefix or "data") + ".schema")
                    data__schema_one_of_count24 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__schema_one_of_count24 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".schema must be valid exactly by one definition")
        if "content" in data_keys:
            data_keys.remove("content")
            data__content = data["content"]
            if not isinstance(data__content, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".content must be object")
            data__content_is_dict = isinstance(data__content, dict)
            if data__content_is_dict:
                data__content_len = len(data__content)
                if data__content_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".content must contain at least 1 properties")
                if data__content_len > 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".content must contain less than or equal to 1 properties")
                data__content_keys = set(data__content.keys())
                for data__content_key in data__content_keys:
                    if data__content_key not in []:
                        data__content_value = data__content.get(data__content_key)
                        validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_mediatype(data__content_value, custom_formats, (name_prefix or "data") + ".content.{data__content_key}".format(**locals()))
        if "example" in data_keys:
            data_keys.remove("example")
            data__example = data["example"]
        if "examples" in data_keys:
            data_keys.remove("examples")
            data__examples = data["examples"]
            if not isinstance(data__examples, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".examples must be object")
            data__examples_is_dict = isinstance(data__examples, dict)
            if data__examples_is_dict:
                data__examples_keys = set(data__examples.keys())
                for data__examples_key in data__examples_keys:
                    if data__examples_key not in []:
                        data__examples_value = data__examples.get(data__examples_key)
                        data__examples_value_one_of_count25 = 0
                        if data__examples_value_one_of_count25 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_example(data__examples_value, custom_formats, (name_prefix or "data") + ".examples.{data__examples_key}".format(**locals()))
                                data__examples_value_one_of_count25 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__examples_value_one_of_count25 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__examples_value, custom_formats, (name_prefix or "data") + ".examples.{data__examples_key}".format(**locals()))
                                data__examples_value_one_of_count25 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__examples_value_one_of_count25 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".examples.{data__examples_key}".format(**locals()) + " must be valid exactly by one definition")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_parameterlocation(data, custom_formats={}, name_prefix=None):
    data_one_of_count26 = 0
    if data_one_of_count26 < 2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['required']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
                data_keys = set(data.keys())
                if "in" in data_keys:
                    data_keys.remove("in")
                    data__in = data["in"]
                    if not (isinstance(data__in, str) and data__in == 'path'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".in must be one of ['path']")
                if "style" in data_keys:
                    data_keys.remove("style")
                    data__style = data["style"]
                    if not (isinstance(data__style, str) and data__style == 'matrix' or isinstance(data__style, str) and data__style == 'label' or isinstance(data__style, str) and data__style == 'simple'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".style must be one of ['matrix', 'label', 'simple']")
                if "required" in data_keys:
                    data_keys.remove("required")
                    data__required = data["required"]
                    if not (isinstance(data__required, bool) and data__required is True):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".required must be one of [True]")
            data_one_of_count26 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count26 < 2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data_keys = set(data.keys())
                if "in" in data_keys:
                    data_keys.remove("in")
                    data__in = data["in"]
                    if not (isinstance(data__in, str) and data__in == 'query'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".in must be one of ['query']")
                if "style" in data_keys:
                    data_keys.remove("style")
                    data__style = data["style"]
                    if not (isinstance(data__style, str) and data__style == 'form' or isinstance(data__style, str) and data__style == 'spaceDelimited' or isinstance(data__style, str) and data__style == 'pipeDelimited' or isinstance(data__style, str) and data__style == 'deepObject'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".style must be one of ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject']")
            data_one_of_count26 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count26 < 2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data_keys = set(data.keys())
                if "in" in data_keys:
                    data_keys.remove("in")
                    data__in = data["in"]
                    if not (isinstance(data__in, str) and data__in == 'header'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".in must be one of ['header']")
                if "style" in data_keys:
                    data_keys.remove("style")
                    data__style = data["style"]
                    if not (isinstance(data__style, str) and data__style == 'simple'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".style must be one of ['simple']")
            data_one_of_count26 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count26 < 2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data_keys = set(data.keys())
                if "in" in data_keys:
                    data_keys.remove("in")
                    data__in = data["in"]
                    if not (isinstance(data__in, str) and data__in == 'cookie'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".in must be one of ['cookie']")
                if "style" in data_keys:
                    data_keys.remove("style")
                    data__style = data["style"]
                    if not (isinstance(data__style, str) and data__style == 'form'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".style must be one of ['form']")
            data_one_of_count26 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count26 != 1:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be valid exactly by one definition")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_response(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['description']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "headers" in data_keys:
            data_keys.remove("headers")
            data__headers = data["headers"]
            if not isinstance(data__headers, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must be object")
            data__headers_is_dict = isinstance(data__headers, dict)
            if data__headers_is_dict:
                data__headers_keys = set(data__headers.keys())
                for data__headers_key in data__headers_keys:
                    if data__headers_key not in []:
                        data__headers_value = data__headers.get(data__headers_key)
                        data__headers_value_one_of_count27 = 0
                        if data__headers_value_one_of_count27 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_header(data__headers_value, custom_formats, (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()))
                                data__headers_value_one_of_count27 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__headers_value_one_of_count27 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__headers_value, custom_formats, (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()))
                                data__headers_value_one_of_count27 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__headers_value_one_of_count27 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()) + " must be valid exactly by one definition")
        if "content" in data_keys:
            data_keys.remove("content")
            data__content = data["content"]
            if not isinstance(data__content, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".content must be object")
            data__content_is_dict = isinstance(data__content, dict)
            if data__content_is_dict:
                data__content_keys = set(data__content.keys())
                for data__content_key in data__content_keys:
                    if data__content_key not in []:
                        data__content_value = data__content.get(data__content_key)
                        validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_mediatype(data__content_value, custom_formats, (name_prefix or "data") + ".content.{data__content_key}".format(**locals()))
        if "links" in data_keys:
            data_keys.remove("links")
            data__links = data["links"]
            if not isinstance(data__links, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".links must be object")
            data__links_is_dict = isinstance(data__links, dict)
            if data__links_is_dict:
                data__links_keys = set(data__links.keys())
                for data__links_key in data__links_keys:
                    if data__links_key not in []:
                        data__links_value = data__links.get(data__links_key)
                        data__links_value_one_of_count28 = 0
                        if data__links_value_one_of_count28 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_link(data__links_value, custom_formats, (name_prefix or "data") + ".links.{data__links_key}".format(**locals()))
                                data__links_value_one_of_count28 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__links_value_one_of_count28 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__links_value, custom_formats, (name_prefix or "data") + ".links.{data__links_key}".format(**locals()))
                                data__links_value_one_of_count28 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__links_value_one_of_count28 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".links.{data__links_key}".format(**locals()) + " must be valid exactly by one definition")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['$ref']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^\\$ref$'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
                if not isinstance(data_val, (str)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".{data_key}".format(**locals()) + " must be string")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schema(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "title" in data_keys:
            data_keys.remove("title")
            data__title = data["title"]
            if not isinstance(data__title, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".title must be string")
        if "multipleOf" in data_keys:
            data_keys.remove("multipleOf")
            data__multipleOf = data["multipleOf"]
            if not isinstance(data__multipleOf, (int, float, Decimal)) or isinstance(data__multipleOf, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".multipleOf must be number")
            if isinstance(data__multipleOf, (int, float, Decimal)) and not isinstance(data__multipleOf, bool):
                if data__multipleOf <= 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".multipleOf must be bigger than 0")
        if "maximum" in data_keys:
            data_keys.remove("maximum")
            data__maximum = data["maximum"]
            if not isinstance(data__maximum, (int, float, Decimal)) or isinstance(data__maximum, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".maximum must be number")
        if "exclusiveMaximum" in data_keys:
            data_keys.remove("exclusiveMaximum")
            data__exclusiveMaximum = data["exclusiveMaximum"]
            if not isinstance(data__exclusiveMaximum, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".exclusiveMaximum must be boolean")
        if "minimum" in data_keys:
            data_keys.remove("minimum")
            data__minimum = data["minimum"]
            if not isinstance(data__minimum, (int, float, Decimal)) or isinstance(data__minimum, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".minimum must be number")
        if "exclusiveMinimum" in data_keys:
            data_keys.remove("exclusiveMinimum")
            data__exclusiveMinimum = data["exclusiveMinimum"]
            if not isinstance(data__exclusiveMinimum, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".exclusiveMinimum must be boolean")
        if "maxLength" in data_keys:
            data_keys.remove("maxLength")
            data__maxLength = data["maxLength"]
            if not isinstance(data__maxLength, (int)) or isinstance(data__maxLength, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".maxLength must be integer")
            if isinstance(data__maxLength, (int, float, Decimal)) and not isinstance(data__maxLength, bool):
                if data__maxLength < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".maxLength must be bigger than or equal to 0")
        if "minLength" in data_keys:
            data_keys.remove("minLength")
            data__minLength = data["minLength"]
            if not isinstance(data__minLength, (int)) or isinstance(data__minLength, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".minLength must be integer")
            if isinstance(data__minLength, (int, float, Decimal)) and not isinstance(data__minLength, bool):
                if data__minLength < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".minLength must be bigger than or equal to 0")
        if "pattern" in data_keys:
            data_keys.remove("pattern")
            data__pattern = data["pattern"]
            if not isinstance(data__pattern, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pattern must be string")
        if "maxItems" in data_keys:
            data_keys.remove("maxItems")
            data__maxItems = data["maxItems"]
            if not isinstance(data__maxItems, (int)) or isinstance(data__maxItems, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".maxItems must be integer")
            if isinstance(data__maxItems, (int, float, Decimal)) and not isinstance(data__maxItems, bool):
                if data__maxItems < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".maxItems must be bigger than or equal to 0")
        if "minItems" in data_keys:
            data_keys.remove("minItems")
            data__minItems = data["minItems"]
            if not isinstance(data__minItems, (int)) or isinstance(data__minItems, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".minItems must be integer")
            if isinstance(data__minItems, (int, float, Decimal)) and not isinstance(data__minItems, bool):
                if data__minItems < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".minItems must be bigger than or equal to 0")
        if "uniqueItems" in data_keys:
            data_keys.remove("uniqueItems")
            data__uniqueItems = data["uniqueItems"]
            if not isinstance(data__uniqueItems, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".uniqueItems must be boolean")
        if "maxProperties" in data_keys:
            data_keys.remove("maxProperties")
            data__maxProperties = data["maxProperties"]
            if not isinstance(data__maxProperties, (int)) or isinstance(data__maxProperties, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".maxProperties must be integer")
            if isinstance(data__maxProperties, (int, float, Decimal)) and not isinstance(data__maxProperties, bool):
                if data__maxProperties < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".maxProperties must be bigger than or equal to 0")
        if "minProperties" in data_keys:
            data_keys.remove("minProperties")
            data__minProperties = data["minProperties"]
            if not isinstance(data__minProperties, (int)) or isinstance(data__minProperties, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".minProperties must be integer")
            if isinstance(data__minProperties, (int, float, Decimal)) and not isinstance(data__minProperties, bool):
                if data__minProperties < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".minProperties must be bigger than or equal to 0")
        if "required" in data_keys:
            data_keys.remove("required")
            data__required = data["required"]
            if not isinstance(data__required, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".required must be array")
            data__required_is_list = isinstance(data__required, (list, tuple))
            if data__required_is_list:
                data__required_len = len(data__required)
                if data__required_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".required must contain at least 1 items")
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                if data__required_len > len(set(fn(data__required_x) for data__required_x in data__required)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".required must contain unique items")
                for data__required_x, data__required_item in enumerate(data__required):
                    if not isinstance(data__required_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".required[{data__required_x}]".format(**locals()) + " must be string")
        if "enum" in data_keys:
            data_keys.remove("enum")
            data__enum = data["enum"]
            if not isinstance(data__enum, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".enum must be array")
            data__enum_is_list = isinstance(data__enum, (list, tuple))
            if data__enum_is_list:
                data__enum_len = len(data__enum)
                if data__enum_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".enum must contain at least 1 items")
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            if not isinstance(data__type, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be string")
            if not (isinstance(data__type, str) and data__type == 'array' or isinstance(data__type, str) and data__type == 'boolean' or isinstance(data__type, str) and data__type == 'integer' or isinstance(data__type, str) and data__type == 'number' or isinstance(data__type, str) and data__type == 'object' or isinstance(data__type, str) and data__type == 'string'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be one of ['array', 'boolean', 'integer', 'number', 'object', 'string']")
        if "not" in data_keys:
            data_keys.remove("not")
            data__not = data["not"]
            data__not_one_of_count29 = 0
            if data__not_one_of_count29 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schema(data__not, custom_formats, (name_prefix or "data") + ".not")
                    data__not_one_of_count29 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__not_one_of_count29 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__not, custom_formats, (name_prefix or "data") + ".not")
                    data__not_one_of_count29 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__not_one_of_count29 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".not must be valid exactly by one definition")
        if "allOf" in data_keys:
            data_keys.remove("allOf")
            data__allOf = data["allOf"]
            if not isinstance(data__allOf, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".allOf must be array")
            data__allOf_is_list = isinstance(data__allOf, (list, tuple))
            if data__allOf_is_list:
                data__allOf_len = len(data__allOf)
                for data__allOf_x, data__allOf_item in enumerate(data__allOf):
                    data__allOf_item_one_of_count30 = 0
                    if data__allOf_item_one_of_count30 < 2:
                        try:
                            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schema(data__allOf_item, custom_formats, (name_prefix or "data") + ".allOf[{data__allOf_x}]".format(**locals()))
                            data__allOf_item_one_of_count30 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__allOf_item_one_of_count30 < 2:
                        try:
                            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__allOf_item, custom_formats, (name_prefix or "data") + ".allOf[{data__allOf_x}]".format(**locals()))
                            data__allOf_item_one_of_count30 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__allOf_item_one_of_count30 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".allOf[{data__allOf_x}]".format(**locals()) + " must be valid exactly by one definition")
        if "oneOf" in data_keys:
            data_keys.remove("oneOf")
            data__oneOf = data["oneOf"]
            if not isinstance(data__oneOf, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".oneOf must be array")
            data__oneOf_is_list = isinstance(data__oneOf, (list, tuple))
            if data__oneOf_is_list:
                data__oneOf_len = len(data__oneOf)
                for data__oneOf_x, data__oneOf_item in enumerate(data__oneOf):
                    data__oneOf_item_one_of_count31 = 0
                    if data__oneOf_item_one_of_count31 < 2:
                        try:
                            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schema(data__oneOf_item, custom_formats, (name_prefix or "data") + ".oneOf[{data__oneOf_x}]".format(**locals()))
                            data__oneOf_item_one_of_count31 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__oneOf_item_one_of_count31 < 2:
                        try:
                            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__oneOf_item, custom_formats, (name_prefix or "data") + ".oneOf[{data__oneOf_x}]".format(**locals()))
                            data__oneOf_item_one_of_count31 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__oneOf_item_one_of_count31 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".oneOf[{data__oneOf_x}]".format(**locals()) + " must be valid exactly by one definition")
        if "anyOf" in data_keys:
            data_keys.remove("anyOf")
            data__anyOf = data["anyOf"]
            if not isinstance(data__anyOf, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".anyOf must be array")
            data__anyOf_is_list = isinstance(data__anyOf, (list, tuple))
            if data__anyOf_is_list:
                data__anyOf_len = len(data__anyOf)
                for data__anyOf_x, data__anyOf_item in enumerate(data__anyOf):
                    data__anyOf_item_one_of_count32 = 0
                    if data__anyOf_item_one_of_count32 < 2:
                        try:
                            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schema(data__anyOf_item, custom_formats, (name_prefix or "data") + ".anyOf[{data__anyOf_x}]".format(**locals()))
                            data__anyOf_item_one_of_count32 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__anyOf_item_one_of_count32 < 2:
                        try:
                            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__anyOf_item, custom_formats, (name_prefix or "data") + ".anyOf[{data__anyOf_x}]".format(**locals()))
                            data__anyOf_item_one_of_count32 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__anyOf_item_one_of_count32 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".anyOf[{data__anyOf_x}]".format(**locals()) + " must be valid exactly by one definition")
        if "items" in data_keys:
            data_keys.remove("items")
            data__items = data["items"]
            data__items_one_of_count33 = 0
            if data__items_one_of_count33 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schema(data__items, custom_formats, (name_prefix or "data") + ".items")
                    data__items_one_of_count33 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__items_one_of_count33 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__items, custom_formats, (name_prefix or "data") + ".items")
                    data__items_one_of_count33 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__items_one_of_count33 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".items must be valid exactly by one definition")
        if "properties" in data_keys:
            data_keys.remove("properties")
            data__properties = data["properties"]
            if not isinstance(data__properties, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".properties must be object")
            data__properties_is_dict = isinstance(data__properties, dict)
            if data__properties_is_dict:
                data__properties_keys = set(data__properties.keys())
                for data__properties_key in data__properties_keys:
                    if data__properties_key not in []:
                        data__properties_value = data__properties.get(data__properties_key)
                        data__properties_value_one_of_count34 = 0
                        if data__properties_value_one_of_count34 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schema(data__properties_value, custom_formats, (name_prefix or "data") + ".properties.{data__properties_key}".format(**locals()))
                                data__properties_value_one_of_count34 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__properties_value_one_of_count34 < 2:
                            try:
                                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__properties_value, custom_formats, (name_prefix or "data") + ".properties.{data__properties_key}".format(**locals()))
                                data__properties_value_one_of_count34 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__properties_value_one_of_count34 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".properties.{data__properties_key}".format(**locals()) + " must be valid exactly by one definition")
        if "additionalProperties" in data_keys:
            data_keys.remove("additionalProperties")
            data__additionalProperties = data["additionalProperties"]
            data__additionalProperties_one_of_count35 = 0
            if data__additionalProperties_one_of_count35 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_schema(data__additionalProperties, custom_formats, (name_prefix or "data") + ".additionalProperties")
                    data__additionalProperties_one_of_count35 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__additionalProperties_one_of_count35 < 2:
                try:
                    validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_reference(data__additionalProperties, custom_formats, (name_prefix or "data") + ".additionalProperties")
                    data__additionalProperties_one_of_count35 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__additionalProperties_one_of_count35 < 2:
                try:
                    if not isinstance(data__additionalProperties, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".additionalProperties must be boolean")
                    data__additionalProperties_one_of_count35 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__additionalProperties_one_of_count35 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additionalProperties must be valid exactly by one definition")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "format" in data_keys:
            data_keys.remove("format")
            data__format = data["format"]
            if not isinstance(data__format, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".format must be string")
        if "default" in data_keys:
            data_keys.remove("default")
            data__default = data["default"]
        if "nullable" in data_keys:
            data_keys.remove("nullable")
            data__nullable = data["nullable"]
            if not isinstance(data__nullable, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".nullable must be boolean")
        if "discriminator" in data_keys:
            data_keys.remove("discriminator")
            data__discriminator = data["discriminator"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_discriminator(data__discriminator, custom_formats, (name_prefix or "data") + ".discriminator")
        if "readOnly" in data_keys:
            data_keys.remove("readOnly")
            data__readOnly = data["readOnly"]
            if not isinstance(data__readOnly, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".readOnly must be boolean")
        if "writeOnly" in data_keys:
            data_keys.remove("writeOnly")
            data__writeOnly = data["writeOnly"]
            if not isinstance(data__writeOnly, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".writeOnly must be boolean")
        if "example" in data_keys:
            data_keys.remove("example")
            data__example = data["example"]
        if "externalDocs" in data_keys:
            data_keys.remove("externalDocs")
            data__externalDocs = data["externalDocs"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_externaldocumentation(data__externalDocs, custom_formats, (name_prefix or "data") + ".externalDocs")
        if "deprecated" in data_keys:
            data_keys.remove("deprecated")
            data__deprecated = data["deprecated"]
            if not isinstance(data__deprecated, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".deprecated must be boolean")
        if "xml" in data_keys:
            data_keys.remove("xml")
            data__xml = data["xml"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_xml(data__xml, custom_formats, (name_prefix or "data") + ".xml")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_xml(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
        if "namespace" in data_keys:
            data_keys.remove("namespace")
            data__namespace = data["namespace"]
            if not isinstance(data__namespace, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".namespace must be string")
        if "prefix" in data_keys:
            data_keys.remove("prefix")
            data__prefix = data["prefix"]
            if not isinstance(data__prefix, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".prefix must be string")
        if "attribute" in data_keys:
            data_keys.remove("attribute")
            data__attribute = data["attribute"]
            if not isinstance(data__attribute, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".attribute must be boolean")
        if "wrapped" in data_keys:
            data_keys.remove("wrapped")
            data__wrapped = data["wrapped"]
            if not isinstance(data__wrapped, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".wrapped must be boolean")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_discriminator(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['propertyName']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "propertyName" in data_keys:
            data_keys.remove("propertyName")
            data__propertyName = data["propertyName"]
            if not isinstance(data__propertyName, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".propertyName must be string")
        if "mapping" in data_keys:
            data_keys.remove("mapping")
            data__mapping = data["mapping"]
            if not isinstance(data__mapping, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".mapping must be object")
            data__mapping_is_dict = isinstance(data__mapping, dict)
            if data__mapping_is_dict:
                data__mapping_keys = set(data__mapping.keys())
                for data__mapping_key in data__mapping_keys:
                    if data__mapping_key not in []:
                        data__mapping_value = data__mapping.get(data__mapping_key)
                        if not isinstance(data__mapping_value, (str)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".mapping.{data__mapping_key}".format(**locals()) + " must be string")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_paths(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^\\/'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
                validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_pathitem(data_val, custom_formats, (name_prefix or "data") + ".{data_key}".format(**locals()))
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_tag(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['name']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "externalDocs" in data_keys:
            data_keys.remove("externalDocs")
            data__externalDocs = data["externalDocs"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_externaldocumentation(data__externalDocs, custom_formats, (name_prefix or "data") + ".externalDocs")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_securityrequirement(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        for data_key in data_keys:
            if data_key not in []:
                data_value = data.get(data_key)
                if not isinstance(data_value, (list, tuple)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".{data_key}".format(**locals()) + " must be array")
                data_value_is_list = isinstance(data_value, (list, tuple))
                if data_value_is_list:
                    data_value_len = len(data_value)
                    for data_value_x, data_value_item in enumerate(data_value):
                        if not isinstance(data_value_item, (str)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".{data_key}[{data_value_x}]".format(**locals()) + " must be string")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_server(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['url']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "url" in data_keys:
            data_keys.remove("url")
            data__url = data["url"]
            if not isinstance(data__url, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".url must be string")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "variables" in data_keys:
            data_keys.remove("variables")
            data__variables = data["variables"]
            if not isinstance(data__variables, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".variables must be object")
            data__variables_is_dict = isinstance(data__variables, dict)
            if data__variables_is_dict:
                data__variables_keys = set(data__variables.keys())
                for data__variables_key in data__variables_keys:
                    if data__variables_key not in []:
                        data__variables_value = data__variables.get(data__variables_key)
                        validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_servervariable(data__variables_value, custom_formats, (name_prefix or "data") + ".variables.{data__variables_key}".format(**locals()))
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_servervariable(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['default']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "enum" in data_keys:
            data_keys.remove("enum")
            data__enum = data["enum"]
            if not isinstance(data__enum, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".enum must be array")
            data__enum_is_list = isinstance(data__enum, (list, tuple))
            if data__enum_is_list:
                data__enum_len = len(data__enum)
                for data__enum_x, data__enum_item in enumerate(data__enum):
                    if not isinstance(data__enum_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".enum[{data__enum_x}]".format(**locals()) + " must be string")
        if "default" in data_keys:
            data_keys.remove("default")
            data__default = data["default"]
            if not isinstance(data__default, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".default must be string")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_externaldocumentation(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['url']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "url" in data_keys:
            data_keys.remove("url")
            data__url = data["url"]
            if not isinstance(data__url, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".url must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_info(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['title', 'version']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "title" in data_keys:
            data_keys.remove("title")
            data__title = data["title"]
            if not isinstance(data__title, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".title must be string")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
        if "termsOfService" in data_keys:
            data_keys.remove("termsOfService")
            data__termsOfService = data["termsOfService"]
            if not isinstance(data__termsOfService, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".termsOfService must be string")
        if "contact" in data_keys:
            data_keys.remove("contact")
            data__contact = data["contact"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_contact(data__contact, custom_formats, (name_prefix or "data") + ".contact")
        if "license" in data_keys:
            data_keys.remove("license")
            data__license = data["license"]
            validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_license(data__license, custom_formats, (name_prefix or "data") + ".license")
        if "version" in data_keys:
            data_keys.remove("version")
            data__version = data["version"]
            if not isinstance(data__version, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_license(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['name']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
        if "url" in data_keys:
            data_keys.remove("url")
            data__url = data["url"]
            if not isinstance(data__url, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".url must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate_https___spec_openapis_org_oas_3_0_schema_2021_09_28__definitions_contact(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
        if "url" in data_keys:
            data_keys.remove("url")
            data__url = data["url"]
            if not isinstance(data__url, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".url must be string")
        if "email" in data_keys:
            data_keys.remove("email")
            data__email = data["email"]
            if not isinstance(data__email, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".email must be string")
        for data_key, data_val in data.items():
            if REGEX_PATTERNS['^x-'].search(data_key):
                if data_key in data_keys:
                    data_keys.remove(data_key)
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data
