"""The root mkdocs.yml, as the engine-neutral core reads it: the catalog plugin's options, the guides, the
navigation with the generated sections in place, what the generator requires, and the config an engine
builds from. mkdocs (through the plugin) and zensical (through a derived config) are adapters over this."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c

from generator.load.yamlfile import child_path, node_lines, parent_path
from generator.problems import BuildError, Problem, did_you_mean, display_path
from generator.validate.metrics import MetricsOptions

PLUGIN = "catalog"  # the entry point name, as mkdocs.yml lists it
MARKERS = {"catalog:models": "Models", "catalog:api": "API reference"}  # generated sections, by marker
GUIDE_SUFFIXES = (".md.j2", ".md")
# What the generator requires of mkdocs' checks: (option path, required level). A missing one is added.
REQUIRED_VALIDATION = {
    ("links", "not_found"): "warn",
    ("links", "anchors"): "warn",
    ("links", "unrecognized_links"): "warn",
    ("links", "absolute_links"): "relative_to_docs",
    ("nav", "not_found"): "warn",
    ("nav", "omitted_files"): "ignore",
}
LEVELS = {"ignore": 0, "info": 1, "warn": 2}


class CatalogOptions(base.Config):
    """The catalog plugin's options, each relative to mkdocs.yml."""

    catalog = c.Dir(exists=True, default="catalog")
    """The catalog directory: platform.yaml, providers/, profiles/, models/, schema/."""
    openapi = c.File(exists=True, default="openapi.yaml")
    """The OpenAPI document of every public endpoint."""
    asyncapi = c.Optional(c.File(exists=True))
    """The AsyncAPI document of the streaming events, when there is one."""
    templates = c.Dir(exists=True, default="templates")
    """The Jinja templates of the generated pages; the guides (docs_dir) lie inside it."""
    list_models = c.Type(bool, default=False)
    """List every model page in the navigation (the naive layout the benchmark compares against)."""
    try_it_servers = c.Optional(c.ListOfItems(c.Type(str)))
    """The API base URLs the Try it console may call (https:, http: on a loopback address, or a path of the
    docs host routed to the API); without it, openapi.yaml's `servers`. See docs/try-it.md."""
    metrics = c.Optional(c.File(exists=True))
    """The gateway's performance snapshot (JSON, docs/metrics.md); without it no page shows performance."""
    metrics_max_age_days = c.Type(int, default=14)
    """A snapshot whose window ended more days than this before the catalog's `updated` date is refused."""
    metrics_min_requests = c.Type(int, default=100)
    """A model measured on fewer requests shows "not enough traffic to measure" instead of figures."""
    mcp_url = c.Type((str, bool), default=True)
    """The URL of the docs' MCP server (`generator mcp --http` behind the proxy, docs/mcp.md): true for
    `<site_url>mcp`, false to name no MCP endpoint anywhere on the site."""


@dataclass(frozen=True)
class Guide:
    path: str  # the page's docs path, e.g. support.md
    title: str
    template: str  # relative to the templates directory, e.g. guides/support.md.j2


@dataclass
class SiteConfig:
    """mkdocs.yml as written (`data`), the line of each JSON path, and the plugin's checked options."""

    path: Path
    data: dict[str, Any]
    lines: dict[str, int]
    catalog: Path
    openapi: Path
    asyncapi: Path | None
    templates: Path
    list_models: bool
    try_it_servers: tuple[str, ...] | None = None
    metrics: MetricsOptions | None = None
    mcp_url: str | bool = True

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def docs_dir(self) -> Path:
        return (self.root / str(self.data.get("docs_dir", "docs"))).resolve()

    def line(self, json_path: str) -> int:
        """The line of `json_path`, or of its nearest parent that has one (0: the file has neither)."""
        while json_path and json_path not in self.lines:
            json_path = parent_path(json_path)
        return self.lines.get(json_path, 0)

    def problem(self, json_path: str, message: str) -> Problem:
        return Problem(display_path(self.path), self.line(json_path), message)

    def guides(self) -> list[Guide]:
        """Every guide of docs_dir (`x.md.j2` or `x.md`), in the order of the navigation, then by path."""
        return guides(self.docs_dir, self.templates, self.data.get("nav"))


def read(config_file: Path) -> SiteConfig:
    """Read and check mkdocs.yml; raise BuildError listing every problem, each with its line."""
    path = config_file.resolve()
    shown = display_path(config_file)
    try:
        text = path.read_text("utf-8")
    except OSError as err:
        raise BuildError(
            [
                Problem(
                    shown,
                    0,
                    f"cannot read the site config: {err.strerror}; run from the "
                    "directory that holds mkdocs.yml, or pass --config-file",
                )
            ]
        ) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = load_data(text, path)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        col = f", column {mark.column + 1}" if mark else ""
        raise BuildError(
            [Problem(shown, mark.line + 1 if mark else 0, f"YAML syntax error{col}: {err.problem or err}")]
        ) from None
    if not isinstance(data, dict):
        raise BuildError([Problem(shown, 1, "mkdocs.yml must be a mapping of settings (site_name: ...)")])
    lines = node_lines(node)
    options, problems = plugin_options(data, path, lines, shown)
    if problems:
        raise BuildError(problems)
    site = SiteConfig(path, data, lines, **options)
    problems = required(site) + try_it_problems(site, index_of_plugin(data))
    if problems:
        raise BuildError(problems)
    return site


def load_data(text: str, path: Path) -> Any:
    """The values as mkdocs reads them (its !ENV and !relative tags, and !!python/name for extensions)."""
    from mkdocs.utils.yaml import get_yaml_loader

    loader = get_yaml_loader()
    stream = loader(text)
    stream.name = str(path)
    try:
        return stream.get_single_data()
    finally:
        stream.dispose()


def plugin_entry(data: dict) -> tuple[int, dict] | None:
    """The catalog plugin's index in `plugins` and its options; None when mkdocs.yml does not list it."""
    plugins = data.get("plugins") or []
    if isinstance(plugins, dict):  # mkdocs also accepts a mapping of plugin names
        plugins = [{k: v} for k, v in plugins.items()]
    for i, item in enumerate(plugins):
        if item == PLUGIN:
            return i, {}
        if isinstance(item, dict) and PLUGIN in item:
            return i, item[PLUGIN] or {}
    return None


def plugin_options(data: dict, path: Path, lines: dict[str, int], shown: str) -> tuple[dict, list[Problem]]:
    """The plugin's options checked against its schema: an unknown or wrong one is a problem with its line."""
    entry = plugin_entry(data)
    if entry is None:
        return {}, [
            Problem(
                shown, lines.get("$.plugins", 1), f"the {PLUGIN} plugin is not listed: add `- {PLUGIN}` under plugins"
            )
        ]
    index, raw = entry
    base_path = f"$.plugins[{index}].{PLUGIN}"
    problems = [
        Problem(shown, lines.get(f"{base_path}.{key}", lines.get(base_path, 0)), message)
        for key, message in check_options(raw, str(path))
    ]
    if problems:
        return {}, problems
    opts = CatalogOptions(config_file_path=str(path))
    opts.load_dict(raw)
    opts.validate()
    asyncapi = Path(opts.asyncapi) if opts.asyncapi else None
    return {
        "catalog": Path(opts.catalog),
        "openapi": Path(opts.openapi),
        "asyncapi": asyncapi,
        "templates": Path(opts.templates).resolve(),
        "list_models": opts.list_models,
        "try_it_servers": None if opts.try_it_servers is None else tuple(opts.try_it_servers),
        "metrics": MetricsOptions(Path(opts.metrics), opts.metrics_max_age_days, opts.metrics_min_requests)
        if opts.metrics
        else None,
        "mcp_url": opts.mcp_url,
    }, []


def metrics_options(site: SiteConfig, snapshot: Path) -> MetricsOptions:
    """The metrics options of mkdocs.yml with another snapshot (`build --metrics`)."""
    if site.metrics is None:
        return MetricsOptions(snapshot)
    return MetricsOptions(snapshot, site.metrics.max_age_days, site.metrics.min_requests)


def check_options(raw: Any, config_file_path: str | None) -> list[tuple[str, str]]:
    """What is wrong with the plugin's options, each as (option, message); an unknown name is wrong too."""
    if not isinstance(raw, dict):
        return [("", f"the {PLUGIN} plugin's options must be a mapping (catalog: catalog)")]
    opts = CatalogOptions(config_file_path=config_file_path)
    opts.load_dict(raw)
    errors, warnings = opts.validate()
    names = [name for name, _ in CatalogOptions._schema]
    out = [(k, f"plugin '{PLUGIN}' option '{k}': {e}") for k, e in errors]
    for k, w in warnings:
        if str(w).startswith("Unrecognised configuration name"):
            out.append(
                (
                    k,
                    f"plugin '{PLUGIN}' has no option '{k}'{did_you_mean(k, names)}; its options are "
                    f"{', '.join(names)}",
                )
            )
        else:
            out.append((k, f"plugin '{PLUGIN}' option '{k}': {w}"))
    return out


def required(site: SiteConfig) -> list[Problem]:
    """What the generator needs of mkdocs.yml; each contradiction is a problem naming the fix."""
    data, problems = site.data, []
    if data.get("strict") is False:
        problems.append(
            site.problem(
                "$.strict",
                "strict: false contradicts the catalog plugin, which counts "
                "every warning as a problem: remove the line",
            )
        )
    if data.get("use_directory_urls") is False:
        problems.append(
            site.problem(
                "$.use_directory_urls",
                "use_directory_urls: false contradicts the "
                "catalog plugin (the agent files link to x/ pages): remove the line",
            )
        )
    validation = data.get("validation") or {}
    for (group, key), level in REQUIRED_VALIDATION.items():
        given = (validation.get(group) or {}).get(key) if isinstance(validation, dict) else None
        if given is None or key == "absolute_links" or key == "omitted_files":
            continue
        if LEVELS.get(str(given), 2) < LEVELS[level]:
            problems.append(
                site.problem(
                    f"$.validation.{group}.{key}",
                    f"validation.{group}.{key}: {given} hides what the catalog plugin "
                    f"reports as a problem: set it to {level} or remove it",
                )
            )
    docs = site.docs_dir
    if not docs.is_dir():
        problems.append(site.problem("$.docs_dir", f"docs_dir {display_path(docs)} is not a directory"))
    elif not docs.is_relative_to(site.templates):
        problems.append(
            site.problem(
                "$.docs_dir",
                f"docs_dir must lie inside the plugin's templates directory "
                f"({display_path(site.templates)}): the guides are templates",
            )
        )
    return problems


def index_of_plugin(data: dict) -> int:
    entry = plugin_entry(data)
    return entry[0] if entry else 0


def try_it_problems(site: SiteConfig, index: int) -> list[Problem]:
    """Each server of `try_it_servers` the console may not call, with its line and the fix."""
    from generator.views.tryit import server_problem

    base = f"$.plugins[{index}].{PLUGIN}.try_it_servers"
    if site.try_it_servers is not None and not site.try_it_servers:
        return [site.problem(base, "try_it_servers is empty: list at least one server, or remove it")]
    return [
        site.problem(f"{base}[{i}]", f"try_it_servers: {message}")
        for i, url in enumerate(site.try_it_servers or ())
        if (message := server_problem(url))
    ]


def guides(docs_dir: Path, templates: Path, nav: Any) -> list[Guide]:
    """Every guide of docs_dir, in navigation order, then by path."""
    found: dict[str, Path] = {}
    for src in sorted(docs_dir.rglob("*")):
        rel = src.relative_to(docs_dir).as_posix()
        if src.is_file() and rel.endswith(GUIDE_SUFFIXES):
            found[rel.removesuffix(".j2")] = src
    order = [p for p in nav_paths(nav or []) if p in found]
    ranked = list(dict.fromkeys(order + sorted(found, key=lambda p: (p != "index.md", p))))
    return [Guide(p, title_of(found[p]), found[p].relative_to(templates).as_posix()) for p in ranked]


def title_of(src: Path) -> str:
    """A guide's title: its first `# ` heading, else its file name."""
    for line in src.read_text("utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return src.name.split(".")[0].replace("-", " ").capitalize()


def nav_paths(nav: Any) -> list[str]:
    """Every page path the navigation names, in order."""
    return [path for _, path, _ in nav_entries(nav, "$.nav")]


def nav_entries(nav: Any, json_path: str) -> list[tuple[str, str, str]]:
    """(title, path, JSON path) of every leaf of the navigation; title is "" when the entry has none."""
    out: list[tuple[str, str, str]] = []
    items = nav if isinstance(nav, list) else [nav]
    for i, item in enumerate(items):
        at = child_path(json_path, i) if isinstance(nav, list) else json_path
        if isinstance(item, str):
            out.append(("", item, at))
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    out.append((str(title), value, child_path(at, title)))
                else:
                    out += nav_entries(value, child_path(at, title))
    return out


def is_link(target: str) -> bool:
    return "://" in target or target.startswith(("/", "mailto:", "#"))


def check_nav(site: SiteConfig, pages: set[str]) -> list[Problem]:
    """Every navigation entry must name a guide, a generated page, a marker or a link."""
    problems = []
    guide_dir = display_path(site.docs_dir)
    for title, target, at in nav_entries(site.data.get("nav") or [], "$.nav"):
        if target in MARKERS or is_link(target) or PurePosixPath(target).as_posix() in pages:
            continue
        label = f"nav entry '{title}'" if title else "a nav entry"
        problems.append(
            site.problem(
                at,
                f"{label} points to {target}{did_you_mean(target, pages)}, which is neither a guide in {guide_dir} "
                f"nor a generated page: create {guide_dir}/{target}.j2 or fix the path",
            )
        )
    return problems


def expand_nav(nav: Any, sections: dict[str, list], titles: dict[str, str]) -> list:
    """The navigation with each marker replaced by its generated section (a section no marker places is
    added at the end under its default title), and each bare path given its page's title (`titles`): a
    page's own title is only known once it is rendered, which the build's compact pages undo."""
    used: set[str] = set()

    def walk(items: list) -> list:
        out: list = []
        for item in items:
            if isinstance(item, str) and item in sections:
                used.add(item)
                out += sections[item]
            elif isinstance(item, str) and item in titles:
                out.append({titles[item]: item})
            elif isinstance(item, dict):
                entry = {}
                for title, value in item.items():
                    if isinstance(value, str) and value in sections:
                        used.add(value)
                        entry[title] = sections[value]
                    elif isinstance(value, list):
                        entry[title] = walk(value)
                    else:
                        entry[title] = value
                out.append(entry)
            else:
                out.append(item)
        return out

    out = walk(copy.deepcopy(nav))
    out += [{MARKERS[m]: items} for m, items in sections.items() if m not in used]
    return out


def default_nav(guides_: list[Guide]) -> list:
    """Without a nav in mkdocs.yml: the guides by path (home first) and the changelog; the sections follow.
    Guides under api/ go with the API reference section."""
    listed = sorted((g for g in guides_ if not g.path.startswith("api/")), key=lambda g: (g.path != "index.md", g.path))
    return [{g.title: g.path} for g in listed] + [{"Changelog": "changelog.md"}]


def platform_problems(site: SiteConfig, platform: Any, catalog_dir: Path) -> list[Problem]:
    """mkdocs.yml's site_name and site_url against catalog/platform.yaml's, which the bundles, the changelog
    feed and the guides read: the two must agree."""
    where = display_path(catalog_dir / "platform.yaml")
    return [
        site.problem(
            f"$.{key}",
            f"{key} is {site.data.get(key)!r} but {where} says {getattr(platform, key)!r}: make them the same",
        )
        for key in ("site_name", "site_url")
        if site.data.get(key) != getattr(platform, key)
    ]


# Python-Markdown's last word on every page: no URL attribute of a script-capable scheme (textpolicy.py).
URL_GUARD = "generator.validate.textpolicy"


def required_extensions(extensions: list) -> list:
    """mkdocs.yml's markdown_extensions with the URL guard the generator requires (added when left out)."""
    names = [next(iter(e)) if isinstance(e, dict) else e for e in extensions]
    return extensions if URL_GUARD in names else [*extensions, URL_GUARD]


def engine_config(site: SiteConfig, nav: list, extra: dict, docs_dir: Path, site_dir: Path) -> dict[str, Any]:
    """The config an engine builds from: mkdocs.yml with the docs prepared in `docs_dir`, the navigation
    expanded, what the generator requires set, and the catalog plugin left out (its work is done)."""
    config = copy.deepcopy(site.data)
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(site_dir)
    config["strict"] = True
    config["nav"] = nav
    config["markdown_extensions"] = required_extensions(config.get("markdown_extensions") or [])
    config["extra"] = {**(config.get("extra") or {}), **extra}
    validation = config.setdefault("validation", {})
    for (group, key), level in REQUIRED_VALIDATION.items():
        validation.setdefault(group, {}).setdefault(key, level)
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((site.root / theme["custom_dir"]).resolve())
    index, _ = plugin_entry(config) or (None, None)
    plugins = config.get("plugins")
    if isinstance(plugins, dict):
        plugins.pop(PLUGIN, None)
    elif index is not None and isinstance(plugins, list):
        del plugins[index]
    for key in ("hooks", "watch"):
        if isinstance(config.get(key), list):
            config[key] = [str((site.root / p).resolve()) for p in config[key]]
    return config


def link_config(site: SiteConfig) -> Any:
    """The MkDocsConfig mkdocs checks the guides' links with: the engine's config (its Markdown extensions
    and the validation levels the generator requires) over the guides' own folder."""
    from mkdocs.config.defaults import MkDocsConfig

    config = MkDocsConfig(config_file_path=str(site.path))
    config.load_dict(engine_config(site, [], {}, site.docs_dir, site.root / "site"))
    errors, _ = config.validate()
    if errors:  # mkdocs.yml's own problems are build's to report, by mkdocs
        raise BuildError([Problem(display_path(site.path), 0, f"{key}: {e}") for key, e in errors])
    return config


def dump(config: dict) -> str:
    """The config as YAML; values mkdocs' loader made from tags (!!python/name) are written back as tags."""
    return yaml.dump(config, sort_keys=False, allow_unicode=True)


def apply_validation(site: SiteConfig, config: Any) -> None:
    """Set on a loaded MkDocsConfig the validation levels the generator requires that mkdocs.yml left out."""
    from mkdocs.config.defaults import MkDocsConfig

    given = site.data.get("validation") or {}
    required: dict[str, dict[str, str]] = {}
    for (group, key), level in REQUIRED_VALIDATION.items():
        required.setdefault(group, {})[key] = level
    levels = MkDocsConfig.validation.run_validation(required)  # mkdocs' own option reads the level names
    for group, keys in required.items():
        for key in keys:
            if key not in (given.get(group) or {}):
                getattr(config.validation, group)[key] = getattr(levels, group)[key]


def mcp_endpoint(option: str | bool, site_url: str) -> str | None:
    """The MCP URL the site names: the `mcp_url` option, `<site_url>mcp` for true, none for false."""
    if option is True:
        return site_url.rstrip("/") + "/mcp"
    return option or None
