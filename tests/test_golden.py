"""The whole output of a small catalog, byte for byte against tests/golden/expected (see tests/golden)."""

from __future__ import annotations

import golden


def test_build_output_matches_the_golden_tree(tmp_path):
    expected = golden.read_tree(golden.EXPECTED)
    actual = golden.build_golden(tmp_path)
    report = golden.differences(expected, actual)
    assert not report, ("the build's output differs from tests/golden/expected; if the change is intended, "
                        "run `make golden` and commit the diff:\n" + "\n".join(report))


def test_the_golden_tree_covers_every_kind_of_output():
    tree = golden.read_tree(golden.EXPECTED)
    for path in ("llms.txt", "llms-full.txt", "models.json", "index.md", "index.html", "pricing.md",
                 "models/qwen3-max.md", "models/qwen3-max.json", "models/qwen3-max/index.html",
                 "providers/alibaba/llms-full.txt", "changelog.xml", "api/create-video/index.html"):
        assert path in tree, path
    page = tree["models/wan-2-7/index.html"].decode("utf-8")
    assert page.startswith('<article class="md-content__inner md-typeset">') and page.endswith("</article>\n")


def test_main_content_is_the_outer_article_exactly_as_written():
    html = ('<html><body><nav>menu</nav>\n<main>\n  <article class="a">'
            '<p>x &amp; <b>y</b></p>\n<article>inner</article></article ></main><p>footer</p></body></html>')
    assert golden.main_content(html, "page.html") == (
        '<article class="a"><p>x &amp; <b>y</b></p>\n<article>inner</article></article >\n')
    assert golden.main_content("<div><ARTICLE id=x>\n<p>é</p>\n</ARTICLE></div>", "p.html") == (
        "<ARTICLE id=x>\n<p>é</p>\n</ARTICLE>\n")
