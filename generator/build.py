"""`build`: check → render → write → site (mkdocs) → bundles, into a temp dir swapped in at the end."""

from __future__ import annotations

import calendar
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import bundles, changes, engines, pipeline, site
from .examples import request_findings
from .problems import BuildError, Problem
from .render import TEMPLATES, Page, Renderer
from .write import Writer


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


def build(catalog_dir: Path, openapi: Path, out: Path, *, list_models: bool = False, engine: str = "mkdocs") -> str:
    """Build the site into `out`; on any problem raise BuildError and leave `out` as it was.
    `list_models` puts every model page in the navigation: the naive layout the benchmark measures.
    `engine` builds the HTML: "mkdocs" or "zensical" (see engines.py)."""
    engines.require(engine)
    timer = Timer()
    inputs = pipeline.check(catalog_dir, openapi)
    timer.lap("check")
    catalog, spec = inputs.catalog, inputs.spec
    pages = site.pages(catalog, spec)
    check_generated_examples(inputs, pages)
    glob = site.template_globals(catalog)
    html_md = _render(glob, pages, False)
    twins = _render(glob, pages, True)
    timer.lap("render")
    pipeline.check_docs(inputs, pages, html_md)  # every example and every typed number
    timer.lap("docs")
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    try:
        docs = Writer(work / "docs")
        for path, text in html_md.items():
            docs.write(path, text)
        for asset in sorted((TEMPLATES / "assets").iterdir()):
            docs.write(f"assets/{asset.name}", asset.read_bytes())
        docs.write("changelog.json", changes.changelog_json(catalog))
        docs.write("changelog.xml", changes.changelog_atom(catalog))
        site_dir = work / "site"
        config = site.mkdocs_config(catalog, pages, work / "docs", site_dir, TEMPLATES / "theme",
                                    list_models=list_models)
        (work / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
        timer.lap("write")
        if engine == "zensical":
            engines.run_zensical(work / "mkdocs.yml", build_epoch(catalog))
        else:
            run_mkdocs(work / "mkdocs.yml", build_epoch(catalog), len(pages))
        timer.lap("html")
        files = bundles.bundles(catalog, spec, pages, twins)
        bundle_writer = Writer(site_dir)
        for path, text in files.items():
            bundle_writer.write(path, text)
        problems = bundles.check_bundles(site_dir, catalog, spec, pages)
        if problems:
            raise BuildError(problems)
        bundle_summary = bundles.summary(files)
        timer.lap("bundles")
        size = sum(f.stat().st_size for f in site_dir.rglob("*") if f.is_file())
        swap(site_dir, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return (f"built {len(pages)} pages ({len(catalog.models)} models, {len(catalog.providers)} providers), "
            f"{size:,} bytes into {out} in {sum(timer.stages.values()):.1f} s: {timer.summary()}; {bundle_summary}")


def _render(glob: dict, pages: list[Page], twin: bool) -> dict[str, str]:
    renderer = Renderer(glob, twin=twin)
    return {p.path: renderer.render(p) for p in pages}


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


def show_progress(pages: int) -> bool:
    """Progress lines for large builds, on an interactive terminal only."""
    return pages >= 1000 and sys.stderr.isatty() and not os.environ.get("CI")


def run_mkdocs(config_file: Path, epoch: int, pages: int = 0) -> None:
    """Build HTML with mkdocs in strict mode; every warning becomes a reported problem."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    log = logging.getLogger("mkdocs")
    collect = _Collect()
    log.addHandler(collect)
    progress = _Progress(pages) if show_progress(pages) else None
    build_log = logging.getLogger("mkdocs.commands.build")
    if progress:
        build_log.setLevel(logging.DEBUG)
        build_log.addHandler(progress)
    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        config = load_config(config_file=str(config_file), strict=True)
        mkdocs_build(config)
    except (Abort, MkDocsException) as err:
        messages = collect.messages or [str(err)]
        raise BuildError([Problem("mkdocs", 0, m) for m in messages]) from None
    finally:
        log.removeHandler(collect)
        if progress:
            build_log.removeHandler(progress)
            build_log.setLevel(logging.NOTSET)
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
