"""The specs pass the linters API teams use, with no error and no warning: Redocly CLI's recommended ruleset on
openapi.yaml, and the AsyncAPI parser's diagnostics on asyncapi.yaml (both pinned in tests/js/package.json;
`make test` installs them with `npm ci --prefix tests/js`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "tests" / "js"
REDOCLY = JS / "node_modules" / ".bin" / "redocly"
QUIET = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}
# the AsyncAPI parser's severities: 0 error, 1 warning, 2 information, 3 hint
ASYNCAPI_SEVERITY = {0: "error", 1: "warning", 2: "information", 3: "hint"}

pytestmark = pytest.mark.skipif(shutil.which("node") is None,
                                reason="node is not installed: the spec linters run on Node")


def run(argv: list[str]) -> subprocess.CompletedProcess:
    if not all((JS / "node_modules" / pkg).is_dir() for pkg in ("@redocly/cli", "@asyncapi/parser")):
        pytest.fail("the spec linters are not installed: run `npm ci --prefix tests/js`")
    return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env={**os.environ, **QUIET}, timeout=300)


def redocly(spec: Path) -> list[str]:
    """Every problem Redocly's recommended ruleset finds, as `file:line: severity rule: message`."""
    proc = run([str(REDOCLY), "lint", str(spec), "--extends", "recommended", "--format", "json"])
    report = json.loads(proc.stdout)
    return [f"{spec.name}:{p['location'][0].get('start', {}).get('line', 0)}: {p['severity']} {p['ruleId']}: "
            f"{p['message']}" for p in report["problems"]]


def asyncapi(spec: Path, worst: int = 1) -> list[str]:
    """The AsyncAPI parser's diagnostics of severity `worst` or graver, as `file:line: severity code: message`."""
    proc = run(["node", str(JS / "spec-diagnostics.mjs"), str(spec)])
    assert proc.returncode == 0, proc.stderr
    found = [json.loads(line) for line in proc.stdout.splitlines()]
    return [f"{spec.name}:{d['line']}: {ASYNCAPI_SEVERITY[d['severity']]} {d['code']}: {d['message']}"
            for d in found if d["severity"] <= worst]


def test_openapi_passes_redocly_recommended():
    assert redocly(ROOT / "openapi.yaml") == []


def test_asyncapi_has_no_parser_error_or_warning():
    assert asyncapi(ROOT / "asyncapi.yaml") == []


def test_the_linters_report_what_they_find(tmp_path):
    """The two checks above pass only because the specs are clean: a spec without its license fails them."""
    for name in ("openapi.yaml", "asyncapi.yaml"):
        text = (ROOT / name).read_text("utf-8")
        cut = text.replace("  license:\n    name: Proprietary\n    url: https://empiriolabs.ai\n", "", 1)
        assert cut != text, name
        (tmp_path / name).write_text(cut.replace("wss://realtime.empiriolabs.ai\n", "wss://realtime.empiriolabs.ai/\n"),
                                     "utf-8")
    assert [line.split(": ", 1)[1] for line in redocly(tmp_path / "openapi.yaml")] == [
        "warn info-license: Info object should contain `license` field."]
    assert [line.split(": ", 1)[1] for line in asyncapi(tmp_path / "asyncapi.yaml")] == [
        "warning asyncapi-info-license: Info object should have \"license\" object.",
        "warning asyncapi2-server-no-trailing-slash: Server URL should not end with slash."]
