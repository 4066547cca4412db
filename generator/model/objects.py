"""The resolved catalog: typed, frozen objects that templates and writers read. Never raw dicts."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.model.platform import Category, Platform
from generator.snippets import plain

if TYPE_CHECKING:
    from generator.model.performance import Performance

CAPABILITIES = (
    "streaming",
    "system_prompt",
    "tool_calling",
    "vision",
    "audio_input",
    "video_input",
    "web_search",
    "thinking",
    "citations",
    "structured_output",
    "async_job",
)
CAPABILITY_LABELS = {
    "streaming": "Streaming",
    "system_prompt": "System prompt",
    "tool_calling": "Tool calling",
    "vision": "Vision",
    "audio_input": "Audio input",
    "video_input": "Video input",
    "web_search": "Web search",
    "thinking": "Thinking",
    "citations": "Citations",
    "structured_output": "Structured output",
    "async_job": "Async job",
}
UNIT_NAMES = {  # singular, plural
    "token": ("token", "tokens"),
    "request": ("request", "requests"),
    "call": ("call", "calls"),
    "search": ("search", "searches"),
    "query": ("query", "queries"),
    "image": ("image", "images"),
    "second": ("second", "seconds"),
    "video": ("video", "videos"),
    "minute": ("minute of audio", "minutes of audio"),
    "message": ("message", "messages"),
    "task": ("task", "tasks"),
    "page": ("page", "pages"),
    "character": ("character", "characters"),
    "word": ("word", "words"),
    "url": ("URL", "URLs"),
    "generation": ("generation", "generations"),
    "step": ("step", "steps"),
}


def compact(n: int) -> str:
    """128000 -> '128K', 1000000 -> '1M', 1500 -> '1,500'."""
    if n >= 1_000_000 and n % 100_000 == 0:
        return f"{Decimal(n) / 1_000_000:f}".rstrip("0").rstrip(".") + "M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1000:,}K"
    return f"{n:,}"


def money(amount: Decimal) -> str:
    """Dollars as the catalog wrote them, with at least two decimals: 0.040 -> '$0.040', 5 -> '$5.00'."""
    text = f"{amount:f}"
    whole, _, frac = text.partition(".")
    return f"${int(whole):,}.{frac.ljust(2, '0')}"


def code_span(text: str) -> str:
    """`text` as a Markdown code span, whatever backticks it holds. Markdown escapes what a span holds: the
    text goes in as it is, not HTML-escaped (a quote would show as `&#34;`)."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or text != text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def param_default(p: Parameter) -> str:
    """A parameter's default as a table cell: markdown, whose only text is inside code spans."""
    return "—" if p.default is None else code_span(json.dumps(plain(p.default)))


def param_range(p: Parameter) -> str:
    """A parameter's range or values as a table cell: markdown, whose only text is inside code spans."""
    if p.values:
        return ", ".join(code_span(str(v)) for v in p.values)
    if p.min is not None and p.max is not None:
        return f"{p.min} to {p.max}"
    if p.min is not None:
        return f"≥ {p.min}"
    if p.max is not None:
        return f"≤ {p.max}"
    if p.max_items is not None:
        return f"up to {p.max_items} items"
    return "—"


def tidy(x: Decimal) -> Decimal:
    """A computed amount without the trailing zeros arithmetic adds (12.0000 -> 12.00)."""
    x = x.normalize()
    exponent = x.as_tuple().exponent  # an int for every finite amount
    return x.quantize(Decimal("0.01")) if isinstance(exponent, int) and exponent > -2 else x


@dataclass(frozen=True)
class Tier:
    """A context tier, in prompt tokens: above `min`, up to and including `max`."""

    min: int | None
    max: int | None

    @property
    def label(self) -> str:
        if self.min is None:
            return f"≤{compact(self.max or 0)}"
        if self.max is None:
            return f"above {compact(self.min)}"
        return f"{compact(self.min)}–{compact(self.max)}"


@dataclass(frozen=True)
class PriceRow:
    """One rate of a model's price list, exact to the cent fraction the catalog wrote."""

    label: str
    amount: Decimal
    unit: str
    per: int = 1
    mode: str | None = None
    direction: str | None = None
    amount_max: Decimal | None = None
    list_amount: Decimal | None = None
    approximate: bool = False
    tier: Tier | None = None
    resolution: str | None = None
    duration_seconds: int | None = None
    audio: bool | None = None
    points: int | None = None
    note: str | None = None
    derived: str | None = None

    @property
    def discount_percent(self) -> int | None:
        """Whole percent saved against the list price, computed, never typed."""
        if self.list_amount is None or self.list_amount <= self.amount or self.list_amount == 0:
            return None
        saved = (1 - self.amount / self.list_amount) * 100
        return int(saved.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def per_text(self) -> str:
        """'per 1M tokens', 'per 5 URLs', 'per second'."""
        singular, plural = UNIT_NAMES[self.unit]
        if self.per == 1:
            return f"per {singular}"
        return f"per {compact(self.per)} {plural}"

    @property
    def spec(self) -> str:
        """The unit with every condition that narrows the row."""
        parts = [self.per_text]
        if self.tier:
            parts.append(f"{self.tier.label} context")
        if self.note:
            parts.append(self.note)
        return ", ".join(parts)

    @property
    def rate(self) -> str:
        text = money(self.amount)
        if self.amount_max is not None:
            text += f" – {money(self.amount_max)}"
        return ("~" if self.approximate else "") + text

    @property
    def name(self) -> str:
        """The row's label, qualified by its mode when the label alone is ambiguous."""
        if self.mode and self.mode not in self.label:
            return f"{self.mode}: {self.label}"
        return self.label

    @property
    def comparable(self) -> Decimal:
        """The amount on a common scale: per 1M for tokens, per single unit otherwise."""
        if self.unit == "token":
            return self.per_million()  # type: ignore[return-value]
        return tidy(self.amount / Decimal(self.per))

    def per_million(self) -> Decimal | None:
        """The rate per 1M tokens, for token rows."""
        if self.unit != "token":
            return None
        return tidy(self.amount * Decimal(1_000_000) / Decimal(self.per))


@dataclass(frozen=True)
class Discount:
    label: str
    percent: Decimal
    applies_to: str
    note: str | None = None


@dataclass(frozen=True)
class Parameter:
    """One request parameter a model accepts, after its profile is resolved."""

    name: str
    type: str
    description: str
    default: Any = None
    min: Decimal | int | None = None
    max: Decimal | int | None = None
    max_items: int | None = None
    values: tuple[Any, ...] = ()
    required: bool = False
    aliases: tuple[str, ...] = ()
    requires: tuple[tuple[str, Any], ...] = ()
    capability: str | None = None
    format: str | None = None

    @property
    def has_default(self) -> bool:
        return self.default is not None


@dataclass(frozen=True)
class Example:
    """A request body for one endpoint, as data; snippets are rendered from it."""

    endpoint: str
    title: str
    body: dict[str, Any]
    source: Path
    line: int


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    description: str
    website: str | None
    source: Path

    @property
    def url(self) -> str:
        return f"providers/{self.slug}.md"


@dataclass(frozen=True)
class Capabilities:
    streaming: bool = False
    system_prompt: bool = False
    tool_calling: bool = False
    vision: bool = False
    audio_input: bool = False
    video_input: bool = False
    web_search: bool = False
    thinking: bool = False
    citations: bool = False
    structured_output: bool = False
    async_job: bool = False

    def enabled(self) -> list[str]:
        """Labels of the capabilities this model has, in a fixed order."""
        return [CAPABILITY_LABELS[c] for c in CAPABILITIES if getattr(self, c)]

    def as_dict(self) -> dict[str, bool]:
        return {c: getattr(self, c) for c in CAPABILITIES}


@dataclass(frozen=True)
class Model:
    id: str
    name: str
    aliases: tuple[str, ...]
    provider: Provider
    category: Category
    description: str
    endpoints: tuple[str, ...]
    context_window: int | None
    max_output_tokens: int | None
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]
    capabilities: Capabilities
    features: tuple[str, ...]
    served_from: str | None
    new: bool
    native_inference: bool
    api_status: str
    pricing: tuple[PriceRow, ...]
    discounts: tuple[Discount, ...]
    parameters: tuple[Parameter, ...]
    examples: tuple[Example, ...]
    notes: tuple[str, ...]
    source: Path
    profile: str = ""
    withheld: frozenset[str] = frozenset()  # profile parameters this model does not accept

    @property
    def url(self) -> str:
        return f"models/{self.id}.md"

    def parameter(self, name: str) -> Parameter | None:
        """The parameter called `name` (or one of its aliases)."""
        for p in self.parameters:
            if name == p.name or name in p.aliases:
                return p
        return None

    def rows(self, direction: str) -> list[PriceRow]:
        return [r for r in self.pricing if r.direction == direction and r.derived is None]

    @property
    def headline(self) -> PriceRow:
        """The row a reader compares first: the lowest-tier input rate, or else the first rate."""
        inputs = self.rows("input")
        return inputs[0] if inputs else self.pricing[0]

    @property
    def token_pair_cost(self) -> Decimal | None:
        """Cost of 1M input plus 1M output tokens at the lowest tier, where both are token-priced."""
        ins = [r for r in self.rows("input") if r.unit == "token" and r.amount_max is None]
        outs = [r for r in self.rows("output") if r.unit == "token" and r.amount_max is None]
        if not ins or not outs:
            return None
        return tidy(ins[0].per_million() + outs[0].per_million())  # type: ignore[operator]

    def video_cost(self, seconds: int, resolution: str) -> Decimal | None:
        """Cheapest listed cost of a video of `seconds` at `resolution`, where the rows allow it."""
        res = resolution.lower()
        costs = []
        for r in self.pricing:
            if (r.resolution or "").lower() != res or r.amount_max is not None or r.derived:
                continue
            if r.unit == "second" and r.per == 1 and r.note != "additional fee":
                costs.append(r.amount * seconds)
            elif r.unit == "video" and r.duration_seconds == seconds:
                costs.append(r.amount)
        return tidy(min(costs)) if costs else None


@dataclass(frozen=True)
class Change:
    """One change between two catalog versions (`generator diff`), as a release records it."""

    model: str
    kind: str
    field: str = ""
    old: str = ""
    new: str = ""

    @property
    def text(self) -> str:
        """One line a reader understands without the data."""
        if self.kind == "added":
            return f"Added {self.new} (`{self.model}`)."
        if self.kind == "removed":
            return f"Removed {self.old} (`{self.model}`)."
        if self.kind in ("price_up", "price_down"):
            old, new = Decimal(self.old), Decimal(self.new)
            pct = abs(new - old) / old * 100 if old else Decimal(0)
            word = "up" if self.kind == "price_up" else "down"
            return f"`{self.model}`: {self.field} {money(old)} → {money(new)} ({word} {pct.quantize(Decimal(1))}%)."
        if self.kind == "price_added":
            return f"`{self.model}`: new rate {self.field} {money(Decimal(self.new))}."
        if self.kind == "price_removed":
            return f"`{self.model}`: rate {self.field} ({money(Decimal(self.old))}) removed."
        label = {
            "context": "context window",
            "endpoints": "endpoints",
            "capabilities": "capabilities",
            "status": "API status",
            "name": "name",
        }[self.kind]
        return f"`{self.model}`: {label} {self.old or '—'} → {self.new or '—'}."

    def as_dict(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (
                ("model", self.model),
                ("kind", self.kind),
                ("field", self.field),
                ("old", self.old),
                ("new", self.new),
            )
            if v
        }


@dataclass(frozen=True)
class Release:
    """One recorded catalog release: its date and what changed."""

    date: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Catalog:
    """Everything the site says about models, resolved and checked."""

    platform: Platform
    categories: tuple[Category, ...]
    providers: tuple[Provider, ...]
    models: tuple[Model, ...]
    digest: str = ""
    changelog: tuple[Release, ...] = ()
    _by_provider: dict[str, tuple[Model, ...]] = field(default_factory=dict, repr=False, compare=False)
    _by_id: dict[str, Model] = field(default_factory=dict, repr=False, compare=False)
    performances: dict[str, Performance] = field(default_factory=dict, repr=False, compare=False)  # by model id

    def model_changes(self, model_id: str) -> list[tuple[str, Any]]:
        """(date, change) for one model, newest first."""
        return [(r.date, c) for r in self.changelog for c in r.changes if c.model == model_id]

    def provider_models(self, slug: str) -> tuple[Model, ...]:
        return self._by_provider.get(slug, ())

    def category_models(self, slug: str) -> tuple[Model, ...]:
        return self._by_category.get(slug, ())

    @cached_property
    def _by_category(self) -> dict[str, tuple[Model, ...]]:
        return {c.slug: tuple(m for m in self.models if m.category.slug == c.slug) for c in self.categories}

    @cached_property
    def _by_headline(self) -> dict[tuple[str, str], list[tuple[Decimal, str]]]:
        """Per (category, headline unit): (headline amount, id), sorted, for nearest-price lookups."""
        out: dict[tuple[str, str], list[tuple[Decimal, str]]] = {}
        for m in self.models:
            out.setdefault((m.category.slug, m.headline.unit), []).append((m.headline.comparable, m.id))
        for rows in out.values():
            rows.sort()
        return out

    def nearest_in_price(self, model: Model, n: int) -> tuple[Model, ...]:
        """Up to `n` models of the same category and headline unit from other providers, nearest in price."""
        rows = self._by_headline.get((model.category.slug, model.headline.unit), [])
        price = model.headline.comparable
        i = bisect.bisect_left(rows, (price, model.id))
        lo, hi = i - 1, i + 1
        found: list[Model] = []
        while len(found) < n and (lo >= 0 or hi < len(rows)):
            left = rows[lo] if lo >= 0 else None
            right = rows[hi] if hi < len(rows) else None
            pick_left = right is None or left is not None and (price - left[0] <= right[0] - price)
            amount_id = left if pick_left else right
            assert amount_id is not None  # the loop runs while one side is left
            lo, hi = (lo - 1, hi) if pick_left else (lo, hi + 1)
            other = self._by_id[amount_id[1]]
            if other.provider.slug != model.provider.slug:
                found.append(other)
        return tuple(found)

    def model(self, model_id: str) -> Model | None:
        return self._by_id.get(model_id)

    def performance(self, model_id: str) -> Performance | None:
        """What the gateway measured of a model, when the site has a snapshot that names it."""
        return self.performances.get(model_id)
