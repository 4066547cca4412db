"""`python -m generator serve`: rebuilds after a catalog edit, and keeps serving the last good site on bad input."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import free_port


ROOT = Path(__file__).resolve().parents[1]
NOVA = Path("catalog/models/amazon/nova-micro-1-0.yaml")


def lines_of(stream, q: queue.Queue) -> None:
    for line in stream:
        q.put(line.rstrip("\n"))


def wait_for(q: queue.Queue, predicate, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = q.get(timeout=1)
        except queue.Empty:
            continue
        if predicate(line):
            return line
    raise AssertionError("timed out waiting for the server")


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read().decode("utf-8")


@pytest.fixture
def served(tmp_path):
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    for name in ("openapi.yaml", "asyncapi.yaml", "mkdocs.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    out: queue.Queue = queue.Queue()
    threading.Thread(target=lines_of, args=(proc.stdout, out), daemon=True).start()
    try:
        yield tmp_path, f"http://127.0.0.1:{port}", out
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_rebuilds_after_an_edit_and_survives_bad_input(served):
    root, url, out = served
    wait_for(out, lambda l: l.startswith("rebuilt "))
    wait_for(out, lambda l: "Serving on" in l)
    page = f"{url}/models/nova-micro-1-0/"
    assert "Nova Micro 1.0" in get(page) and "livereload" in get(page)

    model = root / NOVA
    model.write_text(model.read_text("utf-8").replace("name: Nova Micro 1.0", "name: Nova Micro 1.0 Preview"), "utf-8")
    wait_for(out, lambda l: l.startswith("rebuilt "))
    assert "Nova Micro 1.0 Preview" in get(page)

    model.write_text(model.read_text("utf-8").replace("amount: 0.16,", "amount: free,"), "utf-8")
    assert wait_for(out, lambda l: "must be a number" in l).startswith(f"{NOVA}:")
    wait_for(out, lambda l: l == "1 problem found; still serving the last good site.")
    assert "Nova Micro 1.0 Preview" in get(page)
