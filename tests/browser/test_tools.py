"""The pages people choose a model with, as a browser shows them: the model page header, the pricing page
(full width, state in the address, a chart, a calculator), the compare page, API field names, and axe-core
at two widths in light and dark."""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from generator.model.cost import estimate_cost

from .conftest import ARTIFACTS, ROOT, expect

browser = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
COMPARED = ["nova-micro-1-0", "qwen3-max", "perplexity-sonar-pro"]


def token_priced(catalog):
    """The models whose catalog file prices input tokens, read from the YAML files themselves (not from the
    price code under test): a `unit: token` row for the input direction, or one row for both directions."""
    ids = set()
    for path in (ROOT / "catalog" / "models").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text("utf-8"))
        rows = data.get("pricing", [])
        if any(r["unit"] == "token" and (r.get("direction") == "input" or r["label"] == "Input & Output Tokens")
               for r in rows):
            ids.add(data["id"])
    # a few read by hand from the catalog: text models and Perplexity's (one with a single token price for
    # both ways) are; an image model and Exa's search (a token price for code search, none for input) are not
    assert {"nova-micro-1-0", "qwen3-max", "perplexity-sonar", "perplexity-sonar-pro"} <= ids
    assert not {"wan2-7-image", "exa-search"} & ids
    models = [m for m in catalog.models if m.id in ids]
    assert len(models) == len(ids)
    return models


def reference(model, input_tokens, output_tokens, cached, requests):
    """What generator/cost.py charges, written as the calculator must show it, or None where it refuses."""
    try:
        e = estimate_cost(model, input_tokens=input_tokens, output_tokens=output_tokens,
                          cached_input_tokens=cached, requests=requests)
    except ValueError:
        return None
    return f"{e.total.normalize():f}"


def usd(plain: str) -> str:
    whole, _, frac = plain.partition(".")
    return f"${int(whole):,}.{frac.ljust(2, '0')}"


# --- the model page header -------------------------------------------------------------------------


def _figures(page) -> dict[str, str]:
    return dict(page.locator(".key-figures div").evaluate_all(
        "els => els.map(e => [e.querySelector('dt').textContent.trim(), e.querySelector('dd').textContent.trim()])"))


@browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_model_header_shows_prices_context_modalities_and_endpoints_above_the_fold(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("models/nova-micro-1-0/")
    figures = _figures(page)
    # catalog/models/amazon/nova-micro-1-0.yaml: 0.040 and 0.16 per 1M tokens, 128000 context, 5000 output
    assert figures == {
        "Input": "$0.04 per 1M tokens", "Output": "$0.16 per 1M tokens", "Context window": "128,000 tokens",
        "Max output": "5,000 tokens", "Modalities": "text → text",
        "Endpoints": "POST /v1/chat/completions, POST /v1/responses, POST /v1/messages"}
    for box in page.locator(".key-figures div").all():
        b = box.bounding_box()
        assert b and b["y"] >= 0 and b["y"] + b["height"] <= viewport["height"], (box.inner_text(), b)
    # the full specs table is still there, below
    expect()(page.locator("h2#specs")).to_be_attached()
    assert page.locator("h2#specs").bounding_box()["y"] > page.locator(".key-figures").bounding_box()["y"]


@browser
def test_model_header_prices_read_as_the_pricing_table_writes_them(page):
    page.goto("pricing/")
    cells = {}
    for model_id in ("nova-micro-1-0", "qwen3-max", "perplexity-sonar-pro", "mistral-small-3-1", "wan2-7-image"):
        row = page.locator(f'.pricing-table tr[data-id="{model_id}"]')
        cells[model_id] = (row.locator('td[data-label="From"]').inner_text().strip(),
                           row.locator('td[data-label="Output"]').inner_text().strip())
    assert cells["nova-micro-1-0"] == ("$0.04 per 1M tokens", "$0.16 per 1M tokens")
    assert cells["perplexity-sonar-pro"][0] == "$7.20 per 1M tokens"  # the catalog writes $0.0072 per 1K
    for model_id, (first, output) in cells.items():
        page.goto(f"models/{model_id}/")
        figures = _figures(page)
        assert first in figures.values(), (model_id, first, figures)
        if output != "—":
            assert figures["Output"] == output


# --- the cost calculator ---------------------------------------------------------------------------


def _cases(model):
    """Inputs that cross every tier bound, with and without cache, one request and many."""
    ctx = model.context_window
    bounds = sorted({b for r in model.pricing if r.tier for b in (r.tier.min, r.tier.max) if b})
    sizes = {0, 1, 1_000, 31_999} | {b for b in bounds} | {b + 1 for b in bounds}
    if ctx:
        sizes |= {ctx, ctx + 1}
    sizes = sorted(s for s in sizes if s <= (ctx + 1 if ctx else 10_000_000))
    cases = []
    for i, size in enumerate(sizes):
        cached = size // 3 if i % 2 else 0
        cases.append((size, 7_777 if i % 3 else 0, cached, 1 if i % 2 else 250_000))
    cases.append((10, 20, 11, 1))  # more cached than input: refused
    return cases


def _fill(form, values):
    for label, value in values.items():
        form.get_by_label(label, exact=True).fill(str(value))


@browser
def test_calculator_gives_what_the_python_price_code_gives_for_every_token_priced_model(page, catalog):
    models = token_priced(catalog)
    assert len(models) >= 30
    page.goto("pricing/")
    form = page.locator("form.calc")
    out = form.locator("output")
    checked = refused = 0
    for m in models:
        form.get_by_label("Model").select_option(m.id)
        has_cache = any(r.derived == "cache_discount" for r in m.pricing)
        cached_field = form.get_by_label("Cached input tokens", exact=True)
        (expect()(cached_field).to_be_visible if has_cache else expect()(cached_field).to_be_hidden)()
        for size, output, cached, requests in _cases(m):
            values = {"Input tokens": size, "Output tokens": output, "Requests": requests}
            if has_cache:
                values["Cached input tokens"] = cached
            _fill(form, values)
            want = reference(m, size, output, cached if has_cache else 0, requests)
            got = out.get_attribute("data-total")
            total = out.locator(".calc-total").inner_text()
            case = f"{m.id}: {values}"
            if want is None:
                refused += 1
                assert got == "" and total == "—", case
                assert out.locator(".calc-detail").inner_text().strip(), case
            else:
                checked += 1
                assert (got, total) == (want, usd(want)), case
    assert checked > 200 and refused > 20


@browser
def test_model_page_calculator_applies_tier_cache_and_base_fee(page):
    def run(model_id, values):
        page.goto(f"models/{model_id}/")
        form = page.locator("form.calc")
        _fill(form, values)
        out = form.locator("output")
        return out.locator(".calc-total").inner_text(), out.locator(".calc-detail").inner_text()

    # hand-computed from the catalog: nova-micro $0.040 in, 44% off cached ($0.0224), $0.16 out per 1M
    # 6,000 x 0.040 + 4,000 x 0.0224 + 2,000 x 0.16 = 240 + 89.6 + 320 = 649.6 millionths of a dollar
    total, detail = run("nova-micro-1-0", {"Input tokens": 10_000, "Cached input tokens": 4_000,
                                           "Output tokens": 2_000, "Requests": 1})
    assert total == "$0.0006496", detail
    # qwen3-max: 100,000 input tokens fall in the 32K–128K tier ($2.16 in, $11.04 out per 1M), three requests
    total, detail = run("qwen3-max", {"Input tokens": 100_000, "Output tokens": 1_000, "Requests": 3})
    assert total == "$0.68112" and "32K–128K" in detail, detail
    # perplexity-sonar-pro: $0.0072 in, $0.036 out per 1K, $0.014 base fee (Low Context), ten requests
    total, detail = run("perplexity-sonar-pro", {"Input tokens": 1_000, "Output tokens": 500, "Requests": 10})
    assert total == "$0.392" and "Base Fee" in detail, detail
    # no cache price: no cached field
    page.goto("models/qwen3-max/")
    expect()(page.get_by_label("Cached input tokens", exact=True)).to_be_hidden()
    # an image model has no calculator
    page.goto("models/wan2-7-image/")
    assert page.locator("form.calc").count() == 0


@browser
def test_every_token_priced_model_page_has_a_calculator(page, site, catalog):
    priced = {m.id for m in token_priced(catalog)}
    for m in catalog.models:
        html = (site.dir / "models" / m.id / "index.html").read_text("utf-8")
        assert ('class="calc"' in html) == (m.id in priced), m.id


# --- the pricing page ------------------------------------------------------------------------------


@browser
def test_pricing_page_is_full_width_with_no_column_cut_off(page):
    page.set_viewport_size(DESKTOP)
    page.goto("pricing/")
    expect()(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect()(page.locator(".md-sidebar--secondary")).to_be_hidden()
    for table in page.locator("table.pricing-table").all():
        size = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
        assert size[0] <= size[1], f"{table.get_attribute('data-category')}: {size}"
        # headers stay on one line
        for th in table.locator("th").all():
            assert th.evaluate("h => h.getClientRects().length === 1 && h.offsetHeight < 40"), th.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0


@browser
def test_pricing_page_on_a_phone_is_cards(page):
    page.set_viewport_size(PHONE)
    page.goto("pricing/")
    row = page.locator("table.pricing-table tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    expect()(row.locator('td[data-label="From"]')).to_be_visible()
    label = row.locator('td[data-label="From"]').evaluate("td => getComputedStyle(td, '::before').content")
    assert "From" in label
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _ids(page) -> list[str]:
    return page.locator(".pricing-table tbody tr:not([hidden])").evaluate_all(
        "rows => rows.filter(r => !r.closest('table').hidden).map(r => r.dataset.id)")


@browser
def test_pricing_filters_and_sort_live_in_the_address(page):
    page.goto("pricing/")
    everything = _ids(page)
    page.select_option("#pf-provider", "alibaba")
    expect()(page).to_have_url(re.compile(r"[?&]provider=alibaba"))
    header = page.locator('table.pricing-table[data-category="text"] th[data-key="from"]')
    header.click()
    header.click()
    expect()(header).to_have_attribute("aria-sort", "descending")
    assert _query(page) == {"provider": ["alibaba"], "sort": ["-from"]}
    view = _ids(page)
    assert 0 < len(view) < len(everything)

    # a reload, and the same link opened elsewhere, show the same view
    page.reload()
    expect()(page.locator("#pf-provider")).to_have_value("alibaba")
    expect()(header).to_have_attribute("aria-sort", "descending")
    assert _ids(page) == view
    link = page.url
    other = page.context.new_page()
    other.goto(link)
    expect()(other.locator("#pf-provider")).to_have_value("alibaba")
    assert _ids(other) == view
    other.close()

    # back: first the sort goes (descending, then ascending, then none), then the filter
    page.go_back()
    expect()(header).to_have_attribute("aria-sort", "ascending")
    page.go_back()
    expect()(header).not_to_have_attribute("aria-sort", re.compile("."))
    expect()(page.locator("#pf-provider")).to_have_value("alibaba")
    page.go_back()
    expect()(page.locator("#pf-provider")).to_have_value("")
    assert _ids(page) == everything

    # a hand-written link
    page.goto("pricing/?category=video&sort=-pair&q=kling")
    expect()(page.locator("#pf-category")).to_have_value("video")
    expect()(page.locator("#pf-text")).to_have_value("kling")
    shown = _ids(page)
    assert shown and all("kling" in i for i in shown)


@browser
def test_price_chart_is_inline_svg_with_a_label_per_text_model(page, site, catalog):
    def per_million(model, direction):
        rows = [r for r in model.pricing if r.direction == direction and r.unit == "token" and r.derived is None
                and r.amount_max is None]
        return rows[0].amount * 1_000_000 / rows[0].per if rows else None
    text = [m for m in catalog.models if m.category.slug == "text"
            and per_million(m, "input") is not None and per_million(m, "output") is not None]
    html = (site.dir / "pricing" / "index.html").read_text("utf-8")
    assert html.count("<svg") >= 1 and "price-chart" in html  # drawn at build time, not by a script
    page.goto("pricing/")
    chart = page.locator(".price-chart svg")
    expect()(chart).to_be_visible()
    assert chart.get_attribute("aria-labelledby") == "price-chart-title"
    expect()(page.locator("#price-chart-title")).to_have_text(f"Output price against input price per 1M tokens for {len(text)} text models")
    dots = chart.locator("circle")
    assert dots.count() == len(text)
    labels = dots.evaluate_all("cs => cs.map(c => [c.getAttribute('aria-label'), +c.getAttribute('cx'), +c.getAttribute('cy')])")
    by_name = {label.split(":")[0]: (x, y) for label, x, y in labels}
    assert set(by_name) == {m.name for m in text}
    # dearer input is further right, dearer output further up
    ordered = sorted(text, key=lambda m: per_million(m, "input"))
    cheap, dear = ordered[0], ordered[-1]
    assert by_name[cheap.name][0] < by_name[dear.name][0]
    ordered = sorted(text, key=lambda m: per_million(m, "output"))
    assert by_name[ordered[0].name][1] > by_name[ordered[-1].name][1]
    nova = next(label for label, _, _ in labels if label.startswith("Nova Micro 1.0:"))
    assert nova == "Nova Micro 1.0: input $0.04, output $0.16 per 1M tokens"


# --- compare ---------------------------------------------------------------------------------------


def _columns(page) -> list[str]:
    return page.locator(".compare-table thead th[data-model]").evaluate_all("ths => ths.map(t => t.dataset.model)")


def _row(page, label):
    return page.locator(".compare-table tbody tr").filter(has=page.locator(f'th[scope="row"]:text-is("{label}")'))


@browser
def test_compare_shows_models_side_by_side_and_highlights_differences(page, catalog):
    page.goto("compare/?models=" + ",".join(COMPARED))
    assert _columns(page) == COMPARED
    # specs, every price row of every model, parameters, endpoints, capabilities
    for label in ("Context window", "Max output", "Modalities", "Provider"):
        expect()(_row(page, label)).to_have_count(1)
    # one row per kind of price, on the pricing page's scale (catalog: nova-micro-1-0, qwen3-max and
    # perplexity-sonar-pro's YAML; sonar's $0.0072 per 1K tokens is $7.20 per 1M)
    assert _row(page, "Input per 1M tokens").locator("td").all_inner_texts() == [
        "text: $0.04",
        "≤32K context: $1.08 (was $1.20); 32K–128K context: $2.16 (was $2.40); 128K–256K context: $2.70 (was $3.00)",
        "$7.20"]
    assert _row(page, "Cached input per 1M tokens").locator("td").all_inner_texts() == ["text: $0.0224", "—", "—"]
    assert _row(page, "Output per 1M tokens").locator("td").all_inner_texts() == [
        "text: $0.16",
        "≤32K context: $5.52 (was $6.00); 32K–128K context: $11.04 (was $12.00); 128K–256K context: $13.80 (was $15.00)",
        "$36.00"]
    assert _row(page, "Per request").locator("td").all_inner_texts() == [
        "—", "—", "Base Fee (Low Context): $0.014; Base Fee (Medium Context): $0.024; Base Fee (High Context): $0.034"]
    for m_id in COMPARED:
        m = catalog.model(m_id)
        for p in m.parameters:
            expect()(_row(page, p.name)).to_have_count(1)
    context = _row(page, "Context window")
    assert context.locator("td").all_inner_texts() == ["128,000 tokens", "256,000 tokens", "200,000 tokens"]
    assert context.locator("td.differs").count() == 3
    streaming = _row(page, "Streaming")  # catalog: perplexity-sonar-pro lists only web_search
    assert streaming.locator("td").all_inner_texts() == ["Yes", "Yes", "No"]
    assert streaming.locator("td.differs").count() == 3
    async_job = _row(page, "Async job")  # none of the three
    assert async_job.locator("td").all_inner_texts() == ["No", "No", "No"]
    assert async_job.locator("td.differs").count() == 0
    weight = context.locator("td").first.evaluate("td => getComputedStyle(td).fontWeight")
    assert int(weight) >= 600  # told apart by more than colour
    search = _row(page, "POST /v1/search")  # only perplexity-sonar-pro serves it
    assert search.locator("td").all_inner_texts() == ["No", "No", "Yes"]
    temperature = _row(page, "temperature").locator("td").first.inner_text()
    assert re.search(r"\d+(\.\d+)? to \d", temperature), temperature


def _section_rows(page) -> dict[str, list[str]]:
    """Each section's row labels, as the table shows them."""
    return page.locator(".compare-table tbody").evaluate("""body => {
      const out = {}; let section = null;
      for (const tr of body.rows) {
        if (tr.classList.contains("compare-section")) { section = tr.textContent; out[section] = []; }
        else out[section].push(tr.querySelector("th").textContent);
      }
      return out;
    }""")


def _sections(page) -> list[str]:
    return page.locator(".compare-table tr.compare-section th").all_inner_texts()


@browser
def test_compare_puts_each_kind_of_price_on_one_row_and_each_section_once(page, catalog):
    # the example: a flat price with a cache price, a tiered one, and a flat one
    page.goto("compare/?models=nova-micro-1-0,qwen3-max,deepseek-v4-pro")
    assert _sections(page) == ["Specs", "Pricing", "Parameters", "Endpoints", "Capabilities"]
    assert _row(page, "Input per 1M tokens").locator("td").all_inner_texts() == [
        "text: $0.04",
        "≤32K context: $1.08 (was $1.20); 32K–128K context: $2.16 (was $2.40); 128K–256K context: $2.70 (was $3.00)",
        "$0.55"]
    # every token-priced model of the shipped catalog, four at a time, in two orders: one input row whatever
    # the mix, and the sections once each, in the same order
    priced = [m for m in catalog.models if any(r.direction == "input" and r.unit == "token" for r in m.pricing)]
    order = ["Specs", "Pricing", "Parameters", "Endpoints", "Capabilities"]
    for mix in [priced[i : i + 4] for i in range(0, len(priced), 4)] + [priced[::-9][:4]]:
        page.goto("compare/?models=" + ",".join(m.id for m in mix))
        expect()(page.locator(".compare-table")).to_be_visible()
        sections = _sections(page)
        assert sections == [s for s in order if s in sections] and "Pricing" in sections, [m.id for m in mix]
        inputs = _row(page, "Input per 1M tokens")
        expect()(inputs).to_have_count(1)
        cells = inputs.locator("td").all_inner_texts()
        assert all(c != "—" for c in cells), [m.id for m in mix]
        rows = _section_rows(page)
        assert [label for label in rows["Pricing"] if "input" in label.lower()] in (
            ["Input per 1M tokens"], ["Input per 1M tokens", "Cached input per 1M tokens"]), [m.id for m in mix]
        assert all(len(labels) == len(set(labels)) for labels in rows.values())  # no row twice


@browser
def test_compare_models_are_added_and_removed_on_the_page(page):
    page.goto("models/nova-micro-1-0/")
    page.locator('a[href*="compare/?models=nova-micro-1-0"]').first.click()
    expect()(page.locator(".compare-table")).to_be_visible()
    assert _columns(page) == ["nova-micro-1-0"]
    for m_id in ("qwen3-max", "deepseek-v3-2", "mistral-small-4"):
        page.select_option("#compare-model", m_id)
        page.locator("#compare-add").click()
        expect()(page.locator(f'.compare-table th[data-model="{m_id}"]')).to_be_visible()
    assert _query(page)["models"] == ["nova-micro-1-0,qwen3-max,deepseek-v3-2,mistral-small-4"]
    expect()(page.locator("#compare-add")).to_be_disabled()  # four at most
    page.get_by_role("button", name="Remove Qwen3-Max").click()
    expect()(page).to_have_url(re.compile(r"models=nova-micro-1-0,deepseek-v3-2,mistral-small-4$"))
    assert _columns(page) == ["nova-micro-1-0", "deepseek-v3-2", "mistral-small-4"]
    expect()(page.locator("#compare-add")).to_be_enabled()
    page.go_back()
    expect()(page.locator('.compare-table th[data-model="qwen3-max"]')).to_be_visible()
    # an unknown id says so, and a fifth model is not shown
    page.goto("compare/?models=nova-micro-1-0,nope,qwen3-max,deepseek-v3-2,mistral-small-4,gemma-3-27b")
    expect()(page.locator("#compare-status")).to_contain_text("No model called nope.")
    expect()(page.locator("#compare-status")).to_contain_text("At most 4 models side by side.")
    assert len(_columns(page)) == 4


@browser
def test_pricing_table_links_every_model_to_compare(page):
    page.goto("pricing/")
    rows = page.locator(".pricing-table tbody tr")
    links = page.locator(".pricing-table tbody tr a.compare-add")
    assert links.count() == rows.count()
    page.locator('.pricing-table tr[data-id="qwen3-max"] a.compare-add').click()
    expect()(page.locator('.compare-table th[data-model="qwen3-max"]')).to_be_visible()


# --- API reference field names ---------------------------------------------------------------------


@browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_api_field_names_break_only_at_dots_and_brackets(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("api/create-chat-completion/")
    # each piece between break points sits on one line; a name split inside a word would not
    broken = page.evaluate("""() => {
      const out = [];
      let names = 0;
      document.querySelectorAll('article td code.field-name').forEach(code => {
        names++;
        code.childNodes.forEach(n => {
          if (n.nodeType !== Node.TEXT_NODE) return;
          const r = document.createRange(); r.selectNodeContents(n);
          const lines = new Set(Array.from(r.getClientRects(), x => Math.round(x.top)));
          if (lines.size > 1) out.push(code.textContent);
        });
      });
      return {names, out};
    }""")
    assert broken["names"] > 20 and broken["out"] == []
    name = page.locator("article td code.field-name", has_text="messages[].role").first
    assert name.inner_text() == "messages[].role"


# --- accessibility, and a screenshot of every kind of page -----------------------------------------

KINDS = {
    "home": "", "guide": "getting-started/", "model": "models/nova-micro-1-0/", "provider": "providers/amazon/",
    "providers": "providers/", "pricing": "pricing/", "compare": "compare/?models=" + ",".join(COMPARED),
    "api-operation": "api/create-chat-completion/", "changelog": "changelog/", "404": "404.html",
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        message = "axe-core is not installed: npm ci --prefix tests/js"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return AXE.read_text("utf-8")


@browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_no_serious_axe_violations_on_any_kind_of_page(browser, site, recorder, axe_source, viewport, scheme):
    from .conftest import _OTHER_HOST, _offline

    ctx = browser.new_context(viewport=viewport, base_url=site.url, color_scheme=scheme)
    ctx.route(_OTHER_HOST, _offline(recorder))
    page = ctx.new_page()
    recorder.attach(page)
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    found = []
    try:
        for kind, path in KINDS.items():
            page.goto(path)
            page.evaluate("document.fonts.ready")
            expect()(page.locator("body")).to_have_attribute("data-md-color-scheme",
                                                             "slate" if scheme == "dark" else "default")
            page.add_script_tag(content=axe_source)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            for v in result["violations"]:
                if v["impact"] in ("serious", "critical"):
                    targets = [n["target"] for n in v["nodes"][:3]]
                    found.append(f"{kind} ({path or 'home'}): {v['id']} x{len(v['nodes'])}: {targets}")
            name = shots / f"{kind}-{viewport['width']}-{scheme}.png"
            page.screenshot(path=str(name), full_page=True, animations="disabled")
            assert name.stat().st_size > 5_000
    finally:
        ctx.close()
    assert result["testEngine"]["version"].startswith("4.14")
    assert not found, "\n".join(found)
