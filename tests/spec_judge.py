"""Judge an HTTP request with openapi.yaml alone, as an API gateway would: jsonschema applied straight to the
spec's request schemas (`$ref`s resolved by `referencing`), and the model ids read straight from the catalog's
model files. Nothing of the generator is used, so the stand-in server of test_examples_run.py does not judge
the examples with the checker that wrote them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry
from referencing.jsonschema import DRAFT202012

BASE = "urn:empiriolabs:openapi"
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    raw: dict[str, Any]
    pointer: str  # JSON pointer of the operation in the spec

    @property
    def content_type(self) -> str | None:
        """The media type of the request body, or None when the operation takes none."""
        content = self.raw.get("requestBody", {}).get("content", {})
        return next(iter(content), None)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _json_path(parts: Any) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


class SpecJudge:
    """Every operation of an OpenAPI 3.1 document, and the models of a catalog directory."""

    def __init__(self, openapi: Path, catalog: Path):
        # through JSON: the spec as a client sees it (dates and the like become strings)
        self.data = json.loads(json.dumps(yaml.safe_load(openapi.read_text("utf-8")), default=str))
        self.registry = Registry().with_resource(BASE, DRAFT202012.create_resource(self.data))
        self.resolver = self.registry.resolver(BASE)
        self.operations = [Operation(m.upper(), path, item[m], f"/paths/{_escape(path)}/{m}")
                           for path, item in self.data["paths"].items() for m in METHODS if m in item]
        self._templates = [(op, re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(op.path)) + "$"))
                           for op in self.operations]
        self.endpoints: dict[str, list[str]] = {}
        for path in sorted(catalog.glob("models/*/*.yaml")):
            model = yaml.safe_load(path.read_text("utf-8"))
            self.endpoints[model["id"]] = list(model["endpoints"])
        # request examples the spec shows with a model that need not be in the catalog
        self.documented_only = {ex["value"]["model"] for op in self.operations
                                for media in op.raw.get("requestBody", {}).get("content", {}).values()
                                for ex in media.get("examples", {}).values()
                                if ex.get("x-catalog-check") is False and isinstance(ex.get("value"), dict)}

    def deref(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            node = self.resolver.lookup(node["$ref"]).contents
        return node

    def validator(self, pointer: str) -> jsonschema.Draft202012Validator:
        """A validator for the schema at `pointer` in the spec, e.g. /components/schemas/Model."""
        return jsonschema.Draft202012Validator({"$ref": f"{BASE}#{pointer}"}, registry=self.registry)

    def operation(self, method: str, path: str) -> Operation | None:
        return next((op for op, rx in self._templates if op.method == method and rx.match(path)), None)

    def body_schema(self, op: Operation) -> str | None:
        """The URI of the request body's schema, or None when the operation takes no body."""
        ctype = op.content_type
        if ctype is None:
            return None
        return f"{BASE}#{op.pointer}/requestBody/content/{_escape(ctype)}/schema"

    def form(self, op: Operation, fields: dict[str, str], files: dict[str, str]) -> dict[str, Any]:
        """A multipart form as its schema sees it: text fields typed as their schema says, files by name."""
        ctype = op.content_type or ""
        schema = self.deref(op.raw["requestBody"]["content"][ctype].get("schema", {}))
        props = schema.get("properties", {})
        body: dict[str, Any] = {}
        for key, text in fields.items():
            kinds = self.deref(props.get(key, {})).get("type", "string")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            try:
                body[key] = text if "string" in kinds else json.loads(text)
            except json.JSONDecodeError:
                body[key] = text
        return {**body, **files}

    def findings(self, op: Operation, path: str, query: str, body: Any, has_body: bool) -> list[str]:
        """Everything wrong with one request to `op`, as messages."""
        out = self._query_findings(op, query)
        if "{model_id}" in op.path:
            model_id = path.rsplit("/", 1)[-1]
            if model_id not in self.endpoints:
                out.append(f"unknown model {model_id!r}; it is not in the catalog")
        uri = self.body_schema(op)
        if not has_body:
            if op.raw.get("requestBody", {}).get("required"):
                out.append("sends no body; the operation requires one")
            return out
        if uri is None:
            return out + ["sends a body, but the operation takes none"]
        validator = self.validator(uri.removeprefix(f"{BASE}#"))
        for error in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path))):
            out += self._explain(error)
        return out + self._model_findings(op, body)

    def _explain(self, error: jsonschema.ValidationError) -> list[str]:
        """One message per error; a union with an OpenAPI `discriminator` is judged by the branch its tag names."""
        disc = error.schema.get("discriminator", {}) if isinstance(error.schema, dict) else {}
        prop, mapping, value = disc.get("propertyName"), disc.get("mapping", {}), error.instance
        if error.validator in ("oneOf", "anyOf") and prop and mapping and isinstance(value, dict):
            if value.get(prop) not in mapping:
                where = _json_path([*error.absolute_path, prop])
                return [f"{where}: {value.get(prop)!r} is not one of {list(mapping)}"]
            branches = error.schema[error.validator]
            chosen = [e for e in error.context if branches[e.schema_path[0]].get("$ref") == mapping[value[prop]]]
            return [m for e in chosen for m in self._explain(e)]
        if error.context:
            return self._explain(jsonschema.exceptions.best_match(error.context))
        return [f"{_json_path(error.absolute_path)}: {error.message}"]

    def _query_findings(self, op: Operation, query: str) -> list[str]:
        params = [self.deref(p) for p in op.raw.get("parameters", [])]
        allowed = {p["name"] for p in params if p.get("in") == "query"}
        keys = [part.split("=", 1)[0] for part in query.split("&") if part]
        return [f"unknown query parameter {k!r}" for k in keys if k not in allowed]

    def _model_findings(self, op: Operation, body: Any) -> list[str]:
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            return []
        model = body["model"]
        if model in self.documented_only:
            return []
        if model not in self.endpoints:
            return [f"$.model: unknown model {model!r}; it is not in the catalog"]
        if op.path not in self.endpoints[model]:
            return [f"$.model: {model!r} does not serve {op.path}; it serves {', '.join(self.endpoints[model])}"]
        return []
