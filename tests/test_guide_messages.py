"""A new guide's mistakes, as a docs team makes them: `check` and `build` report the same problems, all at
once, on the first run, each at the guide template's line, with the page, model or number it meant."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.cli import main
from generator.doccheck import links
from generator.problems import Problem

FAQ = """# FAQ

How do I see prices? See [the pricing page](pricng.md), or [the limits](rate-limits.md#nope).

```bash
curl "{{ platform.api_base_url }}/chat/completions" \\
  -H "Authorization: Bearer ${{ platform.key_env }}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "nova-micr-1-0", "messages": [{"role": "user", "content": "Hi"}]}'
```

The free tier allows 60 requests per minute.

See [the providers](providers/).
"""

PROBLEMS = [
    "templates/guides/faq.md.j2:3: link 'pricng.md' leads to no page (did you mean 'pricing.md'?)",
    "templates/guides/faq.md.j2:3: link 'rate-limits.md#nope': the page 'rate-limits.md' has no heading or anchor "
    "'#nope'",
    "templates/guides/faq.md.j2:9: POST /v1/chat/completions example: $.model: unknown model 'nova-micr-1-0' "
    "(did you mean 'nova-micro-1-0'?); models are declared in catalog/models/<provider>/<id>.yaml",
    "templates/guides/faq.md.j2:12: prose says '60 requests per minute' but the data says 50 requests per minute "
    "(catalog/platform.yaml: rate_limits.requests_per_minute)",
    "templates/guides/faq.md.j2:14: link 'providers/' names no page: link to the page's .md file (did you mean "
    "'providers/index.md'?)",
]


def test_check_and_build_report_a_new_guides_problems_alike(project, capsys):
    Path("templates/guides/faq.md.j2").write_text(FAQ, "utf-8")
    assert main(["check"]) == 1
    out, err = capsys.readouterr()
    assert (out, err.splitlines()) == ("", [*PROBLEMS, "5 problems found."])
    assert main(["build", "--out", "site"]) == 1
    assert capsys.readouterr().err.splitlines() == [*PROBLEMS, "5 problems found; nothing was written."]
    assert not Path("site").exists()


def test_a_link_to_a_generated_page_and_its_anchor_passes(project, capsys):
    Path("templates/guides/faq.md.j2").write_text(
        "# FAQ\n\nSee [the pricing](pricing.md), [a model](models/nova-micro-1-0.md) and "
        "[the limits](rate-limits.md#default-limits).\n", "utf-8")
    assert main(["check"]) == 0, capsys.readouterr().err


def test_a_template_mistake_in_a_guide_is_a_problem_at_its_line(project, capsys):
    Path("templates/guides/faq.md.j2").write_text("# FAQ\n\nCall {{ platform.base_url }} with your key.\n", "utf-8")
    expected = ["templates/guides/faq.md.j2:3: template error: Platform has no field 'base_url' (did you mean "
                "'api_base_url'?)"]
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines() == [*expected, "1 problem found."]
    assert main(["build", "--out", "site"]) == 1
    assert capsys.readouterr().err.splitlines() == [*expected, "1 problem found; nothing was written."]


@pytest.mark.parametrize("warning, told", [
    ("Doc file 'faq.md' contains a link 'pricng.md', but the target is not found among documentation files.",
     "faq.md.j2:2: link 'pricng.md' leads to no page (did you mean 'pricing.md'?)"),
    ("Doc file 'api/x.md' contains a link '../pricng.md#a', but the target 'pricng.md' is not found among "
     "documentation files.", "api/x.md.j2:2: link '../pricng.md#a' leads to no page (did you mean '../pricing.md'?)"),
    ("Doc file 'faq.md' contains a link 'moon.md', but the target is not found among documentation files.",
     "faq.md.j2:3: link 'moon.md' leads to no page"),
    ("Doc file 'faq.md' contains an unrecognized relative link 'pricing', it was left as is. Did you mean "
     "'pricing.md'?", "faq.md.j2: link 'pricing' names no page: link to the page's .md file (did you mean "
     "'pricing.md'?)"),
    ("Doc file 'faq.md' contains a link '#nope', but there is no such anchor on this page.",
     "faq.md.j2:4: link '#nope': this page has no heading or anchor '#nope'"),
])
def test_mkdocs_link_warnings_are_told_at_the_template_line(tmp_path, monkeypatch, warning, told):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api").mkdir()
    for name in ("faq.md.j2", "api/x.md.j2"):
        (tmp_path / name).write_text("# Q\n[p](pricng.md) [a](../pricng.md#a)\nSee [the moon](moon.md).\n"
                                     "[n](#nope)\n", "utf-8")
    sources = {"faq.md": tmp_path / "faq.md.j2", "api/x.md": tmp_path / "api/x.md.j2"}
    pages = [SimpleNamespace(path=p) for p in ("index.md", "pricing.md", "faq.md", "api/x.md")]
    assert [str(p) for p in links.in_templates([Problem("mkdocs", 0, warning)], sources, pages)] == [told]


def test_other_problems_pass_through():
    other = [Problem("mkdocs", 0, "Doc file 'models/x.md' contains a link 'y.md', but the target is not found "
                     "among documentation files."), Problem("catalog/x.yaml", 3, "bad")]
    assert links.in_templates(other, {}, []) == sorted(other)
