"""Text from the specs turned into markdown once: entities outside code spans, cells on one line."""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup

from generator.snippets import plain

CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


def md(text: Any) -> Markup:
    """Markdown prose from a spec: entities outside code spans, code spans verbatim."""
    out, last = [], 0
    text = str(text or "").strip()
    for m in CODE_SPAN.finditer(text):
        out += [_entities(text[last : m.start()]), m.group(0)]
        last = m.end()
    out.append(_entities(text[last:]))
    return Markup("".join(out))


def md_cell(text: Any) -> Markup:
    """Markdown for one table cell: one line, pipes escaped."""
    return Markup(" ".join(md(text).split()).replace("|", "\\|"))


def _entities(text: str) -> str:
    """Only `<` opens HTML and only `&name;` makes an entity; `>` and a bare `&` stay readable."""
    return re.sub(r"&(?=#?[A-Za-z0-9]+;)", "&amp;", text).replace("<", "&lt;")


def code(value: Any) -> str:
    """A value as it appears in a code span: strings bare, everything else as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(plain(value), ensure_ascii=False)


def code_span(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def or_list(items: list[str]) -> str:
    """`a`, `b` or `c`."""
    spans = [code_span(i) for i in items]
    return spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " or " + spans[-1]


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?:" else text + "."


def meta_lead(text: str) -> str:
    flat = " ".join(str(text).split())
    m = re.match(r"(.+?[.!?])(\s|$)", flat)
    text = re.sub(r"<[^>]*>", "", m.group(1) if m else flat)  # meta text: no markup of any kind
    return text.replace("`", "").replace("<", "").replace(">", "")


def heading_anchor(name: str) -> str:
    """The id mkdocs' toc gives a `### Name` heading."""
    return re.sub(r"[^\w-]", "", name.lower().replace(" ", "-"))
