"""`python -m generator diff OLD NEW`: what changed between two catalogs, and recording it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import edit


from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
NOVA = "models/amazon/nova-micro-1-0.yaml"


@pytest.fixture
def before_after(tmp_path, monkeypatch):
    old = tmp_path / "old"
    shutil.copytree(ROOT / "catalog", old)
    new = tmp_path / "new"
    shutil.copytree(old, new)
    monkeypatch.chdir(tmp_path)
    return old, new


def diff(capsys, *args: str) -> list[str]:
    assert main(["diff", *args]) == 0
    return capsys.readouterr().out.splitlines()


def test_no_changes(before_after, capsys):
    assert diff(capsys, "old", "new") == ["no changes"]


def test_added_and_removed_models(before_after, capsys):
    old, new = before_after
    (new / NOVA).rename(new / "models/amazon/nova-nano-1-0.yaml")
    edit(new / "models/amazon/nova-nano-1-0.yaml", "id: nova-micro-1-0", "id: nova-nano-1-0")
    edit(new / "models/amazon/nova-nano-1-0.yaml", "name: Nova Micro 1.0", "name: Nova Nano 1.0")
    for ex in ("model: nova-micro-1-0",) * 3:
        edit(new / "models/amazon/nova-nano-1-0.yaml", ex, "model: nova-nano-1-0")
    assert diff(capsys, "old", "new") == ["Removed Nova Micro 1.0 (`nova-micro-1-0`).",
                                          "Added Nova Nano 1.0 (`nova-nano-1-0`)."]


def test_price_up_and_down(before_after, capsys):
    _, new = before_after
    edit(new / NOVA, "amount: 0.040,", "amount: 0.050,")
    edit(new / NOVA, "amount: 0.16,", "amount: 0.12,")
    assert diff(capsys, "old", "new") == [
        "`nova-micro-1-0`: Input (text) (per 1M tokens) $0.040 → $0.050 (up 25%).",
        "`nova-micro-1-0`: Output (text) (per 1M tokens) $0.16 → $0.12 (down 25%)."]


def test_tier_change_context_and_endpoints(before_after, capsys):
    _, new = before_after
    edit(new / NOVA, "per: 1000000}", "per: 1000000, tier: {max: 32000}}")
    edit(new / NOVA, "context_window: 128000", "context_window: 256000")
    edit(new / NOVA, "/v1/responses, /v1/messages]", "/v1/responses]")
    text = (new / NOVA).read_text("utf-8")
    (new / NOVA).write_text(text[:text.index("  - endpoint: /v1/messages")] + text[text.index("notes:"):], "utf-8")
    assert diff(capsys, "old", "new") == [
        "`nova-micro-1-0`: rate Input (text) (per 1M tokens) ($0.040) removed.",
        "`nova-micro-1-0`: new rate Input (text) (per 1M tokens, ≤32K context) $0.040.",
        "`nova-micro-1-0`: context window 128,000 → 256,000.",
        "`nova-micro-1-0`: endpoints /v1/chat/completions, /v1/responses, /v1/messages → "
        "/v1/chat/completions, /v1/responses."]


def test_record_writes_a_release_that_check_accepts(before_after, capsys):
    _, new = before_after
    edit(new / NOVA, "amount: 0.16,", "amount: 0.12,")
    lines = diff(capsys, "old", "new", "--record", "2026-12-01")
    assert lines[-2:] == ["recorded 1 change as the 2026-12-01 release in new/changelog.yaml",
                          "set updated: 2026-12-01 in new/platform.yaml"]
    assert "\nupdated: 2026-12-01  # date of this catalog version" in (new / "platform.yaml").read_text("utf-8")
    assert main(["check", "--catalog", "new", "--openapi", str(ROOT / "openapi.yaml")]) == 0
    from generator import pipeline
    catalog = pipeline.check(Path("new"), ROOT / "openapi.yaml").catalog
    assert [(d, c.text) for d, c in catalog.model_changes("nova-micro-1-0")] == [
        ("2026-12-01", "`nova-micro-1-0`: Output (text) (per 1M tokens) $0.16 → $0.12 (down 25%).")]


def test_diff_against_a_published_models_json(before_after, capsys, tmp_path):
    _, new = before_after
    edit(new / NOVA, "amount: 0.16,", "amount: 0.12,")
    assert main(["build", "--config-file", str(ROOT / "mkdocs.yml"), "--catalog", "old",
                 "--openapi", str(ROOT / "openapi.yaml"), "--out", "site"]) == 0
    capsys.readouterr()
    assert diff(capsys, "site/models.json", "new") == [
        "`nova-micro-1-0`: Output (text) (per 1M tokens) $0.16 → $0.12 (down 25%)."]


def test_recorded_release_reaches_the_site_feeds_and_model_page(before_after, capsys):
    import json
    import xml.etree.ElementTree as ET

    _, new = before_after
    edit(new / NOVA, "amount: 0.16,", "amount: 0.12,")
    diff(capsys, "old", "new", "--record", "2026-12-01")
    assert main(["build", "--config-file", str(ROOT / "mkdocs.yml"), "--catalog", "new",
                 "--openapi", str(ROOT / "openapi.yaml"), "--out", "site"]) == 0
    line = "`nova-micro-1-0`: Output (text) (per 1M tokens) $0.16 → $0.12 (down 25%)."
    data = json.loads(Path("site/changelog.json").read_text("utf-8"))
    assert data["releases"] == [{"date": "2026-12-01", "changes": [
        {"model": "nova-micro-1-0", "kind": "price_down", "field": "Output (text) (per 1M tokens)", "old": "0.16",
         "new": "0.12", "text": line}]}]
    feed = ET.parse("site/changelog.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:updated", namespaces=ns) for e in feed.findall("a:entry", ns)] == ["2026-12-01T00:00:00Z"]
    assert [e.findtext("a:content", namespaces=ns) for e in feed.findall("a:entry", ns)] == [
        "<ul><li><code>nova-micro-1-0</code>: Output (text) (per 1M tokens) $0.16 → $0.12 (down 25%).</li></ul>"]
    assert [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)] == [
        "1 catalog change on 2026-12-01"]
    assert f"- 2026-12-01: {line}" in Path("site/models/nova-micro-1-0.md").read_text("utf-8")
    assert f"- {line}" in Path("site/changelog.md").read_text("utf-8")
    assert "2026-12-01" in Path("site/llms-full.txt").read_text("utf-8")


def test_recording_a_date_again_replaces_its_release(before_after, capsys):
    _, new = before_after
    edit(new / NOVA, "amount: 0.16,", "amount: 0.12,")
    diff(capsys, "old", "new", "--record", "2026-12-01")
    once = (new / "changelog.yaml").read_text("utf-8")
    edit(new / NOVA, "amount: 0.040,", "amount: 0.050,")
    lines = diff(capsys, "old", "new", "--record", "2026-12-01")
    assert lines[-1] == ("recorded 2 changes as the 2026-12-01 release in new/changelog.yaml, "
                         "replacing the one recorded before (1 change)")
    twice = (new / "changelog.yaml").read_text("utf-8")
    assert twice.count("- date: 2026-12-01") == 1 and twice.count("price_") == 2
    assert twice.splitlines()[:2] == once.splitlines()[:2]  # the header comments stay
    diff(capsys, "old", "new", "--record", "2026-12-01")
    assert (new / "changelog.yaml").read_text("utf-8") == twice  # the same record again: the same file
    assert main(["check", "--catalog", "new", "--openapi", str(ROOT / "openapi.yaml")]) == 0


def test_an_older_date_goes_below_the_newer_release(before_after, capsys):
    _, new = before_after
    edit(new / NOVA, "amount: 0.16,", "amount: 0.12,")
    diff(capsys, "old", "new", "--record", "2026-12-03")
    lines = diff(capsys, "old", "new", "--record", "2026-12-02")
    assert lines[-1] == "recorded 1 change as the 2026-12-02 release in new/changelog.yaml"  # updated stays
    text = (new / "changelog.yaml").read_text("utf-8")
    assert text.index("- date: 2026-12-03") < text.index("- date: 2026-12-02")
    assert "\nupdated: 2026-12-03 " in (new / "platform.yaml").read_text("utf-8")


def test_nothing_to_record(before_after, capsys):
    _, new = before_after
    assert diff(capsys, "old", "new", "--record", "2026-12-01") == [
        "no changes", "nothing to record: no release written for 2026-12-01"]
    assert not (new / "changelog.yaml").read_text("utf-8").count("- date:")


RELEASE = '- date: {}\n  changes:\n    - {{"model": "nova-micro-1-0", "kind": "removed", "old": "Nova Micro 1.0"}}\n'


@pytest.mark.parametrize("dates, updated, expected", [
    (("2026-11-20", "2026-11-20"), "2026-11-23",
     "new/changelog.yaml:6: release 2026-11-20 is listed twice (lines 3 and 6): merge the two into one "
     "(`generator diff OLD NEW --record 2026-11-20` writes it whole, replacing the release of that date) at $[1].date"),
    (("2026-11-01", "2026-11-20"), "2026-11-23",
     "new/changelog.yaml:6: release 2026-11-20 comes after the older release 2026-11-01: "
     "releases are listed newest first; move it up at $[1].date"),
    (("2026-11-30",), "2026-11-23",
     "new/changelog.yaml:3: release 2026-11-30 is newer than the catalog's `updated: 2026-11-23`: "
     "set `updated: 2026-11-30` in platform.yaml (`generator diff --record` does it) at $[0].date"),
], ids=["twice", "out-of-order", "newer-than-updated"])
def test_check_names_the_release_out_of_place(before_after, capsys, dates, updated, expected):
    _, new = before_after
    header = "# yaml-language-server: $schema=schema/changelog.schema.json\n# Catalog releases, newest first.\n"
    (new / "changelog.yaml").write_text(header + "".join(RELEASE.format(d) for d in dates), "utf-8")
    capsys.readouterr()
    assert main(["check", "--catalog", "new", "--openapi", str(ROOT / "openapi.yaml")]) == 1
    assert expected in capsys.readouterr().err.splitlines()
