"""Every model fact of the platform's current bundle (seed 002) and Nova Micro's page (seed 000) is in the catalog."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

import seeds

SPEC_UNITS = {  # the bundle's Spec wording -> (unit, per)
    "per 1M tokens": ("token", 1_000_000), "per 1k tokens": ("token", 1000), "per 1K tokens": ("token", 1000),
    "per second": ("second", 1), "per image": ("image", 1), "per video": ("video", 1),
    "per request": ("request", 1), "per call": ("call", 1), "per search": ("search", 1),
    "per query": ("query", 1), "per 5 URLs": ("url", 5), "per 10 pages": ("page", 10),
    "per 1k characters": ("character", 1000), "per 1,000 words": ("word", 1000),
    "per minute of audio": ("minute", 1), "per generation": ("generation", 1), "per step": ("step", 1),
    "per task": ("task", 1), "average per task": ("task", 1), "per page": ("page", 1),
    "per page/feature": ("page", 1), "per uploaded image": ("image", 1),
    "additional fee": ("video", 1),  # the T2V surcharge, once per video on top of its per-second price
}
FIXED_UNITS = {"Per Message": "message", "Per Second": "second", "Per Minute of Audio": "minute"}
TIER = re.compile(r"^(?:≤ ?(?P<max>\d+[KM])|(?P<lo>\d+[KM])[-–](?P<hi>\d+[KM]))")

SEED_MODELS = seeds.models()


def test_seed_has_every_model_and_the_catalog_no_other(catalog):
    assert len(SEED_MODELS) == 79
    seed_ids = {m.glance["Model id"].strip("`") for m in SEED_MODELS}
    assert seed_ids == {m.id for m in catalog.models}


def test_provider_names_and_model_counts(catalog):
    by_name = {p.name: p for p in catalog.providers}
    counts = seeds.provider_counts()
    assert len(counts) == 25 == len(catalog.providers)
    for name, count in counts:
        assert name in by_name, name
        assert len(catalog.provider_models(by_name[name].slug)) == count, name


@pytest.mark.parametrize("seed", SEED_MODELS, ids=lambda s: s.heading)
def test_model_facts(catalog, seed):
    model = catalog.model(seed.glance["Model id"].strip("`"))
    assert model is not None
    assert model.provider.slug == seed.slug and model.provider.name == seed.provider
    assert model.category.name == seed.category
    assert model.endpoints[0] == seed.endpoint
    assert model.context_window == seeds.tokens(seed.context) == seeds.tokens(seed.glance["Context window"])
    region = seed.glance["Region"]
    assert model.served_from == (None if region == "—" else region)
    assert ", ".join(model.input_modalities) == seed.glance["Input modalities"]
    assert ", ".join(model.output_modalities) == seed.glance["Output modalities"]
    features = seed.glance["Features"]
    assert list(model.features) == ([] if features == "—" else features.split(", "))
    assert model.new is (seed.glance["New"] == "Yes")
    assert model.native_inference is (seed.glance["Native inference"] == "Yes")
    assert model.description == seed.description
    name_key = re.sub(r"[^a-z0-9]", "", seed.heading.lower())
    assert name_key in {re.sub(r"[^a-z0-9]", "", n.lower()) for n in (model.name, *model.aliases)}


@pytest.mark.parametrize("seed", SEED_MODELS, ids=lambda s: s.heading)
def test_every_price_row(catalog, seed):
    model = catalog.model(seed.glance["Model id"].strip("`"))
    rows = [r for r in model.pricing if r.derived is None]
    for price in seed.prices:
        if price.charge == "Notes":
            numbers = re.findall(r"\d+", price.spec + " " + price.rate)
            assert all(n in " ".join(model.notes) for n in numbers), (price, model.notes)
            continue
        if price.rate.endswith("% off"):
            percent = Decimal(price.rate.split("%")[0])
            assert any(d.percent == percent and d.label == price.charge for d in model.discounts), price
            continue
        matches = [r for r in rows if price.charge in (r.label, r.mode)]
        assert matches, f"no row labelled {price.charge!r} in {model.id}"
        found = {a for r in matches for a in (r.amount, r.amount_max, r.list_amount) if a is not None}
        for amount in price.amounts:
            assert any(amount == a and str(amount) == str(a) for a in found), (price, found)
        was = re.search(r"was \$([0-9.]+)", price.rate)
        if was:
            assert any(r.list_amount == Decimal(was[1]) for r in matches)
        unit = FIXED_UNITS.get(price.charge) if price.spec == "fixed" else None
        *qualifiers, spec = price.spec.split(", ")
        expected = (unit, 1) if unit else SPEC_UNITS.get(re.sub(r" ?\(.*\)$", "", spec))
        assert expected, f"{price}: a wording this test does not know; add it to SPEC_UNITS or FIXED_UNITS"
        assert {(r.unit, r.per) for r in matches} == {expected}, (price, matches)
        if qualifiers:  # "≤32K, per 1M tokens": the part before the unit is a context tier, and nothing else
            tier = TIER.match(qualifiers[0])
            assert len(qualifiers) == 1 and tier, f"{price}: a tier this test cannot read; extend TIER"
            want = ((None, seeds.tokens(tier["max"])) if tier["max"]
                    else (seeds.tokens(tier["lo"]), seeds.tokens(tier["hi"])))
            assert any(r.tier and (r.tier.min, r.tier.max) == want for r in matches), (price, matches)


def test_nova_micro_page_facts(catalog):
    """Seed 000 adds aliases, max output, three endpoints, cached input, Linkup search and the parameters."""
    page = seeds.NOVA_PAGE.read_text("utf-8")
    model = catalog.model("nova-micro-1-0")
    aliases = re.search(r"Also known as (.+)", page)[1].split(", ")
    assert set(aliases) <= set(model.aliases)
    assert f"{model.max_output_tokens:,}" in re.search(r"Max output\n([\d,]+) tokens", page)[1]
    assert list(model.endpoints) == re.findall(r"POST (/v1/\S+)", page)
    cached = next(r for r in model.pricing if r.derived == "cache_discount")
    assert str(cached.amount) == re.search(r"Cached input\nper 1M tokens\n\$([\d.]+)", page)[1]
    linkup = next(r for r in model.pricing if r.label == "Web Search (Linkup)")
    assert str(linkup.amount) == re.search(r"Web Search \(Linkup\)\nper call when invoked\n\$([\d.]+)", page)[1]
    table = re.search(r"ParameterTypeDefaultRange / valuesDescription\n(.*?)\n\nGood to know", page, re.S)[1]
    for line in table.splitlines():
        name = re.match(r"([a-z_]+?)(?:number|boolean|string)", line)[1]
        param = model.parameter(name)
        assert param is not None, name
        rest = line[len(name):]
        number = re.match(r"number(\d+(?:\.\d)?)(\d+) to (\d+)", rest)
        if name == "max_tokens":
            # seed 000 says 1 to 65536, above the model's own 5,000-token max output: we publish 5,000
            assert (str(param.default), str(param.min)) == number.group(1, 2)
            assert param.max == model.max_output_tokens
        elif number:
            assert param.type == "number"
            assert (str(param.default), str(param.min), str(param.max)) == number.group(1, 2, 3)
        elif rest.startswith("boolean"):
            assert param.type == "boolean" and param.default is rest[len("boolean"):].startswith("true")
        else:  # "stop": "Up to 4 strings"
            assert rest.startswith("string") and param.type == "array" and param.max_items == 4
