"""The site's pages, navigation and mkdocs configuration."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import views
from .apiref import api_pages
from .model import Catalog
from .render import Page
from .spec import Spec

GUIDES = (  # (source path, title) in reading order
    ("index.md", "Home"),
    ("getting-started.md", "Getting started"),
    ("authentication.md", "Authentication"),
    ("concepts.md", "Concepts"),
    ("models-and-pricing.md", "Models and pricing"),
    ("billing.md", "Billing and credits"),
    ("rate-limits.md", "Rate limits and API keys"),
    ("compatibility.md", "OpenAI and Anthropic compatibility"),
    ("agents.md", "AI agent access"),
    ("support.md", "Support"),
)


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
    cats = tuple(CategoryStat(c.slug, c.name, c.unit, len(ms), tuple(m.name for m in ms[:3]))
                 for c in catalog.categories if (ms := catalog.category_models(c.slug)))
    return Stats(len(catalog.models), len(catalog.providers), cats)


def template_globals(catalog: Catalog) -> dict[str, Any]:
    """What every template may read besides its page's view."""
    return {"platform": catalog.platform, "stats": stats(catalog)}


def pages(catalog: Catalog, spec: Spec) -> list[Page]:
    """Every page of the site, in navigation order (model pages last: they are reached, not listed)."""
    out = [Page(path, title, f"guides/{path}.j2") for path, title in GUIDES]
    out.append(Page("changelog.md", "Changelog", "pages/changelog.md.j2", catalog.changelog))
    out.append(Page("pricing.md", "Pricing", "pages/pricing.md.j2", views.pricing_page(catalog)))
    out.append(Page("providers/index.md", "Providers", "pages/providers.md.j2", views.provider_cards(catalog)))
    out += [Page(p.url, p.name, "pages/provider.md.j2", views.provider_page(catalog, spec, p))
            for p in catalog.providers]
    out.append(Page("api/index.md", "API reference overview", "guides/api/index.md.j2"))
    out += api_pages(catalog, spec)
    out += [Page(m.url, m.name, "pages/model.md.j2", views.model_page(catalog, spec, m)) for m in catalog.models]
    return out


def nav(catalog: Catalog, site_pages: list[Page], *, list_models: bool = False) -> list[Any]:
    """Tabs and sections. Provider and model pages stay out of the navigation: every page carries the
    whole navigation, so listing them would make the site grow with the square of the catalog. The
    providers index and the pricing table lead to them. `list_models` builds the naive layout the
    benchmark compares against."""
    by_path = {p.path: p for p in site_pages}
    guides = [{by_path[p].title: p} for p, _ in GUIDES[2:]] + [{"Changelog": "changelog.md"}]
    models: list[Any] = [{"Pricing": "pricing.md"}, {"Providers": "providers/index.md"}]
    if list_models:
        models += [{p.name: [{"Overview": p.url}] + [{m.name: m.url} for m in catalog.provider_models(p.slug)]}
                   for p in catalog.providers]
    api = [{p.title: p.path} for p in site_pages if p.path.startswith("api/")]
    return [
        {"Home": "index.md"},
        {"Getting started": "getting-started.md"},
        {"Guides": guides},
        {"Models": models},
        {"API reference": api},
    ]


def mkdocs_config(catalog: Catalog, site_pages: list[Page], docs_dir: Path, site_dir: Path,
                  theme_dir: Path, *, list_models: bool = False) -> dict[str, Any]:
    p = catalog.platform
    config: dict[str, Any] = {
        "site_name": p.site_name,
        "site_url": p.site_url,
        "site_description": f"Docs and model catalog of the {p.name} AI gateway.",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        "strict": True,
        "nav": nav(catalog, site_pages, list_models=list_models),
        "validation": {"nav": {"omitted_files": "ignore", "not_found": "warn"},
                       "links": {"not_found": "warn", "anchors": "warn", "absolute_links": "relative_to_docs",
                                 "unrecognized_links": "warn"}},
        "theme": {
            "name": "material",
            "custom_dir": str(theme_dir),
            "font": False,  # system fonts: no request to a third-party font host
            "features": ["navigation.tabs", "navigation.sections", "navigation.instant", "navigation.top",
                         "navigation.footer", "navigation.indexes", "search.suggest", "search.highlight",
                         "content.code.copy", "content.tabs.link", "toc.follow"],
            "palette": [
                {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo",
                 "toggle": {"icon": "material/brightness-7", "name": "Switch to dark mode"}},
                {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo",
                 "toggle": {"icon": "material/brightness-4", "name": "Switch to light mode"}},
            ],
        },
        # The section pages built from x/index.md, whose twin is x/index.md (not x.md): templates/theme/main.html
        # needs them under zensical, which gives a template no `page.file` to read the source path from.
        "extra": {"index_urls": [p.path.removesuffix("index.md") for p in site_pages if p.path.endswith("/index.md")]},
        "extra_css": ["assets/extra.css"],
        "extra_javascript": ["assets/pricing.js"],
        "plugins": [{"search": {"separator": r'[\s\-,:!=\[\]()"/]+|\.(?!\d)'}}],
        "markdown_extensions": [
            "tables", "admonition", "attr_list", "md_in_html", "def_list", "footnotes",
            {"toc": {"permalink": True}},
            "pymdownx.details",
            {"pymdownx.highlight": {"anchor_linenums": False}},
            "pymdownx.inlinehilite",
            "pymdownx.superfences",
            {"pymdownx.tabbed": {"alternate_style": True}},
            "generator.textpolicy",  # drops any javascript:/data: URL from the HTML (see textpolicy.py)
        ],
    }
    if p.repo_url:
        config["repo_url"] = p.repo_url
        config["edit_uri"] = "edit/main/"
        config["theme"]["features"].append("content.action.edit")
    if not list_models:  # each page carries only the visible part of the navigation (the naive layout: all of it)
        config["theme"]["features"].append("navigation.prune")
    return config
