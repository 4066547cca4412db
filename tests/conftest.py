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
