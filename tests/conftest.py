from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from generator import pipeline  # noqa: E402
from helpers import NOVA  # noqa: E402


@pytest.fixture(scope="session")
def inputs():
    """The shipped catalog and spec, checked."""
    return pipeline.check(ROOT / "catalog", ROOT / "openapi.yaml")


@pytest.fixture(scope="session")
def catalog(inputs):
    return inputs.catalog


PROJECT = ["asyncapi.yaml", "catalog", "mkdocs.yml", "openapi.yaml", "templates"]  # what `project` holds


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the shipped site (mkdocs.yml, catalog, specs, templates) in a temp dir that is the working
    directory."""
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    for name in ("openapi.yaml", "asyncapi.yaml", "mkdocs.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def project_templates(project):
    """The project's copy of templates/, which its mkdocs.yml names: the build renders it, and reads the
    guides (docs_dir), the assets and the theme from it."""
    return project / "templates"


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A small valid catalog (one provider, one model) and the real spec, in a temp dir that is the cwd."""
    cat = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog" / "profiles", cat / "profiles")
    (cat / "providers").mkdir(parents=True)
    shutil.copy(ROOT / "catalog" / "platform.yaml", cat / "platform.yaml")
    shutil.copy(ROOT / "catalog" / "providers" / "amazon.yaml", cat / "providers" / "amazon.yaml")
    (cat / "models" / "amazon").mkdir(parents=True)
    shutil.copy(ROOT / NOVA, tmp_path / NOVA)
    shutil.copy(ROOT / "openapi.yaml", tmp_path / "openapi.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path
