"""The search indexer (generator/site/searchparse.py) gives every page of the shipped site the sections
Material's own parser gives it, while it reads code blocks without parsing their tags."""

from __future__ import annotations

from pathlib import Path

from material.plugins.search.plugin import Parser

from generator.cli import main
from generator.site.searchparse import FastParser


def sections(parser_class, content: str, count: list[int] | None = None) -> list[tuple]:
    parser = parser_class()
    parser.feed(content)
    parser.close()
    if count is not None:
        count.append(parser.spliced)
    return [(s.el.tag, s.id, s.depth, s.title, s.text) for s in parser.data]


def test_every_page_has_the_sections_material_gives_it(project, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    assert main(["build", "--out", "site"]) == 0
    pages = sorted(Path(project / "site").rglob("index.html"))
    assert len(pages) > 100
    spliced: list[int] = []
    for path in pages:
        page = path.read_text("utf-8")
        content = page[page.index("<article") : page.rindex("</article>")]
        assert sections(FastParser, content, spliced) == sections(Parser, content), path
    assert sum(spliced) > 800  # the shipped site's pages hold 853 code blocks


def test_a_code_block_in_a_heading_or_an_empty_one_is_parsed_as_material_does():
    block = '<div class="highlight"><pre><span></span><code>{}</code></pre></div>'
    for content in (
        "<h2 id='a'>A " + block.format('<span class="n">x</span>') + "</h2><p>after</p>",
        "<p><code>before</code></p>" + block.format("   \n") + "<p>after</p>",
        "<p>before</p>" + block.format('<span class="s2">&quot;a&amp;b&quot;</span>\n  <span class="n">y</span>'),
        "<script>" + block.format("x") + "</script><p>z</p>",
    ):
        count: list[int] = []
        assert sections(FastParser, content, count) == sections(Parser, content), content
        assert count == [0 if "<h2" in content or "<script" in content or "   " in content else 1]
