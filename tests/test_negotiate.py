"""`Accept: text/markdown` gets the page's markdown twin from `generator serve` and in deploy/vercel.json (nginx and
Caddy run their shipped configs in tests/test_deploy.py)."""

from __future__ import annotations

import json
import threading
import urllib.request
from pathlib import Path

import pytest
from helpers import free_port, write_tree

from generator.site import pages as site
from generator.negotiate import markdown_server, prefers_markdown

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("accept", "markdown"), [
    ("text/markdown", True),
    ("text/markdown, text/html;q=0.9", True),
    ("text/html, text/markdown;q=0.5", False),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False),  # a browser
    ("*/*", False),
    ("text/plain, text/markdown", True),
    ("text/markdown;q=0", False),
    ("", False),
])
def test_prefers_markdown(accept, markdown):
    assert prefers_markdown(accept) is markdown


@pytest.fixture
def served(tmp_path):
    """A tiny site (home, a model page, a section page) behind the server `generator serve` runs."""
    write_tree(tmp_path, {"index.html": "<h1>Home</h1>", "index.md": "# Home\n", "models/x/index.html": "<h1>X</h1>",
                          "models/x.md": "# X\n", "api/index.html": "<h1>API</h1>", "api/index.md": "# API\n"})
    port = free_port()
    server = markdown_server(builder=lambda: None, host="127.0.0.1", port=port, root=str(tmp_path))
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()


def fetch(url: str, accept: str) -> tuple[str, str, str]:
    for _ in range(50):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=10) as r:
                return r.headers["Content-Type"], r.headers.get("Vary", ""), r.read().decode("utf-8")
        except ConnectionRefusedError:
            threading.Event().wait(0.1)
        except urllib.error.URLError as err:
            if not isinstance(err.reason, ConnectionRefusedError):
                raise
            threading.Event().wait(0.1)
    raise AssertionError("the server did not start")


def test_serve_answers_accept_markdown_with_the_twin(served):
    assert fetch(served + "models/x/", "text/markdown") == ("text/markdown; charset=utf-8", "Accept", "# X\n")
    assert fetch(served + "api/", "text/markdown")[2] == "# API\n"
    assert fetch(served, "text/markdown, text/html;q=0.9")[2] == "# Home\n"
    kind, _, body = fetch(served + "models/x/", "text/html,*/*;q=0.8")
    assert kind.startswith("text/html") and body.startswith("<h1>X</h1>")


def test_the_vercel_config_routes_every_section_page_to_its_twin(inputs):
    """Section pages (x/index.md) need their own rewrite: the generic one maps /x/ to /x.md."""
    config = json.loads((ROOT / "deploy/vercel.json").read_text("utf-8"))
    explicit = {r["source"]: r["destination"] for r in config["rewrites"] if ":path" not in r["source"]}
    sections = sorted(p.path.removesuffix("/index.md") for p in site.pages(inputs.catalog, inputs.spec)
                      if p.path.endswith("/index.md"))
    assert sections == ["api", "providers"]
    assert explicit == {"/": "/index.md", **{f"/{s}/": f"/{s}/index.md" for s in sections}}
    for rewrite in config["rewrites"]:
        if rewrite["source"] == "/gateway/:path*":  # the Try it console's route to the API (docs/try-it.md)
            continue
        assert rewrite["has"] == [{"type": "header", "key": "accept", "value": ".*text/markdown.*"}]
