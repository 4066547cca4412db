"""The pricing page, its chart and the compare page: every model on one scale, side by side."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.model.objects import (
    CAPABILITY_LABELS,
    UNIT_NAMES,
    Catalog,
    Category,
    Model,
    PriceRow,
    compact,
    money,
    param_default,
    param_range,
    tidy,
)
from generator.model.performance import Performance
from generator.views import calculator
from generator.views.pages import key_figures, normalized
from generator.views.performance import count, ms, number, percent, speed


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
    ttft: str = "—"  # p50 time to first token, where measured
    ttft_value: str = ""
    speed: str = "—"  # p50 output tokens per second, where measured
    speed_value: str = ""


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
    measured: str = ""  # the snapshot's window in words; "" when the site has no performance figures


def measured_cells(perf: Performance | None) -> dict[str, str]:
    """The pricing table's p50 time to first token and output speed: text, and the value it sorts by ("" for
    no figure, which sorts last)."""
    if perf is None:
        return {}
    if not perf.enough:
        return {"ttft": "low traffic", "speed": "low traffic"}
    out: dict[str, str] = {}
    if perf.ttft_ms:
        out |= {"ttft": ms(perf.ttft_ms.p50), "ttft_value": _num(perf.ttft_ms.p50)}
    if perf.output_tokens_per_second:
        p50 = perf.output_tokens_per_second.p50
        out |= {"speed": f"{number(p50)}", "speed_value": _num(p50)}
    return out


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
                    **measured_cells(catalog.performance(m.id)),
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
        next(iter(catalog.performances.values())).window.words if catalog.performances else "",
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


# The compare page's sections, each once, in this order whatever the models chosen.
SECTIONS = ("Specs", "Pricing", "Performance", "Parameters", "Endpoints", "Capabilities")
# Price rows by kind, on the pricing page's common scale: the token kinds first, then one row per unit.
TOKEN_KINDS = {"input": "Input", "cached": "Cached input", "output": "Output", None: "Other tokens"}


def price_kind(r: PriceRow) -> str:
    """The compare row a price goes on: 'Input per 1M tokens', 'Cached input per 1M tokens', 'Per image',
    'Tool calls, per call'. Rates that differ only by modality, mode, tier or resolution share it."""
    if r.unit == "token":
        kind = (
            "cached" if r.derived == "cache_discount" else r.direction if r.direction in ("input", "output") else None
        )
        return f"{TOKEN_KINDS[kind]} per 1M tokens"
    per = f"per {UNIT_NAMES[r.unit][0]}"
    return f"Tool calls, {per}" if r.direction == "tool" else per[0].upper() + per[1:]


KIND_ORDER = [f"{k} per 1M tokens" for k in TOKEN_KINDS.values()]
KIND_ORDER += [f"Per {one}" for one, _ in UNIT_NAMES.values()] + [
    f"Tool calls, per {one}" for one, _ in UNIT_NAMES.values()
]


def kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind)


def price_qualifier(r: PriceRow) -> str:
    """What tells a rate apart from the others of its row: '≤32K context', 'text', 'Standard 720P'."""
    parts = []
    if r.unit == "token" and r.direction in ("input", "output"):
        inner = r.label[r.label.find("(") + 1 : r.label.rfind(")")] if "(" in r.label else ""
        if r.mode:
            parts.append(r.mode)
        if inner:
            parts.append(inner)
    else:
        parts.append(r.name)
    if r.tier:
        parts.append(f"{r.tier.label} context")
    return ", ".join(parts)


def price_on_scale(r: PriceRow) -> str:
    """A rate on the common scale, without its unit (the row names it): '$0.04', '~$0.10 – $0.20'."""
    text = normalized(r)
    return text[: text.rindex(" per ")]


def price_cells(model: Model) -> dict[str, str]:
    """The model's rates by kind: each rate of a kind in one cell, told apart by its qualifier."""
    cells: dict[str, list[str]] = {}
    for r in model.pricing:
        qualifier = price_qualifier(r)
        value = price_on_scale(r)
        if r.list_amount is not None:
            value += f" (was {money(tidy(r.list_amount * (1_000_000 if r.unit == 'token' else 1) / r.per))})"
        cells.setdefault(price_kind(r), []).append(f"{qualifier}: {value}" if qualifier else value)
    return {kind: "; ".join(values) for kind, values in cells.items()}


def performance_cells(perf: Performance | None) -> dict[str, str]:
    """The measured figures, each p50 and p90 on its own row; below the minimum, the traffic alone."""
    if perf is None:
        return {}
    out = {"Measured": perf.window.words[0].upper() + perf.window.words[1:], "Requests": count(perf.requests)}
    if not perf.enough:
        out["Figures"] = "Not enough traffic to measure"
        return out
    for label, p, show in (
        ("Time to first token", perf.ttft_ms, ms),
        ("Output speed", perf.output_tokens_per_second, speed),
        ("Latency", perf.latency_ms, ms),
    ):
        if p is not None:
            out[f"{label} (p50)"] = show(p.p50)
            out[f"{label} (p90)"] = show(p.p90)
    out["Success rate"] = percent(perf.success_rate)
    return out


PERFORMANCE_ROWS = (
    "Measured",
    "Requests",
    "Figures",
    "Time to first token (p50)",
    "Time to first token (p90)",
    "Output speed (p50)",
    "Output speed (p90)",
    "Latency (p50)",
    "Latency (p90)",
    "Success rate",
)


def compare_facts(model: Model, perf: Performance | None = None) -> dict[str, dict[str, str]]:
    """{section: {row label: value}} of one model: specs, its rates by kind, what was measured,
    parameters, endpoints, capabilities."""

    def plain(text: str) -> str:
        return text.replace("`", "")

    # the key figures that are no price (prices have their own rows) and no endpoint (their own section)
    specs = {f.label: f.value for f in key_figures(model) if f.label in ("Context window", "Max output", "Modalities")}
    specs |= {"Provider": model.provider.name, "Category": model.category.name, "API status": model.api_status}
    params = {}
    for p in model.parameters:
        value = p.type + (f", {plain(param_range(p))}" if param_range(p) != "—" else "")
        if p.has_default:
            value += f", default {plain(param_default(p))}"
        params[p.name] = value
    return {
        "Specs": specs,
        "Pricing": price_cells(model),
        "Performance": performance_cells(perf),
        "Parameters": params,
        "Endpoints": {f"POST {e}": "Yes" for e in model.endpoints},
        "Capabilities": {CAPABILITY_LABELS[k]: "Yes" if v else "No" for k, v in model.capabilities.as_dict().items()},
    }


def row_order(facts: list[dict[str, dict[str, str]]]) -> dict[str, list[str]]:
    """Each section's row labels in one order for every mix of models: prices by kind, the measured
    figures as listed, every other row as the catalog first has it."""
    rows: dict[str, list[str]] = {s: [] for s in SECTIONS}
    for f in facts:
        for section in SECTIONS:
            rows[section] += [label for label in f[section] if label not in rows[section]]
    rows["Pricing"].sort(key=kind_rank)
    rows["Performance"] = [r for r in PERFORMANCE_ROWS if r in rows["Performance"]]
    return rows


def compare_page(catalog: Catalog, pricing: PricingPage, limit: int = 4) -> ComparePage:
    facts = {m.id: compare_facts(m, catalog.performance(m.id)) for m in catalog.models}
    data = {
        "sections": list(SECTIONS),
        "rows": row_order(list(facts.values())),
        "models": {
            m.id: {"name": m.name, "provider": m.provider.name, "url": f"../models/{m.id}/", "facts": facts[m.id]}
            for m in catalog.models
        },
    }
    return ComparePage(catalog.models, pricing.groups, calculator.page_json(data), limit)
