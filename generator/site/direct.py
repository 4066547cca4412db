"""Generated pages whose HTML comes straight from their view, not through Python-Markdown.

A page template writes each block (heading, paragraph, list, table, code block, content tabs, raw HTML)
through the block writer `w`. Rendered with the markdown writer (views/render.py `Blocks`), it gives the
page's markdown, which every engine and agent reads, and its twin. Rendered again here with `HtmlBlocks`, it
gives the HTML Python-Markdown (the site's extensions, as mkdocs runs it) would make of that markdown, and
mkdocs puts that on the page without parsing the markdown again:

- inline text without Markdown syntax is its own HTML (the template escaped it); text with some goes
  through Python-Markdown, with the site's extensions, once per distinct text;
- code blocks go through Pygments once per distinct block, with the page's model id taken out first (it
  only ever sits inside a string), and are kept between builds, keyed by content;
- links to pages get the URL mkdocs would give them; headings the ids, permalinks and table of contents
  of the `toc` extension; the page the anchors and links mkdocs records.

A page falls back to Python-Markdown whenever that equivalence is not certain: a link with an anchor or
to a missing page, a block Markdown may read otherwise (text that is not one paragraph, two lists in a
row, text the template prints outside a block...), a Markdown configuration or extension other than the
ones it was proven with, or markdown changed by another plugin since it was rendered.
tests/test_blocks.py proves the writers block by block with generated inputs; tests/test_direct.py builds
the shipped catalog both ways and compares every file, naming the template line and block that differ."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import posixpath
import re
import sys
import time
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from markupsafe import escape
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.utils import meta

from generator import cache
from generator.validate.textpolicy import finalize, unsafe_url
from generator.views.render import Blocks, Html, Page, environment, squeeze

if TYPE_CHECKING:
    from generator.site.mkdocs_plugins import ConvertCache

log = logging.getLogger("mkdocs.plugins.empiriolabs.direct")
ENABLED = True  # tests/test_direct.py turns it off to build the reference
TRACE: dict[str, list[Block]] | None = None  # a dict: each page's blocks kept in it (tests/test_direct.py)

# Text Python-Markdown gives back as it is: no inline syntax, no entity but the five the template writes.
_SPECIAL = re.compile(r"[\\`*_\[\]<>!{}~\n]|&(?!(?:amp|lt|gt|#34|#39);)|  ")
# what may start a block when it starts a line: a heading, quote, list, rule, table, tabs, details, definition
_BLOCK_START = re.compile(r"[#>+*=|:~?-]|\d+[.)]")
_CODE = re.compile(r"`([^`&<>\\\n\[\]() ](?:[^`&<>\\\n\[\]()]*[^`&<>\\\n\[\]() ])?)`")
_STRONG = re.compile(r"\*\*([A-Za-z0-9](?:[A-Za-z0-9 ]*[A-Za-z0-9])?)\*\*")
_LINK = re.compile(r"\[([^\[\]`]+)\]\(([A-Za-z0-9._~/%:-]+)\)")
_HREF = re.compile(r'<a href="([^"]*)"')
_PARAGRAPH = re.compile(r"<p>((?:(?!</?p>).)*)</p>", re.S)
_ONLY_PARAGRAPHS = re.compile(r"(?:<p>(?:(?!</?p>|<h\d|<div|<ul|<ol|<table|<pre).)*</p>\n?)+", re.S)
_IDS = re.compile(r'<[^>]*?\sid="([^"]*)"')
_NAMES = re.compile(r'<a\s[^>]*?\bname="([^"]*)"')
_MODEL_ID = re.compile(r"[A-Za-z0-9._-]+")
_STRING_SPAN = re.compile(r'<span class="(?:s|s1|s2|sb|sd|sx)">[^<]*$')
_RULE = re.compile(r"\|(?: ?-{3,} ?\|)+")
_TICKS = re.compile(r"`+")
_FENCE = re.compile(r"^\s*(?:`{3,}|~{3,})", re.M)
# raw HTML that starts with a block-level element and ends with that element's closing tag
_RAW = re.compile(r"<(div|dl|p|script|table|ul|ol|form|section|figure|nav|details)[\s>].*</(\w+)>", re.S)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_MARKDOWN_ATTR = re.compile(r"\smarkdown\s*=(?!\s*\"0\")")
# Python-Markdown's own placeholders, which it may leave in its HTML, numbered through the page
_STASHED = re.compile(r"[\x02\x03]|klzzwxh|wzxhzdk")
_PLACEHOLDER = "\x02"  # a block's placeholder is \x02, its number, \x03
_TOKEN = re.compile(r"\x02(\d+)\x03")
_PRINTED = re.compile(r"(?:\s*\x02\d+\x03)*\s*")
SENTINEL = "zzEmpirioLabsModelIdzz"
_HEADING_ATTRS = re.compile(r"\{:?[ ]*[^\}\n ][^\}\n]*[ ]*\}\s*$")  # attr_list's HEADER_RE, at the end
# The Markdown extensions tests/test_blocks.py proves the HTML writer with (mkdocs.yml's and mkdocs' own):
# with any other, a block may read otherwise, and every page is converted.
PROVEN = frozenset(
    {
        "toc", "tables", "fenced_code", "admonition", "attr_list", "md_in_html", "def_list", "footnotes",
        "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.superfences",
        "pymdownx.tabbed", "generator.validate.textpolicy",
    }
)  # fmt: skip


class Decline(Exception):
    """The page's HTML cannot be given for certain: convert its markdown instead."""


class Converter:
    """What every page of one build shares: a Python-Markdown with the site's extensions for the text that
    needs one, the code blocks highlighted, and the `toc` settings."""

    def __init__(self, config: Any) -> None:
        import markdown

        self.md = markdown.Markdown(
            extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {}
        )
        toc: Any = next((p for p in self.md.treeprocessors if type(p).__name__ == "TocTreeprocessor"), None)
        self.supported = (
            toc is not None
            and toc.use_permalinks not in (False, None)
            and not toc.use_anchors
            and not toc.permalink_leading
            and toc.base_level == 0
            and (toc.toc_top, toc.toc_bottom) == (1, 6)
            and "pymdownx.superfences" in config["markdown_extensions"]
            and "pymdownx.tabbed" in config["markdown_extensions"]
            and (config["mdx_configs"] or {}).get("pymdownx.tabbed", {}).get("alternate_style") is True
            and {str(e) for e in config["markdown_extensions"]} <= PROVEN
        )
        self.toc = toc
        self.texts: dict[str, str] = {}
        self.blocks: dict[tuple[str, str], str] = {}
        versions = []
        for dist in ("markdown", "pymdown-extensions", "pygments"):
            try:
                versions.append(f"{dist} {metadata.version(dist)}")
            except metadata.PackageNotFoundError:
                versions.append(f"{dist} -")
        self.context = cache.key(
            "highlight",
            *versions,
            json.dumps([str(e) for e in config["markdown_extensions"]]),
            json.dumps(config["mdx_configs"] or {}, sort_keys=True, default=repr),
        )

    def convert(self, text: str) -> str:
        """Python-Markdown's HTML for `text` as a document of its own, once per distinct text."""
        done = self.texts.get(text)
        if done is None:
            self.md.reset()
            done = self.texts[text] = self.md.convert(text)
        return done

    def code(self, language: str, source: str, model_id: str = "") -> str:
        """A fenced code block's HTML, as superfences gives it. The model id is taken out of the source
        first, so the blocks of models that differ only by it are highlighted once; it is put back only
        where Pygments saw it inside a string, where any id of [A-Za-z0-9._-] reads the same."""
        if model_id and _MODEL_ID.fullmatch(model_id) and model_id in source and SENTINEL not in source:
            template = self.highlight(language, source.replace(model_id, SENTINEL))
            parts = template.split(SENTINEL)
            if len(parts) == source.count(model_id) + 1 and all(_STRING_SPAN.search(p) for p in parts[:-1]):
                return model_id.join(parts)
        return self.highlight(language, source)

    def highlight(self, language: str, source: str) -> str:
        key = (language, source)
        done = self.blocks.get(key)
        if done is None:
            name = "highlight/" + cache.key(self.context, language, source)
            blob = cache.read_bytes(name)
            try:
                done = zlib.decompress(blob).decode("utf-8") if blob is not None else None
            except (zlib.error, UnicodeDecodeError):
                done = None
            if done is None:
                self.md.reset()
                done = self.md.convert(f"```{language}\n{source}\n```")
                cache.write_bytes(name, zlib.compress(done.encode("utf-8"), 1))
            self.blocks[key] = done
        return done


class HtmlBlocks(Blocks):
    """The block writer that gives each block the HTML Python-Markdown (with the site's extensions, as mkdocs
    runs it) would make of the markdown `Blocks` writes for it; with what the page collects as it renders:
    the ids its headings take, its table of contents, its content tabs.

    Each block is kept aside and a placeholder printed: the page's HTML is its blocks in order, joined as
    Python-Markdown joins them, and anything else the template prints (text outside a block) makes the page
    decline. `trace` keeps, for each block, where the template wrote it and the HTML it gave."""

    def __init__(self, converter: Converter, page: Any, files: Any, *, trace: bool = False) -> None:
        super().__init__(twin=False)
        self.converter, self.page, self.files = converter, page, files
        self.used_ids: set[str] = set()
        self.counters: dict[str, int] = {}
        self.tokens: list[Any] = []  # the `toc` extension's tokens
        self.tab_sets = 0
        self.blocks: list[tuple[str, str]] = []  # (HTML, what follows it)
        self.trace: list[Block] | None = [] if trace else None
        self.section = ""  # the last heading's text
        self.last = ""  # the last block's kind

    # ---- the blocks ----
    def meta(self, **fields: Any) -> str:
        return Html("")  # mkdocs reads the front matter off before converting

    def heading(self, level: int, text: Any = None, caller: Any = None) -> str:
        """A heading as the `toc` extension leaves it: an id, a permalink, an entry in the contents."""
        from markdown.extensions.toc import strip_tags, unique

        body = self._body(text, caller)
        if (
            not 1 <= level <= 6
            or not body
            or body[0] == "#"
            or body.endswith("#")
            or (len(body) - len(body.rstrip("\\"))) % 2  # an odd run of backslashes at the end: no heading to Markdown
            or "\n" in body
            or _HEADING_ATTRS.search(body)  # attr_list's `{: #id .class}` at the end: another id, classes
        ):
            raise Decline(f"a heading Markdown may read otherwise: {body!r}")
        inner = self.inline(body)
        name = strip_tags(inner)
        toc = self.converter.toc
        anchor = unique(toc.slugify(html.unescape(name), toc.sep), self.used_ids, self.counters)
        self.tokens.append({"level": level, "id": anchor, "name": name, "children": []})
        title = f' title="{escape(toc.permalink_title)}"' if toc.permalink_title else ""
        mark = "&para;" if toc.use_permalinks is True else escape(toc.use_permalinks)
        self.section = name
        return self._add(
            f'<h{level} id="{anchor}">{inner}<a class="{toc.permalink_class}" href="#{anchor}"{title}>{mark}</a>'
            f"</h{level}>",
            "heading",
        )

    def paragraph(self, text: Any = None, caller: Any = None) -> str:
        """`text` as paragraphs: `<p>` elements, one for each paragraph of it."""
        body = self._body(text, caller)
        if not body:
            return Html("")
        fast = self._fast(body)
        if fast is not None:
            return self._add(f"<p>{fast}</p>", "paragraph")
        converted = self.converter.convert(body)
        if not _ONLY_PARAGRAPHS.fullmatch(converted + "\n") or _STASHED.search(converted):
            raise Decline(f"not paragraphs: {body!r}")
        return self._add(self._links(converted), "paragraph")

    def bullets(self, caller: Any) -> str:
        """A tight bullet list, each item's markdown on one line."""
        items = []
        for line in self._lines(caller):
            if not line.startswith("- ") or not line[2:].strip() or line[2] in " \t":
                raise Decline(f"not a list item: {line!r}")
            items.append(f"<li>{self.inline(line[2:])}</li>\n")
        return self._add("<ul>\n" + "".join(items) + "</ul>", "list")

    def table(self, caller: Any) -> str:
        """A table: a header row, a `| --- |` row, then at least one row, each cell's markdown inline."""
        lines = self._lines(caller)
        if len(lines) < 3:
            raise Decline("a table without a body row")
        head = _cells(lines[0])
        if head is None or not _RULE.fullmatch(lines[1]) or lines[1].count("|") != len(head) + 1:
            raise Decline(f"not a table's head: {lines[:2]!r}")
        out = [
            "<table>\n<thead>\n<tr>\n",
            *(f"<th>{self.inline(c)}</th>\n" for c in head),
            "</tr>\n</thead>\n<tbody>\n",
        ]
        for line in lines[2:]:
            cells = _cells(line)
            if cells is None or len(cells) != len(head):
                raise Decline(f"not a table row of {len(head)} cells: {line!r}")
            out += ["<tr>\n", *(f"<td>{self.inline(c)}</td>\n" for c in cells), "</tr>\n"]
        out.append("</tbody>\n</table>")
        return self._add("".join(out), "table")

    def html(self, caller: Any) -> str:
        """Raw HTML, which Python-Markdown keeps as it is: elements that start a line and end one, with no
        blank line and no `markdown` attribute but markdown="0"."""
        body = self._body(None, caller)
        found = _RAW.fullmatch(body)
        if found is None or found[1] != found[2] or _BLANK_LINE.search(body) or _MARKDOWN_ATTR.search(body):
            raise Decline(f"raw HTML Python-Markdown may read otherwise: {body[:80]!r}")
        return self._add(body, "html", after="\n\n")

    def code(self, language: str, source: str, model_id: str = "") -> str:
        """A fenced code block. The markdown's printing of it rewrites a script-capable link destination in
        it: a page whose code has one falls back."""
        return self._add(self._code(language, source, model_id), "code")

    def tabs(self, tabs: Any, model_id: str = "") -> str:
        """Content tabs of code blocks, as pymdownx.tabbed (alternate style) numbers and nests them."""
        self.tab_sets += 1
        n, count = self.tab_sets, len(tabs)
        inputs = "".join(
            f'<input{" checked=" + chr(34) + "checked" + chr(34) if i == 1 else ""} id="__tabbed_{n}_{i}" '
            f'name="__tabbed_{n}" type="radio" />'
            for i in range(1, count + 1)
        )
        labels = "".join(f'<label for="__tabbed_{n}_{i}">{self._label(t.label)}</label>' for i, t in enumerate(tabs, 1))
        blocks = "".join(
            f'<div class="tabbed-block">\n{self._code(t.language, t.code, model_id)}\n</div>\n' for t in tabs
        )
        return self._add(
            f'<div class="tabbed-set tabbed-alternate" data-tabs="{n}:{count}">{inputs}'
            f'<div class="tabbed-labels">{labels}</div>\n<div class="tabbed-content">\n{blocks}</div>\n</div>',
            "tabs",
        )

    # ---- text ----
    def _body(self, text: Any, caller: Any) -> str:
        body = super()._body(text, caller)
        if finalize(body) != body:
            raise Decline("a script-capable link, which the markdown's printing rewrites")
        return body

    def _fast(self, text: str) -> str | None:
        """The HTML of one line of markdown holding nothing but plain text, code spans, **strong** words and
        links to pages, as Python-Markdown writes it; None for anything else."""
        if _BLOCK_START.match(text):
            return None
        if not _SPECIAL.search(text):
            return text
        if text != text.strip():
            return None
        rest = _STRONG.sub("x", _CODE.sub("x", text))
        if any(_SPECIAL.search(m[1]) for m in _LINK.finditer(rest)) or _SPECIAL.search(_LINK.sub("x", rest)):
            return None
        text = _CODE.sub(r"<code>\1</code>", _LINK.sub(self._link, text))
        return _STRONG.sub(r"<strong>\1</strong>", text)

    def inline(self, text: str) -> Html:
        """The HTML of `text` (markdown, as the markdown template prints it) inside one block element."""
        text = str(text)
        if _PLACEHOLDER in text:
            raise Decline("a block inside a block")
        fast = self._fast(text)
        if fast is not None:
            return Html(fast)
        converted = self.converter.convert(text)
        found = _PARAGRAPH.fullmatch(converted)
        if _STASHED.search(converted):
            raise Decline(f"a placeholder left by Python-Markdown: {text!r}")
        if found is None:
            raise Decline(f"not one paragraph: {text!r}")
        return Html(self._links(found[1]))

    def href(self, path: str) -> str:
        """The URL of the page at `path` (as a markdown link on this page would name it) from this page."""
        scheme, netloc, target, query, anchor = urlsplit(path)
        if unsafe_url(path):
            raise Decline(f"a script-capable link: {path!r}")
        if scheme or netloc:
            return path
        if query or anchor or not target.endswith(".md"):
            raise Decline(f"a link mkdocs would validate: {path!r}")
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(self.page.file.src_uri), target).lstrip("/"))
        file = self.files.get_file_from_path(uri)
        if file is None:
            raise Decline(f"a link to a missing page: {path!r}")
        return file.url_relative_to(self.page.file)

    def _link(self, found: re.Match[str]) -> str:
        return f'<a href="{escape(self.href(html.unescape(found[2])))}">{found[1]}</a>'

    def _links(self, converted: str) -> str:
        """Python-Markdown's HTML with its links made as mkdocs makes them."""
        if "<a " not in converted:
            return converted
        return _HREF.sub(lambda m: f'<a href="{escape(self.href(html.unescape(m[1])))}"', converted)

    def _code(self, language: str, source: str, model_id: str) -> str:
        if finalize(source) != source:
            raise Decline("a script-capable link in a code block")
        if _FENCE.search(source) or _PLACEHOLDER in source:
            raise Decline("a fence inside a code block")
        return self.converter.code(language, squeeze(source), model_id)  # as the page's markdown has it

    def _label(self, label: Any) -> str:
        text = self.text(label)
        if text != text.strip() or not text:
            raise Decline(f"a tab label pymdownx.tabbed may read otherwise: {text!r}")
        return self.inline(text)

    def _lines(self, caller: Any) -> list[str]:
        body = self._body(None, caller)
        if _PLACEHOLDER in body:
            raise Decline("a block inside a block")
        return body.split("\n")

    # ---- the page ----
    def _add(self, block: str, kind: str, after: str = "\n") -> Html:
        """Keep the block's HTML aside; print its placeholder."""
        if kind == self.last and kind in ("list", "tabs"):
            raise Decline(f"two {kind} blocks in a row, which Markdown makes one")
        self.last = kind
        if self.trace is not None:
            self.trace.append(Block(_where(), kind, self.section, block))
        self.blocks.append((block, after))
        return Html(f"{_PLACEHOLDER}{len(self.blocks) - 1}\x03")

    def join(self, printed: str) -> str:
        """The page's HTML from what its template printed: its blocks in order, and nothing else."""
        found = _PRINTED.fullmatch(printed)
        if found is None or _TOKEN.findall(printed) != [str(i) for i in range(len(self.blocks))]:
            raise Decline("text outside a block")
        return "".join(block + after for block, after in self.blocks).strip()

    def finish(self, content: str) -> None:
        """Put the HTML on the page with what Page.render would have left there."""
        from markdown.extensions.toc import nest_toc_tokens
        from mkdocs.structure.toc import get_toc

        page = self.page
        content = page.content = content.strip()
        page._title_from_render = self.tokens[0]["name"] if content.startswith("<h1") else None
        own = {t["id"]: f"#{t['id']}" for t in self.tokens}  # its only links to anchors: the permalinks
        page.toc = get_toc(nest_toc_tokens(self.tokens))
        page.present_anchor_ids = {html.unescape(i) for i in _IDS.findall(content)} | {
            html.unescape(n) for n in _NAMES.findall(content)
        }
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {page.file: own} if own else {}


@dataclass(frozen=True)
class Block:
    """One block of a page as the HTML writer gave it: where the template wrote it, its kind, the heading
    it sits under, and its HTML."""

    where: str  # templates/pages/model.md.j2:42
    kind: str
    section: str
    html: str

    def __str__(self) -> str:
        return f"{self.where} ({self.kind} under {self.section!r})" if self.section else f"{self.where} ({self.kind})"


def _where() -> str:
    """The template line (path:line) that called the writer: the innermost template frame on the stack."""
    frame = sys._getframe(2)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            path = template.filename or template.name
            try:
                path = os.path.relpath(path)
            except ValueError:
                pass
            return f"{path}:{template.get_corresponding_lineno(frame.f_lineno)}"
        frame = frame.f_back  # type: ignore[assignment]
    return "?"


def _cells(line: str) -> list[str] | None:
    """A table row's cells as the `tables` extension splits them: at each pipe that is neither escaped nor
    in a code span. None for a row it may split otherwise (a code span holding a pipe, an escaped tick)."""
    if not (line.startswith("|") and line.endswith("|")) or len(line) < 2 or "\\`" in line:
        return None
    cells = _split_escaped(line) if "\\" in line else line[1:-1].split("|")
    if cells is None or ("`" in line and any(_open_tick(c) for c in cells)):
        return None
    return [c.strip() for c in cells]


def _split_escaped(line: str) -> list[str] | None:
    """The cells of a row that holds backslashes: a backslash escapes the character after it."""
    cells, start, i = [], 1, 1
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == "|":
            cells.append(line[start:i])
            start = i + 1
        i += 1
    return cells if start == len(line) else None  # else the last pipe was escaped


def _open_tick(cell: str) -> bool:
    """Whether a run of backticks in `cell` opens a code span it does not close."""
    if "``" not in cell and cell.count("`") % 2 == 0:
        return False  # single ticks, paired
    runs = [len(r) for r in _TICKS.findall(cell)]
    while runs:
        opener = runs.pop(0)
        if opener not in runs:
            return True
        runs = runs[runs.index(opener) + 1 :]
    return False


class DirectPages(BasePlugin):
    """Give each generated page whose template writes its blocks through `w` its HTML straight from its view
    (see the module's docstring); every other page, and any page this cannot do for certain, is converted
    as before. `templates` is the templates directory the pages were rendered from. With `page_cache` (the
    page cache), a page's HTML is kept between builds as a converted page's is, and a warm build takes it
    from there."""

    def __init__(
        self,
        pages: list[Page],
        glob: dict,
        markdown: dict[str, str],
        *,
        templates: Path | None = None,
        page_cache: ConvertCache | None = None,
    ) -> None:
        super().__init__()
        self.pages = {p.path: p for p in pages} if ENABLED else {}
        self.digests = {path: _digest(meta.get_data(markdown[path])[0]) for path in self.pages if path in markdown}
        self.glob = glob
        self.templates = templates
        self.page_cache = page_cache  # where a page's HTML is kept between builds, as a converted page's is
        self.env: Any = None
        self.writes: dict[str, bool] = {}  # by template: whether it writes its blocks through `w`
        self.converter: Converter | None = None
        self.told = False  # that the configuration is not the proven one
        self.rendered = 0
        self.edited = 0  # pages whose markdown another plugin changed: converted instead
        self.seconds = 0.0  # spent rendering pages this way: what the floor does not include

    def on_config(self, config):
        self.converter, self.told = None, False  # per build: `serve` may change the extensions
        return config

    @event_priority(-110)  # after ConvertCache, whose render this replaces for the pages it gives
    def on_page_markdown(self, markdown, page, config, files):
        source = self.pages.get(page.file.src_uri)
        if source is None:
            return markdown
        if self.digests.get(page.file.src_uri) != _digest(markdown):  # another plugin changed it
            self.edited += self._writes(source.template)
            return markdown
        fallback = page.render

        def render(config, files):
            if _digest(page.markdown) != self.digests[page.file.src_uri]:  # a later handler changed it
                self.edited += self._writes(source.template)
                return fallback(config, files)
            # a page kept from an earlier build (rendered so, or converted: the same HTML); not when the
            # blocks are traced (tests/test_direct.py), which needs them written
            if TRACE is None and self.page_cache is not None and self.page_cache.restore_kept(page, config, files):
                return None
            converter = self._converter(config)
            if converter is None or not self._writes(source.template):
                return fallback(config, files)
            start = time.perf_counter()
            writer = HtmlBlocks(converter, page, files, trace=TRACE is not None)
            try:
                printed = self.env.get_template(source.template).render(view=source.view, page=source, w=writer)
                content = writer.join(printed)
            except Decline:
                self.seconds += time.perf_counter() - start
                return fallback(config, files)
            writer.finish(content)
            if TRACE is not None and writer.trace is not None:
                TRACE[page.file.src_uri] = writer.trace
            self.rendered += 1
            self.seconds += time.perf_counter() - start
            if self.page_cache is not None:
                self.page_cache.keep(page, config, files, [])
            return None

        page.render = render
        return markdown

    def _converter(self, config: Any) -> Converter | None:
        """This build's converter, if its Markdown configuration is the one the HTML writer was proven with."""
        if self.converter is None:
            self.converter = Converter(config)
        if self.converter.supported:
            return self.converter
        if not self.told:
            self.told = True
            log.info(
                "direct pages: the Markdown configuration is not the one the HTML writer was proven with; "
                "every page is converted by Python-Markdown"
            )
        return None

    def _writes(self, template: str) -> bool:
        """Whether `template` writes its blocks through `w`."""
        if self.env is None:
            self.env = environment(twin=False, templates=self.templates, html=True)
            self.env.globals.update(self.glob, twin=False)
        if template not in self.writes:
            self.writes[template] = _writes_blocks(self.env, template)
        return self.writes[template]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_W = re.compile(r"\bw\b")


def _writes_blocks(env: Any, template: str) -> bool:
    """Whether `template` exists and writes its blocks through the writer `w`."""
    import jinja2
    from jinja2 import meta as jinja_meta

    try:
        source = env.loader.get_source(env, template)[0]
    except jinja2.TemplateNotFound:
        return False
    if not _W.search(source):  # no `w` token at all: most templates, and parsing them costs ~10 ms each
        return False
    return "w" in jinja_meta.find_undeclared_variables(env.parse(source))
