"""The site built with the second engine, zensical, as a reader sees it: the header drawn as mkdocs draws it,
search that works, and no serious accessibility finding. These run on every `make test` (the test extra
installs zensical), whatever DOCS_ENGINE the other browser tests use."""

from __future__ import annotations

import base64
import functools
import os
import re
import threading
from http.server import ThreadingHTTPServer
from importlib.util import find_spec

import pytest

from generator import build as build_mod

from .conftest import _OTHER_HOST, ARTIFACTS, DESKTOP, ROOT, Site, _offline, _QuietHandler
from .test_tools import axe_source  # noqa: F401 - the fixture

browser = pytest.mark.browser
needs_zensical = pytest.mark.skipif(find_spec("zensical") is None,
                                    reason="zensical is not installed: pip install -e '.[zensical]'")
pytestmark = [browser, needs_zensical]

MODEL = "models/nova-micro-1-0/"
HEADER_HEIGHT = 96  # mkdocs-material's header and tabs: 48 px each at 1280 px

# The rows of a PNG, decoded by the browser: how many rows from the top have, at x = 8, the colour of the
# top-left pixel (the header's band), and the screenshot's height.
BAND_JS = """async src => {
  const img = new Image(); img.src = src; await img.decode();
  const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const at = y => Array.from(g.getImageData(8, y, 1, 1).data).join(',');
  let y = 0; while (y < img.height && at(y) === at(0)) y++;
  return {band: y, height: img.height};
}"""

# The search control zensical draws in the header, as the reader sees it.
SEARCH_JS = """() => {
  const b = document.querySelector('.md-header button.md-search__button');
  const header = document.querySelector('.md-header').getBoundingClientRect();
  const box = b.getBoundingClientRect(), s = getComputedStyle(b);
  const headerBackground = getComputedStyle(document.querySelector('.md-header')).backgroundColor;
  const shown = el => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  return {top: box.top, bottom: box.bottom, headerBottom: header.bottom, width: box.width, height: box.height,
          background: s.backgroundColor, headerBackground,
          radius: parseFloat(s.borderTopLeftRadius), cursor: s.cursor, text: b.textContent.trim(),
          initializing: Array.from(document.querySelectorAll('.md-header *')).some(
              el => shown(el) && el.children.length === 0 && /Initializing search/.test(el.textContent)),
          bareInputs: Array.from(document.querySelectorAll('.md-header input[type=text]')).filter(shown).length};
}"""


def expect():
    from playwright.sync_api import expect as _expect
    return _expect


@pytest.fixture(scope="module")
def zensical_site(request, tmp_path_factory, inputs):
    """The shipped catalog built with zensical and served; the session's own site when DOCS_ENGINE says
    zensical already."""
    if os.environ.get("DOCS_ENGINE") == "zensical":
        yield request.getfixturevalue("site")
        return
    out = tmp_path_factory.mktemp("browser-zensical") / "site"
    build_mod.build(ROOT / "catalog", ROOT / "openapi.yaml", out, engine="zensical")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(out)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="zensical-site-server", daemon=True).start()
    try:
        host, port = server.server_address[:2]
        yield Site(out, f"http://{host}:{port}/", inputs.catalog.platform.site_url)
    finally:
        server.shutdown()
        server.server_close()


def new_page(browser, site: Site, recorder, **options):
    ctx = browser.new_context(viewport=DESKTOP, base_url=site.url, color_scheme="light", **options)
    ctx.set_default_timeout(10_000)
    ctx.route(_OTHER_HOST, _offline(recorder))
    page = ctx.new_page()
    recorder.attach(page)
    return ctx, page


@pytest.fixture
def zpage(browser, zensical_site, recorder):
    ctx, page = new_page(browser, zensical_site, recorder)
    try:
        yield page
    finally:
        ctx.close()


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_header_is_one_band_of_96_px_with_either_engine(request, browser, zensical_site, recorder, engine):
    """A screenshot of the top of a model page: the header's colour runs 96 px down, then the page starts.
    (zensical with the Material copy of partials/search.html drew a 168 px band: an unstyled search box, three
    stacked icons and "Initializing search".)"""
    if engine == "mkdocs" and os.environ.get("DOCS_ENGINE") == "zensical":
        pytest.skip("DOCS_ENGINE=zensical: the session's site is not an mkdocs build")
    served = zensical_site if engine == "zensical" else request.getfixturevalue("site")
    ctx, page = new_page(browser, served, recorder)
    try:
        page.goto(MODEL)
        page.evaluate("document.fonts.ready")
        shots = ARTIFACTS / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        png = page.screenshot(path=str(shots / f"header-{engine}.png"), animations="disabled",
                              clip={"x": 0, "y": 0, "width": DESKTOP["width"], "height": 200})
        measured = page.evaluate(BAND_JS, "data:image/png;base64," + base64.b64encode(png).decode())
        assert measured == {"band": HEADER_HEIGHT, "height": 200}
    finally:
        ctx.close()


def test_zensical_draws_its_search_control_styled_in_the_header(zpage):
    zpage.goto(MODEL)
    search = zpage.evaluate(SEARCH_JS)
    assert search["text"] == "Search"
    assert 0 <= search["top"] and search["bottom"] <= search["headerBottom"] == 48
    assert search["width"] > 100 and 30 <= search["height"] <= 40  # a field-sized button, not bare text
    assert search["background"] != search["headerBackground"] and search["radius"] > 0
    assert search["cursor"] == "pointer"
    assert not search["initializing"] and search["bareInputs"] == 0


def test_zensical_search_finds_a_model_and_opens_it(zpage, inputs):
    model = inputs.catalog.model("nova-micro-1-0")
    alias = next(a for a in model.aliases if a != model.name and "-" in a)
    zpage.goto("")
    zpage.locator(".md-header button.md-search__button").click()
    query = zpage.locator('input[role="combobox"][aria-label="Search"]')
    expect()(query).to_be_visible()
    query.press_sequentially(alias, delay=20)
    hit = zpage.locator(f'#{query.get_attribute("aria-controls")} a[href*="models/{model.id}/"]').first
    expect()(hit).to_be_visible(timeout=15_000)
    hit.click()
    # ?h=: the words the page highlights, as search hands them on
    expect()(zpage).to_have_url(re.compile(rf"/models/{model.id}/(\?h=[^#]*)?(#.*)?$"))
    expect()(zpage.locator("article h1")).to_have_text(re.compile(rf"^{re.escape(model.name)}\W*$"))


ZENSICAL_KINDS = {"home": "", "guide": "getting-started/", "model": MODEL, "pricing": "pricing/",
                  "api-operation": "api/create-chat-completion/", "404": "404.html"}


def test_no_serious_axe_violations_on_zensical_pages(zpage, axe_source):  # noqa: F811 - the fixture
    found = []
    for kind, path in ZENSICAL_KINDS.items():
        zpage.goto(path)
        zpage.add_script_tag(content=axe_source)
        result = zpage.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                found.append(f"{kind} ({path or 'home'}): {v['id']} x{len(v['nodes'])}: "
                             f"{[n['target'] for n in v['nodes'][:3]]}")
    assert result["testEngine"]["version"].startswith("4.14")
    assert not found, "\n".join(found)
