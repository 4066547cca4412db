"""The agents line and the page menu on every HTML page: a visible llms.txt link, Copy page, View as
Markdown, Open in ChatGPT and Open in Claude, driven with the keyboard and the mouse in headless Chromium."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import expect

MODEL = "models/nova-micro-1-0/"

browser = pytest.mark.browser


@browser
def test_every_page_shows_the_llms_txt_link_above_its_content(site):
    assert "404.html" in site.html_pages()
    for rel in site.html_pages():
        html = (site.dir / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)).read_text("utf-8")
        article = html[html.index('<article class="md-content__inner'):]
        bar = article.index('<div class="el-agents"')
        assert bar < article.index("<h1"), rel
        assert f'<a href="{site.site_url}llms.txt">llms.txt</a>' in article[bar:article.index("<h1")], rel


@browser
def test_the_menu_opens_and_moves_with_the_keyboard(page):
    page.goto(MODEL)
    link = page.locator(".el-agents__llms a").first
    expect()(link).to_be_visible()
    button = page.get_by_role("button", name="Page menu")
    expect()(button).to_have_attribute("aria-expanded", "false")
    button.focus()
    page.keyboard.press("Enter")
    expect()(button).to_have_attribute("aria-expanded", "true")
    items = page.locator("#el-page-menu-items li > *")
    # the labels a person sees: drawn by CSS from aria-label, so the HTML's text holds none of them
    drawn = items.evaluate_all("els => els.map(e => [e.textContent, getComputedStyle(e, '::before').content])")
    assert drawn == [["", f'"{label}"'] for label in ("Copy page", "View as Markdown", "Open in ChatGPT",
                                                      "Open in Claude", "Connect an agent")]
    expect()(items.first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect()(items.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect()(items.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect()(items.nth(4)).to_be_focused()  # wraps around
    page.keyboard.press("Escape")
    expect()(button).to_have_attribute("aria-expanded", "false")
    expect()(items.first).to_be_hidden()
    expect()(button).to_be_focused()


@browser
def test_copy_page_puts_the_markdown_twin_on_the_clipboard(context, page, site):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url.rstrip("/"))
    page.goto(MODEL)
    page.get_by_role("button", name="Page menu").click()
    page.get_by_role("button", name="Copy page").click()
    expect()(page.locator(".el-page-menu__status")).to_have_text("Copied the page as Markdown")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (site.dir / "models/nova-micro-1-0.md").read_text("utf-8")


@browser
def test_view_as_markdown_and_the_chat_links_point_at_the_twin(page, site):
    page.goto(MODEL)
    page.get_by_role("button", name="Page menu").click()
    view = page.get_by_role("link", name="View as Markdown")
    with page.expect_response(re.compile(r"nova-micro-1-0\.md$")) as answer:
        view.click()
    assert answer.value.status == 200
    assert answer.value.text().startswith("# Nova Micro 1.0\n\nSource: ")
    page.goto(MODEL)
    page.get_by_role("button", name="Page menu").click()
    twin_url = site.site_url + "models/nova-micro-1-0.md"
    for name, host, path in (("Open in ChatGPT", "chatgpt.com", "/"), ("Open in Claude", "claude.ai", "/new")):
        href = page.get_by_role("link", name=name).get_attribute("href")
        url = urlsplit(href)
        assert (url.scheme, url.netloc, url.path) == ("https", host, path), href
        assert parse_qs(url.query)["q"] == [f"Read {twin_url} and answer my questions about it."]


@browser
def test_no_third_party_script(page, site):
    page.goto(MODEL)
    sources = page.locator("script[src]").evaluate_all("els => els.map(e => e.src)")
    assert sources and all(src.startswith(site.url) for src in sources), sources


@browser
def test_the_404_page_loads_its_own_assets_at_any_depth(page, site, recorder):
    """A web host answers a missed address, at any depth, with 404.html: its styles and scripts still come
    from the site (they once came from `//assets/...`, a host named `assets`), and nothing from elsewhere."""
    body = (site.dir / "404.html").read_text("utf-8")
    page.route("**/no/such/page/", lambda route: route.fulfill(status=200, body=body, content_type="text/html"))
    loaded: list[str] = []
    page.on("requestfinished", lambda request: loaded.append(request.url))
    page.goto("no/such/page/")
    expect()(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.wait_for_load_state("load")
    assert {f"{site.url}assets/page-menu.css", f"{site.url}assets/page-menu.js"} <= set(loaded)
    # Material's instant navigation reads the sitemap from site_url: the site's own host, served elsewhere here
    assert {url for url in recorder.external if not url.startswith(site.site_url)} == set()
