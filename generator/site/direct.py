"""Generated pages whose HTML comes straight from their view, not through Python-Markdown.

A page template with an HTML sibling (pages/model.md.j2 and pages/model.html.j2) is rendered twice: its
markdown is what every engine and agent reads (and what zensical converts), and its HTML is what mkdocs
puts on the page, without parsing the markdown again. The HTML template composes each paragraph, table
cell, list item and heading from the same markdown text the markdown template prints, and `PageHtml`
turns that text into the HTML Python-Markdown would give it:

- text without Markdown syntax is its own HTML (the template escaped it); text with some goes through
  Python-Markdown, with the site's extensions, once per distinct text;
- code blocks go through Pygments once per distinct block, with the page's model id taken out first (it
  only ever sits inside a string), and are kept between builds, keyed by content;
- links to pages get the URL mkdocs would give them; headings the ids, permalinks and table of contents
  of the `toc` extension; the page the anchors mkdocs records.

A page falls back to Python-Markdown whenever that equivalence is not certain: a link with an anchor or
to a missing page, text that Markdown turns into anything but one paragraph, a Markdown configuration
other than the one this module knows, or markdown changed by another plugin since it was rendered.
tests/test_direct.py builds the shipped catalog both ways and compares every page, byte for byte."""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
import time
import zlib
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.utils import meta

from generator import cache
from generator.validate.textpolicy import finalize, unsafe_url
from generator.views.render import Html, Page, environment

ENABLED = True  # tests/test_direct.py turns it off to build the reference

# Text Python-Markdown gives back as it is: no inline syntax, no entity but the five the template writes.
_SPECIAL = re.compile(r"[\\`*_\[\]<>!{}~\n]|&(?!(?:amp|lt|gt|#34|#39);)|  ")
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
SENTINEL = "zzEmpirioLabsModelIdzz"


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


class PageHtml:
    """The helpers a page's HTML template calls, with what the page collects as it renders: the ids its
    headings take, its table of contents, its content tabs."""

    def __init__(self, converter: Converter, page: Any, files: Any) -> None:
        self.converter, self.page, self.files = converter, page, files
        self.used_ids: set[str] = set()
        self.counters: dict[str, int] = {}
        self.tokens: list[Any] = []  # the `toc` extension's tokens
        self.tab_sets = 0

    # ---- text ----
    def _fast(self, text: str) -> str | None:
        """The HTML of one line of markdown holding nothing but plain text, code spans, **strong** words and
        links to pages, as Python-Markdown writes it; None for anything else."""
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
        fast = self._fast(text)
        if fast is not None:
            return Html(fast)
        converted = self.converter.convert(text)
        found = _PARAGRAPH.fullmatch(converted)
        if found is None:
            raise Decline(f"not one paragraph: {text!r}")
        return Html(self._links(found[1]))

    def paragraph(self, text: str) -> Html:
        """`text` as paragraphs: `<p>` elements, one for each paragraph of it."""
        text = str(text).strip()
        if not text:
            return Html("")
        fast = self._fast(text)
        if fast is not None:
            return Html(f"<p>{fast}</p>")
        converted = self.converter.convert(text)
        if not _ONLY_PARAGRAPHS.fullmatch(converted + "\n"):
            raise Decline(f"not paragraphs: {text!r}")
        return Html(self._links(converted))

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

    # ---- structure: the blocks Python-Markdown writes for tables and lists ----
    def head(self, names: Any) -> Html:
        """A table's opening, to its body: each name is the header cell's HTML."""
        cells = "".join(f"<th>{self.inline(escape(n))}</th>\n" for n in names)
        return Html(f"<table>\n<thead>\n<tr>\n{cells}</tr>\n</thead>\n<tbody>")

    def row(self, cells: Any) -> Html:
        """A table row; each cell's markdown is its text as the markdown table has it."""
        return Html("<tr>\n" + "".join(f"<td>{self.inline(c)}</td>\n" for c in cells) + "</tr>\n")

    def bullets(self, items: Any) -> Html:
        """A tight bullet list, each item's markdown on one line."""
        return Html("<ul>\n" + "".join(f"<li>{self.inline(i)}</li>\n" for i in items) + "</ul>")

    def heading(self, level: int, text: str) -> Html:
        """A heading as the `toc` extension leaves it: an id, a permalink, an entry in the contents."""
        from markdown.extensions.toc import strip_tags, unique

        inner = self.inline(text)
        name = strip_tags(inner)
        toc = self.converter.toc
        anchor = unique(toc.slugify(html.unescape(name), toc.sep), self.used_ids, self.counters)
        self.tokens.append({"level": level, "id": anchor, "name": name, "children": []})
        title = f' title="{escape(toc.permalink_title)}"' if toc.permalink_title else ""
        mark = "&para;" if toc.use_permalinks is True else escape(toc.use_permalinks)
        return Html(
            f'<h{level} id="{anchor}">{inner}<a class="{toc.permalink_class}" href="#{anchor}"{title}>{mark}</a>'
            f"</h{level}>"
        )

    def code(self, language: str, source: str, model_id: str = "") -> Html:
        """A fenced code block. The markdown template's printing of it rewrites a script-capable link
        destination in it: a page whose code has one falls back."""
        if finalize(source) != source:
            raise Decline("a script-capable link in a code block")
        return Html(self.converter.code(language, source, model_id))

    def tabs(self, tabs: Any, model_id: str = "") -> Html:
        """Content tabs of code blocks, as pymdownx.tabbed (alternate style) numbers and nests them."""
        self.tab_sets += 1
        n, count = self.tab_sets, len(tabs)
        inputs = "".join(
            f'<input{" checked=" + chr(34) + "checked" + chr(34) if i == 1 else ""} id="__tabbed_{n}_{i}" '
            f'name="__tabbed_{n}" type="radio" />'
            for i in range(1, count + 1)
        )
        labels = "".join(
            f'<label for="__tabbed_{n}_{i}">{self.inline(escape(t.label))}</label>' for i, t in enumerate(tabs, 1)
        )
        blocks = "".join(
            f'<div class="tabbed-block">\n{self.code(t.language, t.code, model_id)}\n</div>\n' for t in tabs
        )
        return Html(
            f'<div class="tabbed-set tabbed-alternate" data-tabs="{n}:{count}">{inputs}'
            f'<div class="tabbed-labels">{labels}</div>\n<div class="tabbed-content">\n{blocks}</div>\n</div>'
        )

    def finish(self, content: str) -> None:
        """Put the HTML on the page with what Page.render would have left there."""
        from markdown.extensions.toc import nest_toc_tokens
        from mkdocs.structure.toc import get_toc

        page = self.page
        content = page.content = content.strip()
        page._title_from_render = self.tokens[0]["name"] if content.startswith("<h1") else None
        page.toc = get_toc(nest_toc_tokens(self.tokens))
        page.present_anchor_ids = {html.unescape(i) for i in _IDS.findall(content)} | {
            html.unescape(n) for n in _NAMES.findall(content)
        }
        page.links_to_anchors = {}


class DirectPages(BasePlugin):
    """Give each generated page that has an HTML template its HTML straight from its view (see the module's
    docstring); every other page, and any page this cannot do for certain, is converted as before."""

    def __init__(self, pages: list[Page], glob: dict, markdown: dict[str, str]) -> None:
        super().__init__()
        self.pages = {p.path: p for p in pages} if ENABLED else {}
        self.digests = {path: _digest(meta.get_data(markdown[path])[0]) for path in self.pages if path in markdown}
        self.glob = glob
        self.env: Any = None
        self.converter: Converter | None = None
        self.rendered = 0
        self.edited = 0  # pages whose markdown another plugin changed: converted instead
        self.seconds = 0.0  # spent rendering pages this way: what the floor does not include

    def on_config(self, config):
        self.converter = None  # per build: `serve` may change the extensions
        return config

    @event_priority(-110)  # after ConvertCache, whose render this replaces for the pages it gives
    def on_page_markdown(self, markdown, page, config, files):
        source = self.pages.get(page.file.src_uri)
        if source is None:
            return markdown
        template = source.template.removesuffix(".md.j2") + ".html.j2"
        if self.env is None:
            self.env = environment(twin=False, html=True)
            self.env.globals.update(self.glob, twin=False)
        if self.converter is None:
            self.converter = Converter(config)
        converter = self.converter
        if not converter.supported or not _exists(self.env, template):
            return markdown
        if self.digests.get(page.file.src_uri) != _digest(markdown):  # another plugin changed it
            self.edited += 1
            return markdown
        fallback = page.render

        def render(config, files):
            if _digest(page.markdown) != self.digests[page.file.src_uri]:  # a later handler changed it
                self.edited += 1
                return fallback(config, files)
            start = time.perf_counter()
            helper = PageHtml(converter, page, files)
            try:
                content = self.env.get_template(template).render(view=source.view, page=source, h=helper)
            except Decline:
                self.seconds += time.perf_counter() - start
                return fallback(config, files)
            helper.finish(content)
            self.rendered += 1
            self.seconds += time.perf_counter() - start

        page.render = render
        return markdown


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _exists(env: Any, template: str) -> bool:
    import jinja2

    try:
        env.get_template(template)
    except jinja2.TemplateNotFound:
        return False
    return True
