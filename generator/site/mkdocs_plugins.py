"""The plugins the build adds to mkdocs, and `BuildPlugins`, the one place that assembles them for `build`,
`serve` and the catalog plugin: compiled theme templates and each page's converted HTML kept between runs,
pages' texts kept compressed, edit links to the guides' templates, search indexing on the second core, and
(for `serve`'s dirty rebuilds) a search index kept whole. Each speed path that reaches inside mkdocs or
Material checks, as the build starts, the versions and shapes it was proven on, and steps aside otherwise
(docs/extending-mkdocs.md)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import multiprocessing
import os
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any

from mkdocs.plugins import BasePlugin, event_priority

from generator import cache, parallel
from generator.views.render import bytecode_cache


class CompiledTheme(BasePlugin):
    """Keep mkdocs-material's compiled templates between runs, as ours are (see render.bytecode_cache)."""

    def on_env(self, env, config, files):
        env.bytecode_cache = bytecode_cache("mkdocs-theme")
        return env


class ConvertCache(BasePlugin):
    """Each page's conversion (Python-Markdown, its extensions and Pygments: most of mkdocs' time) kept
    between runs in the cache folder, so a page whose markdown has not changed is not converted again; a
    page rendered from its view (direct.py) is kept here too, as its HTML is the same.

    An entry is keyed by everything the conversion reads: the page's markdown, its path and URL, every
    file of the site with its URL (what a link can point to), the Markdown extensions and their options,
    the validation levels, the versions of mkdocs, Python-Markdown, pymdownx, Pygments and Material, and
    the source of this module and of the HTML writer. It holds what mkdocs' Page.render leaves on the page
    (the HTML, the table of contents, the title, the anchors it has and the ones it links to) and the
    messages mkdocs logged while converting it (a dead link), which a hit logs again, so a warm build
    warns, and fails, as a cold one."""

    VERSION = "1"

    def __init__(self) -> None:
        super().__init__()
        self.hits = self.misses = 0
        self.seconds = 0.0  # spent finding, reading and storing entries: what a hit costs beyond the floor
        self._context: tuple[int, str] | None = None

    @event_priority(-100)  # after every other plugin has changed the markdown
    def on_page_markdown(self, markdown, page, config, files):
        page.render = lambda config, files: self.render(page, config, files)
        return markdown

    def context_key(self, config, files) -> str:
        """What every page's conversion shares: the files it can link to, the extensions, the versions."""
        if self._context is None or self._context[0] != id(files):
            parts: list[bytes | str] = [
                self.VERSION,
                Path(__file__).read_bytes(),
                Path(__file__).with_name("direct.py").read_bytes(),  # the HTML writer, whose pages it keeps too
                str(config.get("use_directory_urls")),
                json.dumps([str(e) for e in config["markdown_extensions"]]),
                json.dumps(config["mdx_configs"] or {}, sort_keys=True, default=repr),
                repr(sorted(dict(config["validation"]).items(), key=str)),
                str(config.get("site_url")),
            ]
            for dist in ("mkdocs", "markdown", "pymdown-extensions", "pygments", "mkdocs-material"):
                try:
                    parts.append(f"{dist} {metadata.version(dist)}")
                except metadata.PackageNotFoundError:
                    parts.append(f"{dist} -")
            for ext in config["markdown_extensions"]:  # the project's own extensions: their source
                if isinstance(ext, str) and ext.startswith("generator."):
                    spec = importlib.util.find_spec(ext)
                    parts.append(Path(spec.origin).read_bytes() if spec and spec.origin else ext)
            parts += sorted(f"{f.src_uri}\t{f.dest_uri}\t{f.url}\t{f.inclusion}" for f in files)
            self._context = (id(files), cache.key(*parts))
        return self._context[1]

    def render(self, page, config, files) -> None:
        from mkdocs.structure.pages import Page

        if self.restore_kept(page, config, files):
            return
        capture = _Capture()
        loggers = (logging.getLogger(), logging.getLogger("mkdocs"))  # `mkdocs` may not propagate to the root
        for logger in loggers:
            logger.addHandler(capture)
        try:
            Page.render(page, config, files)
        finally:
            for logger in loggers:
                logger.removeHandler(capture)
        self.misses += 1
        self.keep(page, config, files, capture.records)

    def _name(self, page, config, files) -> tuple[str, str]:
        """The page's entry in the cache folder, and its markdown's digest."""
        digest = hashlib.sha256(page.markdown.encode("utf-8")).hexdigest()
        level = str(logging.getLogger("mkdocs").getEffectiveLevel())  # what mkdocs logs and keeps depends on it
        key = cache.key(
            self.context_key(config, files), level, page.file.src_uri, page.file.dest_uri, page.file.url, digest
        )
        return "pages/" + key, digest

    def restore_kept(self, page, config, files) -> bool:
        """Put the page's kept conversion on it and log again what its conversion logged; False if none is
        kept for its markdown."""
        start = time.perf_counter()
        name, digest = self._name(page, config, files)
        blob = cache.read_bytes(name)
        entry = None
        if blob is not None:
            try:
                entry = json.loads(zlib.decompress(blob))
            except (zlib.error, ValueError):
                entry = None
        if entry is None or entry.get("markdown") != digest:
            self.seconds += time.perf_counter() - start
            return False
        restore(page, entry, files)
        self.hits += 1
        self.seconds += time.perf_counter() - start
        for logger, level, message in entry["log"]:
            logging.getLogger(logger).log(level, message)
        return True

    def keep(self, page, config, files, log: list[tuple[str, int, str]]) -> None:
        """Keep what Page.render left on the page (or what the HTML writer left, the same: direct.py), with
        what was logged while making it."""
        start = time.perf_counter()
        name, digest = self._name(page, config, files)
        entry = {
            "markdown": digest,
            "content": page.content,
            "toc": [_toc_item(a) for a in page.toc],
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": None
            if page.links_to_anchors is None
            else {f.src_uri: links for f, links in page.links_to_anchors.items()},
            "log": log,
        }
        cache.write_bytes(name, zlib.compress(json.dumps(entry).encode("utf-8"), 1))
        self.seconds += time.perf_counter() - start


def restore(page: Any, entry: dict, files: Any) -> None:
    """Put a kept conversion on the page, as Page.render would have."""
    from mkdocs.structure.toc import TableOfContents

    page.content = entry["content"]
    toc = [_anchor(item) for item in entry["toc"]]
    if toc:
        toc[0].active = True  # as mkdocs' get_toc does
    page.toc = TableOfContents(toc)
    page._title_from_render = entry["title"]
    page.present_anchor_ids = set(entry["anchors"])
    if entry["links"] is not None:
        page.links_to_anchors = {files.get_file_from_path(src): links for src, links in entry["links"].items()}


def _toc_item(anchor: Any) -> dict:
    return {
        "title": anchor.title,
        "id": anchor.id,
        "level": anchor.level,
        "children": [_toc_item(c) for c in anchor.children],
    }


def _anchor(item: dict) -> Any:
    from mkdocs.structure.toc import AnchorLink

    anchor = AnchorLink(item["title"], item["id"], item["level"])
    anchor.children = [_anchor(c) for c in item["children"]]
    return anchor


class _Capture(logging.Handler):
    """Every message logged while a page converts, to be logged again when its entry is used."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.kept: list[logging.LogRecord] = []  # a record reaches both loggers when `mkdocs` propagates

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO and not any(r is record for r in self.kept):
            self.kept.append(record)

    @property
    def records(self) -> list[tuple[str, int, str]]:
        return [(r.name, r.levelno, r.getMessage()) for r in self.kept]


HOT_BUDGET = 8_000_000  # characters of pages' markdown and HTML kept as text (the shipped site: 5.3M)


class CompactPages(BasePlugin):
    """mkdocs converts every page before it writes any, and keeps each page's markdown and HTML until the
    end: at 10,000 pages, most of the build's memory. Each page's `markdown` and `content` are kept
    compressed behind a property (see `_Compressed`): whoever reads them, at any event and priority, gets
    the real text, decompressed; the pages last read or written are kept as text, up to `HOT_BUDGET`
    characters, so an event's handlers do not decompress a page again and again, and a small site's pages
    are never compressed."""

    def __init__(self) -> None:
        super().__init__()
        self.hot = _HotPages(HOT_BUDGET)

    @event_priority(1_000_000)  # before any other plugin reads or writes the page's text
    def on_pre_page(self, page, config, files):
        compact(page, self.hot)
        return page


class _Compressed:
    """A page attribute whose text is kept compressed, except while its page is among the hot ones."""

    def __init__(self, name: str) -> None:
        self.raw, self.packed = f"_compact_raw_{name}", f"_compact_packed_{name}"

    def __get__(self, page: Any, owner: Any = None) -> Any:
        if page is None:
            return self
        state = page.__dict__
        if self.raw in state:
            return state[self.raw]
        packed = state.get(self.packed)
        if packed is None:
            return None
        if state.get("_compact_peek"):  # Page.title asks only whether it is set
            return ""
        value = state[self.raw] = zlib.decompress(packed).decode("utf-8")
        state["_compact_hot"].touch(page)
        return value

    def __set__(self, page: Any, value: Any) -> None:
        state = page.__dict__
        state[self.raw] = value
        state.pop(self.packed, None)  # stale: packed again when the page cools
        state["_compact_hot"].touch(page)

    def cool(self, page: Any) -> None:
        state = page.__dict__
        if self.raw in state:
            value = state.pop(self.raw)
            if self.packed not in state:
                state[self.packed] = None if value is None else zlib.compress(value.encode("utf-8"), 1)


class _HotPages:
    """The pages whose text is kept as text: the last read or written, up to `budget` characters in all (a
    small site's pages are never compressed; a large one's take at most that much memory as text)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self.pages: dict[int, tuple[Any, int]] = {}

    def touch(self, page: Any) -> None:
        if (old := self.pages.pop(id(page), None)) is not None:
            self.size -= old[1]
        state = page.__dict__
        size = sum(len(state.get(attr.raw) or "") for attr in _COMPRESSED)
        self.pages[id(page)] = (page, size)
        self.size += size
        while self.size > self.budget and len(self.pages) > 1:
            cold, size = self.pages.pop(next(iter(self.pages)))
            self.size -= size
            for attr in _COMPRESSED:
                attr.cool(cold)


_COMPRESSED = (_Compressed("markdown"), _Compressed("content"))
_COMPACT_CLASSES: dict[type, type] = {}


def _compact_class(base: type) -> type | None:
    """`base` (mkdocs' Page, or a plugin's subclass of it) with its markdown and content compressed; None
    when its title is not mkdocs' kind of property (then its pages are left as they are)."""
    from mkdocs.utils import weak_property

    if base not in _COMPACT_CLASSES:
        title: Any = next(vars(k)["title"] for k in base.__mro__ if "title" in vars(k))
        if not isinstance(title, weak_property):
            return None

        def peeked_title(page: Any) -> Any:
            """mkdocs' Page.title, which reads the markdown only when the content is unset: where the content
            is set, the texts are only asked whether they are set, and not decompressed."""
            state = page.__dict__
            if state.get("_compact_peek"):
                return title.func(page)
            state["_compact_peek"] = (
                state.get("_compact_packed_content") is not None or state.get("_compact_raw_content") is not None
            )
            try:
                return title.func(page)
            finally:
                state["_compact_peek"] = False

        _COMPACT_CLASSES[base] = type(
            base.__name__,
            (base,),
            {
                "markdown": _COMPRESSED[0],
                "content": _COMPRESSED[1],
                "title": weak_property(peeked_title),
                "__module__": base.__module__,
                "__qualname__": base.__qualname__,
            },
        )
    return _COMPACT_CLASSES[base]


def compact(page: Any, hot: _HotPages) -> None:
    """Give `page` compressed markdown and content (what it holds now is kept)."""
    if type(page) in _COMPACT_CLASSES.values():
        return
    cls = _compact_class(type(page))
    if cls is None:
        return
    state = page.__dict__
    texts = {name: state.pop(name, None) for name in ("markdown", "content")}
    state["_compact_hot"] = hot
    page.__class__ = cls
    for name, value in texts.items():
        setattr(page, name, value)


class OffloadSearch(BasePlugin):
    """Material's search plugin parses every page's HTML to index it, about a third of mkdocs' time. A
    forked indexer does that on the second core: each page is sent to it as it is built, and the entries
    come back, in the same order, when the index is written. Without fork, or with another Material whose
    index looks different, nothing changes."""

    def on_env(self, env, config, files):
        search = config.plugins.get("material/search")
        index = getattr(search, "search_index", None)
        if (
            parallel.available()
            and index is not None
            and callable(getattr(index, "add_entry_from_context", None))
            and callable(getattr(index, "generate_search_index", None))
            and isinstance(index.entries, list)
        ):
            search.search_index = RemoteIndex(index)
        return env


class RemoteIndex:
    """The search index, built by a forked indexer. A page whose entries are in the cache folder (keyed by
    its HTML, table of contents, URL, title and metadata, the index's options and Material's version) is
    not sent: its entries are put back in their place when the index is written, and the indexer stores
    the entries of each page it indexes."""

    def __init__(self, index: Any) -> None:
        self.index = index
        self.slots: list[bytes | None] = []  # per page: its kept entries (compressed), or None: the indexer's
        try:
            version = metadata.version("mkdocs-material")
        except metadata.PackageNotFoundError:
            version = "-"
        self.context = cache.key(
            "search",
            version,
            json.dumps(index.config, sort_keys=True, default=repr),
            str(_jieba()),
            Path(__file__).read_bytes(),
        )
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_index_pages, args=(child, index), daemon=True)
        self.proc.start()
        child.close()

    def add_entry_from_context(self, page: Any) -> None:
        toc = json.dumps([_toc_item(a) for a in page.toc])
        name = "search/" + cache.key(
            self.context,
            page.url,
            str(page.title),
            toc,
            json.dumps(page.meta, sort_keys=True, default=repr),
            hashlib.sha256(page.content.encode("utf-8")).hexdigest(),
        )
        blob = cache.read_bytes(name)
        if blob is not None:
            try:
                json.loads(zlib.decompress(blob))  # whole: kept compressed until the index is written
                self.slots.append(blob)
                return
            except (zlib.error, ValueError):
                pass
        self.slots.append(None)
        self.conn.send(
            (name, SimpleNamespace(meta=page.meta, content=page.content, toc=page.toc, url=page.url, title=page.title))
        )

    def generate_search_index(self, prev: Any) -> str:
        self.conn.send(None)
        indexed = iter(self.conn.recv())
        self.conn.close()
        self.proc.join()
        self.index.entries = [
            e for slot in self.slots for e in (next(indexed) if slot is None else json.loads(zlib.decompress(slot)))
        ]
        return self.index.generate_search_index(prev)


def _jieba() -> bool:
    """Material segments Chinese text when jieba is installed: its entries differ."""
    return importlib.util.find_spec("jieba") is not None


def _index_pages(conn: Any, index: Any) -> None:
    from generator.site import searchparse

    add = (
        (lambda page: searchparse.add_entries(index, page))
        if searchparse.usable(index)
        else index.add_entry_from_context
    )
    pages: list[list] = []
    while (item := conn.recv()) is not None:
        name, page = item
        before = len(index.entries)
        add(page)
        pages.append(index.entries[before:])
        cache.write_bytes(name, zlib.compress(json.dumps(pages[-1]).encode("utf-8"), 1))
    conn.send(pages)
    conn.close()


class KeepSearchIndex(BasePlugin):
    """A dirty build indexes only the pages it rebuilt; keep every other page's entries from the last
    build, in their place."""

    def __init__(self, index: Path) -> None:
        super().__init__()
        self.index = index
        self.old: list[dict] = []
        self.rebuilt: set[str] = set()

    def on_pre_build(self, config) -> None:
        if self.index.is_file():
            self.old = json.loads(self.index.read_text("utf-8"))["docs"]

    def on_page_context(self, context, page, config, nav):
        self.rebuilt.add(page.url)
        return context

    def on_post_build(self, config) -> None:
        data = json.loads(self.index.read_text("utf-8"))
        fresh: dict[str, list[dict]] = {}
        for doc in data["docs"]:
            fresh.setdefault(doc["location"].split("#", 1)[0], []).append(doc)
        docs: list[dict] = []
        for doc in self.old:
            url = doc["location"].split("#", 1)[0]
            if url not in self.rebuilt:
                docs.append(doc)
            elif url in fresh:
                docs += fresh.pop(url)
        for entries in fresh.values():
            docs += entries
        data["docs"] = docs
        self.index.write_text(json.dumps(data, separators=(",", ":"), default=str), "utf-8")  # as Material does


class EditLinks(BasePlugin):
    """The "edit this page" link of each page the core prepared: a guide's source template, or none for a
    generated page (mkdocs would point each at a docs file that is not in the repository)."""

    def __init__(self, edit_uris: dict[str, str | None]) -> None:
        super().__init__()
        self.edit_uris = edit_uris

    def on_files(self, files, config):
        for file in files:
            if file.src_uri in self.edit_uris:
                file.edit_uri = self.edit_uris[file.src_uri]
        return files


def walk_order(file: Any) -> tuple:
    """Where mkdocs' own walk of docs_dir puts a file (a folder's files before its subfolders', index
    first), so generated files keep the order they would have as files on disk."""
    parts = PurePosixPath(file.src_uri).parts
    return parts[:-1], os.path.splitext(parts[-1])[0] not in ("index", "README"), parts[-1]


# ---- the speed paths, each checked against what it was proven on, and assembled in one place ----

# The versions docs/extending-mkdocs.md's tests were proven on; pyproject.toml pins the same.
PROVEN = {
    "mkdocs": "1.6.1",
    "mkdocs-material": "9.8.2",
    "Markdown": "3.11.3",
    "pymdown-extensions": "13.1.2",
    "Pygments": "2.21.0",
}
LOG = logging.getLogger("mkdocs.plugins.empiriolabs")


def _page_shape() -> str | None:
    """What replacing Page.render relies on: its arguments, and what it leaves on the page."""
    import inspect

    from mkdocs.structure.pages import Page

    if list(inspect.signature(Page.render).parameters) != ["self", "config", "files"]:
        return "Page.render takes other arguments"
    for attr in ("present_anchor_ids", "links_to_anchors"):
        if not hasattr(Page, attr):
            return f"Page has no {attr}"
    title = getattr(vars(Page).get("title"), "func", None)
    if title is None or "_title_from_render" not in title.__code__.co_names:
        return "Page.title does not read _title_from_render"
    return None


def _compact_shape() -> str | None:
    """What compressing a page's texts relies on: plain attributes, and a title mkdocs computes from them."""
    from mkdocs.structure.pages import Page

    if "markdown" in vars(Page) or "content" in vars(Page):
        return "Page.markdown or Page.content is no longer a plain attribute"
    title = getattr(vars(Page).get("title"), "func", None)
    if title is None or not {"markdown", "content"} <= set(title.__code__.co_names):
        return "Page.title is computed otherwise"
    return None


def _search_shape() -> str | None:
    """What indexing on the second core relies on: Material's SearchIndex and its Parser, as proven."""
    from material.plugins.search.plugin import Parser, SearchIndex

    if (why := parallel.unavailable()) is not None:
        return why
    for name in ("add_entry_from_context", "generate_search_index", "create_entry_for_section"):
        if not callable(getattr(SearchIndex, name, None)):
            return f"SearchIndex has no {name}"
    parser = Parser()
    for name in ("section", "skip", "context", "data"):
        if not hasattr(parser, name):
            return f"search's Parser has no {name}"
    return None


@dataclass(frozen=True)
class SpeedPath:
    """A part of the build that reaches inside mkdocs, Material, Python-Markdown or pymdown-extensions."""

    name: str  # as the build's log names it
    dists: tuple[str, ...]  # the distributions whose versions it was proven on
    shape: Callable[[], str | None]  # None, or what it touches that is not there as proven

    def unproven(self) -> str | None:
        """Why this path must step aside here: a version or a shape other than the proven ones; or None."""
        for dist in self.dists:
            try:
                found = metadata.version(dist)
            except metadata.PackageNotFoundError:
                found = "not installed"
            if found != PROVEN[dist]:
                return f"{dist} is {found}, proven on {PROVEN[dist]}"
        try:
            return self.shape()
        except Exception as err:  # noqa: BLE001 - an import or attribute that moved: step aside
            return f"{type(err).__name__}: {err}"


CONVERT_CACHE = SpeedPath("the page cache", ("mkdocs", "Markdown", "pymdown-extensions", "Pygments"), _page_shape)
DIRECT_PAGES = SpeedPath(
    "pages from their views", ("mkdocs", "Markdown", "pymdown-extensions", "Pygments"), _page_shape
)
COMPACT_PAGES = SpeedPath("compressed pages", ("mkdocs",), _compact_shape)
OFFLOAD_SEARCH = SpeedPath("search on the second core", ("mkdocs-material",), _search_shape)


class BuildPlugins:
    """Every plugin the build adds to mkdocs, for `build`, `serve` and the catalog plugin alike. A speed path
        whose versions or shape are not the proven ones is left out, and the build's log says so once; the site
        is the same without it, only slower. `templates` is mkdocs.yml's templates directory (the pages' own);
    `search_index` (serve's dirty rebuilds) keeps the index whole."""

    def __init__(
        self,
        pages: list,
        glob: dict,
        html_md: dict[str, str],
        edit_uris: dict[str, str | None],
        *,
        templates: Path | None = None,
        search_index: Path | None = None,
    ) -> None:
        from generator.site.direct import DirectPages

        self.stepped_aside: list[str] = []
        self.convert = ConvertCache() if self.proven(CONVERT_CACHE) else None
        self.direct = (
            DirectPages(pages, glob, html_md, templates=templates, page_cache=self.convert)
            if self.proven(DIRECT_PAGES)
            else None
        )
        plugins: dict[str, BasePlugin | None] = {
            "empiriolabs/compiled-theme": CompiledTheme(),
            "empiriolabs/edit-links": EditLinks(edit_uris),
            "empiriolabs/convert-cache": self.convert,
            "empiriolabs/direct-pages": self.direct,
            "empiriolabs/compact-pages": CompactPages() if self.proven(COMPACT_PAGES) else None,
            "empiriolabs/offload-search": OffloadSearch() if self.proven(OFFLOAD_SEARCH) else None,
        }
        if search_index is not None:  # not a speed path: a dirty build needs it to keep every page's entries
            plugins["empiriolabs/keep-search-index"] = KeepSearchIndex(search_index)
        self.plugins = {name: p for name, p in plugins.items() if p is not None}

    def proven(self, path: SpeedPath) -> bool:
        why = path.unproven()
        if why is not None:
            line = f"{path.name} stepped aside: {why}"
            self.stepped_aside.append(line)
            LOG.info("empiriolabs: %s; the site is the same, built slower", line)
        return why is None

    def install(self, plugins: Any) -> None:
        """Add them to mkdocs' plugin collection (after the configured ones), each unless already there."""
        for name, plugin in self.plugins.items():
            if name not in plugins:
                plugins[name] = plugin

    def summary(self) -> str:
        """How each page got its HTML, and which speed paths stepped aside."""
        direct, convert = self.direct, self.convert
        line = (
            f"; pages rendered from their views {direct.rendered if direct else 0} "
            f"(direct {direct.seconds if direct else 0:.2f} s), "
            + (
                f"converted {convert.misses}, kept from the cache {convert.hits} (cache {convert.seconds:.2f} s)"
                if convert
                else "converted all, kept from the cache 0"
            )
        )
        if direct and direct.edited:
            line += f"; pages from their views stepped aside for {direct.edited} pages whose markdown a plugin changed"
        return line + "".join(f"; {s}" for s in self.stepped_aside)
