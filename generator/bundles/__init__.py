"""Agent bundles: markdown twins, llms.txt, llms-full.txt, per-provider bundles and the JSON catalog.

`bundles` is pure: catalog, spec, pages and rendered twins in, {site-relative path: text} out.
`check_bundles` reads the built site back and reports every guarantee an agent would trip over."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import urljoin

import yaml

from generator.model.objects import UNIT_NAMES, Catalog, Discount, Model, Parameter, PriceRow, Provider, compact, money
from generator.problems import Problem
from generator.views.render import ADMONITION, TAB, Page
from generator.validate.schemas import iter_errors
from generator.snippets import plain
from generator.model.spec import Operation, Spec

LLMS_BUDGET = 50_000  # characters of llms.txt, however large the catalog
PROVIDER_BUDGET = 100_000  # bytes of one providers/<slug>/llms-full.txt (or of each of its parts)
FULL_BUDGET = 400_000  # characters of llms-full.txt (about 100K tokens)
LINKED_BUDGET = 100_000  # characters of any other file llms.txt links: one fetch
REPEAT_CHARS = 80  # a block this long appears once per bundle
REPEAT_CELL_CHARS = 60  # and so does a table cell this long that ends its row (a parameter's description)
REPEATED_CELL = "(as described above)"
CURRENCY = "USD"  # every amount of the catalog
TIER_METRIC = "input_tokens"  # a context tier is chosen by the input tokens of one request
SECTIONS = ("Guides", "Providers", "Models", "API reference", "Optional")  # after Bundles
MODEL_TABLE = "models/index.json"
STATUS_NOTES = {"planned": "not yet available", "poe_only": "on Poe only, not through the API",
                "disabled": "switched off"}



@dataclass(frozen=True)
class Budgets:
    """The size limits the guides quote (the build enforces them)."""

    llms: int = LLMS_BUDGET
    full: int = FULL_BUDGET
    provider: int = PROVIDER_BUDGET
    linked: int = LINKED_BUDGET


PROVIDER_PART = re.compile(r"/llms-full(-\d+)?\.txt$")
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


def split_at(text: str, prefix: str) -> list[tuple[str, str]]:
    """(heading, text) pieces of `text` cut before each line that starts with `prefix` outside code; the
    first piece, before any such heading, has heading ''."""
    lines = text.split("\n")
    mask = code_mask(lines)
    cuts = [0] + [i for i, (line, code) in enumerate(zip(lines, mask)) if i and line.startswith(prefix) and not code]
    pieces = []
    for start, end in zip(cuts, cuts[1:] + [len(lines)]):
        heading = lines[start][len(prefix):].strip() if lines[start].startswith(prefix) else ""
        pieces.append((heading, "\n".join(lines[start:end])))
    return pieces


MODEL_ID_BLOCK = re.compile(r"^Model ID:\n\n```text\n[^\n]*\n```\n\n?", re.M)
# Lines of a model page that its own Specs table or its cURL requests already state (provider, category and
# context; the base URL, key variable and model id; the endpoint path): the bundles leave them out.
MODEL_RESTATED = re.compile(r"^(?:\[[^\]\n]+\]\([^)\s]+\) · [^\n]*|Point any client at [^\n]*|"
                            r"Request fields [^\n]* accepts\. Defaults apply when a field is omitted\.|"
                            r"`POST /v1/[^`\n]+`)\n\n", re.M)
# The key figures under a model's title (the Specs and Pricing tables below state each of them again).
KEY_FIGURES = re.compile(r"^(?:- [^\n]+\n)*?- Endpoints: POST [^\n]*\n\n", re.M)
FULL_DROPPED_H2 = ("FAQ", "Changes")  # facts the model's other sections already state; the changelog has changes
DERIVED_EXAMPLES = ("Streaming", "Tool calling")  # SDK patterns the API reference shows once per endpoint
FULL_DROPPED_H3 = ("Cost calculator",)  # it runs on the HTML page; the Pricing table holds the rates it uses


def compact_model(text: str) -> str:
    """A model page for the bundles: facts, prices, parameters and one cURL request per endpoint."""
    keep = []
    for heading, piece in split_at(text, "## "):
        if heading in FULL_DROPPED_H2:
            continue
        if heading == "Pricing":
            piece = "".join(p + "\n" for h, p in split_at(piece, "### ") if h not in FULL_DROPPED_H3).rstrip("\n")
        if heading == "Example requests":
            piece = "".join(p if h not in DERIVED_EXAMPLES else "" for h, p in
                            ((h, p + "\n") for h, p in split_at(piece, "### "))).rstrip("\n")
        keep.append(piece)
    body = MODEL_RESTATED.sub("", MODEL_ID_BLOCK.sub("", KEY_FIGURES.sub("", "\n".join(keep), count=1)))
    return drop_link_lists(first_tabs(body))


def compact_operation(text: str) -> str:
    """An API reference page for the bundles: every field, the first example in every SDK, the rest in cURL."""
    out = []
    for heading, piece in split_at(text, "## "):
        if heading == "Example request":
            subs = split_at(piece, "### ")
            piece = "\n".join([subs[0][1], *(p for _, p in subs[1:2]), *(first_tabs(p) for _, p in subs[2:])])
        elif heading == "Example response":  # the fields are listed above; one example shows their shape
            piece = "\n".join(p for _, p in split_at(piece, "### ")[:2])
        out.append(piece)
    return drop_link_lists(re.sub(r"\n{3,}", "\n\n", "\n".join(out)))


def blocks(text: str) -> list[str]:
    """Paragraphs, tables, lists and whole fenced blocks: the pieces of `text` between blank lines."""
    lines = text.split("\n")
    mask = code_mask(lines)
    out: list[str] = []
    current: list[str] = []
    for line, code in zip(lines, mask):
        if not line.strip() and not code:
            if current:
                out.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        out.append("\n".join(current))
    return out


def drop_repeats(parts: list[str], facts: Iterable[int] = (), min_chars: int = REPEAT_CHARS) -> list[str]:
    """Each part without the long blocks (paragraphs, tables, code) an earlier part already holds, and
    without the long last cells of table rows (a parameter's description) an earlier row already gave.
    The tables of the parts numbered in `facts` (model sections: two models may cost the same) stay."""
    seen: set[str] = set()
    cells: set[str] = set()
    where: dict[str, str] = {}  # a parameter table -> the first model that has it
    facts = set(facts)
    out = []
    for i, part in enumerate(parts):
        keep = []
        title = part.partition("\n")[0].removeprefix("# ")
        for block in blocks(part):
            if i in facts and block.startswith("| Parameter |"):
                if block in where:
                    keep.append(f"The same parameters as {where[block]}, above.")
                    continue
                where[block] = title
            if len(block) >= min_chars and not block.startswith("#") and not (i in facts and block.startswith("|")):
                if block in seen:
                    continue
                seen.add(block)
            if block.startswith("| "):
                block = "\n".join(short_row(row, cells) for row in block.split("\n"))
            keep.append(block)
        out.append("\n\n".join(keep) + "\n")
    return out


def short_row(row: str, seen: set[str]) -> str:
    """A table row whose long last cell was given before, with that cell pointing back to it."""
    head, sep, last = row.rstrip().removesuffix(" |").rpartition(" | ")
    if not sep or len(last) < REPEAT_CELL_CHARS or "](" in last:
        return row
    if last in seen:
        return f"{head} | {REPEATED_CELL} |"
    seen.add(last)
    return row


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
    def of(cls, text: str) -> Size:
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


def budget_of(path: str) -> tuple[int, str] | None:
    """The size limit of a bundle file: (limit, 'chars' or 'bytes'), or None for files without one."""
    if path == "llms.txt":
        return LLMS_BUDGET, "chars"
    if path == "llms-full.txt":
        return FULL_BUDGET, "chars"
    if path.startswith("providers/") and PROVIDER_PART.search(path):
        return PROVIDER_BUDGET, "bytes"
    return None


def summary(files: Mapping[str, str | Size]) -> str:
    """The build's bundle summary: every bundle's size against its budget, tokens estimated as characters / 4."""
    rows = []
    for path in sorted(files, key=lambda p: (p != "llms.txt", p != "llms-full.txt", p)):
        budget = budget_of(path)
        if budget:
            limit, kind = budget
            used = size_of(files[path]).chars if kind == "chars" else size_of(files[path]).bytes
            rows.append(f"{path} {used:,}/{limit:,} {kind} ({size_note(files[path])})")
    return "bundles: " + "; ".join(rows) + " (size/budget; tokens ≈ characters / 4)"


# ---- markdown twins -----------------------------------------------------------------------------------

def pointer(site: str) -> str:
    """The line under every twin's title that sends an agent to the index of everything."""
    return f"Agents: every page, bundle and data file of these docs is listed in [llms.txt]({site}llms.txt)."


def twin(page: Page, rendered: str, site: str) -> str:
    """The page for agents: `# Title`, a `Source:` line with its canonical URL, the pointer to llms.txt, then
    the body without front matter, its links made absolute so the twin stands alone."""
    _, body = split_front_matter(rendered)
    body = body.lstrip("\n")
    if body.startswith("# "):
        body = body.partition("\n")[2]
    body = absolute_links(body.strip(), site + page.path)
    return f"# {page.title}\n\nSource: {html_url(site, page.path)}\n{pointer(site)}\n\n{body}\n"


def unpointed(text: str, site: str) -> str:
    """A twin without its pointer line, for the bundles that llms.txt itself lists."""
    return text.replace(f"\n{pointer(site)}\n", "\n", 1)


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


def per_unit(row: PriceRow) -> str:
    """The common scale a row is quoted on in llms.txt: per 1M tokens, or per one unit."""
    return "per 1M tokens" if row.unit == "token" else f"per {UNIT_NAMES[row.unit][0]}"


def quote(row: PriceRow) -> str:
    return ("~" if row.approximate else "") + money(row.comparable)


def price_text(m: Model) -> str:
    """The model's price in one unit per kind: USD per 1M input and output tokens (lowest tier and mode) for
    token-priced models, per image, second, request... otherwise; base fees are added."""
    rows = [r for r in m.pricing if r.derived is None]
    ins = [r for r in rows if r.unit == "token" and r.direction == "input"]
    outs = [r for r in rows if r.unit == "token" and r.direction == "output"]
    both = [r for r in rows if r.unit == "token" and charge_direction(r) == "input_output"]
    fees = [r for r in rows if charge_direction(r) == "base_fee"]
    head = None
    if ins:
        text = f"{quote(ins[0])} in" + (f" / {quote(outs[0])} out" if outs else "") + " per 1M tokens"
        several = len({r.comparable for r in ins}) > 1 or len({r.comparable for r in outs}) > 1
    elif both:
        text, several = f"{quote(both[0])} per 1M tokens, input and output", len(both) > 1
    else:
        head = m.headline if charge_direction(m.headline) != "base_fee" else next(
            (r for r in rows if charge_direction(r) != "base_fee"), m.headline)
        text = f"{quote(head)} {per_unit(head)}"
        several = len([r for r in rows if r.direction == head.direction and charge_direction(r) != "base_fee"]) > 1
    if fees and fees[0] is not head:
        text += f" + {'from ' if len(fees) > 1 else ''}{quote(fees[0])} base fee per request"
    return ("from " if several else "") + text


def model_note(m: Model) -> str:
    """The facts an agent chooses a model by: id, category, context, price (and status if not callable)."""
    parts = [m.id, m.category.name.lower()]
    if m.context_window:
        parts.append(f"{compact(m.context_window)} context")
    parts.append(price_text(m))
    if m.api_status in STATUS_NOTES:
        parts.append(STATUS_NOTES[m.api_status])
    return " · ".join(parts)


def provider_note(catalog: Catalog, p: Provider) -> str:
    """Model count and categories; the provider's bundle has its own line under Bundles."""
    models = catalog.provider_models(p.slug)
    cats = [c.name.lower() for c in catalog.categories if any(m.category.slug == c.slug for m in models)]
    return f"{len(models)} model{'s' if len(models) != 1 else ''} ({', '.join(cats)})"


def provider_paths(p: Provider, files: Mapping[str, str | Size]) -> list[str]:
    """The provider's bundle and its further parts, in order."""
    paths = [provider_bundle_path(p)]
    while f"providers/{p.slug}/llms-full-{len(paths) + 1}.txt" in files:
        paths.append(f"providers/{p.slug}/llms-full-{len(paths) + 1}.txt")
    return paths


def bundle_links(catalog: Catalog, providers: Iterable[Provider], files: Mapping[str, str | Size],
                 site: str) -> list[Link]:
    """A list item for llms-full.txt and for every provider bundle (each part of a split one)."""
    links = [Link("llms-full.txt", site + "llms-full.txt",
                  f"the whole site in one file, in navigation order ({size_note(files['llms-full.txt'])})")]
    for p in providers:
        paths = provider_paths(p, files)
        n = len(catalog.provider_models(p.slug))
        for k, path in enumerate(paths, 1):
            title = f"{p.name} bundle" + (f", part {k} of {len(paths)}" if len(paths) > 1 else "")
            what = f"its page and its {n} model{'s' if n != 1 else ''}" if k == 1 else "more of its models"
            links.append(Link(title, site + path, f"{what} ({size_note(files[path])})"))
    return links


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
            note = provider_note(catalog, providers[page.path])
        elif page.path in operations:
            note = operation_note(operations[page.path])
        else:
            note = notes.get(page.path, "")
        sections[section_of(page.path)].append(Link(page.title, site + page.path, note))
    return sections


def data_links(files: Mapping[str, str | Size], site: str) -> list[Link]:
    """The machine-readable files small enough for one fetch, for the Optional section."""
    if size_of(files[MODEL_TABLE]).chars > LINKED_BUDGET:
        return []
    return [Link("Model table", site + MODEL_TABLE, "every model as one JSON object with its prices per 1M tokens or "
                 f"per unit, md_url and json_url; one model's full entry at `models/<id>.json` "
                 f"({size_note(files[MODEL_TABLE])})")]


def index_info(catalog: Catalog, files: Mapping[str, str | Size], site: str, overflow: bool) -> str:
    """The info paragraph of llms.txt: what the links are, the files too large to link, and the provenance."""
    lines = [
        "Every page link below points at the markdown twin of an HTML page (each opens with its title and "
        "`Source:` URL); the Bundles section has the whole site, or one provider, in one file. Prices are USD. "
        "Sizes are bytes and estimated tokens (characters / 4).",
        "",
        f"Larger than one fetch, and published too: the full catalog `{site}models.json` "
        f"({size_note(files['models.json'])}) and the OpenAPI spec `{site}openapi.yaml` "
        f"({size_note(files['openapi.yaml'])}; also as `openapi.json`). The model table, `models/<id>.json` and "
        "the API reference pages hold the same in pieces.",
    ]
    if overflow:
        lines += ["", f"The model list is too long for this file: see [models/llms.txt]({site}models/llms.txt) "
                  "for every model, or `providers/<slug>/llms.txt` for one provider's."]
    lines += ["", provenance(catalog)]
    return "\n".join(lines)


def llms_index(catalog: Catalog, sections: dict[str, list[Link]], files: Mapping[str, str | Size], site: str,
               overflow: bool) -> str:
    """The site's llms.txt."""
    return llms_doc(catalog.platform.site_name, site_summary(catalog), index_info(catalog, files, site, overflow),
                    {**sections, "Optional": sections["Optional"] + data_links(files, site)})


def with_bundles(catalog: Catalog, sections: dict[str, list[Link]], files: Mapping[str, str | Size], site: str,
                 providers: Iterable[Provider]) -> dict[str, list[Link]]:
    return {"Bundles": bundle_links(catalog, providers, files, site), **sections}


def models_index(catalog: Catalog, models: list[Link], site: str) -> str:
    """models/llms.txt: every model, one section per provider."""
    by_url = {link.url: link for link in models}
    sections = {p.name: [by_url[site + m.url] for m in catalog.provider_models(p.slug)] for p in catalog.providers}
    info = ("Every model with the facts an agent chooses by: id, category, context window and headline price.\n\n"
            + provenance(catalog))
    return llms_doc(f"{catalog.platform.site_name}: models", site_summary(catalog), info, sections)


def provider_index(catalog: Catalog, p: Provider, models: list[Link], files: Mapping[str, str | Size],
                   site: str) -> str:
    """providers/<slug>/llms.txt: one provider's page and models."""
    by_url = {link.url: link for link in models}
    bundle = provider_bundle_path(p)
    info = (f"The provider's page and all of its models in one file: `{site}{bundle}` "
            f"({size_note(files[bundle])}), linked under Bundles.\n\n{provenance(catalog)}")
    sections = {"Bundles": bundle_links(catalog, [p], files, site)[1:],
                "Provider": [Link(p.name, site + p.url, f"{p.name}'s page")],
                "Models": [by_url[site + m.url] for m in catalog.provider_models(p.slug)]}
    return llms_doc(f"{catalog.platform.site_name}: {p.name}", p.description, info, sections)


def llms_files(catalog: Catalog, spec: Spec, pages: list[Page], notes: dict[str, str],
               files: Mapping[str, str | Size]) -> dict[str, str]:
    """llms.txt; when the model list outgrows LLMS_BUDGET, it points to models/llms.txt and per-provider lists."""
    site = site_url(catalog)
    sections = with_bundles(catalog, page_links(catalog, spec, pages, notes, files, site), files, site,
                            catalog.providers)
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
            {"Providers": provider_links, "Model lists": overflow[-len(catalog.providers):],
             "Bundles": bundle_links(catalog, catalog.providers, files, site)[1:]})
        index = [link for link in sections["Providers"] if link.url == site + "providers/index.md"]
        index.append(Link("All providers", site + "providers/llms.txt",
                          f"{len(catalog.providers):,} providers, each with its model list "
                          f"({size_note(out['providers/llms.txt'])})"))
        models = overflow[:-len(catalog.providers)]
        out["llms.txt"] = llms_index(catalog, {**sections, "Bundles": sections["Bundles"][:1], "Providers": index,
                                               "Models": models}, files, site, overflow=True)
    return out


# ---- llms-full.txt and provider bundles ---------------------------------------------------------------

def bundle_page(page: Page, twin_text: str, site: str, operations: set[str]) -> str:
    """One page as the bundles hold it: a model page or an API operation compacted, any other page whole."""
    text = unpointed(twin_text, site)
    if page.path.startswith("models/"):
        return compact_model(text)
    if page.path in operations:
        return compact_operation(text)
    if page.path == "compare.md":  # its list of every model repeats the model sections
        text = re.sub(r"^- \[[^\n]*\n", "", text, flags=re.M)
    return first_tabs(text)


def model_table(catalog: Catalog, models: Iterable[Model], site: str) -> str:
    """The compact model list llms-full.txt carries once the model sections have moved to the provider bundles."""
    rows = ["| Model id | Name | Provider | Category | Context | Price | Full section |", "| --- " * 7 + "|"]
    for m in models:
        context = compact(m.context_window) if m.context_window else "—"
        bundle = provider_bundle_path(m.provider)
        rows.append(f"| `{m.id}` | {cell(m.name)} | {cell(m.provider.name)} | {cell(m.category.name)} | {context} | "
                    f"{cell(price_text(m))} | [{bundle}]({site}{bundle}) |")
    return (f"# Models\n\nSource: {site}pricing/\n\nEvery model, one line each: this file keeps to its budget of "
            f"{FULL_BUDGET:,} characters, so each model's section (facts, prices, parameters, a request per endpoint) "
            "is in its provider's bundle, linked on its line.\n\n" + "\n".join(rows) + "\n")


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def full_text(catalog: Catalog, spec: Spec, pages: list[Page], twins: dict[str, str]) -> str:
    """llms-full.txt: every page in navigation order, model and API pages compacted, each long passage once;
    when that outgrows FULL_BUDGET, the model sections give way to one model table."""
    site = site_url(catalog)
    operations = {op.url for op in spec.operations}
    head = (f"# {catalog.platform.site_name}: full text\n\n> {site_summary(catalog)}\n\n"
            f"Every page of {site} as markdown, in navigation order, each opening with its title and canonical "
            "URL. Model pages keep their facts, prices, parameters and one cURL request per endpoint; API "
            "reference pages keep every field and show each SDK once per endpoint; a long passage that repeats "
            f"is given once. The OpenAPI document itself is at {site}openapi.yaml. {provenance(catalog)}\n")
    parts = [(p, bundle_page(p, twins[p.path], site, operations)) for p in pages]
    models = [i for i, (p, _) in enumerate(parts, 1) if p.path.startswith("models/")]
    text = join_pages(drop_repeats([head, *(t for _, t in parts)], models))
    if len(text) <= FULL_BUDGET:
        return text
    others = [t for p, t in parts if not p.path.startswith("models/")]
    at = next((i for i, (p, _) in enumerate(parts) if p.path.startswith("models/")), len(parts))
    before = sum(1 for p, _ in parts[:at] if not p.path.startswith("models/"))
    for table in (model_table(catalog, catalog.models, site), provider_table(catalog, site)):
        text = join_pages(drop_repeats([head, *others[:before], table, *others[before:]]))
        if len(text) <= FULL_BUDGET:
            break
    return text


def provider_table(catalog: Catalog, site: str) -> str:
    """What llms-full.txt says of the models when even one line per model is too much: where they are."""
    rows = ["| Provider | Models | Bundle |", "| --- | --- | --- |"]
    rows += [f"| {cell(p.name)} | {len(catalog.provider_models(p.slug)):,} | "
             f"[{provider_bundle_path(p)}]({site}{provider_bundle_path(p)}) |" for p in catalog.providers]
    return (f"# Models by provider\n\nSource: {site}providers/\n\nThe {len(catalog.models):,} models are too many "
            f"for this file's budget of {FULL_BUDGET:,} characters, even one line each: every model is listed in "
            f"{site}models/llms.txt, and each provider's bundle holds its models' sections.\n\n"
            + "\n".join(rows) + "\n")


def provider_parts(catalog: Catalog, p: Provider, twins: dict[str, str], operations: set[str]) -> dict[str, str]:
    """providers/<slug>/llms-full.txt: the provider's page and its models' sections, in parts of at most
    PROVIDER_BUDGET bytes (llms-full.txt, then llms-full-2.txt, ...) when one file cannot hold them."""
    site = site_url(catalog)
    models = catalog.provider_models(p.slug)
    pages = [drop_link_lists(first_tabs(unpointed(twins[p.url], site)))]
    pages += [compact_model(unpointed(twins[m.url], site)) for m in models]
    pages = drop_repeats(pages, range(1, len(pages)))
    intro = (f"{p.name}'s page and its {len(models)} model section{'s' if len(models) != 1 else ''} as markdown: "
             "facts, prices, parameters and one cURL request per endpoint; each page's `Source:` has the rest, "
             f"and {site}llms-full.txt the whole site. {provenance(catalog)}")
    chunks: list[list[str]] = [[]]
    room = PROVIDER_BUDGET - 4_000  # the head of a part, and its list of parts
    used = 0
    for page in pages:
        size = len(page.encode("utf-8")) + 5
        if chunks[-1] and used + size > room:
            chunks.append([])
            used = 0
        chunks[-1].append(page)
        used += size
    paths = [provider_bundle_path(p)] + [f"providers/{p.slug}/llms-full-{k}.txt" for k in range(2, len(chunks) + 1)]
    out = {}
    for k, (path, chunk) in enumerate(zip(paths, chunks), 1):
        listing = ""
        if len(chunks) > 1:
            listing = (f"\n\nPart {k} of {len(chunks)}, each at most {PROVIDER_BUDGET:,} bytes:\n\n"
                       + "\n".join(f"- [{q}]({site}{q})" for q in paths))
        head = (f"# {catalog.platform.site_name}: {p.name}\n\n> {' '.join(p.description.split())}\n\n"
                f"{intro}{listing}\n")
        out[path] = join_pages([head, *chunk])
    return out


# ---- JSON catalog -------------------------------------------------------------------------------------

def present(data: dict[str, Any]) -> dict[str, Any]:
    """The keys of `data` that have a value (optional schema fields are left out, not null)."""
    return {k: v for k, v in data.items() if v is not None}


def decimal(amount: Any) -> str | None:
    """An exact decimal string, as the catalog wrote it: Decimal('0.040') -> '0.040'."""
    return None if amount is None else f"{amount:f}"


def charge_direction(r: PriceRow) -> str:
    """What a row bills, on every row: input, output, tool, or for rows the catalog leaves undirected,
    input_output (one token rate for both), base_fee (a flat fee per request) or usage (per unit made or read)."""
    if r.direction:
        return r.direction
    if r.unit == "token" and "input" in r.label.lower() and "output" in r.label.lower():
        return "input_output"
    if r.unit == "request":
        return "base_fee"
    return "usage"


def normalized_per(r: PriceRow) -> int:
    """The common scale of a row: 1M for tokens, one unit otherwise."""
    return 1_000_000 if r.unit == "token" else 1


def price_json(r: PriceRow) -> dict[str, Any]:
    """One pricing row, fields in the order of the PriceRow schema."""
    tier = {**present({"min": r.tier.min, "max": r.tier.max}), "metric": TIER_METRIC} if r.tier else None
    return present({"label": r.label, "mode": r.mode, "direction": charge_direction(r), "currency": CURRENCY,
                    "amount": decimal(r.amount), "normalized_amount": float(r.comparable),
                    "normalized_per": normalized_per(r),
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
        "description": m.description, "url": html_url(site, m.url), "md_url": site + m.url,
        "json_url": f"{site}models/{m.id}.json", "endpoints": list(m.endpoints),
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
    out = {"models.json": dump({"object": "list", "updated": str(catalog.platform.updated), "catalog": catalog.digest,
                                "currency": CURRENCY, "data": models})}
    out.update({f"models/{m['id']}.json": dump(m) for m in models})
    out[MODEL_TABLE] = dump({"object": "list", "updated": str(catalog.platform.updated), "catalog": catalog.digest,
                             "currency": CURRENCY, "data": [table_row(m, entry) for m, entry in
                                                            zip(catalog.models, models)]})
    out["openapi.json"] = dump(plain(spec.data))
    return out


def table_row(m: Model, entry: dict[str, Any]) -> dict[str, Any]:
    """One line of the model table: what an agent filters and sorts by, and where the rest is."""
    def rate(direction: str) -> float | None:
        rows = [r for r in m.pricing if r.unit == "token" and r.derived is None
                and charge_direction(r) in (direction, "input_output")]
        return float(rows[0].comparable) if rows else None

    return {"id": m.id, "name": m.name, "provider": m.provider.slug, "category": m.category.slug,
            "context_window": m.context_window, "input_usd_per_1m_tokens": rate("input"),
            "output_usd_per_1m_tokens": rate("output"), "price": price_text(m), "api_status": m.api_status,
            "md_url": entry["md_url"], "json_url": entry["json_url"]}


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
    put("llms-full.txt", full_text(catalog, spec, pages, twins))
    operations = {op.url for op in spec.operations}
    for p in catalog.providers:
        for path, text in provider_parts(catalog, p, twins, operations).items():
            put(path, text)
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
    """llms.txt under LLMS_BUDGET characters, llms-full.txt under FULL_BUDGET, each provider bundle (and part)
    under PROVIDER_BUDGET bytes, and every other file llms.txt links under LINKED_BUDGET characters."""
    text = read(site_dir, "llms.txt")
    if text is None:
        yield Problem("llms.txt", 0, "missing")
        return
    if len(text) > LLMS_BUDGET:
        yield Problem("llms.txt", 0, f"{len(text):,} characters, over the budget of {LLMS_BUDGET:,}")
    full = read(site_dir, "llms-full.txt")
    if full is not None and len(full) > FULL_BUDGET:
        yield Problem("llms-full.txt", 0, f"{len(full):,} characters, over the budget of {FULL_BUDGET:,}")
    for p in catalog.providers:
        for path in sorted(site_dir.glob(f"providers/{p.slug}/llms-full*.txt")):
            if path.stat().st_size > PROVIDER_BUDGET:
                yield Problem(path.relative_to(site_dir).as_posix(), 0,
                              f"{path.stat().st_size:,} bytes, over the budget of {PROVIDER_BUDGET:,}")
    site = site_url(catalog)
    for n, line in enumerate(text.split("\n"), 1):
        for url in LINK.findall(line):
            rel = url[len(site):]
            linked = local_file(site_dir, site, url)
            if rel == "llms-full.txt" or budget_of(rel) or rel.endswith("llms.txt") or linked is None:
                continue  # bundles and indexes have budgets of their own
            chars = len(linked.read_text("utf-8"))
            if chars > LINKED_BUDGET:
                yield Problem("llms.txt", n, f"links {rel}, {chars:,} characters: over {LINKED_BUDGET:,}, more "
                              "than one fetch")


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
    by_provider = "\n# Models by provider\n" in full  # too many models to list: the bundles hold them
    at = 0
    for page in pages:
        if page.path.startswith("models/") and by_provider:
            continue
        if page.path.startswith("models/") and page_heading(page, site) not in full:
            model_id = page.path.removeprefix("models/").removesuffix(".md")
            if f"\n| `{model_id}` | " not in full:
                yield Problem("llms-full.txt", 0, f"model {model_id} is neither a section nor a table row")
            continue
        found = full.find(page_heading(page, site), at)
        if found < 0:
            where = "out of navigation order" if page_heading(page, site) in full else "missing"
            yield Problem("llms-full.txt", 0, f"page {page.path} is {where}")
        else:
            at = found
    for p in catalog.providers:
        parts = sorted(x.relative_to(site_dir).as_posix() for x in site_dir.glob(f"providers/{p.slug}/llms-full*.txt"))
        bundle = "".join(read(site_dir, rel) or "" for rel in parts)
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
    rels += sorted(str(x.relative_to(site_dir)) for p in catalog.providers
                   for x in site_dir.glob(f"providers/{p.slug}/llms-full*.txt"))
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
