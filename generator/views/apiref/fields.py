"""Schema field tables: every field of an object schema as a row, nested fields under dotted names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.views.apiref.markdown import code, code_span, md_cell, or_list, sentence
from generator.views.apiref.schema_text import (
    Resolve,
    default_text,
    range_text,
    schema_variants,
    type_text,
    values_text,
)
from generator.views.apiref.views import FieldRow

MAX_DEPTH = 3  # `tools[].function.name`: deeper request fields are summed up in their parent's row
RESPONSE_DEPTH = 2  # response bodies: `choices[].message`, its fields named in a sentence
ALIAS_OF = re.compile(r"^Another name for `([A-Za-z0-9_]+)`")


@dataclass
class _Alt:
    """One object schema a position in the body may take, with what tells it apart from its siblings."""

    schema: dict[str, Any]
    label: tuple[str, ...] = ()


def flatten(resolve: Resolve, raw: Any, *, max_depth: int = MAX_DEPTH) -> tuple[FieldRow, ...]:
    """Every field of an object schema as table rows, nested fields under dotted names."""
    alts = [_Alt(s) for s in schema_variants(resolve, raw) if s.get("properties")]
    return tuple(_rows(resolve, alts, "", 1, max_depth, frozenset()))


def _discriminate(resolve: Resolve, alts: list[_Alt]) -> str:
    """Label each alternative by the property whose const/enum tells it apart; return that property."""
    if len(alts) < 2:
        return ""
    candidates = []
    for name in alts[0].schema.get("properties", {}):
        subs = [resolve(a.schema.get("properties", {}).get(name)) for a in alts]
        if all(isinstance(s, dict) and ("const" in s or "enum" in s) for s in subs):
            candidates.append(name)
    if not candidates:
        return ""
    disc = "type" if "type" in candidates else "role" if "role" in candidates else candidates[0]
    for a in alts:
        s = resolve(a.schema["properties"][disc])
        a.label = tuple(code(v) for v in ([s["const"]] if "const" in s else s["enum"]))
    return disc


def _rows(
    resolve: Resolve, alts: list[_Alt], prefix: str, depth: int, max_depth: int, seen: frozenset[int]
) -> list[FieldRow]:
    disc = _discriminate(resolve, alts)
    names: list[str] = []
    for a in alts:
        names += [n for n in a.schema.get("properties", {}) if n not in names]
    aliases = _aliases(resolve, alts, names)
    hidden = {n for group in aliases.values() for n in group}
    seen = seen | {id(a.schema) for a in alts}  # a schema met again below itself is not expanded twice
    out = []
    for name in names:
        if name in hidden:
            continue
        entries = [
            (a, a.schema["properties"][name], name in a.schema.get("required", []))
            for a in alts
            if name in a.schema.get("properties", {})
        ]
        row, children = _row(resolve, alts, disc, prefix + name, entries, depth, aliases.get(name, []))
        groups: dict[str, list[_Alt]] = {}
        for sep, schema in children:
            if id(schema) not in seen:
                groups.setdefault(sep, []).append(_Alt(schema))
        if not groups:
            out.append(row)
        elif depth < max_depth:
            out.append(row)
            for sep, group in groups.items():
                out += _rows(resolve, group, prefix + name + sep, depth + 1, max_depth, seen)
        else:
            out.append(_collapsed(row, groups))
    return out


def _aliases(resolve: Resolve, alts: list[_Alt], names: list[str]) -> dict[str, list[str]]:
    """The fields described as "Another name for `x`", by the field `x` they stand for (their row is x's)."""
    aliases: dict[str, list[str]] = {}
    for a in alts:
        for n, raw in a.schema.get("properties", {}).items():
            m = ALIAS_OF.match(str(resolve(raw).get("description", "")))
            if m and m.group(1) in names and n not in aliases.get(m.group(1), []):
                aliases.setdefault(m.group(1), []).append(n)
    return aliases


Entry = tuple[_Alt, Any, bool]  # an alternative that has the field, the field's schema, whether it is required


def _row(
    resolve: Resolve, alts: list[_Alt], disc: str, name: str, entries: list[Entry], depth: int, aliases: list[str]
) -> tuple[FieldRow, list[tuple[str, dict[str, Any]]]]:
    """The row of one field, merged over the alternatives that have it, and its nested object schemas."""
    variants, children, descriptions = _merged(resolve, entries)
    labelled = bool(disc) and len(alts) > 1
    is_required = len(entries) == len(alts) and all(r for _, _, r in entries)
    notes = [f"Also accepted as {or_list(aliases)}."] if aliases else []
    if labelled and name.rsplit(".", 1)[-1].removeprefix("[]") != disc:
        notes += _only_when(disc, alts, entries, is_required)
    description = " ".join(x for x in [_described(descriptions, labelled), *notes] if x)
    row = FieldRow(
        name=name,
        type=md_cell(type_text(resolve, variants)),
        required=is_required,
        default=md_cell(default_text(variants, resolve(entries[0][1]))),
        values=md_cell(values_text(variants)),
        range=md_cell(range_text(variants)),
        description=md_cell(description),
        depth=depth,
    )
    unique: list[tuple[str, dict[str, Any]]] = []
    for sep, schema in children:
        if all(sep != s2 or schema is not o for s2, o in unique):
            unique.append((sep, schema))
    return row, unique


def _merged(
    resolve: Resolve, entries: list[Entry]
) -> tuple[list[dict[str, Any]], list[tuple[str, dict[str, Any]]], list[tuple[tuple[str, ...], str]]]:
    """Over the alternatives that have a field: its schemas, its nested object schemas (`.` or `[].` below it)
    and its descriptions, each labelled by the alternative that gives it."""
    variants: list[dict[str, Any]] = []
    children: list[tuple[str, dict[str, Any]]] = []
    descriptions: list[tuple[tuple[str, ...], str]] = []
    for alt, raw, _ in entries:
        vs = schema_variants(resolve, raw)
        variants += [v for v in vs if all(v is not o for o in variants)]
        text = " ".join(
            str(
                (raw if isinstance(raw, dict) and raw.get("description") else resolve(raw)).get("description", "")
            ).split()
        )
        if text and text not in [d for _, d in descriptions]:
            descriptions.append((alt.label, text))
        for v in vs:
            if v.get("properties"):
                children.append((".", v))
            if v.get("type") == "array" or "array" in (v.get("type") or []):
                children += [
                    ("[].", item) for item in schema_variants(resolve, v.get("items", {})) if item.get("properties")
                ]
    return variants, children, descriptions


def _described(descriptions: list[tuple[tuple[str, ...], str]], labelled: bool) -> str:
    """One description, or each alternative's own, introduced by the values that pick it."""
    if len(descriptions) > 1 and labelled:
        return " ".join(
            f"{' or '.join(code_span(v) for v in lbl)}: {sentence(d)}" if lbl else sentence(d)
            for lbl, d in descriptions
        )
    return sentence(descriptions[0][1]) if descriptions else ""


def _only_when(disc: str, alts: list[_Alt], entries: list[Entry], is_required: bool) -> list[str]:
    """The note on a field that only some alternatives have, or require: for which values of `disc`."""
    present = [v for a, _, _ in entries for v in a.label]
    required = [v for a, _, r in entries if r for v in a.label]
    if len(entries) < len(alts):
        when = f"Only when {code_span(disc)} is {or_list(present)}"
        return [
            when
            + (
                ", and then required."
                if required == present
                else f"; required when it is {or_list(required)}."
                if required
                else "."
            )
        ]
    if required and not is_required:  # present everywhere, required in some forms
        return [f"Required when {code_span(disc)} is {or_list(required)}."]
    return []


def _collapsed(row: FieldRow, groups: dict[str, list[_Alt]]) -> FieldRow:
    """A row whose nested fields are past the depth limit: name them in a sentence instead."""
    sentences = []
    for sep, children in groups.items():
        forms = [
            ", ".join(
                code_span(n) + (" (required)" if n in c.schema.get("required", []) else "")
                for n in c.schema.get("properties", {})
            )
            for c in children
        ]
        whose = "Each item has" if sep == "[]." else "Has"
        if len(forms) == 1:
            sentences.append(f"{whose} the fields {forms[0]}.")
        else:
            sentences.append(f"{whose} one of {len(forms)} sets of fields: " + "; or ".join(forms) + ".")
    extra = md_cell(" ".join(sentences))
    desc = Markup(f"{row.description} {extra}" if row.description else extra)
    return FieldRow(row.name, row.type, row.required, row.default, row.values, row.range, desc, row.depth)
