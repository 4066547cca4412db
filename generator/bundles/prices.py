"""A model's prices in the words of the agent files: what each row bills, and one line per model."""

from __future__ import annotations

from generator.model.objects import UNIT_NAMES, Model, PriceRow, money


def charge_direction(r: PriceRow) -> str:
    """What a row bills, on every row: input, output, tool, or for rows the catalog leaves undirected,
    input_output (one token rate for both), base_fee (a flat fee per request) or usage (per unit made or read)."""
    if r.direction:
        return r.direction
    if r.unit == "token" and "input" in r.label.lower() and "output" in r.label.lower():
        return "input_output"
    if r.unit == "request":
        return "base_fee"
    return "usage"


def per_unit(row: PriceRow) -> str:
    """The common scale a row is quoted on in llms.txt: per 1M tokens, or per one unit."""
    return "per 1M tokens" if row.unit == "token" else f"per {UNIT_NAMES[row.unit][0]}"


def quote(row: PriceRow) -> str:
    return ("~" if row.approximate else "") + money(row.comparable)


def price_text(m: Model) -> str:
    """The model's price in one unit per kind: USD per 1M input and output tokens (lowest tier and mode) for
    token-priced models, per image, second, request... otherwise; base fees are added."""
    rows = [r for r in m.pricing if r.derived is None]
    ins = [r for r in rows if r.unit == "token" and r.direction == "input"]
    outs = [r for r in rows if r.unit == "token" and r.direction == "output"]
    both = [r for r in rows if r.unit == "token" and charge_direction(r) == "input_output"]
    fees = [r for r in rows if charge_direction(r) == "base_fee"]
    head = None
    if ins:
        text = f"{quote(ins[0])} in" + (f" / {quote(outs[0])} out" if outs else "") + " per 1M tokens"
        several = len({r.comparable for r in ins}) > 1 or len({r.comparable for r in outs}) > 1
    elif both:
        text, several = f"{quote(both[0])} per 1M tokens, input and output", len(both) > 1
    else:
        head = (
            m.headline
            if charge_direction(m.headline) != "base_fee"
            else next((r for r in rows if charge_direction(r) != "base_fee"), m.headline)
        )
        text = f"{quote(head)} {per_unit(head)}"
        several = len([r for r in rows if r.direction == head.direction and charge_direction(r) != "base_fee"]) > 1
    if fees and fees[0] is not head:
        text += f" + {'from ' if len(fees) > 1 else ''}{quote(fees[0])} base fee per request"
    return ("from " if several else "") + text
