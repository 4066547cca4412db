"""The first hour's setup: the pre-commit hook works without an activated virtualenv (as every README command
does: tests/test_readme.py), and the MCP server says which version of the package it is."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# a shell as a new contributor has it: no virtualenv active, no .venv/bin on the PATH
BARE: dict[str, str] = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8"}


def test_the_pre_commit_hook_runs_the_check_without_an_active_virtualenv():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))["repos"][0]["hooks"]
    assert hook["language"] == "system"
    proc = subprocess.run(shlex.split(hook["entry"]), cwd=ROOT, env=BARE, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.fullmatch(r"ok: \d+ models, \d+ providers, \d+ operations checked in [\d.]+ s",
                        proc.stdout.splitlines()[-1]), proc.stdout


def test_the_mcp_server_reports_the_package_version():
    import asyncio
    import concurrent.futures
    import tomllib

    from mcp import Client, StdioServerParameters

    site = ROOT / "tests/golden/expected"  # a built site, kept in the repository
    params = StdioServerParameters(command=sys.executable, args=["-m", "generator", "mcp", "--site", str(site)],
                                   cwd=str(ROOT))

    async def info():
        async with Client(params) as client:
            return client.server_info

    # in a thread of its own: the browser tests' sync Playwright may leave an event loop running in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        got = pool.submit(asyncio.run, info()).result()
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert (got.name, got.version) == ("empiriolabs-docs", version)
