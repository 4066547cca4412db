"""The site is its root mkdocs.yml: what a docs team changes there shows in the site, plain `mkdocs build`
and `mkdocs serve` work with the catalog plugin, and a broken mkdocs.yml is one clear message with its line."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from conftest import PROJECT
from helpers import edit, free_port, line_of, tree_digest

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def test_mkdocs_build_makes_the_same_site_as_the_generator(project):
    """`mkdocs build` with the shipped mkdocs.yml runs the catalog plugin: the same bytes as our build."""
    assert main(["build", "--out", "ours"]) == 0
    proc = subprocess.run(MKDOCS + ["build", "--site-dir", "theirs"], cwd=project, capture_output=True, text=True,
                          env=ENV)
    assert proc.returncode == 0, proc.stderr
    ours, theirs = tree_digest(project / "ours"), tree_digest(project / "theirs")
    assert sorted(p for p in ours.keys() | theirs.keys() if ours.get(p) != theirs.get(p)) == []
    for page in ("models/nova-micro-1-0/index.html", "models/nova-micro-1-0.md", "llms.txt", "models.json",
                 "api/index.html", "sitemap.xml"):
        assert page in theirs, page
    assert "<lastmod>2026-11-23</lastmod>" in (project / "theirs/sitemap.xml").read_text("utf-8")
    support = (project / "theirs/support/index.html").read_text("utf-8")  # named by its path alone in the nav
    assert "<title>Support - EmpirioLabs AI Docs</title>" in support
    assert re.search(r'<a href="\.\./authentication/" class="md-nav__link">\s*<span class="md-ellipsis">\s*'
                     r'Authentication\s*</span>', support)


def test_a_palette_change_in_mkdocs_yml_shows_in_the_html(project):
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert text.count("primary: indigo") == 2
    config.write_text(text.replace("primary: indigo", "primary: teal"), "utf-8")
    assert main(["build", "--out", "site"]) == 0
    html = (project / "site/pricing/index.html").read_text("utf-8")
    assert 'data-md-color-primary="teal"' in html and 'data-md-color-primary="indigo"' not in html


def test_a_new_guide_is_one_file_and_one_nav_line(project):
    (project / "templates/guides/faq.md.j2").write_text(
        "# Frequently asked questions\n\nKeys start with `{{ platform.key_prefix }}`.\n", "utf-8")
    edit(project / "mkdocs.yml", "      - support.md\n", "      - support.md\n      - FAQ: faq.md\n")
    assert main(["build", "--out", "site"]) == 0
    site = project / "site"
    html = (site / "faq/index.html").read_text("utf-8")
    assert "Keys start with <code>sk-empiriolabs-</code>." in html
    support = (site / "support/index.html").read_text("utf-8")  # the guide before it links it, by its nav title
    assert '<a href="../faq/" class="md-nav__link">' in support and 'aria-label="Next: FAQ"' in support
    assert (site / "faq.md").read_text("utf-8") == (
        "# Frequently asked questions\n\nSource: https://docs.empiriolabs.ai/faq/\n"
        "Agents: every page, bundle and data file of these docs is listed in [llms.txt](https://docs.empiriolabs.ai/llms.txt). "
        "The MCP server at https://docs.empiriolabs.ai/mcp (Streamable HTTP) searches and reads these docs: search_docs, "
        "get_page, list_models, get_model, estimate_cost, get_operation.\n"
        "\nKeys start with `sk-empiriolabs-`.\n")
    assert ("- [Frequently asked questions](https://docs.empiriolabs.ai/faq.md): Keys start with `sk-empiriolabs-`.\n"
            in (site / "llms.txt").read_text("utf-8"))

    (project / "templates/guides/faq.md.j2").unlink()  # removing it: the file and its nav line
    edit(project / "mkdocs.yml", "      - FAQ: faq.md\n", "")
    assert main(["build", "--out", "site"]) == 0
    assert not (site / "faq").exists() and not (site / "faq.md").exists()
    assert "faq.md" not in (site / "llms.txt").read_text("utf-8")


def test_a_third_party_plugin_listed_in_mkdocs_yml_runs(project):
    edit(project / "mkdocs.yml", "plugins:\n",
         "plugins:\n  - redirects:\n      redirect_maps:\n        keys.md: rate-limits.md\n")
    assert main(["build", "--out", "site"]) == 0
    redirect = (project / "site/keys/index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../rate-limits/">' in redirect


def test_generated_sections_go_where_their_markers_are(project):
    edit(project / "mkdocs.yml", "  - API reference: catalog:api\n", "")
    edit(project / "mkdocs.yml", "  - Models: catalog:models\n", "  - Catalog: catalog:models\n")
    assert main(["build", "--out", "site"]) == 0
    tabs = re.findall(r'<li class="md-tabs__item[^"]*">\s*<a href="[^"]*" class="md-tabs__link">\s*(.*?)\s*</a>',
                      (project / "site/index.html").read_text("utf-8"))
    assert tabs == ["Home", "Getting started", "Guides", "Catalog", "API reference"]  # unplaced: added at the end


def bad_config(project, capsys, edit_args, expected: str) -> None:
    edit(project / "mkdocs.yml", *edit_args)
    assert main(["build", "--out", "site"]) == 1
    assert capsys.readouterr().err == expected + "\n1 problem found; nothing was written.\n"
    assert sorted(p.name for p in project.iterdir()) == PROJECT


def test_a_yaml_error_in_mkdocs_yml_names_its_line(project, capsys):
    line = line_of(project / "mkdocs.yml", "site_name:")
    bad_config(project, capsys, ("site_name: EmpirioLabs AI Docs", "site_name: EmpirioLabs: AI Docs"),
               f"mkdocs.yml:{line}: YAML syntax error, column 23: mapping values are not allowed here")


def test_an_unknown_plugin_option_names_its_line(project, capsys):
    line = line_of(project / "mkdocs.yml", "openapi: openapi.yaml")
    bad_config(project, capsys, ("      openapi: openapi.yaml", "      openapi_file: openapi.yaml"),
               f"mkdocs.yml:{line}: plugin 'catalog' has no option 'openapi_file' (did you mean 'openapi'?); its options are catalog, "
               "openapi, asyncapi, templates, list_models, try_it_servers, "
               "metrics, metrics_max_age_days, metrics_min_requests, mcp_url")


def test_a_nav_entry_that_points_nowhere_names_its_line(project, capsys):
    line = line_of(project / "mkdocs.yml", "- billing.md")
    bad_config(project, capsys, ("      - billing.md", "      - Billing: biling.md"),
               f"mkdocs.yml:{line}: nav entry 'Billing' points to biling.md (did you mean 'billing.md'?), which is neither a guide in "
               "templates/guides nor a generated page: create templates/guides/biling.md.j2 or fix the path")


def test_a_site_url_that_platform_yaml_contradicts_names_its_line(project, capsys):
    line = line_of(project / "mkdocs.yml", "site_url:")
    bad_config(project, capsys, ("site_url: https://docs.empiriolabs.ai/", "site_url: https://docs.example.com/"),
               f"mkdocs.yml:{line}: site_url is 'https://docs.example.com/' but catalog/platform.yaml says "
               "'https://docs.empiriolabs.ai/': make them the same")


def test_strict_false_contradicts_the_plugin(project, capsys):
    line = line_of(project / "mkdocs.yml", "strict: true")
    bad_config(project, capsys, ("strict: true", "strict: false"),
               f"mkdocs.yml:{line}: strict: false contradicts the catalog plugin, which counts every warning as "
               "a problem: remove the line")


def test_plain_mkdocs_reports_a_bad_option_with_its_line(project):
    line = line_of(project / "mkdocs.yml", "openapi: openapi.yaml")
    edit(project / "mkdocs.yml", "      openapi: openapi.yaml", "      openapi_file: openapi.yaml")
    proc = subprocess.run(MKDOCS + ["build"], cwd=project, capture_output=True, text=True, env=ENV)
    assert proc.returncode == 1
    assert (f"Error: mkdocs.yml:{line}: plugin 'catalog' has no option 'openapi_file' (did you mean 'openapi'?); its options are catalog, "
            "openapi, asyncapi, templates, list_models, try_it_servers, "
               "metrics, metrics_max_age_days, metrics_min_requests, mcp_url") in proc.stderr
    assert "Traceback" not in proc.stderr and not (project / "site").exists()


def test_plain_mkdocs_build_fails_on_a_catalog_problem_listing_it(project):
    model = project / "catalog/models/amazon/nova-micro-1-0.yaml"
    edit(model, "amount: 0.16,", "amount: free,")
    proc = subprocess.run(MKDOCS + ["build"], cwd=project, capture_output=True, text=True, env=ENV)
    assert proc.returncode == 1
    assert re.search(r"ERROR +- +catalog/models/amazon/nova-micro-1-0\.yaml:\d+: must be a number", proc.stderr)
    assert "Traceback" not in proc.stderr and not (project / "site").exists()


def test_mkdocs_serve_serves_a_model_page_and_rebuilds_after_a_catalog_edit(project):
    port = free_port()
    proc = subprocess.Popen(MKDOCS + ["serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                assert proc.poll() is None, "mkdocs serve exited"
                continue
            if text in line:
                return
        raise AssertionError(f"mkdocs serve never printed {text!r}")

    def get(path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as resp:
            return resp.read().decode("utf-8")

    try:
        wait_for("Serving on")
        page = get("/models/nova-micro-1-0/")
        assert "Nova Micro 1.0" in page and "$0.0224" in page and "livereload" in page
        assert get("/llms.txt").startswith("# EmpirioLabs AI Docs")
        edit(project / "catalog/models/amazon/nova-micro-1-0.yaml", "name: Nova Micro 1.0", "name: Nova Micro 1.0 Preview")
        wait_for("Reloading browsers")  # the plugin watches catalog/
        assert "Nova Micro 1.0 Preview" in get("/models/nova-micro-1-0/")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_check_reports_a_bad_nav_entry_with_the_catalog_problems(project, capsys):
    line = line_of(project / "mkdocs.yml", "- billing.md")
    edit(project / "mkdocs.yml", "      - billing.md", "      - biling.md")
    edit(project / "catalog/models/amazon/nova-micro-1-0.yaml", "amount: 0.16,", "amount: free,")
    assert main(["check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"mkdocs.yml:{line}: a nav entry points to biling.md (did you mean 'billing.md'?), which is neither a guide in "
                      "templates/guides nor a generated page: create templates/guides/biling.md.j2 or fix the path")
    assert re.fullmatch(r"catalog/models/amazon/nova-micro-1-0\.yaml:\d+: must be a number.*", err[1])
    assert err[2:] == ["2 problems found."]


def test_a_new_guide_is_checked_like_every_guide(project, capsys):
    """A guide's numbers come from the data: one typed by hand that the data contradicts fails the build."""
    (project / "templates/guides/faq.md.j2").write_text(
        "# FAQ\n\nOne key reaches {{ stats.model_count }} models.\nWe route to 120 AI models.\n", "utf-8")
    edit(project / "mkdocs.yml", "      - support.md\n", "      - support.md\n      - faq.md\n")
    assert main(["build", "--out", "site"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "templates/guides/faq.md.j2:4: prose says '120 AI models' but the data says 79 models "
        "(catalog/models: 79 model files)",
        "1 problem found; nothing was written."]


def test_strict_mode_and_the_validation_levels_are_added_when_mkdocs_yml_leaves_them_out(project, capsys):
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(text[:text.index("strict: true")] + text[text.index("\ntheme:") + 1:], "utf-8")
    assert "strict" not in config.read_text("utf-8") and "validation" not in config.read_text("utf-8")
    guide = project / "templates/guides/support.md.j2"
    guide.write_text(guide.read_text("utf-8") + "\nSee [the limits](rate-limits.md#nope).\n", "utf-8")
    anchor = ("Doc file 'support.md' contains a link 'rate-limits.md#nope', but the doc 'rate-limits.md' does not "
              "contain an anchor '#nope'.")  # mkdocs' default for anchors is info: not even a warning
    n = len(guide.read_text("utf-8").split("\n")) - 1
    assert main(["build", "--out", "site"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"templates/guides/support.md.j2:{n}: link 'rate-limits.md#nope': the page 'rate-limits.md' has no heading "
        "or anchor '#nope'", "1 problem found; nothing was written."]
    proc = subprocess.run(MKDOCS + ["build"], cwd=project, capture_output=True, text=True, env=ENV)
    assert proc.returncode == 1
    assert re.search(rf"WARNING +- +{re.escape(anchor)}\n", proc.stderr)
    assert re.search(r"ERROR +- +Aborted with 1 warnings: the catalog plugin counts every warning as a problem\n",
                     proc.stderr)


def test_without_a_nav_the_guides_come_first_and_the_generated_sections_after(project):
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(text[:text.index("\nnav:\n") + 1], "utf-8")
    assert main(["build", "--out", "site"]) == 0
    tabs = re.findall(r'<li class="md-tabs__item[^"]*">\s*<a href="[^"]*" class="md-tabs__link">\s*(.*?)\s*</a>',
                      (project / "site/index.html").read_text("utf-8"))
    assert tabs == ["Home", "AI agent access", "Authentication", "Billing and credits",
                    "OpenAI and Anthropic compatibility", "Concepts", "Getting started", "Models and pricing",
                    "Rate limits and API keys", "Support", "Changelog", "Models", "API reference"]


def test_edit_links_point_at_a_guides_template_and_generated_pages_have_none(project):
    edit(project / "mkdocs.yml", "# repo_url: https://github.com/empiriolabs/docs   # set it to show an \"edit this page\" button\n"
         "# edit_uri: edit/main/templates/guides/\n",
         "repo_url: https://github.com/empiriolabs/docs\nedit_uri: edit/main/templates/guides/\n")
    edit(project / "mkdocs.yml", "    - toc.follow\n", "    - toc.follow\n    - content.action.edit\n")
    assert main(["build", "--out", "ours"]) == 0
    proc = subprocess.run(MKDOCS + ["build", "--site-dir", "theirs"], cwd=project, capture_output=True, text=True,
                          env=ENV)
    assert proc.returncode == 0, proc.stderr
    for built in ("ours", "theirs"):
        edits = {page: re.findall(r'<a href="([^"]*)" title="Edit this page"', (project / built / page).read_text("utf-8"))
                 for page in ("support/index.html", "api/index.html", "models/nova-micro-1-0/index.html",
                              "pricing/index.html")}
        assert edits == {
            "support/index.html": ["https://github.com/empiriolabs/docs/edit/main/templates/guides/support.md.j2"],
            "api/index.html": ["https://github.com/empiriolabs/docs/edit/main/templates/guides/api/index.md.j2"],
            "models/nova-micro-1-0/index.html": [], "pricing/index.html": []}, built
    assert tree_digest(project / "ours") == tree_digest(project / "theirs")
