"""The catalog plugin (the generator inside `mkdocs build` and `mkdocs serve`), and the plugins the build
adds to mkdocs: compiled theme templates kept between runs, pages kept compressed
between mkdocs' two passes, search indexing on the second core, and (for `serve`'s dirty rebuilds) a
search index kept whole."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import tempfile
import zlib
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from . import parallel, siteconfig
from .parallel import Background
from .problems import BuildError
from .render import bytecode_cache


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


class CatalogPlugin(BasePlugin[siteconfig.CatalogOptions]):
    """`plugins: [catalog]` in mkdocs.yml: the generator as a mkdocs plugin, a thin adapter over the core
    (build.prepare). It checks everything and fails once listing every problem, renders the guides'
    data, adds the generated pages and puts their sections where the navigation's markers say, writes
    and checks the agent files after the build, and on `serve` watches the catalog, specs and templates."""

    work: Path | None = None  # where the agent files are written during a build

    def load_config(self, options, config_file_path=None):
        """mkdocs' checks of the options, with an unknown name an error (not a warning) that names its line."""
        errors, warnings = super().load_config(options, config_file_path)
        if siteconfig.check_options(options, config_file_path) and config_file_path:
            try:
                siteconfig.read(Path(config_file_path))
            except BuildError as err:
                raise PluginError("\n".join(str(p) for p in err.problems)) from None
        return errors, [w for w in warnings if not str(w[1]).startswith("Unrecognised configuration name")]

    def on_startup(self, *, command, dirty):  # kept across the builds of one `mkdocs serve`
        self.command = command

    def on_config(self, config):
        from . import build

        self.strict_counter = None
        try:
            self.prepared = build.prepare(Path(config.config_file_path))
        except BuildError as err:
            raise PluginError("\n".join(str(p) for p in err.problems)) from None
        prepared = self.prepared
        config.nav = prepared.nav
        config.extra.update(prepared.extra)
        siteconfig.apply_validation(prepared.site, config)
        if prepared.list_models:
            config.theme["features"] = [f for f in config.theme["features"] if f != "navigation.prune"]
        if not config.strict:  # mkdocs only counts warnings when strict was set before the build began
            self.strict_counter = CountWarnings()
            logging.getLogger("mkdocs").addHandler(self.strict_counter)
        self.old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(build.build_epoch(prepared.inputs.catalog))
        for name, plugin in {"empiriolabs/compiled-theme": CompiledTheme(),
                             "empiriolabs/compact-pages": CompactPages(),
                             "empiriolabs/offload-search": OffloadSearch()}.items():
            if name not in config.plugins:
                config.plugins[name] = plugin
        return config

    def on_files(self, files, config):
        from mkdocs.structure.files import File, Files

        from . import build

        prepared = self.prepared
        sources = {g.template.removeprefix(self.docs_prefix(config)) for g in prepared.site.guides()}
        kept = [f for f in files if f.src_uri not in sources]
        kept += [File.generated(config, path, content=content) for path, content in prepared.docs().items()]
        EditLinks(prepared.edit_uris()).on_files(kept, config)
        self.work = Path(tempfile.mkdtemp(prefix=".catalog-agents-"))
        self.agents = Background(build.agent_files, prepared.inputs, prepared.pages, prepared.glob,
                                 prepared.html_md, self.work / "agents")
        return Files(sorted(kept, key=walk_order))

    def docs_prefix(self, config) -> str:
        """The templates-relative folder of docs_dir, e.g. `guides/`."""
        rel = Path(config.docs_dir).resolve().relative_to(self.prepared.site.templates).as_posix()
        return "" if rel == "." else rel + "/"

    def on_serve(self, server, config, builder):
        site = self.prepared.site
        for path in (site.catalog, site.openapi, site.asyncapi, site.templates):
            if path is not None:
                server.watch(str(path))
        return server

    def on_post_build(self, config):
        from . import build

        try:
            try:
                self.agents.result()
            except BuildError as err:
                raise PluginError("\n".join(str(p) for p in err.problems)) from None
            assert self.work is not None  # on_files made it
            build.merge(self.work / "agents", Path(config.site_dir))
            problems = build.check_output(Path(config.site_dir), self.prepared.inputs.catalog, self.prepared.pages)
            if problems:
                raise PluginError("\n".join(str(p) for p in problems))
            if self.strict_counter and self.strict_counter.count:
                raise PluginError(f"Aborted with {self.strict_counter.count} warnings: the catalog plugin "
                                  "counts every warning as a problem")
        finally:
            self.cleanup()

    def on_build_error(self, error):
        if getattr(self, "agents", None) is not None:
            self.agents.cancel()
        self.cleanup()

    def cleanup(self) -> None:
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None
        if self.strict_counter:
            logging.getLogger("mkdocs").removeHandler(self.strict_counter)
            self.strict_counter = None
        if hasattr(self, "old_epoch"):
            if self.old_epoch is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = self.old_epoch
            del self.old_epoch


class CountWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
