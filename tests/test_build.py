"""`python -m generator build`: the site a developer gets, and what a failed build leaves behind."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PROJECT
from helpers import tree_digest

from generator import build as build_mod
from generator.cli import main
from generator.write import Writer, WriteError

ROOT = Path(__file__).resolve().parents[1]


class Text(HTMLParser):
    """The visible text of an HTML page, and the tags it contains."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Text:
    t = Text()
    t.feed(path.read_text("utf-8"))
    return t




def test_the_catalog_reference_shows_a_real_model_file():
    doc = (ROOT / "docs/catalog.md").read_text("utf-8")
    shown = re.search(r"<!-- example-model:start -->\n```yaml\n(.*?)```\n<!-- example-model:end -->", doc, re.S)[1]
    assert shown == (ROOT / "catalog/models/amazon/nova-micro-1-0.yaml").read_text("utf-8")


def test_build_summary_and_pages(project, capsys):
    assert main(["build", "--out", "site"]) == 0
    (line,) = capsys.readouterr().out.splitlines()  # one line, whatever the build did
    site = project / "site"
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    full = len((site / "llms-full.txt").read_text("utf-8"))
    assert re.fullmatch(rf"built \d+ pages \(79 models, 25 providers\), {size / 1e6:.1f} MB into site with mkdocs in "
                        rf"[\d.]+ s; agent files [\d.]+ MB, the fullest llms-full.txt at {full / 400_000:.0%} of "
                        r"400,000 chars", line)
    assert len(line) <= 200, len(line)
    assert main(["build", "--verbose", "--out", "site"]) == 0
    summary = capsys.readouterr().out.splitlines()[1]  # the details: every stage, every bundle; every page kept
    assert re.fullmatch(r"[\d,]+ bytes, [\d.]+ s: check [\d.]+ s, render [\d.]+ s, write [\d.]+ s, html [\d.]+ s, "
                        r"bundles [\d.]+ s(; agents [\d.]+ s beside html on the second core)?; pages rendered from "
                        r"their views 0 \(direct 0.00 s\), converted 0, kept from the cache 133 "
                        r"\(cache [\d.]+ s\); bundles: .*", summary)
    # every bundle the build wrote, with its size as measured on disk against its budget
    printed = re.findall(r"(\S+) ([\d,]+)/([\d,]+) (chars|bytes) \(", summary.partition("; bundles: ")[2])
    wrote = ["llms.txt", "llms-full.txt"] + sorted(p.relative_to(site).as_posix()
                                                   for p in site.glob("providers/*/llms-full*.txt"))
    assert [path for path, *_ in printed] == wrote
    for path, used, budget, kind in printed:
        data = (site / path).read_text("utf-8")
        assert int(used.replace(",", "")) == (len(data) if kind == "chars" else len(data.encode("utf-8"))), path
        assert budget == {"llms.txt": "50,000", "llms-full.txt": "400,000"}.get(path, "100,000"), path
    for page in ("index.html", "getting-started/index.html", "pricing/index.html", "providers/index.html",
                 "providers/amazon/index.html", "models/nova-micro-1-0/index.html", "404.html", "sitemap.xml"):
        assert (site / page).is_file(), page
    nova = " ".join(parse(site / "models/nova-micro-1-0/index.html").text)
    for fact in ("nova-micro-1-0", "Nova Micro 1.0", "128,000 tokens", "5,000 tokens", "$0.040", "$0.0224",
                 "Web Search (Linkup)", "POST /v1/messages", "Also known as Nova Micro, Nova-Micro-1.0"):
        assert fact in nova, fact
    assert not list(project.glob(".site-*")), "the temporary build directory was left behind"


def test_sitemap_dates_come_from_the_catalog(project):
    assert main(["build", "--out", "site"]) == 0
    sitemap = (project / "site/sitemap.xml").read_text("utf-8")
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {"2026-11-23"}


def test_failed_build_leaves_the_previous_site_untouched(project, capsys):
    assert main(["build", "--out", "site"]) == 0
    before = tree_digest(project / "site")
    model = project / "catalog/models/amazon/nova-micro-1-0.yaml"
    model.write_text(model.read_text("utf-8").replace("amount: 0.16,", "amount: free,"), "utf-8")
    capsys.readouterr()
    assert main(["build", "--out", "site"]) == 1
    err = capsys.readouterr().err
    assert "catalog/models/amazon/nova-micro-1-0.yaml:" in err and "must be a number" in err
    assert err.strip().endswith("1 problem found; nothing was written.")
    assert tree_digest(project / "site") == before
    assert sorted(p.name for p in project.iterdir()) == sorted(PROJECT + ["site"])


def test_broken_link_fails_the_html_stage_and_names_the_page(project, project_templates, capsys):
    guide = project_templates / "guides/support.md.j2"
    guide.write_text(guide.read_text("utf-8") + "\nSee [the moon](moon.md).\n", "utf-8")
    assert main(["build", "--out", "site"]) == 1
    err = capsys.readouterr().err
    n = len(guide.read_text("utf-8").split("\n")) - 1
    assert f"templates/guides/support.md.j2:{n}: link 'moon.md' leads to no page" in err.splitlines()
    assert not (project / "site").exists()


def test_html_and_example_problems_are_reported_together(project, project_templates, capsys):
    """The examples are checked on the second core while mkdocs builds: a build with both a dead link and
    a wrong example names both."""
    guide = project_templates / "guides/compatibility.md.j2"
    lines = guide.read_text("utf-8").split("\n")
    assert '"temperature": 0.3' in lines[26]
    lines[26] = lines[26].replace('"temperature": 0.3', '"temprature": 0.3')
    guide.write_text("\n".join(lines) + "\nSee [the moon](moon.md).\n", "utf-8")
    assert main(["build", "--out", "site"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{guide.relative_to(project)}:27: POST /v1/chat/completions example: $.temprature: unknown key "
        "'temprature' (did you mean 'temperature'?)",
        f"{guide.relative_to(project)}:{len(lines) + 1}: link 'moon.md' leads to no page",
        "2 problems found; nothing was written."]


def test_catalog_text_is_escaped_in_html(project):
    model = project / "catalog/models/amazon/nova-micro-1-0.yaml"
    text = model.read_text("utf-8")
    model.write_text(text.replace("  Strong for summarization,", "  Compare x < y & z and 3<5. Strong for summarization,"),
                     "utf-8")
    assert main(["build", "--out", "site"]) == 0
    page = project / "site/models/nova-micro-1-0/index.html"
    parsed = parse(page)
    assert "Compare x < y & z and 3<5." in " ".join(" ".join(parsed.text).split())
    assert "x &lt; y &amp; z and 3&lt;5" in page.read_text("utf-8")


def test_writer_stays_inside_its_root(tmp_path):
    w = Writer(tmp_path / "out")
    for bad in ("../x", "/etc/passwd", "a/../../x", ""):
        with pytest.raises(WriteError):
            w.write(bad, "x")
    w.write("models/a.md", "x")
    with pytest.raises(WriteError, match="would be written twice"):
        w.write("models/a.md", "y")
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["a.md"]


def test_progress_shows_on_a_terminal_for_large_builds_only(monkeypatch, capsys):
    import logging

    class Tty:
        def __init__(self):
            self.text = ""

        def isatty(self):
            return True

        def write(self, s):
            self.text += s

        def flush(self):
            pass

    tty = Tty()
    monkeypatch.setattr(build_mod.sys, "stderr", tty)
    monkeypatch.delenv("CI", raising=False)
    assert build_mod.show_progress(1000) and not build_mod.show_progress(999)
    monkeypatch.setenv("CI", "true")
    assert not build_mod.show_progress(5000)
    progress = build_mod._Progress(100)
    for i in range(100):
        progress.emit(logging.makeLogRecord({"msg": f"Reading: models/m{i}.md"}))
        progress.emit(logging.makeLogRecord({"msg": f"Building page models/m{i}.md"}))
    progress.close()
    assert tty.text == "\rhtml: 100/200 page steps (read, then write)\rhtml: 200/200 page steps (read, then write)\n"
