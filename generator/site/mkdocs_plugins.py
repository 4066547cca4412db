"""The plugins the build adds to mkdocs: compiled theme templates kept between runs, pages kept compressed
between mkdocs' two passes, edit links to the guides' templates, search indexing on the second core, and
(for `serve`'s dirty rebuilds) a search index kept whole."""

from __future__ import annotations

import json
import multiprocessing
import os
import zlib
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any

from mkdocs.plugins import BasePlugin, event_priority

from generator import parallel
from generator.views.render import bytecode_cache


class CompiledTheme(BasePlugin):
    """Keep mkdocs-material's compiled templates between runs, as ours are (see render.bytecode_cache)."""

    def on_env(self, env, config, files):
        env.bytecode_cache = bytecode_cache("mkdocs-theme")
        return env


class CompactPages(BasePlugin):
    """mkdocs converts every page before it writes any, and keeps each page's markdown and HTML until the
    end: at 10,000 pages, most of the build's memory. Between the two passes each page's HTML is kept
    compressed and its markdown dropped; the HTML comes back just before the page is written, and goes
    after."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[str, bytes] = {}

    def on_page_content(self, html, page, config, files):
        self.kept[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        page.markdown = None
        return ""

    @event_priority(100)  # before any other plugin (Material's search indexer) reads the page
    def on_page_context(self, context, page, config, nav):
        page.content = zlib.decompress(self.kept.pop(page.file.src_uri)).decode("utf-8")
        return context

    def on_post_page(self, output, page, config):
        page.content = None
        return output


class OffloadSearch(BasePlugin):
    """Material's search plugin parses every page's HTML to index it, about a third of mkdocs' time. A
    forked indexer does that on the second core: each page is sent to it as it is built, and the entries
    come back, in the same order, when the index is written. Without fork, or with another Material whose
    index looks different, nothing changes."""

    def on_env(self, env, config, files):
        search = config.plugins.get("material/search")
        index = getattr(search, "search_index", None)
        if parallel.available() and index is not None and callable(getattr(index, "add_entry_from_context", None)) \
                and callable(getattr(index, "generate_search_index", None)) and isinstance(index.entries, list):
            search.search_index = RemoteIndex(index)
        return env


class RemoteIndex:
    def __init__(self, index: Any) -> None:
        self.index = index
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_index_pages, args=(child, index), daemon=True)
        self.proc.start()
        child.close()

    def add_entry_from_context(self, page: Any) -> None:
        self.conn.send(SimpleNamespace(meta=page.meta, content=page.content, toc=page.toc, url=page.url,
                                       title=page.title))

    def generate_search_index(self, prev: Any) -> str:
        self.conn.send(None)
        self.index.entries = self.conn.recv()
        self.conn.close()
        self.proc.join()
        return self.index.generate_search_index(prev)


def _index_pages(conn: Any, index: Any) -> None:
    while (page := conn.recv()) is not None:
        index.add_entry_from_context(page)
    conn.send(index.entries)
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
