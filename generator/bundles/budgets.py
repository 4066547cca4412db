"""The size limits of the agent files, and what the build says of their sizes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

LLMS_BUDGET = 50_000  # characters of llms.txt, however large the catalog
PROVIDER_BUDGET = 100_000  # bytes of one providers/<slug>/llms-full.txt (or of each of its parts)
FULL_BUDGET = 400_000  # characters of llms-full.txt (about 100K tokens)
LINKED_BUDGET = 100_000  # characters of any other file llms.txt links: one fetch
PROVIDER_PART = re.compile(r"/llms-full(-\d+)?\.txt$")


@dataclass(frozen=True)
class Budgets:
    """The size limits the guides quote (the build enforces them)."""

    llms: int = LLMS_BUDGET
    full: int = FULL_BUDGET
    provider: int = PROVIDER_BUDGET
    linked: int = LINKED_BUDGET


@dataclass(frozen=True)
class Size:
    """What the bundles say of a file once it is written: its bytes and characters."""

    bytes: int
    chars: int

    @classmethod
    def of(cls, text: str) -> Size:
        return cls(len(text.encode("utf-8")), len(text))


def size_of(text: str | Size) -> Size:
    return text if isinstance(text, Size) else Size.of(text)


def size_note(text: str | Size) -> str:
    """'1.2 MB, ~310K tokens': bytes, and tokens estimated as characters / 4."""
    measured = size_of(text)
    n, t = measured.bytes, measured.chars // 4
    size = f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} KB"
    return f"{size}, ~{t // 1000:,}K tokens" if t >= 10_000 else f"{size}, ~{t:,} tokens"


def budget_of(path: str) -> tuple[int, str] | None:
    """The size limit of a bundle file: (limit, 'chars' or 'bytes'), or None for files without one."""
    if path == "llms.txt":
        return LLMS_BUDGET, "chars"
    if path == "llms-full.txt":
        return FULL_BUDGET, "chars"
    if path.startswith("providers/") and PROVIDER_PART.search(path):
        return PROVIDER_BUDGET, "bytes"
    return None


SHOWN_MOVED = 3  # paths a notice names before it counts the rest


def named(paths: list[str]) -> str:
    """The first few paths, then how many more: what a one-line notice can hold."""
    shown = ", ".join(paths[:SHOWN_MOVED])
    return shown + (f" and {len(paths) - SHOWN_MOVED:,} more" if len(paths) > SHOWN_MOVED else "")


def moved_notice(bundle: str, what: str, where: str, paths: str, limit: int, unit: str = "characters") -> str:
    """The build's one line on a bundle its budget changed: which bundle, what moved, and where to."""
    return f"{bundle}: {what} moved to {where} ({paths}) to stay within {limit:,} {unit}"


SUMMARY_ROWS = 40  # above this many bundles, the provider bundles are summed up in one entry


def summary(files: Mapping[str, str | Size]) -> str:
    """The build's bundle summary: every bundle's size against its budget, tokens estimated as characters / 4.
    A catalog with more bundles than SUMMARY_ROWS gets one entry for its provider bundles: their count and
    the largest."""
    found: dict[str, tuple[int, str]] = {}
    for path in sorted(files, key=lambda p: (p != "llms.txt", p != "llms-full.txt", p)):
        budget = budget_of(path)
        if budget:
            limit, kind = budget
            used = size_of(files[path]).chars if kind == "chars" else size_of(files[path]).bytes
            found[path] = (used, f"{path} {used:,}/{limit:,} {kind} ({size_note(files[path])})")
    providers = {p: r for p, r in found.items() if p.startswith("providers/")}
    if len(found) > SUMMARY_ROWS and providers:
        largest = max(providers, key=lambda p: (providers[p][0], p))
        found = {p: r for p, r in found.items() if p not in providers}
        found[largest] = (0, f"{len(providers):,} provider bundles, the largest {providers[largest][1]}")
    rows = [text for _, text in found.values()]
    return "bundles: " + "; ".join(rows) + " (size/budget; tokens ≈ characters / 4)"


def brief(files: Mapping[str, str | Size]) -> str:
    """The agent files in a few words, for the build's one line: their total size and the fullest bundle
    against its budget (`summary` has every bundle)."""
    total = sum(size_of(text).bytes for text in files.values())
    fullest = []
    for path, text in files.items():
        if budget := budget_of(path):
            limit, kind = budget
            used = size_of(text).chars if kind == "chars" else size_of(text).bytes
            fullest.append((used / limit, path, limit, kind))
    if not fullest:
        return f"agent files {total / 1_000_000:.1f} MB"
    share, path, limit, kind = max(fullest)
    return f"agent files {total / 1_000_000:.1f} MB, the fullest {path} at {share:.0%} of {limit:,} {kind}"
