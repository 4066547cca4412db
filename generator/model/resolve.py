"""Turn the validated catalog files into the resolved catalog: profiles merged, cached prices computed,
every object frozen. It reads only files `validate.catalog` passed and reports nothing."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from generator.load.catalog import Sources
from generator.load.yamlfile import YamlDoc
from generator.model.objects import (
    CAPABILITIES,
    Capabilities,
    Catalog,
    Category,
    Change,
    Discount,
    Example,
    Model,
    Parameter,
    Platform,
    PriceRow,
    Provider,
    Release,
    Tier,
)

ENDPOINT_TITLES = {
    "/v1/chat/completions": "Chat Completions",
    "/v1/responses": "Responses",
    "/v1/messages": "Anthropic Messages",
    "/v1/embeddings": "Embeddings",
    "/v1/images/generations": "Generate an image",
    "/v1/videos/generations": "Generate a video",
    "/v1/audio/speech": "Generate audio",
    "/v1/audio/transcriptions": "Transcribe audio",
    "/v1/search": "Search",
}
# The amounts a price change of the changelog carries.
CHANGE_AMOUNTS = {
    "price_up": ("old", "new"),
    "price_down": ("old", "new"),
    "price_added": ("new",),
    "price_removed": ("old",),
}


def resolve(valid: Sources) -> Catalog | None:
    """The catalog of the files that passed validation; None without a platform file."""
    if valid.platform is None:
        return None
    platform = Platform.of(valid.platform.data)
    categories = {c.slug: c for c in platform.categories}
    providers = {d.data["slug"]: _provider(d) for d in valid.providers}
    profiles = {d.data["id"]: profile_parameters(d) for d in valid.profiles}
    models = sorted(
        (_model(d, providers, profiles, categories) for d in valid.models),
        key=lambda m: (m.provider.name.lower(), m.name.lower(), m.id),
    )
    provider_list = tuple(sorted(providers.values(), key=lambda p: p.name.lower()))
    by_provider = {p.slug: tuple(m for m in models if m.provider.slug == p.slug) for p in provider_list}
    return Catalog(
        platform,
        tuple(categories.values()),
        provider_list,
        tuple(models),
        digest(valid),
        _changelog(valid.changelog),
        by_provider,
        {m.id: m for m in models},
    )


def _changelog(doc: YamlDoc | None) -> tuple[Release, ...]:
    if doc is None:
        return ()
    return tuple(Release(r["date"], tuple(Change(**c) for c in r["changes"])) for r in doc.data)


def digest(sources: Sources) -> str:
    """A content hash of every catalog file, for provenance lines."""
    h = hashlib.sha256()
    docs = [d for d in (sources.platform, sources.changelog) if d]
    docs += sources.providers + sources.profiles + sources.models
    for doc in docs:
        h.update(doc.path.relative_to(sources.root).as_posix().encode())
        h.update(doc.path.read_bytes())
    return h.hexdigest()[:16]


def _provider(doc: YamlDoc) -> Provider:
    d = doc.data
    return Provider(d["slug"], d["name"], d["description"], d.get("website"), doc.path)


def profile_parameters(doc: YamlDoc) -> list[Parameter]:
    """A profile's parameters; a name defined twice keeps its first definition."""
    seen: dict[str, Parameter] = {}
    for raw in doc.data["parameters"]:
        seen.setdefault(raw["name"], parameter(raw))
    return list(seen.values())


def parameter(raw: dict[str, Any]) -> Parameter:
    return Parameter(
        name=raw["name"],
        type=raw["type"],
        description=" ".join(raw["description"].split()),
        default=raw.get("default"),
        min=raw.get("min"),
        max=raw.get("max"),
        max_items=raw.get("max_items"),
        values=tuple(raw.get("values", ())),
        required=raw.get("required", False),
        aliases=tuple(raw.get("aliases", ())),
        requires=tuple(sorted(raw.get("requires", {}).items())),
        capability=raw.get("capability"),
        format=raw.get("format"),
    )


def merge_parameters(profile: list[Parameter], spec: dict[str, Any]) -> list[Parameter]:
    """A model's parameters: its profile's, with `set` applied, `remove` dropped and `add` appended (names
    that are not there to set or remove, or already there to add, are skipped)."""
    base = {p.name: p for p in profile}
    for name, fields in spec.get("set", {}).items():
        if name in base:
            merged = {**base[name].__dict__, **fields}
            merged["values"] = tuple(merged.get("values") or ())
            if "requires" in fields:
                merged["requires"] = tuple(sorted(fields["requires"].items()))
            base[name] = Parameter(**merged)
    for name in spec.get("remove", ()):
        base.pop(name, None)
    for raw in spec.get("add", ()):
        base.setdefault(raw["name"], parameter(raw))
    return list(base.values())


def _model(
    doc: YamlDoc, providers: dict[str, Provider], profiles: dict[str, list[Parameter]], categories: dict[str, Category]
) -> Model:
    d = doc.data
    profile = profiles[d["parameters"]["profile"]]
    params = merge_parameters(profile, d["parameters"])
    caps = d["capabilities"]
    accepted = {p.name for p in params if p.capability is None or caps.get(p.capability, False)}
    return Model(
        id=d["id"],
        name=d["name"],
        aliases=tuple(d.get("aliases", ())),
        provider=providers[d["provider"]],
        category=categories[d["category"]],
        description=" ".join(d["description"].split()),
        endpoints=tuple(d["endpoints"]),
        context_window=d["context_window"],
        max_output_tokens=d.get("max_output_tokens"),
        input_modalities=tuple(d["input_modalities"]),
        output_modalities=tuple(d["output_modalities"]),
        capabilities=Capabilities(**{c: bool(caps.get(c, False)) for c in CAPABILITIES}),
        features=tuple(d["features"]),
        served_from=d["served_from"],
        new=d["new"],
        native_inference=d["native_inference"],
        api_status=d["api_status"],
        pricing=_pricing(d),
        discounts=tuple(
            Discount(x["label"], Decimal(x["percent"]), x["applies_to"], x.get("note")) for x in d.get("discounts", ())
        ),
        parameters=tuple(p for p in params if p.name in accepted),
        examples=_examples(doc),
        notes=tuple(" ".join(n.split()) for n in d.get("notes", ())),
        source=doc.path,
        profile=d["parameters"]["profile"],
        withheld=frozenset(n for p in profile if p.name not in accepted for n in (p.name, *p.aliases)),
    )


def _examples(doc: YamlDoc) -> tuple[Example, ...]:
    return tuple(
        Example(
            e["endpoint"],
            e.get("title", ENDPOINT_TITLES.get(e["endpoint"], "Request")),
            e["body"],
            doc.path,
            doc.line(f"$.examples[{i}]"),
        )
        for i, e in enumerate(doc.data["examples"])
    )


def _pricing(d: dict[str, Any]) -> tuple[PriceRow, ...]:
    """The authored rows, then a cached row for each input token row and cache discount."""
    rows = [_row(r) for r in d["pricing"]]
    base = [r for r in rows if r.direction == "input" and r.unit == "token"]
    for disc in d.get("discounts", ()):
        factor = (Decimal(100) - Decimal(disc["percent"])) / Decimal(100)
        rows += [
            PriceRow(
                label=f"Cached {r.label[0].lower()}{r.label[1:]}",
                amount=_trim(r.amount * factor),
                unit=r.unit,
                per=r.per,
                mode=r.mode,
                direction="input",
                tier=r.tier,
                note=disc.get("note"),
                derived="cache_discount",
            )
            for r in base
        ]
    return tuple(rows)


def _row(r: dict[str, Any]) -> PriceRow:
    tier = Tier(r["tier"].get("min"), r["tier"].get("max")) if "tier" in r else None
    return PriceRow(
        label=r["label"],
        amount=Decimal(r["amount"]),
        unit=r["unit"],
        per=r.get("per", 1),
        mode=r.get("mode"),
        direction=r.get("direction"),
        amount_max=_dec(r.get("amount_max")),
        list_amount=_dec(r.get("list_amount")),
        approximate=r.get("approximate", False),
        tier=tier,
        resolution=r.get("resolution"),
        duration_seconds=r.get("duration_seconds"),
        audio=r.get("audio"),
        points=r.get("points"),
        note=r.get("note"),
    )


def _trim(x: Decimal) -> Decimal:
    """Drop trailing zeros a multiplication adds, keeping at least the original scale."""
    return Decimal(f"{x.normalize():f}")


def _dec(v: Any) -> Decimal | None:
    return None if v is None else Decimal(v)
