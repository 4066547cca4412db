"""How fast and how reliable each model was, from the gateway's own measurements: a checked snapshot, as
frozen objects (validate/metrics.py checks the file; this only reads what passed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def instant(text: str) -> datetime:
    """A snapshot time ("2026-12-03T00:00:00Z"); the schema admits UTC times only."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def day_words(d: date) -> str:
    """3 Dec 2026."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


@dataclass(frozen=True)
class Window:
    """The period every figure of a snapshot covers: from start (included) to end (excluded), UTC."""

    start: str
    end: str

    @property
    def hours(self) -> Decimal:
        seconds = (instant(self.end) - instant(self.start)).total_seconds()
        return Decimal(int(seconds)) / 3600

    @property
    def length(self) -> str:
        """'7 days', '1 day', '6 hours', '36 hours'."""
        hours = self.hours
        if hours % 24 == 0:
            days = int(hours / 24)
            return f"{days} day{'s' if days != 1 else ''}"
        shown = f"{hours.normalize():f}"
        return f"{shown} hour{'s' if hours != 1 else ''}"

    @property
    def end_day(self) -> date:
        return instant(self.end).date()

    @property
    def words(self) -> str:
        """'measured over 7 days to 3 Dec 2026'."""
        return f"measured over {self.length} to {day_words(self.end_day)}"


@dataclass(frozen=True)
class Percentiles:
    p50: Decimal
    p90: Decimal


@dataclass(frozen=True)
class Day:
    """One UTC day of a model's figures; a figure the monitoring did not give is None."""

    date: str
    requests: int
    success_rate: Decimal | None = None
    latency_ms_p50: Decimal | None = None
    ttft_ms_p50: Decimal | None = None
    output_tokens_per_second_p50: Decimal | None = None


@dataclass(frozen=True)
class Performance:
    """One model's figures over its snapshot's window. With fewer requests than the site's minimum,
    `enough` is False and the figures are not shown, only the traffic they would rest on."""

    window: Window
    requests: int
    min_requests: int
    success_rate: Decimal
    latency_ms: Percentiles
    ttft_ms: Percentiles | None  # streamed token output only
    output_tokens_per_second: Percentiles | None  # streamed token output only
    daily: tuple[Day, ...] = ()

    @property
    def enough(self) -> bool:
        return self.requests >= self.min_requests


def _percentiles(raw: dict[str, Any] | None) -> Percentiles | None:
    return None if raw is None else Percentiles(Decimal(raw["p50"]), Decimal(raw["p90"]))


def _opt(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def performances(data: dict[str, Any], min_requests: int) -> dict[str, Performance]:
    """Every model's Performance from a snapshot that passed its checks, by model id."""
    window = Window(data["window"]["start"], data["window"]["end"])
    out = {}
    for model_id, raw in sorted(data["models"].items()):
        out[model_id] = Performance(
            window=window,
            requests=raw["requests"],
            min_requests=min_requests,
            success_rate=Decimal(raw["success_rate"]),
            latency_ms=_percentiles(raw["latency_ms"]),  # type: ignore[arg-type]
            ttft_ms=_percentiles(raw.get("ttft_ms")),
            output_tokens_per_second=_percentiles(raw.get("output_tokens_per_second")),
            daily=tuple(
                Day(
                    d["date"],
                    d["requests"],
                    _opt(d.get("success_rate")),
                    _opt(d.get("latency_ms_p50")),
                    _opt(d.get("ttft_ms_p50")),
                    _opt(d.get("output_tokens_per_second_p50")),
                )
                for d in raw.get("daily", [])
            ),
        )
    return out
