"""A hook listed in mkdocs.yml sees, at every page event and at any priority, what plain mkdocs-material
shows it: every page (guides, generated pages, pages rendered from their views, pages restored from the
cache), with its real content, under `python -m generator build` and `mkdocs build` alike. And where a speed
path is not on the versions it was proven on, it steps aside, says so once, and the site is the same."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from generator.cli import main
from generator.site import mkdocs_plugins

# The hooks, by file name, and their priority (None: undecorated, mkdocs' default), in the order mkdocs runs them.
HOOKS = {"p100": 100, "p0": None, "m100": -100, "m10000": -10000}
EVENTS = ("markdown", "content", "context", "context-markdown", "post", "post-content")

HOOK_SOURCE = '''\
import os
from pathlib import Path

from mkdocs.plugins import event_priority

TAG = {tag!r}  # mkdocs loads a hook once per process: what differs between builds is read at each call


def record(event, page, value):
    path = Path(os.environ["HOOK_RECORD"]) / TAG / event / page.file.src_uri.replace("/", "__")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(repr(type(value).__name__) + "\\n" + str(value), "utf-8")


{decorator}def on_page_markdown(markdown, page, config, files):
    record("markdown", page, markdown)
    return markdown + "\\n\\nhook-" + TAG + "-markdown\\n" if os.environ.get("HOOK_EDIT_MARKDOWN") == "1" else markdown


{decorator}def on_page_content(html, page, config, files):
    record("content", page, html)
    return html + "<p>hook-" + TAG + "-content</p>"


{decorator}def on_page_context(context, page, config, nav):
    record("context", page, page.content)
    record("context-markdown", page, page.markdown)
    page.content = page.content + "<p>hook-" + TAG + "-context</p>"
    return context


{decorator}def on_post_page(output, page, config):
    record("post", page, output)
    record("post-content", page, page.content)
    return output.replace("</body>", "<!--hook-" + TAG + "-post--></body>")
'''


def add_hooks(project: Path) -> None:
    (project / "hooks").mkdir()
    for tag, priority in HOOKS.items():
        decorator = "" if priority is None else f"@event_priority({priority})\n"
        (project / "hooks" / f"{tag}.py").write_text(HOOK_SOURCE.format(tag=tag, decorator=decorator), "utf-8")
    config = project / "mkdocs.yml"
    listed = "".join(f"  - hooks/{tag}.py\n" for tag in HOOKS)
    config.write_text(config.read_text("utf-8") + f"\nhooks:\n{listed}", "utf-8")


def records(folder: Path) -> dict[tuple[str, str, str], str]:
    """What each hook received: (hook, event, page's file) -> the value's type and text."""
    return {
        (tag, event, path.name): path.read_text("utf-8")
        for tag in HOOKS
        for event in EVENTS
        for path in sorted((folder / tag / event).iterdir())
    }


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(project: Path, name: str, monkeypatch, capsys) -> str:
    monkeypatch.setenv("HOOK_RECORD", str(project / f"{name}-record"))
    assert main(["build", "--verbose", "--out", name]) == 0
    return capsys.readouterr().out


def unproven(monkeypatch) -> None:
    """Versions unlike the proven ones: every speed path that reaches inside mkdocs or Material steps aside."""
    monkeypatch.setitem(mkdocs_plugins.PROVEN, "mkdocs", "0.0")
    monkeypatch.setitem(mkdocs_plugins.PROVEN, "mkdocs-material", "0.0")


def text(record: str, kind: str = "'str'") -> str:
    assert record.startswith(kind + "\n"), record[:80]
    return record.split("\n", 1)[1]


def check_every_handler(project: Path, name: str, got: dict, site: dict[str, bytes], pages: int, edit_md: bool):
    """Each handler received the page's real content: the chain of the earlier handlers' edits, the page's
    <h1>, the whole document at on_post_page; and the written page holds every handler's edit."""
    order = list(HOOKS)
    uris = {uri for (_, _, uri) in got}
    assert len(uris) == pages
    assert len(got) == pages * len(HOOKS) * len(EVENTS)
    for uri in uris:
        md = {t: text(got[t, "markdown", uri]) for t in order}
        first_md = md["p100"]
        assert first_md.strip() and "hook-" not in first_md, uri
        for i, t in enumerate(order):
            edits = "".join(f"\n\nhook-{e}-markdown\n" for e in order[:i]) if edit_md else ""
            assert md[t] == first_md + edits, (uri, t)
        html = {t: text(got[t, "content", uri]) for t in order}
        assert "<h1" in html["p100"] and "hook-" in html["p100"] if edit_md else "<h1" in html["p100"], uri
        for t in order if edit_md else ():
            assert f"<p>hook-{t}-markdown</p>" in html["p100"], (uri, t)
        for i, t in enumerate(order):
            assert html[t] == html["p100"] + "".join(f"<p>hook-{e}-content</p>" for e in order[:i]), (uri, t)
        content = html["m10000"] + "<p>hook-m10000-content</p>"
        final_md = md["m10000"] + ("\n\nhook-m10000-markdown\n" if edit_md else "")
        for i, t in enumerate(order):
            assert text(got[t, "context", uri]) == content + "".join(f"<p>hook-{e}-context</p>" for e in order[:i])
            assert text(got[t, "context-markdown", uri]) == final_md, (uri, t)
        article = content + "".join(f"<p>hook-{e}-context</p>" for e in order)
        written = None
        for i, t in enumerate(order):
            assert text(got[t, "post-content", uri]) == article, (uri, t)
            output = text(got[t, "post", uri])
            assert output.lstrip().startswith("<!doctype html>") and output.rstrip().endswith("</html>"), (uri, t)
            assert article in output, (uri, t)  # the article of the page is what the handlers left
            assert output.count("<!--hook-") == i and all(f"<!--hook-{e}-post-->" in output for e in order[:i])
            written = output.replace("</body>", f"<!--hook-{t}-post--></body>")
        html_files = [p for p, data in site.items() if p.endswith(".html") and article.encode() in data]
        assert len(html_files) == 1, (uri, html_files)
        assert site[html_files[0]] == written.encode(), uri


def test_every_hook_sees_every_page_as_plain_mkdocs_shows_it(project, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    monkeypatch.setenv("HOOK_EDIT_MARKDOWN", "1")
    add_hooks(project)
    with monkeypatch.context() as plain:  # the reference: mkdocs' own pipeline, every speed path aside
        unproven(plain)
        summary = build(project, "plain", monkeypatch, capsys)
    for line in (
        "the page cache stepped aside: mkdocs is 1.6.1, proven on 0.0",
        "pages from their views stepped aside: mkdocs is 1.6.1, proven on 0.0",
        "compressed pages stepped aside: mkdocs is 1.6.1, proven on 0.0",
        "search on the second core stepped aside: mkdocs-material is 9.8.2, proven on 0.0",
    ):
        assert summary.count(line) == 1, line
    pages = int(re.search(r"built (\d+) pages", summary)[1])
    plain, plain_site = records(project / "plain-record"), tree(project / "plain")
    check_every_handler(project, "plain", plain, plain_site, pages, True)

    with monkeypatch.context() as small:  # every page compressed as soon as the next one is read or written
        small.setattr(mkdocs_plugins, "HOT_BUDGET", 0)
        cold = build(project, "cold", monkeypatch, capsys)
    models, providers = map(int, re.search(r"\((\d+) models, (\d+) providers\)", cold).groups())
    assert re.findall(r"[^;]* stepped aside[^;]*", cold) == [
        f" pages from their views stepped aside for {models + providers} pages whose markdown a plugin changed"
    ]
    assert f"pages rendered from their views 0 (direct 0.00 s), converted {pages}, kept from the cache 0 " in cold
    warm = build(project, "warm", monkeypatch, capsys)
    assert f"converted 0, kept from the cache {pages} " in warm
    for name in ("cold", "warm"):
        assert records(project / f"{name}-record") == plain, name
        assert tree(project / name) == plain_site, name

    monkeypatch.setenv("HOOK_RECORD", str(project / "mkdocs-record"))
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", "theirs"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "stepped aside" not in proc.stderr
    assert records(project / "mkdocs-record") == plain
    assert tree(project / "theirs") == plain_site


def test_pages_rendered_from_their_views_show_hooks_their_real_content(project, monkeypatch, capsys):
    """A hook that leaves the markdown as it is lets model and provider pages take the fast path; it still
    receives what mkdocs' own conversion would give."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    add_hooks(project)
    with monkeypatch.context() as plain:
        unproven(plain)
        summary = build(project, "plain", monkeypatch, capsys)
    pages = int(re.search(r"built (\d+) pages", summary)[1])
    models, providers = map(int, re.search(r"\((\d+) models, (\d+) providers\)", summary).groups())
    plain, plain_site = records(project / "plain-record"), tree(project / "plain")
    check_every_handler(project, "plain", plain, plain_site, pages, False)
    fast = build(project, "fast", monkeypatch, capsys)
    assert f"pages rendered from their views {models + providers} " in fast
    assert "stepped aside" not in fast
    assert records(project / "fast-record") == plain
    assert tree(project / "fast") == plain_site
