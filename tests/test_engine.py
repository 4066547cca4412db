"""`build --engine zensical`: the site a developer gets from the optional HTML engine, and its failures."""

from __future__ import annotations

import contextlib
import io
import re
import tomllib
from html.parser import HTMLParser
from importlib.util import find_spec
from pathlib import Path

import pytest
from conftest import PROJECT
from helpers import tree_digest

from generator.site import engines
from generator.site import pages as site
from generator.cli import main, parser

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "https://docs.empiriolabs.ai/"
needs_zensical = pytest.mark.skipif(find_spec("zensical") is None,
                                    reason="zensical is not installed: pip install -e '.[zensical]'")


def build_shipped(out: Path, engine: str) -> tuple[int, str, str]:
    """Run `python -m generator build` on the shipped catalog; exit code, stdout and stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["build", "--verbose", "--config-file", str(ROOT / "mkdocs.yml"), "--out", str(out),
                     "--engine", engine])
    return code, stdout.getvalue(), stderr.getvalue()


def html_of(page_path: str) -> str:
    """The HTML file mkdocs and zensical write for a page (use_directory_urls)."""
    if page_path == "index.md" or page_path.endswith("/index.md"):
        return page_path.removesuffix(".md") + ".html"
    return page_path.removesuffix(".md") + "/index.html"


class Reader(HTMLParser):
    """What a reader and an agent get from a page: text, tab labels, highlighted code, the twin link."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tab_sets: list[list[str]] = []
        self.twin = ""
        self.code_tokens: list[tuple[str, str]] = []  # (pygments class, text) inside .highlight blocks
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "link" and a.get("rel") == "alternate" and a.get("type") == "text/markdown":
            self.twin = a["href"]
        if tag == "div" and "tabbed-labels" in cls:
            self.tab_sets.append([])
        if tag not in ("link", "meta", "input", "br", "img", "hr"):
            self._open.append((tag, cls))

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        self.text.append(data)
        classes = [c for _, cls in self._open for c in cls]
        if self._open and self._open[-1][0] == "label" and "tabbed-labels" in classes:
            self.tab_sets[-1].append(data.strip())
        if "highlight" in classes and self._open[-1][0] == "span" and self._open[-1][1]:
            self.code_tokens.append((self._open[-1][1][0], data))


def read(path: Path) -> Reader:
    r = Reader()
    r.feed(path.read_text("utf-8"))
    return r


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory):
    """The shipped catalog built once with zensical: (summary line, site dir)."""
    out = tmp_path_factory.mktemp("zensical") / "site"
    code, stdout, stderr = build_shipped(out, "zensical")
    assert code == 0, stderr
    return stdout.strip().splitlines()[:2], out


@needs_zensical
def test_zensical_build_summary_and_pages(zensical_site, inputs):
    (line, details), out = zensical_site
    assert re.fullmatch(r"built \d+ pages \(79 models, 25 providers\), [\d.]+ MB into \S+ with zensical in [\d.]+ s; "
                        r"agent files [\d.]+ MB, the fullest \S+ at \d+% of [\d,]+ (chars|bytes)", line)
    assert re.fullmatch(r"[\d,]+ bytes, [\d.]+ s: check [\d.]+ s, render [\d.]+ s, write [\d.]+ s, html [\d.]+ s, "
                        r"bundles [\d.]+ s(; agents [\d.]+ s beside html on the second core)?; bundles: .*", details)
    pages = site.pages(inputs.catalog, inputs.spec)
    missing = [html_of(p.path) for p in pages if not (out / html_of(p.path)).is_file()]
    assert missing == []
    for extra in ("404.html", "sitemap.xml", "search.json", "llms.txt", "llms-full.txt", "models.json",
                  "models/nova-micro-1-0.md", "providers/amazon/llms-full.txt", "openapi.yaml"):
        assert (out / extra).is_file(), extra
    assert not list(out.parent.glob(".site-*")), "the temporary build directory was left behind"


@needs_zensical
def test_zensical_model_page_has_tabbed_highlighted_examples_and_its_twin(zensical_site):
    _, out = zensical_site
    page = read(out / "models/nova-micro-1-0/index.html")
    text = " ".join(" ".join(page.text).split())
    for fact in ("Nova Micro 1.0", "128,000 tokens", "$0.040", "$0.0224", "POST /v1/messages",
                 "Also known as Nova Micro, Nova-Micro-1.0"):
        assert fact in text, fact
    assert page.tab_sets == [["cURL", "Python", "JavaScript"], ["cURL", "Python", "JavaScript"],
                             ["cURL", "Anthropic SDK"], ["cURL", "Python", "JavaScript"]]
    assert ("kn", "from") in page.code_tokens  # `from openai import OpenAI`, highlighted by Pygments
    assert page.twin == SITE_URL + "models/nova-micro-1-0.md"


@needs_zensical
def test_zensical_draws_its_own_search_not_the_material_override(zensical_site, tmp_path):
    """templates/theme/partials/search.html copies mkdocs-material's markup: a zensical build leaves it out
    (engines.MATERIAL_ONLY) and gets zensical's search button; mkdocs keeps the override."""
    _, out = zensical_site
    header = (out / "models/nova-micro-1-0/index.html").read_text("utf-8")
    assert '<button type="button" class="md-search__button">' in header
    assert "md-search__input" not in header and "Initializing search" not in header
    assert engines.MATERIAL_ONLY == ("partials/search.html",)
    assert (ROOT / "templates/theme/partials/search.html").is_file()  # still there for mkdocs
    copy = engines.zensical_overrides(ROOT / "templates/theme", tmp_path / "theme")
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*.html")) == ["404.html", "main.html"]


@needs_zensical
def test_zensical_every_page_links_its_own_markdown_twin(zensical_site, inputs):
    _, out = zensical_site
    # A page's source a/b.md is served as a/b/index.html (a/index.md as a/index.html); its twin is a/b.md.
    twin = {}
    for path in (p.path for p in site.pages(inputs.catalog, inputs.spec)):
        stem = path.removesuffix(".md")
        twin["index.html" if path == "index.md" else
             f"{stem.removesuffix('/index')}/index.html" if stem.endswith("/index") else f"{stem}/index.html"] = path
    wrong = {}
    for html in sorted(out.rglob("index.html")):
        rel = html.relative_to(out).as_posix()
        if rel not in twin:
            wrong[rel] = "no page of the site is served here"
        elif read(html).twin != SITE_URL + twin[rel] or not (out / twin[rel]).is_file():
            wrong[rel] = read(html).twin
    assert wrong == {}
    assert read(out / "providers/index.html").twin == SITE_URL + "providers/index.md"
    assert read(out / "providers/amazon/index.html").twin == SITE_URL + "providers/amazon.md"


@needs_zensical
def test_zensical_builds_are_byte_identical(zensical_site, tmp_path):
    _, first = zensical_site
    code, _, err = build_shipped(tmp_path / "again", "zensical")
    assert code == 0, err
    assert tree_digest(tmp_path / "again") == tree_digest(first)


@needs_zensical
def test_zensical_broken_link_fails_and_leaves_the_previous_site_untouched(project, project_templates, capsys):
    assert main(["build", "--out", "site", "--engine", "zensical"]) == 0
    before = tree_digest(project / "site")
    guide = project_templates / "guides/support.md.j2"
    guide.write_text(guide.read_text("utf-8") + "\nSee [the moon](moon.md).\n", "utf-8")
    capsys.readouterr()
    assert main(["build", "--out", "site", "--engine", "zensical"]) == 1
    err = capsys.readouterr().err
    assert re.fullmatch(r"zensical: support\.md:\d+:16: page does not exist: moon\.md\n"
                        r"1 problem found; nothing was written\.\n", err), err
    assert "Traceback" not in err
    assert tree_digest(project / "site") == before
    assert sorted(p.name for p in project.iterdir()) == sorted(PROJECT + ["site"])


def test_zensical_missing_is_one_clear_problem(project, monkeypatch, capsys):
    monkeypatch.setattr(engines, "find_spec", lambda name: None)
    assert main(["build", "--out", "site", "--engine", "zensical"]) == 1
    assert capsys.readouterr().err == (
        "zensical: not installed: pip install -e '.[zensical]' (or pip install zensical==0.0.73)\n"
        "1 problem found; nothing was written.\n")
    assert sorted(p.name for p in project.iterdir()) == PROJECT


def test_unknown_engine_is_a_usage_error(project, capsys):
    assert main(["build", "--out", "site", "--engine", "hugo"]) == 2
    assert "error: argument --engine: invalid choice: 'hugo'" in capsys.readouterr().err
    assert sorted(p.name for p in project.iterdir()) == PROJECT


def test_engine_flag_defaults_to_mkdocs_for_build_and_serve():
    assert parser().parse_args(["build"]).engine == "mkdocs"
    assert parser().parse_args(["serve", "--engine", "zensical"]).engine == "zensical"


def test_zensical_pin_is_the_one_the_message_names():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    assert extras["zensical"] == [f"zensical=={engines.ZENSICAL_VERSION}"]
    assert "empiriolabs-docs[zensical]" in extras["test"]


@needs_zensical
def test_installed_zensical_is_the_pinned_one():
    import zensical

    assert zensical.version() == engines.ZENSICAL_VERSION


@pytest.mark.parametrize("output, problems", [
    ("Build started\n\x1b[33mWarning:\x1b[0m page does not exist\n"
     "    \x1b[38;5;246m╭─[\x1b[0m support.md:51:16 \x1b[38;5;246m]\x1b[0m\n"
     "    │\n"
     " 51 │ See [the moon](moon.md) and [x](index.md#nope).\n"
     "    │                ───┬───  \n"
     "    │                   ╰───── page does not exist\n"
     "────╯\n2 issues found\nTraceback (most recent call last):\n  File \"x\", line 1\n"
     "RuntimeError: Aborted because --strict flag is set\n",
     ["support.md:51:16: page does not exist: moon.md"]),
    ("Traceback (most recent call last):\n  File \"x\", line 81, in execute_build\n"
     "pyo3_runtime.PanicException: invariant: Id(Format(Path(RootDir)))\n",
     ["pyo3_runtime.PanicException: invariant: Id(Format(Path(RootDir)))"]),
    ("Build started\nTraceback (most recent call last):\nRuntimeError: undefined value (in main.html:4)\n",
     ["RuntimeError: undefined value (in main.html:4)"]),
    ("Error: Theme 'nope' is not installed. Available themes are: material\n",
     ["Error: Theme 'nope' is not installed. Available themes are: material"]),
    ("something else entirely\n", []),
])
def test_zensical_output_becomes_problems(output, problems):
    assert engines.problems_of(output) == problems


@needs_zensical
def test_zensical_builds_from_the_root_mkdocs_yml(project):
    """The same mkdocs.yml drives zensical: its palette, and a guide added with one file and one nav line."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("primary: indigo", "primary: teal")
                      .replace("      - support.md\n", "      - support.md\n      - FAQ: faq.md\n"), "utf-8")
    (project / "templates/guides/faq.md.j2").write_text("# FAQ\n\nKeys start with `{{ platform.key_prefix }}`.\n",
                                                         "utf-8")
    assert main(["build", "--out", "site", "--engine", "zensical"]) == 0
    assert 'data-md-color-primary="teal"' in (project / "site/pricing/index.html").read_text("utf-8")
    assert "Keys start with <code>sk-empiriolabs-</code>." in (project / "site/faq/index.html").read_text("utf-8")
    assert "(https://docs.empiriolabs.ai/faq.md)" in (project / "site/llms.txt").read_text("utf-8")
