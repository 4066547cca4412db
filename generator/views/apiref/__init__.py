"""API reference pages: one per OpenAPI operation, then the run-events WebSocket channel from asyncapi.yaml.

Everything a page shows is decided here and handed to the templates as frozen views; the templates only lay
it out. Text that came from the specs is turned into markdown once, here: `<`, `>` and entity-like `&` outside
code spans become entities (so a description can never inject HTML, on the site or in the markdown twin), and
table cells get their whitespace collapsed and their pipes escaped. Such text is a `Markup`, so the HTML
renderer's autoescaping leaves it alone and code spans keep their quotes.

One job per module: `operations` (an operation's page, of its `errors` and `examples`), `fields` (schema field
tables, in the words of `schema_text`), `run_events` (the WebSocket channel's page, from the document `asyncapi`
loads and checks); `views` holds what the templates get, `markdown` the text from the specs.
"""

from __future__ import annotations

from generator.load.yamlfile import YamlDoc
from generator.model.objects import Catalog
from generator.model.spec import Spec
from generator.views.apiref.asyncapi import ASYNCAPI, load_asyncapi
from generator.views.apiref.operations import operation_page
from generator.views.apiref.run_events import run_events_page
from generator.views.render import Page

__all__ = ["ASYNCAPI", "api_pages", "load_asyncapi", "operation_page", "run_events_page"]


def api_pages(catalog: Catalog, spec: Spec, asyncapi: YamlDoc | None = None) -> list[Page]:
    """One page per operation in spec order, then the run-events channel (`asyncapi`: the checked document;
    by default the repository's, loaded here)."""
    pages = []
    for op in spec.operations:
        view = operation_page(catalog, spec, op)
        pages.append(Page(op.url, op.summary or op.id, "pages/operation.md.j2", view, view.lead))
    events = run_events_page(asyncapi or load_asyncapi(ASYNCAPI))
    pages.append(Page("api/run-events.md", events.title, "pages/run-events.md.j2", events, events.lead))
    return pages
