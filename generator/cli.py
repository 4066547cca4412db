"""Command line: `python -m generator check|build`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator import pipeline
from generator.load.yamlfile import YamlError
from generator.problems import BuildError, plural
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
    build.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="output directory (default: site)")
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
    mcp = sub.add_parser("mcp", help="serve a built site to AI agents over the Model Context Protocol (stdio)")
    mcp.add_argument("--site", type=Path, default=Path("site"), metavar="DIR", help="the built site (default: site)")
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
        print(f"{len(err.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("interrupted; the previous site is untouched.", file=sys.stderr)
        return 130


def run_mcp(args: argparse.Namespace) -> int:
    from generator.mcpserver import SiteError, serve

    try:
        serve(args.site)
    except SiteError as err:
        print(f"mcp: {err}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    try:
        inputs = pipeline.check(args.catalog, args.openapi, asyncapi_file(args))
    except BuildError as err:
        config = site_config_problems(args.config_file) if args.config_file.is_file() else []
        raise BuildError(config + err.problems) from None
    pages: list = []  # the site's pages, when mkdocs.yml's guides are the ones check_docs would render
    problems = site_config_problems(args.config_file, inputs, args.catalog, pages) if args.config_file.is_file() else []
    try:
        if pages:  # rendered once, not again
            from generator.site import pages as site

            pipeline.check_docs(
                inputs, pages, pipeline.render(site.template_globals(inputs.catalog), pages, False, split=True)
            )
        else:
            pipeline.check_docs(inputs)
    except BuildError as err:
        raise BuildError(problems + err.problems) from None
    if problems:
        raise BuildError(problems)
    c = inputs.catalog
    print(
        f"ok: {len(c.models)} models, {len(c.providers)} providers, {len(inputs.spec.operations)} operations "
        f"checked in {time.perf_counter() - start:.2f} s"
    )
    return EXIT_OK


def site_config_problems(
    config_file: Path,
    inputs: pipeline.Inputs | None = None,
    catalog_dir: Path = Path("catalog"),
    pages: list | None = None,
) -> list:
    """What is wrong with mkdocs.yml: as YAML, the catalog plugin's options, a navigation entry that points
    nowhere, a site name or URL that platform.yaml contradicts (`inputs`: the checked catalog of
    `catalog_dir` and the spec, when they checked). `pages` is given the site's pages when its guides are
    the shipped ones, which the doc check renders."""
    from generator.build import nav_problems
    from generator.site import config as siteconfig
    from generator.site import pages as site

    try:
        config = siteconfig.read(config_file)
    except BuildError as err:
        return err.problems
    if inputs is None:
        return nav_problems(config)
    guides = config.guides()
    found = site.pages(inputs.catalog, inputs.spec, guides, inputs.asyncapi)
    if pages is not None and guides == site.shipped_guides():
        pages += found
    return nav_problems(config, found) + siteconfig.platform_problems(config, inputs.catalog.platform, catalog_dir)


def asyncapi_file(args: argparse.Namespace) -> Path | None:
    """--asyncapi, else asyncapi.yaml in the working directory; None means the generator's own."""
    if args.asyncapi is not None:
        return args.asyncapi
    return Path("asyncapi.yaml") if Path("asyncapi.yaml").is_file() else None


def run_build(args: argparse.Namespace) -> int:
    from generator.build import build

    print(build(args.catalog, args.openapi, args.out, config_file=args.config_file, engine=args.engine))
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    """Serve the site with live reload; bad input is reported and the last good site stays up."""
    import logging

    from generator.build import build
    from generator.negotiate import markdown_server
    from generator.preview import Preview
    from generator.site import config as siteconfig

    def report(line: str) -> None:  # the agent files' line, which follows the HTML's
        print(line, file=sys.stdout if line.startswith("agent files updated") else sys.stderr, flush=True)

    preview = Preview(
        args.catalog, args.openapi, args.out, config_file=args.config_file, agents_after=True, report=report
    )

    def rebuild() -> None:
        try:
            if args.engine == "mkdocs":
                print(preview.rebuild(), flush=True)
            else:  # zensical: a full build each time
                print(
                    build(args.catalog, args.openapi, args.out, config_file=args.config_file, engine=args.engine),
                    flush=True,
                )
        except BuildError as err:
            for problem in err.problems:
                print(problem, file=sys.stderr)
            print(
                f"{len(err.problems)} problem(s) found; still serving the last good site.", file=sys.stderr, flush=True
            )

    rebuild()
    args.out.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("mkdocs.commands.build").setLevel(logging.WARNING)  # our own line says what was rebuilt
    server = markdown_server(builder=rebuild, host=args.host, port=args.port, root=str(args.out.resolve()))
    try:
        site = siteconfig.read(args.config_file)
    except BuildError:  # already reported by the first rebuild; watch the config until it is fixed
        site = None
    watched = [args.config_file, args.catalog, args.openapi]
    if site is not None:
        watched += [site.catalog, site.openapi, site.asyncapi, site.templates]
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
        was = f", replacing the one recorded before ({plural(done.replaced, 'change')})" if done.replaced else ""
        print(
            f"recorded {plural(len(found), 'change')} as the {args.record} release in {target / 'changelog.yaml'}{was}"
        )
        if done.updated:
            print(f"set updated: {done.updated} in {target / 'platform.yaml'}")
    return EXIT_OK


def run_new_model(args: argparse.Namespace) -> int:
    from generator.scaffold import write_model

    try:
        path = write_model(args.catalog, args.model, args.endpoint)
    except (ValueError, FileExistsError) as err:
        print(f"new-model: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {path}: replace every TODO, then run `python -m generator check`")
    return EXIT_OK
