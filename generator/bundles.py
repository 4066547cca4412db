"""Agent bundles: markdown twins, llms.txt, llms-full.txt, per-provider bundles and the JSON catalog.

`bundles` is pure: catalog, spec, pages and rendered twins in, {site-relative path: text} out.
`check_bundles` reads the built site back and reports every guarantee an agent would trip over."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping
from urllib.parse import urljoin

import yaml

from .model import UNIT_NAMES, Catalog, Discount, Model, Parameter, PriceRow, Provider, compact
from .problems import Problem
from .render import ADMONITION, TAB, Page
from .schemas import iter_errors
from .snippets import plain
from .spec import Operation, Spec

LLMS_BUDGET = 50_000  # characters of llms.txt, however large the catalog
PROVIDER_BUDGET = 100_000  # bytes of one providers/<slug>/llms-full.txt
SECTIONS = ("Guides", "Providers", "Models", "API reference", "Optional")
STATUS_NOTES = {"planned": "not yet available", "poe_only": "on Poe only, not through the API",
                "disabled": "switched off"}

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
LINK = re.compile(r"\]\(([^()\s]+)\)")
MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
CODE_SPAN = re.compile(r"(`+).+?\1")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--")
TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|\{#")
TAB_LABEL = re.compile(r"^\*\*[^*\n]+\*\*$")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`])")


# ---- addresses ----------------------------------------------------------------------------------------

def site_url(catalog: Catalog) -> str:
    """The site's base URL, ending in a slash."""
    return catalog.platform.site_url.rstrip("/") + "/"


def html_url(site: str, path: str) -> str:
    """The canonical URL of the HTML page built from `path`: models/x.md -> <site>models/x/."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return site
    if stem.endswith("/index"):
        return site + stem.removesuffix("index")
    return f"{site}{stem}/"


def provider_bundle_path(provider: Provider) -> str:
    """Where one provider's one-file bundle goes."""
    return f"providers/{provider.slug}/llms-full.txt"


def provider_index_path(provider: Provider) -> str:
    """Where one provider's model list goes when llms.txt overflows."""
    return f"providers/{provider.slug}/llms.txt"


# ---- markdown helpers ---------------------------------------------------------------------------------

def fenced_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line index of every fenced code block, fences included."""
    spans, start, fence = [], 0, ""
    for i, line in enumerate(lines):
        m = FENCE.match(line)
        if not fence and m:
            start, fence = i, m[1]
        elif fence and m and m[1][0] == fence[0] and len(m[1]) >= len(fence) and line.strip() == m[1]:
            spans.append((start, i))
            fence = ""
    if fence:
        spans.append((start, len(lines) - 1))
    return spans


def code_mask(lines: list[str]) -> list[bool]:
    """For each line, whether it lies in a fenced code block."""
    mask = [False] * len(lines)
    for first, last in fenced_blocks(lines):
        mask[first:last + 1] = [True] * (last - first + 1)
    return mask


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter a template emitted (as data) and the text after it."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text
    return yaml.safe_load(m[1]) or {}, text[m.end():]


def absolute_links(text: str, base: str) -> str:
    """Relative markdown links resolved against `base`, outside code: bundles are read far from the page."""
    lines = text.split("\n")
    mask = code_mask(lines)
    fix = lambda m: f"]({urljoin(base, m[1])})"  # noqa: E731
    return "\n".join(line if code else LINK.sub(fix, line) for line, code in zip(lines, mask))


def first_tabs(text: str) -> str:
    """Keep only the first tab of each group of serialized content tabs (a **Label** line, then its block)."""
    lines = text.split("\n")
    ends = {first: last for first, last in fenced_blocks(lines)}
    out: list[str] = []
    i, in_group = 0, False
    while i < len(lines):
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if TAB_LABEL.match(lines[i]) and j in ends:
            if not in_group:
                out += lines[i:ends[j] + 1]
            in_group, i = True, ends[j] + 1
            continue
        in_group = in_group and not lines[i].strip()
        out.append(lines[i])
        i += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


def drop_link_lists(text: str) -> str:
    """Leave out H2 sections that only list links to other pages (more models, similar models)."""
    lines = text.split("\n")
    mask = code_mask(lines)
    starts = [i for i, (line, code) in enumerate(zip(lines, mask)) if line.startswith("## ") and not code]
    keep = lines[:starts[0]] if starts else lines
    for start, end in zip(starts, starts[1:] + [len(lines)]):
        body = [line for line in lines[start + 1:end] if line.strip()]
        if not body or not all(line.startswith("- [") for line in body):
            keep += lines[start:end]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(keep)).rstrip("\n") + "\n"


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph, links flattened to their text."""
    flat = MD_LINK.sub(r"\1", " ".join(text.split()))
    return SENTENCE_END.split(flat, 1)[0]


def lead(body: str) -> str:
    """The first sentence of the first paragraph after the page's H1, or '' when it opens with no prose."""
    body = body.lstrip("\n")
    if body.startswith("# "):
        body = body.partition("\n")[2]
    paras = [p for p in body.split("\n\n") if p.strip()]
    if not paras or paras[0].lstrip()[0] in "#|`-*>![<":
        return ""
    return first_sentence(paras[0])


def join_pages(parts: list[str]) -> str:
    """Pages of a bundle, separated by a thematic break."""
    return "\n---\n\n".join(p.rstrip("\n") + "\n" for p in parts)


# ---- sizes --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Size:
    """What the bundles say of a file once it is written: its bytes and characters."""

    bytes: int
    chars: int

    @classmethod
    def of(cls, text: str) -> "Size":
        return cls(len(text.encode("utf-8")), len(text))


def size_of(text: str | Size) -> Size:
    return text if isinstance(text, Size) else Size.of(text)


def size_note(text: str | Size) -> str:
    """'1.2 MB, ~310K tokens': bytes, and tokens estimated as characters / 4."""
    measured = size_of(text)
    n, t = measured.bytes, measured.chars // 4
    size = f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} KB"
    return f"{size}, ~{t // 1000:,}K tokens" if t >= 10_000 else f"{size}, ~{t:,} tokens"


def provenance(catalog: Catalog) -> str:
    """Where the bundle comes from: the catalog's content hash and its date, never the clock."""
    return f"Generated from catalog {catalog.digest}, updated {catalog.platform.updated}."


def summary(files: Mapping[str, str | Size]) -> str:
    """Bundle sizes and token estimates for the build's summary line."""
    bundles = sorted((size_of(t).bytes, p) for p, t in files.items() if p.startswith("providers/")
                     and p.endswith("/llms-full.txt"))
    largest = bundles[-1][1] if bundles else None
    parts = [f"{p} {size_note(files[p])}" for p in ("llms.txt", "llms-full.txt", largest) if p]
    return "bundles: " + "; ".join(parts) + " (largest provider bundle last; tokens ≈ characters / 4)"


# ---- markdown twins -----------------------------------------------------------------------------------

def twin(page: Page, rendered: str, site: str) -> str:
    """The page for agents: `# Title`, a `Source:` line with its canonical URL, the body without front matter."""
    _, body = split_front_matter(rendered)
    body = body.lstrip("\n")
    if body.startswith("# "):
        body = body.partition("\n")[2]
    return f"# {page.title}\n\nSource: {html_url(site, page.path)}\n\n{body.strip()}\n"


def describe(rendered: str) -> str:
    """A page's one-line description: its front matter's, or the first sentence of its lead paragraph."""
    meta, body = split_front_matter(rendered)
    return " ".join(str(meta.get("description") or lead(body)).split())


# ---- llms.txt -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Link:
    """One `- [title](url): notes` line of an llms.txt section."""

    title: str
    url: str
    note: str = ""

    def __str__(self) -> str:
        title = self.title.replace("[", "(").replace("]", ")")
        return f"- [{title}]({self.url})" + (f": {self.note}" if self.note else "")


def llms_doc(title: str, summary_: str, info: str, sections: dict[str, list[Link]]) -> str:
    """An llms.txt file: an H1, a blockquote summary, short info, then H2 sections of links."""
    parts = [f"# {title}", f"> {' '.join(summary_.split())}", info.strip()]
    parts += [f"## {name}\n\n" + "\n".join(map(str, links)) for name, links in sections.items() if links]
    return "\n\n".join(parts) + "\n"


def site_summary(catalog: Catalog) -> str:
    """The one-line blockquote summary of the site, from the data."""
    p = catalog.platform
    return (f"{p.name} is an API gateway to {len(catalog.models):,} AI models from {len(catalog.providers):,} "
            f"providers: one API key and one base URL ({p.api_base_url}) for OpenAI- and Anthropic-compatible "
            f"requests.")


def headline_price(row: PriceRow) -> str:
    """'from $1.08/1M input tokens', 'from $0.030/image'."""
    singular, plural = UNIT_NAMES[row.unit]
    kind = f"{row.direction} " if row.direction in ("input", "output") else ""
    unit = f"{kind}{singular}" if row.per == 1 else f"{compact(row.per)} {kind}{plural}"
    return f"from {row.rate}/{unit}"


def model_note(m: Model) -> str:
    """The facts an agent chooses a model by: id, category, context, headline price (and status if not callable)."""
    parts = [m.id, m.category.name.lower()]
    if m.context_window:
        parts.append(f"{compact(m.context_window)} context")
    parts.append(headline_price(m.headline))
    if m.api_status in STATUS_NOTES:
        parts.append(STATUS_NOTES[m.api_status])
    return " · ".join(parts)


def provider_note(catalog: Catalog, p: Provider, files: Mapping[str, str | Size], site: str) -> str:
    """Model count, categories and the provider's one-file bundle with its size."""
    models = catalog.provider_models(p.slug)
    cats = [c.name.lower() for c in catalog.categories if any(m.category.slug == c.slug for m in models)]
    bundle = provider_bundle_path(p)
    return (f"{len(models)} model{'s' if len(models) != 1 else ''} ({', '.join(cats)}) · in one file: "
            f"[{bundle}]({site}{bundle}) ({size_note(files[bundle])})")


def operation_note(op: Operation) -> str:
    """`METHOD /path`, then the first sentence of the operation's description."""
    sentence = first_sentence(op.description) if op.description else ""
    return f"`{op.method} {op.path}`" + (f". {sentence}" if sentence else "")


def section_of(path: str) -> str:
    """The llms.txt section a page is listed in."""
    if path == "changelog.md":
        return "Optional"
    if path == "pricing.md" or path.startswith("models/"):
        return "Models"
    if path.startswith("providers/"):
        return "Providers"
    if path.startswith("api/"):
        return "API reference"
    return "Guides"


def page_links(catalog: Catalog, spec: Spec, pages: list[Page], notes: dict[str, str], files: Mapping[str, str | Size],
               site: str) -> dict[str, list[Link]]:
    """A link to the twin of every page, in nav order, grouped by section."""
    providers = {p.url: p for p in catalog.providers}
    models = {m.url: m for m in catalog.models}
    operations = {op.url: op for op in spec.operations}
    sections: dict[str, list[Link]] = {name: [] for name in SECTIONS}
    for page in pages:
        if page.path in models:
            note = model_note(models[page.path])
        elif page.path in providers:
            note = provider_note(catalog, providers[page.path], files, site)
        elif page.path in operations:
            note = operation_note(operations[page.path])
        else:
            note = notes.get(page.path, "")
        sections[section_of(page.path)].append(Link(page.title, site + page.path, note))
    return sections


def data_links(files: Mapping[str, str | Size], site: str) -> list[Link]:
    """The machine-readable files, for the Optional section."""
    return [
        Link("models.json", site + "models.json", "the catalog as JSON in the shape of `GET /v1/models`; one "
             f"model at `models/<id>.json` like `GET /v1/models/{{model_id}}` ({size_note(files['models.json'])})"),
        Link("openapi.yaml", site + "openapi.yaml", f"OpenAPI 3.1 spec of every endpoint "
             f"({size_note(files['openapi.yaml'])})"),
        Link("openapi.json", site + "openapi.json", "the same spec as JSON"),
    ]


def index_info(catalog: Catalog, files: Mapping[str, str | Size], site: str, overflow: bool) -> str:
    """The info paragraph of llms.txt: where the bundles are, their sizes, and the provenance line."""
    lines = [
        "Every link below points at the markdown twin of an HTML page (each page opens with its title and "
        "`Source:` URL). Sizes are bytes and estimated tokens (characters / 4).",
        "",
        f"- Whole site in one file: [llms-full.txt]({site}llms-full.txt) ({size_note(files['llms-full.txt'])}): "
        "every page in navigation order, then the OpenAPI spec.",
        "- One provider in one file: `providers/<slug>/llms-full.txt`, linked from each provider below.",
    ]
    if overflow:
        lines.append(f"- The model list is too long for this file: see [models/llms.txt]({site}models/llms.txt) "
                     "for every model, or `providers/<slug>/llms.txt` for one provider's.")
    lines += ["", provenance(catalog)]
    return "\n".join(lines)


def llms_index(catalog: Catalog, sections: dict[str, list[Link]], files: Mapping[str, str | Size], site: str,
               overflow: bool) -> str:
    """The site's llms.txt."""
    return llms_doc(catalog.platform.site_name, site_summary(catalog), index_info(catalog, files, site, overflow),
                    {**sections, "Optional": sections["Optional"] + data_links(files, site)})


def models_index(catalog: Catalog, models: list[Link], site: str) -> str:
    """models/llms.txt: every model, one section per provider."""
    by_url = {link.url: link for link in models}
    sections = {p.name: [by_url[site + m.url] for m in catalog.provider_models(p.slug)] for p in catalog.providers}
    info = ("Every model with the facts an agent chooses by: id, category, context window and headline price.\n\n"
            + provenance(catalog))
    return llms_doc(f"{catalog.platform.site_name}: models", site_summary(catalog), info, sections)


def provider_index(catalog: Catalog, p: Provider, models: list[Link], files: Mapping[str, str | Size], site: str) -> str:
    """providers/<slug>/llms.txt: one provider's page and models."""
    by_url = {link.url: link for link in models}
    bundle = provider_bundle_path(p)
    info = (f"The provider's page and all of its models in one file: [{bundle}]({site}{bundle}) "
            f"({size_note(files[bundle])}).\n\n{provenance(catalog)}")
    sections = {"Provider": [Link(p.name, site + p.url, f"{p.name}'s page")],
                "Models": [by_url[site + m.url] for m in catalog.provider_models(p.slug)]}
    return llms_doc(f"{catalog.platform.site_name}: {p.name}", p.description, info, sections)


def llms_files(catalog: Catalog, spec: Spec, pages: list[Page], notes: dict[str, str],
               files: Mapping[str, str | Size]) -> dict[str, str]:
    """llms.txt; when the model list outgrows LLMS_BUDGET, it points to models/llms.txt and per-provider lists."""
    site = site_url(catalog)
    sections = page_links(catalog, spec, pages, notes, files, site)
    full = llms_index(catalog, sections, files, site, overflow=False)
    if len(full) <= LLMS_BUDGET:
        return {"llms.txt": full}
    model_links = [link for link in sections["Models"] if link.url.startswith(site + "models/")]
    out = {"models/llms.txt": models_index(catalog, model_links, site)}
    for p in catalog.providers:
        out[provider_index_path(p)] = provider_index(catalog, p, model_links, files, site)
    overflow = [link for link in sections["Models"] if link not in model_links]
    overflow.append(Link("All models", site + "models/llms.txt",
                         f"{len(model_links)} models with id, category, context and headline price "
                         f"({size_note(out['models/llms.txt'])})"))
    overflow += [Link(f"{p.name} models", site + provider_index_path(p),
                      f"{len(catalog.provider_models(p.slug))} models") for p in catalog.providers]
    out["llms.txt"] = llms_index(catalog, {**sections, "Models": overflow}, files, site, overflow=True)
    if len(out["llms.txt"]) > LLMS_BUDGET:  # so many providers that one line each is too much: list them apart
        provider_links = [link for link in sections["Providers"] if link.url != site + "providers/index.md"]
        out["providers/llms.txt"] = llms_doc(
            f"{catalog.platform.site_name}: providers", site_summary(catalog),
            "Every provider, with its page and the per-provider model list.\n\n" + provenance(catalog),
            {"Providers": provider_links, "Model lists": overflow[-len(catalog.providers):]})
        index = [link for link in sections["Providers"] if link.url == site + "providers/index.md"]
        index.append(Link("All providers", site + "providers/llms.txt",
                          f"{len(catalog.providers):,} providers, each with its model list "
                          f"({size_note(out['providers/llms.txt'])})"))
        models = overflow[:-len(catalog.providers)]
        out["llms.txt"] = llms_index(catalog, {**sections, "Providers": index, "Models": models}, files, site,
                                     overflow=True)
    return out


# ---- llms-full.txt and provider bundles ---------------------------------------------------------------

def openapi_section(site: str, text: str) -> str:
    """The OpenAPI document, verbatim, in a fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"# OpenAPI specification\n\nSource: {site}openapi.yaml\n\n{fence}yaml\n{body}{fence}\n"


def full_text(catalog: Catalog, pages: list[Page], twins: dict[str, str], openapi_text: str) -> str:
    """llms-full.txt: every page as markdown in navigation order, then the OpenAPI document."""
    site = site_url(catalog)
    head = (f"# {catalog.platform.site_name}: full text\n\n> {site_summary(catalog)}\n\n"
            f"Every page of {site} as markdown, in navigation order, each opening with its title and canonical "
            f"URL; then the OpenAPI specification. {provenance(catalog)}\n")
    body = [absolute_links(twins[p.path], site + p.path) for p in pages]
    return join_pages([head, *body, openapi_section(site, openapi_text)])


def provider_bundle(catalog: Catalog, p: Provider, twins: dict[str, str]) -> str:
    """providers/<slug>/llms-full.txt: the provider's page and its models' pages, trimmed to fit one fetch."""
    site = site_url(catalog)
    models = catalog.provider_models(p.slug)
    head = (f"# {catalog.platform.site_name}: {p.name}\n\n> {' '.join(p.description.split())}\n\n"
            f"{p.name}'s page and its {len(models)} model page{'s' if len(models) != 1 else ''} as markdown, "
            "trimmed to fit one fetch: code examples keep their first tab (cURL) and lists of links to other "
            f"pages are left out; each page's `Source:` has the rest, and {site}llms-full.txt the whole site. "
            f"{provenance(catalog)}\n")
    paths = [p.url, *(m.url for m in models)]
    body = [drop_link_lists(first_tabs(absolute_links(twins[path], site + path))) for path in paths]
    return join_pages([head, *body])


# ---- JSON catalog -------------------------------------------------------------------------------------

def present(data: dict[str, Any]) -> dict[str, Any]:
    """The keys of `data` that have a value (optional schema fields are left out, not null)."""
    return {k: v for k, v in data.items() if v is not None}


def decimal(amount: Any) -> str | None:
    """An exact decimal string, as the catalog wrote it: Decimal('0.040') -> '0.040'."""
    return None if amount is None else f"{amount:f}"


def price_json(r: PriceRow) -> dict[str, Any]:
    """One pricing row, fields in the order of the PriceRow schema."""
    tier = present({"min": r.tier.min, "max": r.tier.max}) if r.tier else None
    return present({"label": r.label, "mode": r.mode, "direction": r.direction, "amount": decimal(r.amount),
                    "amount_max": decimal(r.amount_max), "list_amount": decimal(r.list_amount),
                    "discount_percent": r.discount_percent, "approximate": r.approximate, "unit": r.unit,
                    "per": r.per, "tier": tier, "resolution": r.resolution, "duration_seconds": r.duration_seconds,
                    "audio": r.audio, "points": r.points, "note": r.note, "derived": r.derived})


def discount_json(d: Discount) -> dict[str, Any]:
    """One discount, fields in the order of the Discount schema."""
    return present({"label": d.label, "percent": plain(d.percent), "applies_to": d.applies_to, "note": d.note})


def parameter_json(p: Parameter) -> dict[str, Any]:
    """One accepted parameter, fields in the order of the Parameter schema."""
    return present({"name": p.name, "type": p.type, "default": plain(p.default), "min": plain(p.min),
                    "max": plain(p.max), "max_items": p.max_items, "values": [plain(v) for v in p.values] or None,
                    "required": p.required, "aliases": list(p.aliases) or None,
                    "requires": {k: plain(v) for k, v in p.requires} or None, "capability": p.capability,
                    "format": p.format, "description": p.description})


def model_json(m: Model, site: str) -> dict[str, Any]:
    """One model in the shape of GET /v1/models/{model_id}, fields in the order of the Model schema."""
    return {
        "id": m.id, "object": "model", "display_name": m.name, "aliases": list(m.aliases),
        "provider": m.provider.slug, "provider_name": m.provider.name,
        "category": m.category.slug, "category_name": m.category.name,
        "description": m.description, "url": html_url(site, m.url), "endpoints": list(m.endpoints),
        "context_window": m.context_window, "max_output_tokens": m.max_output_tokens,
        "input_modalities": list(m.input_modalities), "output_modalities": list(m.output_modalities),
        "capabilities": m.capabilities.as_dict(), "features": list(m.features), "served_from": m.served_from,
        "new": m.new, "native_inference": m.native_inference, "api_status": m.api_status,
        "pricing_rows": [price_json(r) for r in m.pricing],
        "discounts": [discount_json(d) for d in m.discounts],
        "supported_parameters": [parameter_json(p) for p in m.parameters],
        "default_params": {p.name: plain(p.default) for p in m.parameters if p.has_default},
        "notes": list(m.notes),
    }


def dump(data: Any) -> str:
    """Deterministic JSON: keys in the order given, UTF-8, two-space indent."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def json_files(catalog: Catalog, spec: Spec) -> dict[str, str]:
    """models.json, models/<id>.json and openapi.json."""
    site = site_url(catalog)
    models = [model_json(m, site) for m in catalog.models]
    out = {"models.json": dump({"object": "list", "data": models})}
    out.update({f"models/{m['id']}.json": dump(m) for m in models})
    out["openapi.json"] = dump(plain(spec.data))
    return out


# ---- every file ---------------------------------------------------------------------------------------

def bundles(catalog: Catalog, spec: Spec, pages: list[Page], rendered: dict[str, str]) -> dict[str, str]:
    """Every agent-facing file of the site, from the rendered twins and the data: {relative path: text}."""
    files: dict[str, str] = {}
    write_bundles(catalog, spec, pages, ((p, rendered[p.path]) for p in pages), files.__setitem__)
    return files


def write_bundles(catalog: Catalog, spec: Spec, pages: list[Page], rendered: Iterable[tuple[Page, str]],
                  write: Callable[[str, str], object]) -> dict[str, Size]:
    """Make every agent-facing file and hand each to `write(path, text)` as soon as it is made, keeping only
    the twins (the bundles are made of them) and the sizes (llms.txt states them): at 10,000 models the
    whole set is several times the size of the site's markdown. `rendered` may render lazily."""
    site = site_url(catalog)
    sizes: dict[str, Size] = {}

    def put(path: str, text: str) -> None:
        write(path, text)
        sizes[path] = Size.of(text)

    twins: dict[str, str] = {}
    notes: dict[str, str] = {}
    for page, text in rendered:
        twins[page.path], notes[page.path] = twin(page, text, site), describe(text)
        put(page.path, twins[page.path])
    openapi_text = spec.doc.path.read_bytes().decode("utf-8")
    put("llms-full.txt", full_text(catalog, pages, twins, openapi_text))
    for p in catalog.providers:
        put(provider_bundle_path(p), provider_bundle(catalog, p, twins))
    for path, text in json_files(catalog, spec).items():
        put(path, text)
    put("openapi.yaml", openapi_text)
    for path, text in llms_files(catalog, spec, pages, notes, sizes).items():
        put(path, text)
    return sizes


# ---- checks -------------------------------------------------------------------------------------------

def check_bundles(site_dir: Path, catalog: Catalog, spec: Spec, pages: list[Page]) -> list[Problem]:
    """Read the built site back; report broken links, missing pages, leftovers, invalid JSON, busted budgets."""
    return [*check_files(site_dir, catalog, spec, pages), *check_site(site_dir, catalog, pages)]


def check_files(root: Path, catalog: Catalog, spec: Spec, pages: list[Page]) -> list[Problem]:
    """What the agent files promise on their own: budgets, coverage, no leftovers, valid JSON."""
    return [*check_budgets(root, catalog), *check_coverage(root, catalog, pages),
            *check_leftovers(root, catalog, pages), *check_json(root, catalog, spec)]


def check_site(site_dir: Path, catalog: Catalog, pages: list[Page]) -> list[Problem]:
    """What needs the HTML beside them: every link resolves, every page has its twin."""
    return [*check_links(site_dir, catalog), *check_twins(site_dir, pages)]


def read(site_dir: Path, rel: str) -> str | None:
    """A file of the built site as text, or None when it is missing."""
    path = site_dir / rel
    return path.read_text("utf-8") if path.is_file() else None


def index_files(site_dir: Path) -> list[str]:
    """llms.txt and the per-section files it may point to, that exist in the built site."""
    extra = ["models/llms.txt"] + sorted(str(p.relative_to(site_dir)) for p in site_dir.glob("providers/*/llms.txt"))
    return ["llms.txt"] + [rel for rel in extra if (site_dir / rel).is_file()]


def check_budgets(site_dir: Path, catalog: Catalog) -> Iterator[Problem]:
    """llms.txt under LLMS_BUDGET characters; each provider bundle under PROVIDER_BUDGET bytes."""
    text = read(site_dir, "llms.txt")
    if text is None:
        yield Problem("llms.txt", 0, "missing")
    elif len(text) > LLMS_BUDGET:
        yield Problem("llms.txt", 0, f"{len(text):,} characters, over the budget of {LLMS_BUDGET:,}")
    for p in catalog.providers:
        path = site_dir / provider_bundle_path(p)
        if path.is_file() and path.stat().st_size > PROVIDER_BUDGET:
            yield Problem(provider_bundle_path(p), 0,
                          f"{path.stat().st_size:,} bytes, over the budget of {PROVIDER_BUDGET:,}")


def local_file(site_dir: Path, site: str, url: str) -> Path | None:
    """The file of the built site that an absolute URL serves, or None when it serves none."""
    if not url.startswith(site):
        return None
    rel = url[len(site):].split("#", 1)[0]
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    path = (site_dir / rel).resolve()
    return path if path.is_relative_to(site_dir.resolve()) and path.is_file() else None


def check_links(site_dir: Path, catalog: Catalog) -> Iterator[Problem]:
    """Every link of llms.txt (and its per-section files) is absolute and resolves to a file of the site."""
    site = site_url(catalog)
    for rel in index_files(site_dir):
        for n, line in enumerate((read(site_dir, rel) or "").split("\n"), 1):
            for url in LINK.findall(line):
                if local_file(site_dir, site, url) is None:
                    yield Problem(rel, n, f"link {url} resolves to no file of the built site")


def check_twins(site_dir: Path, pages: list[Page]) -> Iterator[Problem]:
    """Every page, and every index.html of the site that the theme rendered, has its markdown twin. (A page a
    third-party plugin writes, such as a redirect stub of mkdocs-redirects, links no twin and has none.)"""
    paths = {p.path for p in pages}
    twins = paths | {twin_of(html.relative_to(site_dir).as_posix(), paths) for html in site_dir.rglob("index.html")
                     if b'type="text/markdown"' in html.read_bytes()}
    for path in sorted(twins):
        if not (site_dir / path).is_file():
            yield Problem(path, 0, "markdown twin missing")


def twin_of(html: str, pages: set[str]) -> str:
    """The twin of a built HTML page: x/index.html -> x.md; section homes (api/index.html) -> api/index.md."""
    if html == "index.html":
        return "index.md"
    stem = html.removesuffix("/index.html")
    return f"{stem}/index.md" if f"{stem}/index.md" in pages else f"{stem}.md"


def check_coverage(site_dir: Path, catalog: Catalog, pages: list[Page]) -> Iterator[Problem]:
    """Every page in llms.txt and in llms-full.txt (titled, in nav order); every model in its provider's bundle."""
    site = site_url(catalog)
    linked = {url for rel in index_files(site_dir) for url in LINK.findall(read(site_dir, rel) or "")}
    for page in pages:
        if site + page.path not in linked:
            yield Problem("llms.txt", 0, f"page {page.path} is not linked")
    full = read(site_dir, "llms-full.txt") or ""
    at = 0
    for page in pages:
        found = full.find(page_heading(page, site), at)
        if found < 0:
            where = "out of navigation order" if page_heading(page, site) in full else "missing"
            yield Problem("llms-full.txt", 0, f"page {page.path} is {where}")
        else:
            at = found
    if f"# OpenAPI specification\n\nSource: {site}openapi.yaml\n" not in full[at:]:
        yield Problem("llms-full.txt", 0, "the OpenAPI specification is missing")
    for p in catalog.providers:
        bundle = read(site_dir, provider_bundle_path(p)) or ""
        for path in (p.url, *(m.url for m in catalog.provider_models(p.slug))):
            if f"\nSource: {html_url(site, path)}\n" not in bundle:
                yield Problem(provider_bundle_path(p), 0, f"page {path} is missing")


def page_heading(page: Page, site: str) -> str:
    """How every page opens in a bundle: its title, then its canonical URL."""
    return f"# {page.title}\n\nSource: {html_url(site, page.path)}\n"


def leftovers(text: str) -> Iterator[tuple[int, str]]:
    """(line, message) for HTML, template syntax or theme markup left in markdown (HTML only outside code)."""
    lines = text.split("\n")
    if text.startswith("---\n"):
        yield 1, "YAML front matter left in the markdown"
    for n, (line, code) in enumerate(zip(lines, code_mask(lines)), 1):
        if m := TEMPLATE_SYNTAX.search(line):
            yield n, f"template syntax left in the markdown: {m[0]}"
        if code:
            continue
        if m := HTML_TAG.search(CODE_SPAN.sub("", line)):
            yield n, f"HTML left in the markdown: {m[0]}"
        if TAB.match(line) or ADMONITION.match(line):
            yield n, f"theme markup left in the markdown: {line.strip()}"


def check_leftovers(site_dir: Path, catalog: Catalog, pages: list[Page]) -> Iterator[Problem]:
    """No HTML, template syntax or theme markup in any twin or bundle."""
    rels = [p.path for p in pages] + index_files(site_dir) + ["llms-full.txt"]
    rels += [provider_bundle_path(p) for p in catalog.providers]
    for rel in rels:
        for n, message in leftovers(read(site_dir, rel) or ""):
            yield Problem(rel, n, message)


def check_json(site_dir: Path, catalog: Catalog, spec: Spec) -> Iterator[Problem]:
    """models.json and each models/<id>.json parse, validate against the spec and list every model."""
    checks = [("models.json", "#/components/schemas/ModelList")]
    checks += [(f"models/{m.id}.json", "#/components/schemas/Model") for m in catalog.models]
    for rel, pointer in checks:
        text = read(site_dir, rel)
        if text is None:
            yield Problem(rel, 0, "missing")
            continue
        data = json.loads(text)
        for path, message in iter_errors(spec.pointer_validator(pointer), data):
            yield Problem(rel, 0, f"does not match {pointer.rsplit('/', 1)[1]}: {message}", path)
        if rel == "models.json":
            ids = [m.get("id") for m in data.get("data", [])]
            for m in catalog.models:
                if m.id not in ids:
                    yield Problem(rel, 0, f"model {m.id} is missing")
