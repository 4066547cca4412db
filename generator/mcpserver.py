"""`generator mcp`: the built docs as a Model Context Protocol server over stdio.

It reads one built site (the twins, `llms.txt`, `models.json`, `openapi.json`) and nothing else: no
network, no catalog sources. Costs come from `generator.cost`, the same code as the site's calculator.
(This module is not called `mcp`: that is the SDK's package.)
"""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.fences import code_mask
from generator.model.cost import Estimate, estimate_cost
from generator.model.objects import CAPABILITIES, Capabilities, Category, Model, Parameter, PriceRow, Provider, Tier

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


class Site:
    """A built docs site, read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        need = ["llms.txt", "models.json", "openapi.json"]
        missing = [n for n in need if not (root / n).is_file()]
        if missing:
            raise SiteError(
                f"{root}: not a built docs site (no {', '.join(missing)}); "
                "build one with: python -m generator build --out DIR"
            )
        self.catalog = json.loads((root / "models.json").read_text("utf-8"))
        self.spec = json.loads((root / "openapi.json").read_text("utf-8"))
        self.models = {m["id"]: m for m in self.catalog["data"]}
        first = self.catalog["data"][0]
        self.base = first["md_url"].removesuffix(f"models/{first['id']}.md")
        self.twins = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*.md"))}
        self._sections: list[Section] | None = None

    # ---- pages --------------------------------------------------------------------------------------

    def twin_path(self, path: str) -> str:
        """The site path of the twin a URL or path names: 'https://…/models/x/', '/models/x', 'models/x.md'."""
        rel = path.strip().split("#", 1)[0].split("?", 1)[0]
        rel = rel.removeprefix(self.base).removeprefix(self.base.rstrip("/"))
        rel = re.sub(r"^https?://[^/]+/", "", rel).strip("/")
        stem = rel.removesuffix(".md").removesuffix("/index.html").removesuffix(".html")
        for candidate in [f"{stem}.md", f"{stem}/index.md"] if stem not in ("", "index") else ["index.md"]:
            if candidate in self.twins:
                return candidate
        raise BadArgument(
            f"no page at {path!r}; pass a page URL or site path such as 'models/{first_id(self)}' "
            f"or 'getting-started', or find pages with search_docs"
        )

    def page(self, path: str) -> str:
        return self.twins[self.twin_path(path)].read_text("utf-8")

    # ---- search -------------------------------------------------------------------------------------

    @property
    def sections(self) -> list[Section]:
        if self._sections is None:
            self._sections = [s for rel in self.twins for s in split_sections(self.page(rel), self.base + rel)]
        return self._sections

    def search(self, query: str, limit: int = 5) -> list[dict[str, Any]]:
        terms = [t for t in WORD.findall(query.lower()) if len(t) > 1]
        if not terms:
            raise BadArgument("query has no words to search for; try e.g. 'streaming tool calls'")
        n = len(self.sections)
        avg = sum(len(s.words) for s in self.sections) / max(n, 1)
        df = {t: sum(1 for s in self.sections if t in s.words) for t in set(terms)}
        scored = []
        for i, s in enumerate(self.sections):
            head = WORD.findall(f"{s.title} {s.heading}".lower())
            score = 0.0
            for t in set(terms):
                tf = s.words.count(t) + 3 * head.count(t)  # BM25, a heading word counting four times
                if tf:
                    idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                    score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len(s.words) / avg))
            if score:
                scored.append((-score, i))
        hits = [self.sections[i] for _, i in sorted(scored)[:limit]]
        return [{"title": s.title, "section": s.heading, "url": s.url, "text": s.text[:SECTION_CHARS]} for s in hits]

    # ---- models -------------------------------------------------------------------------------------

    def model_entry(self, model_id: str) -> dict[str, Any]:
        if model_id in self.models:
            return self.models[model_id]
        for m in self.models.values():
            if model_id.lower() in (a.lower() for a in (m["display_name"], *m["aliases"])):
                return m
        close = difflib.get_close_matches(model_id, list(self.models), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; list_models lists every id"
        raise BadArgument(f"unknown model {model_id!r}{hint}")

    def list_models(
        self,
        category: str | None = None,
        provider: str | None = None,
        capability: str | None = None,
        max_input_price: float | None = None,
    ) -> list[dict[str, Any]]:
        entries = list(self.models.values())
        check_choice("category", category, sorted({m["category"] for m in entries}))
        check_choice("provider", provider, sorted({m["provider"] for m in entries}))
        check_choice("capability", capability, list(CAPABILITIES))
        if max_input_price is not None and max_input_price < 0:
            raise BadArgument(f"max_input_price must not be negative (got {max_input_price})")
        out = []
        for m in entries:
            price = input_price(m)
            if (
                category
                and m["category"] != category
                or provider
                and m["provider"] != provider
                or capability
                and not m["capabilities"][capability]
                or max_input_price is not None
                and (price is None or price > max_input_price)
            ):
                continue
            out.append(
                {
                    "id": m["id"],
                    "name": m["display_name"],
                    "provider": m["provider"],
                    "category": m["category"],
                    "context_window": m["context_window"],
                    "input_usd_per_1m_tokens": price,
                    "output_usd_per_1m_tokens": output_price(m),
                    "api_status": m["api_status"],
                    "md_url": m["md_url"],
                }
            )
        return out

    def get_model(self, model_id: str) -> dict[str, Any]:
        m = self.model_entry(model_id)
        twin = self.page(m["md_url"])
        example = CURL.search(twin)
        keep = (
            "id",
            "display_name",
            "aliases",
            "provider_name",
            "category_name",
            "description",
            "url",
            "md_url",
            "endpoints",
            "context_window",
            "max_output_tokens",
            "input_modalities",
            "output_modalities",
            "capabilities",
            "api_status",
            "pricing_rows",
            "discounts",
            "supported_parameters",
            "notes",
        )
        return {**{k: m[k] for k in keep}, "example_request": example[1] if example else None}

    def estimate(self, model_id: str, **counts: Any) -> dict[str, Any]:
        m = self.model_entry(model_id)
        return estimate_json(estimate_cost(model_of(m), **counts))

    # ---- operations ---------------------------------------------------------------------------------

    def operation(self, method: str, path: str) -> dict[str, Any]:
        ops = [(v, p) for p, item in self.spec["paths"].items() for v in METHODS if v in item]
        key = (method.strip().lower(), path.strip())
        if key not in ops:
            known = ", ".join(f"{v.upper()} {p}" for v, p in ops)
            raise BadArgument(f"no operation {method.upper()} {path}; the API has: {known}")
        op = self.spec["paths"][key[1]][key[0]]
        body: dict[str, Any] = op.get("requestBody", {}).get("content", {}).get("application/json") or next(
            iter(op.get("requestBody", {}).get("content", {}).values()), {}
        )
        responses = {}
        for status, r in op.get("responses", {}).items():
            r = self.deref(r)
            media: dict[str, Any] = next(iter(r.get("content", {}).values()), {})
            responses[status] = {
                "description": " ".join(r.get("description", "").split()),
                "fields": self.fields(media.get("schema", {})),
                "example": first_example(media),
            }
        return {
            "method": key[0].upper(),
            "path": key[1],
            "summary": op.get("summary", ""),
            "description": " ".join(op.get("description", "").split()),
            "parameters": [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "description": " ".join(p.get("description", "").split()),
                }
                for p in map(self.deref, op.get("parameters", []))
            ],
            "request_fields": self.fields(body.get("schema", {})),
            "example_request": first_example(body),
            "responses": responses,
        }

    def deref(self, node: dict[str, Any]) -> dict[str, Any]:
        return resolve_ref(self.spec, node)

    def fields(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        """The top-level fields of a schema (allOf merged): name, type, required, description."""
        schema = resolve_ref(self.spec, schema)
        props: dict[str, Any] = {}
        required: set[str] = set()
        for part in [schema, *(resolve_ref(self.spec, s) for s in schema.get("allOf", []))]:
            props.update(part.get("properties", {}))
            required |= set(part.get("required", []))
        out = []
        for name, p in props.items():
            p = resolve_ref(self.spec, p) if "$ref" in p else p
            out.append(
                {
                    "name": name,
                    "type": type_of(p),
                    "required": name in required,
                    "description": " ".join(p.get("description", "").split()),
                }
            )
        return out


# ---- helpers ------------------------------------------------------------------------------------------


def first_id(site: Site) -> str:
    return next(iter(site.models))


def resolve_ref(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node`, following `$ref`s to the schema they point at."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
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

INSTRUCTIONS = (
    "The EmpirioLabs AI gateway docs, read from one built site: search the pages, read one page as "
    "markdown, list and look up models, price a request exactly, and read an API operation's fields."
)


def server(site: Site) -> Any:
    """An MCPServer whose tools answer from `site`; a bad argument is a tool error, and serving goes on."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    app = MCPServer("empiriolabs-docs", instructions=INSTRUCTIONS)

    def answer(call: Any) -> Any:
        try:
            return call()
        except (BadArgument, ValueError) as err:
            raise ToolError(str(err)) from None

    @app.tool()
    def search_docs(query: str) -> list[dict[str, Any]]:
        """Search every page of the docs. Returns the best-matching sections, best first, each with its page
        title, section heading, the URL of the page's markdown twin, and the section's text."""
        return answer(lambda: site.search(query))

    @app.tool()
    def get_page(path: str) -> str:
        """One page as markdown (its twin), by URL (https://…/models/qwen3-max/ or …/models/qwen3-max.md)
        or site path (models/qwen3-max, getting-started, api/create-chat-completion)."""
        return answer(lambda: site.page(path))

    @app.tool()
    def list_models(
        category: str | None = None,
        provider: str | None = None,
        capability: str | None = None,
        max_input_price: float | None = None,
    ) -> list[dict[str, Any]]:
        """Models that match every filter given: a category slug (text, image, video, audio, transcription,
        research, tools, embedding), a provider slug, a capability flag (streaming, tool_calling, vision,
        web_search, thinking, structured_output...), and max_input_price in USD per 1M input tokens (lowest
        tier; models without a token price are left out when it is set)."""
        return answer(lambda: site.list_models(category, provider, capability, max_input_price))

    @app.tool()
    def get_model(id: str) -> dict[str, Any]:
        """One model by id (or display name or alias): its facts, every price row (exact USD decimal
        strings with a normalized number beside each), its parameters with types, defaults and ranges,
        and an example request (cURL)."""
        return answer(lambda: site.get_model(id))

    @app.tool()
    def estimate_cost(
        model: str,
        input_tokens: int,
        output_tokens: int,
        cached_input_tokens: int = 0,
        requests: int = 1,
        mode: str | None = None,
    ) -> dict[str, Any]:
        """The exact cost in USD of `requests` requests to a token-priced model, each with `input_tokens`
        input tokens (cached ones included) and `output_tokens` output tokens. The context tier is picked
        from one request's input tokens, cached tokens get the cache discount, per-request base fees are
        added; `mode` picks a pricing mode where the model has several (the first listed otherwise).
        Returns the total, the lines it is made of, and the priced items it cannot count (tool calls...)."""
        return answer(
            lambda: site.estimate(
                model,
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cached_input_tokens=cached_input_tokens,
                requests=requests,
                mode=mode,
            )
        )

    @app.tool()
    def get_operation(method: str, path: str) -> dict[str, Any]:
        """One API operation, e.g. method POST and path /v1/chat/completions: its request fields (name,
        type, required, description), path parameters, each response's fields, and example request and
        response bodies."""
        return answer(lambda: site.operation(method, path))

    return app


def serve(root: Path) -> None:
    """Serve the site at `root` over stdio until the client hangs up."""
    server(Site(root)).run("stdio")
