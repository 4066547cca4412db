"""What the MCP server reads out of the built site's files: sections, models, operations, costs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.fences import code_mask
from generator.model.cost import Estimate
from generator.model.objects import Capabilities, Category, Model, Parameter, PriceRow, Provider, Tier

WORD = re.compile(r"[a-z0-9][a-z0-9._/-]*")
CURL = re.compile(r"\*\*cURL\*\*\n\n(```[a-z]*\n.*?\n```)", re.S)
SECTION_CHARS = 2_000  # text of one search hit
METHODS = ("get", "post", "put", "patch", "delete")


class SiteError(Exception):
    """The directory is not a built site."""


class BadArgument(ValueError):
    """A tool argument names nothing the site has; the message says what would."""


@dataclass(frozen=True)
class Section:
    title: str  # the page's title
    heading: str  # the H2 it sits under ('' for the page's opening)
    url: str  # the twin's URL
    text: str
    words: tuple[str, ...]


def resolve_ref(resolver: Any, node: dict[str, Any]) -> dict[str, Any]:
    """`node`, following `$ref`s (through the spec's `referencing` resolver) to the schema they point at."""
    while isinstance(node, dict) and "$ref" in node:
        node = resolver.lookup(node["$ref"]).contents
    return node


def type_of(p: dict[str, Any]) -> str:
    t = p.get("type")
    if isinstance(t, list):
        return " or ".join(t)
    if t == "array" and isinstance(p.get("items"), dict):
        inner = p["items"].get("type") or p["items"].get("$ref", "").rsplit("/", 1)[-1] or "any"
        return f"array of {inner}"
    if t:
        return t
    if "$ref" in p:
        return p["$ref"].rsplit("/", 1)[-1]
    for key in ("oneOf", "anyOf"):
        if key in p:
            return " or ".join(type_of(x) if "$ref" not in x else x["$ref"].rsplit("/", 1)[-1] for x in p[key])
    return "any"


def first_example(media: dict[str, Any]) -> Any:
    if "example" in media:
        return media["example"]
    return next((ex.get("value") for ex in media.get("examples", {}).values()), None)


def check_choice(name: str, value: str | None, choices: list[str]) -> None:
    if value is not None and value not in choices:
        raise BadArgument(f"unknown {name} {value!r}; use one of: {', '.join(choices)}")


def token_rate(m: dict[str, Any], direction: str) -> float | None:
    """The lowest-tier rate of a direction, in USD per 1M tokens."""
    rows = [
        r
        for r in m["pricing_rows"]
        if r["unit"] == "token" and "derived" not in r and r["direction"] in (direction, "input_output")
    ]
    return rows[0]["normalized_amount"] if rows else None


def input_price(m: dict[str, Any]) -> float | None:
    return token_rate(m, "input")


def output_price(m: dict[str, Any]) -> float | None:
    return token_rate(m, "output")


def split_sections(text: str, url: str) -> list[Section]:
    """A twin cut at its H2 headings (outside code), each piece with its page title."""
    lines = text.split("\n")
    title = lines[0].removeprefix("# ").strip()
    cuts = [0] + [
        i
        for i, (line, code) in enumerate(zip(lines, code_mask(lines), strict=True))
        if not code and line.startswith("## ") and i
    ]
    out = []
    for start, end in zip(cuts, cuts[1:] + [len(lines)], strict=True):
        body = "\n".join(lines[start:end]).strip()
        heading = lines[start].removeprefix("## ").strip() if start else ""
        out.append(Section(title, heading, url, body, tuple(WORD.findall(f"{title}\n{body}".lower()))))
    return out


def model_of(m: dict[str, Any]) -> Model:
    """The frozen Model `generator.cost` prices, rebuilt from one models.json entry."""
    rows = tuple(
        PriceRow(
            label=r["label"],
            amount=Decimal(r["amount"]),
            unit=r["unit"],
            per=r["per"],
            mode=r.get("mode"),
            direction=r["direction"] if r["direction"] in ("input", "output", "tool") else None,
            amount_max=Decimal(r["amount_max"]) if "amount_max" in r else None,
            tier=Tier(r["tier"].get("min"), r["tier"].get("max")) if "tier" in r else None,
            note=r.get("note"),
            derived=r.get("derived"),
        )
        for r in m["pricing_rows"]
    )
    return Model(
        id=m["id"],
        name=m["display_name"],
        aliases=tuple(m["aliases"]),
        provider=Provider(m["provider"], m["provider_name"], "", None, Path("models.json")),
        category=Category(m["category"], m["category_name"], ""),
        description=m["description"],
        endpoints=tuple(m["endpoints"]),
        context_window=m["context_window"],
        max_output_tokens=m["max_output_tokens"],
        input_modalities=tuple(m["input_modalities"]),
        output_modalities=tuple(m["output_modalities"]),
        capabilities=Capabilities(**m["capabilities"]),
        features=tuple(m["features"]),
        served_from=m["served_from"],
        new=m["new"],
        native_inference=m["native_inference"],
        api_status=m["api_status"],
        pricing=rows,
        discounts=(),
        parameters=tuple(Parameter(p["name"], p["type"], p["description"]) for p in m["supported_parameters"]),
        examples=(),
        notes=tuple(m["notes"]),
        source=Path("models.json"),
    )


def estimate_json(e: Estimate) -> dict[str, Any]:
    return {
        "model": e.model,
        "currency": "USD",
        "total": f"{e.total.normalize():f}",
        "requests": e.requests,
        "per_request": f"{e.per_request.normalize():f}",
        "mode": e.mode,
        "context_tier": e.tier.label if e.tier else None,
        "lines": [
            {
                "label": ln.label,
                "quantity": ln.quantity,
                "unit": ln.unit,
                "rate": f"{ln.rate:f}",
                "per": ln.per,
                "cost": f"{ln.cost.normalize():f}",
            }
            for ln in e.lines
        ],
        "not_included": list(e.not_included),
    }


# ---- the server ---------------------------------------------------------------------------------------
