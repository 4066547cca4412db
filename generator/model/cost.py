"""What a request costs: the one price code behind the site's calculator and the MCP `estimate_cost` tool.

Prices come from the resolved `PriceRow`s of a `Model` (cached prices included, as `resolve` computes
them), and the arithmetic is exact `Decimal` throughout: no float ever touches a price.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.model.objects import Model, PriceRow, Tier, compact


@dataclass(frozen=True)
class Line:
    """One priced part of an estimate: `quantity` units at `rate` per `per` units, for every request."""

    label: str
    quantity: int
    unit: str
    rate: Decimal
    per: int
    cost: Decimal  # USD, all requests


@dataclass(frozen=True)
class Estimate:
    """The exact cost of `requests` identical requests, and the lines it is the sum of."""

    model: str
    requests: int
    mode: str | None  # the pricing mode the rates were taken from, where the model has several
    tier: Tier | None  # the context tier the input tokens of one request fall in
    lines: tuple[Line, ...]
    total: Decimal  # USD, exact
    not_included: tuple[str, ...] = ()  # usage-priced rows the token counts cannot tell (tool calls...)

    @property
    def per_request(self) -> Decimal:
        return self.total / self.requests if self.requests else Decimal(0)


def estimate_cost(
    model: Model,
    *,
    input_tokens: int,
    output_tokens: int,
    cached_input_tokens: int = 0,
    requests: int = 1,
    mode: str | None = None,
) -> Estimate:
    """The cost of `requests` requests of `input_tokens` (cached ones included) and `output_tokens` each.

    The context tier is picked from the input tokens of one request. `mode` picks one of the model's
    pricing modes (Nova Pro's "Latency Optimized", Sonar's "High Context" base fee); the first listed
    mode is used when it is None.
    """
    _check_counts(input_tokens, output_tokens, cached_input_tokens, requests)
    tokens = _token_rows(model)
    all_fees = [r for r in model.pricing if _is_base_fee(r)]
    covered = {id(r) for r in (*tokens, *all_fees)}
    _check_modes(model, mode)
    tokens = _in_mode(tokens, mode)
    if model.context_window is not None and input_tokens > model.context_window:
        raise ValueError(
            f"input_tokens ({input_tokens}) exceed the context window of {model.id} "
            f"({compact(model.context_window)} tokens)"
        )
    tokens = _in_tier(model, tokens, input_tokens)
    tier = next((r.tier for r in tokens if r.tier is not None), None)
    inputs = [r for r in tokens if r.direction in ("input", None) and r.derived is None]
    outputs = [r for r in tokens if r.direction in ("output", None) and r.derived is None]
    cached = [r for r in tokens if r.derived == "cache_discount"]
    if output_tokens and not outputs:
        raise ValueError(f"{model.id} has no output token price (it bills input tokens only); set output_tokens to 0")
    fees = _in_mode(all_fees, mode)
    lines = _lines(
        inputs[:1],
        cached[:1] if cached_input_tokens else [],
        outputs[:1],
        fees[:1],
        (input_tokens - cached_input_tokens if cached else input_tokens, cached_input_tokens, output_tokens),
        requests,
    )
    chosen = {id(r) for r in (*inputs[:1], *cached[:1], *outputs[:1], *fees[:1])}
    used_modes = sorted({r.mode for r in model.pricing if id(r) in chosen and r.mode})
    left = tuple(r.name for r in model.pricing if r.derived is None and id(r) not in covered)
    total = sum((ln.cost for ln in lines), Decimal(0))
    return Estimate(
        model=model.id,
        requests=requests,
        mode=", ".join(used_modes) or None,
        tier=tier,
        lines=tuple(ln for ln in lines if ln.quantity or ln.unit == "request"),
        total=total,
        not_included=left,
    )


def _check_counts(input_tokens: int, output_tokens: int, cached_input_tokens: int, requests: int) -> None:
    """Whole, non-negative counts, and no more cached input tokens than input tokens."""
    counts = {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cached_input_tokens": cached_input_tokens,
        "requests": requests,
    }
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be a whole number, not {value!r}")
        if value < 0:
            raise ValueError(f"{name} must not be negative (got {value})")
    if cached_input_tokens > input_tokens:
        raise ValueError(
            f"cached_input_tokens ({cached_input_tokens}) cannot exceed input_tokens "
            f"({input_tokens}): input_tokens counts every input token, cached ones included"
        )


def _lines(
    inputs: list[PriceRow],
    cached: list[PriceRow],
    outputs: list[PriceRow],
    fees: list[PriceRow],
    tokens: tuple[int, int, int],
    requests: int,
) -> list[Line]:
    """One line per rate that applies: (uncached) input, cached input, output, the base fee. `tokens` are
    the uncached input, cached input and output tokens of one request."""
    uncached, cached_tokens, output = tokens
    label = "Uncached input" if cached else "Input"
    return [
        *(_line(r, uncached, requests, label) for r in inputs),
        *(_line(r, cached_tokens, requests, "Cached input") for r in cached),
        *(_line(r, output, requests, "Output") for r in outputs),
        *(_line(r, 1, requests, r.name) for r in fees),
    ]


def _token_rows(model: Model) -> list[PriceRow]:
    """The model's token rates; a model without input token rates is not token-priced."""
    rows = [r for r in model.pricing if r.unit == "token" and r.direction in ("input", "output")]
    if not any(r.direction == "input" for r in rows):
        # An undirected token rate whose label names both directions prices every token ("Input & Output Tokens").
        both = [
            r
            for r in model.pricing
            if r.unit == "token" and r.direction is None and "input" in r.label.lower() and "output" in r.label.lower()
        ]
        if both:
            return both
        units = sorted({PriceRow("", Decimal(0), r.unit).per_text.removeprefix("per ") for r in model.pricing})
        raise ValueError(
            f"{model.id} is not token-priced (it is priced per {', per '.join(units)}); "
            f"estimate_cost needs a model with input token prices"
        )
    return rows


def _check_modes(model: Model, mode: str | None) -> None:
    if mode is None:
        return
    modes = list(dict.fromkeys(r.mode for r in model.pricing if r.mode))
    if mode not in modes:
        known = f"one of: {', '.join(modes)}" if modes else "no mode (it has a single price list)"
        raise ValueError(f"{model.id} has no pricing mode {mode!r}; use {known}")


def _in_mode(rows: list[PriceRow], mode: str | None) -> list[PriceRow]:
    """The rows of `mode` (or of the first listed mode), where the rows have modes at all."""
    modes = list(dict.fromkeys(r.mode for r in rows if r.mode))
    if not modes:
        return rows
    pick = mode if mode in modes else modes[0]
    return [r for r in rows if r.mode in (pick, None)]


def _in_tier(model: Model, rows: list[PriceRow], input_tokens: int) -> list[PriceRow]:
    """The rows whose context tier holds `input_tokens` (rows without a tier always apply)."""
    tiers = [r.tier for r in rows if r.tier is not None]
    if not tiers:
        return rows
    inside = [r for r in rows if r.tier is None or _holds(r.tier, input_tokens)]
    if not any(r.tier is not None for r in inside):
        labels = ", ".join(dict.fromkeys(t.label for t in tiers))
        raise ValueError(f"input_tokens ({input_tokens}) fall in no context tier of {model.id} ({labels})")
    return inside


def _holds(tier: Tier, tokens: int) -> bool:
    above_min = tier.min is None or tokens > tier.min
    below_max = tier.max is None or tokens <= tier.max
    return above_min and below_max


def _is_base_fee(row: PriceRow) -> bool:
    return row.unit == "request" and row.direction is None


def _line(row: PriceRow, quantity: int, requests: int, label: str) -> Line:
    cost = row.amount * quantity * requests / Decimal(row.per)
    return Line(label=label, quantity=quantity, unit=row.unit, rate=row.amount, per=row.per, cost=cost)
