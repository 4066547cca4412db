"""The OpenAPI document, once validated: its operations, and the schemas of their requests and responses."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from generator import cache
from generator.load.yamlfile import YamlDoc

if TYPE_CHECKING:
    from referencing._core import Resolver  # the type `Registry.resolver` returns

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    """One method on one path, as the API reference presents it."""

    method: str
    path: str
    id: str
    summary: str
    description: str
    tags: tuple[str, ...]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def url(self) -> str:
        return f"api/{self.id}.md"

    @property
    def content_type(self) -> str | None:
        content = self.raw.get("requestBody", {}).get("content", {})
        return next(iter(content), None)


@dataclass(frozen=True)
class Spec:
    doc: YamlDoc

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data

    @cached_property
    def operations(self) -> tuple[Operation, ...]:
        ops = []
        for path, item in self.data.get("paths", {}).items():
            for method in METHODS:
                if method in item:
                    op = item[method]
                    ops.append(
                        Operation(
                            method.upper(),
                            path,
                            op.get("operationId", f"{method}-{path}"),
                            op.get("summary", ""),
                            op.get("description", ""),
                            tuple(op.get("tags", ())),
                            op,
                        )
                    )
        return tuple(ops)

    def operation(self, method: str, path: str) -> Operation | None:
        for op in self.operations:
            if op.method == method.upper() and op.path == path:
                return op
        return None

    @property
    def post_paths(self) -> set[str]:
        return {op.path for op in self.operations if op.method == "POST"}

    @cached_property
    def resolver(self) -> Resolver:
        """Looks up a local reference (`#/components/schemas/Model`) in the document."""
        return resolver_of(self.data)

    def resolve(self, schema: Any) -> Any:
        """Follow local `$ref`s until a schema that is not a reference."""
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/"):
            schema = self.resolver.lookup(schema["$ref"]).contents
        return schema

    def binary_fields(self, schema: Any) -> tuple[str, ...]:
        """The properties of an object schema that are files (`format: binary`): a form's file parts."""
        schema = self.resolve(schema)
        return tuple(k for k, v in schema.get("properties", {}).items() if self.resolve(v).get("format") == "binary")

    @cached_property
    def digest(self) -> str:
        """A hash of the document's content: what a compiled validator depends on."""
        return cache.key(json.dumps(self.data, sort_keys=True, default=str, ensure_ascii=False))

    def pointer_validator(self, pointer: str) -> jsonschema.protocols.Validator:
        """A validator for the schema at `pointer`, with every `#/components/...` ref resolvable."""
        return _validator(self, pointer)

    def request_pointer(self, op: Operation) -> str | None:
        ctype = op.content_type
        if ctype is None:
            return None
        return f"#/paths/{escape(op.path)}/{op.method.lower()}/requestBody/content/{escape(ctype)}/schema"


# Keyed by content, not by id(spec): in a long-running `serve`, a later Spec can reuse a freed one's id.
_VALIDATORS: dict[tuple[str, str], jsonschema.protocols.Validator] = {}
_MAX_VALIDATORS = 4096


def _validator(spec: Spec, pointer: str) -> jsonschema.protocols.Validator:
    key = (spec.digest, pointer)
    if key not in _VALIDATORS:
        if len(_VALIDATORS) >= _MAX_VALIDATORS:  # bounded in a long `serve`: edits of the spec add entries
            _VALIDATORS.clear()
        # The whole document is the root resource, so that local refs resolve; only `$ref` is a keyword
        # among its top-level keys, so the other keys (openapi, info, paths...) are inert.
        root = {**spec.data, "$ref": pointer}
        _VALIDATORS[key] = jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())
    return _VALIDATORS[key]


def resolver_of(data: Any) -> Resolver:
    """A `referencing` resolver with the document as its root resource."""
    return Registry().with_resource("urn:openapi", DRAFT202012.create_resource(data)).resolver("urn:openapi")


def escape(token: str) -> str:
    """One JSON pointer token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")
