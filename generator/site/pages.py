"""The site's pages and the generated sections of its navigation (the rest of the site is mkdocs.yml's)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.load.yamlfile import YamlDoc
from generator.model.objects import Catalog
from generator.model.spec import Spec
from generator.site import config as siteconfig
from generator.site.config import Guide
from generator.views import pages as views
from generator.views import pricing, tryit
from generator.views.apiref import api_pages
from generator.views.render import Page


@dataclass(frozen=True)
class CategoryStat:
    slug: str
    name: str
    unit: str
    count: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Stats:
    model_count: int
    provider_count: int
    categories: tuple[CategoryStat, ...]


def stats(catalog: Catalog) -> Stats:
    cats = tuple(
        CategoryStat(c.slug, c.name, c.unit, len(ms), tuple(m.name for m in ms[:3]))
        for c in catalog.categories
        if (ms := catalog.category_models(c.slug))
    )
    return Stats(len(catalog.models), len(catalog.providers), cats)


def template_globals(catalog: Catalog, try_it_servers: tuple[str, ...] | None = None) -> dict[str, Any]:
    """What every template may read besides its page's view. `try_it_servers`: where the Try it console may
    send (default: the API host)."""
    from generator.bundles import Budgets  # the agents guide quotes the bundles' budgets

    servers = tryit.servers_json(try_it_servers or (catalog.platform.api_host,))
    return {"platform": catalog.platform, "stats": stats(catalog), "budgets": Budgets(), "try_it_servers": servers}


def pages(
    catalog: Catalog, spec: Spec, guides: Sequence[Guide] | None = None, asyncapi: YamlDoc | None = None
) -> list[Page]:
    """Every page of the site: the guides (of mkdocs.yml's docs_dir, in its navigation order), then the
    generated pages (model pages last: they are reached, not listed). Without `guides`, those of the
    shipped mkdocs.yml; without `asyncapi` (the checked document), the repository's asyncapi.yaml."""
    if guides is None:
        guides = shipped_guides()
    out = [Page(g.path, g.title, g.template) for g in guides if not g.path.startswith("api/")]
    out.append(Page("changelog.md", "Changelog", "pages/changelog.md.j2", catalog.changelog))
    pricing_view = pricing.pricing_page(catalog)
    out.append(Page("pricing.md", "Pricing", "pages/pricing.md.j2", pricing_view))
    out.append(Page("compare.md", "Compare models", "pages/compare.md.j2", pricing.compare_page(catalog, pricing_view)))
    out.append(Page("providers/index.md", "Providers", "pages/providers.md.j2", views.provider_cards(catalog)))
    out += [
        Page(p.url, p.name, "pages/provider.md.j2", views.provider_page(catalog, spec, p)) for p in catalog.providers
    ]
    out += [Page(g.path, g.title, g.template) for g in guides if g.path.startswith("api/")]
    out += api_pages(catalog, spec, asyncapi)
    out += [Page(m.url, m.name, "pages/model.md.j2", views.model_page(catalog, spec, m)) for m in catalog.models]
    return out


def shipped_guides() -> list[Guide]:
    """The guides of the templates directory being rendered (its guides/ folder), ordered by the
    navigation of the mkdocs.yml beside it."""
    from generator.views import render

    config = render.TEMPLATES.parent / "mkdocs.yml"
    nav = siteconfig.load_data(config.read_text("utf-8"), config).get("nav") if config.is_file() else None
    return siteconfig.guides(render.TEMPLATES / "guides", render.TEMPLATES, nav)


def sections(catalog: Catalog, site_pages: list[Page], *, list_models: bool = False) -> dict[str, list[Any]]:
    """The generated sections of the navigation, by the marker that places them in mkdocs.yml. Provider
    and model pages stay out of it: every page carries the whole navigation, so listing them would make
    the site grow with the square of the catalog. The providers index and the pricing table lead to them.
    `list_models` builds the naive layout the benchmark compares against."""
    models: list[Any] = [{"Pricing": "pricing.md"}, {"Providers": "providers/index.md"}]
    if list_models:
        models += [
            {p.name: [{"Overview": p.url}] + [{m.name: m.url} for m in catalog.provider_models(p.slug)]}
            for p in catalog.providers
        ]
    api = [{p.title: p.path} for p in site_pages if p.path.startswith("api/")]
    return {"catalog:models": models, "catalog:api": api}


def index_urls(site_pages: list[Page]) -> list[str]:
    """The section pages built from x/index.md, whose twin is x/index.md (not x.md): templates/theme/main.html
    needs them under zensical, which gives a template no `page.file` to read the source path from."""
    return [p.path.removesuffix("index.md") for p in site_pages if p.path.endswith("/index.md")]
