"""Rebuilds for `serve`: after an edit, only the pages whose markdown changed go through mkdocs again.

The preview keeps its mkdocs input and output in `.<out>-preview/` beside the served directory. Every
rebuild checks the whole catalog, renders every page and checks every example (on the second core, while
mkdocs runs; clean verdicts are remembered, so that is quick), but writes only the pages whose markdown
changed; mkdocs then rebuilds just those (its dirty mode compares the markdown's and the HTML's times),
and the files it wrote are copied into the served directory. A change of the page list or of the
navigation, and any failure once files were written, makes the next rebuild a full one.

With `agents_after` (what `serve` uses), an incremental rebuild publishes the HTML as soon as mkdocs has
written it and returns, so the browser reloads at once; the agent files (twins, bundles, JSON), which a
forked worker then writes, follow when they are written and checked, and `report` is given their
line (or their problems: the served agent files then stay as they were). The next rebuild stops a worker
still at it."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from generator import bundles, pipeline
from generator.build import Timer, agent_files, build_epoch, merge, prepare, run_mkdocs, static_files, swap, write_docs
from generator.parallel import Background
from generator.problems import BuildError, count
from generator.site import config as siteconfig
from generator.site.mkdocs_plugins import BuildPlugins


class Preview:
    def __init__(
        self,
        catalog_dir: Path | None = None,
        openapi: Path | None = None,
        out: Path = Path("site"),
        *,
        config_file: Path = Path("mkdocs.yml"),
        agents_after: bool = False,
        report: Callable[[str], None] = print,
    ) -> None:
        self.catalog_dir, self.openapi, self.out = catalog_dir, openapi, out.resolve()
        self.config_file = config_file
        self.agents_after, self.report = agents_after, report
        self.pending: tuple[threading.Thread, Background] | None = None  # agent files still to follow
        self.work = self.out.parent / f".{self.out.name}-preview"
        self.docs: dict[str, str | bytes] | None = None  # what mkdocs last built from
        self.config = ""

    def rebuild(self) -> str:
        """Check, render and rebuild what changed; raise BuildError and leave the served site as it was."""
        self.stop_pending()
        timer = Timer()
        started = time.time()
        prepared = prepare(self.config_file, self.catalog_dir, self.openapi)
        inputs, pages, catalog = prepared.inputs, prepared.pages, prepared.inputs.catalog
        shutil.rmtree(self.work / "agents", ignore_errors=True)

        def start_agents() -> Background:
            twins = partial(agent_files, templates=prepared.site.templates)
            return Background(twins, inputs, pages, prepared.glob, prepared.html_md, self.work / "agents", False)

        agents: Background | None = None
        # the examples and numbers are checked on the second core while mkdocs runs; nothing is served before
        checked = Background(pipeline.check_docs, inputs, pages, prepared.html_md, prepared.site.templates)
        try:
            timer.lap("check")
            docs = {**static_files(prepared.site), **prepared.docs()}
            site_dir = self.work / "site"
            config = siteconfig.dump(prepared.engine_config(self.work / "docs", site_dir))
            last = self.docs
            full = last is None or config != self.config or docs.keys() != last.keys()
            changed = sorted(docs) if last is None or full else [p for p in docs if docs[p] != last[p]]
            self.docs = None  # until this rebuild succeeds, the next one is a full one
            later = self.agents_after and not full  # the agent files after the HTML, off its critical path
            if not later:
                agents = start_agents()
            if full:
                shutil.rmtree(self.work / "docs", ignore_errors=True)
                shutil.rmtree(self.work / "site", ignore_errors=True)
            write_docs(prepared, self.work / "docs", set(changed))
            (self.work / "mkdocs.yml").write_text(config, "utf-8")
            plugins = BuildPlugins(
                pages,
                prepared.glob,
                prepared.html_md,
                prepared.edit_uris(),
                templates=prepared.site.templates,
                search_index=None if full else site_dir / "search/search_index.json",
            )
            run_mkdocs(self.work / "mkdocs.yml", build_epoch(catalog), len(pages), plugins, dirty=not full)
            checked.result()
            if later:
                timer.lap("html")
                publish_newer(site_dir, self.out, started)
                self.docs, self.config = docs, config
                timer.lap("publish")
                agents = start_agents()
                thread = threading.Thread(target=self.agents_phase, args=(agents, site_dir, catalog, pages, started))
                self.pending = (thread, agents)
                thread.start()
                return (
                    f"rebuilt {sum(1 for p in changed if p.endswith('.md'))} of {len(pages)} pages (the others "
                    f"unchanged) into {self.out} in {sum(timer.stages.values()):.1f} s: {timer.summary()}; "
                    "the agent files follow"
                )
            assert agents is not None
            written, _ = agents.result()
        except BaseException:
            if agents is not None:
                agents.cancel()
            checked.cancel()
            raise
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
        return "\n".join(
            [
                f"rebuilt {what} into {self.out} in {sum(timer.stages.values()):.1f} s: {timer.summary()}; "
                + bundles.brief(written.sizes),
                *written.notices,
            ]
        )

    def agents_phase(self, agents: Background, site_dir: Path, catalog, pages, started: float) -> None:
        """Wait for the agent files, check them beside the HTML, publish them, and report either way."""
        try:
            written, _ = agents.result()
            merge(self.work / "agents", site_dir)
            problems = bundles.check_site(site_dir, catalog, pages)
            if problems:
                raise BuildError(problems)
        except BuildError as err:
            self.docs = None  # the next rebuild is a full one
            lines = [str(p) for p in err.problems]
            self.report(
                "\n".join([*lines, f"{count(len(lines), 'problem')} in the agent files; they stay as they were."])
            )
            return
        except Exception as err:  # noqa: BLE001 - stopped by the next rebuild, which reports its own
            if self.pending is not None:  # not stopped: the worker failed
                self.docs = None
                self.report(f"the agent files were not written: {err}")
            return
        publish_newer(site_dir, self.out, started)
        self.report(
            f"agent files updated {time.time() - started:.1f} s after the edit was read; {bundles.brief(written.sizes)}"
        )
        for notice in written.notices:
            self.report(notice)

    def stop_pending(self) -> None:
        """Stop the agent files of the last rebuild if they are still being written."""
        if self.pending is not None:
            thread, agents = self.pending
            self.pending = None
            agents.cancel()
            thread.join()

    def wait(self) -> None:
        """Until the agent files of the last rebuild are published (or reported as failing)."""
        if self.pending is not None:
            self.pending[0].join()
            self.pending = None


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
