"""The facts of catalog/platform.yaml, typed and frozen: what the pages and guides quote about the API."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    unit: str


@dataclass(frozen=True)
class RateLimits:
    requests_per_minute: int
    tokens_per_minute: int
    api_keys_per_account: int


@dataclass(frozen=True)
class VolumeBonus:
    from_: Decimal  # `from` in platform.yaml: a top-up of at least this much
    percent: Decimal


@dataclass(frozen=True)
class Billing:
    currency: str
    min_top_up: Decimal
    max_top_up: Decimal
    auto_top_up_min_threshold: Decimal
    auto_top_up_multiple: Decimal
    statement_descriptor: str
    payment_methods: tuple[str, ...]
    volume_bonuses: tuple[VolumeBonus, ...]


@dataclass(frozen=True)
class Interval:
    min: int
    max: int


@dataclass(frozen=True)
class Limits:
    http_timeout_minutes: int
    job_retention_hours: int
    poll_interval_seconds: Interval


@dataclass(frozen=True)
class Media:
    cdn_url: str
    signed_url_days: int
    retention_days: int


@dataclass(frozen=True)
class Platform:
    """The facts of catalog/platform.yaml that the pages and guides quote."""

    name: str
    updated: str
    site_name: str
    site_url: str
    website: str
    signup_url: str
    api_host: str
    api_base_url: str
    key_env: str
    key_prefix: str
    support_email: str
    discord_url: str
    repo_url: str | None
    rate_limits: RateLimits
    billing: Billing
    limits: Limits
    media: Media
    categories: tuple[Category, ...]

    @classmethod
    def of(cls, d: dict[str, Any]) -> Platform:
        """From platform.yaml's data, which its schema has checked (every key known, every one required)."""
        b, lim = d["billing"], d["limits"]
        billing = Billing(
            **{
                **b,
                "payment_methods": tuple(b["payment_methods"]),
                "volume_bonuses": tuple(VolumeBonus(v["from"], v["percent"]) for v in b["volume_bonuses"]),
            }
        )
        limits = Limits(
            lim["http_timeout_minutes"], lim["job_retention_hours"], Interval(**lim["poll_interval_seconds"])
        )
        return cls(
            **{
                **d,
                "rate_limits": RateLimits(**d["rate_limits"]),
                "billing": billing,
                "limits": limits,
                "media": Media(**d["media"]),
                "categories": tuple(Category(**c) for c in d["categories"]),
            }
        )
