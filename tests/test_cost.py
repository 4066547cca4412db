"""generator.cost: exact, tier-aware request costs, checked against sums done by hand from the catalog."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.model.cost import estimate_cost


def lines(estimate):
    return [(ln.label, ln.quantity, ln.cost) for ln in estimate.lines]


def test_plain_token_prices(catalog):
    # nova-micro-1-0: $0.040 in, $0.16 out per 1M tokens.
    e = estimate_cost(catalog.model("nova-micro-1-0"), input_tokens=10_000, output_tokens=2_000, requests=100)
    assert lines(e) == [("Input", 10_000, Decimal("0.04")), ("Output", 2_000, Decimal("0.032"))]
    assert e.total == Decimal("0.072")
    assert e.per_request == Decimal("0.00072")
    assert e.tier is None and e.mode is None
    assert e.not_included == ("Web Search (Linkup)",)


def test_cached_input_gets_the_cache_discount(catalog):
    # 44% off $0.040 is $0.0224 per 1M cached tokens; 6,000 of the 10,000 input tokens are not cached.
    e = estimate_cost(catalog.model("nova-micro-1-0"), input_tokens=10_000, output_tokens=2_000,
                      cached_input_tokens=4_000)
    assert lines(e) == [("Uncached input", 6_000, Decimal("0.00024")), ("Cached input", 4_000, Decimal("0.0000896")),
                        ("Output", 2_000, Decimal("0.00032"))]
    assert e.total == Decimal("0.0006496")


def test_cached_tokens_without_a_discount_pay_the_input_price(catalog):
    e = estimate_cost(catalog.model("qwen3-max"), input_tokens=1_000, output_tokens=0, cached_input_tokens=500)
    assert lines(e) == [("Input", 1_000, Decimal("0.00108"))]


def test_the_tier_is_picked_from_one_request_input_tokens(catalog):
    qwen = catalog.model("qwen3-max")  # $1.08/$5.52 up to 32K, $2.16/$11.04 to 128K, $2.70/$13.80 to 256K
    e = estimate_cost(qwen, input_tokens=100_000, output_tokens=1_000, requests=3)
    assert e.tier.label == "32K–128K"
    assert lines(e) == [("Input", 100_000, Decimal("0.648")), ("Output", 1_000, Decimal("0.03312"))]
    assert e.total == Decimal("0.68112")
    at_bound = estimate_cost(qwen, input_tokens=32_000, output_tokens=1_000)
    assert at_bound.tier.label == "≤32K"
    assert at_bound.total == Decimal("0.03456") + Decimal("0.00552")
    above = estimate_cost(qwen, input_tokens=32_001, output_tokens=0)
    assert above.total == Decimal("0.06912216")


def test_a_base_fee_is_added_per_request_in_the_chosen_mode(catalog):
    sonar = catalog.model("perplexity-sonar-pro")  # base fee $0.014/$0.024/$0.034; $0.0072 in, $0.036 out per 1K
    e = estimate_cost(sonar, input_tokens=1_000, output_tokens=500, requests=10)
    assert e.mode == "Low Context"
    assert lines(e) == [("Input", 1_000, Decimal("0.072")), ("Output", 500, Decimal("0.18")),
                        ("Base Fee (Low Context)", 1, Decimal("0.14"))]
    assert e.total == Decimal("0.392")
    high = estimate_cost(sonar, input_tokens=1_000, output_tokens=500, mode="High Context")
    assert high.total == Decimal("0.0592")


def test_one_rate_for_input_and_output_tokens(catalog):
    # perplexity-sonar: "Input & Output Tokens" $0.0024 per 1K, base fee $0.012 (low context).
    e = estimate_cost(catalog.model("perplexity-sonar"), input_tokens=1_000, output_tokens=1_000)
    assert e.total == Decimal("0.0168")


def test_a_token_mode(catalog):
    nova_pro = catalog.model("nova-pro-1-0")  # Standard $0.0024/$0.0096, Latency Optimized $0.0030/$0.012 per 1K
    assert estimate_cost(nova_pro, input_tokens=1_000, output_tokens=1_000).total == Decimal("0.012")
    fast = estimate_cost(nova_pro, input_tokens=1_000, output_tokens=1_000, mode="Latency Optimized")
    assert (fast.mode, fast.total) == ("Latency Optimized", Decimal("0.015"))


@pytest.mark.parametrize(("model_id", "kwargs", "message"), [
    ("amazon-nova-canvas", {"input_tokens": 10, "output_tokens": 0},
     "amazon-nova-canvas is not token-priced (it is priced per image); estimate_cost needs a model with input "
     "token prices"),
    ("nova-micro-1-0", {"input_tokens": -1, "output_tokens": 0}, "input_tokens must not be negative (got -1)"),
    ("nova-micro-1-0", {"input_tokens": 1, "output_tokens": 0, "requests": -2},
     "requests must not be negative (got -2)"),
    ("nova-micro-1-0", {"input_tokens": 1.5, "output_tokens": 0}, "input_tokens must be a whole number, not 1.5"),
    ("nova-micro-1-0", {"input_tokens": 10, "output_tokens": 0, "cached_input_tokens": 11},
     "cached_input_tokens (11) cannot exceed input_tokens (10): input_tokens counts every input token, cached ones "
     "included"),
    ("qwen3-max", {"input_tokens": 300_000, "output_tokens": 0},
     "input_tokens (300000) exceed the context window of qwen3-max (256K tokens)"),
    ("nova-pro-1-0", {"input_tokens": 1, "output_tokens": 0, "mode": "Turbo"},
     "nova-pro-1-0 has no pricing mode 'Turbo'; use one of: Standard, Latency Optimized"),
    ("nova-micro-1-0", {"input_tokens": 1, "output_tokens": 0, "mode": "Turbo"},
     "nova-micro-1-0 has no pricing mode 'Turbo'; use no mode (it has a single price list)"),
])
def test_bad_arguments_are_value_errors(catalog, model_id, kwargs, message):
    with pytest.raises(ValueError) as error:
        estimate_cost(catalog.model(model_id), **kwargs)
    assert str(error.value) == message
