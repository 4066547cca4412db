"""Render every page's markdown from the Jinja templates of a templates directory passed in: pure, data in,
text out.

Two flavours: the site's markdown (HTML-escaped, what mkdocs or zensical converts) and the plain markdown
twin for agents. A generated page's template writes its blocks through `Blocks`, the markdown block writer
`w`; generator/site/direct.py renders the same template with the HTML block writer, so one template gives
the page's markdown, its twin and its HTML (docs/templates.md)."""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from generator import cache
from generator.model.objects import code_span, compact, money, param_default, param_range
from generator.snippets import plain
from generator.validate.textpolicy import finalize

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"  # the shipped ones: the default, never reassigned


@dataclass(frozen=True)
class Page:
    """One page of the site: where it goes, its title, its template and what the template reads."""

    path: str  # docs-relative source path, e.g. models/qwen3-max.md
    title: str
    template: str
    view: Any = None
    description: str = ""


def cell(text: Any) -> str:
    """Text that is safe inside a markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def yaml_str(text: str) -> Markup:
    """A quoted YAML scalar for front matter; mkdocs escapes it where it lands in HTML."""
    return Markup(json.dumps(" ".join(str(text).split()), ensure_ascii=False))


def faq_jsonld(items: Any) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": q.question, "acceptedAnswer": {"@type": "Answer", "text": q.answer}}
            for q in items
        ],
    }
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def usd(amount: Decimal | None) -> str:
    return "—" if amount is None else money(amount)


def bytecode_cache(flavour: str) -> jinja2.BytecodeCache | None:
    """Compiled templates are kept between runs. Jinja checks each against its source's checksum but not
    against the environment's settings, so each environment (site, twin, the theme's) and Jinja version
    has its own folder."""
    folder = cache.cache_dir() / f"jinja-{jinja2.__version__}-{flavour}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


class Html(Markup):
    """HTML the HTML block writer gave (generator/site/direct.py): made from text that was already printed,
    and so already checked, once."""


def _finalize_html(value: Any) -> Any:
    return value if isinstance(value, Html) else finalize(value)


def environment(*, twin: bool, templates: Path | None = None, html: bool = False) -> jinja2.Environment:
    """The Jinja environment of the templates in `templates` (default: the shipped ones): HTML-escaping for
    the site, plain for the markdown twins; `html` for rendering a page's HTML with the HTML block writer,
    whose HTML is not checked again as text."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates or TEMPLATES),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=bytecode_cache("twin" if twin else "html" if html else "site"),
        autoescape=not twin,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize_html if html else finalize,
    )
    env.filters.update(
        cell=cell,
        compact=compact,
        usd=usd,
        yaml_str=yaml_str,
        # markdown whose text is all in code spans, which Markdown escapes: not escaped again
        param_default=lambda p: Markup(param_default(p)),
        param_range=lambda p: Markup(param_range(p)),
        code=lambda v: Markup(code_span(str(v))),
        faq_jsonld=faq_jsonld,
        thousands=lambda n: f"{n:,}",
        json=lambda v: json.dumps(plain(v)),
    )
    return env


class Blocks:
    """The block writer `w` a page template writes its blocks with, in markdown (this class) or in the HTML
    Python-Markdown would make of that markdown (generator/site/direct.py's `HtmlBlocks`): one template
    gives the page's markdown, its twin and its HTML (docs/templates.md).

    A block's markdown is given as its text (printed as `{{ text }}` would print it) or as the body of a
    call block, `{% call w.paragraph() %}markdown{% endcall %}`, whose literal text is markdown as written
    and whose `{{ }}` are escaped as anywhere else. Each block is set apart from its neighbours by a blank
    line, whatever the template's own whitespace."""

    def __init__(self, *, twin: bool) -> None:
        self.twin = twin

    def text(self, value: Any) -> str:
        """`value` as `{{ value }}` prints it in this flavour."""
        value = finalize(value)
        if self.twin or isinstance(value, Markup):
            return str(value) if self.twin else value
        return escape(str(value))

    def _body(self, text: Any, caller: Any) -> str:
        return str(caller()).strip() if caller is not None else self.text(text).strip()

    def _block(self, markdown: str) -> str:
        return markdown if self.twin else Markup(markdown)

    def meta(self, **fields: Any) -> str:
        """The page's front matter (the HTML has none): one `key: "value"` line for each field."""
        return self._block("---\n" + "".join(f"{k}: {yaml_str(v)}\n" for k, v in fields.items()) + "---\n")

    def heading(self, level: int, text: Any = None, caller: Any = None) -> str:
        """A heading of `level` (1 to 6): `#` marks and its text, on one line."""
        return self._block(f"\n\n{'#' * level} {self._body(text, caller)}\n\n")

    def paragraph(self, text: Any = None, caller: Any = None) -> str:
        """A paragraph (or several, separated by blank lines) of inline markdown."""
        return self._block(f"\n\n{self._body(text, caller)}\n\n")

    def bullets(self, caller: Any) -> str:
        """A bullet list: the body's lines, each `- item`."""
        return self._block(f"\n\n{self._body(None, caller)}\n\n")

    def table(self, caller: Any) -> str:
        """A table: the body's lines, a header row `| a | b |`, `| --- | --- |`, then a row per line."""
        return self._block(f"\n\n{self._body(None, caller)}\n\n")

    def html(self, caller: Any) -> str:
        """A block of raw HTML, kept as it is: one element (or several), no blank line inside."""
        return self._block(f"\n\n{self._body(None, caller)}\n\n")

    def code(self, language: str, source: str, model_id: str = "") -> str:
        """A fenced code block; `source` is code, printed as it is. `model_id` (the page's model, if any)
        lets the HTML writer highlight blocks that differ only by it once."""
        return self._block(f"\n\n```{language}\n{source}\n```\n\n")

    def tabs(self, tabs: Any, model_id: str = "") -> str:
        """Content tabs of code blocks, one per item of `tabs` (`label`, `language`, `code`); in the twin, each
        label in bold over its code block."""
        out = []
        for tab in tabs:
            if self.twin:
                out.append(f"**{self.text(tab.label)}**\n\n```{self.text(tab.language)}\n{tab.code}\n```\n")
            else:
                code = textwrap.indent(f"```{self.text(tab.language)}\n{tab.code}\n```", "    ", _filled)
                out.append(f'=== "{self.text(tab.label)}"\n\n{code}\n')
        return self._block("\n\n" + ("\n" if self.twin else "").join(out) + "\n\n")


def _filled(line: str) -> bool:
    return line not in ("", "\n")  # as Jinja's `indent` filter: an empty line is left empty


class Renderer:
    """Renders pages from the templates in `templates` (default: the shipped ones) in one of two flavours:
    the site's markdown, or the plain markdown twin."""

    def __init__(self, globals_: dict[str, Any], *, twin: bool, templates: Path | None = None):
        self.twin = twin
        self.env = environment(twin=twin, templates=templates)
        self.env.globals.update(globals_, twin=twin, w=Blocks(twin=twin))

    def render(self, page: Page) -> str:
        text = self.env.get_template(page.template).render(view=page.view, page=page)
        text = squeeze(text).strip() + "\n"
        return plain_markdown(text) if self.twin else text


def squeeze(text: str) -> str:
    """No more than one blank line in a row: a rendered page's markdown, code blocks included."""
    return re.sub(r"\n{3,}", "\n\n", text)


TAB = re.compile(r'^=== "([^"]+)"\s*$')
ADMONITION = re.compile(r'^(!!!|\?\?\?\+?) (\w+)(?: "([^"]*)")?\s*$')


def plain_markdown(text: str) -> str:
    """Turn theme markup (content tabs, admonitions, card grids) into plain markdown for agents."""
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        tab, adm = TAB.match(line), ADMONITION.match(line)
        if tab or adm:
            body, i = _indented_block(lines, i + 1)
            if tab:
                out += [f"**{tab[1]}**", "", *body]
            elif adm:
                title = adm[3] if adm[3] is not None else adm[2].capitalize()
                out += [f"> **{title}**" if title else ">", ">", *[f"> {b}".rstrip() for b in body]]
            continue
        if re.match(r"^\s*</?div\b[^>]*>\s*$", line):
            i += 1
            continue
        out.append(line)
        i += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def _indented_block(lines: list[str], i: int) -> tuple[list[str], int]:
    """The 4-space indented block starting at line i (blank lines inside included), dedented."""
    body: list[str] = []
    while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
        if not lines[i].strip() and (i + 1 >= len(lines) or not lines[i + 1].startswith("    ")):
            break
        body.append(lines[i][4:])
        i += 1
    while body and not body[0].strip():
        body.pop(0)
    return body, i
