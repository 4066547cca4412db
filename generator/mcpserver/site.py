"""One built site, read once: its twins, llms.txt, models.json and openapi.json, and the answers to each tool."""

from __future__ import annotations

import difflib
import json
import math
import re
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.bundles.catalog_json import table_performance
from generator.mcpserver.records import (
    CURL,
    METHODS,
    SECTION_CHARS,
    WORD,
    BadArgument,
    Section,
    SiteError,
    check_choice,
    estimate_json,
    first_example,
    input_price,
    model_of,
    output_price,
    resolve_ref,
    split_sections,
    type_of,
)
from generator.model.cost import estimate_cost
from generator.model.objects import CAPABILITIES
from generator.model.spec import resolver_of

QUERY_CHARS = 1_000


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
        self.resolver = resolver_of(self.spec)
        self.models = {m["id"]: m for m in self.catalog["data"]}
        first = self.catalog["data"][0]
        self.base = first["md_url"].removesuffix(f"models/{first['id']}.md")
        self.twins = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*.md")) if self.inside(p)}
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

    def inside(self, path: Path) -> bool:
        """Whether a file is in the site once its symlinks are followed: nothing outside it is ever read."""
        return path.resolve().is_relative_to(self.root.resolve())

    def page(self, path: str) -> str:
        twin = self.twins[self.twin_path(path)]
        if not self.inside(twin):  # a symlink made to point out of the site since the server started
            raise BadArgument(f"no page at {path!r}")
        return twin.read_text("utf-8")

    # ---- search -------------------------------------------------------------------------------------

    @property
    def sections(self) -> list[Section]:
        if self._sections is None:
            self._sections = [s for rel in self.twins for s in split_sections(self.page(rel), self.base + rel)]
        return self._sections

    @cached_property
    def postings(self) -> dict[str, list[tuple[int, int]]]:
        """Each word's sections and its weight in each: its count, a heading word counting four times."""
        out: dict[str, list[tuple[int, int]]] = {}
        for i, s in enumerate(self.sections):
            tf = Counter(s.words)
            tf.update({w: 3 * n for w, n in Counter(WORD.findall(f"{s.title} {s.heading}".lower())).items()})
            for word, n in tf.items():
                out.setdefault(word, []).append((i, n))
        return out

    def search(self, query: str, limit: int = 5) -> list[dict[str, Any]]:
        if len(query) > QUERY_CHARS:
            raise BadArgument(f"query is {len(query):,} characters, more than the {QUERY_CHARS:,} a search takes")
        terms = [t for t in WORD.findall(query.lower()) if len(t) > 1]
        if not terms:
            raise BadArgument("query has no words to search for; try e.g. 'streaming tool calls'")
        sections, postings = self.sections, self.postings
        n = len(sections)
        avg = sum(len(s.words) for s in sections) / max(n, 1)
        scores: dict[int, float] = {}
        for t in set(terms):  # BM25 (title and heading are in a section's words: every posting counts once)
            found = postings.get(t, [])
            idf = math.log(1 + (n - len(found) + 0.5) / (len(found) + 0.5))
            for i, tf in found:
                norm = 1.2 * (0.25 + 0.75 * len(sections[i].words) / avg)
                scores[i] = scores.get(i, 0.0) + idf * tf * 2.2 / (tf + norm)
        hits = [sections[i] for _, i in sorted((-score, i) for i, score in scores.items() if score)[:limit]]
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
        order_by: str | None = None,
    ) -> list[dict[str, Any]]:
        entries = list(self.models.values())
        check_choice("order_by", order_by, list(ORDERS))
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
                    **table_performance(m.get("performance")),
                    "api_status": m["api_status"],
                    "md_url": m["md_url"],
                }
            )
        return ordered(out, order_by)

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
        measured = {"performance": m["performance"]} if "performance" in m else {}
        return {**{k: m[k] for k in keep}, **measured, "example_request": example[1] if example else None}

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
        return resolve_ref(self.resolver, node)

    def fields(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        """The top-level fields of a schema (allOf merged): name, type, required, description."""
        schema = resolve_ref(self.resolver, schema)
        props: dict[str, Any] = {}
        required: set[str] = set()
        for part in [schema, *(resolve_ref(self.resolver, s) for s in schema.get("allOf", []))]:
            props.update(part.get("properties", {}))
            required |= set(part.get("required", []))
        out = []
        for name, p in props.items():
            p = resolve_ref(self.resolver, p) if "$ref" in p else p
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

# list_models' orders: the figure of the model table each sorts by, and whether the highest comes first
ORDERS = {
    "ttft": ("ttft_ms_p50", False),
    "tokens_per_second": ("output_tokens_per_second_p50", True),
    "latency": ("latency_ms_p50", False),
    "success_rate": ("success_rate", True),
}


def ordered(rows: list[dict[str, Any]], order_by: str | None) -> list[dict[str, Any]]:
    """`rows` best first by a measured figure (fastest, most reliable); models without it last, in catalog
    order."""
    if order_by is None:
        return rows
    key, highest_first = ORDERS[order_by]
    measured = [r for r in rows if key in r]
    measured.sort(key=lambda r: -r[key] if highest_first else r[key])
    return measured + [r for r in rows if key not in r]


def first_id(site: Site) -> str:
    return next(iter(site.models))
