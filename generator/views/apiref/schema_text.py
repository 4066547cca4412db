"""The words for one schema: its name, its type, its values, its range and its default."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from generator.snippets import plain
from generator.views.apiref.markdown import code, code_span

Resolve = Callable[[Any], Any]


def ref_name(raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("$ref"), str) and raw["$ref"].startswith("#/components/"):
        return raw["$ref"].rsplit("/", 1)[-1]
    return ""


def schema_variants(resolve: Resolve, raw: Any, seen: frozenset[int] = frozenset()) -> list[dict[str, Any]]:
    """The non-union schemas a value may match: oneOf/anyOf flattened, refs followed."""
    schema = resolve(raw)
    if not isinstance(schema, dict) or id(schema) in seen:
        return []
    union = schema.get("oneOf") or schema.get("anyOf")
    if not union:
        return [schema]
    out: list[dict[str, Any]] = []
    for v in union:
        for s in schema_variants(resolve, v, seen | {id(schema)}):
            if all(s is not o for o in out):
                out.append(s)
    return out


def _types(resolve: Resolve, schema: dict[str, Any]) -> list[str]:
    if "const" in schema:
        c = schema["const"]
        return [schema["type"]] if isinstance(schema.get("type"), str) else [_json_type(c)]
    t = schema.get("type")
    kinds = t if isinstance(t, list) else [t] if t else []
    if not kinds:
        kinds = ["object"] if "properties" in schema else ["any"]
    out = []
    for k in kinds:
        if k == "array":
            items = schema_variants(resolve, schema.get("items", {}))
            inner = sorted({x for i in items for x in _types(resolve, i)}) if items else []
            out.append(f"array of {inner[0]}" if len(inner) == 1 and inner[0] not in ("object", "any") else "array")
        elif k == "string" and schema.get("format") == "binary":
            out.append("file")
        elif k == "string" and schema.get("format"):
            out.append(f"string ({schema['format']})")
        else:
            out.append(str(k))
    return out


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "integer"
    return "number"


def type_text(resolve: Resolve, variants: list[dict[str, Any]]) -> str:
    out: list[str] = []
    for v in variants:
        for t in _types(resolve, v):
            if t not in out:
                out.append(t)
    if "null" in out:  # nullable last: `string | null`
        out = [t for t in out if t != "null"] + ["null"]
    return " | ".join(out) or "any"


def _values(variants: list[dict[str, Any]]) -> list[Any]:
    out: list[Any] = []
    for v in variants:
        for x in [v["const"]] if "const" in v else v.get("enum", []):
            if x not in out:
                out.append(x)
    return out


def _range(schema: dict[str, Any]) -> list[str]:
    out = []
    lo, hi = schema.get("minimum"), schema.get("maximum")
    xlo, xhi = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if lo is not None and hi is not None:
        out.append(f"{code(lo)} to {code(hi)}")
    else:
        low = f"≥ {code(lo)}" if lo is not None else f"above {code(xlo)}" if xlo is not None else ""
        high = f"≤ {code(hi)}" if hi is not None else f"below {code(xhi)}" if xhi is not None else ""
        if low or high:
            out.append(" and ".join(x for x in (low, high) if x))
    for lo_key, hi_key, unit in (("minLength", "maxLength", "characters"), ("minItems", "maxItems", "items")):
        a, b = schema.get(lo_key), schema.get(hi_key)
        if a is not None and b is not None:
            out.append(f"{a} to {b} {unit}")
        elif b is not None:
            out.append(f"up to {b} {unit}")
        elif a is not None and a > 1:
            out.append(f"at least {a} {unit}")
        elif a == 1:
            out.append("non-empty" if unit == "characters" else "at least 1 item")
    if schema.get("pattern"):
        out.append(f"pattern {code_span(schema['pattern'])}")
    return out


def values_text(variants: list[dict[str, Any]]) -> str:
    return ", ".join(code_span(code(v)) for v in _values(variants))


def range_text(variants: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for v in variants:
        parts += [r for r in _range(v) if r not in parts]
    return "; ".join(parts)


def default_text(variants: list[dict[str, Any]], raw: dict[str, Any]) -> str:
    for s in (raw, *variants):
        if isinstance(s, dict) and "default" in s:
            return code_span(json.dumps(plain(s["default"]), ensure_ascii=False))
    return ""
