"""Every internal link and asset of every HTML page the build wrote must exist, anchors included.

mkdocs validates the links written in Markdown; this checks what reaches the reader: the links and assets
of the theme, the raw HTML of the templates (the pricing table, the cards), the canonical and twin links,
and the URLs inside JSON-LD. A URL of a script-capable scheme (javascript:, data:...) is a problem too.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.problems import Problem
from generator.validate.textpolicy import unsafe_url

ATTRIBUTE = re.compile(
    r"""<[a-zA-Z][^<>]*?\s(href|src|action|formaction|poster|data|cite)\s*=\s*"""
    r"""(?:"([^"]*)"|'([^']*)')"""
)
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
MAX_PROBLEMS = 200  # one broken template breaks every page: the first ones say enough


def check_site(site: Path, site_url: str) -> list[Problem]:
    """A problem for each dead internal link, missing asset, missing anchor or unsafe URL of every page."""
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    ids: dict[str, set[str]] = {}
    problems: list[Problem] = []
    for page in sorted(p for p in files if p.endswith(".html")):
        text = (site / page).read_text("utf-8", errors="replace")
        for offset, url in sorted(urls(text)):
            message = problem(page, url, site_url, files, lambda p: anchors(site, p, ids))
            if message:
                problems.append(Problem(page, text.count("\n", 0, offset) + 1, message))
                if len(problems) >= MAX_PROBLEMS:
                    return problems
    return problems


def urls(text: str) -> Iterator[tuple[int, str]]:
    """(offset, URL) of each URL attribute and of each URL string inside JSON-LD."""
    for m in ATTRIBUTE.finditer(text):
        yield m.start(1), html.unescape(m[2] if m[2] is not None else m[3])
    for m in JSON_LD.finditer(text):
        try:
            data = json.loads(m[1])
        except ValueError:
            yield m.start(1), "JSON-LD that is not valid JSON"
            continue
        for value in _strings(data):
            if value.startswith(("http://", "https://", "/", "javascript", "data:")):
                yield m.start(1), value


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for v in data.values():
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)
    elif isinstance(data, str):
        yield data


def problem(page: str, url: str, site_url: str, files: set[str], anchors_of: Any) -> str | None:
    """Why `url`, found on `page`, does not lead to something the build wrote; None when it does."""
    if url == "JSON-LD that is not valid JSON":
        return url
    if unsafe_url(url):
        return f"URL {url[:80]!r} has a script-capable scheme; only http, https, mailto and site links are allowed"
    target = site_path(page, url, site_url)
    if target is None:
        return None
    path, fragment = target
    if path.startswith("../"):
        return f"link {url!r} leaves the site"
    found = _file(path, files)
    if found is None:
        return f"link {url!r} leads nowhere: the build wrote no {path or 'index.html'}"
    if fragment and found.endswith(".html") and fragment not in anchors_of(found):
        return f"link {url!r}: {found} has no element with id {fragment!r}"
    return None


def site_path(page: str, url: str, site_url: str) -> tuple[str, str] | None:
    """(site-relative path, fragment) that `url` on `page` points to, resolved as a browser does (`..` stops
    at the host's root); None for an external URL. A path outside the site's root starts with `../`."""
    parts = urlsplit(url)
    base = urlsplit(site_url)
    root = base.path if base.path.endswith("/") else base.path + "/"
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
            return None
        absolute = parts.path or "/"
        if not absolute.startswith(root):
            return None  # the same host, outside the site: not ours to check
    elif parts.path.startswith("/"):
        absolute = parts.path
    elif not parts.path:
        return page, unquote(parts.fragment)
    else:
        folder = posixpath.dirname(page)
        absolute = root + (folder + "/" if folder else "") + parts.path
    resolved = _remove_dot_segments(unquote(absolute))
    if not resolved.startswith(root):
        return "../" + resolved.lstrip("/"), unquote(parts.fragment)
    return resolved[len(root) :], unquote(parts.fragment)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4: `/a/b/../c/./d/` -> `/a/c/d/`; a `..` at the root stays at the root."""
    out: list[str] = []
    segments = path.split("/")[1:]
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        elif seg == ".":
            if last:
                out.append("")
        else:
            out.append(seg)
    return "/" + "/".join(out)


def _file(path: str, files: set[str]) -> str | None:
    """The file a browser gets for `path`: the file itself, or the directory's index.html."""
    if path in files:
        return path
    index = (path.rstrip("/") + "/index.html").lstrip("/")
    return index if index in files else None


def anchors(site: Path, page: str, cache: dict[str, set[str]]) -> set[str]:
    """Every element id of one HTML page."""
    if page not in cache:
        text = (site / page).read_text("utf-8", errors="replace")
        cache[page] = {html.unescape(m[1] if m[1] is not None else m[2]) for m in ID.finditer(text)}
    return cache[page]
