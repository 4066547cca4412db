"""A new guide's mistakes, as a docs team makes them: `check` and `build` report the same problems, all at
once, on the first run, each at the guide template's line, with the page, model or number it meant."""

from __future__ import annotations

from pathlib import Path

from generator.cli import main

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
