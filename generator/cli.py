"""The command line, `python -m generator COMMAND`: one function per command, each a thin layer over the stages.

- `check`: the catalog, openapi.yaml, asyncapi.yaml and mkdocs.yml, then every code example and every number
  typed in the docs' prose; it writes nothing.
- `build`: check, then the site (mkdocs, or zensical with --engine) and the agent files, into --out.
- `serve`: build, serve on localhost, rebuild and reload on changes; bad input is reported and the last good
  site stays up.
- `diff`: what changed between two catalogs (directories or models.json); --record writes it to the changelog.
- `new-model`: a model file to fill in, from an endpoint's parameter profile.
- `mcp`: a built site served to AI agents over the Model Context Protocol (stdio).

Problems are printed one a line as `file:line: message` (`check --format github`: Actions annotations), never
as a traceback. Exit codes: 0 done, 1 problems found, 2 a usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from generator import pipeline
from generator.load.yamlfile import YamlError
from generator.problems import BuildError, count, display_path
from generator.scaffold import KINDS
from generator.site.engines import ENGINES

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m generator", description="Validate the EmpirioLabs catalog and build its docs site."
    )
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--catalog", type=Path, default=Path("catalog"), metavar="DIR", help="catalog directory (default: catalog)"
        )
        p.add_argument(
            "--openapi",
            type=Path,
            default=Path("openapi.yaml"),
            metavar="FILE",
            help="OpenAPI document (default: openapi.yaml)",
        )

    def site_inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--config-file",
            type=Path,
            default=Path("mkdocs.yml"),
            metavar="FILE",
            help="the site's mkdocs.yml (default: mkdocs.yml)",
        )
        p.add_argument(
            "--catalog",
            type=Path,
            default=None,
            metavar="DIR",
            help="catalog directory (default: the catalog plugin's option in mkdocs.yml)",
        )
        p.add_argument(
            "--openapi",
            type=Path,
            default=None,
            metavar="FILE",
            help="OpenAPI document (default: the catalog plugin's option in mkdocs.yml)",
        )

    def engine(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--engine",
            choices=ENGINES,
            default="mkdocs",
            help="HTML engine: mkdocs (default) or zensical (pip install -e '.[zensical]')",
        )

    check = sub.add_parser("check", help="validate the catalog and the OpenAPI spec")
    inputs(check)
    check.add_argument(
        "--config-file",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="FILE",
        help="the site's mkdocs.yml, checked when it exists (default: mkdocs.yml)",
    )
    check.add_argument(
        "--asyncapi",
        type=Path,
        default=None,
        metavar="FILE",
        help="AsyncAPI document of the run-events WebSocket (default: asyncapi.yaml, or the "
        "generator's own when the working directory has none)",
    )
    check.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="how to print problems (github: Actions annotations)",
    )
    build = sub.add_parser("build", help="check, then build the site and the agent bundles")
    site_inputs(build)
    build.add_argument(
        "--metrics",
        type=Path,
        default=None,
        metavar="FILE",
        help="performance snapshot (default: the catalog plugin's `metrics` option in mkdocs.yml, if any)",
    )
    build.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="output directory (default: site)")
    build.add_argument(
        "--verbose", action="store_true", help="also print every stage's time and every bundle against its budget"
    )
    engine(build)
    diff = sub.add_parser("diff", help="list what changed between two catalogs (directories or models.json)")
    diff.add_argument("old", type=Path, help="the earlier catalog directory or published models.json")
    diff.add_argument("new", type=Path, help="the later catalog directory or models.json")
    diff.add_argument(
        "--record",
        metavar="YYYY-MM-DD",
        help="also record the changes as a release of that date in <catalog>/changelog.yaml",
    )
    diff.add_argument(
        "--catalog",
        type=Path,
        default=None,
        metavar="DIR",
        help="catalog whose changelog.yaml --record writes (default: NEW when it is a directory)",
    )
    new = sub.add_parser("new-model", help="write a model file to fill in, from an endpoint's parameter profile")
    new.add_argument("model", metavar="PROVIDER/ID")
    new.add_argument("--endpoint", required=True, choices=sorted(KINDS), help="kind of endpoint the model serves")
    new.add_argument("--catalog", type=Path, default=Path("catalog"), metavar="DIR")
    new.add_argument(
        "--new-provider",
        action="store_true",
        help="the provider is new: also write catalog/providers/PROVIDER.yaml to fill in",
    )
    mcp = sub.add_parser("mcp", help="serve a built site to AI agents over the Model Context Protocol (stdio)")
    mcp.add_argument("--site", type=Path, default=Path("site"), metavar="DIR", help="the built site (default: site)")
    mcp.add_argument("--http", action="store_true", help="serve over Streamable HTTP at /mcp instead of stdio")
    mcp.add_argument("--host", default="127.0.0.1", help="with --http: the address to listen on (default: 127.0.0.1)")
    mcp.add_argument("--port", type=int, default=8001, help="with --http: the port to listen on (default: 8001)")
    serve = sub.add_parser("serve", help="build, serve on localhost, rebuild and reload the browser on changes")
    site_inputs(serve)
    serve.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="output directory (default: site)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    engine(serve)
    return root


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "serve":
            return run_serve(args)
        if args.command == "diff":
            return run_diff(args)
        if args.command == "mcp":
            return run_mcp(args)
        if args.command == "new-model":
            return run_new_model(args)
        return run_build(args)
    except BuildError as err:
        fmt = getattr(args, "format", "text")
        for problem in err.problems:
            print(problem.github() if fmt == "github" else str(problem), file=sys.stderr)
        found = f"{count(len(err.problems), 'problem')} found"
        # check never writes: it says only what it found
        print(f"{found}." if args.command == "check" else f"{found}; nothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("interrupted; the previous site is untouched.", file=sys.stderr)
        return 130


def run_mcp(args: argparse.Namespace) -> int:
    from generator.mcpserver import Site, SiteError, serve

    try:
        if args.http:
            from generator.mcpserver.http import serve_http

            serve_http(Site(args.site), args.host, args.port)
        else:
            serve(args.site)
    except SiteError as err:
        print(f"mcp: {err}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """Every problem `build` would report before writing, without building HTML: the inputs, mkdocs.yml,
    every example and number, and the guides' links."""
    from generator.build import nav_problems
    from generator.parallel import Background
    from generator.site import pages as site_pages
    from generator.views import tryit

    start = time.perf_counter()
    site, problems = read_site(args.config_file)  # mkdocs.yml's problems first, as build reports them
    try:
        inputs = pipeline.check(args.catalog, args.openapi, asyncapi_file(args), site.metrics if site else None)
    except BuildError as err:
        raise BuildError(problems + (nav_problems(site) if site else []) + err.problems) from None
    found: list = []
    links = None
    if site is None:
        pages, rendered = pipeline.render_site(inputs)
    else:
        pages = site_pages.pages(inputs.catalog, inputs.spec, site.guides(), inputs.asyncapi)
        problems += site_config_problems(site, inputs, args.catalog, pages)
        servers = site.try_it_servers or tryit.spec_servers(inputs.spec)
        glob = site_pages.template_globals(inputs.catalog, servers)  # as build renders them
        rendered = pipeline.render(glob, pages, False, split=True, templates=site.templates)
        links = Background(guide_links, site, inputs, pages, rendered)  # on the second core, beside the examples
    try:
        pipeline.check_docs(inputs, pages, rendered, site.templates if site else None)
    except BuildError as err:
        found += err.problems
    if links is not None:
        found += links.result()
    if problems or found:
        raise BuildError(problems + sorted(set(found)))
    c = inputs.catalog
    print(
        f"ok: {len(c.models)} models, {len(c.providers)} providers, {len(inputs.spec.operations)} operations "
        f"checked in {time.perf_counter() - start:.2f} s"
    )
    return EXIT_OK


def read_site(config_file: Path) -> tuple[Any, list]:
    """mkdocs.yml when there is one (its templates are the ones rendered), or the problems that keep it from
    being read."""
    from generator.site import config as siteconfig

    if not config_file.is_file():
        return None, []
    try:
        site = siteconfig.read(config_file)
    except BuildError as err:
        return None, err.problems
    return site, []


def site_config_problems(site: Any, inputs: pipeline.Inputs, catalog_dir: Path, pages: list) -> list:
    """A navigation entry of mkdocs.yml that points nowhere, a site name or URL that platform.yaml
    contradicts."""
    from generator.build import nav_problems
    from generator.site import config as siteconfig

    return nav_problems(site, pages) + siteconfig.platform_problems(site, inputs.catalog.platform, catalog_dir)


def guide_links(site: Any, inputs: pipeline.Inputs, pages: list, rendered: dict[str, str]) -> list:
    """The guides' links, as mkdocs would find them in `build`."""
    from generator.build import docs_files, static_files
    from generator.doccheck.links import check_links, guide_sources
    from generator.site import config as siteconfig

    files = [*static_files(site), *docs_files(inputs.catalog, {}, site.templates)]
    return check_links(siteconfig.link_config(site), guide_sources(pages, site.templates), rendered, files)


def asyncapi_file(args: argparse.Namespace) -> Path | None:
    """--asyncapi, else asyncapi.yaml in the working directory; None means the generator's own."""
    if args.asyncapi is not None:
        return args.asyncapi
    return Path("asyncapi.yaml") if Path("asyncapi.yaml").is_file() else None


def run_build(args: argparse.Namespace) -> int:
    from generator.build import build

    report = build(
        args.catalog, args.openapi, args.out, config_file=args.config_file, engine=args.engine, metrics=args.metrics
    )
    print(report.verbose() if args.verbose else report)
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    """Serve the site with live reload; bad input is reported and the last good site stays up."""
    import logging

    from generator.build import build
    from generator.negotiate import markdown_server
    from generator.parallel import Server
    from generator.preview import Preview
    from generator.site import config as siteconfig

    def report(line: str) -> None:  # the agent files' line, which follows the HTML's
        print(line, file=sys.stdout if line.startswith("agent files updated") else sys.stderr, flush=True)

    preview = Preview(
        args.catalog, args.openapi, args.out, config_file=args.config_file, agents_after=True, report=report
    )

    def build_once() -> str:
        if args.engine == "mkdocs":
            return preview.rebuild()
        # zensical: a full build each time
        return str(build(args.catalog, args.openapi, args.out, config_file=args.config_file, engine=args.engine))

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("mkdocs.commands.build").setLevel(logging.WARNING)  # our own line says what was rebuilt
    builder = Server(build_once)  # forked before the server's threads start: see generator/parallel.py

    def rebuild() -> None:
        try:
            print(builder.call(), flush=True)
        except BuildError as err:
            for problem in err.problems:
                print(problem, file=sys.stderr)
            print(
                f"{count(len(err.problems), 'problem')} found; still serving the last good site.",
                file=sys.stderr,
                flush=True,
            )

    rebuild()
    args.out.mkdir(parents=True, exist_ok=True)
    server = markdown_server(builder=rebuild, host=args.host, port=args.port, root=str(args.out.resolve()))
    try:
        site = siteconfig.read(args.config_file)
    except BuildError:  # already reported by the first rebuild; watch the config until it is fixed
        site = None
    watched = [args.config_file, args.catalog, args.openapi]
    if site is not None:
        watched += [site.catalog, site.openapi, site.asyncapi, site.templates, site.metrics and site.metrics.path]
    for path in dict.fromkeys(p.resolve() for p in watched if p is not None):
        server.watch(str(path))
    try:
        server.serve()
    except OSError as err:
        print(
            f"serve: cannot listen on {args.host}:{args.port}: {err.strerror}; pick another with --port",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        builder.close()
    return EXIT_OK


def run_diff(args: argparse.Namespace) -> int:
    """Print every change from OLD to NEW; with --record, write them as a release."""
    import re

    from generator.model import changes

    found = changes.diff(pipeline.catalog_facts(args.old), pipeline.catalog_facts(args.new))
    for change in found:
        print(change.text)
    if not found:
        print("no changes")
    if args.record:
        target = args.catalog or (args.new if args.new.is_dir() else None)
        if target is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.record):
            print("--record needs a date YYYY-MM-DD and a catalog directory (NEW or --catalog)", file=sys.stderr)
            return EXIT_USAGE
        if not found:
            print(f"nothing to record: no release written for {args.record}")
            return EXIT_OK
        try:
            done = changes.record(target, args.record, found)
        except YamlError as err:
            print(f"{target / 'changelog.yaml'}:{err.line}: {err.message}; fix it, then record again", file=sys.stderr)
            return EXIT_PROBLEMS
        was = f", replacing the one recorded before ({count(done.replaced, 'change')})" if done.replaced else ""
        print(
            f"recorded {count(len(found), 'change')} as the {args.record} release in {target / 'changelog.yaml'}{was}"
        )
        if done.updated:
            print(f"set updated: {done.updated} in {target / 'platform.yaml'}")
    return EXIT_OK


def run_new_model(args: argparse.Namespace) -> int:
    from generator.scaffold import write_model

    try:
        paths = write_model(args.catalog, args.model, args.endpoint, new_provider=args.new_provider)
    except (ValueError, FileExistsError) as err:
        print(f"new-model: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {' and '.join(map(display_path, paths))}: replace every TODO, then run `python -m generator check`")
    return EXIT_OK
