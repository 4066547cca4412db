"""The checks of the built site: every guarantee an agent would trip over, read back from the files."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from generator import cache
from generator.bundles import budgets
from generator.bundles.budgets import budget_of
from generator.bundles.fulltext import is_provider_page
from generator.bundles.markdown import LINK
from generator.bundles.urls import html_url, provider_bundle_path, site_url
from generator.fences import code_mask
from generator.model.objects import Catalog
from generator.model.spec import Spec
from generator.problems import Problem
from generator.validate.schemas import iter_errors
from generator.views.render import ADMONITION, TAB, Page

HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--")
CODE_SPAN = re.compile(r"(`+).+?\1")
TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|\{#")


def check_bundles(site_dir: Path, catalog: Catalog, spec: Spec, pages: list[Page]) -> list[Problem]:
    """Read the built site back; report broken links, missing pages, leftovers, invalid JSON, busted budgets."""
    return [*check_files(site_dir, catalog, spec, pages), *check_site(site_dir, catalog, pages)]


def check_files(root: Path, catalog: Catalog, spec: Spec, pages: list[Page]) -> list[Problem]:
    """What the agent files promise on their own: budgets, coverage, no leftovers, valid JSON."""
    return [
        *check_budgets(root, catalog),
        *check_coverage(root, catalog, pages),
        *check_leftovers(root, catalog, pages),
        *check_json(root, catalog, spec),
    ]


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
    yield from check_bundle_sizes(site_dir, catalog, text)
    yield from check_linked_sizes(site_dir, catalog, text)


def check_bundle_sizes(site_dir: Path, catalog: Catalog, text: str) -> Iterator[Problem]:
    """llms.txt (its `text`), llms-full.txt and every part of every provider bundle within its budget."""
    if len(text) > budgets.LLMS_BUDGET:
        yield Problem("llms.txt", 0, f"{len(text):,} characters, over the budget of {budgets.LLMS_BUDGET:,}")
    full = read(site_dir, "llms-full.txt")
    if full is not None and len(full) > budgets.FULL_BUDGET:
        yield Problem("llms-full.txt", 0, f"{len(full):,} characters, over the budget of {budgets.FULL_BUDGET:,}")
    for p in catalog.providers:
        for path in sorted(site_dir.glob(f"providers/{p.slug}/llms-full*.txt")):
            if path.stat().st_size > budgets.PROVIDER_BUDGET:
                yield Problem(
                    path.relative_to(site_dir).as_posix(),
                    0,
                    f"{path.stat().st_size:,} bytes, over the budget of {budgets.PROVIDER_BUDGET:,}",
                )


def check_linked_sizes(site_dir: Path, catalog: Catalog, text: str) -> Iterator[Problem]:
    """Every file llms.txt (its `text`) links, bundles and indexes aside, small enough for one fetch."""
    site = site_url(catalog)
    for n, line in enumerate(text.split("\n"), 1):
        for url in LINK.findall(line):
            rel = url[len(site) :]
            linked = local_file(site_dir, site, url)
            if rel == "llms-full.txt" or budget_of(rel) or rel.endswith("llms.txt") or linked is None:
                continue  # bundles and indexes have budgets of their own
            chars = len(linked.read_text("utf-8"))
            if chars > budgets.LINKED_BUDGET:
                yield Problem(
                    "llms.txt",
                    n,
                    f"links {rel}, {chars:,} characters: over {budgets.LINKED_BUDGET:,}, more than one fetch",
                )


def local_file(site_dir: Path, site: str, url: str) -> Path | None:
    """The file of the built site that an absolute URL serves, or None when it serves none."""
    if not url.startswith(site):
        return None
    rel = url[len(site) :].split("#", 1)[0]
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
    twins = paths | {
        twin_of(html.relative_to(site_dir).as_posix(), paths)
        for html in site_dir.rglob("index.html")
        if b'type="text/markdown"' in html.read_bytes()
    }
    for path in sorted(twins):
        if not (site_dir / path).is_file():
            yield Problem(path, 0, "markdown twin missing")


def twin_of(html: str, pages: set[str]) -> str:
    """The twin of a built HTML page: x/index.html -> x.md; section homes (api/index.html) -> api/index.md."""
    if html == "index.html":
        return "index.md"
    stem = html.removesuffix("/index.html")
    return f"{stem}/index.md" if f"{stem}/index.md" in pages else f"{stem}.md"


NAMED = re.compile(r"^- [^\n]*?: `([^`\s]+)` \([\d,]+ characters, more than one fetch", re.M)


def check_coverage(site_dir: Path, catalog: Catalog, pages: list[Page]) -> Iterator[Problem]:
    """Every page in llms.txt and in llms-full.txt (titled, in nav order); every model in its provider's bundle."""
    site = site_url(catalog)
    indexes = "\n".join(read(site_dir, rel) or "" for rel in index_files(site_dir))
    linked = set(LINK.findall(indexes)) | set(NAMED.findall(indexes))  # named: too large for one fetch
    for page in pages:
        if site + page.path not in linked:
            yield Problem("llms.txt", 0, f"page {page.path} is not linked")
    yield from check_full_text(read(site_dir, "llms-full.txt") or "", pages, site)
    yield from check_provider_bundles(site_dir, catalog, site)


def check_full_text(full: str, pages: list[Page], site: str) -> Iterator[Problem]:
    """Every page in llms-full.txt, in navigation order; a model as its section, or as a row of the model table
    (or, when even that table was too large, models and providers' pages in the providers' bundles)."""
    by_provider = "\n# Models by provider\n" in full  # too many models to list: the bundles hold them
    at = 0
    for page in pages:
        if by_provider and (page.path.startswith("models/") or is_provider_page(page)):
            continue  # listed in the provider table or the indexes, their sections in the providers' bundles
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


def check_provider_bundles(site_dir: Path, catalog: Catalog, site: str) -> Iterator[Problem]:
    """Every provider's page and every one of its models in its bundle (in one of its parts)."""
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
    for n, (line, code) in enumerate(zip(lines, code_mask(lines), strict=True), 1):
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
    rels += sorted(
        str(x.relative_to(site_dir))
        for p in catalog.providers
        for x in site_dir.glob(f"providers/{p.slug}/llms-full*.txt")
    )
    for rel in rels:
        for n, message in leftovers(read(site_dir, rel) or ""):
            yield Problem(rel, n, message)


def check_json(site_dir: Path, catalog: Catalog, spec: Spec) -> Iterator[Problem]:
    """models.json and each models/<id>.json parse, validate against the spec and list every model."""
    checks = [("models.json", "ModelList")] + [(f"models/{m.id}.json", "Model") for m in catalog.models]
    listed: dict[Any, Any] = {}  # models.json's entries, each validated as a Model with it
    for rel, schema in checks:
        text = read(site_dir, rel)
        if text is None:
            yield Problem(rel, 0, "missing")
            continue
        data = json.loads(text)
        if schema == "Model" and listed.get(data.get("id")) == data:
            continue  # the same object as models.json's entry, which passed
        problems = _schema_problems(spec, schema, text, data)
        for path, message in problems:
            yield Problem(rel, 0, f"does not match {schema}: {message}", path)
        if rel == "models.json":
            entries = [e for e in data.get("data", []) if isinstance(e, dict)]
            if not problems:
                listed = {e.get("id"): e for e in entries}
            ids = [e.get("id") for e in entries]
            for m in catalog.models:
                if m.id not in ids:
                    yield Problem(rel, 0, f"model {m.id} is missing")


def _schema_problems(spec: Spec, schema: str, text: str, data: Any) -> list[tuple[str, str]]:
    """(JSON path, message) of each way `data` (parsed from `text`) fails the spec's `schema`. A text found
    valid is remembered in the cache folder, keyed by the spec and the text: a warm build skips it."""
    name = f"json-valid/{cache.key(spec.digest, metadata.version('jsonschema'), schema, text)}"
    return cache.unless_clean(
        name, lambda: list(iter_errors(spec.pointer_validator(f"#/components/schemas/{schema}"), data))
    )
