"""The measured figures in a browser: the pricing page's speed columns sort and keep their state in the
address, and a model page's charts read in light and dark. The site is the shipped one built with the test
snapshot of tests/test_metrics.py (the shipped catalog has none)."""

from __future__ import annotations

import functools
import re
import threading
from http.server import ThreadingHTTPServer

import pytest
from test_metrics import build_with_snapshot

from .conftest import ARTIFACTS, Site, _QuietHandler

browser = pytest.mark.browser


def expect():
    from playwright.sync_api import expect as e

    return e


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    work = tmp_path_factory.mktemp("metrics-browser")
    build_with_snapshot(work)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(work / "site")))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        host, port = server.server_address[:2]
        yield Site(work / "site", f"http://{host}:{port}/", "https://docs.empiriolabs.ai/")
    finally:
        server.shutdown()
        server.server_close()


def _text_ids(page) -> list[str]:
    return page.locator('.pricing-table[data-category="text"] tbody tr:not([hidden])').evaluate_all(
        "rows => rows.map(r => r.dataset.id)")


@browser
def test_the_speed_columns_sort_keep_their_state_and_put_no_data_last(page):
    page.goto("pricing/")
    header = page.locator('.pricing-table[data-category="text"] th[data-key="ttft"]')
    header.click()
    expect()(page).to_have_url(re.compile(r"[?&]sort=ttft(&|$)"))
    ids = _text_ids(page)
    assert ids[:2] == ["nova-micro-1-0", "qwen3-max"]  # 310 ms, 540 ms; every other text model has no figure
    header.click()
    expect()(page).to_have_url(re.compile(r"[?&]sort=-ttft(&|$)"))
    assert _text_ids(page)[:2] == ["qwen3-max", "nova-micro-1-0"]  # no data stays last, either way
    speed = page.locator('.pricing-table[data-category="text"] th[data-key="speed"]')
    speed.click()
    speed.click()
    expect()(page).to_have_url(re.compile(r"[?&]sort=-speed(&|$)"))
    assert _text_ids(page)[:2] == ["nova-micro-1-0", "qwen3-max"]  # 182.5, then 61.5 tokens/s
    page.go_back()
    expect()(page).to_have_url(re.compile(r"[?&]sort=speed(&|$)"))
    page.goto("pricing/?sort=ttft&provider=alibaba")  # a link reproduces the view
    assert _text_ids(page)[0] == "qwen3-max"
    expect()(header).to_have_attribute("aria-sort", "ascending")


@browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_charts_follow_the_palette_and_say_their_numbers(browser, site, recorder, scheme):
    from .conftest import _OTHER_HOST, DESKTOP, _offline

    ctx = browser.new_context(viewport=DESKTOP, base_url=site.url, color_scheme=scheme)
    ctx.route(_OTHER_HOST, _offline(recorder))
    try:
        page = ctx.new_page()
        recorder.attach(page)
        page.goto("models/nova-micro-1-0/")
        charts = page.locator(".performance-charts svg")
        expect()(charts).to_have_count(5)
        line, background = page.evaluate("""() => {
            const svg = document.querySelector('.performance-charts svg');
            return [getComputedStyle(svg.querySelector('polyline')).stroke,
                    getComputedStyle(document.body).backgroundColor];
        }""")
        assert contrast(line, background) >= 3, (scheme, line, background)  # WCAG's minimum for graphics
        label = charts.nth(2).get_attribute("aria-label")
        assert label.startswith("Latency (p50) by day: 26 Nov 2026: 800 ms; 27 Nov 2026: 830 ms;")
        days = page.locator(".performance-days")
        days.locator("summary").click()
        expect()(days.locator("tbody tr").first).to_contain_text("26 Nov 2026")
        if scheme == "light":
            page.locator(".performance-days").evaluate("d => d.open = false")
            page.evaluate("""() => {
                const note = document.createElement('p');
                note.textContent = 'Example data: built from the test snapshot of tests/test_metrics.py, '
                    + 'not real measurements.';
                note.style.cssText = 'background:#fff3cd;color:#5c4400;padding:.4rem .6rem;font-weight:600;'
                    + 'border-radius:4px';
                const section = document.getElementById('performance');
                section.parentNode.insertBefore(note, section.nextSibling);
                window.scrollTo(0, section.getBoundingClientRect().top + window.scrollY - 64);
            }""")
            page.add_style_tag(content=".md-top { display: none !important; }")
            shots = ARTIFACTS / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "model-page-performance.png"), animations="disabled")
    finally:
        ctx.close()


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(color: str) -> float:
        r, g, b = (int(x) / 255 for x in re.findall(r"\d+", color)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_axe_violations_where_the_figures_are(browser, site, recorder, scheme, width):
    from .conftest import _OTHER_HOST, _offline
    from .test_tools import AXE

    if not AXE.is_file():
        pytest.skip("axe-core is not installed: npm ci --prefix tests/js")
    ctx = browser.new_context(viewport={"width": width, "height": 900}, base_url=site.url, color_scheme=scheme)
    ctx.route(_OTHER_HOST, _offline(recorder))
    found = []
    try:
        page = ctx.new_page()
        recorder.attach(page)
        for path in ("models/nova-micro-1-0/", "models/qwen-image-2-0/", "pricing/",
                     "compare/?models=nova-micro-1-0,qwen-image-2-0,deepseek-v4-pro"):
            page.goto(path)
            page.add_script_tag(content=AXE.read_text("utf-8"))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            found += [f"{path}: {v['id']} x{len(v['nodes'])}: {[n['target'] for n in v['nodes'][:3]]}"
                      for v in result["violations"] if v["impact"] in ("serious", "critical")]
        rows = page.locator(".compare-table tr.compare-section th").all_inner_texts()
        assert rows == ["Specs", "Pricing", "Performance", "Parameters", "Endpoints", "Capabilities"]
    finally:
        ctx.close()
    assert not found, "\n".join(found)
