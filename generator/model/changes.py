"""Compare two catalogs (directories or published models.json files) and record the differences."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.load.yamlfile import load_yaml
from generator.model.objects import Catalog, Change, PriceRow, Tier
from generator.problems import BuildError, count


@dataclass(frozen=True)
class Facts:
    """What a changelog compares of one model."""

    name: str
    context_window: int | None
    endpoints: tuple[str, ...]
    capabilities: frozenset[str]
    api_status: str
    prices: dict[str, Decimal]


def price_key(row: PriceRow) -> str:
    return f"{row.name} ({row.spec})"


def facts_of_catalog(catalog: Catalog) -> dict[str, Facts]:
    return {
        m.id: Facts(
            m.name,
            m.context_window,
            m.endpoints,
            frozenset(k for k, v in m.capabilities.as_dict().items() if v),
            m.api_status,
            {price_key(r): r.amount for r in m.pricing if r.derived is None},
        )
        for m in catalog.models
    }


def _row_from_json(d: dict[str, Any]) -> PriceRow:
    tier = d.get("tier")
    return PriceRow(
        label=d["label"],
        amount=Decimal(d["amount"]),
        unit=d["unit"],
        per=d.get("per", 1),
        mode=d.get("mode"),
        tier=Tier(tier.get("min"), tier.get("max")) if tier else None,
        note=d.get("note"),
        derived=d.get("derived"),
    )


def facts_of_models_json(data: dict[str, Any]) -> dict[str, Facts]:
    out = {}
    for m in data["data"]:
        rows = [_row_from_json(r) for r in m.get("pricing_rows", [])]
        out[m["id"]] = Facts(
            m.get("display_name", m["id"]),
            m.get("context_window"),
            tuple(m.get("endpoints", ())),
            frozenset(k for k, v in m.get("capabilities", {}).items() if v),
            m.get("api_status", ""),
            {price_key(r): r.amount for r in rows if r.derived is None},
        )
    return out


def facts_of_models_json_file(path: Path) -> dict[str, Facts]:
    """A published models.json."""
    try:
        return facts_of_models_json(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as err:
        from generator.problems import Problem

        raise BuildError([Problem(str(path), 0, f"not a catalog directory or a models.json file: {err}")]) from None


def diff(old: dict[str, Facts], new: dict[str, Facts]) -> list[Change]:
    """Every change from `old` to `new`, models in id order."""
    changes: list[Change] = []
    for mid in sorted(old.keys() | new.keys()):
        a, b = old.get(mid), new.get(mid)
        if b is not None and a is None:
            changes.append(Change(mid, "added", new=b.name))
            continue
        if a is not None and b is None:
            changes.append(Change(mid, "removed", old=a.name))
            continue
        assert a is not None and b is not None  # the id is in one of the two
        if a.name != b.name:
            changes.append(Change(mid, "name", old=a.name, new=b.name))
        for key in sorted(a.prices.keys() | b.prices.keys()):
            pa, pb = a.prices.get(key), b.prices.get(key)
            if pa is None:
                changes.append(Change(mid, "price_added", key, new=f"{pb:f}"))
            elif pb is None:
                changes.append(Change(mid, "price_removed", key, old=f"{pa:f}"))
            elif pa != pb:
                changes.append(Change(mid, "price_up" if pb > pa else "price_down", key, f"{pa:f}", f"{pb:f}"))
        if a.context_window != b.context_window:
            changes.append(Change(mid, "context", old=_tokens(a.context_window), new=_tokens(b.context_window)))
        if a.endpoints != b.endpoints:
            changes.append(Change(mid, "endpoints", old=", ".join(a.endpoints), new=", ".join(b.endpoints)))
        if a.capabilities != b.capabilities:
            changes.append(
                Change(
                    mid, "capabilities", old=", ".join(sorted(a.capabilities)), new=", ".join(sorted(b.capabilities))
                )
            )
        if a.api_status != b.api_status:
            changes.append(Change(mid, "status", old=a.api_status, new=b.api_status))
    return changes


def _tokens(n: int | None) -> str:
    return "" if n is None else f"{n:,}"


@dataclass(frozen=True)
class Recorded:
    """What `record` did: the release it wrote, the one of that date it replaced, the `updated` it set."""

    replaced: int | None  # the number of changes of the release of that date it replaced
    updated: str | None  # the new `updated` of platform.yaml, when the release is newer


def record(catalog_dir: Path, date: str, changes: list[Change]) -> Recorded:
    """Write the release of `date` into <catalog>/changelog.yaml, newest first, keeping its header comments.
    A release of the same date is replaced, never repeated: recording twice gives the same file. When the
    release is newer than `updated` in platform.yaml, `updated` becomes its date."""
    changelog = catalog_dir / "changelog.yaml"
    lines = changelog.read_text("utf-8").splitlines() if changelog.exists() else []
    header = list(itertools.takewhile(lambda l: l.startswith("#"), lines))
    releases = _releases(changelog, lines) if changelog.exists() else {}
    replaced = releases.pop(date, None)
    entry = [f"- date: {date}", "  changes:"] + [
        "    - " + json.dumps(c.as_dict(), ensure_ascii=False) for c in changes
    ]
    releases[date] = (entry, len(changes))
    body = [line for d in sorted(releases, reverse=True) for line in releases[d][0]]
    changelog.write_text("\n".join(header + body) + "\n", "utf-8")
    return Recorded(replaced[1] if replaced else None, _set_updated(catalog_dir / "platform.yaml", date))


def _releases(changelog: Path, lines: list[str]) -> dict[str, tuple[list[str], int]]:
    """The text of each release of a changelog, by date, and its number of changes."""
    doc = load_yaml(changelog)
    if not isinstance(doc.data, list):
        return {}
    starts = [doc.line(f"$[{i}]") - 1 for i in range(len(doc.data))] + [len(lines)]
    return {
        str(r["date"]): (lines[a:b], len(r.get("changes") or ()))
        for r, a, b in zip(doc.data, starts, starts[1:], strict=False)
    }


_UPDATED = re.compile(r"^updated:[ \t]*(\S+)", re.M)


def _set_updated(platform: Path, date: str) -> str | None:
    """Move `updated:` in platform.yaml forward to `date`, keeping the line's comment; None if not older."""
    text = platform.read_text("utf-8") if platform.exists() else ""
    found = _UPDATED.search(text)
    if not found or found[1].strip("'\"") >= date:
        return None
    platform.write_text(text[: found.start(1)] + date + text[found.end(1) :], "utf-8")
    return date


def changelog_json(catalog: Catalog) -> str:
    """changelog.json: every release, newest first, with each change as data and as a sentence."""
    data = {
        "object": "changelog",
        "catalog": catalog.platform.name,
        "updated": str(catalog.platform.updated),
        "releases": [
            {"date": r.date, "changes": [{**c.as_dict(), "text": c.text} for c in r.changes]} for r in catalog.changelog
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def changelog_atom(catalog: Catalog) -> str:
    """An Atom feed of the releases; timestamps are the release dates, never the clock."""
    from xml.sax.saxutils import escape

    p = catalog.platform
    base = p.site_url
    updated = (catalog.changelog[0].date if catalog.changelog else str(p.updated)) + "T00:00:00Z"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{escape(p.site_name)}: catalog changes</title>",
        f"  <id>{escape(base)}changelog/</id>",
        f'  <link href="{escape(base)}changelog/"/>',
        f'  <link rel="self" href="{escape(base)}changelog.xml"/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(p.name)}</name></author>",
    ]
    for r in catalog.changelog:
        items = "".join(f"<li>{_inline_html(c.text)}</li>" for c in r.changes)
        out += [
            "  <entry>",
            f"    <title>{count(len(r.changes), 'catalog change')} on {r.date}</title>",
            f"    <id>{escape(base)}changelog/#{r.date}</id>",
            f'    <link href="{escape(base)}changelog/"/>',
            f"    <updated>{r.date}T00:00:00Z</updated>",
            f'    <content type="html">{escape("<ul>" + items + "</ul>")}</content>',
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


_CODE_SPAN = re.compile(r"`([^`]+)`")


def _inline_html(text: str) -> str:
    """A change's sentence as HTML: escaped, its `code` spans as <code> (the only markup a change writes)."""
    from html import escape

    return _CODE_SPAN.sub(r"<code>\1</code>", escape(text, quote=False))
