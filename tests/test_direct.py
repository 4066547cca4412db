"""Model and provider pages get their HTML straight from their views (generator/site/direct.py,
pages/*.html.j2), not through Python-Markdown. The site is the same, byte for byte, as when every page is converted: the shipped
catalog, and catalog text that needs Markdown or makes a page fall back to it."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.cli import main
from generator.site import direct


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build_both(project: Path, monkeypatch, capsys) -> tuple[dict[str, bytes], dict[str, bytes], str]:
    """The site built with every page converted by Python-Markdown, then with model pages from their views."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    monkeypatch.setattr(direct, "ENABLED", False)
    assert main(["build", "--out", "converted"]) == 0
    assert "pages rendered from their views 0 " in capsys.readouterr().out
    monkeypatch.setattr(direct, "ENABLED", True)
    assert main(["build", "--out", "direct"]) == 0
    return tree(project / "converted"), tree(project / "direct"), capsys.readouterr().out


def changed(converted: dict[str, bytes], rendered: dict[str, bytes]) -> list[str]:
    assert converted.keys() == rendered.keys()
    return [path for path in converted if converted[path] != rendered[path]]


def test_the_shipped_site_is_the_same_byte_for_byte(project, monkeypatch, capsys):
    converted, rendered, summary = build_both(project, monkeypatch, capsys)
    models, providers = map(int, re.search(r"built \d+ pages \((\d+) models, (\d+) providers", summary).groups())
    assert f"pages rendered from their views {models + providers} " in summary
    assert changed(converted, rendered) == []  # the pages, their tables of contents, the search index
    page = rendered["models/nova-micro-1-0/index.html"].decode()
    assert '<div class="tabbed-set tabbed-alternate" data-tabs="1:3">' in page
    assert '<a class="headerlink" href="#example-requests" title="Permanent link"> </a>' in page  # ¶ from CSS
    image = rendered["models/amazon-nova-canvas/index.html"].decode()
    assert '<td><code>"1024x1024"</code></td>' in image  # a default in quotes, not &#34;


def test_catalog_text_with_markdown_gives_the_same_pages(project, monkeypatch, capsys):
    """Emphasis, code, links to this site's pages, entities and an unpaired asterisk go through Markdown;
    a description of two paragraphs and a link to a page with an anchor make the page fall back to it."""
    path = project / "catalog/models/amazon/nova-micro-1-0.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["name"] = "Nova *Micro* 1.0 & co"
    data["description"] = "Fast. See the [pricing page](/pricing.md) and `nova-micro`; 5 * 3 < 20."
    data["notes"] = ["**Cached** chat costs 44% less: [why](/billing.md).", "A_b_c and \\*stars\\*"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    other = project / "catalog/models/amazon/nova-lite-1-0.yaml"
    data = yaml.safe_load(other.read_text("utf-8"))
    data["description"] = "First paragraph.\n\nSecond, with a [link to a section](/billing.md#adding-funds)."
    other.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    converted, rendered, summary = build_both(project, monkeypatch, capsys)
    models, providers = map(int, re.search(r"built \d+ pages \((\d+) models, (\d+) providers", summary).groups())
    assert f"pages rendered from their views {models + providers - 1} " in summary  # nova-lite fell back
    assert changed(converted, rendered) == []
    page = rendered["models/nova-micro-1-0/index.html"].decode()
    assert '<h1 id="nova-micro-10-co">Nova <em>Micro</em> 1.0 &amp; co' in page
    assert 'See the <a href="../../pricing/">pricing page</a> and <code>nova-micro</code>' in page


def test_a_model_id_outside_a_string_is_highlighted_with_the_block(project):
    """The model id is taken out of a code block only where Pygments reads it inside a string."""
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"))
    converter = direct.Converter(config)
    source = 'curl https://api.empiriolabs.ai/v1/models/nova-micro-1-0 -d \'{"model": "nova-micro-1-0"}\''
    html = converter.code("bash", source, "nova-micro-1-0")
    assert html == converter.highlight("bash", source)
    assert "/v1/models/nova-micro-1-0" in html
    quoted = 'client.chat.completions.create(model="nova-micro-1-0")'
    assert converter.code("python", quoted, "nova-micro-1-0") == converter.highlight("python", quoted)
    assert '<span class="s2">"nova-micro-1-0"</span>' in converter.code("python", quoted, "nova-micro-1-0")
