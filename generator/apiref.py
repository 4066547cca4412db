"""API reference pages from openapi.yaml (stub: one bare page per operation)."""

from __future__ import annotations

from .model import Catalog
from .render import Page
from .spec import Spec


def api_pages(catalog: Catalog, spec: Spec) -> list[Page]:
    """One page per operation, then the run-events channel."""
    pages = [Page(op.url, op.summary or op.id, "pages/operation.md.j2", op) for op in spec.operations]
    pages.append(Page("api/run-events.md", "Run events (WebSocket)", "pages/run-events.md.j2", None))
    return pages
