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
    assert lines[-1] == "recorded 1 change as the 2026-12-01 release in new/changelog.yaml"
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
    assert f"- 2026-12-01: {line}" in Path("site/models/nova-micro-1-0.md").read_text("utf-8")
    assert f"- {line}" in Path("site/changelog.md").read_text("utf-8")
    assert "2026-12-01" in Path("site/llms-full.txt").read_text("utf-8")
