"""What Markdown a catalog text field may carry, and the render-time guard on every URL of every page.

A text field (a name, a description, a note, a parameter's description, a changelog entry) is rendered as
Markdown. `check` refuses anything but inline emphasis, code and links to https: URLs or to this site's
pages (`text_problem`). As a second line of defence, nothing rendered may carry a script-capable URL:
`finalize` rewrites such a link destination in any text a template prints (both flavours), and the
Python-Markdown extension of this module (`generator.textpolicy` in mkdocs.yml) drops such an attribute
from every element of every page's HTML.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from typing import Any

from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

ALLOWED = (
    "plain text with *emphasis*, **strong**, `code` and links to https: URLs or to pages of this "
    "site: [text](https://…) or [text](/pricing.md)"
)

# Catalog keys whose string values a template prints as Markdown; `examples` (request bodies) are code.
TEXT_KEYS = frozenset(
    {"name", "description", "aliases", "notes", "label", "note", "unit", "title", "field", "old", "new"}
)
SKIP_KEYS = frozenset({"examples"})

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = (
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "cite",
    "background",
    "data",
    "xlink:href",
    "longdesc",
    "manifest",
    "ping",
    "lowsrc",
    "dynsrc",
)
# What browsers ignore inside a URL before its scheme: C0 controls, space, DEL, C1, and invisible formatting.
_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")

_IMAGE = re.compile(r"!\[")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]*\]:", re.M)
_REF_LINK = re.compile(r"\]\s?\[[^\]]*\]")
_FOOTNOTE = re.compile(r"\[\^")
_ATTR_LIST = re.compile(r"\{\s*[:#.]|\{[^{}]*=[^{}]*\}")
_AUTOLINK = re.compile(r"<[^<>\s]*[:@][^<>\s]*>")
_INLINE_LINK = re.compile(r"\]\(\s*(<[^>]*>?|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)")
_BLOCK = re.compile(r"^\s*(?:#{1,6}(?:\s|$)|>|[-*+]\s|\d+[.)]\s|\||={3}|!{3}|\?{3}|`{3}|~{3}|-{3}|:\s)")
_SAFE_TARGET = re.compile(r"https://[^\s<>\"'`\\]+|/(?!/)[A-Za-z0-9._~/%#-]*|#[A-Za-z0-9_-]+")


def scheme(url: str) -> str | None:
    """The scheme a browser would read from `url` (entities decoded, ignored characters dropped), or None."""
    text = html.unescape(html.unescape(url))
    text = _IGNORED.sub("", text).lower()
    found = _SCHEME.match(text)
    return found[1] if found else None


def unsafe_url(url: str) -> bool:
    """A URL with a scheme other than http, https or mailto (javascript:, data:, vbscript:...)."""
    found = scheme(url)
    return found is not None and found not in SAFE_SCHEMES


def text_problem(text: str) -> str | None:
    """Why `text` may not be a catalog text field, or None when it keeps to the allowed Markdown."""
    for pattern, what in (
        (_IMAGE, "an image"),
        (_REF_DEFINITION, "a link reference definition"),
        (_FOOTNOTE, "a footnote"),
        (_REF_LINK, "a reference-style link"),
        (_ATTR_LIST, "an attribute list ({: ...})"),
        (_AUTOLINK, "an autolink (<...>)"),
    ):
        if pattern.search(text):
            return f"contains {what}"
    for match in _INLINE_LINK.finditer(text):
        target = match[1].strip("<>")
        if not _SAFE_TARGET.fullmatch(target):
            return f"links to {target!r}, which is neither an https: URL nor a page of this site"
    if _BLOCK.match(text):
        return "starts with block markup (a heading, list, quote, table, fence or admonition)"
    return None


def text_fields(data: Any, path: str = "$", key: str = "") -> Iterator[tuple[str, str]]:
    """(JSON path, text) of every text field in a parsed catalog file."""
    from generator.load.yamlfile import child_path

    if isinstance(data, dict):
        for k, v in data.items():
            if k not in SKIP_KEYS:
                yield from text_fields(v, child_path(path, k), str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from text_fields(v, child_path(path, i), key)
    elif isinstance(data, str) and key in TEXT_KEYS:
        yield path, data


# ---- render time ------------------------------------------------------------------------------------

_MD_DESTINATIONS = re.compile(
    r"(\]\(\s*<?)([^()>\s]*(?:\([^()\s]*\)[^()>\s]*)*)"  # [text](destination)
    r"|(^\s{0,3}\[[^\]]*\]:\s*<?)(\S+)"  # [label]: destination
    r"|(<)([^<>\s]+:[^<>\s]*)(?=>)",
    re.M,
)  # <scheme:autolink>


def neutralize(text: str) -> str:
    """`text` with every Markdown link destination of a script-capable scheme replaced by `#`."""
    if "](" not in text and "]:" not in text and "<" not in text:
        return text  # none of the three forms can match: most texts, and the search costs ~30 µs each

    def fix(m: re.Match[str]) -> str:
        for lead, url in ((m[1], m[2]), (m[3], m[4]), (m[5], m[6])):
            if lead is not None:
                return lead + ("#" if unsafe_url(url) else url)
        return m[0]  # pragma: no cover - one of the three alternatives always matched

    return _MD_DESTINATIONS.sub(fix, text)


def finalize(value: Any) -> Any:
    """Jinja's `finalize`: every printed text goes through `neutralize`, keeping its type (Markup stays Markup)."""
    if isinstance(value, str) and ":" in value:
        fixed = neutralize(value)
        if fixed != value:
            return Markup(fixed) if isinstance(value, Markup) else fixed
    return value


class _DropUnsafeUrls(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for name in URL_ATTRIBUTES:
                value = element.get(name)
                if value is not None and unsafe_url(value):
                    del element.attrib[name]


class UrlPolicy(Extension):
    """Drop every URL attribute of a script-capable scheme from the HTML that Markdown produces."""

    def extendMarkdown(self, md: Any) -> None:  # noqa: N802 - Python-Markdown's name
        # last, after mkdocs rewrites relative links (it expects every <a> to have an href)
        md.treeprocessors.register(_DropUnsafeUrls(md), "empiriolabs-url-policy", -100)


def makeExtension(**kwargs: Any) -> UrlPolicy:  # noqa: N802 - Python-Markdown finds extensions by this name
    return UrlPolicy(**kwargs)
