"""The links of the guides, checked as mkdocs checks them, without building HTML; and mkdocs' own link
warnings, about a guide, told as the guide's template line.

`check` converts each guide with mkdocs' own Page.render (the Markdown extensions and validation levels of
the site's config) against the list of every page the site has, and reads what mkdocs warns. `build` hands
mkdocs' warnings to `in_templates`. Both tell a warning with `problem`, so the two report the same words."""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from generator.problems import Problem, did_you_mean, display_path

# mkdocs' warnings about a link, by the words it uses (mkdocs/structure/pages.py, 1.6)
WARNING = re.compile(
    r"Doc file '(?P<page>[^']+)' contains (?:a|an absolute|an unrecognized relative) link '(?P<url>[^']*)'"
    r"(?P<rest>.*)$",
    re.S,
)
NOT_FOUND = re.compile(r", but the target(?: '(?P<target>[^']+)')? is not found among documentation files\.")
NO_ANCHOR = re.compile(
    r", but (?:the doc '(?P<doc>[^']+)' does not contain an anchor|there is no such anchor on this page)"
)
MKDOCS_HINT = re.compile(r" Did you mean '(?P<hint>[^']*)'\?$")


def problem(message: str, sources: Mapping[str, Path], pages: Iterable[str]) -> Problem | None:
    """mkdocs' warning `message` as a problem of the guide it is about (`sources`: each guide's template by
    its page path), at the template line that holds the link, with the page it likely meant among `pages`;
    None when it is not about a guide's link."""
    m = WARNING.match(message)
    if m is None or m["page"] not in sources:
        return None
    page, url, rest = m["page"], m["url"], m["rest"]
    own = MKDOCS_HINT.search(rest)
    hint = f" (did you mean {own['hint']!r}?)" if own else ""
    if found := NOT_FOUND.match(rest):
        target = found["target"] or posixpath.normpath(posixpath.join(posixpath.dirname(page), url.split("#")[0]))
        if not hint:
            hint = _page_hint(page, target, pages)
        text = f"link {url!r} leads to no page{hint}"
    elif anchor := NO_ANCHOR.match(rest):
        where = f"the page {anchor['doc']!r}" if anchor["doc"] else "this page"
        text = f"link {url!r}: {where} has no heading or anchor '#{url.partition('#')[2]}'{hint}"
    elif "unrecognized relative link" in message:
        if not hint:
            hint = _page_hint(page, posixpath.normpath(posixpath.join(posixpath.dirname(page), url)) + ".md", pages)
        text = f"link {url!r} names no page: link to the page's .md file{hint}"
    else:
        text = f"link {url!r}{MKDOCS_HINT.sub('', rest).lstrip(',')}{hint}"
    template = sources[page]
    return Problem(display_path(template), link_line(template, url), text)


def _page_hint(page: str, target: str, pages: Iterable[str]) -> str:
    """` (did you mean 'x.md'?)`, relative to `page`, for the page whose path is closest to `target`."""
    hint = did_you_mean(target, [p for p in pages if p.endswith(".md")])
    if not hint:
        return ""
    meant = hint.split("'")[1]
    return f" (did you mean {posixpath.relpath(meant, posixpath.dirname(page) or '.')!r}?)"


def link_line(template: Path, url: str) -> int:
    """The template line that holds `url` as a link target (the first one written so, else any that holds it);
    0 when none does (the link is built by the template)."""
    try:
        lines = template.read_text("utf-8").split("\n")
    except OSError:
        return 0
    marks = (f"]({url})", f"]({url} ", f"]: {url}", f'href="{url}"', url)
    for mark in marks:
        for number, line in enumerate(lines, 1):
            if mark in line:
                return number
    return 0


def in_templates(problems: list[Problem], sources: Mapping[str, Path], site_pages: Iterable[Any]) -> list[Problem]:
    """`problems` with each of mkdocs' link warnings about a guide told at its template line (`site_pages`:
    every page of the site, which a dead link may have meant)."""
    pages = [p.path for p in site_pages]
    told = [(problem(p.message, sources, pages) if p.file == "mkdocs" else None) or p for p in problems]
    return sorted(set(told))  # in the order check reports them


def guide_sources(pages: Iterable[Any], templates: Path) -> dict[str, Path]:
    """The template of each guide (a page rendered from the guides), by its page path."""
    return {p.path: templates / p.template for p in pages if p.template.startswith("guides/")}


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def check_links(
    config: Any, sources: Mapping[str, Path], rendered: Mapping[str, str], files: Iterable[str]
) -> list[Problem]:
    """Every link problem of the guides (`sources`), found by converting each with mkdocs as the build
    would: `config` is the engine's MkDocsConfig, `rendered` every page's markdown by path, `files` every
    other path the site has (assets, data files). A page a guide links to with an anchor is converted too,
    to know its anchors."""
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    urls = config["use_directory_urls"]
    every = Files([File(path, None, config["site_dir"], urls) for path in sorted({*rendered, *files})])
    log = logging.getLogger("mkdocs")
    caught = _Warnings()
    log.addHandler(caught)
    propagate, log.propagate = log.propagate, False  # told once, as problems
    try:
        converted = {}
        for path in sources:
            if path in rendered:
                converted[path] = _convert(Page, every, config, path, rendered[path])
        targets = {f.src_uri for page in converted.values() for f in (page.links_to_anchors or {})}
        for path in sorted(targets - converted.keys()):
            if path in rendered:
                converted[path] = _convert(Page, every, config, path, rendered[path])
        for path in sources:
            if path in converted:
                converted[path].validate_anchor_links(files=every, log_level=config.validation.links.anchors)
    finally:
        log.removeHandler(caught)
        log.propagate = propagate
    told = (problem(m, sources, rendered) for m in caught.messages)
    return [p for p in told if p is not None]


def _convert(page_class: Any, files: Any, config: Any, path: str, markdown: str) -> Any:
    page = page_class(None, files.get_file_from_path(path), config)
    page.markdown = markdown
    page.render(config, files)
    return page
