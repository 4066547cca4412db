"""Where the agent files are, and where they come from."""

from __future__ import annotations

from generator.model.objects import Catalog, Provider


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


def provenance(catalog: Catalog) -> str:
    """Where the bundle comes from: the catalog's content hash and its date, never the clock."""
    return f"Generated from catalog {catalog.digest}, updated {catalog.platform.updated}."
