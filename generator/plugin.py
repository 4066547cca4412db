"""The catalog plugin: the generator inside `mkdocs build` and `mkdocs serve` (`plugins: [catalog]` in
mkdocs.yml), a thin adapter over the core (build.prepare)."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from functools import partial
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from generator import build
from generator.parallel import Background
from generator.problems import BuildError
from generator.site import config as siteconfig
from generator.site.mkdocs_plugins import BuildPlugins, walk_order


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
        self.strict_counter = None
        try:
            self.prepared = build.prepare(Path(config.config_file_path))
        except BuildError as err:
            raise PluginError("\n".join(str(p) for p in err.problems)) from None
        prepared = self.prepared
        config.nav = prepared.nav
        config.markdown_extensions = siteconfig.required_extensions(config.markdown_extensions)
        config.extra.update(prepared.extra)
        siteconfig.apply_validation(prepared.site, config)
        if prepared.list_models:
            config.theme["features"] = [f for f in config.theme["features"] if f != "navigation.prune"]
        if not config.strict:  # mkdocs only counts warnings when strict was set before the build began
            self.strict_counter = CountWarnings()
            logging.getLogger("mkdocs").addHandler(self.strict_counter)
        self.old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(build.build_epoch(prepared.inputs.catalog))
        BuildPlugins(
            prepared.pages, prepared.glob, prepared.html_md, prepared.edit_uris(), templates=prepared.site.templates
        ).install(config.plugins)
        return config

    def on_files(self, files, config):
        from mkdocs.structure.files import File, Files

        prepared = self.prepared
        sources = {g.template.removeprefix(self.docs_prefix(config)) for g in prepared.site.guides()}
        kept = [f for f in files if f.src_uri not in sources]
        kept += [File.generated(config, path, content=content) for path, content in prepared.docs().items()]
        self.work = Path(tempfile.mkdtemp(prefix=".catalog-agents-"))
        twins = partial(build.agent_files, templates=prepared.site.templates)
        self.agents = Background(
            twins, prepared.inputs, prepared.pages, prepared.glob, prepared.html_md, self.work / "agents"
        )
        return Files(sorted(kept, key=walk_order))

    def docs_prefix(self, config) -> str:
        """The templates-relative folder of docs_dir, e.g. `guides/`."""
        rel = Path(config.docs_dir).resolve().relative_to(self.prepared.site.templates).as_posix()
        return "" if rel == "." else rel + "/"

    def on_serve(self, server, config, builder):
        site = self.prepared.site
        for path in (site.catalog, site.openapi, site.asyncapi, site.templates, site.metrics and site.metrics.path):
            if path is not None:
                server.watch(str(path))
        return server

    def on_post_build(self, config):
        try:
            try:
                written, _ = self.agents.result()
            except BuildError as err:
                raise PluginError("\n".join(str(p) for p in err.problems)) from None
            assert self.work is not None  # on_files made it
            build.merge(self.work / "agents", Path(config.site_dir))
            for notice in written.notices:  # a bundle its budget changed: what moved, and where
                logging.getLogger("mkdocs.plugins.catalog").info(notice)
            if self.strict_counter and self.strict_counter.count:  # mkdocs' own warnings first, as in strict mode
                raise PluginError(
                    f"Aborted with {self.strict_counter.count} warnings: the catalog plugin "
                    "counts every warning as a problem"
                )
            problems = build.check_output(Path(config.site_dir), self.prepared.inputs.catalog, self.prepared.pages)
            if problems:
                raise PluginError("\n".join(str(p) for p in problems))
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
