"""Markdown twins: every page as an agent fetches it, beside its HTML."""

from __future__ import annotations

from generator.bundles.discovery import mcp_line
from generator.bundles.markdown import absolute_links, lead, split_front_matter
from generator.bundles.urls import html_url
from generator.views.render import Page

POINTER = "Agents: every page, bundle and data file of these docs is listed in [llms.txt]("


def pointer(site: str, mcp_url: str | None = None) -> str:
    """The line under every twin's title that sends an agent to the index of everything (and the MCP server)."""
    return f"{POINTER}{site}llms.txt)." + (f" {mcp_line(mcp_url)}" if mcp_url else "")


def twin(page: Page, rendered: str, site: str, mcp_url: str | None = None) -> str:
    """The page for agents: `# Title`, a `Source:` line with its canonical URL, the pointer to llms.txt, then
    the body without front matter, its links made absolute so the twin stands alone."""
    _, body = split_front_matter(rendered)
    body = body.lstrip("\n")
    if body.startswith("# "):
        body = body.partition("\n")[2]
    body = absolute_links(body.strip(), site + page.path)
    return f"# {page.title}\n\nSource: {html_url(site, page.path)}\n{pointer(site, mcp_url)}\n\n{body}\n"


def unpointed(text: str, site: str) -> str:
    """A twin without its pointer line, for the bundles that llms.txt itself lists."""
    start = text.find(f"\n{POINTER}{site}llms.txt).")
    return text if start < 0 else text[:start] + text[text.index("\n", start + 1) :]


def describe(rendered: str) -> str:
    """A page's one-line description: its front matter's, or the first sentence of its lead paragraph."""
    meta, body = split_front_matter(rendered)
    return " ".join(str(meta.get("description") or lead(body)).split())
