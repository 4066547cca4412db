"""Reading the markdown the templates rendered: code blocks, front matter, sections, blocks, sentences."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import yaml

from generator.fences import code_mask, fenced_blocks

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
LINK = re.compile(r"\]\(([^()\s]+)\)")
MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
TAB_LABEL = re.compile(r"^\*\*[^*\n]+\*\*$")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`])")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter a template emitted (as data) and the text after it."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text
    return yaml.load(m[1], Loader=yaml.CSafeLoader) or {}, text[m.end() :]


def absolute_links(text: str, base: str) -> str:
    """Relative markdown links resolved against `base`, outside code: bundles are read far from the page."""
    lines = text.split("\n")
    mask = code_mask(lines)
    fix = lambda m: f"]({urljoin(base, m[1])})"  # noqa: E731
    return "\n".join(line if code else LINK.sub(fix, line) for line, code in zip(lines, mask, strict=True))


def first_tabs(text: str) -> str:
    """Keep only the first tab of each group of serialized content tabs (a **Label** line, then its block)."""
    lines = text.split("\n")
    ends = {b.first: b.last for b in fenced_blocks(lines)}
    out: list[str] = []
    i, in_group = 0, False
    while i < len(lines):
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if TAB_LABEL.match(lines[i]) and j in ends:
            if not in_group:
                out += lines[i : ends[j] + 1]
            in_group, i = True, ends[j] + 1
            continue
        in_group = in_group and not lines[i].strip()
        out.append(lines[i])
        i += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


def drop_link_lists(text: str) -> str:
    """Leave out H2 sections that only list links to other pages (more models, similar models)."""
    lines = text.split("\n")
    mask = code_mask(lines)
    starts = [i for i, (line, code) in enumerate(zip(lines, mask, strict=True)) if line.startswith("## ") and not code]
    keep = lines[: starts[0]] if starts else lines
    for start, end in zip(starts, starts[1:] + [len(lines)], strict=True):
        body = [line for line in lines[start + 1 : end] if line.strip()]
        if not body or not all(line.startswith("- [") for line in body):
            keep += lines[start:end]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(keep)).rstrip("\n") + "\n"


def split_at(text: str, prefix: str) -> list[tuple[str, str]]:
    """(heading, text) pieces of `text` cut before each line that starts with `prefix` outside code; the
    first piece, before any such heading, has heading ''."""
    lines = text.split("\n")
    mask = code_mask(lines)
    cuts = [0] + [
        i for i, (line, code) in enumerate(zip(lines, mask, strict=True)) if i and line.startswith(prefix) and not code
    ]
    pieces = []
    for start, end in zip(cuts, cuts[1:] + [len(lines)], strict=True):
        heading = lines[start][len(prefix) :].strip() if lines[start].startswith(prefix) else ""
        pieces.append((heading, "\n".join(lines[start:end])))
    return pieces


def blocks(text: str) -> list[str]:
    """Paragraphs, tables, lists and whole fenced blocks: the pieces of `text` between blank lines."""
    lines = text.split("\n")
    mask = code_mask(lines)
    out: list[str] = []
    current: list[str] = []
    for line, code in zip(lines, mask, strict=True):
        if not line.strip() and not code:
            if current:
                out.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        out.append("\n".join(current))
    return out


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph, links flattened to their text."""
    flat = MD_LINK.sub(r"\1", " ".join(text.split()))
    return SENTENCE_END.split(flat, 1)[0]


def lead(body: str) -> str:
    """The first sentence of the first paragraph after the page's H1, or '' when it opens with no prose."""
    body = body.lstrip("\n")
    if body.startswith("# "):
        body = body.partition("\n")[2]
    paras = [p for p in body.split("\n\n") if p.strip()]
    if not paras or paras[0].lstrip()[0] in "#|`-*>![<":
        return ""
    return first_sentence(paras[0])


def join_pages(parts: list[str]) -> str:
    """Pages of a bundle, separated by a thematic break."""
    return "\n---\n\n".join(p.rstrip("\n") + "\n" for p in parts)
