"""Every code example of the rendered site runs as written, against a local stand-in for the API.

The stand-in server judges each request it receives with jsonschema applied straight to openapi.yaml, and
its model against the catalog's model files (tests/spec_judge.py: none of the build's own checker), and
answers with the spec's own example response. cURL blocks run
through bash, Python blocks through the real `openai`, `anthropic` and `requests` packages, JavaScript
blocks through Node, with the npm packages of tests/js/package.json (`make test` installs them with
`npm ci`; a block that imports a package not installed is skipped, and the skip says which). The only
change made to a block is its host:
https://api.empiriolabs.ai becomes the stand-in's address.

Each block gets its own API key, so the server can tell which block sent a bad request.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator import pipeline
from generator.doccheck import code_blocks
from spec_judge import SpecJudge

ROOT = Path(__file__).resolve().parents[1]
HOST = "https://api.empiriolabs.ai"
KEY_STEM = "sk-empiriolabs-test-"
SHELLS = ("bash", "sh", "shell")
PYTHONS = ("python", "py")
SCRIPTS = ("javascript", "js")
NODE_MODULES = ROOT / "tests" / "js" / "node_modules"  # npm ci --prefix tests/js


# ------------------------------------------------------------------------------------------ the server

@dataclass
class Seen:
    """What the stand-in saw: requests per key, and every invalid one."""

    requests: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (key, message)
    jobs: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class StandIn(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.judge = SpecJudge(ROOT / "openapi.yaml", ROOT / "catalog")
        self.seen = Seen()
        self.seen.jobs |= {str(ex["value"]["id"]) for op in self.judge.operations
                           for r in op.raw.get("responses", {}).values()
                           for m in r.get("content", {}).values() for ex in m.get("examples", {}).values()
                           if isinstance(ex, dict) and isinstance(ex.get("value"), dict)
                           and ex["value"].get("object") == "job"}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def example_response(op: Any, media: str) -> tuple[int, Any] | None:
    """(status, first example) of the operation's success response in `media`."""
    for status, resp in op.raw.get("responses", {}).items():
        if not status.startswith("2"):
            continue
        content = resp.get("content", {}).get(media)
        if content is None:
            continue
        examples = content.get("examples") or {}
        for ex in examples.values():
            if isinstance(ex, dict) and "value" in ex:
                return int(status), ex["value"]
        if "example" in content:
            return int(status), content["example"]
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: StandIn

    def log_message(self, *args: Any) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        self.handle_request("GET")

    def do_POST(self) -> None:
        self.handle_request("POST")

    def do_DELETE(self) -> None:
        self.handle_request("DELETE")

    def fail(self, key: str, message: str) -> None:
        with self.server.seen.lock:
            self.server.seen.failures.append((key, f"{self.command} {self.path}: {message}"))

    def send(self, status: int, body: Any, ctype: str = "application/json") -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status: int, code: str, message: str) -> None:
        self.send(status, {"error": {"message": message, "type": "invalid_request_error", "code": code}})

    def handle_request(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        auth = self.headers.get("Authorization", "")
        key = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else self.headers.get("x-api-key", "")
        with self.server.seen.lock:
            self.server.seen.requests[key] = self.server.seen.requests.get(key, 0) + 1
        if not key.startswith(KEY_STEM):
            self.fail(key, f"no valid key: Authorization {auth!r}, x-api-key {self.headers.get('x-api-key')!r}")
            return self.error(401, "invalid_api_key", "The API key is missing or unknown.")
        url = urlsplit(self.path)
        op = self.server.judge.operation(method, url.path)
        if op is None:
            self.fail(key, "not an operation of openapi.yaml")
            return self.error(404, "not_found", "No such endpoint.")
        body, has_body = None, False
        ctype = self.headers.get("Content-Type", "")
        want = op.content_type
        if raw or want:
            if want and not ctype.startswith(want):
                self.fail(key, f"sent Content-Type {ctype!r}; the operation takes {want}")
                return self.error(400, "invalid_request", f"Send {want}.")
            try:
                body = self.parse_body(op, ctype, raw)
            except ValueError as err:
                self.fail(key, f"body cannot be read: {err}")
                return self.error(400, "invalid_request", str(err))
            has_body = True
        findings = self.server.judge.findings(op, url.path, url.query, body, has_body)
        if findings:
            for message in findings:
                self.fail(key, message)
            return self.error(400, "invalid_request", "; ".join(findings))
        self.answer(op, url.path, body, key)

    def parse_body(self, op: Any, ctype: str, raw: bytes) -> Any:
        if ctype.startswith("application/json"):
            return json.loads(raw or b"null")
        if ctype.startswith("multipart/form-data"):
            msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw)
            if not msg.is_multipart():
                raise ValueError("not a multipart body")
            fields: dict[str, str] = {}
            files: dict[str, str] = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if part.get_filename() is not None:
                    files[name] = part.get_filename()
                else:
                    fields[name] = part.get_content().strip("\r\n") if part.get_content_maintype() == "text" \
                        else part.get_payload(decode=True).decode()
            return self.server.judge.form(op, fields, files)
        raise ValueError(f"unexpected Content-Type {ctype!r}")

    def answer(self, op: Any, path: str, body: Any, key: str) -> None:
        seen = self.server.seen
        if op.path == "/v1/jobs/{job_id}":
            job_id = path.rsplit("/", 1)[-1]
            with seen.lock:
                known = job_id in seen.jobs
            if not known:
                self.fail(key, f"job {job_id!r} was never created; the example read the wrong field of the "
                               f"job it created")
                return self.error(404, "job_not_found", f"No job with id {job_id} was found.")
            done = next(ex["value"] for ex in op.raw["responses"]["200"]["content"]["application/json"]
                        ["examples"].values() if ex["value"]["status"] == "succeeded")
            return self.send(200, {**done, "id": job_id})
        if isinstance(body, dict) and body.get("stream") is True:
            sse = example_response(op, "text/event-stream")
            if sse is None:
                self.fail(key, "asks for a stream, but openapi.yaml documents no stream for this operation")
                return self.error(400, "invalid_request", "No stream here.")
            return self.send(sse[0], sse[1], "text/event-stream")
        found = example_response(op, "application/json")
        if found is None:
            return self.send(200, {})
        status, value = found
        if isinstance(value, dict) and value.get("object") == "job":
            with seen.lock:
                job_id = f"job_test_{len(seen.jobs)}"
                seen.jobs.add(job_id)
            value = {**value, "id": job_id, "poll_url": f"{self.server.url}/v1/jobs/{job_id}"}
        self.send(status, value)


@pytest.fixture(scope="module")
def server():
    srv = StandIn()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


# ------------------------------------------------------------------------------------------ running blocks

PY_WORKER = r'''
import json, os, sys, time, traceback
import anthropic, openai, requests  # imported once; every example runs in a fork of this process
for line in sys.stdin:
    job = json.loads(line)
    out = os.path.join(job["cwd"], ".output")
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.chdir(job["cwd"])
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.environ.update(job["env"])
            time.sleep = lambda seconds: None  # polling loops need not wait: the stand-in's jobs are done
            exec(compile(job["code"], "example.py", "exec"), {"__name__": "__main__"})
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    with open(out, errors="replace") as f:
        text = f.read()
    print("@@reply@@ " + json.dumps({"rc": os.waitstatus_to_exitcode(status), "output": text[-4000:]}), flush=True)
'''

JS_WORKER = r"""
// Every example is a module imported by this one process, in its own directory with its own key.
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
const REPLY = "@@reply@@ ";
const later = globalThis.setTimeout;
// polling loops need not wait; a request's own timeout (the SDK's: minutes) stays as it is
globalThis.setTimeout = (f, ms, ...a) => later(f, ms > 60000 ? ms : 0, ...a);
const send = process.stdout.write.bind(process.stdout);
let output = "";
process.stdout.write = process.stderr.write = (chunk) => { output += chunk; return true; };
for await (const line of createInterface({ input: process.stdin })) {
  const job = JSON.parse(line);
  let rc = 0;
  output = "";
  try {
    process.chdir(job.cwd);
    process.env.EMPIRIOLABS_API_KEY = job.key;
    await import(pathToFileURL(job.file).href);
  } catch (err) {
    rc = 1;
    output += String(err && err.stack || err);
  }
  send(REPLY + JSON.stringify({ rc, output: output.slice(-4000) }) + "\n");
}
"""
REPLY = "@@reply@@ "
NODE_BUILTINS = re.compile(r"""^(?:node:|fs|path|url|os|util|crypto|stream|buffer|events|http|https)""")


@dataclass(frozen=True)
class Example:
    language: str
    code: str
    where: list[str]  # page:line of every place it appears


@dataclass
class Outcome:
    example: Example
    key: str
    rc: int | None = None
    output: str = ""
    skipped: str = ""


def skip_reason(ex: Example) -> str:
    """Why a block is not run, or '' to run it. Every rule is about what the block is, not where it is."""
    code = ex.code
    lines = [l.strip() for l in code.split("\n") if l.strip() and not l.strip().startswith("#")]
    if ex.language in SHELLS:
        if lines and all(l.startswith("export ") for l in lines):
            return "only exports a variable"
        if any(l.startswith("$ ") for l in lines):
            return "shows a shell prompt, not a script"
        if "curl" not in code:
            return "makes no API request"
        if re.search(r"\|\s*jq\b", code) and shutil.which("jq") is None:
            return "pipes to jq, which is not installed"
        return ""
    if ex.language in PYTHONS:
        return ""
    if ex.language in SCRIPTS:
        if shutil.which("node") is None:
            return "node is not installed"
        for pkg in re.findall(r"""(?:from|import)\s+["']([^"']+)["']""", code):
            if not NODE_BUILTINS.match(pkg) and not (NODE_MODULES / pkg / "package.json").is_file():
                return f"needs the npm package {pkg!r}, which is not installed (npm ci --prefix tests/js)"
        return ""
    return "not a program"


def input_files(code: str) -> set[str]:
    names = set(re.findall(r"=@([\w./-]+)", code))
    names |= set(re.findall(r"""open\(\s*["']([^"']+)["']\s*,\s*["']rb["']""", code))
    names |= set(re.findall(r"""readFile\(\s*["']([^"']+)["']""", code))
    return {n for n in names if not n.startswith("/")}


class Runner:
    """Runs blocks: bash blocks in their own bash; Python and JavaScript blocks in long-lived workers
    (a Python process that forks per block, a Node process that imports each block as a module)."""

    def __init__(self, server: StandIn, work: Path):
        self.server = server
        self.work = work
        self.env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        self.env["NO_PROXY"] = self.env["no_proxy"] = "127.0.0.1,localhost"
        self.workers: list[subprocess.Popen] = []
        self.free: dict[str, list[subprocess.Popen]] = {"python": [], "node": []}
        self.lock = threading.Lock()
        (work / "worker.mjs").write_text(JS_WORKER)
        if NODE_MODULES.is_dir():  # Node finds an example's imports in a node_modules beside or above it
            (work / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)

    def close(self) -> None:
        for w in self.workers:
            w.stdin.close()
            w.wait(timeout=30)

    def ask(self, kind: str, job: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            w = self.free[kind].pop() if self.free[kind] else None
        if w is None:
            argv = [sys.executable, "-c", PY_WORKER] if kind == "python" else ["node", str(self.work / "worker.mjs")]
            w = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=self.env)
            with self.lock:
                self.workers.append(w)
        w.stdin.write(json.dumps(job) + "\n")
        w.stdin.flush()
        line = w.stdout.readline()
        while line and not line.startswith(REPLY):  # whatever else the worker printed
            line = w.stdout.readline()
        if not line:
            return {"rc": -1, "output": f"the {kind} worker died"}
        with self.lock:
            self.free[kind].append(w)
        return json.loads(line[len(REPLY):])

    def run(self, outcome: Outcome, index: int) -> Outcome:
        ex = outcome.example
        code = ex.code.replace(HOST, self.server.url)
        cwd = self.work / f"block{index}"
        cwd.mkdir()
        for name in input_files(code):
            (cwd / name).parent.mkdir(parents=True, exist_ok=True)
            (cwd / name).write_bytes(b"ID3\x03\x00stand-in input file\n")
        if ex.language in SHELLS:
            env = {**self.env, "EMPIRIOLABS_API_KEY": outcome.key}
            try:
                proc = subprocess.run(["bash", "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                                      timeout=60)
                outcome.rc, outcome.output = proc.returncode, (proc.stdout + proc.stderr)[-4000:]
            except subprocess.TimeoutExpired:
                outcome.rc, outcome.output = -1, "timed out after 60 s"
        elif ex.language in SCRIPTS:
            (cwd / "example.mjs").write_text(code)
            reply = self.ask("node", {"file": str(cwd / "example.mjs"), "cwd": str(cwd), "key": outcome.key})
            outcome.rc, outcome.output = reply["rc"], reply["output"]
        else:
            reply = self.ask("python", {"code": code, "cwd": str(cwd), "env": {"EMPIRIOLABS_API_KEY": outcome.key}})
            outcome.rc, outcome.output = reply["rc"], reply["output"]
        return outcome


def site_examples(inputs: Any) -> list[Example]:
    """Every code block of every rendered page, once per distinct (language, code)."""
    pages, rendered = pipeline.render_site(inputs)
    found: dict[tuple[str, str], Example] = {}
    for page in pages:
        for block in code_blocks(rendered[page.path]):
            if block.language in ("text", "json", "http", ""):
                continue
            ex = found.setdefault((block.language, block.code), Example(block.language, block.code, []))
            ex.where.append(f"{page.path}:{block.line}")
    return list(found.values())


def run_all(server: StandIn, examples: list[Example]) -> list[Outcome]:
    outcomes = [Outcome(ex, f"{KEY_STEM}{i}", skipped=skip_reason(ex)) for i, ex in enumerate(examples)]
    work = Path(tempfile.mkdtemp(prefix="examples-run-"))
    runner = Runner(server, work)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda io: runner.run(io[1], io[0]),
                          [(i, o) for i, o in enumerate(outcomes) if not o.skipped]))
    finally:
        runner.close()
        shutil.rmtree(work, ignore_errors=True)
    return outcomes


def problems(server: StandIn, outcomes: list[Outcome]) -> list[str]:
    by_key = {o.key: o for o in outcomes}
    out: list[str] = []
    for o in outcomes:
        if o.skipped:
            continue
        name = f"{o.example.language} block at {', '.join(o.example.where[:3])}"
        if o.rc != 0:
            out.append(f"{name} exited {o.rc}:\n{o.output.strip()[-1500:]}")
        if not server.seen.requests.get(o.key):
            out.append(f"{name} ran but never reached the stand-in server")
    for key, message in server.seen.failures:
        o = by_key.get(key)
        where = f"{o.example.language} block at {', '.join(o.example.where[:3])}" if o else f"a request (key {key!r})"
        out.append(f"{where} sent an invalid request: {message}")
    return out


@pytest.fixture(scope="module")
def outcomes(server, inputs):
    return run_all(server, site_examples(inputs))


# ------------------------------------------------------------------------------------------ tests

def test_every_example_runs_as_written(server, outcomes):
    found = problems(server, outcomes)
    ran = [o for o in outcomes if not o.skipped]
    skipped: dict[str, int] = {}
    for o in outcomes:
        if o.skipped:
            skipped[f"{o.example.language}: {o.skipped}"] = skipped.get(f"{o.example.language}: {o.skipped}", 0) + 1
    print(f"\nran {len(ran)} distinct examples ("
          + ", ".join(f"{sum(o.example.language == l for o in ran)} {l}" for l in sorted({o.example.language for o in ran}))
          + f"); skipped: {skipped or 'none'}")
    assert not found, "\n\n".join(found)


def test_every_language_ran(outcomes):
    """The suite proves something only if cURL and Python examples did run."""
    ran = {o.example.language for o in outcomes if not o.skipped}
    assert {"bash", "python"} <= ran


def test_the_stand_in_rejects_a_broken_example(server):
    """A broken example fails here too: the stand-in is not a yes-machine."""
    broken = [
        Example("bash", f'curl {HOST}/v1/chat/completions -H "Authorization: Bearer $EMPIRIOLABS_API_KEY" '
                        '-H "Content-Type: application/json" '
                        '-d \'{"model": "qwen3-max", "messages": [{"role": "robot", "content": "Hi"}]}\'', ["t:1"]),
        Example("bash", f"curl {HOST}/v1/models -H 'Authorization: Bearer $EMPIRIOLABS_API_KEY'", ["t:2"]),
        Example("python", "import os\nfrom openai import OpenAI\n"
                          f'client = OpenAI(base_url="{HOST}/v1", api_key=os.environ["EMPIRIOLABS_API_KEY"])\n'
                          'client.chat.completions.create(model="wan-2-7", messages=[{"role": "user", '
                          '"content": "Hi"}])\n', ["t:3"]),
    ]
    before = len(server.seen.failures)
    outcomes = [Outcome(ex, f"{KEY_STEM}broken-{i}") for i, ex in enumerate(broken)]
    work = Path(tempfile.mkdtemp(prefix="examples-broken-"))
    runner = Runner(server, work)
    try:
        for i, o in enumerate(outcomes):
            runner.run(o, i)
    finally:
        runner.close()
        shutil.rmtree(work, ignore_errors=True)
    new = server.seen.failures[before:]
    messages = [m for _, m in new]
    assert any("$.messages[0].role: 'robot' is not one of" in m for m in messages), messages
    assert any("no valid key" in m for m in messages), messages
    assert any("$.model: 'wan-2-7' does not serve /v1/chat/completions; it serves /v1/videos/generations" in m
               for m in messages), messages
    assert outcomes[2].rc != 0  # the SDK raised on the 400
    del server.seen.failures[before:]


# The blocks left out for what they are, read by hand off the site: (language, reason, page). A block that
# starts to be left out fails test_examples_not_run until it is listed here, so none is dropped silently.
LEFT_OUT = {("bash", "only exports a variable", "getting-started.md")}


def test_examples_not_run(outcomes):
    """Blocks are left out only where LEFT_OUT says; those left out for a tool that is not installed are
    reported (pytest -ra lists the reason), never silently dropped."""
    left_out = {(o.example.language, o.skipped, where.rsplit(":", 1)[0])
                for o in outcomes if o.skipped and "not installed" not in o.skipped for where in o.example.where}
    assert left_out == LEFT_OUT
    reasons = Counter(f"{o.example.language}: {o.skipped}" for o in outcomes if "not installed" in o.skipped)
    if reasons:
        pytest.skip("not run: " + "; ".join(f"{n} {r}" for r, n in sorted(reasons.items())))