from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from generator import pipeline  # noqa: E402


@pytest.fixture(scope="session")
def inputs():
    """The shipped catalog and spec, checked."""
    return pipeline.check(ROOT / "catalog", ROOT / "openapi.yaml")


@pytest.fixture(scope="session")
def catalog(inputs):
    return inputs.catalog


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the shipped catalog and spec in a temp dir that is the working directory."""
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    shutil.copy(ROOT / "openapi.yaml", tmp_path / "openapi.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def project_templates(project, monkeypatch):
    """A copy of templates/ in the project, which the build renders and reads its assets and theme from."""
    from generator import build, render

    copy = project / "templates"
    shutil.copytree(ROOT / "templates", copy)
    monkeypatch.setattr(render, "TEMPLATES", copy)
    monkeypatch.setattr(build, "TEMPLATES", copy)
    return copy
