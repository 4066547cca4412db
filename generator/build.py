"""`build`: mkdocs.yml and check → render → write → site (mkdocs or zensical) → bundles, into a temp dir
swapped in at the end."""

from __future__ import annotations

import calendar
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator import bundles, pipeline
from generator.bundles import twins
from generator.doccheck import links
from generator.model import changes
from generator.parallel import Background
from generator.problems import BuildError, Problem, display_path
from generator.site import config as siteconfig
from generator.site import engines, linkcheck
from generator.site import pages as site
from generator.site.mkdocs_plugins import BuildPlugins
from generator.validate.examples import request_findings
from generator.views import tryit
from generator.views.render import Page, Renderer
from generator.write import Writer


@dataclass
class Timer:
    stages: dict[str, float] = field(default_factory=dict)
    _start: float = field(default_factory=time.perf_counter)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stages[name] = now - self._start
        self._start = now

    def summary(self) -> str:
        return ", ".join(f"{k} {v:.2f} s" for k, v in self.stages.items())


@dataclass
class Prepared:
    """What the core makes of mkdocs.yml and the inputs before any engine runs: every page, its markdown,
    and the navigation with the generated sections in place."""

    site: siteconfig.SiteConfig
    inputs: pipeline.Inputs
    pages: list[Page]
    glob: dict
    html_md: dict[str, str]
    nav: list
    list_models: bool

    @property
    def extra(self) -> dict:
        return {
            "index_urls": site.index_urls(self.pages),
            "mcp_url": self.glob["mcp_url"],
            "agents_line": twins.pointer_html(self.inputs.catalog.platform.site_url, self.glob["mcp_url"]),
        }

    def docs(self) -> dict[str, str | bytes]:
        """The generated files an engine reads beside docs_dir's own: pages, assets, changelog data."""
        return docs_files(self.inputs.catalog, self.html_md, self.site.templates)

    def edit_uris(self) -> dict[str, str | None]:
        """Where each page's "edit" button points, relative to docs_dir: a guide's source template; none for
        a generated page (its data is in catalog/, not in a file of its own)."""
        prefix = self.site.docs_dir.relative_to(self.site.templates).as_posix()
        sources = {
            p.path: p.template.removeprefix(f"{prefix}/") for p in self.pages if p.template.startswith(f"{prefix}/")
        }
        return {path: sources.get(path) for path in self.html_md}

    def engine_config(self, docs_dir: Path, site_dir: Path) -> dict:
        """The config an engine builds from when the docs are prepared in `docs_dir`."""
        config = siteconfig.engine_config(self.site, self.nav, self.extra, docs_dir, site_dir)
        if self.list_models:  # the naive layout: every page carries the whole navigation
            features = config.get("theme", {}).get("features") or []
            config["theme"]["features"] = [f for f in features if f != "navigation.prune"]
        return config


def prepare(
    config_file: Path = Path("mkdocs.yml"),
    catalog_dir: Path | None = None,
    openapi: Path | None = None,
    *,
    list_models: bool | None = None,
    timer: Timer | None = None,
    metrics: Path | None = None,
) -> Prepared:
    """Read mkdocs.yml, check every input and render every page; raise BuildError listing every problem.
    `catalog_dir`, `openapi` and `metrics` (the performance snapshot) override the catalog plugin's options."""
    config = siteconfig.read(config_file)
    if metrics is not None:
        config.metrics = siteconfig.metrics_options(config, metrics)
    guides = config.guides()
    try:
        inputs = pipeline.check(
            catalog_dir or config.catalog, openapi or config.openapi, config.asyncapi, config.metrics
        )
    except BuildError as err:
        err.problems[:0] = nav_problems(config)
        raise
    if timer:
        timer.lap("check")
    catalog, spec = inputs.catalog, inputs.spec
    pages = site.pages(catalog, spec, guides, inputs.asyncapi)
    problems = nav_problems(config, pages) + siteconfig.platform_problems(
        config, catalog.platform, catalog_dir or config.catalog
    )
    if config.try_it_servers is None:
        problems += tryit.spec_server_problems(spec)
    if problems:
        raise BuildError(problems)
    check_generated_examples(inputs, pages)
    glob = site.template_globals(catalog, config.try_it_servers or tryit.spec_servers(spec))
    glob["mcp_url"] = siteconfig.mcp_endpoint(config.mcp_url, catalog.platform.site_url)
    html_md = pipeline.render(glob, pages, False, split=True, templates=config.templates)
    naive = config.list_models if list_models is None else list_models
    nav = config.data.get("nav") or siteconfig.default_nav(guides)
    nav = siteconfig.expand_nav(nav, site.sections(catalog, pages, list_models=naive), {p.path: p.title for p in pages})
    return Prepared(config, inputs, pages, glob, html_md, nav, naive)


def nav_problems(config: siteconfig.SiteConfig, pages: list[Page] | None = None) -> list[Problem]:
    """Navigation entries of mkdocs.yml that point nowhere. Without `pages` (the catalog did not check),
    an entry under models/, providers/ or api/ is given the benefit of the doubt."""
    if pages is not None:
        return siteconfig.check_nav(config, {p.path for p in pages})
    known = {g.path for g in config.guides()} | {"changelog.md", "pricing.md", "providers/index.md"}
    return [
        p
        for p in siteconfig.check_nav(config, known)
        if not re.search(r" points to (models|providers|api)/", p.message)
    ]


def build(
    catalog_dir: Path | None = None,
    openapi: Path | None = None,
    out: Path = Path("site"),
    *,
    config_file: Path = Path("mkdocs.yml"),
    list_models: bool | None = None,
    engine: str = "mkdocs",
    keep_going: bool = False,
    metrics: Path | None = None,
) -> Report:
    """Build the site of `config_file` (mkdocs.yml) into `out`; on any problem raise BuildError and leave
    `out` as it was. `catalog_dir` and `openapi` override the catalog plugin's options; `list_models` puts
    every model page in the navigation: the naive layout the benchmark measures; `metrics` names another
    performance snapshot (the scheduled refresh's). `engine` builds the HTML: "mkdocs" or "zensical" (see
    engines.py). `keep_going` (the benchmark's) writes the site even when
    the agent files or the output checks find problems, and lists them at the end of the summary instead.

    The core prepares the docs (the guides rendered, the generated pages added) and a derived config; the
    engine turns the markdown into HTML on one core while a forked worker, on the other, checks every
    example and writes the agent files; its CPU time is reported apart, as `agents`, since it overlaps."""
    engines.require(engine)
    timer = Timer()
    prepared = prepare(config_file, catalog_dir, openapi, list_models=list_models, timer=timer, metrics=metrics)
    inputs, pages, catalog = prepared.inputs, prepared.pages, prepared.inputs.catalog
    timer.lap("render")
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    try:
        site_dir = work / "site"
        write_docs(prepared, work / "docs")
        (work / "mkdocs.yml").write_text(siteconfig.dump(prepared.engine_config(work / "docs", site_dir)), "utf-8")
        timer.lap("write")
        plugins = None
        if engine == "mkdocs":
            plugins = BuildPlugins(
                pages, prepared.glob, prepared.html_md, prepared.edit_uris(), templates=prepared.site.templates
            )
        twins = partial(agent_files, templates=prepared.site.templates)
        agents = Background(twins, inputs, pages, prepared.glob, prepared.html_md, work / "agents")
        del prepared.html_md  # the worker has its own copy; the engine reads the files
        try:
            run_engine(engine, work / "mkdocs.yml", catalog, len(pages), plugins, agents)
        except BuildError as err:  # mkdocs' link warnings about a guide, at the guide's template line
            raise BuildError(
                links.in_templates(err.problems, links.guide_sources(pages, prepared.site.templates), pages)
            ) from None
        timer.lap("html")
        kept, written, beside = agents_done(agents, keep_going)
        if plugins is not None:
            beside += plugins.summary()
        merge(work / "agents", site_dir)
        problems = check_output(site_dir, catalog, pages)
        if problems and not keep_going:
            raise BuildError(problems)
        kept += problems
        timer.lap("bundles")
        size = sum(f.stat().st_size for f in site_dir.rglob("*") if f.is_file())
        swap(site_dir, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seconds = sum(timer.stages.values())
    return Report(
        f"built {len(pages)} pages ({len(catalog.models)} models, {len(catalog.providers)} providers), "
        f"{size / 1_000_000:.1f} MB into {display_path(out)} with {engine} in {seconds:.1f} s; "
        + (bundles.brief(written.sizes) if written else "agent files not written"),
        f"{size:,} bytes, {seconds:.1f} s: {timer.summary()}{beside}; "
        + (bundles.summary(written.sizes) if written else "bundles: not written"),
        written.notices if written else [],
        kept,
    )


@dataclass(frozen=True)
class Report:
    """What a build says: one short line (pages, models, bytes, time, the agent files and the fullest
    bundle), the details `--verbose` adds (every stage's seconds, how each page got its HTML, every bundle
    against its budget), a line for each bundle its budget changed, and the problems `keep_going` kept."""

    line: str
    details: str
    notices: list[str]
    problems: list[Problem]

    def __str__(self) -> str:
        return "\n".join([self.line, *self.notices, *(f"problem: {p}" for p in self.problems)])

    def verbose(self) -> str:
        return "\n".join([self.line, self.details, *self.notices, *(f"problem: {p}" for p in self.problems)])


def run_engine(
    engine: str, config_file: Path, catalog, pages: int, plugins: BuildPlugins | None, agents: Background
) -> None:
    """Build the HTML with `engine` while `agents` works; when the engine fails, the worker's problems are
    reported with its, all at once."""
    try:
        if engine == "zensical":
            engines.run_zensical(config_file, build_epoch(catalog))
        else:
            assert plugins is not None
            run_mkdocs(config_file, build_epoch(catalog), pages, plugins)
    except BuildError as err:
        try:
            agents.result()
        except BuildError as more:
            err.problems[:0] = more.problems
        raise
    except BaseException:
        agents.cancel()  # interrupted: the worker's result will not be asked for (it may still be running)
        raise


def agents_done(agents: Background, keep_going: bool) -> tuple[list[Problem], bundles.Written | None, str]:
    """The worker's problems (kept only with `keep_going`), what it wrote and its timing note."""
    try:
        written, seconds = agents.result()
    except BuildError as err:
        if not keep_going:
            raise
        return err.problems, None, ""
    return [], written, f"; agents {seconds:.2f} s beside html on the second core" if agents.proc else ""


def write_docs(prepared: Prepared, docs_dir: Path, only: set[str] | None = None) -> dict[str, str | bytes]:
    """Write what an engine reads into `docs_dir` (or only the paths of `only`): docs_dir's own files
    other than the guides' sources, then the rendered guides and generated files. Returns them all."""
    files = {**static_files(prepared.site), **prepared.docs()}
    docs = Writer(docs_dir)
    for path in sorted(files) if only is None else sorted(only):
        docs.write(path, files[path])
    return files


def static_files(config: siteconfig.SiteConfig) -> dict[str, bytes]:
    """docs_dir's files that are not guides (images, a logo, CSS of the docs team's own), by path."""
    docs = config.docs_dir
    return {
        p.relative_to(docs).as_posix(): p.read_bytes()
        for p in sorted(docs.rglob("*"))
        if p.is_file() and not p.name.endswith(siteconfig.GUIDE_SUFFIXES)
    }


def docs_files(catalog, html_md: dict[str, str], templates: Path) -> dict[str, str | bytes]:
    """What the engine reads besides docs_dir's own files: every page's markdown, the assets (of the
    templates directory `templates`), and the changelog's data files."""
    files: dict[str, str | bytes] = dict(html_md)
    for asset in sorted((templates / "assets").iterdir()):
        files[f"assets/{asset.name}"] = asset.read_bytes()
    files["changelog.json"] = changes.changelog_json(catalog)
    files["changelog.xml"] = changes.changelog_atom(catalog)
    return files


def agent_files(
    inputs: pipeline.Inputs,
    pages: list[Page],
    glob: dict,
    html_md: dict[str, str],
    dest: Path,
    check_docs: bool = True,
    *,
    templates: Path | None = None,
) -> tuple[bundles.Written, float]:
    """Check every example and number (unless the caller did), then write the twins (rendered from
    `templates`, default the shipped ones), bundles and JSON into `dest` and check them. Returns what the
    bundles say of themselves (their sizes, a line for each one its budget changed) and the seconds spent."""
    start = time.perf_counter()
    if check_docs:
        pipeline.check_docs(inputs, pages, html_md, templates)
    renderer = Renderer(glob, twin=True, templates=templates)
    writer = Writer(dest)
    written = bundles.write_bundles(
        inputs.catalog,
        inputs.spec,
        pages,
        ((p, renderer.render(p)) for p in pages),
        writer.write,
        mcp_url=glob.get("mcp_url"),
    )
    problems = bundles.check_files(dest, inputs.catalog, inputs.spec, pages)
    if problems:
        raise BuildError(problems)
    return written, time.perf_counter() - start


def check_output(site_dir: Path, catalog, pages: list[Page]) -> list[Problem]:
    """What the build wrote: the agent files beside the HTML, and every link and asset of every HTML page."""
    return bundles.check_site(site_dir, catalog, pages) + linkcheck.check_site(site_dir, catalog.platform.site_url)


def merge(src: Path, dest: Path) -> None:
    """Move every file of `src` into `dest` at the same relative path (the agent files beside the HTML)."""
    for path in sorted(src.rglob("*")):
        if path.is_file():
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)


def check_generated_examples(inputs: pipeline.Inputs, pages: list[Page]) -> None:
    """Examples the generator derives (streaming, tool calling) must pass the same checks as authored ones."""
    problems = []
    for page in pages:
        view = page.view
        for ex in (getattr(view, "streaming", None), getattr(view, "tools", None)):
            if ex is None:
                continue
            for path, message in request_findings(inputs.spec, inputs.catalog, ex.endpoint, ex.body):
                problems.append(Problem(page.path, 0, f"generated {ex.title.lower()} example: {message}", path))
    if problems:
        raise BuildError(problems)


def build_epoch(catalog) -> int:
    """The sitemap and gzip timestamps come from the catalog's date, never from the clock."""
    day = time.strptime(str(catalog.platform.updated), "%Y-%m-%d")
    return calendar.timegm(day)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _Progress(logging.Handler):
    """Count the pages mkdocs reads and writes, and show it on a terminal (never in CI or a pipe)."""

    def __init__(self, total: int) -> None:
        super().__init__(logging.DEBUG)
        self.total, self.done = total, 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(("Reading: ", "Building page ")):
            self.done += 1
            if self.done % 100 == 0 or self.done == 2 * self.total:
                sys.stderr.write(f"\rhtml: {self.done}/{2 * self.total} page steps (read, then write)")
                sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")
        super().close()


def _dirty_notice(record: logging.LogRecord) -> bool:
    """mkdocs warns that a dirty build may leave stale navigation; ours only rebuilds when the navigation
    is unchanged, so the warning (which strict mode would count) is dropped."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def show_progress(pages: int) -> bool:
    """Progress lines for large builds, on an interactive terminal only."""
    return pages >= 1000 and sys.stderr.isatty() and not os.environ.get("CI")


def run_mkdocs(config_file: Path, epoch: int, pages: int, plugins: BuildPlugins, *, dirty: bool = False) -> None:
    """Build HTML with mkdocs in strict mode; every warning becomes a reported problem. `dirty` rebuilds
    only the pages whose markdown is newer than their HTML (for `serve`); `plugins` are added to the
    configured ones, after them."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    log = logging.getLogger("mkdocs")
    collect = _Collect()
    log.addHandler(collect)
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(_dirty_notice)
    progress = _Progress(pages) if show_progress(pages) else None
    level = build_log.level
    if progress:
        build_log.setLevel(logging.DEBUG)
        build_log.addHandler(progress)
    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        config = load_config(config_file=str(config_file), strict=True)
        plugins.install(config.plugins)
        mkdocs_build(config, dirty=dirty)
    except (Abort, MkDocsException) as err:
        messages = collect.messages or [str(err)]
        raise BuildError([Problem("mkdocs", 0, m) for m in messages]) from None
    finally:
        log.removeHandler(collect)
        build_log.removeFilter(_dirty_notice)
        if progress:
            build_log.removeHandler(progress)
            build_log.setLevel(level)
            progress.close()
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch


def swap(new: Path, out: Path) -> None:
    """Replace `out` by `new` with two renames, so readers never see a half-written site."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        out.rename(old)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
