"""A model's Performance section: its figures in words and numbers, and a small chart of each by day, laid
out here for an inline SVG (drawn at build time; the template only places it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from generator.model.performance import Day, Percentiles, Performance, day_words

CHART_WIDTH, CHART_HEIGHT, PAD = 260, 72, 6


def ms(value: Decimal) -> str:
    """310 -> '310 ms', 1650 -> '1,650 ms', 12.5 -> '12.5 ms'."""
    return f"{number(value)} ms"


def speed(value: Decimal) -> str:
    return f"{number(value)} tokens/s"


def percent(rate: Decimal) -> str:
    """0.9991 -> '99.91%': rounded down to a hundredth of a percent, so a rate below 1 never reads 100%."""
    shown = (rate * 100).quantize(Decimal("0.01"), rounding=ROUND_DOWN).normalize()
    return f"{shown:f}%"


def count(n: int) -> str:
    return f"{n:,}"


def number(value: Decimal) -> str:
    value = Decimal(value).normalize()
    whole = int(value)
    frac = f"{value:f}".partition(".")[2]
    return f"{whole:,}" + (f".{frac}" if frac else "")


@dataclass(frozen=True)
class Row:
    """One figure of the section: 'Time to first token', '310 ms', '680 ms' ('' when it has no p90)."""

    label: str
    p50: str
    p90: str


@dataclass(frozen=True)
class Chart:
    """One figure by day, placed on a small SVG; `text` carries the same numbers in words."""

    title: str  # "Latency (p50) by day"
    points: tuple[tuple[float, float], ...]
    low: str  # the lowest and highest values, labelled on the chart
    high: str
    first: str  # the first and last days, labelled under it
    last: str
    text: str  # "26 Nov 2026: 800 ms; 27 Nov 2026: 812 ms; ..."
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{x},{y}" for x, y in self.points)


@dataclass(frozen=True)
class DayRow:
    day: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class PerformanceView:
    window: str  # "measured over 7 days to 3 Dec 2026"
    requests: str
    enough: bool
    min_requests: str
    rows: tuple[Row, ...]
    charts: tuple[Chart, ...]
    day_columns: tuple[str, ...]
    days: tuple[DayRow, ...]


# (label, how a day's value reads, the Day field) of each chart and daily column, in order
SERIES = (
    ("Requests", count, "requests"),
    ("Success rate", percent, "success_rate"),
    ("Latency (p50)", ms, "latency_ms_p50"),
    ("Time to first token (p50)", ms, "ttft_ms_p50"),
    ("Output tokens/s (p50)", speed, "output_tokens_per_second_p50"),
)


def _pair(label: str, p: Percentiles | None, show) -> list[Row]:
    return [] if p is None else [Row(label, show(p.p50), show(p.p90))]


def rows(perf: Performance) -> tuple[Row, ...]:
    """The figures: p50 and p90 where the snapshot has both, then the success rate and the traffic."""
    return (
        *_pair("Time to first token", perf.ttft_ms, ms),
        *_pair("Output speed", perf.output_tokens_per_second, speed),
        *_pair("Latency (whole request)", perf.latency_ms, ms),
        Row("Success rate", percent(perf.success_rate), ""),
        Row("Requests", count(perf.requests), ""),
    )


def short_day(text: str) -> str:
    return day_words(date.fromisoformat(text))


def chart(title: str, days: tuple[Day, ...], field: str, show) -> Chart | None:
    """A line of one figure by day, on its own vertical scale (lowest at the bottom); None under two days."""
    values = [(d.date, Decimal(v)) for d in days if (v := getattr(d, field)) is not None]
    if len(values) < 2:
        return None
    low, high = min(v for _, v in values), max(v for _, v in values)
    span = high - low or Decimal(1)
    left, right, top, bottom = PAD, CHART_WIDTH - PAD, 14, CHART_HEIGHT - 16
    step = (right - left) / (len(values) - 1)
    points = tuple(
        (round(left + i * step, 1), round(bottom - float((v - low) / span) * (bottom - top), 1))
        for i, (_, v) in enumerate(values)
    )
    text = "; ".join(f"{short_day(day)}: {show(v)}" for day, v in values)
    return Chart(title, points, show(low), show(high), short_day(values[0][0]), short_day(values[-1][0]), text)


def performance_view(perf: Performance | None) -> PerformanceView | None:
    """What a model page shows of its measurements; None for a model the snapshot does not name."""
    if perf is None:
        return None
    series = [s for s in SERIES if any(getattr(d, s[2]) is not None for d in perf.daily)]
    charts = tuple(c for label, show, field in series if (c := chart(label + " by day", perf.daily, field, show)))
    days = tuple(
        DayRow(
            short_day(d.date),
            tuple("—" if (v := getattr(d, field)) is None else show(v) for _, show, field in series),
        )
        for d in perf.daily
    )
    return PerformanceView(
        perf.window.words,
        count(perf.requests),
        perf.enough,
        count(perf.min_requests),
        rows(perf) if perf.enough else (),
        charts if perf.enough else (),
        tuple(label for label, _, _ in series) if perf.enough else (),
        days if perf.enough else (),
    )


def performance_note(perf: Performance) -> str:
    """One line for an agent's model list: 'p50 310 ms to first token, 182.5 tokens/s, 820 ms latency,
    99.91% success (measured over 7 days to 3 Dec 2026, 182,340 requests)'."""
    traffic = f"{perf.window.words}, {count(perf.requests)} requests"
    if not perf.enough:
        return f"not enough traffic to measure ({traffic})"
    parts = []
    if perf.ttft_ms:
        parts.append(f"{ms(perf.ttft_ms.p50)} to first token")
    if perf.output_tokens_per_second:
        parts.append(speed(perf.output_tokens_per_second.p50))
    parts += [f"{ms(perf.latency_ms.p50)} latency", f"{percent(perf.success_rate)} success"]
    return "p50 " + ", ".join(parts) + f" ({traffic})"
