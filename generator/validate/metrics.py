"""The performance snapshot (the catalog plugin's `metrics` option): its schema, then the rules that span
its fields and the catalog. Every problem is reported with its line and JSON path; the clock is never read
(staleness is measured against the catalog's `updated` date)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from generator.load.jsonfile import load_json
from generator.load.yamlfile import YamlDoc, YamlError, child_path
from generator.model.objects import Catalog, Model
from generator.model.performance import Performance, instant, performances
from generator.problems import Problems
from generator.validate import schemas

MAX_BYTES = 50_000_000  # a week by day for 10,000 models is about 20 MB
PAIRS = ("latency_ms", "ttft_ms", "output_tokens_per_second")
STREAMED = ("ttft_ms", "output_tokens_per_second")


@dataclass(frozen=True)
class MetricsOptions:
    """The catalog plugin's metrics options: the snapshot, how old its window may end before the catalog's
    date, and the fewest requests a figure is shown for."""

    path: Path
    max_age_days: int = 14
    min_requests: int = 100


def streams_tokens(m: Model) -> bool:
    """Time to first token and tokens per second apply to streamed token output only."""
    return m.capabilities.streaming and "text" in m.output_modalities


def check_metrics(options: MetricsOptions, catalog: Catalog, problems: Problems) -> dict[str, Performance] | None:
    """Every problem of the snapshot; its figures by model id when it has none."""
    try:
        doc = load_json(options.path, MAX_BYTES, "fetch a fresh snapshot with scripts/fetch-metrics.py")
    except YamlError as err:
        problems.add(options.path, err.message, line=err.line)
        return None
    except OSError as err:
        problems.add(options.path, f"cannot read the metrics snapshot: {err.strerror}")
        return None
    broken = set()  # the JSON paths the schema refused: the rules below read only what it accepted
    for path, message in schemas.iter_errors(schemas.validator("metrics"), doc.data):
        problems.add(doc.path, message, line=doc.line(path), path=path)
        broken.add(path)
    if not isinstance(doc.data, dict) or "$" in broken or not isinstance(doc.data.get("models"), dict):
        return None
    rules = _Rules(doc, options, catalog, problems, broken)
    rules.run()
    if broken or rules.found:
        return None
    return performances(doc.data, options.min_requests)


class _Rules:
    def __init__(self, doc: YamlDoc, options: MetricsOptions, catalog: Catalog, problems: Problems, broken: set[str]):
        self.doc, self.options, self.catalog, self.problems = doc, options, catalog, problems
        self.broken = broken
        self.found = False

    def add(self, message: str, path: str) -> None:
        self.problems.add(self.doc.path, message, line=self.doc.line(path), path=path)
        self.found = True

    def valid(self, path: str) -> bool:
        """Whether the schema accepted everything at and below `path`."""
        return not any(
            b == path or b.startswith((path + ".", path + "[")) or path.startswith(b + ".") for b in self.broken
        )

    def time(self, path: str, text: str) -> datetime | None:
        try:
            return instant(text)
        except ValueError:
            self.add(f"{text!r} is not a real date and time; write it as 2026-12-03T00:00:00Z", path)
            return None

    def run(self) -> None:
        data = self.doc.data
        if self.valid("$.generated_at"):
            self.time("$.generated_at", data["generated_at"])
        start = end = None
        if self.valid("$.window"):
            start = self.time("$.window.start", data["window"]["start"])
            end = self.time("$.window.end", data["window"]["end"])
        window = (start, end) if start and end else None
        if start and end and end <= start:
            self.add(
                f"the window ends ({data['window']['end']}) before it starts ({data['window']['start']}): "
                "end is the later of the two",
                "$.window.end",
            )
            window = None
        if end:
            self.stale(end.date())
        for model_id, raw in data["models"].items():
            path = child_path("$.models", model_id)
            if self.catalog.model(model_id) is None or self.valid(path):
                self.model(model_id, raw, path, window)

    def stale(self, end: date) -> None:
        updated = date.fromisoformat(str(self.catalog.platform.updated))
        age = (updated - end).days
        if age > self.options.max_age_days:
            self.add(
                f"the window ended on {end}, {age} days before the catalog's updated date "
                f"({updated}, in platform.yaml); "
                f"figures older than metrics_max_age_days ({self.options.max_age_days}) are refused: "
                "export a fresh snapshot",
                "$.window.end",
            )

    def model(self, model_id: str, raw: dict[str, Any], path: str, window: tuple[datetime, datetime] | None) -> None:
        model = self.catalog.model(model_id)
        if model is None:
            close = difflib.get_close_matches(model_id, [m.id for m in self.catalog.models], n=1)
            hint = f"did you mean {close[0]!r}?" if close else "the snapshot names models by their catalog id"
            self.add(f"unknown model {model_id!r} ({hint})", path)
            return
        for key in PAIRS:
            pair = raw.get(key)
            if isinstance(pair, dict) and pair.get("p90", 0) < pair.get("p50", 0):
                self.add(
                    f"p90 ({pair['p90']}) is below p50 ({pair['p50']}); a p90 is at least its p50", f"{path}.{key}.p90"
                )
        if not streams_tokens(model):
            for key in STREAMED:
                if key in raw:
                    self.add(
                        f"{key} applies to streamed token output only, and {model_id} does not stream tokens: "
                        "remove it",
                        f"{path}.{key}",
                    )
                for i, day in enumerate(raw.get("daily", [])):
                    if f"{key}_p50" in day:
                        self.add(
                            f"{key}_p50 applies to streamed token output only, and {model_id} does not stream "
                            "tokens: remove it",
                            f"{path}.daily[{i}].{key}_p50",
                        )
        self.days(raw.get("daily", []), f"{path}.daily", window)

    def days(self, days: list[dict[str, Any]], path: str, window: tuple[datetime, datetime] | None) -> None:
        previous: date | None = None
        for i, day in enumerate(days):
            at = f"{path}[{i}].date"
            try:
                when = date.fromisoformat(day["date"])
            except ValueError:
                self.add(f"{day['date']!r} is not a real date; write it as 2026-12-03", at)
                continue
            if window:
                start, end = window
                if when < start.date() or datetime(when.year, when.month, when.day, tzinfo=end.tzinfo) >= end:
                    last = (end - timedelta(microseconds=1)).date()
                    self.add(
                        f"day {when} is outside the window ({start.date()} to {last}); "
                        "a day's figures belong to the window they were measured in",
                        at,
                    )
            if previous is not None and when <= previous:
                self.add(f"day {when} is listed after {previous}; list each day once, oldest first", at)
            previous = when
