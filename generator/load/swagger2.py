"""Part of stage 1 (load): convert a bundled Swagger 2.0 document to OpenAPI 3.0.

Covers what clients need: paths and parameters (``body`` and ``formData`` become a
request body), ``collectionFormat`` as style/explode, ``definitions`` and reusable
parameters/responses as components with every ``$ref`` rewritten, response schemas and
headers, ``host``/``basePath``/``schemes`` as servers, ``securityDefinitions`` and
``consumes``/``produces``. Anything it cannot express is reported as a warning.
"""

from __future__ import annotations

from typing import Any

from generator.errors import Problem, json_pointer

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_SCHEMA_FIELDS = (
    "type", "format", "items", "enum", "default", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "multipleOf",
)  # fmt: skip
_REF_PREFIXES = {
    "#/definitions/": "#/components/schemas/",
    "#/parameters/": "#/components/parameters/",
    "#/responses/": "#/components/responses/",
}
_COLLECTION = {
    "csv": ("form", False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
}


class _Converter:
    def __init__(self, document: dict[str, Any], display: str) -> None:
        self.doc = document
        self.display = display
        self.warnings: list[Problem] = []
        self.consumes = self._media(document.get("consumes"), "application/json")
        self.produces = self._media(document.get("produces"), "application/json")

    def warn(self, pointer: str, message: str) -> None:
        self.warnings.append(Problem(self.display, pointer, message, severity="warning"))

    @staticmethod
    def _media(value: Any, default: str) -> list[str]:
        if isinstance(value, list) and all(isinstance(v, str) for v in value) and value:
            return list(value)
        return [default]

    def schema(self, node: Any) -> Any:
        """Swagger schemas are nearly 3.0 schemas; fix the few keywords that differ."""
        if isinstance(node, list):
            return [self.schema(item) for item in node]
        if not isinstance(node, dict):
            return node
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                result[key] = _rewrite_ref(value)
            elif key in ("properties", "patternProperties") and isinstance(value, dict):
                result[key] = {name: self.schema(sub) for name, sub in value.items()}
            elif key in ("items", "additionalProperties", "not", "allOf", "oneOf", "anyOf"):
                result[key] = self.schema(value)
            elif key == "discriminator" and isinstance(value, str):
                result[key] = {"propertyName": value}
            elif key == "x-nullable":
                result["nullable"] = value
            elif key == "type" and value == "file":
                result["type"], result["format"] = "string", "binary"
            else:
                result[key] = value
        return result

    def simple_schema(self, param: dict[str, Any]) -> dict[str, Any]:
        schema = {k: param[k] for k in _SCHEMA_FIELDS if k in param}
        if isinstance(schema.get("items"), dict):
            schema["items"] = self.simple_schema(schema["items"])
        return dict(self.schema(schema))

    def parameter(self, param: dict[str, Any], pointer: str) -> dict[str, Any]:
        if "$ref" in param:
            return {"$ref": _rewrite_ref(str(param["$ref"]))}
        result: dict[str, Any] = {
            k: param[k]
            for k in ("name", "in", "description", "required", "allowEmptyValue", "deprecated")
            if k in param
        }
        result.update({k: v for k, v in param.items() if str(k).startswith("x-")})
        result["schema"] = self.simple_schema(param)
        fmt = param.get("collectionFormat")
        if param.get("type") == "array" and param.get("in") in ("query", "cookie"):
            style, explode = _COLLECTION.get(fmt or "csv", ("form", False))
            if fmt not in (None, *_COLLECTION):
                self.warn(
                    pointer, f"collectionFormat {fmt!r} has no OpenAPI 3 equivalent; csv used"
                )
            result["style"], result["explode"] = style, explode
        return result

    def resolve_parameter(self, param: Any) -> Any:
        ref = param.get("$ref") if isinstance(param, dict) else None
        if isinstance(ref, str) and ref.startswith("#/parameters/"):
            target = self.doc.get("parameters", {}).get(ref.split("/", 2)[2].replace("~1", "/"))
            if isinstance(target, dict) and target.get("in") in ("body", "formData"):
                return target  # a request body cannot be a reusable parameter in 3.0
        return param

    def request_body(
        self, body: dict[str, Any] | None, form: list[dict[str, Any]], consumes: list[str]
    ) -> dict[str, Any] | None:
        if body is not None:
            result: dict[str, Any] = {
                "content": {mt: {"schema": self.schema(body.get("schema", {}))} for mt in consumes}
            }
            for key in ("description", "required"):
                if key in body:
                    result[key] = body[key]
            return result
        if not form:
            return None
        has_file = any(p.get("type") == "file" for p in form)
        multipart = has_file or "multipart/form-data" in consumes
        media = "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
        properties = {}
        for p in form:
            prop = self.simple_schema(p)
            if "description" in p:
                prop["description"] = p["description"]
            properties[str(p.get("name"))] = prop
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        required = [str(p.get("name")) for p in form if p.get("required")]
        if required:
            schema["required"] = required
        return {"content": {media: {"schema": schema}}, "required": bool(required)}

    def response(self, response: Any, produces: list[str]) -> Any:
        if not isinstance(response, dict):
            return response
        if "$ref" in response:
            return {"$ref": _rewrite_ref(str(response["$ref"]))}
        result: dict[str, Any] = {"description": response.get("description", "")}
        if "schema" in response:
            schema = self.schema(response["schema"])
            result["content"] = {mt: {"schema": schema} for mt in produces}
        headers = response.get("headers")
        if isinstance(headers, dict):
            result["headers"] = {
                name: {
                    **({"description": h["description"]} if "description" in h else {}),
                    "schema": self.simple_schema(h),
                }
                for name, h in headers.items()
                if isinstance(h, dict)
            }
        result.update({k: v for k, v in response.items() if str(k).startswith("x-")})
        return result

    def operation(self, op: dict[str, Any], shared: list[Any], pointer: str) -> dict[str, Any]:
        keep = ("tags", "summary", "description", "externalDocs", "operationId", "deprecated",
                "security")  # fmt: skip
        result = {k: op[k] for k in keep if k in op}
        result.update({k: v for k, v in op.items() if str(k).startswith("x-")})
        consumes = (
            self._media(op.get("consumes"), self.consumes[0])
            if "consumes" in op
            else (self.consumes)
        )
        produces = (
            self._media(op.get("produces"), self.produces[0])
            if "produces" in op
            else (self.produces)
        )
        own = [self.resolve_parameter(p) for p in op.get("parameters", []) or []]
        own_keys = {(p.get("name"), p.get("in")) for p in own if isinstance(p, dict)}
        inherited = [p for p in shared if (p.get("name"), p.get("in")) not in own_keys]
        params: list[Any] = []
        body: dict[str, Any] | None = None
        form: list[dict[str, Any]] = []
        for index, param in enumerate(inherited + own):
            if not isinstance(param, dict):
                continue
            where = param.get("in")
            if where == "body":
                body = param
            elif where == "formData":
                form.append(param)
            else:
                params.append(self.parameter(param, pointer + json_pointer("parameters", index)))
        if params:
            result["parameters"] = params
        request = self.request_body(body, form, consumes)
        if request is not None:
            result["requestBody"] = request
        responses = op.get("responses") or {"default": {"description": "Unexpected"}}
        result["responses"] = {
            str(code): self.response(resp, produces) for code, resp in responses.items()
        }
        return result

    def paths(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for path, item in (self.doc.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            pointer = json_pointer("paths", path)
            shared_all = [self.resolve_parameter(p) for p in item.get("parameters", []) or []]
            body_like = [
                p for p in shared_all if isinstance(p, dict) and p.get("in") in ("body", "formData")
            ]
            converted: dict[str, Any] = {}
            plain = [p for p in shared_all if p not in body_like]
            if plain:
                converted["parameters"] = [
                    self.parameter(p, pointer + "/parameters") for p in plain if isinstance(p, dict)
                ]
            for method in _METHODS:
                if isinstance(item.get(method), dict):
                    converted[method] = self.operation(
                        item[method], body_like, pointer + json_pointer(method)
                    )
            converted.update({k: v for k, v in item.items() if str(k).startswith("x-")})
            result[str(path)] = converted
        return result

    def servers(self) -> list[dict[str, str]]:
        host = self.doc.get("host")
        base_path = str(self.doc.get("basePath") or "")
        if not host:
            return [{"url": base_path or "/"}]
        schemes = self.doc.get("schemes") or ["https"]
        return [{"url": f"{scheme}://{host}{base_path}"} for scheme in schemes]

    def security_schemes(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, scheme in (self.doc.get("securityDefinitions") or {}).items():
            kind = scheme.get("type") if isinstance(scheme, dict) else None
            if kind == "basic":
                result[name] = {"type": "http", "scheme": "basic"}
            elif kind == "apiKey":
                result[name] = {
                    "type": "apiKey",
                    "name": scheme.get("name"),
                    "in": scheme.get("in"),
                }
            elif kind == "oauth2":
                flow_name = {"implicit": "implicit", "password": "password",
                             "application": "clientCredentials",
                             "accessCode": "authorizationCode"}.get(scheme.get("flow"))  # fmt: skip
                if flow_name is None:
                    self.warn(json_pointer("securityDefinitions", name), "unknown oauth2 flow")
                    continue
                flow = {"scopes": scheme.get("scopes") or {}}
                for key in ("authorizationUrl", "tokenUrl"):
                    if key in scheme:
                        flow[key] = scheme[key]
                result[name] = {"type": "oauth2", "flows": {flow_name: flow}}
            else:
                self.warn(json_pointer("securityDefinitions", name), f"unknown type {kind!r}")
                continue
            if isinstance(scheme.get("description"), str):
                # the client's auth helper documents the scheme with it
                result[name]["description"] = scheme["description"]
        return result

    def convert(self) -> dict[str, Any]:
        result: dict[str, Any] = {"openapi": "3.0.3", "info": self.doc.get("info", {})}
        result["servers"] = self.servers()
        for key in ("tags", "externalDocs", "security"):
            if key in self.doc:
                result[key] = self.doc[key]
        result.update({k: v for k, v in self.doc.items() if str(k).startswith("x-")})
        result["paths"] = self.paths()
        components: dict[str, Any] = {}
        definitions = self.doc.get("definitions") or {}
        if definitions:
            components["schemas"] = {k: self.schema(v) for k, v in definitions.items()}
        parameters = {
            name: self.parameter(p, json_pointer("parameters", name))
            for name, p in (self.doc.get("parameters") or {}).items()
            if isinstance(p, dict) and p.get("in") not in ("body", "formData")
        }
        if parameters:
            components["parameters"] = parameters
        responses = {
            name: self.response(r, self.produces)
            for name, r in (self.doc.get("responses") or {}).items()
        }
        if responses:
            components["responses"] = responses
        schemes = self.security_schemes()
        if schemes:
            components["securitySchemes"] = schemes
        if components:
            result["components"] = components
        return result


def _rewrite_ref(ref: str) -> str:
    for old, new in _REF_PREFIXES.items():
        if ref.startswith(old):
            return new + ref[len(old) :]
    return ref


def convert(document: dict[str, Any], display: str) -> tuple[dict[str, Any], list[Problem]]:
    """Return an OpenAPI 3.0.3 equivalent of a Swagger 2.0 ``document`` plus warnings."""
    converter = _Converter(document, display)
    result = converter.convert()
    converter.warn("/swagger", "Swagger 2.0 document converted to OpenAPI 3.0")
    return result, converter.warnings
