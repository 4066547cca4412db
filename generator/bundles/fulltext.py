"""llms-full.txt and the per-provider bundles: pages in navigation order, compacted, each passage once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator.bundles import budgets
from generator.bundles.budgets import named
from generator.bundles.compact import compact_model, compact_operation, drop_repeats
from generator.bundles.llmstxt import site_summary
from generator.bundles.markdown import drop_link_lists, first_tabs, join_pages
from generator.bundles.prices import price_text
from generator.bundles.twins import unpointed
from generator.bundles.urls import html_url, provenance, provider_bundle_path, site_url
from generator.model.objects import Catalog, Model, Provider, compact
from generator.model.spec import Spec
from generator.views.render import Page


def bundle_page(page: Page, twin_text: str, site: str, operations: set[str]) -> str:
    """One page as the bundles hold it: a model page or an API operation compacted, any other page whole."""
    text = unpointed(twin_text, site)
    if page.path.startswith("models/"):
        return compact_model(text)
    if page.path in operations:
        return compact_operation(text)
    if page.path == "compare.md":  # its list of every model repeats the model sections
        text = re.sub(r"^- \[[^\n]*\n", "", text, flags=re.M)
    if page.path == "pricing.md":  # each row's Compare link: the HTML compare page, for a person to open
        text = re.sub(r" \[Compare\]\([^)\s]*\)", "", text)
    return first_tabs(text)


GIVES_WAY = ("planned", "poe_only", "disabled")  # models not callable through the API: their sections go first


@dataclass(frozen=True)
class Fitted:
    """A bundle as it fits its budget, and the build's one-line notice of what moved out (empty when nothing)."""

    text: str
    notice: str = ""


def model_table(catalog: Catalog, models: Iterable[Model], site: str) -> str:
    """One line per model whose section gave way to the budget, each linking the model's twin, which holds it."""
    models = list(models)
    rows = ["| Model id | Name | Provider | Category | Context | Price | Section |", "| --- " * 7 + "|"]
    for m in models:
        context = compact(m.context_window) if m.context_window else "—"
        rows.append(
            f"| `{m.id}` | {cell(m.name)} | {cell(m.provider.name)} | {cell(m.category.name)} | {context} | "
            f"{cell(price_text(m))} | [{m.url}]({site}{m.url}) |"
        )
    n = len(catalog.models)
    which = "Every model, one line each" if len(models) == n else f"{len(models):,} of the {n:,} models, one line each"
    return (
        f"# Models\n\nSource: {site}pricing/\n\n{which}: this file keeps to its budget of "
        f"{budgets.FULL_BUDGET:,} characters, so their sections (facts, prices, parameters, a request per "
        "endpoint) are in their markdown twins, linked on each line, and in their providers' bundles.\n\n"
        + "\n".join(rows)
        + "\n"
    )


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def full_text(catalog: Catalog, spec: Spec, pages: list[Page], twins: dict[str, str]) -> Fitted:
    """llms-full.txt: every page in navigation order, model and API pages compacted, each long passage once.
    Over FULL_BUDGET, model sections give way one by one, the least needed first, each to one line of a model
    table that links its twin; when even one line each is too much, see `without_model_sections`."""
    site = site_url(catalog)
    operations = {op.url for op in spec.operations}
    head = full_head(catalog, site)
    parts = [(p, bundle_page(p, twins[p.path], site, operations)) for p in pages]
    text = graded(catalog, site, head, parts, [])
    if len(text) <= budgets.FULL_BUDGET:
        return Fitted(text)
    order = give_way_order(catalog, parts)
    if len(graded(catalog, site, head, parts, order)) > budgets.FULL_BUDGET:
        return without_model_sections(catalog, site, head, parts)
    low, high = 0, len(order)  # over the budget with `low` sections moved, within it with `high`
    while high - low > 1:
        mid = (low + high) // 2
        if len(graded(catalog, site, head, parts, order[:mid])) <= budgets.FULL_BUDGET:
            high = mid
        else:
            low = mid
    chosen = {m.url for m in order[:high]}
    moved = [m.url for m in catalog.models if m.url in chosen]
    return Fitted(
        graded(catalog, site, head, parts, order[:high]),
        budgets.moved_notice(
            "llms-full.txt",
            f"{len(moved):,} of {len(catalog.models):,} model sections",
            "their twins",
            named(moved),
            budgets.FULL_BUDGET,
        ),
    )


def give_way_order(catalog: Catalog, parts: list[tuple[Page, str]]) -> list[Model]:
    """The models whose sections give way first: those not callable through the API, then the largest
    sections (the fewest lines move), then the later in navigation order."""
    size = {p.path: len(text) for p, text in parts}
    models = [m for m in catalog.models if m.url in size]
    nav = {p.path: i for i, (p, _) in enumerate(parts)}
    return sorted(models, key=lambda m: (m.api_status not in GIVES_WAY, -size[m.url], -nav[m.url]))


def graded(catalog: Catalog, site: str, head: str, parts: list[tuple[Page, str]], moved: Iterable[Model]) -> str:
    """llms-full.txt with the sections of the `moved` models given as lines of one model table, which stands
    where the first model section stood."""
    out = {m.url for m in moved}
    at = next((i for i, (p, _) in enumerate(parts) if p.path.startswith("models/")), len(parts))
    kept = [(i, p, text) for i, (p, text) in enumerate(parts) if p.path not in out]
    texts = [text for _, _, text in kept]
    facts = [k for k, (_, p, _) in enumerate(kept, 1) if p.path.startswith("models/")]  # 0 is the head
    if out:
        before = sum(1 for i, _, _ in kept if i < at)
        texts.insert(before, model_table(catalog, (m for m in catalog.models if m.url in out), site))
        facts = [k + (k > before) for k in facts]
    return join_pages(drop_repeats([head, *texts], facts))


def full_head(catalog: Catalog, site: str) -> str:
    """How llms-full.txt opens: what it holds, and where the rest is."""
    return (
        f"# {catalog.platform.site_name}: full text\n\n> {site_summary(catalog)}\n\n"
        f"Every page of {site} as markdown, in navigation order, each opening with its title and canonical "
        "URL. Model pages keep their facts, prices, parameters and one cURL request per endpoint; API "
        "reference pages keep every field and show each SDK once per endpoint; a long passage that repeats "
        f"is given once. The OpenAPI document itself is at {site}openapi.yaml. {provenance(catalog)}\n"
    )


def without_model_sections(catalog: Catalog, site: str, head: str, parts: list[tuple[Page, str]]) -> Fitted:
    """llms-full.txt with one model table where the model sections were, and the pages that list every model
    as stubs; or, when even that is too much, with one provider table (or a pointer to the indexes) in place
    of the models and the providers' pages."""
    others = [(p, listing_stub(p, site) if lists_the_catalog(p) else text) for p, text in parts]
    others = [(p, text) for p, text in others if not p.path.startswith("models/")]
    at = next((i for i, (p, _) in enumerate(parts) if p.path.startswith("models/")), len(parts))
    order = {p.path: i for i, (p, _) in enumerate(parts)}
    tables = (
        (model_table(catalog, catalog.models, site), True),
        (provider_table(catalog, site), False),
        (index_pointer(catalog, site), False),
    )
    for table, with_providers in tables:
        kept = [(p, text) for p, text in others if with_providers or not is_provider_page(p)]
        before = sum(1 for p, _ in kept if order[p.path] < at)
        texts = [text for _, text in kept]
        text = join_pages(drop_repeats([head, *texts[:before], table, *texts[before:]]))
        if len(text) <= budgets.FULL_BUDGET:
            break
    listing = [p.path for p, _ in parts if lists_the_catalog(p)]
    n = f"all {len(catalog.models):,} model sections"
    if with_providers:
        what, where = f"{n} and the {len(listing):,} pages that list them", "their twins"
        paths = [m.url for m in catalog.models] + listing
    else:
        what, where = f"{n}, the providers' pages and the pages that list every model", "the providers' bundles"
        paths = [provider_bundle_path(p) for p in catalog.providers]
    return Fitted(text, budgets.moved_notice("llms-full.txt", what, where, named(paths), budgets.FULL_BUDGET))


def index_pointer(catalog: Catalog, site: str) -> str:
    """What llms-full.txt says of the models when even one line per provider is too much."""
    return (
        f"# Models by provider\n\nSource: {site}providers/\n\nThe {len(catalog.models):,} models of "
        f"{len(catalog.providers):,} providers are too many for this file's budget of {budgets.FULL_BUDGET:,} "
        f"characters, even one line per provider: every model is listed in {site}models/llms.txt, every "
        f"provider's bundle in {site}llms.txt, and each bundle holds its models' sections.\n"
    )


def is_provider_page(page: Page) -> bool:
    return page.path.startswith("providers/") and page.path != "providers/index.md"


def lists_the_catalog(page: Page) -> bool:
    """A page that grows with the catalog: the pricing table, the compare page, the providers' pages."""
    return page.path in ("pricing.md", "compare.md") or page.path.startswith("providers/")


def listing_stub(page: Page, site: str) -> str:
    """Such a page in llms-full.txt once the model sections have moved out: its title, URL and where its
    facts are. Its twin stays whole at its own address."""
    return (
        f"# {page.title}\n\nSource: {html_url(site, page.path)}\n\nThis page lists models of the catalog; "
        "at this catalog's size its facts are given once, in the model table of this file and in the "
        f"providers' bundles. Its markdown: {site}{page.path}\n"
    )


def provider_table(catalog: Catalog, site: str) -> str:
    """What llms-full.txt says of the models when even one line per model is too much: where they are."""
    rows = ["| Provider | Models | Bundle |", "| --- | --- | --- |"]
    rows += [
        f"| {cell(p.name)} | {len(catalog.provider_models(p.slug)):,} | "
        f"[{provider_bundle_path(p)}]({site}{provider_bundle_path(p)}) |"
        for p in catalog.providers
    ]
    return (
        f"# Models by provider\n\nSource: {site}providers/\n\nThe {len(catalog.models):,} models are too many "
        f"for this file's budget of {budgets.FULL_BUDGET:,} characters, even one line each: every model is "
        f"listed in {site}models/llms.txt, and each provider's bundle holds its models' sections.\n\n"
        + "\n".join(rows)
        + "\n"
    )


def provider_parts(catalog: Catalog, p: Provider, twins: dict[str, str], operations: set[str]) -> dict[str, str]:
    """providers/<slug>/llms-full.txt: the provider's page and its models' sections, in parts of at most
    PROVIDER_BUDGET bytes (llms-full.txt, then llms-full-2.txt, ...) when one file cannot hold them."""
    site = site_url(catalog)
    pages = provider_pages(catalog, p, twins, site)
    reserve = 4_000  # for each part's head, which lists every part: grown until the largest head fits
    while True:
        chunks = fill_parts(pages, budgets.PROVIDER_BUDGET - reserve)
        paths = [provider_bundle_path(p)] + [f"providers/{p.slug}/llms-full-{k}.txt" for k in range(2, len(chunks) + 1)]
        head = max(len(part_head(catalog, p, site, k, paths).encode("utf-8")) for k in (1, len(paths))) + 100
        if head <= reserve:
            break
        reserve = head
    out = {}
    for k, (path, chunk) in enumerate(zip(paths, chunks, strict=True), 1):
        out[path] = join_pages([part_head(catalog, p, site, k, paths), *chunk])
    return out


def provider_pages(catalog: Catalog, p: Provider, twins: dict[str, str], site: str) -> list[str]:
    """The provider's page and its models' sections, compacted, each long passage once."""
    page = drop_link_lists(first_tabs(unpointed(twins[p.url], site)))
    if len(page.encode("utf-8")) > budgets.PROVIDER_BUDGET // 2:  # a provider of thousands of models
        page = (
            f"# {p.name}\n\nSource: {html_url(site, p.url)}\n\nThis provider's page lists its "
            f"{len(catalog.provider_models(p.slug)):,} models, too many for one part of this bundle; its "
            f"markdown is at {site}{p.url}, and each model's section follows.\n"
        )
    pages = [page]
    pages += [compact_model(unpointed(twins[m.url], site)) for m in catalog.provider_models(p.slug)]
    return drop_repeats(pages, range(1, len(pages)))


def fill_parts(pages: list[str], room: int) -> list[list[str]]:
    """The pages in order, cut into parts of at most `room` bytes (a page larger than that alone in its part)."""
    chunks: list[list[str]] = [[]]
    used = 0
    for page in pages:
        size = len(page.encode("utf-8")) + 5
        if chunks[-1] and used + size > room:
            chunks.append([])
            used = 0
        chunks[-1].append(page)
        used += size
    return chunks


def part_head(catalog: Catalog, p: Provider, site: str, k: int, paths: list[str]) -> str:
    """How part `k` of a provider's bundle opens: what it holds, and the list of parts when there are several."""
    n = len(catalog.provider_models(p.slug))
    intro = (
        f"{p.name}'s page and its {n} model section{'s' if n != 1 else ''} as markdown: "
        "facts, prices, parameters and one cURL request per endpoint; each page's `Source:` has the rest, "
        f"and {site}llms-full.txt the whole site. {provenance(catalog)}"
    )
    listing = ""
    if len(paths) > 1:
        listing = f"\n\nPart {k} of {len(paths)}, each at most {budgets.PROVIDER_BUDGET:,} bytes:\n\n" + "\n".join(
            f"- [{q}]({site}{q})" for q in paths
        )
    return f"# {catalog.platform.site_name}: {p.name}\n\n> {' '.join(p.description.split())}\n\n{intro}{listing}\n"
