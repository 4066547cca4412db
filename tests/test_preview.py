"""`serve` rebuilds only what an edit changed, and the site it serves is the one a full build makes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import edit, tree


from generator.build import build
from generator.preview import Preview
from generator.problems import BuildError

NOVA = Path("catalog/models/amazon/nova-micro-1-0.yaml")


def same_tree(a: Path, b: Path) -> list[str]:
    """The relative paths whose bytes differ, or that only one tree has."""
    ta, tb = tree(a), tree(b)
    return sorted(p for p in ta.keys() | tb.keys() if ta.get(p) != tb.get(p))


@pytest.fixture
def preview(project):
    p = Preview(Path("catalog"), Path("openapi.yaml"), Path("site"))
    assert re.match(r"rebuilt 133 pages into \S+ in [\d.]+ s", p.rebuild())
    return p


def test_a_one_model_edit_rebuilds_a_few_pages_into_the_site_a_full_build_makes(preview, project):
    edit(project / NOVA, "name: Nova Micro 1.0", "name: Nova Micro 1.0 Preview")
    edit(project / NOVA, "amount: 0.040,", "amount: 0.045,")
    summary = preview.rebuild()
    rebuilt = int(re.match(r"rebuilt (\d+) of 133 pages \(the others unchanged\)", summary)[1])
    assert 0 < rebuilt < 20
    page = (project / "site/models/nova-micro-1-0/index.html").read_text("utf-8")
    assert "Nova Micro 1.0 Preview" in page and "$0.045" in page
    build(project / "catalog", project / "openapi.yaml", project / "full")
    assert same_tree(project / "site", project / "full") == []


def test_bad_input_keeps_the_served_site_and_the_next_good_rebuild_catches_up(preview, project):
    before = tree(project / "site")
    edit(project / NOVA, "context_window: 128000", "context_window: lots")
    with pytest.raises(BuildError) as err:  # found by the catalog check, before anything is written
        preview.rebuild()
    assert [str(p) for p in err.value.problems] == [
        f"{NOVA}:11: must be an integer or null, not a string ('lots') at $.context_window"]
    assert tree(project / "site") == before
    edit(project / NOVA, "context_window: lots", "context_window: 64000")
    edit(project / NOVA, "description: >-\n", "description: >-\n  See [the notes](/notes.md).\n")
    with pytest.raises(BuildError) as err:  # found by mkdocs, once the pages were written
        preview.rebuild()
    assert [str(p) for p in err.value.problems] == [
        "mkdocs: Doc file 'models/nova-micro-1-0.md' contains a link '/notes.md', but the target is not found "
        "among documentation files."]
    assert tree(project / "site") == before
    edit(project / NOVA, "  See [the notes](/notes.md).\n", "")
    assert re.match(r"rebuilt 133 pages", preview.rebuild())  # after a failed mkdocs run, a full rebuild
    build(project / "catalog", project / "openapi.yaml", project / "full")
    assert same_tree(project / "site", project / "full") == []


def test_serve_publishes_the_html_first_and_the_agent_files_follow(project):
    """What `serve` does: the edited page is served when rebuild() returns; its twin, the bundles and the
    JSON follow, and then the site is the one a full build makes."""
    lines: list[str] = []
    p = Preview(Path("catalog"), Path("openapi.yaml"), Path("site"), agents_after=True, report=lines.append)
    assert re.match(r"rebuilt 133 pages into \S+ in [\d.]+ s", p.rebuild())  # a full one waits for everything
    twin = project / "site/models/nova-micro-1-0.md"
    edit(project / NOVA, "name: Nova Micro 1.0", "name: Nova Micro 1.0 Preview")
    summary = p.rebuild()
    assert re.fullmatch(r"rebuilt \d+ of 133 pages \(the others unchanged\) into \S+ in [\d.]+ s: check [\d.]+ s, "
                        r"html [\d.]+ s, publish [\d.]+ s; the agent files follow", summary)
    assert "Nova Micro 1.0 Preview" in (project / "site/models/nova-micro-1-0/index.html").read_text("utf-8")
    p.wait()
    assert re.fullmatch(r"agent files updated [\d.]+ s after the edit was read; agent files [\d.]+ MB, the fullest "
                        r"\S+ at \d+% of [\d,]+ (chars|bytes)", lines[-1])  # one short line, not every bundle
    assert len(lines[-1]) <= 200
    assert twin.read_text("utf-8").startswith("# Nova Micro 1.0 Preview\n")
    build(project / "catalog", project / "openapi.yaml", project / "full")
    assert same_tree(project / "site", project / "full") == []
