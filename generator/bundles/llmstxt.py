"""llms.txt, and the per-section lists it points to when the model list outgrows its budget."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.bundles import budgets
from generator.bundles.budgets import Size, named, size_note, size_of
from generator.bundles.catalog_json import MODEL_TABLE
from generator.bundles.discovery import mcp_line
from generator.bundles.markdown import first_sentence
from generator.bundles.prices import price_text
from generator.bundles.urls import provenance, provider_bundle_path, provider_index_path, site_url
from generator.model.objects import Catalog, Model, Provider, compact
from generator.model.performance import Performance
from generator.model.spec import Operation, Spec
from generator.views.performance import performance_note
from generator.views.render import Page

SECTIONS = ("Guides", "Providers", "Models", "API reference", "Optional")  # after Bundles
STATUS_NOTES = {
    "planned": "not yet available",
    "poe_only": "on Poe only, not through the API",
    "disabled": "switched off",
}


@dataclass(frozen=True)
class Link:
    """One `- [title](url): notes` line of an llms.txt section."""

    title: str
    url: str
    note: str = ""

    too_large: int = 0  # characters of a file too large for one fetch: named, not linked

    def __str__(self) -> str:
        title = self.title.replace("[", "(").replace("]", ")")
        if self.too_large:
            return (
                f"- {title}: `{self.url}` ({self.too_large:,} characters, more than one fetch; the same facts "
                "are in the model index and the providers' bundles)" + (f". {self.note}" if self.note else "")
            )
        return f"- [{title}]({self.url})" + (f": {self.note}" if self.note else "")


def llms_doc(title: str, summary_: str, info: str, sections: dict[str, list[Link]]) -> str:
    """An llms.txt file: an H1, a blockquote summary, short info, then H2 sections of links."""
    parts = [f"# {title}", f"> {' '.join(summary_.split())}", info.strip()]
    parts += [f"## {name}\n\n" + "\n".join(map(str, links)) for name, links in sections.items() if links]
    return "\n\n".join(parts) + "\n"


def site_summary(catalog: Catalog) -> str:
    """The one-line blockquote summary of the site, from the data."""
    p = catalog.platform
    return (
        f"{p.name} is an API gateway to {len(catalog.models):,} AI models from {len(catalog.providers):,} "
        f"providers: one API key and one base URL ({p.api_base_url}) for OpenAI- and Anthropic-compatible "
        f"requests."
    )


def model_note(m: Model, perf: Performance | None = None) -> str:
    """The facts an agent chooses a model by: id, category, context, price (and status if not callable),
    and what the gateway measured of it, with the window, when the site has a snapshot that names it."""
    parts = [m.id, m.category.name.lower()]
    if m.context_window:
        parts.append(f"{compact(m.context_window)} context")
    parts.append(price_text(m))
    if m.api_status in STATUS_NOTES:
        parts.append(STATUS_NOTES[m.api_status])
    if perf is not None:
        parts.append(performance_note(perf))
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


def bundle_links(
    catalog: Catalog, providers: Iterable[Provider], files: Mapping[str, str | Size], site: str
) -> list[Link]:
    """A list item for llms-full.txt and for every provider bundle (each part of a split one)."""
    links = [
        Link(
            "llms-full.txt",
            site + "llms-full.txt",
            f"the whole site in one file, in navigation order ({size_note(files['llms-full.txt'])})",
        )
    ]
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


def page_links(
    catalog: Catalog, spec: Spec, pages: list[Page], notes: dict[str, str], files: Mapping[str, str | Size], site: str
) -> dict[str, list[Link]]:
    """A link to the twin of every page, in nav order, grouped by section."""
    providers = {p.url: p for p in catalog.providers}
    models = {m.url: m for m in catalog.models}
    operations = {op.url: op for op in spec.operations}
    sections: dict[str, list[Link]] = {name: [] for name in SECTIONS}
    for page in pages:
        if page.path in models:
            note = model_note(models[page.path], catalog.performance(models[page.path].id))
        elif page.path in providers:
            note = provider_note(catalog, providers[page.path])
        elif page.path in operations:
            note = operation_note(operations[page.path])
        else:
            note = notes.get(page.path, "")
        twin = files.get(page.path)
        chars = size_of(twin).chars if twin is not None else 0
        sections[section_of(page.path)].append(
            Link(page.title, site + page.path, note, chars if chars > budgets.LINKED_BUDGET else 0)
        )
    return sections


def data_links(files: Mapping[str, str | Size], site: str) -> list[Link]:
    """The machine-readable files small enough for one fetch, for the Optional section."""
    if size_of(files[MODEL_TABLE]).chars > budgets.LINKED_BUDGET:
        return []
    return [
        Link(
            "Model table",
            site + MODEL_TABLE,
            "every model as one JSON object with its prices per 1M tokens or "
            f"per unit, md_url and json_url; one model's full entry at `models/<id>.json` "
            f"({size_note(files[MODEL_TABLE])})",
        )
    ]


def index_info(
    catalog: Catalog, files: Mapping[str, str | Size], site: str, overflow: bool, mcp_url: str | None = None
) -> str:
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
        lines += [
            "",
            f"The model list is too long for this file: see [models/llms.txt]({site}models/llms.txt) "
            "for every model, or `providers/<slug>/llms.txt` for one provider's.",
        ]
    if mcp_url:
        lines += ["", mcp_line(mcp_url)]
    lines += ["", provenance(catalog)]
    return "\n".join(lines)


def llms_index(
    catalog: Catalog,
    sections: dict[str, list[Link]],
    files: Mapping[str, str | Size],
    site: str,
    overflow: bool,
    mcp_url: str | None = None,
) -> str:
    """The site's llms.txt."""
    return llms_doc(
        catalog.platform.site_name,
        site_summary(catalog),
        index_info(catalog, files, site, overflow, mcp_url),
        {**sections, "Optional": sections["Optional"] + data_links(files, site)},
    )


def with_bundles(
    catalog: Catalog,
    sections: dict[str, list[Link]],
    files: Mapping[str, str | Size],
    site: str,
    providers: Iterable[Provider],
) -> dict[str, list[Link]]:
    return {"Bundles": bundle_links(catalog, providers, files, site), **sections}


def models_index(catalog: Catalog, models: list[Link], site: str) -> str:
    """models/llms.txt: every model, one section per provider."""
    by_url = {link.url: link for link in models}
    sections = {p.name: [by_url[site + m.url] for m in catalog.provider_models(p.slug)] for p in catalog.providers}
    info = (
        "Every model with the facts an agent chooses by: id, category, context window and headline price.\n\n"
        + provenance(catalog)
    )
    return llms_doc(f"{catalog.platform.site_name}: models", site_summary(catalog), info, sections)


def provider_index(
    catalog: Catalog, p: Provider, models: list[Link], files: Mapping[str, str | Size], site: str
) -> str:
    """providers/<slug>/llms.txt: one provider's page and models."""
    by_url = {link.url: link for link in models}
    bundle = provider_bundle_path(p)
    info = (
        f"The provider's page and all of its models in one file: `{site}{bundle}` "
        f"({size_note(files[bundle])}), linked under Bundles.\n\n{provenance(catalog)}"
    )
    sections = {
        "Bundles": bundle_links(catalog, [p], files, site)[1:],
        "Provider": [Link(p.name, site + p.url, f"{p.name}'s page")],
        "Models": [by_url[site + m.url] for m in catalog.provider_models(p.slug)],
    }
    return llms_doc(f"{catalog.platform.site_name}: {p.name}", p.description, info, sections)


def llms_files(
    catalog: Catalog,
    spec: Spec,
    pages: list[Page],
    notes: dict[str, str],
    files: Mapping[str, str | Size],
    mcp_url: str | None = None,
) -> tuple[dict[str, str], str]:
    """llms.txt; when the model list outgrows LLMS_BUDGET, it points to models/llms.txt and per-provider lists.
    With the build's one-line notice of what moved (empty when nothing did)."""
    site = site_url(catalog)
    sections = with_bundles(
        catalog, page_links(catalog, spec, pages, notes, files, site), files, site, catalog.providers
    )
    full = llms_index(catalog, sections, files, site, overflow=False, mcp_url=mcp_url)
    if len(full) <= budgets.LLMS_BUDGET:
        return {"llms.txt": full}, ""
    out, lists = model_lists(catalog, sections, files, site)
    out["llms.txt"] = llms_index(catalog, {**sections, "Models": lists}, files, site, overflow=True, mcp_url=mcp_url)
    what = f"the list of {len(catalog.models):,} models"
    if len(out["llms.txt"]) > budgets.LLMS_BUDGET:  # so many providers that one line each is too much: list them apart
        out.update(providers_apart(catalog, sections, lists, files, site, mcp_url))
        what += f" and of {len(catalog.providers):,} providers"
    moved = [path for path in out if path != "llms.txt"]
    return out, budgets.moved_notice("llms.txt", what, "lists of their own", named(moved), budgets.LLMS_BUDGET)


def model_lists(
    catalog: Catalog, sections: dict[str, list[Link]], files: Mapping[str, str | Size], site: str
) -> tuple[dict[str, str], list[Link]]:
    """models/llms.txt and every providers/<slug>/llms.txt, and the Models section of llms.txt that links them
    (with the section's other pages)."""
    model_links = [link for link in sections["Models"] if link.url.startswith(site + "models/")]
    out = {"models/llms.txt": models_index(catalog, model_links, site)}
    for p in catalog.providers:
        out[provider_index_path(p)] = provider_index(catalog, p, model_links, files, site)
    lists = [link for link in sections["Models"] if not link.url.startswith(site + "models/")]
    lists.append(
        Link(
            "All models",
            site + "models/llms.txt",
            f"{len(model_links)} models with id, category, context and headline price "
            f"({size_note(out['models/llms.txt'])})",
        )
    )
    lists += [
        Link(f"{p.name} models", site + provider_index_path(p), f"{len(catalog.provider_models(p.slug))} models")
        for p in catalog.providers
    ]
    return out, lists


def providers_apart(
    catalog: Catalog,
    sections: dict[str, list[Link]],
    lists: list[Link],
    files: Mapping[str, str | Size],
    site: str,
    mcp_url: str | None = None,
) -> dict[str, str]:
    """providers/llms.txt (every provider, its model list and its bundle), and the llms.txt that links it in
    place of them."""
    provider_links = [link for link in sections["Providers"] if link.url != site + "providers/index.md"]
    listing = llms_doc(
        f"{catalog.platform.site_name}: providers",
        site_summary(catalog),
        "Every provider, with its page and the per-provider model list.\n\n" + provenance(catalog),
        {
            "Providers": provider_links,
            "Model lists": lists[-len(catalog.providers) :],
            "Bundles": bundle_links(catalog, catalog.providers, files, site)[1:],
        },
    )
    index = [link for link in sections["Providers"] if link.url == site + "providers/index.md"]
    index.append(
        Link(
            "All providers",
            site + "providers/llms.txt",
            f"{len(catalog.providers):,} providers, each with its model list ({size_note(listing)})",
        )
    )
    models = lists[: -len(catalog.providers)]
    llms = llms_index(
        catalog,
        {**sections, "Bundles": sections["Bundles"][:1], "Providers": index, "Models": models},
        files,
        site,
        overflow=True,
        mcp_url=mcp_url,
    )
    return {"providers/llms.txt": listing, "llms.txt": llms}
