"""The page cache: a build that takes every page's HTML (converted, or rendered from its view) and search
entries from the cache folder writes the same site, byte for byte, as one that makes every page; and
mkdocs' warnings about a page are still reported when its conversion comes from the cache."""

from __future__ import annotations

import re

from helpers import tree
from generator.cli import main


def test_a_warm_cache_build_equals_a_cold_one_byte_for_byte(project, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    assert main(["build", "--verbose", "--out", "cold"]) == 0
    cold_summary = capsys.readouterr().out
    pages, direct = map(int, re.search(r"built (\d+) pages .* from their views (\d+) ", cold_summary, re.S).groups())
    assert f"converted {pages - direct}, kept from the cache 0 " in cold_summary  # the others: test_direct.py
    assert main(["build", "--verbose", "--out", "warm"]) == 0
    warm_summary = capsys.readouterr().out
    assert f"pages rendered from their views 0 (direct 0.00 s), converted 0, kept from the cache {pages} " in warm_summary
    cold, warm = tree(project / "cold"), tree(project / "warm")
    assert cold.keys() == warm.keys()
    assert [path for path in cold if cold[path] != warm[path]] == []
    assert b'"location":"models/nova-micro-1-0/"' in warm["search/search_index.json"]


def test_an_edited_page_is_converted_again_and_the_others_are_not(project, project_templates, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    assert main(["build", "--verbose", "--out", "site"]) == 0
    pages, direct = map(int, re.search(r"built (\d+) pages .* from their views (\d+) ", capsys.readouterr().out, re.S).groups())
    guide = project_templates / "guides/support.md.j2"
    guide.write_text(guide.read_text("utf-8") + "\nA sentence added after the first build.\n", "utf-8")
    assert main(["build", "--verbose", "--out", "site"]) == 0
    assert f"views 0 (direct 0.00 s), converted 1, kept from the cache {pages - 1} " in capsys.readouterr().out
    assert "A sentence added after the first build." in (project / "site/support/index.html").read_text("utf-8")


def test_a_model_page_whose_markdown_changed_is_rendered_from_its_view_again(project, monkeypatch, capsys):
    """A model page's HTML is kept by its markdown: a changed description renders that page (and the
    pages that show the description) again, and only those."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    assert main(["build", "--verbose", "--out", "site"]) == 0
    pages = int(re.search(r"built (\d+) pages", capsys.readouterr().out)[1])
    model = project / "catalog/models/amazon/amazon-nova-canvas.yaml"
    text = model.read_text("utf-8")
    edited = text.replace("with inpainting, virtual try-on, and style controls.", "with an edit after the first build.")
    assert edited != text
    model.write_text(edited, "utf-8")
    assert main(["build", "--verbose", "--out", "site"]) == 0
    summary = capsys.readouterr().out
    rendered, converted, kept = map(int, re.search(
        r"from their views (\d+) \(direct [\d.]+ s\), converted (\d+), kept from the cache (\d+) ", summary).groups())
    assert rendered >= 1 and rendered + converted + kept == pages and kept > pages - 10, summary
    html = (project / "site/models/amazon-nova-canvas/index.html").read_text("utf-8")
    assert "with an edit after the first build." in html


def test_a_dead_link_fails_the_build_again_when_its_page_comes_from_the_cache(project, project_templates,
                                                                              monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    guide = project_templates / "guides/support.md.j2"
    guide.write_text(guide.read_text("utf-8") + "\nSee [the moon](moon.md).\n", "utf-8")
    n = len(guide.read_text("utf-8").split("\n")) - 1
    message = f"templates/guides/support.md.j2:{n}: link 'moon.md' leads to no page"
    assert main(["build", "--verbose", "--out", "site"]) == 1
    assert message in capsys.readouterr().err
    assert any((project / "cache/empiriolabs-docs/pages").iterdir())  # every page's conversion was kept
    assert main(["build", "--verbose", "--out", "site"]) == 1
    assert capsys.readouterr().err.splitlines() == [message, "1 problem found; nothing was written."]
    assert not (project / "site").exists()
