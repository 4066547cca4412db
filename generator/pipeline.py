"""The stages every command shares, before any engine: load → validate → model, then render and check the docs.

`check` loads the catalog, openapi.yaml and asyncapi.yaml, validates them and resolves the catalog into frozen
objects, raising one BuildError with every problem found. `render_site` and `render` write every page's
markdown (the second core takes every other page); `check_docs` checks the docs' code examples and the numbers
their prose types against the data. `catalog_facts` gives `diff` what it compares. Writing the site, its HTML
and the agent files is generator/build.py's job.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from generator.load.catalog import read_catalog
from generator.load.yamlfile import YamlDoc
from generator.model import changes
from generator.model.objects import Catalog
from generator.model.resolve import resolve
from generator.model.spec import Spec
from generator.problems import BuildError, Problems
from generator.validate.catalog import check_catalog
from generator.validate.examples import check_catalog_examples
from generator.validate.metrics import MetricsOptions, check_metrics
from generator.validate.spec import load_spec


@dataclass(frozen=True)
class Inputs:
    catalog: Catalog
    spec: Spec
    asyncapi: YamlDoc  # the run-events WebSocket description, checked


def check(
    catalog_dir: Path, openapi: Path, asyncapi: Path | None = None, metrics: MetricsOptions | None = None
) -> Inputs:
    """Load and check everything; raise BuildError listing every problem found. `asyncapi` is the WebSocket
    description (default: the one beside the templates); `metrics` the performance snapshot, if any."""
    problems = Problems()
    sources = read_catalog(catalog_dir, problems)
    spec = load_spec(openapi, problems)
    events = check_asyncapi(asyncapi, problems)
    catalog = resolve(check_catalog(sources, spec.post_paths if spec else None, problems))
    if catalog is not None and spec is not None:
        check_catalog_examples(catalog, spec, problems)
    if catalog is not None and metrics is not None:
        catalog = replace(catalog, performances=check_metrics(metrics, catalog, problems) or {})
    if problems or catalog is None or spec is None or events is None:
        raise BuildError(problems.sorted())
    return Inputs(catalog, spec, events)


def check_asyncapi(path: Path | None, problems: Problems) -> YamlDoc | None:
    """The run-events page's AsyncAPI document, its problems reported with the catalog's."""
    from generator.views.apiref import ASYNCAPI, load_asyncapi

    try:
        return load_asyncapi(path or ASYNCAPI)
    except BuildError as err:
        problems.items.extend(err.problems)
        return None


def render_site(inputs: Inputs) -> tuple[list, dict[str, str]]:
    """Every page and its site markdown, as `build` renders them."""
    from generator.site import pages as site

    pages = site.pages(inputs.catalog, inputs.spec, asyncapi=inputs.asyncapi)
    return pages, render(site.template_globals(inputs.catalog), pages, False, split=True)


def render(
    glob: dict, pages: list, twin: bool, *, split: bool = False, templates: Path | None = None
) -> dict[str, str]:
    """Each page's markdown (site or twin flavour) by path, from the templates in `templates` (default: the
    shipped ones); with `split`, the second core renders every other page. A template's mistake is a problem
    at its line, reported with every other page's."""
    from functools import partial

    from jinja2 import TemplateError

    from generator.doccheck.locate import template_error
    from generator.parallel import Background
    from generator.views.render import TEMPLATES, Renderer

    other = (
        Background(partial(render, templates=templates), glob, pages[1::2], twin) if split and len(pages) > 1 else None
    )
    mine = pages[0::2] if other else pages
    renderer = Renderer(glob, twin=twin, templates=templates)
    done, problems = {}, []
    for page in mine:
        try:
            done[page.path] = renderer.render(page)
        except TemplateError as err:  # a guide's mistake: reported at its line, with every other page's
            source = (templates or TEMPLATES) / page.template
            problems.append(template_error(err, source, {**glob, "view": page.view, "page": page}))
    if other:
        try:
            done.update(other.result())
        except BuildError as err:
            problems += err.problems
    if problems:
        raise BuildError(sorted(set(problems)))
    return {p.path: done[p.path] for p in pages}


def check_docs(
    inputs: Inputs, pages: list | None = None, rendered: dict[str, str] | None = None, templates: Path | None = None
) -> None:
    """Check every code example and every number typed in prose; raise BuildError listing the problems.
    `templates` is where the pages were rendered from (default: the shipped templates)."""
    from generator.doccheck import SDKS
    from generator.doccheck import check_docs as find

    SDKS.start()  # reads the SDKs' signatures in a subprocess while the pages render
    if pages is None or rendered is None:
        pages, rendered = render_site(inputs)
    problems = find(inputs, pages, rendered, templates)
    if problems:
        raise BuildError(problems)


def catalog_facts(path: Path) -> dict[str, changes.Facts]:
    """What `diff` compares: a catalog directory, loaded and checked (its examples aside, as no spec is
    given), or a published models.json."""
    if not path.is_dir():
        return changes.facts_of_models_json_file(path)
    problems = Problems()
    catalog = resolve(check_catalog(read_catalog(path, problems), None, problems))
    if problems or catalog is None:
        raise BuildError(problems.sorted())
    return changes.facts_of_catalog(catalog)
