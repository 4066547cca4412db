"""The publishing workflow: valid for actionlint, pinned, least privilege, one run per ref."""

from __future__ import annotations

import os
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
    assert hook["entry"] == "make --no-print-directory -s check" and hook["pass_filenames"] is False
    # the project's own venv runs the check, whichever Python the committer has active
    dry = subprocess.run([*hook["entry"].split(), "-n"], cwd=WORKFLOW.parents[2], capture_output=True, text=True)
    assert dry.stdout.splitlines()[-1] == ".venv/bin/python -m generator check", dry.stdout
    pattern = re.compile(hook["files"])
    assert all(pattern.search(p) for p in ("catalog/models/amazon/nova-micro-1-0.yaml", "openapi.yaml", "mkdocs.yml"))
    assert not pattern.search("README.md")


def test_pull_requests_write_the_catalog_diff_against_the_base_branch_into_the_job_summary(tmp_path):
    """The step's own script, run in a clone whose pull request re-prices one model and removes another."""
    steps = yaml.safe_load(WORKFLOW.read_text("utf-8"))["jobs"]["check-test-build"]["steps"]
    step = next(s for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    assert step["if"] == "github.event_name == 'pull_request'"
    assert step["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    root = WORKFLOW.parents[2]

    def git(*args: str, cwd: Path) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd, check=True,
                       capture_output=True)

    origin, clone = tmp_path / "origin", tmp_path / "clone"
    shutil.copytree(root / "catalog", origin / "catalog")
    git("init", "-q", "-b", "main", cwd=origin)
    git("add", "catalog", cwd=origin)
    git("commit", "-qm", "base", cwd=origin)
    git("clone", "-q", str(origin), str(clone), cwd=tmp_path)
    model = clone / "catalog/models/amazon/nova-micro-1-0.yaml"
    model.write_text(model.read_text("utf-8").replace("amount: 0.16,", "amount: 0.20,"), "utf-8")
    (clone / "catalog/models/amazon/nova-lite-1-0.yaml").unlink()
    (clone / ".venv/bin").mkdir(parents=True)
    python = clone / ".venv/bin/python"  # a wrapper, not a symlink: a venv's python finds its packages by its path
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', "utf-8")
    python.chmod(0o755)
    summary = tmp_path / "summary.md"
    env = {**os.environ, "BASE_REF": "main", "RUNNER_TEMP": str(tmp_path / "runner"),
           "GITHUB_STEP_SUMMARY": str(summary), "PYTHONPATH": str(root)}
    (tmp_path / "runner").mkdir()
    proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=clone, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert summary.read_text("utf-8") == (
        "### Catalog changes against main\n\n```text\n"
        "Removed Nova Lite 1.0 (`nova-lite-1-0`).\n"
        "`nova-micro-1-0`: Output (text) (per 1M tokens) $0.16 → $0.20 (up 25%).\n"
        "```\n")


def test_the_performance_figures_are_refreshed_every_hour_and_published_without_a_commit(tmp_path):
    """The schedule, the fetch step's own script against a file server on the loopback, and the build it
    feeds; the token comes from a secret and the address from a repository variable."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    wf = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    minute, *rest = wf[True]["schedule"][0]["cron"].split()
    assert minute.isdigit() and rest == ["*", "*", "*", "*"]  # once an hour
    steps = wf["jobs"]["check-test-build"]["steps"]
    by_name = {s.get("name"): s for s in steps}
    assert by_name["Test"]["if"] == "github.event_name != 'schedule'"
    fetch = by_name["Fetch the performance snapshot"]
    assert fetch["if"] == "github.event_name != 'pull_request' && vars.METRICS_URL != ''"
    assert fetch["env"] == {"METRICS_URL": "${{ vars.METRICS_URL }}", "METRICS_TOKEN": "${{ secrets.METRICS_TOKEN }}"}
    assert "schedule" not in wf["jobs"]["deploy"]["if"]  # the refresh is published
    assert not any(re.search(r"\bgit (commit|push)\b", s.get("run", "")) for s in steps)
    snapshot = b'{"generated_at": "2026-12-03T06:00:00Z", "window": {}, "models": {}}'
    seen = []

    class Export(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            seen.append(self.headers.get("Authorization"))
            self.send_response(200)
            self.send_header("Content-Length", str(len(snapshot)))
            self.end_headers()
            self.wfile.write(snapshot)

        def log_message(self, format, *args):  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Export)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = WORKFLOW.parents[2]
    work = tmp_path / "repo"
    (work / "scripts").mkdir(parents=True)
    shutil.copy(root / "scripts/fetch-metrics.py", work / "scripts/fetch-metrics.py")
    (work / ".venv/bin").mkdir(parents=True)
    python = work / ".venv/bin/python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', "utf-8")
    python.chmod(0o755)
    output, runner = tmp_path / "output", tmp_path / "runner"
    runner.mkdir()
    env = {**os.environ, "RUNNER_TEMP": str(runner), "GITHUB_OUTPUT": str(output),
           "METRICS_URL": f"http://127.0.0.1:{server.server_address[1]}/snapshot.json", "METRICS_TOKEN": "t0ken"}
    try:
        proc = subprocess.run(["bash", "-e", "-c", fetch["run"]], cwd=work, env=env, capture_output=True, text=True)
    finally:
        server.shutdown()
        server.server_close()
    assert proc.returncode == 0, proc.stderr
    assert seen == ["Bearer t0ken"]
    assert (runner / "metrics.json").read_bytes() == snapshot and json.loads(snapshot)
    assert output.read_text("utf-8") == f"file={runner}/metrics.json\n"
    # the Build step, its python recording what it was asked to build
    python.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > args.txt\n', "utf-8")
    build = by_name["Build"]
    assert build["env"] == {"METRICS_FILE": "${{ steps.metrics.outputs.file }}"}
    for given, args in ((f"{runner}/metrics.json", ["--metrics", f"{runner}/metrics.json"]), ("", [])):
        proc = subprocess.run(["bash", "-e", "-c", build["run"]], cwd=work, env={**env, "METRICS_FILE": given},
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        assert (work / "args.txt").read_text("utf-8").split("\n")[:-1] == [
            "-m", "generator", "build", "--out", "site", *args]
