"""What a page view costs the reader, and the page menu's "Connect an agent"."""

from __future__ import annotations

import json
import re

import pytest

from generator.fences import code_mask

browser = pytest.mark.browser


@browser
@pytest.mark.parametrize("path", ["models/qwen3-max/", "", "pricing/"])
def test_a_page_view_requests_only_what_it_needs_from_its_own_host(page, site, recorder, path):
    """No request leaves the site's host (the markdown alternate once sent Material to the production host for
    a sitemap.xml that is not there), and every request is answered (the conftest fails a test on a 4xx)."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert requests and requests[0] == site.url + path
    assert [url for url in requests if not url.startswith(site.url)] == []
    assert [url for url in requests if url.endswith("sitemap.xml")] == [site.url + "sitemap.xml"]  # instant nav's
    assert len(requests) == len(set(requests)), "a file fetched twice"
    # the static HTML keeps the markdown alternate for agents
    html = (site.dir / path / "index.html").read_text("utf-8")
    twin = "index.md" if path == "" else path.rstrip("/") + ".md"
    assert f'<link rel="alternate" type="text/markdown" href="{site.site_url}{twin}">' in html


@browser
def test_connect_an_agent_shows_the_url_and_ready_configs(page):
    page.goto("models/qwen3-max/")
    page.get_by_role("button", name="Page menu").click()
    page.get_by_role("button", name="Connect an agent").click()
    panel = page.get_by_role("region", name="Connect an agent")
    url = "https://docs.empiriolabs.ai/mcp"
    assert panel.locator("p > code").inner_text() == url
    labels = panel.locator(".el-connect__label").all_inner_texts()
    assert labels == ["Claude Code", "Cursor (.cursor/mcp.json)", "VS Code (.vscode/mcp.json)"]
    claude, cursor, vscode = panel.locator("pre code").all_inner_texts()
    assert claude == f"claude mcp add --transport http empiriolabs-docs {url}"
    assert json.loads(cursor) == {"mcpServers": {"empiriolabs-docs": {"url": url}}}
    assert json.loads(vscode) == {"servers": {"empiriolabs-docs": {"type": "http", "url": url}}}
    page.get_by_role("button", name="Page menu").click()
    page.get_by_role("button", name="Connect an agent").click()
    assert panel.count() == 0


def unmarked(line: str) -> str:
    """A markdown heading's text without its syntax: `#`s, code spans, emphasis, links."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.lstrip("#").strip())
    return re.sub(r"[`*_]", "", text).strip()


@browser
@pytest.mark.parametrize("path, twin", [("models/qwen3-max/", "models/qwen3-max.md"),
                                        ("getting-started/", "getting-started.md"),
                                        ("api/create-chat-completion/", "api/create-chat-completion.md")])
def test_headings_read_as_in_the_twin_and_keep_their_permalink_glyph(page, site, path, twin):
    """The ¶ of a heading's permalink is drawn by CSS: the heading's text is the twin's heading, and a person
    still sees the glyph."""
    page.goto(path)
    headings = page.locator("article :is(h1, h2, h3, h4)")
    shown = [" ".join(t.split()) for t in headings.all_text_contents()]
    lines = (site.dir / twin).read_text("utf-8").split("\n")
    fences = code_mask(lines)
    written = [unmarked(line) for line, code in zip(lines, fences, strict=True)
               if not code and re.match(r"#{1,4} ", line)]
    assert shown == written
    assert "¶" not in page.locator("article").inner_text()
    glyph = page.evaluate("getComputedStyle(document.querySelector('article h2 .headerlink'), '::before').content")
    assert glyph == '"¶"'


@browser
@pytest.mark.parametrize("path, twin", [("models/qwen3-max/", "models/qwen3-max.md"), ("pricing/", "pricing.md")])
def test_above_the_content_the_html_says_what_the_twin_says(page, site, path, twin):
    """The agents line is the twin's own line under its title; the page menu and the console's button carry
    no text of their own (their labels are drawn from aria-label), yet a person sees every label."""
    page.goto(path)
    line = (site.dir / twin).read_text("utf-8").split("\n")[3]
    assert line.startswith("Agents: ")
    words = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line).split()  # the link's text, as the HTML shows it
    assert page.locator(".el-agents").evaluate("e => e.textContent").split() == words
    assert page.locator(".el-agents__llms").bounding_box()["height"] < 25  # a person sees one line, as before
    controls = page.locator(".el-page-menu button, .el-page-menu a, .try-it-open")
    assert controls.count() == (7 if path.startswith("models/") else 6)
    for control in controls.all():
        assert control.evaluate("e => e.textContent") == ""
        label = control.get_attribute("aria-label")
        assert control.evaluate("e => getComputedStyle(e, '::before').content") == f'"{label}"'
    button = page.get_by_role("button", name="Page menu")
    assert button.bounding_box()["width"] > 60  # the label takes its room, as text did
