"""The built site as a reader sees it: headless Chromium against the generated HTML, served over HTTP."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from .conftest import ARTIFACTS, DESKTOP, expect

MODEL = "models/nova-micro-1-0/"
OTHER_MODEL = "models/qwen3-max/"
PROVIDER = "providers/amazon/"
PHONE = {"width": 390, "height": 844}

browser = pytest.mark.browser


# --- 1. a model page ------------------------------------------------------------------------------


@browser
def test_model_page_shows_pricing_examples_and_copy_button(context, page, site):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url.rstrip("/"))
    page.goto(MODEL)
    expect()(page.locator("h1")).to_have_text(re.compile(r"^Nova Micro 1\.0\W*$"))

    # mkdocs-material wraps tables in scroll boxes, so the table is not the heading's sibling
    table = page.locator("xpath=//h2[@id='pricing']/following::table[1]")
    rows = {r[0]: r for r in table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.textContent.trim()))")}
    assert rows["Input (text)"][2] == "$0.040"
    assert rows["Output (text)"][2] == "$0.16"
    cached = [r for name, r in rows.items() if name.startswith("Cached input")]
    assert cached and cached[0][2] == "$0.0224", rows
    expect()(table).to_be_visible()

    sets = page.locator(".tabbed-set")
    labels = [s.locator(".tabbed-labels label").all_inner_texts() for s in sets.all()]
    assert ["cURL", "Python", "JavaScript"] in labels, labels
    messages = page.locator("h3#anthropic-messages + p + .tabbed-set .tabbed-labels label")
    assert "Anthropic SDK" in messages.all_inner_texts()

    # the copy button mkdocs-material adds to every code block (9.6+: md-code__button, before: md-clipboard)
    first_code = page.locator(".tabbed-set").first.locator(".tabbed-block").first
    copy = first_code.locator('button[data-md-type="copy"], button.md-clipboard').first
    expect()(copy).to_be_attached()
    first_code.hover()
    expect()(copy).to_be_visible()
    assert "copy" in (copy.get_attribute("title") or "").lower()
    copy.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("curl ") and '"model": "nova-micro-1-0"' in copied, copied


# --- 2. linked code tabs ----------------------------------------------------------------------------


@browser
def test_code_tab_choice_persists_across_pages(page):
    page.goto(MODEL)
    first = page.locator(".tabbed-set").first
    first.locator(".tabbed-labels label", has_text=re.compile(r"^Python$")).click()
    expect()(first.locator("input").nth(1)).to_be_checked()
    # linked tabs: every tab set on the page that has a Python tab follows
    for s in page.locator(".tabbed-set").all():
        texts = s.locator(".tabbed-labels label").all_inner_texts()
        if "Python" in texts:
            expect()(s.locator("input").nth(texts.index("Python"))).to_be_checked()

    page.goto(OTHER_MODEL)
    other = page.locator(".tabbed-set").first
    texts = other.locator(".tabbed-labels label").all_inner_texts()
    python = texts.index("Python")
    expect()(other.locator("input").nth(python)).to_be_checked()
    expect()(other.locator(".tabbed-block").nth(python)).to_be_visible()
    expect()(other.locator(".tabbed-block").nth(texts.index("cURL"))).to_be_hidden()


# --- 3. search --------------------------------------------------------------------------------------


@browser
def test_search_finds_a_model_by_alias(page, inputs):
    model = next(m for m in inputs.catalog.models if m.id == "nova-micro-1-0")
    alias = next(a for a in model.aliases if a != model.name and "-" in a)
    page.goto("")
    opener = page.locator("button.md-search__button")  # zensical (DOCS_ENGINE=zensical) opens search in a dialog
    if opener.count():
        opener.click()
    query = page.locator('input.md-search__input, input[role="combobox"][aria-label="Search"]')
    query.click()
    # typed key by key, as a person types: Material's search reads key events, and a `fill` (one input event)
    # is only searched when it lands before the search worker is ready, which made this test flaky
    query.press_sequentially(alias, delay=20)
    results = f"#{controls}" if (controls := query.get_attribute("aria-controls")) else ".md-search-result__item"
    hit = page.locator(f'{results} a[href*="models/{model.id}/"]').first
    expect()(hit).to_be_visible(timeout=15_000)


# --- 4. the pricing table ---------------------------------------------------------------------------

_ROWS_JS = """() => Array.from(document.querySelectorAll('.pricing-table tbody tr')).map(r => ({
  provider: r.dataset.provider, category: r.dataset.category,
  capabilities: r.dataset.capabilities.split(' '),
  visible: !r.hidden && !r.closest('table').hidden,
}))"""


def _visible(page) -> list[dict]:
    return [r for r in page.evaluate(_ROWS_JS) if r["visible"]]


def _count_text(n: int) -> str:
    return f"{n} model" if n == 1 else f"{n} models"


@browser
def test_pricing_table_sorts_and_filters(page):
    page.goto("pricing/")
    total = len(page.evaluate(_ROWS_JS))
    assert total > 20
    expect()(page.locator("#pf-count")).to_have_text(_count_text(total))

    # sort the biggest table by "From": ascending, then descending; models without a price stay last
    tables = page.locator("table.pricing-table")
    sizes = [t.locator("tbody tr").count() for t in tables.all()]
    table = tables.nth(sizes.index(max(sizes)))
    header = table.locator("th", has_text=re.compile(r"^From$"))
    column = [h.strip() for h in table.locator("th").all_inner_texts()].index("From")

    def values():
        return table.locator("tbody tr").evaluate_all(
            f"rows => rows.map(r => r.cells[{column}].dataset.value)")

    def numbers(vals):
        priced = [v for v in vals if v != ""]
        assert vals[: len(priced)] == priced, f"unpriced models must sort last: {vals}"
        return [float(v) for v in priced]

    header.click()
    expect()(header).to_have_attribute("aria-sort", "ascending")
    up = numbers(values())
    assert len(up) > 2 and up == sorted(up) and up[0] < up[-1], up
    header.click()
    expect()(header).to_have_attribute("aria-sort", "descending")
    down = numbers(values())
    assert down == sorted(up, reverse=True), down

    # provider filter: only that provider's rows stay, the count follows
    page.select_option("#pf-provider", "amazon")
    shown = _visible(page)
    assert shown and {r["provider"] for r in shown} == {"amazon"}
    assert len(shown) == sum(r["provider"] == "amazon" for r in page.evaluate(_ROWS_JS))
    expect()(page.locator("#pf-count")).to_have_text(_count_text(len(shown)))
    # a category left with no row hides its table and its heading
    for t in tables.all():
        if t.locator("tbody tr:not([hidden])").count() == 0:
            expect()(t).to_be_hidden()
    page.select_option("#pf-provider", "")
    expect()(page.locator("#pf-count")).to_have_text(_count_text(total))

    # capability filter
    page.select_option("#pf-capability", "tool_calling")
    shown = _visible(page)
    assert 0 < len(shown) < total
    assert all("tool_calling" in r["capabilities"] for r in shown)
    expect()(page.locator("#pf-count")).to_have_text(_count_text(len(shown)))
    page.select_option("#pf-capability", "")

    # category filter: one table left, the others (and their headings) hidden
    page.select_option("#pf-category", "video")
    shown = _visible(page)
    assert 0 < len(shown) < total and {r["category"] for r in shown} == {"video"}
    expect()(page.locator("#pf-count")).to_have_text(_count_text(len(shown)))
    expect()(page.locator('table.pricing-table[data-category="text"]')).to_be_hidden()
    expect()(page.locator("h2#text-reasoning")).to_be_hidden()
    expect()(page.locator('table.pricing-table[data-category="video"]')).to_be_visible()

    # filters combine; nothing matching says so
    page.select_option("#pf-provider", "deepgram")
    assert _visible(page) == []
    expect()(page.locator("#pf-count")).to_have_text("0 models")


_PER = {"1K": 1_000, "1M": 1_000_000}


@browser
def test_pricing_from_sort_compares_like_with_like(page):
    """Sorted by "From", token-priced models come cheapest first whatever unit their rate card uses."""
    page.goto("pricing/")
    table = page.locator('table.pricing-table[data-category="text"]')
    table.locator("th", has_text=re.compile(r"^From$")).click()
    texts = table.locator("tbody tr td:nth-child(4)").all_inner_texts()
    per_million = []
    for text in texts:
        m = re.fullmatch(r"\$([\d.,]+)\s+per\s+(1K|1M)\s+tokens", " ".join(text.split()))
        if m:
            per_million.append((float(m[1].replace(",", "")) * 1_000_000 / _PER[m[2]], text))
    assert len(per_million) > 10
    assert [v for v, _ in per_million] == sorted(v for v, _ in per_million), per_million[:5]


@browser
def test_provider_page_example_intro_is_its_own_paragraph(page):
    page.goto(PROVIDER)
    expect()(page.locator("article h2#how-to-call-amazon-models")).to_be_attached()
    assert page.locator("article li", has_text="For example, with").count() == 0
    assert page.locator("article p", has_text="For example, with").count() == 1


# --- 5. no console errors anywhere ------------------------------------------------------------------


@browser
def test_no_page_logs_an_error(page, site, recorder):
    pages = site.html_pages()
    assert len(pages) > 100
    for path in pages:
        response = page.goto(path, wait_until="load")
        assert response is not None and response.ok, path
    # the last page's scripts get a moment to run, like the others had while the next one loaded
    page.wait_for_timeout(300)
    assert not recorder.problems, "\n".join(recorder.problems)


# --- 6. links and assets ----------------------------------------------------------------------------


class _Links(HTMLParser):
    TAGS = {"a": "href", "link": "href", "script": "src", "img": "src"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        name = self.TAGS.get(tag)
        if name:
            value = dict(attrs).get(name)
            if value is not None:
                self.urls.append(value)


def _target(site_dir: Path, path: str) -> Path | None:
    """The file a site path serves, or None."""
    f = site_dir / unquote(path).lstrip("/")
    if path.endswith("/") or f.is_dir():
        f = f / "index.html"
    return f if f.is_file() else None


def test_no_broken_internal_links_or_assets(site_dir, inputs):
    """Every a/link/script/img URL that points into the site (relatively, or absolutely at site_url)
    names a file the build produced. Checks files only; fragments are ignored."""
    site_url = inputs.catalog.platform.site_url
    prod = urlsplit(site_url)
    base = "http://site.invalid/"
    broken: dict[str, list[str]] = {}
    checked = 0
    for f in sorted(site_dir.rglob("*.html")):
        rel = f.relative_to(site_dir).as_posix()
        page_url = base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        parser = _Links()
        parser.feed(f.read_text("utf-8"))
        for raw in parser.urls:
            url = raw.strip()
            if not url or url.startswith("#"):
                continue
            parts = urlsplit(urljoin(page_url, url))
            if parts.scheme in ("http", "https") and parts.netloc == prod.netloc \
                    and parts.path.startswith(prod.path):
                path = "/" + parts.path[len(prod.path):]
            elif parts.netloc == "site.invalid":
                path = parts.path
            else:
                continue  # mailto:, data:, other hosts
            checked += 1
            if _target(site_dir, path) is None:
                broken.setdefault(f"{path}", []).append(rel)
    # the sitemap lists pages too
    sitemap = (site_dir / "sitemap.xml").read_text("utf-8")
    for loc in re.findall(r"<loc>(.*?)</loc>", sitemap):
        checked += 1
        if not loc.startswith(site_url) or _target(site_dir, "/" + loc[len(site_url):]) is None:
            broken.setdefault(loc, []).append("sitemap.xml")
    assert checked > 1000
    lines = [f"{target}  <- linked from {len(pages)} page(s): {', '.join(sorted(set(pages))[:5])}"
             for target, pages in sorted(broken.items())]
    assert not broken, f"{len(broken)} broken internal link target(s):\n" + "\n".join(lines)


# --- 7. screenshots ---------------------------------------------------------------------------------


@browser
def test_screenshots(context, page):
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    shots = {"model": MODEL, "provider": PROVIDER, "pricing": "pricing/"}
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        for name, path in shots.items():
            page.goto(path)
            page.evaluate("document.fonts.ready")
            target = out / f"{name}-{viewport['width']}.png"
            # animations="disabled": the header tabs fade in one by one; a shot mid-way shows them half-drawn
            page.screenshot(path=str(target), full_page=True, animations="disabled")
            assert target.stat().st_size > 10_000, target
            # nothing on the page is wider than the screen: wide tables scroll inside their own box
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} at {viewport['width']} px is {overflow} px wider than the screen"


# --- 8. palette and 404 -----------------------------------------------------------------------------


@browser
def test_light_dark_toggle(page):
    page.goto("")
    body = page.locator("body")
    before = body.get_attribute("data-md-color-scheme")
    assert before == "default"
    page.locator('form[data-md-component="palette"] label:visible').click()
    expect()(body).to_have_attribute("data-md-color-scheme", "slate")
    # the choice sticks on the next page
    page.goto(MODEL)
    expect()(body).to_have_attribute("data-md-color-scheme", "slate")
    page.locator('form[data-md-component="palette"] label:visible').click()
    expect()(body).to_have_attribute("data-md-color-scheme", "default")


@browser
def test_404_page(page):
    response = page.goto("404.html")
    assert response is not None and response.ok
    expect()(page.locator("article h1")).to_have_text("Page not found")
    expect()(page.locator("article a", has_text="pricing page")).to_be_attached()


# --- 9. content first -------------------------------------------------------------------------------

_BOXES_JS = """() => Object.fromEntries(Object.entries({header: '.md-header', tabs: '.md-tabs', main: '.md-main',
    nav: '.md-sidebar--primary', toc: '.md-sidebar--secondary', content: '.md-content', h1: 'article h1',
    footer: '.md-footer'}).map(([k, s]) => { const r = document.querySelector(s).getBoundingClientRect();
    return [k, {left: r.left, right: r.right, top: r.top, bottom: r.bottom}]; }))"""


@browser
def test_the_article_comes_first_in_the_document_and_the_theme_is_drawn_around_it(page):
    """The tabs, the navigation and the table of contents follow the article in the document; on screen
    they stay where the theme draws them: tabs under the header, navigation left, contents right."""
    page.goto("getting-started/")
    after = page.evaluate("""() => ['.md-tabs', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer']
        .filter(s => document.querySelector('article').compareDocumentPosition(document.querySelector(s))
                     & Node.DOCUMENT_POSITION_FOLLOWING)""")
    assert after == [".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"]
    box = page.evaluate(_BOXES_JS)
    assert box["tabs"]["top"] == box["header"]["bottom"] and box["main"]["top"] == box["tabs"]["bottom"]
    assert box["nav"]["right"] <= box["content"]["left"] < box["content"]["right"] <= box["toc"]["left"]
    assert box["nav"]["top"] == box["content"]["top"] == box["toc"]["top"]
    # the theme's 1.2rem (24 px) between the text and each sidebar, as when the sidebars came first
    assert box["h1"]["left"] - box["content"]["left"] == 24 and box["content"]["right"] - box["h1"]["right"] == 24
    assert box["footer"]["top"] >= box["content"]["bottom"]


@browser
def test_the_skip_link_is_the_first_stop_and_leads_into_the_article(page):
    page.goto("getting-started/")
    page.keyboard.press("Tab")
    skip = page.locator(".md-skip")
    expect()(skip).to_be_focused()
    expect()(skip).to_be_visible()
    anchor = skip.get_attribute("href").partition("#")[2]
    assert anchor
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '#{anchor}'")
    expect()(page.locator(f"article #{anchor}")).to_be_in_viewport()  # the target is the article's heading
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('article') !== null"), page.evaluate(
        "document.activeElement.outerHTML.slice(0, 200)")


@browser
def test_the_navigation_drawer_opens_on_a_phone(page):
    page.set_viewport_size(PHONE)
    page.goto(MODEL)
    nav = page.locator(".md-sidebar--primary")
    assert nav.bounding_box()["x"] + nav.bounding_box()["width"] <= 0  # off screen, to the left
    page.locator('label.md-header__button[for="__drawer"]').click()
    expect()(nav.get_by_role("link", name="Getting started").first).to_be_in_viewport()
