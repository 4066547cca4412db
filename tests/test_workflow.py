"""The publishing workflow: valid for actionlint, pinned, least privilege, one run per ref."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WORKFLOW = Path(__file__).resolve().parents[1] / ".github/workflows/docs.yml"


def test_actionlint_passes():
    beside = Path(sys.executable).parent / "actionlint"  # installed into the venv by the test extras
    exe = str(beside) if beside.exists() else shutil.which("actionlint")
    if exe is None:
        pytest.skip("actionlint is not installed (the wheel exists for x86_64 Linux only)")
    proc = subprocess.run([exe, "-no-color", str(WORKFLOW)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actions_are_pinned_to_commits():
    uses = re.findall(r"uses:\s*(\S+)", WORKFLOW.read_text("utf-8"))
    assert uses
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref


def test_least_privilege_and_concurrency():
    wf = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert wf["permissions"] == {"contents": "read"}
    assert wf["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "permissions" not in wf["jobs"]["check-test-build"]
    assert wf["concurrency"]["group"].startswith("docs-")
    triggers = wf[True]  # PyYAML reads the key `on` as a boolean
    assert set(triggers) >= {"pull_request", "push"}


def test_pull_requests_check_with_annotations_and_upload_the_site():
    steps = yaml.safe_load(WORKFLOW.read_text("utf-8"))["jobs"]["check-test-build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any("generator check --format github" in r for r in runs)
    assert any(r.strip() == "make test" for r in runs)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["if"] == "github.event_name == 'pull_request'" and upload["with"]["path"] == "site"


def test_pre_commit_runs_check_on_catalog_and_spec_changes():
    config = yaml.safe_load((WORKFLOW.parents[2] / ".pre-commit-config.yaml").read_text("utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert hook["entry"] == "python -m generator check" and hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    assert all(pattern.search(p) for p in ("catalog/models/amazon/nova-micro-1-0.yaml", "openapi.yaml"))
    assert not pattern.search("README.md")
