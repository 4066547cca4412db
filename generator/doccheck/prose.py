"""Numbers typed in prose (guides, openapi.yaml's descriptions), compared with the data that knows them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.load.yamlfile import child_path
from generator.problems import Problem, count, display_path

NUM = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?P<mult>million|thousand|(?-i:[MK]))\b)?"
SIGNED_WORDS = re.compile(r"\bsign(?:ed)?\b|\bexpir|\bvalid\b|\blinks?\b|\burls?\b", re.I)
DELETE_WORDS = re.compile(r"\bdelet|\bretain|\bretention\b|\bkept\b|\bstored\b|\bgone\b|\bremoved\b", re.I)
TIMEOUT_WORDS = re.compile(r"\btime ?out\b|\btimed out\b|\b(?:held|stays?|kept) open\b", re.I)
JOB_STATE_WORDS = re.compile(r"\bkept\b|\bstate\b|\bretain", re.I)


@dataclass(frozen=True)
class Fact:
    value: Any
    text: str  # how the data says it, e.g. "2,000,000 tokens per minute"
    source: str  # where, e.g. "catalog/platform.yaml: rate_limits.tokens_per_minute"


@dataclass(frozen=True)
class Rule:
    fact: str
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None = None  # the clause must match this
    exclude: re.Pattern[str] | None = None  # and must not match this
    guides_only: bool = False  # counts: not in the API reference, where a number may be about a subset


RULES = (
    Rule("models", re.compile(NUM + r"\s+(?:AI\s+)?model(?:s| pages)\b", re.I), guides_only=True),
    Rule("providers", re.compile(NUM + r"\s+provider(?:s| pages)\b", re.I), guides_only=True),
    Rule("rpm", re.compile(NUM + r"\s*(?:RPM\b|requests? (?:per|a|each) minute)", re.I)),
    Rule("tpm", re.compile(NUM + r"\s*(?:TPM\b|tokens? (?:per|a|each) minute)", re.I)),
    Rule("keys", re.compile(NUM + r"\s+(?:API\s+)?keys\b", re.I)),
    Rule("signed_days", re.compile(NUM + r"[\s-]+days?\b", re.I), SIGNED_WORDS, DELETE_WORDS),
    Rule("retention_days", re.compile(NUM + r"[\s-]+days?\b", re.I), DELETE_WORDS, SIGNED_WORDS),
    Rule("timeout", re.compile(NUM + r"[\s-]+minutes?\b", re.I), TIMEOUT_WORDS),
    Rule("job_hours", re.compile(NUM + r"[\s-]+hours?\b", re.I), JOB_STATE_WORDS),
)
POLL = re.compile(r"every (?P<a>\d+)\s*(?:–|-|to)\s*(?P<b>\d+)\s*seconds", re.I)
KEY_PREFIX = re.compile(r"\bsk-[a-z0-9]+-")


def facts(catalog: Any) -> dict[str, Fact]:
    p = catalog.platform
    plat = "catalog/platform.yaml"
    rl, lim, media = p.rate_limits, p.limits, p.media
    n_models, n_prov = len(catalog.models), len(catalog.providers)
    return {
        "models": Fact(n_models, f"{n_models} models", f"catalog/models: {n_models} model files"),
        "providers": Fact(n_prov, f"{n_prov} providers", f"catalog/providers: {n_prov} provider files"),
        "rpm": Fact(
            int(rl.requests_per_minute),
            f"{int(rl.requests_per_minute):,} requests per minute",
            f"{plat}: rate_limits.requests_per_minute",
        ),
        "tpm": Fact(
            int(rl.tokens_per_minute),
            f"{int(rl.tokens_per_minute):,} tokens per minute",
            f"{plat}: rate_limits.tokens_per_minute",
        ),
        "keys": Fact(
            int(rl.api_keys_per_account),
            f"{int(rl.api_keys_per_account):,} API keys per account",
            f"{plat}: rate_limits.api_keys_per_account",
        ),
        "signed_days": Fact(
            int(media.signed_url_days),
            f"signed URLs expire after {media.signed_url_days} days",
            f"{plat}: media.signed_url_days",
        ),
        "retention_days": Fact(
            int(media.retention_days),
            f"files are deleted after {media.retention_days} days",
            f"{plat}: media.retention_days",
        ),
        "timeout": Fact(
            int(lim.http_timeout_minutes),
            f"requests time out after {lim.http_timeout_minutes} minutes",
            f"{plat}: limits.http_timeout_minutes",
        ),
        "job_hours": Fact(
            int(lim.job_retention_hours),
            f"job state is kept for {count(int(lim.job_retention_hours), 'hour')}",
            f"{plat}: limits.job_retention_hours",
        ),
        "poll": Fact(
            (int(lim.poll_interval_seconds.min), int(lim.poll_interval_seconds.max)),
            f"poll every {lim.poll_interval_seconds.min} to {lim.poll_interval_seconds.max} seconds",
            f"{plat}: limits.poll_interval_seconds",
        ),
        "key_prefix": Fact(str(p.key_prefix), f"keys start with {p.key_prefix}", f"{plat}: key_prefix"),
    }


def number(text: str, mult: str | None) -> float:
    value = float(text.replace(",", ""))
    scale = {"m": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3}.get((mult or "").lower(), 1)
    return value * scale


def plain_prose(line: str) -> str:
    """A markdown line as a reader sees it: links as their text, no emphasis or code marks."""
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
    line = re.sub(r"<[^>]+>", " ", line)
    return line.replace("**", "").replace("`", "").replace("__", "")


def clauses(sentence: str) -> list[str]:
    return [c for c in re.split(r",\s|;\s|\s+(?:and|but|while)\s+|\s[—–]\s|\|", sentence) if c.strip()]


def sentences(line: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\|", line) if s.strip()]


@dataclass(frozen=True)
class ProseFinding:
    line: int  # 1-based in the text checked
    said: str  # the text as typed, e.g. "1M TPM"
    message: str


def prose_findings(text: str, known: dict[str, Fact], *, guide: bool, names: Iterable[str] = ()) -> list[ProseFinding]:
    """Numbers in `text` (markdown without code blocks, or a description) that contradict the data."""
    subjects = [n for n in names if n]
    subject_rx = re.compile(r"\b(?:" + "|".join(map(re.escape, subjects)) + r")\b", re.I) if subjects else None
    return [
        ProseFinding(number_, said, _contradiction(said, fact))
        for number_, raw in enumerate(text.split("\n"), 1)
        for said, fact in _wrong_in_line(plain_prose(raw), known, guide, subject_rx)
    ]


def _wrong_in_line(
    line: str, known: dict[str, Fact], guide: bool, subject_rx: re.Pattern[str] | None
) -> Iterator[tuple[str, Fact]]:
    """(text as typed, the fact it contradicts) of one line of prose."""
    for m in KEY_PREFIX.finditer(line):
        if m[0] != known["key_prefix"].value:
            yield m[0], known["key_prefix"]
    for sentence in sentences(line):
        for m in POLL.finditer(sentence):
            if (int(m["a"]), int(m["b"])) != known["poll"].value:
                yield m[0], known["poll"]
        for rule in RULES:
            if rule.guides_only and not guide:
                continue
            if rule.fact in ("models", "providers") and subject_rx and subject_rx.search(sentence):
                continue  # about one provider or category, not the catalog
            yield from _wrong_by_rule(rule, sentence, known[rule.fact])


def _wrong_by_rule(rule: Rule, sentence: str, fact: Fact) -> Iterator[tuple[str, Fact]]:
    for part in clauses(sentence) if rule.context else [sentence]:
        if rule.context and not rule.context.search(part):
            continue
        if rule.exclude and rule.exclude.search(part):
            continue
        for m in rule.pattern.finditer(part):
            if number(m["n"], m["mult"]) != fact.value:
                yield m[0].strip(), fact


def _contradiction(said: str, fact: Fact) -> str:
    return f"prose says {said!r} but the data says {fact.text} ({fact.source})"


def key_prefix_only(code: str, known: dict[str, Fact]) -> list[ProseFinding]:
    """Key prefixes that are not the platform's, in text that is not prose (code, any string)."""
    fact = known["key_prefix"]
    return [
        ProseFinding(i, m[0], _contradiction(m[0], fact))
        for i, line in enumerate(code.split("\n"), 1)
        for m in KEY_PREFIX.finditer(line)
        if m[0] != fact.value
    ]


# ------------------------------------------------------------------------------------------ openapi.yaml


def spec_strings(data: Any, path: str = "$") -> Iterator[tuple[str, str, str]]:
    """(json path, key, text) of every string of the OpenAPI document."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for k, v in items:
        sub = child_path(path, k)
        if isinstance(v, str):
            yield sub, str(k) if isinstance(data, dict) else "", v
        else:
            yield from spec_strings(v, sub)


def spec_prose(spec: Any, known: dict[str, Fact], names: list[str]) -> list[Problem]:
    """Numbers in openapi.yaml's descriptions, summaries and example error messages; key prefixes in
    every string."""
    out: list[Problem] = []
    raw = spec.doc.path.read_text("utf-8").split("\n") if spec.doc.path.is_file() else []
    file = display_path(spec.doc.path)
    for path, key, text in spec_strings(spec.data):
        if key in ("description", "summary", "message"):
            found = prose_findings(text, known, guide=False, names=names)
        else:
            found = key_prefix_only(text, known)
        for pf in found:
            start = spec.doc.line(path)
            out.append(Problem(file, _raw_line(raw, start, text, pf), pf.message))
    return out


def _raw_line(raw: list[str], start: int, text: str, pf: ProseFinding) -> int:
    """The line of openapi.yaml holding a finding of the string that starts on line `start`."""
    span = range(max(start - 1, 0), min(start - 1 + text.count("\n") + 3, len(raw)))
    number_ = re.match(r"[\d,.]+", pf.said)
    for i in span:
        if pf.said in raw[i]:
            return i + 1
    for i in span:
        if number_ and number_[0] in raw[i]:
            return i + 1
    return start
