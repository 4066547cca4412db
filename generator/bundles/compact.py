"""Pages shortened for the bundles: what a page restates, and what an earlier page already gave, is left out."""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.bundles.markdown import blocks, drop_link_lists, first_tabs, split_at

REPEAT_CHARS = 80  # a block this long appears once per bundle
REPEAT_CELL_CHARS = 60  # and so does a table cell this long that ends its row (a parameter's description)
REPEATED_CELL = "(as described above)"
MODEL_ID_BLOCK = re.compile(r"^Model ID:\n\n```text\n[^\n]*\n```\n\n?", re.M)
# Lines of a model page that its own Specs table or its cURL requests already state (provider, category and
# context; the base URL, key variable and model id; the endpoint path): the bundles leave them out.
MODEL_RESTATED = re.compile(
    r"^(?:\[[^\]\n]+\]\([^)\s]+\) · [^\n]*|Point any client at [^\n]*|"
    r"Request fields [^\n]* accepts\. Defaults apply when a field is omitted\.|"
    r"`POST /v1/[^`\n]+`)\n\n",
    re.M,
)
# The key figures under a model's title (the Specs and Pricing tables below state each of them again).
KEY_FIGURES = re.compile(r"^(?:- [^\n]+\n)*?- Endpoints: POST [^\n]*\n\n", re.M)
FULL_DROPPED_H2 = ("FAQ", "Changes")  # facts the model's other sections already state; the changelog has changes
DERIVED_EXAMPLES = ("Streaming", "Tool calling")  # SDK patterns the API reference shows once per endpoint
FULL_DROPPED_H3 = ("Cost calculator",)  # it runs on the HTML page; the Pricing table holds the rates it uses
# The Try it console's one line (templates/partials/try-it.md.j2), kept a block of its own so that a bundle
# gives it once (drop_repeats), not glued to the heading that follows.
TRY_IT_LINE = re.compile(r"^(Try it: [^\n]*)\n(?!\n)", re.M)


def compact_model(text: str) -> str:
    """A model page for the bundles: facts, prices, parameters and one cURL request per endpoint."""
    keep = []
    for heading, piece in split_at(text, "## "):
        if heading in FULL_DROPPED_H2:
            continue
        if heading == "Pricing":
            piece = "".join(p + "\n" for h, p in split_at(piece, "### ") if h not in FULL_DROPPED_H3).rstrip("\n")
        if heading == "Example requests":
            piece = "".join(
                p if h not in DERIVED_EXAMPLES else "" for h, p in ((h, p + "\n") for h, p in split_at(piece, "### "))
            ).rstrip("\n")
        keep.append(piece)
    body = MODEL_RESTATED.sub("", MODEL_ID_BLOCK.sub("", KEY_FIGURES.sub("", "\n".join(keep), count=1)))
    body = TRY_IT_LINE.sub(r"\1\n\n", body)
    return drop_link_lists(first_tabs(body))


def compact_operation(text: str) -> str:
    """An API reference page for the bundles: every field, the first example in every SDK, the rest in cURL."""
    out = []
    for heading, piece in split_at(text, "## "):
        if heading == "Example request":
            subs = split_at(piece, "### ")
            piece = "\n".join([subs[0][1], *(p for _, p in subs[1:2]), *(first_tabs(p) for _, p in subs[2:])])
        elif heading == "Example response":  # the fields are listed above; one example shows their shape
            piece = "\n".join(p for _, p in split_at(piece, "### ")[:2])
        out.append(piece)
    return drop_link_lists(re.sub(r"\n{3,}", "\n\n", TRY_IT_LINE.sub(r"\1\n\n", "\n".join(out))))


def drop_repeats(parts: list[str], facts: Iterable[int] = (), min_chars: int = REPEAT_CHARS) -> list[str]:
    """Each part without the long blocks (paragraphs, tables, code) an earlier part already holds, and
    without the long last cells of table rows (a parameter's description) an earlier row already gave.
    The tables of the parts numbered in `facts` (model sections: two models may cost the same) stay."""
    seen: set[str] = set()
    cells: set[str] = set()
    where: dict[str, str] = {}  # a parameter table -> the first model that has it
    facts = set(facts)
    out = []
    for i, part in enumerate(parts):
        keep = []
        title = part.partition("\n")[0].removeprefix("# ")
        for block in blocks(part):
            if i in facts and block.startswith("| Parameter |"):
                if block in where:
                    keep.append(f"The same parameters as {where[block]}, above.")
                    continue
                where[block] = title
            if len(block) >= min_chars and not block.startswith("#") and not (i in facts and block.startswith("|")):
                if block in seen:
                    continue
                seen.add(block)
            if block.startswith("| "):
                block = "\n".join(short_row(row, cells) for row in block.split("\n"))
            keep.append(block)
        out.append("\n\n".join(keep) + "\n")
    return out


def short_row(row: str, seen: set[str]) -> str:
    """A table row whose long last cell was given before, with that cell pointing back to it."""
    head, sep, last = row.rstrip().removesuffix(" |").rpartition(" | ")
    if not sep or len(last) < REPEAT_CELL_CHARS or "](" in last:
        return row
    if last in seen:
        return f"{head} | {REPEATED_CELL} |"
    seen.add(last)
    return row
