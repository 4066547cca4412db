"""Markdown twins: every page as an agent fetches it, beside its HTML."""

from __future__ import annotations

from markupsafe import Markup

from generator.bundles.discovery import mcp_line
from generator.bundles.markdown import absolute_links, lead, split_front_matter
from generator.bundles.urls import html_url
from generator.views.render import Page

LISTED = "Agents: every page, bundle and data file of these docs is listed in "
POINTER = LISTED + "[llms.txt]("


def pointer(site: str, mcp_url: str | None = None) -> str:
    """The line under every twin's title that sends an agent to the index of everything (and the MCP server)."""
    return f"{POINTER}{site}llms.txt)." + (f" {mcp_line(mcp_url)}" if mcp_url else "")


def pointer_html(site: str, mcp_url: str | None = None) -> str:
    """The same line above every HTML page's content, its link a link: an agent reading the HTML meets the
    twin's words. The MCP sentence is there for agents and screen readers; a person finds the endpoint under
    the page menu's Connect an agent (page-menu.css keeps the line to one)."""
    line = Markup(LISTED + '<a href="{}llms.txt">llms.txt</a>.').format(site)
    if mcp_url:
        line += Markup(' <span class="el-agents__mcp">{}</span>').format(mcp_line(mcp_url))
    return str(line)


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
