"""One template per generated page: an edit to templates/pages/model.md.j2 or provider.md.j2 shows on the
HTML page (given by the HTML block writer, not converted), in the page's twin and in the bundles."""

from __future__ import annotations

import re
from pathlib import Path

from generator.cli import main
from generator.site import direct

GOLDEN = Path(__file__).resolve().parent / "golden" / "catalog"


def insert_after(path: Path, line: str, new: str) -> None:
    """Put the line `new` after the template's line `line`; fail when the template has no such line."""
    lines = path.read_text("utf-8").split("\n")
    assert line in lines, f"{path.name} no longer has the line {line!r}"
    lines.insert(lines.index(line) + 1, new)
    path.write_text("\n".join(lines), "utf-8")


def rendered_pages(monkeypatch) -> dict:
    """The pages the HTML block writer gives in the next build, by source path: with a trace asked for, it
    writes every page it can, none taken from the page cache (tests/test_pagecache.py)."""
    trace: dict = {}
    monkeypatch.setattr(direct, "TRACE", trace)
    return trace


def test_an_edit_to_the_one_template_shows_in_the_html_the_twin_and_the_bundles(project, monkeypatch, capsys):
    rendered = rendered_pages(monkeypatch)
    pages = project / "templates/pages"
    insert_after(
        pages / "model.md.j2",
        '{{ w.heading(2, "Specs") }}',
        "{% call w.paragraph() %}Reviewed for *{{ m.name }}* by the docs team.{% endcall %}",
    )
    insert_after(
        pages / "provider.md.j2",
        '{{ w.heading(2, "Models") }}',
        "{% call w.paragraph() %}Every **{{ p.name }}** model, reviewed.{% endcall %}",
    )
    assert main(["build", "--verbose", "--catalog", str(GOLDEN), "--out", "site"]) == 0
    summary = capsys.readouterr().out
    models, providers = map(int, re.search(r"built \d+ pages \((\d+) models, (\d+) providers", summary).groups())
    assert f"pages rendered from their views {models + providers} " in summary  # none fell back to Markdown
    assert len([p for p in rendered if p.startswith("models/")]) == models
    site = project / "site"

    html = (site / "models/nova-micro-1-0/index.html").read_text("utf-8")
    assert (
        '<h2 id="specs">Specs<a class="headerlink" href="#specs" title="Permanent link"> </a></h2>\n'
        "<p>Reviewed for <em>Nova Micro 1.0</em> by the docs team.</p>\n<table>"
    ) in html
    twin = (site / "models/nova-micro-1-0.md").read_text("utf-8")
    assert "## Specs\n\nReviewed for *Nova Micro 1.0* by the docs team.\n\n| Field | Value |" in twin
    assert "Reviewed for *Nova Micro 1.0* by the docs team." in (site / "llms-full.txt").read_text("utf-8")
    amazon = (site / "providers/amazon/llms-full.txt").read_text("utf-8")
    assert "Reviewed for *Nova Micro 1.0* by the docs team." in amazon

    html = (site / "providers/amazon/index.html").read_text("utf-8")
    assert '<a class="headerlink" href="#models" title="Permanent link"> </a></h2>\n' in html
    assert "</h2>\n<p>Every <strong>Amazon</strong> model, reviewed.</p>\n<table>" in html
    twin = (site / "providers/amazon.md").read_text("utf-8")
    assert "## Models\n\nEvery **Amazon** model, reviewed.\n\n| Model |" in twin
    assert "Every **Amazon** model, reviewed." in amazon
    assert "Every **Amazon** model, reviewed." in (site / "llms-full.txt").read_text("utf-8")


def test_text_outside_a_block_makes_the_page_step_aside_and_still_shows(project, monkeypatch, capsys):
    """Markdown the template prints outside the writer cannot be given directly: those pages are converted
    by Python-Markdown, and the edit shows all the same."""
    rendered = rendered_pages(monkeypatch)
    insert_after(project / "templates/pages/provider.md.j2", '{{ w.heading(2, "Models") }}', "\nLoose *text*.\n")
    assert main(["build", "--verbose", "--catalog", str(GOLDEN), "--out", "site"]) == 0
    summary = capsys.readouterr().out
    models = int(re.search(r"built \d+ pages \((\d+) models", summary)[1])
    assert f"pages rendered from their views {models} " in summary  # the provider pages were converted
    assert all(p.startswith("models/") for p in rendered) and len(rendered) == models
    html = (project / "site/providers/amazon/index.html").read_text("utf-8")
    assert "</h2>\n<p>Loose <em>text</em>.</p>\n<table>" in html
