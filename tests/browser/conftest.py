"""Fixtures for the browser tests: the site built once, served over HTTP, and driven in headless Chromium.

Every page a test opens records console errors, uncaught exceptions, failed requests and HTTP errors;
a test that leaves any behind fails, listing them. Requests to other hosts (the theme's web fonts) never
leave the machine: they are answered with an empty body and listed in `Recorder.external`.
"""

from __future__ import annotations

import functools
import mimetypes
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator import build as build_mod

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}


def expect():
    """Playwright's `expect`, imported when a browser test runs (collecting the tests needs no Playwright)."""
    from playwright.sync_api import expect as _expect
    return _expect


def chromium_path() -> str | None:
    """Debian's chromium (Playwright cannot download its own browser here); CHROMIUM overrides."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


# --- the site ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    dir: Path
    url: str  # "http://127.0.0.1:PORT/" (trailing slash)
    site_url: str  # the production address the pages link to absolutely, from platform.yaml

    def html_pages(self) -> list[str]:
        """Site-relative URL paths of every HTML page: "" for the home page, "models/x/", "404.html"."""
        paths = []
        for f in sorted(self.dir.rglob("*.html")):
            rel = f.relative_to(self.dir).as_posix()
            paths.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        return paths


@pytest.fixture(scope="package")
def site_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    build_mod.build(ROOT / "catalog", ROOT / "openapi.yaml", out, engine=os.environ.get("DOCS_ENGINE", "mkdocs"))
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture(scope="package")
def site(site_dir, inputs):  # `inputs`: the checked catalog, from tests/conftest.py
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site_dir)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield Site(site_dir, f"http://{host}:{port}/", inputs.catalog.platform.site_url)
    finally:
        server.shutdown()
        server.server_close()


# --- the browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser():
    path = chromium_path()
    if path is None:
        message = "chromium is not installed (run scripts/install-chromium.sh)"
        if os.environ.get("CI"):
            pytest.fail(message + "; under CI the browser tests must run", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Recorder:
    """What went wrong while a test drove a page, each line naming the page it happened on."""
    problems: list[str] = field(default_factory=list)
    external: set[str] = field(default_factory=set)

    def attach(self, page) -> None:
        def on_console(msg):
            if msg.type == "error":
                self.problems.append(f"{page.url}: console error: {msg.text}")

        def on_pageerror(err):
            self.problems.append(f"{page.url}: uncaught exception: {err}")

        def on_requestfailed(request):
            failure = request.failure or ""
            # A request cancelled because the page moved on (the search index still loading when the
            # next page opens) is not a missing resource; a missing one answers 404, caught below.
            if "ERR_ABORTED" in failure:
                return
            self.problems.append(f"{page.url}: request failed: {request.url} ({failure})")

        def on_response(response):
            if response.status >= 400:
                self.problems.append(f"{page.url}: HTTP {response.status}: {response.url}")

        page.on("console", on_console)
        page.on("pageerror", on_pageerror)
        page.on("requestfailed", on_requestfailed)
        page.on("response", on_response)


@pytest.fixture
def recorder(request) -> Recorder:
    rec = Recorder()
    request.node._browser_recorder = rec
    return rec


_OTHER_HOST = re.compile(r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://")


def _offline(rec: Recorder):
    def handle(route):
        url = route.request.url
        rec.external.add(url)
        kind = mimetypes.guess_type(url.split("?")[0])[0] or "text/css"
        route.fulfill(status=200, body="", content_type=kind)
    return handle


@pytest.fixture
def context(browser, site, recorder):
    ctx = browser.new_context(viewport=DESKTOP, base_url=site.url, color_scheme="light")
    ctx.set_default_timeout(10_000)
    ctx.route(_OTHER_HOST, _offline(recorder))
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context, recorder):
    p = context.new_page()
    recorder.attach(p)
    return p


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a test that passed its own checks but left console errors or failed requests behind."""
    result = yield
    rec = getattr(item, "_browser_recorder", None)
    if rec is not None and rec.problems:
        shown = rec.problems[:40]
        more = f"\n... and {len(rec.problems) - len(shown)} more" if len(rec.problems) > len(shown) else ""
        pytest.fail(f"{len(rec.problems)} browser problem(s):\n" + "\n".join(shown) + more, pytrace=False)
    return result
