"""The two block writers agree, block by block: for generated inputs, what the HTML writer
(generator/site/direct.py `HtmlBlocks`) gives is what mkdocs' own Page.render (Python-Markdown with the
site's extensions, mkdocs' link rewriting) makes of the markdown writer's output (generator/views/render.py
`Blocks`): the HTML, the table of contents, the title and the anchors. Where the HTML writer is not sure it
declines, and the page is converted; a decline is never wrong, but the common inputs must not decline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import event as hypothesis_event
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from markupsafe import Markup, escape

from generator.site import config as siteconfig
from generator.site.direct import PROVEN, Converter, Decline, HtmlBlocks
from generator.validate.textpolicy import finalize
from generator.views.render import Blocks, cell

ROOT = Path(__file__).resolve().parents[1]
PAGE = "models/some-model.md"
OTHERS = ("pricing.md", "billing.md", "providers/amazon.md", "models/other-model.md")

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site's mkdocs config, as the build hands it to mkdocs, and a few pages to link to."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files

    tmp = tmp_path_factory.mktemp("site")
    (tmp / "docs").mkdir()
    data = siteconfig.engine_config(siteconfig.read(ROOT / "mkdocs.yml"), [], {}, tmp / "docs", tmp / "site")
    (tmp / "mkdocs.yml").write_text(siteconfig.dump(data), "utf-8")
    config = load_config(str(tmp / "mkdocs.yml"))
    files = Files([File(p, str(tmp / "docs"), str(tmp / "site"), True) for p in (PAGE, *OTHERS)])
    return SimpleNamespace(config=config, files=files, converter=Converter(config))


def converted(site, markdown: str):
    """What mkdocs leaves on the page for `markdown`."""
    from mkdocs.structure.pages import Page

    page = Page(None, site.files.get_file_from_path(PAGE), site.config)
    page.markdown = markdown
    page.render(site.config, site.files)
    return page


def written(site, blocks: list) -> tuple[str, object]:
    """The page's markdown from the markdown writer and the page the HTML writer leaves (None: it declined).
    Each block is (method, args, body): body, if not None, is the call block's literal markdown."""
    from mkdocs.structure.pages import Page

    md, printed = Blocks(twin=False), []
    page = Page(None, site.files.get_file_from_path(PAGE), site.config)
    writer = HtmlBlocks(site.converter, page, site.files)
    markdown = "".join(finalize(call(md, *block)) for block in blocks)  # printed, as a template prints it
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"  # as the Renderer leaves it
    try:
        printed = "\n".join(call(writer, *block) for block in blocks)
        writer.finish(writer.join(printed))
    except Decline as why:
        event(f"declined: {str(why).split(':')[0]}")
        return markdown, None
    event("direct")
    return markdown, page


def event(what: str) -> None:
    if currently_in_test_context():  # how often each property writes its page directly: --hypothesis-show-statistics
        hypothesis_event(what)


def call(writer, method: str, args: tuple, body: str | None) -> str:
    if body is None:
        return getattr(writer, method)(*args)
    return getattr(writer, method)(*args, caller=lambda: Markup(body))


def same(site, blocks: list) -> bool:
    """Assert the HTML writer's page is mkdocs' page for the markdown writer's markdown; False if declined."""
    markdown, mine = written(site, blocks)
    if mine is None:
        return False
    theirs = converted(site, markdown)
    assert mine.content == theirs.content, f"markdown:\n{markdown}"
    assert [(a.level, a.id, a.title) for a in _flat(mine.toc)] == [(a.level, a.id, a.title) for a in _flat(theirs.toc)]
    assert mine._title_from_render == theirs._title_from_render
    assert mine.present_anchor_ids == theirs.present_anchor_ids
    assert mine.links_to_anchors == theirs.links_to_anchors
    return True


def _flat(toc):
    for item in toc:
        yield item
        yield from _flat(item.children)


# ---- generated inputs ------------------------------------------------------------------------------------

WORDS = st.sampled_from(["Nova", "fast", "1.0", "44%", "per 1M tokens", "—", "·", "naïve", "x2", "a-b", "e.g."])
SYNTAX = st.sampled_from(
    [
        "*", "**", "_", "__", "`", "``", "[", "]", "(", ")", "<", ">", "&", "&amp;", "&copy;", "&#39;", "&#34;",
        "&lt;b&gt;", "#", "\\", "\\*", "\\|", "|", "~", "{", "}", "!", "  ", "\n", "-", "1.", ":", "'", '"',
        "{: #x}", "<b>", "</b>", "<br>", "[TOC]", "+", "=",
    ]
)  # fmt: skip
LINKS = st.sampled_from(
    [
        "../pricing.md", "/pricing.md", "../billing.md", "../providers/amazon.md", "other-model.md",
        "../missing.md", "../pricing.md#top", "https://example.com/a?b=1&c=2", "javascript:alert(1)",
        "/models/other-model.md",
    ]
)  # fmt: skip
PIECES = st.one_of(
    WORDS,
    SYNTAX,
    st.builds(lambda w: f"`{w}`", WORDS),
    st.builds(lambda w: f"`{w}|{w}`", WORDS),
    st.builds(lambda w: f"**{w}**", WORDS),
    st.builds(lambda w: f"*{w}*", WORDS),
    st.builds(lambda w, u: f"[{w}]({u})", WORDS, LINKS),
    st.text(alphabet="ab <>&*_`", max_size=4),
)
TEXT = st.lists(PIECES, min_size=1, max_size=7).map(" ".join)
# a text fragment as it reaches a writer: catalog data (printed, so escaped) or the template's own markdown
INLINE = st.one_of(TEXT, TEXT.map(lambda t: Markup(Markup.escape(t))), TEXT.map(Markup))
PLAIN = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
TAB = st.builds(
    lambda label, language, code: SimpleNamespace(label=label, language=language, code=code),
    st.one_of(st.sampled_from(["curl", "Python", "JavaScript", "C#"]), TEXT),
    st.sampled_from(["bash", "python", "javascript", "json", "text"]),
    st.lists(st.one_of(WORDS, SYNTAX, st.sampled_from(['"some-model"', "model=", "```", "    ", "\n\n"]))).map("".join),
)


def paragraph(text) -> tuple:
    return ("paragraph", (), text) if isinstance(text, Markup) else ("paragraph", (text,), None)


def heading(level: int, text) -> tuple:
    return ("heading", (level,), text) if isinstance(text, Markup) else ("heading", (level, text), None)


def bullets(items: list) -> tuple:
    return ("bullets", (), "".join(f"- {i}\n" for i in items))


def row(cells: list) -> str:
    return "| " + " | ".join(cells) + " |"


def table(head: list, rows: list) -> tuple:
    lines = [row(head), "| " + " | ".join("---" for _ in head) + " |", *(row(r) for r in rows)]
    return ("table", (), "\n".join(lines))


# a cell: the template's markdown, catalog text through the `cell` filter (as the templates print it), or empty
CELL = st.one_of(TEXT.map(lambda t: Markup(" ".join(t.split("\n")))), TEXT.map(cell).map(escape), st.just(""))


@st.composite
def tables(draw) -> tuple:
    width = draw(st.integers(1, 4))
    head = draw(st.lists(PLAIN, min_size=width, max_size=width))
    rows = draw(
        st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=draw(st.sampled_from([0, 1, 1])), max_size=3)
    )
    return table(head, rows)


ATTR = st.sampled_from(['class="key-figures"', 'id="calc-plan"', 'markdown="0"', 'data-json="{&#34;a&#34;: 1}"', ""])
INNER = st.one_of(
    PLAIN.map(str),
    PLAIN.map(lambda w: f"<strong>{w}</strong>"),
    PLAIN.map(lambda w: f'<a class="md-button" href="../../compare/?models=a&amp;b">{w}</a>'),
    st.just('<input type="number" name="input" min="0">'),
    PLAIN.map(lambda w: f"<div><dt>{w}</dt><dd>{w} &amp; more</dd></div>"),
    st.just("\n"),
)


@st.composite
def raw_html(draw) -> tuple:
    if draw(st.booleans()):
        data = draw(st.lists(st.dictionaries(st.sampled_from(["name", "text"]), TEXT, max_size=2), max_size=2))
        body = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        return ("html", (), f'<script type="application/ld+json">{body}</script>')
    tag = draw(st.sampled_from(["div", "dl", "p", "section", "form"]))
    attrs = " ".join(a for a in draw(st.lists(ATTR, max_size=3, unique=True)) if a)
    inner = "".join(draw(st.lists(INNER, max_size=4))).strip("\n")
    return ("html", (), f"<{tag}{' ' + attrs if attrs else ''}>{inner}</{tag}>")


BLOCK = st.one_of(
    st.builds(paragraph, INLINE),
    st.builds(heading, st.integers(1, 6), INLINE),
    st.builds(bullets, st.lists(INLINE.map(lambda t: " ".join(t.split("\n"))), min_size=1, max_size=3)),
    tables(),
    raw_html(),
    st.builds(lambda source: ("code", ("python", source, "some-model"), None), TAB.map(lambda t: t.code)),
    st.builds(lambda tabs: ("tabs", (tabs, "some-model"), None), st.lists(TAB, min_size=1, max_size=3)),
)


# ---- the properties ---------------------------------------------------------------------------------------


@SETTINGS
@given(INLINE)
@example("Plain words, 44% off — per 1M tokens")
@example(Markup("See the [pricing page](../pricing.md), `nova-micro` and **New**"))
@example("First paragraph.\n\nSecond, with *emphasis* & an entity: &copy;")
def test_a_paragraph(site, text):
    same(site, [paragraph(text)])


@SETTINGS
@given(st.lists(st.tuples(st.integers(1, 6), INLINE), min_size=1, max_size=4))
@example([(1, "Nova Micro"), (2, "Specs"), (2, "Specs"), (3, "C# & co")])
@example([(1, "\\")])
def test_headings_their_ids_and_the_table_of_contents(site, headings):
    same(site, [heading(level, text) for level, text in headings])


@SETTINGS
@given(st.lists(INLINE.map(lambda t: " ".join(t.split("\n"))), min_size=1, max_size=4))
@example(["Batch: 50% off.", Markup("[Nova Lite](../models/other-model.md): chat, $0.06 per 1M tokens")])
def test_a_bullet_list(site, items):
    same(site, [bullets(items)])


@SETTINGS
@given(tables())
@example(table(["Field", "Value"], [["Model ID", "`nova-micro`"], ["Provider", "[Amazon](../providers/amazon.md)"]]))
@example(table(["Parameter", "Default"], [["`stop`", '`"1024x1024"`'], ["a \\| b", "—"]]))
def test_a_table(site, block):
    same(site, [block])


@SETTINGS
@given(raw_html())
@example(("html", (), '<dl class="key-figures" markdown="0">\n<div><dt>Context</dt><dd>128K</dd></div>\n</dl>'))
@example(("html", (), '<p markdown="0">See [this](javascript:alert(1)).</p>'))
def test_a_raw_html_block(site, block):
    same(site, [block])


@SETTINGS
@given(st.sampled_from(["bash", "python", "json", "text"]), TAB.map(lambda t: t.code))
@example("python", 'client.chat.completions.create(model="some-model")')
def test_a_code_block(site, language, source):
    same(site, [("code", (language, source, "some-model"), None)])


@SETTINGS
@given(st.lists(st.lists(TAB, min_size=1, max_size=3), min_size=1, max_size=3))
def test_content_tabs_numbered_through_the_page(site, sets):
    same(site, [("tabs", (tabs, "some-model"), None) for tabs in sets])


@settings(SETTINGS, max_examples=100)
@given(st.lists(BLOCK, min_size=1, max_size=8))
def test_any_page_of_blocks(site, blocks):
    """Blocks side by side: Python-Markdown reads each on its own, and joins them as the writer does."""
    same(site, blocks)


def test_the_common_blocks_are_written_directly(site):
    """What the shipped pages are made of never declines (the properties above would pass if all did)."""
    tab = SimpleNamespace(label="Python", language="python", code='create(model="some-model")')
    blocks = [
        heading(1, "Nova Micro & co"),
        paragraph("Fast text model: 44% off, per 1M tokens."),
        ("html", (), '<dl class="key-figures" markdown="0">\n<div><dt>Context</dt><dd>128K</dd></div>\n</dl>'),
        paragraph(Markup("**New** · [Amazon](../providers/amazon.md) · Chat · 128K context")),
        ("code", ("text", "some-model", "some-model"), None),
        heading(2, "Specs"),
        table(["Field", "Value"], [["Model ID", "`some-model`"], ["Provider", "[Amazon](../providers/amazon.md)"]]),
        bullets(["Batch: 50% off.", Markup("[Other](../models/other-model.md): chat")]),
        ("tabs", ([tab, tab], "some-model"), None),
        ("html", (), '<script type="application/ld+json">{"a": "<\\/b>"}</script>'),
    ]
    assert same(site, blocks)


def test_the_writer_steps_aside_for_an_extension_it_was_not_proven_with(site):
    """The properties above ran with the site's extensions; with one more, every page is converted."""
    assert site.converter.supported
    assert set(site.config["markdown_extensions"]) == PROVEN
    config = {**site.config, "markdown_extensions": [*site.config["markdown_extensions"], "abbr"]}
    assert not Converter(config).supported
