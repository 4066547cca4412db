"""The page tools' data in the HTML: catalog text stays data (never markup) and the rate plans are the ones
generator/cost.py charges."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from decimal import Decimal

import markdown

from generator.views import calculator
from generator.site import pages as site_module
from generator.views import pricing as pricing_views
from generator.views.render import Page, Renderer

HOSTILE = 'Evil"><img src=x onerror=alert(1)></div></script><script>alert(2)</script>'


def _html(catalog, page: Page) -> str:
    glob = site_module.template_globals(catalog)
    text = Renderer(glob, twin=False).render(page)
    return markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html", "meta"])


def test_catalog_text_in_the_compare_and_calculator_data_stays_data(catalog):
    nova = catalog.model("nova-micro-1-0")
    evil = dataclasses.replace(nova, name=HOSTILE)
    hostile = dataclasses.replace(catalog, models=tuple(evil if m is nova else m for m in catalog.models))
    pricing = pricing_views.pricing_page(catalog)
    out = _html(hostile, Page("compare.md", "Compare models", "pages/compare.md.j2",
                             pricing_views.compare_page(hostile, pricing)))
    assert "<img" not in out and "<script" not in out
    attr = re.search(r'id="compare-data" data-json="([^"]*)"', out)[1]
    assert json.loads(html.unescape(attr))["models"]["nova-micro-1-0"]["name"] == HOSTILE


def test_the_plan_holds_the_rates_cost_py_charges_in_each_tier(catalog):
    # catalog/models/alibaba/qwen3-max.yaml: $1.08/$5.52 to 32K, $2.16/$11.04 to 128K, $2.70/$13.80 to 256K
    plan = calculator.plan(catalog.model("qwen3-max"))
    tiers = [(s.above, s.upto, s.tier, s.input and s.input.amount, s.output.amount) for s in plan.stretches[1:]]
    assert tiers == [(0, 32000, "≤32K", Decimal("1.08"), Decimal("5.52")),
                     (32000, 128000, "32K–128K", Decimal("2.16"), Decimal("11.04")),
                     (128000, 256000, "128K–256K", Decimal("2.70"), Decimal("13.80"))]
    assert plan.has_cache_price is False
    nova = calculator.plan(catalog.model("nova-micro-1-0"))  # 44% off $0.040 per 1M
    assert nova.has_cache_price and nova.stretches[-1].cached.amount == Decimal("0.0224")
    sonar = calculator.plan(catalog.model("perplexity-sonar-pro"))
    assert sonar.mode == "Low Context" and sonar.stretches[-1].fee.amount == Decimal("0.014")
    assert calculator.is_token_priced(catalog.model("wan2-7-image")) is False
