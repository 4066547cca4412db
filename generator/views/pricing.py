"""The pricing page, its chart and the compare page: every model on one scale, side by side."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.model.objects import (
    CAPABILITY_LABELS,
    Catalog,
    Category,
    Model,
    compact,
    money,
    param_default,
    param_range,
)
from generator.views import calculator
from generator.views.pages import key_figures, normalized


@dataclass(frozen=True)
class PricingRow:
    model: Model
    context: str
    from_text: str
    from_value: str
    output_text: str
    output_value: str
    token_pair: str
    token_pair_value: str
    video: str
    video_value: str
    capabilities: str
    search: str


@dataclass(frozen=True)
class PricingGroup:
    category: Category
    rows: tuple[PricingRow, ...]


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True)
class ChartPoint:
    model: Model
    x: float  # SVG coordinates
    y: float
    label: str  # "Nova Micro 1.0: input $0.04, output $0.16 per 1M tokens"


@dataclass(frozen=True)
class Tick:
    value: str
    at: float


@dataclass(frozen=True)
class PriceChart:
    """Output against input price per 1M tokens, on log scales, laid out for an inline SVG."""

    width: int
    height: int
    left: int
    bottom: int  # y of the x axis
    points: tuple[ChartPoint, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]


@dataclass(frozen=True)
class PricingPage:
    groups: tuple[PricingGroup, ...]
    providers: tuple[Any, ...]
    modalities: tuple[str, ...]
    capabilities: tuple[Choice, ...]
    video_seconds: int
    video_resolution: str
    chart: PriceChart
    calculator_choices: tuple[Choice, ...]
    calculator_json: str


def _num(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def pricing_page(catalog: Catalog, seconds: int = 5, resolution: str = "1080P") -> PricingPage:
    groups = []
    for c in catalog.categories:
        rows = []
        for m in catalog.category_models(c.slug):
            head = m.headline
            pair, video = m.token_pair_cost, m.video_cost(seconds, resolution)
            words = " ".join([m.name, m.id, *m.aliases, m.provider.name]).lower()
            outs = m.rows("output")
            rows.append(
                PricingRow(
                    model=m,
                    context=compact(m.context_window) if m.context_window else "—",
                    from_text=normalized(head),
                    from_value=_num(head.comparable),
                    output_text=normalized(outs[0]) if outs else "—",
                    output_value=_num(outs[0].comparable) if outs else "",
                    token_pair=money(pair) if pair is not None else "",
                    token_pair_value=_num(pair),
                    video=money(video) if video is not None else "",
                    video_value=_num(video),
                    capabilities=" ".join(k for k, v in m.capabilities.as_dict().items() if v),
                    search=words,
                )
            )
        if rows:
            groups.append(PricingGroup(c, tuple(rows)))
    priced = [m for m in catalog.models if calculator.is_token_priced(m)]
    plans = {m.id: calculator.plan(m).as_json() for m in priced}
    return PricingPage(
        tuple(groups),
        catalog.providers,
        tuple(x for x in ("text", "image", "audio", "video") if any(x in m.input_modalities for m in catalog.models)),
        tuple(Choice(k, v) for k, v in CAPABILITY_LABELS.items()),
        seconds,
        resolution,
        price_chart(catalog),
        tuple(Choice(m.id, f"{m.name} ({m.provider.name})") for m in priced),
        calculator.page_json(plans),
    )


def _token_rates(model: Model) -> tuple[Decimal, Decimal] | None:
    ins = [r for r in model.rows("input") if r.unit == "token" and r.amount_max is None]
    outs = [r for r in model.rows("output") if r.unit == "token" and r.amount_max is None]
    if not ins or not outs:
        return None
    return ins[0].comparable, outs[0].comparable


def price_chart(catalog: Catalog, width: int = 640, height: int = 400) -> PriceChart:
    """The text models' lowest-tier input and output prices per 1M tokens, placed on log-log axes."""
    priced = [(m, r) for m in catalog.category_models("text") if (r := _token_rates(m)) is not None]
    values = [float(v) for _, r in priced for v in r if v > 0]
    lo = 10 ** math.floor(math.log10(min(values))) if values else 0.01
    hi = 10 ** math.ceil(math.log10(max(values))) if values else 100
    left, right, top, bottom = 56, width - 16, 16, height - 44

    def scale(v: Decimal, a: float, b: float) -> float:
        t = (math.log10(max(float(v), lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        return round(a + t * (b - a), 1)

    points = tuple(
        ChartPoint(
            m,
            scale(i, left, right),
            scale(o, bottom, top),
            f"{m.name}: input {money(i)}, output {money(o)} per 1M tokens",
        )
        for m, (i, o) in priced
    )
    decades = [lo * 10**k for k in range(round(math.log10(hi / lo)) + 1)]
    ticks = [(money(Decimal(str(d)).normalize()) if d < 1 else f"${d:,.0f}", Decimal(str(d))) for d in decades]
    return PriceChart(
        width,
        height,
        left,
        bottom,
        points,
        tuple(Tick(t, scale(v, left, right)) for t, v in ticks),
        tuple(Tick(t, scale(v, bottom, top)) for t, v in ticks),
    )


@dataclass(frozen=True)
class ComparePage:
    """Every model's comparable facts, as JSON the compare page lays out side by side in the browser."""

    models: tuple[Model, ...]
    groups: tuple[PricingGroup, ...]  # for the picker, by category
    data_json: str
    limit: int


def compare_facts(model: Model) -> list[list[str]]:
    """[section, row label, value] of one model: specs, every price row, parameters, endpoints, capabilities."""

    def plain(text: str) -> str:
        return text.replace("`", "")

    facts = [["Specs", f.label, f.value] for f in key_figures(model) if f.label not in ("Input", "Output", "Endpoints")]
    facts += [
        ["Specs", "Provider", model.provider.name],
        ["Specs", "Category", model.category.name],
        ["Specs", "API status", model.api_status],
    ]
    facts += [
        [
            "Pricing",
            f"{r.name} ({r.spec})",
            r.rate + (f" (was {money(r.list_amount)})" if r.list_amount is not None else ""),
        ]
        for r in model.pricing
    ]
    for p in model.parameters:
        value = p.type + (f", {plain(param_range(p))}" if param_range(p) != "—" else "")
        if p.has_default:
            value += f", default {plain(param_default(p))}"
        facts.append(["Parameters", p.name, value])
    facts += [["Endpoints", f"POST {e}", "Yes"] for e in model.endpoints]
    facts += [
        ["Capabilities", CAPABILITY_LABELS[k], "Yes" if v else "No"] for k, v in model.capabilities.as_dict().items()
    ]
    return facts


def compare_page(catalog: Catalog, pricing: PricingPage, limit: int = 4) -> ComparePage:
    data = {
        m.id: {"name": m.name, "provider": m.provider.name, "url": f"../models/{m.id}/", "facts": compare_facts(m)}
        for m in catalog.models
    }
    return ComparePage(catalog.models, pricing.groups, calculator.page_json(data), limit)
