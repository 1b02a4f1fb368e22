"""fastjsonschema's check for OAS30Validator's meta-schema (JSON Schema draft 4).

Written by ``python -m generator.validate.walk_oracle``; do not edit.
"""

# ruff: noqa
# mypy: ignore-errors
# fmt: off

KEY = "openapi-schema-validator=0.8.1;jsonschema=4.26.0;jsonschema-specifications=2025.9.1;fastjsonschema=2.22.3"

from decimal import Decimal
VERSION = "2.22.3"
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


NoneType = type(None)

def validate_http___json_schema_org_draft_04_schema(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        if "exclusiveMaximum" in data:
            if "maximum" not in data:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " missing dependency maximum for exclusiveMaximum")
        if "exclusiveMinimum" in data:
            if "minimum" not in data:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " missing dependency minimum for exclusiveMinimum")
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            if not isinstance(data__id, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".id must be string")
        if "$schema" in data_keys:
            data_keys.remove("$schema")
            data__schema = data["$schema"]
            if not isinstance(data__schema, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".$schema must be string")
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
        if "default" in data_keys:
            data_keys.remove("default")
            data__default = data["default"]
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
            validate_http___json_schema_org_draft_04_schema__definitions_positiveinteger(data__maxLength, custom_formats, (name_prefix or "data") + ".maxLength")
        if "minLength" in data_keys:
            data_keys.remove("minLength")
            data__minLength = data["minLength"]
            validate_http___json_schema_org_draft_04_schema__definitions_positiveintegerdefault0(data__minLength, custom_formats, (name_prefix or "data") + ".minLength")
        if "pattern" in data_keys:
            data_keys.remove("pattern")
            data__pattern = data["pattern"]
            if not isinstance(data__pattern, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pattern must be string")
            if isinstance(data__pattern, str):
                try:
                    re.compile(data__pattern)
                except Exception:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".pattern must be a valid regex")
        if "additionalItems" in data_keys:
            data_keys.remove("additionalItems")
            data__additionalItems = data["additionalItems"]
            data__additionalItems_any_of_count1 = 0
            if not data__additionalItems_any_of_count1:
                try:
                    if not isinstance(data__additionalItems, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".additionalItems must be boolean")
                    data__additionalItems_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__additionalItems_any_of_count1:
                try:
                    validate_http___json_schema_org_draft_04_schema(data__additionalItems, custom_formats, (name_prefix or "data") + ".additionalItems")
                    data__additionalItems_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__additionalItems_any_of_count1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additionalItems cannot be validated by any definition")
        if "items" in data_keys:
            data_keys.remove("items")
            data__items = data["items"]
            data__items_any_of_count2 = 0
            if not data__items_any_of_count2:
                try:
                    validate_http___json_schema_org_draft_04_schema(data__items, custom_formats, (name_prefix or "data") + ".items")
                    data__items_any_of_count2 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__items_any_of_count2:
                try:
                    validate_http___json_schema_org_draft_04_schema__definitions_schemaarray(data__items, custom_formats, (name_prefix or "data") + ".items")
                    data__items_any_of_count2 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__items_any_of_count2:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".items cannot be validated by any definition")
        if "maxItems" in data_keys:
            data_keys.remove("maxItems")
            data__maxItems = data["maxItems"]
            validate_http___json_schema_org_draft_04_schema__definitions_positiveinteger(data__maxItems, custom_formats, (name_prefix or "data") + ".maxItems")
        if "minItems" in data_keys:
            data_keys.remove("minItems")
            data__minItems = data["minItems"]
            validate_http___json_schema_org_draft_04_schema__definitions_positiveintegerdefault0(data__minItems, custom_formats, (name_prefix or "data") + ".minItems")
        if "uniqueItems" in data_keys:
            data_keys.remove("uniqueItems")
            data__uniqueItems = data["uniqueItems"]
            if not isinstance(data__uniqueItems, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".uniqueItems must be boolean")
        if "maxProperties" in data_keys:
            data_keys.remove("maxProperties")
            data__maxProperties = data["maxProperties"]
            validate_http___json_schema_org_draft_04_schema__definitions_positiveinteger(data__maxProperties, custom_formats, (name_prefix or "data") + ".maxProperties")
        if "minProperties" in data_keys:
            data_keys.remove("minProperties")
            data__minProperties = data["minProperties"]
            validate_http___json_schema_org_draft_04_schema__definitions_positiveintegerdefault0(data__minProperties, custom_formats, (name_prefix or "data") + ".minProperties")
        if "required" in data_keys:
            data_keys.remove("required")
            data__required = data["required"]
            validate_http___json_schema_org_draft_04_schema__definitions_stringarray(data__required, custom_formats, (name_prefix or "data") + ".required")
        if "additionalProperties" in data_keys:
            data_keys.remove("additionalProperties")
            data__additionalProperties = data["additionalProperties"]
            data__additionalProperties_any_of_count3 = 0
            if not data__additionalProperties_any_of_count3:
                try:
                    if not isinstance(data__additionalProperties, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".additionalProperties must be boolean")
                    data__additionalProperties_any_of_count3 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__additionalProperties_any_of_count3:
                try:
                    validate_http___json_schema_org_draft_04_schema(data__additionalProperties, custom_formats, (name_prefix or "data") + ".additionalProperties")
                    data__additionalProperties_any_of_count3 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__additionalProperties_any_of_count3:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additionalProperties cannot be validated by any definition")
        if "definitions" in data_keys:
            data_keys.remove("definitions")
            data__definitions = data["definitions"]
            if not isinstance(data__definitions, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".definitions must be object")
            data__definitions_is_dict = isinstance(data__definitions, dict)
            if data__definitions_is_dict:
                data__definitions_keys = set(data__definitions.keys())
                for data__definitions_key in data__definitions_keys:
                    if data__definitions_key not in []:
                        data__definitions_value = data__definitions.get(data__definitions_key)
                        validate_http___json_schema_org_draft_04_schema(data__definitions_value, custom_formats, (name_prefix or "data") + ".definitions.{data__definitions_key}".format(**locals()))
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
                        validate_http___json_schema_org_draft_04_schema(data__properties_value, custom_formats, (name_prefix or "data") + ".properties.{data__properties_key}".format(**locals()))
        if "patternProperties" in data_keys:
            data_keys.remove("patternProperties")
            data__patternProperties = data["patternProperties"]
            if not isinstance(data__patternProperties, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".patternProperties must be object")
            data__patternProperties_is_dict = isinstance(data__patternProperties, dict)
            if data__patternProperties_is_dict:
                data__patternProperties_keys = set(data__patternProperties.keys())
                for data__patternProperties_key in data__patternProperties_keys:
                    if data__patternProperties_key not in []:
                        data__patternProperties_value = data__patternProperties.get(data__patternProperties_key)
                        validate_http___json_schema_org_draft_04_schema(data__patternProperties_value, custom_formats, (name_prefix or "data") + ".patternProperties.{data__patternProperties_key}".format(**locals()))
        if "dependencies" in data_keys:
            data_keys.remove("dependencies")
            data__dependencies = data["dependencies"]
            if not isinstance(data__dependencies, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".dependencies must be object")
            data__dependencies_is_dict = isinstance(data__dependencies, dict)
            if data__dependencies_is_dict:
                data__dependencies_keys = set(data__dependencies.keys())
                for data__dependencies_key in data__dependencies_keys:
                    if data__dependencies_key not in []:
                        data__dependencies_value = data__dependencies.get(data__dependencies_key)
                        data__dependencies_value_any_of_count4 = 0
                        if not data__dependencies_value_any_of_count4:
                            try:
                                validate_http___json_schema_org_draft_04_schema(data__dependencies_value, custom_formats, (name_prefix or "data") + ".dependencies.{data__dependencies_key}".format(**locals()))
                                data__dependencies_value_any_of_count4 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if not data__dependencies_value_any_of_count4:
                            try:
                                validate_http___json_schema_org_draft_04_schema__definitions_stringarray(data__dependencies_value, custom_formats, (name_prefix or "data") + ".dependencies.{data__dependencies_key}".format(**locals()))
                                data__dependencies_value_any_of_count4 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if not data__dependencies_value_any_of_count4:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".dependencies.{data__dependencies_key}".format(**locals()) + " cannot be validated by any definition")
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
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                if data__enum_len > len(set(fn(data__enum_x) for data__enum_x in data__enum)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".enum must contain unique items")
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            data__type_any_of_count5 = 0
            if not data__type_any_of_count5:
                try:
                    validate_http___json_schema_org_draft_04_schema__definitions_simpletypes(data__type, custom_formats, (name_prefix or "data") + ".type")
                    data__type_any_of_count5 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__type_any_of_count5:
                try:
                    if not isinstance(data__type, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be array")
                    data__type_is_list = isinstance(data__type, (list, tuple))
                    if data__type_is_list:
                        data__type_len = len(data__type)
                        if data__type_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must contain at least 1 items")
                        def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                        if data__type_len > len(set(fn(data__type_x) for data__type_x in data__type)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must contain unique items")
                        for data__type_x, data__type_item in enumerate(data__type):
                            validate_http___json_schema_org_draft_04_schema__definitions_simpletypes(data__type_item, custom_formats, (name_prefix or "data") + ".type[{data__type_x}]".format(**locals()))
                    data__type_any_of_count5 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__type_any_of_count5:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".type cannot be validated by any definition")
        if "format" in data_keys:
            data_keys.remove("format")
            data__format = data["format"]
            if not isinstance(data__format, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".format must be string")
        if "allOf" in data_keys:
            data_keys.remove("allOf")
            data__allOf = data["allOf"]
            validate_http___json_schema_org_draft_04_schema__definitions_schemaarray(data__allOf, custom_formats, (name_prefix or "data") + ".allOf")
        if "anyOf" in data_keys:
            data_keys.remove("anyOf")
            data__anyOf = data["anyOf"]
            validate_http___json_schema_org_draft_04_schema__definitions_schemaarray(data__anyOf, custom_formats, (name_prefix or "data") + ".anyOf")
        if "oneOf" in data_keys:
            data_keys.remove("oneOf")
            data__oneOf = data["oneOf"]
            validate_http___json_schema_org_draft_04_schema__definitions_schemaarray(data__oneOf, custom_formats, (name_prefix or "data") + ".oneOf")
        if "not" in data_keys:
            data_keys.remove("not")
            data__not = data["not"]
            validate_http___json_schema_org_draft_04_schema(data__not, custom_formats, (name_prefix or "data") + ".not")
    return data

def validate_http___json_schema_org_draft_04_schema__definitions_simpletypes(data, custom_formats={}, name_prefix=None):
    if not (isinstance(data, str) and data == 'array' or isinstance(data, str) and data == 'boolean' or isinstance(data, str) and data == 'integer' or isinstance(data, str) and data == 'null' or isinstance(data, str) and data == 'number' or isinstance(data, str) and data == 'object' or isinstance(data, str) and data == 'string'):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']")
    return data

def validate_http___json_schema_org_draft_04_schema__definitions_stringarray(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (list, tuple)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be array")
    data_is_list = isinstance(data, (list, tuple))
    if data_is_list:
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain at least 1 items")
        def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
        if data_len > len(set(fn(data_x) for data_x in data)):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain unique items")
        for data_x, data_item in enumerate(data):
            if not isinstance(data_item, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + " must be string")
    return data

def validate_http___json_schema_org_draft_04_schema__definitions_schemaarray(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (list, tuple)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be array")
    data_is_list = isinstance(data, (list, tuple))
    if data_is_list:
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain at least 1 items")
        for data_x, data_item in enumerate(data):
            validate_http___json_schema_org_draft_04_schema(data_item, custom_formats, (name_prefix or "data") + "[{data_x}]".format(**locals()))
    return data

def validate_http___json_schema_org_draft_04_schema__definitions_positiveintegerdefault0(data, custom_formats={}, name_prefix=None):
    validate_http___json_schema_org_draft_04_schema__definitions_positiveinteger(data, custom_formats, (name_prefix or "data") + "")
    return data

def validate_http___json_schema_org_draft_04_schema__definitions_positiveinteger(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (int)) or isinstance(data, bool):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be integer")
    if isinstance(data, (int, float, Decimal)) and not isinstance(data, bool):
        if data < 0:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be bigger than or equal to 0")
    return data
