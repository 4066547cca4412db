"""The JSON catalog: models.json, models/<id>.json, the model table and openapi.json."""

from __future__ import annotations

import json
from typing import Any

from generator.bundles.prices import charge_direction, price_text
from generator.bundles.urls import html_url, site_url
from generator.model.objects import Catalog, Discount, Model, Parameter, PriceRow
from generator.model.performance import Percentiles, Performance
from generator.model.spec import Spec
from generator.snippets import plain

CURRENCY = "USD"  # every amount of the catalog
TIER_METRIC = "input_tokens"  # a context tier is chosen by the input tokens of one request
MODEL_TABLE = "models/index.json"


def present(data: dict[str, Any]) -> dict[str, Any]:
    """The keys of `data` that have a value (optional schema fields are left out, not null)."""
    return {k: v for k, v in data.items() if v is not None}


def decimal(amount: Any) -> str | None:
    """An exact decimal string, as the catalog wrote it: Decimal('0.040') -> '0.040'."""
    return None if amount is None else f"{amount:f}"


def normalized_per(r: PriceRow) -> int:
    """The common scale of a row: 1M for tokens, one unit otherwise."""
    return 1_000_000 if r.unit == "token" else 1


def price_json(r: PriceRow) -> dict[str, Any]:
    """One pricing row, fields in the order of the PriceRow schema."""
    tier = {**present({"min": r.tier.min, "max": r.tier.max}), "metric": TIER_METRIC} if r.tier else None
    return present(
        {
            "label": r.label,
            "mode": r.mode,
            "direction": charge_direction(r),
            "currency": CURRENCY,
            "amount": decimal(r.amount),
            "normalized_amount": float(r.comparable),
            "normalized_per": normalized_per(r),
            "amount_max": decimal(r.amount_max),
            "list_amount": decimal(r.list_amount),
            "discount_percent": r.discount_percent,
            "approximate": r.approximate,
            "unit": r.unit,
            "per": r.per,
            "tier": tier,
            "resolution": r.resolution,
            "duration_seconds": r.duration_seconds,
            "audio": r.audio,
            "points": r.points,
            "note": r.note,
            "derived": r.derived,
        }
    )


def discount_json(d: Discount) -> dict[str, Any]:
    """One discount, fields in the order of the Discount schema."""
    return present({"label": d.label, "percent": plain(d.percent), "applies_to": d.applies_to, "note": d.note})


def parameter_json(p: Parameter) -> dict[str, Any]:
    """One accepted parameter, fields in the order of the Parameter schema."""
    return present(
        {
            "name": p.name,
            "type": p.type,
            "default": plain(p.default),
            "min": plain(p.min),
            "max": plain(p.max),
            "max_items": p.max_items,
            "values": [plain(v) for v in p.values] or None,
            "required": p.required,
            "aliases": list(p.aliases) or None,
            "requires": {k: plain(v) for k, v in p.requires} or None,
            "capability": p.capability,
            "format": p.format,
            "description": p.description,
        }
    )


def percentiles_json(p: Percentiles | None) -> dict[str, Any] | None:
    return None if p is None else {"p50": plain(p.p50), "p90": plain(p.p90)}


def performance_json(perf: Performance) -> dict[str, Any]:
    """What the gateway measured of one model, with the window it covers, in the order of the
    ModelPerformance schema. Below the minimum of requests, the traffic alone: no figures."""
    out: dict[str, Any] = {
        "window": {"start": perf.window.start, "end": perf.window.end, "text": perf.window.words},
        "requests": perf.requests,
        "enough_traffic": perf.enough,
        "min_requests": perf.min_requests,
    }
    if not perf.enough:
        return out
    return present(
        {
            **out,
            "success_rate": plain(perf.success_rate),
            "latency_ms": percentiles_json(perf.latency_ms),
            "ttft_ms": percentiles_json(perf.ttft_ms),
            "output_tokens_per_second": percentiles_json(perf.output_tokens_per_second),
            "daily": [
                present(
                    {
                        "date": d.date,
                        "requests": d.requests,
                        "success_rate": plain(d.success_rate),
                        "latency_ms_p50": plain(d.latency_ms_p50),
                        "ttft_ms_p50": plain(d.ttft_ms_p50),
                        "output_tokens_per_second_p50": plain(d.output_tokens_per_second_p50),
                    }
                )
                for d in perf.daily
            ]
            or None,
        }
    )


def model_json(m: Model, site: str, perf: Performance | None = None) -> dict[str, Any]:
    """One model in the shape of GET /v1/models/{model_id}, fields in the order of the Model schema; with
    `perf`, what the gateway measured of it (the docs site's files only)."""
    out = {
        "id": m.id,
        "object": "model",
        "display_name": m.name,
        "aliases": list(m.aliases),
        "provider": m.provider.slug,
        "provider_name": m.provider.name,
        "category": m.category.slug,
        "category_name": m.category.name,
        "description": m.description,
        "url": html_url(site, m.url),
        "md_url": site + m.url,
        "json_url": f"{site}models/{m.id}.json",
        "endpoints": list(m.endpoints),
        "context_window": m.context_window,
        "max_output_tokens": m.max_output_tokens,
        "input_modalities": list(m.input_modalities),
        "output_modalities": list(m.output_modalities),
        "capabilities": m.capabilities.as_dict(),
        "features": list(m.features),
        "served_from": m.served_from,
        "new": m.new,
        "native_inference": m.native_inference,
        "api_status": m.api_status,
        "pricing_rows": [price_json(r) for r in m.pricing],
        "discounts": [discount_json(d) for d in m.discounts],
        "supported_parameters": [parameter_json(p) for p in m.parameters],
        "default_params": {p.name: plain(p.default) for p in m.parameters if p.has_default},
        "notes": list(m.notes),
    }
    if perf is not None:
        out["performance"] = performance_json(perf)
    return out


def dump(data: Any) -> str:
    """Deterministic JSON: keys in the order given, UTF-8, two-space indent."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def json_files(catalog: Catalog, spec: Spec) -> dict[str, str]:
    """models.json, models/<id>.json and openapi.json."""
    site = site_url(catalog)
    models = [model_json(m, site, catalog.performance(m.id)) for m in catalog.models]
    out = {
        "models.json": dump(
            {
                "object": "list",
                "updated": str(catalog.platform.updated),
                "catalog": catalog.digest,
                "currency": CURRENCY,
                "data": models,
            }
        )
    }
    out.update({f"models/{m['id']}.json": dump(m) for m in models})
    out[MODEL_TABLE] = dump(
        {
            "object": "list",
            "updated": str(catalog.platform.updated),
            "catalog": catalog.digest,
            "currency": CURRENCY,
            "data": [table_row(m, entry) for m, entry in zip(catalog.models, models, strict=True)],
        }
    )
    out["openapi.json"] = dump(plain(spec.data))
    return out


def table_row(m: Model, entry: dict[str, Any]) -> dict[str, Any]:
    """One line of the model table: what an agent filters and sorts by, and where the rest is."""

    def rate(direction: str) -> float | None:
        rows = [
            r
            for r in m.pricing
            if r.unit == "token" and r.derived is None and charge_direction(r) in (direction, "input_output")
        ]
        return float(rows[0].comparable) if rows else None

    return {
        "id": m.id,
        "name": m.name,
        "provider": m.provider.slug,
        "category": m.category.slug,
        "context_window": m.context_window,
        "input_usd_per_1m_tokens": rate("input"),
        "output_usd_per_1m_tokens": rate("output"),
        "price": price_text(m),
        **table_performance(entry.get("performance")),
        "api_status": m.api_status,
        "md_url": entry["md_url"],
        "json_url": entry["json_url"],
    }


def table_performance(perf: dict[str, Any] | None) -> dict[str, Any]:
    """The model table's measured figures (p50), with the window they cover; nothing for a model the snapshot
    does not name, and the traffic alone below the minimum of requests."""
    if perf is None:
        return {}
    out = {"measured": perf["window"]["text"], "requests": perf["requests"]}
    if perf["enough_traffic"]:
        out |= present(
            {
                "ttft_ms_p50": (perf.get("ttft_ms") or {}).get("p50"),
                "output_tokens_per_second_p50": (perf.get("output_tokens_per_second") or {}).get("p50"),
                "latency_ms_p50": perf["latency_ms"]["p50"],
                "success_rate": perf["success_rate"],
            }
        )
    return out
