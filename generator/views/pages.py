"""Presentation-ready views of the catalog: what each page shows, decided here, laid out by templates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.model.objects import (
    UNIT_NAMES,
    Catalog,
    Model,
    PriceRow,
    compact,
    money,
    tidy,
)
from generator.model.spec import Spec
from generator.snippets import Api, Snippet, request_snippets
from generator.views import calculator, tryit
from generator.views.performance import PerformanceView, performance_view

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name, e.g. Paris"}},
            "required": ["city"],
        },
    },
}


@dataclass(frozen=True)
class CodeExample:
    """An example request shown as linked tabs."""

    title: str
    endpoint: str
    body: dict[str, Any]
    tabs: tuple[Snippet, ...]


@dataclass(frozen=True)
class Faq:
    question: str
    answer: str


@dataclass(frozen=True)
class Figure:
    """One key figure of a model page's header: "Input", "$0.04 per 1M tokens"."""

    label: str
    value: str


@dataclass(frozen=True)
class ModelPage:
    model: Model
    figures: tuple[Figure, ...]
    calculator: calculator.Plan | None
    calculator_json: str  # {id: plan} as JSON; "" without a calculator
    examples: tuple[CodeExample, ...]
    streaming: CodeExample | None
    tools: CodeExample | None
    faq: tuple[Faq, ...]
    more_from_provider: tuple[Model, ...]
    similar: tuple[Model, ...]
    changes: tuple[tuple[str, str], ...]  # (date, text), newest first
    try_it_json: str = ""  # the Try it console's data (views/tryit.py)
    performance: PerformanceView | None = None  # what the gateway measured, when the snapshot names the model


def api_of(catalog: Catalog) -> Api:
    return Api(catalog.platform.api_host, catalog.platform.key_env)


def code_example(api: Api, spec: Spec, title: str, endpoint: str, body: dict[str, Any]) -> CodeExample:
    op = spec.operation("POST", endpoint)
    multipart = bool(op and op.content_type == "multipart/form-data")
    files = (
        spec.binary_fields(op.raw["requestBody"]["content"]["multipart/form-data"]["schema"])
        if op and multipart
        else ()
    )
    tabs = request_snippets(api, endpoint, body, multipart=multipart, files=files, stream=bool(body.get("stream")))
    return CodeExample(title, endpoint, body, tabs)


def model_page(catalog: Catalog, spec: Spec, model: Model) -> ModelPage:
    api = api_of(catalog)
    examples = tuple(code_example(api, spec, ex.title, ex.endpoint, ex.body) for ex in model.examples)
    chat = next((ex for ex in model.examples if ex.endpoint == "/v1/chat/completions"), None)
    streaming = tools = None
    if chat and model.capabilities.streaming:
        streaming = code_example(api, spec, "Streaming", chat.endpoint, {**chat.body, "stream": True})
    if chat and model.capabilities.tool_calling:
        body = {
            "model": model.id,
            "messages": [{"role": "user", "content": "What is the weather in Paris?"}],
            "tools": [WEATHER_TOOL],
            "tool_choice": "auto",
        }
        tools = code_example(api, spec, "Tool calling", chat.endpoint, body)
    others = tuple(m for m in catalog.provider_models(model.provider.slug) if m.id != model.id)
    changes = tuple((date, c.text) for date, c in catalog.model_changes(model.id))
    plan = calculator.plan(model) if calculator.is_token_priced(model) else None
    plan_json = calculator.page_json({model.id: plan.as_json()}) if plan else ""
    return ModelPage(
        model,
        key_figures(model),
        plan,
        plan_json,
        examples,
        streaming,
        tools,
        faq(catalog, model),
        others[:8],
        similar(catalog, model),
        changes,
        try_it_json=tryit.model_json(catalog, spec, model),
        performance=performance_view(catalog.performance(model.id)),
    )


def normalized(row: PriceRow) -> str:
    """A rate on a common scale, as the pricing table and the model header write it: per 1M tokens for
    token rates, per single unit otherwise ("$0.04 per 1M tokens", "$0.04 per image")."""
    if row.unit == "token":
        text, per = money(row.comparable), "per 1M tokens"
    else:
        text, per = money(row.comparable), f"per {UNIT_NAMES[row.unit][0]}"
    if row.amount_max is not None:
        top = row.amount_max * (Decimal(1_000_000) if row.unit == "token" else 1) / Decimal(row.per)
        text += f" – {money(tidy(top))}"
    return ("~" if row.approximate else "") + f"{text} {per}"


def key_figures(model: Model) -> tuple[Figure, ...]:
    """What a reader choosing a model looks for first: prices, context, output, modalities, endpoints."""
    ins, outs = model.rows("input"), model.rows("output")
    out = []
    if ins:
        out.append(Figure("Input", normalized(ins[0])))
    if outs:
        out.append(Figure("Output", normalized(outs[0])))
    if not ins and not outs:  # a single rate for every token ("Input & Output Tokens"), or no token rates
        tokens = [r for r in model.pricing if r.unit == "token" and r.derived is None]
        for r in dict.fromkeys([*tokens[:1], model.headline]):
            out.append(Figure(r.name, normalized(r)))
    out.append(Figure("Context window", f"{model.context_window:,} tokens" if model.context_window else "—"))
    out.append(Figure("Max output", f"{model.max_output_tokens:,} tokens" if model.max_output_tokens else "—"))
    out.append(Figure("Modalities", f"{', '.join(model.input_modalities)} → {', '.join(model.output_modalities)}"))
    out.append(Figure("Endpoints", ", ".join(f"POST {e}" for e in model.endpoints)))
    return tuple(out)


def similar(catalog: Catalog, model: Model, n: int = 5) -> tuple[Model, ...]:
    """Models of the same category from other providers, nearest in headline price (same unit first)."""
    near = catalog.nearest_in_price(model, n)
    if len(near) < n:  # too few priced in the same unit: fill with the category's other models
        more = [
            m
            for m in catalog.category_models(model.category.slug)
            if m.id != model.id and m.provider.slug != model.provider.slug and m not in near
        ]
        near += tuple(more[: n - len(near)])
    return near


def price_summary(model: Model) -> str:
    rows = [r for r in model.pricing if r.direction in ("input", "output") or r.derived][:4] or list(model.pricing[:3])
    return "; ".join(f"{r.name} {r.rate} {r.spec}" for r in rows)


def faq(catalog: Catalog, model: Model) -> tuple[Faq, ...]:
    p = catalog.platform
    items = [
        Faq(
            f"How much does the {model.name} API cost?",
            f"{model.name} is billed pay as you go from prepaid credits: {price_summary(model)}. "
            "The pricing table on this page lists every rate.",
        )
    ]
    if model.context_window:
        out = f", with up to {model.max_output_tokens:,} output tokens per response" if model.max_output_tokens else ""
        items.append(
            Faq(
                f"What is the context window of {model.name}?",
                f"{model.name} accepts up to {compact(model.context_window)} tokens of context{out}.",
            )
        )
    formats = {
        "/v1/chat/completions": "OpenAI Chat Completions",
        "/v1/responses": "OpenAI Responses",
        "/v1/messages": "Anthropic Messages",
    }
    served = [formats[e] for e in model.endpoints if e in formats]
    if served:
        items.append(
            Faq(
                f"Is the {model.name} API OpenAI-compatible?",
                f"Yes. {model.name} serves the {', '.join(served)} format"
                f"{'s' if len(served) > 1 else ''}: point an existing SDK at {p.api_base_url} "
                f"and set the model to {model.id}.",
            )
        )
    else:
        items.append(
            Faq(
                f"Which endpoint serves {model.name}?",
                f"Send requests to POST {model.endpoints[0]} at {p.api_host} with the model id {model.id}.",
            )
        )
    items.append(
        Faq(
            f"How do I get an API key for {model.name}?",
            f"Create an account at {p.signup_url}, add credits, and generate a key in the dashboard. "
            f"Keys start with {p.key_prefix} and work for every model in the catalog.",
        )
    )
    return tuple(items)


@dataclass(frozen=True)
class EndpointGroup:
    endpoint: str
    models: tuple[Model, ...]


@dataclass(frozen=True)
class ProviderPage:
    provider: Any
    models: tuple[Model, ...]
    endpoints: tuple[EndpointGroup, ...]
    example_model: Model
    example: CodeExample


@dataclass(frozen=True)
class ProviderCard:
    provider: Any
    count: int
    categories: tuple[str, ...]


def provider_page(catalog: Catalog, spec: Spec, provider: Any) -> ProviderPage:
    models = catalog.provider_models(provider.slug)
    endpoints = sorted({e for m in models for e in m.endpoints})
    groups = tuple(EndpointGroup(e, tuple(m for m in models if e in m.endpoints)) for e in endpoints)
    first = models[0]
    ex = first.examples[0]
    return ProviderPage(
        provider, models, groups, first, code_example(api_of(catalog), spec, ex.title, ex.endpoint, ex.body)
    )


def provider_cards(catalog: Catalog) -> tuple[ProviderCard, ...]:
    cards = []
    for p in catalog.providers:
        models = catalog.provider_models(p.slug)
        cats = tuple(c.name for c in catalog.categories if any(m.category.slug == c.slug for m in models))
        cards.append(ProviderCard(p, len(models), cats))
    return tuple(cards)
