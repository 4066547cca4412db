"""Agent bundles: markdown twins, llms.txt, llms-full.txt, per-provider bundles and the JSON catalog.

`bundles` is pure: catalog, spec, pages and rendered twins in, {site-relative path: text} out.
`check_bundles` reads the built site back and reports every guarantee an agent would trip over.

One job per module: `twins` (a page for agents), `fulltext` (llms-full.txt and the provider bundles, of pages
`compact` shortened), `catalog_json` (models.json and its parts), `llmstxt` (the index of them all, which
states their sizes), `checks` (the built site read back); `budgets`, `urls`, `markdown` and `prices` serve them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from generator.bundles import budgets
from generator.bundles.budgets import (
    FULL_BUDGET,
    LINKED_BUDGET,
    LLMS_BUDGET,
    PROVIDER_BUDGET,
    Budgets,
    Size,
    brief,
    moved_notice,
    named,
    size_note,
    summary,
)
from generator.bundles.catalog_json import json_files
from generator.bundles.checks import check_bundles, check_files, check_site, twin_of
from generator.bundles.compact import compact_model
from generator.bundles.discovery import API_CATALOG, SERVER_CARD, api_catalog, server_card
from generator.bundles.fulltext import full_text, provider_parts
from generator.bundles.llmstxt import llms_files
from generator.bundles.markdown import blocks
from generator.bundles.twins import describe, twin
from generator.bundles.urls import provider_bundle_path, site_url
from generator.model.objects import Catalog
from generator.model.spec import Spec
from generator.views.render import Page

__all__ = [
    "FULL_BUDGET",
    "LINKED_BUDGET",
    "LLMS_BUDGET",
    "PROVIDER_BUDGET",
    "Budgets",
    "Size",
    "Written",
    "blocks",
    "bundles",
    "check_bundles",
    "check_files",
    "check_site",
    "compact_model",
    "size_note",
    "brief",
    "summary",
    "twin_of",
    "write_bundles",
]


def bundles(catalog: Catalog, spec: Spec, pages: list[Page], rendered: dict[str, str]) -> dict[str, str]:
    """Every agent-facing file of the site, from the rendered twins and the data: {relative path: text}."""
    files: dict[str, str] = {}
    write_bundles(catalog, spec, pages, ((p, rendered[p.path]) for p in pages), files.__setitem__)
    return files


@dataclass
class Written:
    """What the bundles say once written: every file's size (llms.txt states them), and one line for each
    bundle whose budget changed what went into it."""

    sizes: dict[str, Size] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def write_bundles(
    catalog: Catalog,
    spec: Spec,
    pages: list[Page],
    rendered: Iterable[tuple[Page, str]],
    write: Callable[[str, str], object],
    mcp_url: str | None = None,
) -> Written:
    """Make every agent-facing file and hand each to `write(path, text)` as soon as it is made, keeping only
    the twins (the bundles are made of them) and the sizes (llms.txt states them): at 10,000 models the
    whole set is several times the size of the site's markdown. `rendered` may render lazily."""
    site = site_url(catalog)
    written = Written()
    sizes = written.sizes

    def put(path: str, text: str) -> None:
        write(path, text)
        sizes[path] = Size.of(text)

    twins: dict[str, str] = {}
    notes: dict[str, str] = {}
    for page, text in rendered:
        twins[page.path], notes[page.path] = twin(page, text, site, mcp_url), describe(text)
        put(page.path, twins[page.path])
    openapi_text = spec.doc.path.read_bytes().decode("utf-8")
    full = full_text(catalog, spec, pages, twins)
    put("llms-full.txt", full.text)
    operations = {op.url for op in spec.operations}
    split: list[str] = []  # the further parts of the provider bundles too large for one
    for p in catalog.providers:
        for path, text in provider_parts(catalog, p, twins, operations).items():
            put(path, text)
            split += [path] if path != provider_bundle_path(p) else []
    for path, text in json_files(catalog, spec).items():
        put(path, text)
    put("openapi.yaml", openapi_text)
    index, index_notice = llms_files(catalog, spec, pages, notes, sizes, mcp_url)
    for path, text in index.items():
        put(path, text)
    put(API_CATALOG, api_catalog(site, mcp_url))
    if mcp_url:
        put(SERVER_CARD, server_card(catalog, mcp_url))
    written.notices += [n for n in (index_notice, full.notice, parts_notice(catalog, split)) if n]
    return written


def parts_notice(catalog: Catalog, split: list[str]) -> str:
    """The build's line on the provider bundles too large for one file, or empty when none was."""
    if not split:
        return ""
    n = len({path.split("/")[1] for path in split})
    return moved_notice(
        "provider bundles",
        f"the later models of {n:,} of {len(catalog.providers):,} providers",
        "further parts",
        named(split),
        budgets.PROVIDER_BUDGET,
        "bytes each",
    )
