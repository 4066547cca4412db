"""An independent reader of the platform's current docs bundle (seed 002), used to prove the catalog
carries every model fact over. It shares no code with the generator on purpose."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
BUNDLE = SEEDS / "002_1dfa6264cfcfd5c8.txt"
NOVA_PAGE = SEEDS / "000_55151747c749d148.txt"

HEAD = re.compile(
    r"# (?P<heading>\S+) \*\*Provider:\*\* \[(?P<provider>[^\]]+)\]\(/providers/(?P<slug>[^)]+)\)\\ "
    r"\*\*Category:\*\* (?P<category>[^\\]+)\\ \*\*Endpoint:\*\* `POST (?P<endpoint>[^`]+)`\\ "
    r"\*\*Context window:\*\* (?P<context>\S+)\\ \*\*Served from:\*\* (?P<rest>.*?) ## At a glance (?P<glance>.*?)"
    r" ## Pricing (?P<pricing>.*?) ## Example request")
MONEY = re.compile(r"\$([0-9][0-9,]*(?:\.[0-9]+)?)")


@dataclass
class SeedPrice:
    charge: str
    spec: str
    rate: str

    @property
    def amounts(self) -> list[Decimal]:
        return [Decimal(m.replace(",", "")) for m in MONEY.findall(self.rate)]


@dataclass
class SeedModel:
    heading: str
    provider: str
    slug: str
    category: str
    endpoint: str
    context: str
    description: str
    glance: dict[str, str]
    prices: list[SeedPrice]


def unescape(text: str) -> str:
    return text.replace("\\_", "_").replace("\\$", "$").replace("\\~", "~").strip()


def table(text: str) -> list[list[str]]:
    """Rows of a markdown table flattened onto one line, without the header and the rule."""
    rows = [r.strip().strip("|") for r in text.strip().split("| |")]
    cells = [[unescape(c) for c in r.split("|")] for r in rows]
    return [c for c in cells[2:] if any(c)] if len(cells) > 2 else []


def models() -> list[SeedModel]:
    text = BUNDLE.read_text("utf-8")
    out = []
    for m in HEAD.finditer(text):
        glance = {k: v for k, v in table(m["glance"])}
        region = glance["Region"]
        rest = m["rest"]
        description = rest[len(region):].strip() if rest.startswith(region) else rest
        prices = [SeedPrice(*row) for row in table(m["pricing"])]
        out.append(SeedModel(m["heading"], m["provider"], m["slug"], unescape(m["category"]), m["endpoint"],
                             m["context"], unescape(description), glance, prices))
    return out


def provider_counts() -> list[tuple[str, int]]:
    """(provider name, model count) in the order of the bundle's provider cards."""
    text = BUNDLE.read_text("utf-8")
    cards = re.search(r"# Providers and Models .*?pricing\. (.*?) # ", text)
    counts = [int(n) for n in re.findall(r"(\d+) models?", cards[1])]
    names = re.findall(r"# ([^#*]+?) ## Models from ", text)
    return list(zip([n.strip() for n in names], counts))


def tokens(text: str) -> int | None:
    """'256K' -> 256000, '1M' -> 1000000, '—' -> None."""
    if text == "—":
        return None
    scale = {"K": 1000, "M": 1_000_000}[text[-1]]
    return int(Decimal(text[:-1]) * scale)
