"""The tools that keep the shape of generator/: ruff (lint and format), mypy and the layering contract of import-linter,
all configured in pyproject.toml and installed by the `test` extra."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def tool(name: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    exe = BIN / name
    if not exe.is_file():
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_ruff_passes():
    proc = tool("ruff", "check", "--no-cache", "generator")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_keeps_the_layout():
    proc = tool("ruff", "format", "--check", "--no-cache", "generator")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_passes():
    proc = tool("mypy", "--no-incremental", "--cache-dir", "/dev/null")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_imports_follow_the_data_flow():
    proc = tool("lint-imports", "--no-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Contracts: 2 kept, 0 broken." in proc.stdout


@pytest.mark.parametrize("module, line, broken", [
    ("model/objects.py", "from generator import build", "generator.model is not allowed to import generator.build"),
    ("model/resolve.py", "from generator.validate import catalog",
     "generator.model is not allowed to import generator.validate"),
    ("load/yamlfile.py", "from generator.model import objects", "generator.load is not allowed to import generator.model"),
    ("problems.py", "from generator.model import objects", "generator.problems is not allowed to import generator.model"),
])
def test_a_wrong_way_import_breaks_the_contract(tmp_path, module, line, broken):
    shutil.copytree(ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    with (tmp_path / "generator" / module).open("a", encoding="utf-8") as f:
        f.write(f"\n{line}  # the wrong way\n")
    proc = tool("lint-imports", "--no-cache", "--config", str(ROOT / "pyproject.toml"), cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout
    assert broken in proc.stdout
