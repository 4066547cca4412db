"""The cost calculator's rate plan: which rates `cost.estimate_cost` applies, for every input size.

The browser does the arithmetic (exact, in integers) from this plan; the plan itself is read off
`estimate_cost`, so the site's calculator and the MCP tool take their rates from one price code. The
rates `estimate_cost` picks change only where a context tier begins or ends, so the plan probes one
input size per stretch between those bounds and keeps the rates it was charged there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.model.cost import estimate_cost
from generator.model.objects import Model


@dataclass(frozen=True)
class Rate:
    amount: Decimal  # USD per `per` units
    per: int  # a power of ten (model.schema.json refuses any other): the browser divides by shifting the point


@dataclass(frozen=True)
class Stretch:
    """The rates for one request's input tokens above `above` and up to `upto` (None: unbounded)."""

    above: int  # -1 for the stretch that starts at 0 tokens
    upto: int | None
    tier: str | None  # the context tier's label, where the model has tiers
    input: Rate | None
    cached: Rate | None  # None: cached tokens pay the input rate
    output: Rate | None  # None: the model bills no output tokens
    fee: Rate | None  # a base fee per request
    fee_label: str | None
    error: str | None = None  # no rate applies here (a gap between tiers)


@dataclass(frozen=True)
class Plan:
    model_id: str
    context_window: int | None
    mode: str | None
    stretches: tuple[Stretch, ...]

    @property
    def has_cache_price(self) -> bool:
        return any(s.cached is not None for s in self.stretches)

    def as_json(self) -> dict[str, Any]:
        def rate(r: Rate | None) -> list[Any] | None:
            return None if r is None else [f"{r.amount:f}", r.per]

        return {
            "id": self.model_id,
            "context": self.context_window,
            "mode": self.mode,
            "cache": self.has_cache_price,
            "stretches": [
                {
                    "above": s.above,
                    "upto": s.upto,
                    "tier": s.tier,
                    "input": rate(s.input),
                    "cached": rate(s.cached),
                    "output": rate(s.output),
                    "fee": rate(s.fee),
                    "fee_label": s.fee_label,
                    "error": s.error,
                }
                for s in self.stretches
            ],
        }


def is_token_priced(model: Model) -> bool:
    try:
        estimate_cost(model, input_tokens=0, output_tokens=0)
    except ValueError:
        return False
    return True


def plan(model: Model) -> Plan:
    """The rate plan of a token-priced model (ValueError from `estimate_cost` for any other)."""
    bounds = {0}
    for r in model.pricing:
        if r.tier is not None:
            bounds.update(b for b in (r.tier.min, r.tier.max) if b is not None)
    if model.context_window is not None:
        bounds.add(model.context_window)
        bounds = {b for b in bounds if b <= model.context_window}
    edges = sorted(bounds)
    spans: list[tuple[int, int | None]] = [(-1, 0), *zip(edges, edges[1:], strict=False)]
    if model.context_window is None:
        spans.append((edges[-1], None))
    stretches: list[Stretch] = []
    mode = None
    for above, upto in spans:
        probe = upto if upto is not None else above + 1
        stretch, mode_here = _probe(model, above, upto, probe)
        mode = mode or mode_here
        last = stretches[-1] if stretches else None
        if last and (last.tier, last.input, last.cached, last.output, last.fee, last.error) == (
            stretch.tier,
            stretch.input,
            stretch.cached,
            stretch.output,
            stretch.fee,
            stretch.error,
        ):
            stretches[-1] = Stretch(
                last.above,
                stretch.upto,
                last.tier,
                last.input,
                last.cached,
                last.output,
                last.fee,
                last.fee_label,
                last.error,
            )
        else:
            stretches.append(stretch)
    return Plan(model.id, model.context_window, mode, tuple(stretches))


def _probe(model: Model, above: int, upto: int | None, tokens: int) -> tuple[Stretch, str | None]:
    cached_tokens = 1 if tokens >= 2 else 0  # leaves uncached tokens, so both input lines show
    try:
        e = _estimate(model, tokens, cached_tokens)
    except ValueError as error:
        if "no context tier" not in str(error):
            raise
        return Stretch(
            above, upto, None, None, None, None, None, None, "no context tier holds this many input tokens"
        ), None
    by_label = {ln.label: ln for ln in e.lines}
    fee = next((ln for ln in e.lines if ln.unit == "request"), None)

    def rate(label: str) -> Rate | None:
        ln = by_label.get(label)
        return None if ln is None else _rate(ln.rate, ln.per)

    uncached = rate("Uncached input") or rate("Input")
    tier = e.tier.label if e.tier is not None else None
    return Stretch(
        above,
        upto,
        tier,
        uncached,
        rate("Cached input"),
        rate("Output"),
        None if fee is None else _rate(fee.rate, fee.per),
        None if fee is None else fee.label,
    ), e.mode


def _estimate(model: Model, tokens: int, cached_tokens: int):
    try:
        return estimate_cost(model, input_tokens=tokens, output_tokens=1, cached_input_tokens=cached_tokens)
    except ValueError as error:
        if "no output token price" not in str(error):
            raise
        return estimate_cost(model, input_tokens=tokens, output_tokens=0, cached_input_tokens=cached_tokens)


def _rate(amount: Decimal, per: int) -> Rate:
    if per < 1 or 10 ** (len(str(per)) - 1) != per:
        raise ValueError(f"a token rate per {per} units: the calculator needs a power of ten")
    return Rate(amount, per)


def page_json(data: Any) -> str:
    """Compact, sorted JSON for a page to read; the template's autoescaping quotes it into an attribute,
    so catalog text in it stays data."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
