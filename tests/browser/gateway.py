"""A stand-in gateway on loopback for the Try it console's browser tests (and its screenshot).

It answers as the real API does, from openapi.yaml: it sends CORS headers, checks every request's method,
path, key and body against the spec (jsonschema on the JSON body or on the multipart form's fields), streams
server-sent events in each API's own format with a delay between events, returns an image, audio and jobs
that finish after a few polls, and answers any error the test asks for next. It records every request it
receives, exactly as received.
"""

from __future__ import annotations

import io
import json
import re
import struct
import threading
import time
import wave
import zlib
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.model.spec import Spec
from generator.problems import Problems
from generator.validate.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-empiriolabs-test-0123456789"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, Accept",
    "Access-Control-Expose-Headers": "Retry-After, X-Request-Id",
    "Access-Control-Max-Age": "600",
    "Access-Control-Allow-Private-Network": "true",
}


def png() -> bytes:
    """A 2x2 PNG, made here: no binary file in the repository."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x3f\x51\xb5" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def wav() -> bytes:
    """A quarter second of silence as WAV."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 2000)
    return out.getvalue()


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any = None
    form: dict[str, str] | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class Gateway:
    spec: Spec
    url: str = ""
    reply: str = "Waves fold on the shore, / salt wind carries the gull's cry, / the tide keeps its time."
    usage: dict[str, int] = field(default_factory=lambda: {"input": 14, "cached": 0, "output": 19})
    delay: float = 0.35  # seconds between streamed events
    polls: int = 3  # job polls answered `running` before `succeeded`
    received: list[Received] = field(default_factory=list)
    next_error: tuple[int, dict, dict[str, str]] | None = None
    jobs: dict[str, dict] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
        self.next_error = (status, body, headers or {})

    def posts(self) -> list[Received]:
        return [r for r in self.received if r.method == "POST"]


def start(spec: Spec | None = None) -> tuple[Gateway, ThreadingHTTPServer]:
    if spec is None:
        problems = Problems()
        spec = load_spec(ROOT / "openapi.yaml", problems)
        assert spec is not None, problems
    gw = Gateway(spec)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gw))
    server.daemon_threads = True
    gw.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, name="gateway", daemon=True).start()
    return gw, server


def _handler(gw: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002
            pass

        def do_OPTIONS(self):  # noqa: N802 - the CORS preflight
            self.send_response(204)
            for k, v in CORS.items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):  # noqa: N802
            if self.path.startswith("/media/"):
                name = self.path.split("?")[0].rsplit("/", 1)[-1]
                data, ctype = (png(), "image/png") if name.endswith(".png") else (wav(), "audio/wav")
                return self.send(200, data, ctype)
            rec = self.record(b"")
            if not self.authorized(rec):
                return
            m = re.fullmatch(r"/v1/jobs/([\w-]+)", self.path)
            if m and m[1] in gw.jobs:
                job = gw.jobs[m[1]]
                job["polls"] += 1
                if job["polls"] > gw.polls:
                    job["status"], job["result"] = "succeeded", job["final"]
                    job["completed_at"] = 1767225700
                else:
                    job["status"] = "running"
                return self.json(200, {k: v for k, v in job.items() if k not in ("polls", "final")})
            if self.path == "/v1/models":
                return self.json(200, {"object": "list", "data": []})
            return self.json(404, _error("not_found", f"No route {self.path}"))

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            rec = self.record(self.rfile.read(length))
            if not self.authorized(rec):
                return
            op = gw.spec.operation("POST", self.path)
            if op is None:
                rec.problems.append(f"no operation POST {self.path} in openapi.yaml")
                return self.json(404, _error("not_found", f"No route {self.path}"))
            value = self.parse(rec, op.content_type)
            pointer = gw.spec.request_pointer(op)
            if value is not None and pointer:
                errors = sorted(gw.spec.pointer_validator(pointer).iter_errors(value), key=lambda e: list(e.path))
                rec.problems += [f"{'/'.join(map(str, e.path)) or 'body'}: {e.message}" for e in errors]
            if rec.problems:
                return self.json(400, _error("invalid_request", "; ".join(rec.problems)))
            if gw.next_error:
                status, body, headers = gw.next_error
                gw.next_error = None
                return self.json(status, body, headers)
            return self.answer(self.path, value)

        # ---- helpers ----
        def record(self, body: bytes) -> Received:
            rec = Received(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            with gw.lock:
                gw.received.append(rec)
            return rec

        def authorized(self, rec: Received) -> bool:
            if rec.headers.get("authorization") != f"Bearer {KEY}":
                self.json(401, _error("invalid_api_key", "Invalid API key."))
                return False
            return True

        def parse(self, rec: Received, ctype: str | None) -> Any:
            if ctype == "application/json":
                try:
                    rec.json = json.loads(rec.body)
                except ValueError as err:
                    rec.problems.append(f"the body is not JSON: {err}")
                return rec.json
            header = f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode()
            msg = BytesParser(policy=HTTP).parsebytes(header + rec.body)
            rec.form = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                filename = part.get_filename()
                rec.form[name] = filename if filename else part.get_content()
            return rec.form

        def send(self, status: int, data: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for k, v in {**CORS, "Content-Type": ctype, "Content-Length": str(len(data)), **(headers or {})}.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            self.send(
                status, json.dumps(body).encode(), "application/json", {"X-Request-Id": "req_test", **(headers or {})}
            )

        def answer(self, path: str, body: dict) -> None:
            model, u = body.get("model", ""), gw.usage
            words = re.findall(r"\S+\s*", gw.reply)
            if path == "/v1/chat/completions":
                usage = {
                    "prompt_tokens": u["input"],
                    "completion_tokens": u["output"],
                    "total_tokens": u["input"] + u["output"],
                    "prompt_tokens_details": {"cached_tokens": u["cached"]},
                }
                if body.get("stream"):
                    events = [{"choices": [{"index": 0, "delta": {"content": w}}]} for w in words]
                    events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": usage})
                    return self.stream([(None, e) for e in events] + [(None, "[DONE]")])
                return self.json(
                    200,
                    {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "model": model,
                        "choices": [
                            {"index": 0, "message": {"role": "assistant", "content": gw.reply}, "finish_reason": "stop"}
                        ],
                        "usage": usage,
                    },
                )
            if path == "/v1/responses":
                usage = {
                    "input_tokens": u["input"],
                    "output_tokens": u["output"],
                    "total_tokens": u["input"] + u["output"],
                    "input_tokens_details": {"cached_tokens": u["cached"]},
                }
                done = {
                    "id": "resp_1",
                    "object": "response",
                    "model": model,
                    "status": "completed",
                    "usage": usage,
                    "output": [
                        {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": gw.reply}]}
                    ],
                }
                if body.get("stream"):
                    events = [
                        (
                            "response.created",
                            {"type": "response.created", "response": {**done, "status": "in_progress"}},
                        )
                    ]
                    events += [
                        ("response.output_text.delta", {"type": "response.output_text.delta", "delta": w})
                        for w in words
                    ]
                    events.append(("response.completed", {"type": "response.completed", "response": done}))
                    return self.stream(events)
                return self.json(200, done)
            if path == "/v1/messages":
                start_usage = {
                    "input_tokens": u["input"] - u["cached"],
                    "cache_read_input_tokens": u["cached"],
                    "cache_creation_input_tokens": 0,
                    "output_tokens": 1,
                }
                if body.get("stream"):
                    events = [
                        (
                            "message_start",
                            {
                                "type": "message_start",
                                "message": {
                                    "id": "msg_1",
                                    "type": "message",
                                    "role": "assistant",
                                    "model": model,
                                    "content": [],
                                    "usage": start_usage,
                                },
                            },
                        ),
                        (
                            "content_block_start",
                            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
                        ),
                    ]
                    events += [
                        (
                            "content_block_delta",
                            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": w}},
                        )
                        for w in words
                    ]
                    events += [
                        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
                        (
                            "message_delta",
                            {
                                "type": "message_delta",
                                "delta": {"stop_reason": "end_turn"},
                                "usage": {"output_tokens": u["output"]},
                            },
                        ),
                        ("message_stop", {"type": "message_stop"}),
                    ]
                    return self.stream(events)
                return self.json(
                    200,
                    {
                        "id": "msg_1",
                        "type": "message",
                        "role": "assistant",
                        "model": model,
                        "content": [{"type": "text", "text": gw.reply}],
                        "stop_reason": "end_turn",
                        "usage": {**start_usage, "output_tokens": u["output"]},
                    },
                )
            if path == "/v1/audio/speech":
                return self.json(
                    200,
                    {
                        "created": 1767225600,
                        "model": model,
                        "data": [{"url": f"{gw.url}/media/speech.wav", "content_type": "audio/wav"}],
                    },
                )
            if path in ("/v1/images/generations", "/v1/videos/generations", "/v1/audio/transcriptions"):
                final = {
                    "urls": [f"{gw.url}/media/out.png"],
                    "data": [{"url": f"{gw.url}/media/out.png", "content_type": "image/png"}],
                }
                if path == "/v1/audio/transcriptions":
                    final = {
                        "urls": [f"{gw.url}/media/transcript.txt"],
                        "text": gw.reply,
                        "language": "en",
                        "duration_seconds": 2.5,
                    }
                job_id = f"job_{len(gw.jobs) + 1}"
                job = {
                    "id": job_id,
                    "object": "job",
                    "status": "queued",
                    "model": model,
                    "created": 1767225600,
                    "poll_url": f"{gw.url}/v1/jobs/{job_id}",
                    "result": None,
                    "error": None,
                }
                gw.jobs[job_id] = {**job, "polls": 0, "final": final}
                return self.json(202, job)
            return self.json(
                200, {"object": "list", "model": model, "results": [{"title": gw.reply, "url": "https://example.com/"}]}
            )

        def stream(self, events: list[tuple[str | None, Any]]) -> None:
            self.send_response(200)
            for k, v in {
                **CORS,
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "X-Request-Id": "req_test",
            }.items():
                self.send_header(k, v)
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                for name, data in events:
                    text = data if isinstance(data, str) else json.dumps(data)
                    self.wfile.write(((f"event: {name}\n" if name else "") + f"data: {text}\n\n").encode())
                    self.wfile.flush()
                    time.sleep(gw.delay)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the reader cancelled

    return Handler


def _error(code: str, message: str) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}


if __name__ == "__main__":  # `python -m tests.browser.gateway`: run it by hand
    g, s = start()
    print(f"stand-in gateway on {g.url} (key {KEY})")
    s.serve_forever()
