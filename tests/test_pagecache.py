"""The page cache: a build that takes every page's conversion and search entries from the cache folder
writes the same site, byte for byte, as one that converts every page; and mkdocs' warnings about a page
are still reported when its conversion comes from the cache."""

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
    assert f"converted 0, kept from the cache {pages - direct} " in capsys.readouterr().out
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
    assert f"converted 1, kept from the cache {pages - direct - 1} " in capsys.readouterr().out
    assert "A sentence added after the first build." in (project / "site/support/index.html").read_text("utf-8")


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
