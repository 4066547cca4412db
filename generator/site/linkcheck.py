"""Every internal link and asset of every page the build wrote must exist, anchors included, and every
file a page loads must come from the site itself.

mkdocs validates the links written in Markdown; this checks what reaches the reader, on every HTML page the
build wrote (404.html included): the links and assets of the theme, the raw HTML of the templates (the pricing
table, the cards), the canonical and twin links, the URLs inside JSON-LD, and the `url()` references of the
site's CSS files and of the pages' inline styles. It refuses

- a URL of a script-capable scheme (javascript:, data:...);
- a protocol-relative URL (`//assets/x.css`): a browser takes its first segment for a host name;
- a file a page loads (a script, a stylesheet, an icon, a preload, an image, a frame, a CSS `url()`) from any
  host but the site's own: the site works offline and tells no third party who reads it;
- a CSS `url()` that leads to no file of the site (an inline `data:image/` URL excepted: it loads nothing).

A link a reader follows (`<a href>`) may lead to another site.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.problems import Problem
from generator.validate.textpolicy import unsafe_url

# the tag's name, possessive (*+): backtracking into it would make the scan three times slower
ATTRIBUTE = re.compile(
    r"""<([a-zA-Z][a-zA-Z0-9-]*+)[^<>]*?\s(href|src|action|formaction|poster|data|cite)\s*=\s*"""
    r"""(?:"([^"]*)"|'([^']*)')"""
)
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
REL = re.compile(r"""\srel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)
STYLE_ATTRIBUTE = re.compile(r"""style\s*=\s*(?:"([^"]*)"|'([^']*)')""")  # an attribute where a space precedes it
STYLE_ELEMENT = re.compile(r"<style\b[^<>]*>(.*?)</style>", re.S | re.I)
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^"'()\s]*))\s*\)|@import\s*(?:"([^"]*)"|'([^']*)')""", re.I)
# the attributes whose URL the browser fetches as the page loads, by element
LOADS = {
    ("script", "src"): "script",
    ("img", "src"): "image",
    ("input", "src"): "image",
    ("video", "poster"): "image",
    ("iframe", "src"): "frame",
    ("frame", "src"): "frame",
    ("embed", "src"): "embedded file",
    ("object", "data"): "embedded file",
    ("audio", "src"): "media file",
    ("video", "src"): "media file",
    ("source", "src"): "media file",
    ("track", "src"): "text track",
}
# a <link> with one of these rel tokens makes the browser fetch (or contact) its href
LOADING_RELS = frozenset(
    "stylesheet icon apple-touch-icon mask-icon manifest preload modulepreload prefetch preconnect dns-prefetch".split()
)
MAX_PROBLEMS = 200  # one broken template breaks every page: the first ones say enough


def check_site(site: Path, site_url: str) -> list[Problem]:
    """A problem for each dead internal link, missing asset, missing anchor, unsafe URL or file loaded from
    another host, of every HTML page and CSS file the build wrote."""
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    ids: dict[str, set[str]] = {}
    problems: list[Problem] = []
    for name in sorted(f for f in files if f.endswith((".html", ".css"))):
        text = (site / name).read_text("utf-8", errors="replace")
        found = urls(text) if name.endswith(".html") else css_urls(text, 0)
        for offset, url, load in sorted(found, key=lambda f: f[0]):
            message = problem(name, url, site_url, files, lambda p: anchors(site, p, ids), load=load)
            if message:
                problems.append(Problem(name, text.count("\n", 0, offset) + 1, message))
                if len(problems) >= MAX_PROBLEMS:
                    return problems
    return problems


def urls(text: str) -> Iterator[tuple[int, str, str | None]]:
    """(offset, URL, what it loads) of each URL attribute, each URL string inside JSON-LD and each `url()` of
    an inline style; what it loads is None for a link the reader follows."""
    for m in ATTRIBUTE.finditer(text):
        tag, attribute = m[1].lower(), m[2].lower()
        load = LOADS.get((tag, attribute))
        if tag == "link" and attribute == "href":
            load = _link_load(text[m.start() : text.find(">", m.end()) + 1])
        yield m.start(2), html.unescape(m[3] if m[3] is not None else m[4]), load
    for m in JSON_LD.finditer(text):
        try:
            data = json.loads(m[1])
        except ValueError:
            yield m.start(1), "JSON-LD that is not valid JSON", None
            continue
        for value in _strings(data):
            if value.startswith(("http://", "https://", "/", "javascript", "data:")):
                yield m.start(1), value, None
    for m in STYLE_ATTRIBUTE.finditer(text):
        if not text[m.start() - 1 : m.start()].isspace():
            continue
        group = 1 if m[1] is not None else 2
        yield from ((o, html.unescape(u), load) for o, u, load in css_urls(m[group], m.start(group)))
    for m in STYLE_ELEMENT.finditer(text):
        yield from css_urls(m[1], m.start(1))


def css_urls(css: str, offset: int) -> Iterator[tuple[int, str, str]]:
    """(offset, URL, "CSS url()") of each `url()` and `@import` of a style sheet that starts at `offset`."""
    for m in CSS_URL.finditer(css):
        url = next(g for g in m.groups() if g is not None)
        yield offset + m.start(), url.strip(), "CSS url()"


def _link_load(tag: str) -> str | None:
    """What a <link> makes the browser fetch ("stylesheet", "icon"...), or None for one it only names."""
    m = REL.search(tag)
    rels = next((g for g in m.groups() if g is not None), "").lower().split() if m else []
    return next((r for r in rels if r in LOADING_RELS), None)


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for v in data.values():
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)
    elif isinstance(data, str):
        yield data


def problem(
    page: str, url: str, site_url: str, files: set[str], anchors_of: Callable[[str], set[str]], load: str | None = None
) -> str | None:
    """Why `url`, found on `page`, does not lead to something the build wrote, or loads from elsewhere; None
    when it is fine. `load` names what the browser fetches from it (None: a link the reader follows)."""
    if url == "JSON-LD that is not valid JSON":
        return url
    if load == "CSS url()" and url.lower().startswith("data:image/"):
        return None  # an inline image: nothing is fetched
    if unsafe_url(url):
        return f"URL {url[:80]!r} has a script-capable scheme; only http, https, mailto and site links are allowed"
    relative = _protocol_relative(url)
    if relative is not None:
        host, rest = relative
        said = f"URL {url!r} is protocol-relative: a browser reads {host!r} as a host name"
        if not load:
            return f"{said}; write a full https:// URL to another site, or a path of the site"
        if page.endswith(".css"):
            return f"{said}; write the file's path relative to the style sheet"
        return (
            f"{said}; load it by its path on the site, {{{{ {rest!r} | url }}}} in a template, as Material loads "
            f"its own assets (relative on every page, absolute from site_url on the 404 page)"
        )
    parts = urlsplit(url)
    own = urlsplit(site_url).netloc.lower()
    if load and (parts.scheme or parts.netloc) and parts.netloc.lower() != own:
        where = parts.netloc or f"{parts.scheme}:"
        return (
            f"{_article(load)} {url[:80]!r} loads from {where}, not from the site's own host {own}: copy the file "
            f"into templates/assets/ and load it by its site path"
        )
    target = site_path(page, url, site_url)
    if target is None:
        return None
    path, fragment = target
    what = "CSS url()" if load == "CSS url()" else "link"
    if path.startswith("../"):
        return f"{what} {url!r} leaves the site"
    found = _file(path, files)
    if found is None:
        fix = "; add the file under templates/assets/ or correct the path" if load == "CSS url()" else ""
        return f"{what} {url!r} leads nowhere: the build wrote no {path or 'index.html'}{fix}"
    if fragment and found.endswith(".html") and fragment not in anchors_of(found):
        return f"{what} {url!r}: {found} has no element with id {fragment!r}"
    return None


def _protocol_relative(url: str) -> tuple[str, str] | None:
    """(host, what follows the slashes) of a URL that starts with `//` (a browser reads `\\` as `/`)."""
    stripped = url.strip(" \t\n\r\f").replace("\\", "/")
    if not stripped.startswith("//"):
        return None
    rest = stripped.lstrip("/")
    return urlsplit("//" + rest).netloc, rest


def _article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


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
