"""Model and provider pages get their HTML straight from their views, through the HTML block writer
(generator/site/direct.py), not through Python-Markdown. tests/test_blocks.py proves the writers block by block;
here the site is the same, byte for byte, as when every page is converted: the shipped catalog, and catalog text
that needs Markdown or makes a page fall back to it. A difference names the template line and the block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT
from helpers import tree

from generator.cli import main
from generator.site import direct

ROOT = Path(__file__).resolve().parents[1]


def build(out: str, monkeypatch, capsys, *, direct_pages: bool) -> tuple[dict[str, bytes], str]:
    """The site built into `out`, with model and provider pages from their views or converted like the rest;
    the HTML writer's blocks of each page are kept in direct.TRACE."""
    monkeypatch.setattr(direct, "ENABLED", direct_pages)
    monkeypatch.setattr(direct, "TRACE", {})
    assert main(["build", "--verbose", "--out", out]) == 0
    return tree(Path(out)), capsys.readouterr().out


def build_both(project: Path, monkeypatch, capsys) -> tuple[dict[str, bytes], dict[str, bytes], str]:
    """The site built with every page converted by Python-Markdown, then with model pages from their views."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    converted, summary = build("converted", monkeypatch, capsys, direct_pages=False)
    assert "pages rendered from their views 0 " in summary
    rendered, summary = build("direct", monkeypatch, capsys, direct_pages=True)
    return converted, rendered, summary


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A copy of the project, and its site built with every page converted by Python-Markdown."""
    import shutil

    root = tmp_path_factory.mktemp("project")
    for name in PROJECT:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, root / name)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(root)
        monkeypatch.setenv("XDG_CACHE_HOME", str(root / "cache"))
        monkeypatch.setattr(direct, "ENABLED", False)
        assert main(["build", "--verbose", "--out", "converted"]) == 0
    return root, tree(root / "converted")


def differences(converted: dict[str, bytes], rendered: dict[str, bytes]) -> list[str]:
    """Each file that differs; for a page the HTML writer gave, the template line and block where it starts
    to differ, with what the writer gave and what Python-Markdown gave there."""
    assert converted.keys() == rendered.keys()
    return [
        explain(path, converted[path].decode("utf-8", "replace"), rendered[path].decode("utf-8", "replace"))
        for path in converted
        if converted[path] != rendered[path]
    ]


def explain(path: str, theirs: str, mine: str) -> str:
    first = next((i for i, (a, b) in enumerate(zip(theirs, mine, strict=False)) if a != b), min(len(theirs), len(mine)))
    stem = path.removesuffix("index.html").rstrip("/")
    trace = direct.TRACE or {}
    cursor, where = 0, "outside the blocks the HTML writer gave"
    for block in trace.get(f"{stem}.md") or trace.get(f"{stem}/index.md") or []:
        start = mine.find(block.html, cursor)
        cursor = (start if start >= 0 else cursor) + len(block.html)
        if cursor > first:  # the first block that ends past the first difference
            where = str(block)
            break
    return (
        f"{path}: {where}: HTML writer gives {mine[max(0, first - 40) : first + 80]!r}, "
        f"Python-Markdown gives {theirs[max(0, first - 40) : first + 80]!r}"
    )


def test_the_shipped_site_is_the_same_byte_for_byte(reference, monkeypatch, capsys):
    project, converted = reference
    monkeypatch.chdir(project)
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    rendered, summary = build("direct", monkeypatch, capsys, direct_pages=True)
    models, providers = map(int, re.search(r"built \d+ pages \((\d+) models, (\d+) providers", summary).groups())
    assert f"pages rendered from their views {models + providers} " in summary
    assert differences(converted, rendered) == []  # the pages, their tables of contents, the search index
    page = rendered["models/nova-micro-1-0/index.html"].decode()
    assert '<div class="tabbed-set tabbed-alternate" data-tabs="1:3">' in page
    assert '<a class="headerlink" href="#example-requests" title="Permanent link"> </a>' in page  # ¶ from CSS
    image = rendered["models/amazon-nova-canvas/index.html"].decode()
    assert '<td><code>"1024x1024"</code></td>' in image  # a default in quotes, not &#34;


def test_a_difference_names_the_template_line_and_the_block(reference, monkeypatch, capsys):
    """A writer that gets one block wrong (a table cell "Value" upper-cased): the comparison says where the
    template wrote that block, and what each side gave there."""
    project, converted = reference
    monkeypatch.chdir(project)
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    cells = direct._cells
    monkeypatch.setattr(direct, "_cells", lambda line: None if (c := cells(line)) is None else [upper(x) for x in c])
    rendered, _ = build("broken", monkeypatch, capsys, direct_pages=True)
    lines = (project / "templates/pages/model.md.j2").read_text("utf-8").split("\n")
    specs = lines.index('{{ w.heading(2, "Specs") }}')
    table = specs + 1 + lines[specs:].index("{% call w.table() %}")  # the Specs table's line, 1-based
    [message] = [d for d in differences(converted, rendered) if d.startswith("models/nova-micro-1-0/index.html: ")]
    where, mine, theirs = re.fullmatch(r"(.*?): HTML writer gives (.*), Python-Markdown gives (.*)", message).groups()
    assert where == f"models/nova-micro-1-0/index.html: templates/pages/model.md.j2:{table} (table under 'Specs')"
    assert "<th>Field</th>\\n<th>VALUE</th>" in mine
    assert "<th>Field</th>\\n<th>Value</th>" in theirs


def upper(cell: str) -> str:
    return "VALUE" if cell == "Value" else cell


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
    assert differences(converted, rendered) == []
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
