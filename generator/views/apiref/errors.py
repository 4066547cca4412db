"""An operation's errors: their types and codes, and the error shape most of them share."""

from __future__ import annotations

import json
import re
from typing import Any

from generator.model.spec import Spec
from generator.snippets import to_json
from generator.views.apiref.markdown import heading_anchor, md_cell
from generator.views.apiref.schema_text import Resolve, ref_name
from generator.views.apiref.views import ErrorRow, ErrorShape, MediaLink, SchemaSection


def known_codes(spec: Spec) -> frozenset[str]:
    """Every machine-readable `error.code` the spec's examples use."""
    codes = set()
    for resp in _all_responses(spec):
        for body in resp.get("content", {}).values():
            for ex in example_values(body):
                err = ex.get("error") if isinstance(ex, dict) else None
                if isinstance(err, dict) and isinstance(err.get("code"), str):
                    codes.add(err["code"])
    return frozenset(codes)


def _all_responses(spec: Spec) -> list[dict[str, Any]]:
    out = list(spec.data.get("components", {}).get("responses", {}).values())
    out += [spec.resolve(r) for op in spec.operations for r in op.raw.get("responses", {}).values()]
    return [r for r in out if isinstance(r, dict)]


def error_row(status: str, resp: dict[str, Any], link: MediaLink | None, known: frozenset[str]) -> ErrorRow:
    types: list[str] = []
    codes: list[str] = []
    for body in resp.get("content", {}).values():
        for ex in example_values(body):
            if not isinstance(ex, dict) or not isinstance(ex.get("error"), dict):
                continue
            err = ex["error"]
            _add(types, err.get("type"))
            if "code" in err:
                _add(codes, err.get("code"))
            elif isinstance(err.get("message"), str):  # Anthropic: "model_not_found: the requested ..."
                m = re.match(r"^([a-z][a-z0-9_]*): ", err["message"])
                _add(codes, m.group(1) if m and m.group(1) in known else None)
    return ErrorRow(status, md_cell(resp.get("description", "")), tuple(types), tuple(codes), link)


def _add(items: list[str], value: Any) -> None:
    if isinstance(value, str) and value not in items:
        items.append(value)


def example_values(body: dict[str, Any]) -> list[Any]:
    out = [body["example"]] if "example" in body else []
    out += [ex["value"] for ex in body.get("examples", {}).values() if isinstance(ex, dict) and "value" in ex]
    return out


def error_shape(spec: Spec, error_media: list[tuple[str, Any]], schemas: dict[str, SchemaSection]) -> ErrorShape | None:
    """The error schema most error responses share, with its skeleton and one example."""
    counts: dict[str, int] = {}
    for _, body in error_media:
        name = ref_name(body.get("schema"))
        if name:
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    name = max(counts, key=lambda n: counts[n])
    anchor = heading_anchor(name)
    raw = {"$ref": f"#/components/schemas/{name}"}
    schema = spec.resolve(raw)
    example = next(
        (
            v
            for status, body in error_media
            if ref_name(body.get("schema")) == name and status != "400"
            for v in example_values(body)
        ),
        None,
    )
    error_obj = spec.resolve(schema.get("properties", {}).get("error", {}))
    in_message = "code" not in error_obj.get("properties", {})
    style = "Anthropic" if "type" in schema.get("properties", {}) else "OpenAI"
    return ErrorShape(
        schemas[anchor],
        _skeleton(spec.resolve, schema),
        style,
        in_message,
        to_json(example) if example is not None else "",
    )


def _skeleton(resolve: Resolve, schema: dict[str, Any]) -> str:
    """`{"type": "error", "error": {"type", "message"}}`: the keys of an object, one level down."""
    parts = []
    for key, raw in schema.get("properties", {}).items():
        sub = resolve(raw)
        if "const" in sub:
            parts.append(f"{json.dumps(key)}: {json.dumps(sub['const'])}")
        elif sub.get("properties"):
            parts.append(f"{json.dumps(key)}: {{" + ", ".join(json.dumps(k) for k in sub["properties"]) + "}")
        else:
            parts.append(json.dumps(key))
    return "{" + ", ".join(parts) + "}"
