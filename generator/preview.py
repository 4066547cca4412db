"""Rebuilds for `serve`: after an edit, only the pages whose markdown changed go through mkdocs again.

The preview keeps its mkdocs input and output in `.<out>-preview/` beside the served directory. Every
rebuild checks the whole catalog, renders every page and checks every example (clean verdicts are
remembered, so that is quick), but writes only the pages whose markdown changed; mkdocs then rebuilds
just those (its dirty mode compares the markdown's and the HTML's times), and the files it wrote are
copied into the served directory. A change of the page list or of the navigation, and any failure once
files were written, makes the next rebuild a full one."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from mkdocs.plugins import BasePlugin

from generator import bundles, pipeline
from generator.build import Timer, agent_files, build_epoch, merge, prepare, run_mkdocs, static_files, swap, write_docs
from generator.parallel import Background
from generator.problems import BuildError
from generator.site import config as siteconfig
from generator.site.direct import DirectPages
from generator.site.mkdocs_plugins import EditLinks, KeepSearchIndex


class Preview:
    def __init__(
        self,
        catalog_dir: Path | None = None,
        openapi: Path | None = None,
        out: Path = Path("site"),
        *,
        config_file: Path = Path("mkdocs.yml"),
    ) -> None:
        self.catalog_dir, self.openapi, self.out = catalog_dir, openapi, out.resolve()
        self.config_file = config_file
        self.work = self.out.parent / f".{self.out.name}-preview"
        self.docs: dict[str, str | bytes] | None = None  # what mkdocs last built from
        self.config = ""

    def rebuild(self) -> str:
        """Check, render and rebuild what changed; raise BuildError and leave the served site as it was."""
        timer = Timer()
        started = time.time()
        prepared = prepare(self.config_file, self.catalog_dir, self.openapi)
        inputs, pages, catalog = prepared.inputs, prepared.pages, prepared.inputs.catalog
        shutil.rmtree(self.work / "agents", ignore_errors=True)
        agents = Background(agent_files, inputs, pages, prepared.glob, prepared.html_md, self.work / "agents", False)
        try:
            pipeline.check_docs(inputs, pages, prepared.html_md)
            timer.lap("check")
            docs = {**static_files(prepared.site), **prepared.docs()}
            site_dir = self.work / "site"
            config = siteconfig.dump(prepared.engine_config(self.work / "docs", site_dir))
            last = self.docs
            full = last is None or config != self.config or docs.keys() != last.keys()
            changed = sorted(docs) if last is None or full else [p for p in docs if docs[p] != last[p]]
            self.docs = None  # until this rebuild succeeds, the next one is a full one
            if full:
                shutil.rmtree(self.work / "docs", ignore_errors=True)
                shutil.rmtree(self.work / "site", ignore_errors=True)
            write_docs(prepared, self.work / "docs", set(changed))
            (self.work / "mkdocs.yml").write_text(config, "utf-8")
            plugins: dict[str, BasePlugin] = {
                "empiriolabs/edit-links": EditLinks(prepared.edit_uris()),
                "direct-pages": DirectPages(pages, prepared.glob, prepared.html_md),
            }
            if not full:
                plugins["keep-search-index"] = KeepSearchIndex(site_dir / "search/search_index.json")
            run_mkdocs(self.work / "mkdocs.yml", build_epoch(catalog), len(pages), dirty=not full, plugins=plugins)
            summary, _ = agents.result()
        finally:
            agents.cancel()
        merge(self.work / "agents", site_dir)
        problems = bundles.check_site(site_dir, catalog, pages)
        if problems:
            raise BuildError(problems)
        timer.lap("html")
        if full:
            publish_all(site_dir, self.out)
        else:
            publish_newer(site_dir, self.out, started)
        self.docs, self.config = docs, config
        timer.lap("publish")
        what = (
            f"{len(pages)} pages"
            if full
            else f"{sum(1 for p in changed if p.endswith('.md'))} of {len(pages)} pages (the others unchanged)"
        )
        return f"rebuilt {what} into {self.out} in {sum(timer.stages.values()):.1f} s: {timer.summary()}; {summary}"


def publish_all(site_dir: Path, out: Path) -> None:
    """Replace the served directory by a copy of the preview's site, with two renames."""
    fresh = out.with_name(f".{out.name}-new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(site_dir, fresh)
    swap(fresh, out)


def publish_newer(site_dir: Path, out: Path, since: float) -> None:
    """Copy into the served directory every file the rebuild wrote, each replaced in one rename."""
    for path in site_dir.rglob("*"):
        if path.is_file() and path.stat().st_mtime >= since:
            target = out / path.relative_to(site_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            shutil.copy2(path, tmp)
            os.replace(tmp, target)
