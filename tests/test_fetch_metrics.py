"""scripts/fetch-metrics.py, the scheduled refresh's download, against a file server on the loopback: the
token it sends, and each way it can fail, leaving the previous snapshot as it was."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts/fetch-metrics.py"
TOKEN = "s3cret-token"
SNAPSHOT = {"generated_at": "2026-12-03T06:00:00Z",
            "window": {"start": "2026-11-26T00:00:00Z", "end": "2026-12-03T00:00:00Z"}, "models": {}}


class Gateway(BaseHTTPRequestHandler):
    """The monitoring's export: /snapshot.json for the right token; other paths fail in known ways."""

    seen: list[tuple[str, str | None]] = []  # (path, Authorization) of each request

    def do_GET(self):  # noqa: N802 - the stdlib's name
        Gateway.seen.append((self.path, self.headers.get("Authorization")))
        if self.path == "/moved":  # a redirect to another host: the token must not follow
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{self.server.server_address[1]}/snapshot.json")
            self.end_headers()
            return
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.answer(401, b'{"error": "unauthorized"}')
        body = {"/snapshot.json": json.dumps(SNAPSHOT).encode(), "/broken": b"<html>oops</html>",
                "/list": b"[1, 2]"}.get(self.path)
        if self.path == "/down":
            return self.answer(503, b"")
        if body is None:
            return self.answer(404, b"")
        self.answer(200, body)

    def answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


def fetch(tmp_path: Path, url: str, token: str = TOKEN) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("METRICS_")}
    env |= {"METRICS_URL": url, "METRICS_TOKEN": token}
    proc = subprocess.run([sys.executable, str(SCRIPT), "metrics.json"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


def test_it_downloads_the_snapshot_with_the_token(server, tmp_path):
    Gateway.seen.clear()
    code, out, err = fetch(tmp_path, f"{server}/snapshot.json")
    assert (code, err) == (0, "")
    body = json.dumps(SNAPSHOT).encode()
    assert out == f"fetch-metrics: {len(body):,} bytes from {server}/snapshot.json into metrics.json\n"
    assert (tmp_path / "metrics.json").read_bytes() == body
    assert Gateway.seen == [("/snapshot.json", f"Bearer {TOKEN}")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metrics.json"]  # no temporary file left


@pytest.mark.parametrize(("path", "token", "message"), [
    ("/snapshot.json", "wrong", "GET {server}/snapshot.json answered 401 Unauthorized; check the METRICS_TOKEN secret"),
    ("/nothing", TOKEN, "GET {server}/nothing answered 404 Not Found; check the METRICS_URL variable"),
    ("/down", TOKEN, "GET {server}/down answered 503 Service Unavailable"),
    ("/broken", TOKEN, "the answer of {server}/broken is not JSON (Expecting value: line 1 column 1 (char 0))"),
    ("/list", TOKEN, "the answer of {server}/list is not a JSON object"),
])
def test_a_failure_says_why_and_leaves_the_previous_snapshot(server, tmp_path, path, token, message):
    (tmp_path / "metrics.json").write_text("previous\n", "utf-8")
    code, out, err = fetch(tmp_path, server + path, token)
    assert (code, out) == (1, "")
    assert err == f"fetch-metrics: {message.format(server=server)}; metrics.json is unchanged\n"
    assert TOKEN not in err and "wrong" not in err
    assert (tmp_path / "metrics.json").read_text("utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metrics.json"]


def test_a_server_that_is_not_there(tmp_path):
    with socket.socket() as s:  # a port nothing listens on once this closes
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, _, err = fetch(tmp_path, f"http://127.0.0.1:{port}/snapshot.json")
    assert code == 1
    assert err.startswith(f"fetch-metrics: GET http://127.0.0.1:{port}/snapshot.json failed: ")
    assert err.endswith("; metrics.json is unchanged\n") and not (tmp_path / "metrics.json").exists()


def test_a_redirect_does_not_carry_the_token_along(server, tmp_path):
    Gateway.seen.clear()
    code, _, err = fetch(tmp_path, f"{server}/moved")
    assert Gateway.seen == [("/moved", f"Bearer {TOKEN}"), ("/snapshot.json", None)]
    assert (code, err) == (1, f"fetch-metrics: GET {server}/moved answered 401 Unauthorized; check the "
                              "METRICS_TOKEN secret; metrics.json is unchanged\n")


def test_an_address_that_is_not_https_or_not_set(tmp_path):
    code, _, err = fetch(tmp_path, "http://metrics.example.com/snapshot.json?key=abc")
    assert (code, err) == (1, "fetch-metrics: METRICS_URL must be an https:// address, not "
                              "http://metrics.example.com/snapshot.json; metrics.json is unchanged\n")
    code, _, err = fetch(tmp_path, "")
    assert (code, err) == (2, "fetch-metrics: METRICS_URL is not set: set the repository variable METRICS_URL\n")
