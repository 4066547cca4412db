"""Render one request body as runnable cURL, Python and JavaScript: code is data turned into text here,
never typed into templates, so every snippet of the site is as valid as the body it came from."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Every SDK method the docs write or read back: (SDK, method of its client) -> the request it sends. The
# snippets write the OpenAI SDK for SDK_ENDPOINTS (the same call in Python and JavaScript), plain HTTP for
# the others; doccheck reads them all in the Python examples.
SDK_METHODS: dict[tuple[str, str], tuple[str, str]] = {
    ("openai", "chat.completions.create"): ("POST", "/v1/chat/completions"),
    ("openai", "responses.create"): ("POST", "/v1/responses"),
    ("openai", "responses.stream"): ("POST", "/v1/responses"),
    ("openai", "embeddings.create"): ("POST", "/v1/embeddings"),
    ("openai", "images.generate"): ("POST", "/v1/images/generations"),
    ("openai", "audio.speech.create"): ("POST", "/v1/audio/speech"),
    ("openai", "models.list"): ("GET", "/v1/models"),
    ("openai", "models.retrieve"): ("GET", "/v1/models/{model_id}"),
    ("anthropic", "messages.create"): ("POST", "/v1/messages"),
    ("anthropic", "messages.stream"): ("POST", "/v1/messages"),
    ("anthropic", "models.list"): ("GET", "/v1/models"),
}
SDK_ENDPOINTS = ("/v1/chat/completions", "/v1/responses", "/v1/embeddings")
SDK_CALLS = {
    endpoint: f"client.{method}"
    for (sdk, method), (_, endpoint) in SDK_METHODS.items()
    if sdk == "openai" and endpoint in SDK_ENDPOINTS and method.endswith(".create")
}
# Keyword arguments each SDK method declares; anything else in a body goes through `extra_body`.
SDK_PARAMS = {
    "/v1/chat/completions": {
        "model",
        "messages",
        "temperature",
        "top_p",
        "max_tokens",
        "max_completion_tokens",
        "stop",
        "stream",
        "stream_options",
        "tools",
        "tool_choice",
        "n",
        "response_format",
        "seed",
        "frequency_penalty",
        "presence_penalty",
        "user",
        "parallel_tool_calls",
        "reasoning_effort",
        "logprobs",
        "top_logprobs",
        "metadata",
        "logit_bias",
    },
    "/v1/responses": {
        "model",
        "input",
        "instructions",
        "max_output_tokens",
        "temperature",
        "top_p",
        "stream",
        "tools",
        "tool_choice",
        "reasoning",
        "metadata",
        "previous_response_id",
        "text",
        "user",
        "parallel_tool_calls",
        "store",
        "truncation",
    },
    "/v1/embeddings": {"model", "input", "dimensions", "encoding_format", "user"},
    "/v1/messages": {
        "model",
        "messages",
        "max_tokens",
        "system",
        "temperature",
        "top_p",
        "top_k",
        "stop_sequences",
        "stream",
        "tools",
        "tool_choice",
        "metadata",
    },
}
JOB_ENDPOINTS = {"/v1/images/generations", "/v1/videos/generations", "/v1/audio/transcriptions"}


@dataclass(frozen=True)
class Snippet:
    """One tab of a code example."""

    label: str
    language: str
    code: str


@dataclass(frozen=True)
class Api:
    """Where requests go and where the key comes from."""

    host: str  # https://api.example.com
    key_env: str

    @property
    def base_url(self) -> str:
        return f"{self.host}/v1"


def plain(value: Any) -> Any:
    """JSON-ready copy of YAML data: exact decimals become ints or floats with the same text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(str(value))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def to_json(value: Any, indent: int = 0, width: int = 72) -> str:
    """JSON pretty-printed with small containers kept on one line."""
    value = plain(value)
    flat = json.dumps(value, ensure_ascii=False)
    if len(flat) + indent <= width or not isinstance(value, (dict, list)) or not value:
        return flat
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {to_json(v, indent + 2, width)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    items = [f"{inner}{to_json(v, indent + 2, width)}" for v in value]
    return "[\n" + ",\n".join(items) + f"\n{pad}]"


def py_literal(value: Any, indent: int = 0, width: int = 72) -> str:
    """A Python literal for JSON data; small containers stay on one line, as black would leave them."""
    value = plain(value)
    if isinstance(value, bool) or value is None:
        return {True: "True", False: "False", None: "None"}[value]
    if not isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    pad, inner = " " * indent, " " * (indent + 4)
    if isinstance(value, dict):
        flat = "{" + ", ".join(f"{json.dumps(k)}: {py_literal(v, 0, 10**6)}" for k, v in value.items()) + "}"
        if len(flat) + indent <= width:
            return flat
        items = [f"{inner}{json.dumps(k)}: {py_literal(v, indent + 4, width)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    flat = "[" + ", ".join(py_literal(v, 0, 10**6) for v in value) + "]"
    if len(flat) + indent <= width:
        return flat
    return "[\n" + "\n".join(f"{inner}{py_literal(v, indent + 4, width)}," for v in value) + f"\n{pad}]"


def py_kwargs(body: dict[str, Any], indent: int = 4, endpoint: str | None = None) -> str:
    """Keyword arguments; fields the SDK method does not declare travel in `extra_body`."""
    pad = " " * indent
    known = SDK_PARAMS.get(endpoint or "", set(body))
    lines = [f"{pad}{k}={py_literal(v, indent)}," for k, v in body.items() if k in known]
    extra = {k: v for k, v in body.items() if k not in known}
    if extra:
        lines.append(f"{pad}extra_body={py_literal(extra, indent)},")
    return "\n".join(lines)


def js_literal(value: Any, indent: int = 0) -> str:
    return to_json(value, indent)


def curl(
    api: Api,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    *,
    multipart: bool = False,
    files: tuple[str, ...] = (),
    stream: bool = False,
) -> str:
    """A cURL command whose key expands in the shell and whose JSON survives the quoting."""
    lines = [f"curl{' -N' if stream else ''} {shlex.quote(api.host + path)}"]
    if method not in ("GET", "POST") or method == "POST" and body is None:
        lines[0] += f" -X {method}"
    lines.append(f'-H "Authorization: Bearer ${api.key_env}"')
    if body is not None and multipart:
        for key, value in plain(body).items():
            text = value if isinstance(value, str) else json.dumps(value)
            lines.append("-F " + shlex.quote(f"{key}=@{value}" if key in files else f"{key}={text}"))
    elif body is not None:
        lines.append('-H "Content-Type: application/json"')
        lines.append("-d " + shlex.quote(to_json(body)))
    return " \\\n  ".join(lines)


def python_openai(api: Api, endpoint: str, body: dict[str, Any], *, stream: bool = False) -> str:
    call = SDK_CALLS[endpoint]
    out = [
        "import os",
        "",
        "from openai import OpenAI",
        "",
        f'client = OpenAI(base_url="{api.base_url}", api_key=os.environ["{api.key_env}"])',
        "",
        f"{'stream' if stream else 'response'} = {call}(",
        py_kwargs(body, endpoint=endpoint),
        ")",
    ]
    if stream and endpoint == "/v1/chat/completions":
        out += [
            "for chunk in stream:",
            "    if chunk.choices and chunk.choices[0].delta.content:",
            '        print(chunk.choices[0].delta.content, end="", flush=True)',
            "print()",
        ]
    elif stream:
        out += [
            "for event in stream:",
            '    if event.type == "response.output_text.delta":',
            '        print(event.delta, end="", flush=True)',
            "print()",
        ]
    elif endpoint == "/v1/chat/completions":
        out += [
            "message = response.choices[0].message",
            "print(message.tool_calls if message.tool_calls else message.content)"
            if "tools" in body
            else "print(message.content)",
        ]
    elif endpoint == "/v1/responses":
        out += ["print(response.output_text)"]
    else:
        out += ["print(len(response.data[0].embedding))"]
    return "\n".join(out)


def js_openai(api: Api, endpoint: str, body: dict[str, Any], *, stream: bool = False) -> str:
    call = SDK_CALLS[endpoint]
    out = [
        'import OpenAI from "openai";',
        "",
        "const client = new OpenAI({",
        f'  baseURL: "{api.base_url}",',
        f"  apiKey: process.env.{api.key_env},",
        "});",
        "",
        f"const {'stream' if stream else 'response'} = await {call}({js_literal(body)});",
    ]
    if stream and endpoint == "/v1/chat/completions":
        out += [
            "for await (const chunk of stream) {",
            '  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");',
            "}",
        ]
    elif stream:
        out += [
            "for await (const event of stream) {",
            '  if (event.type === "response.output_text.delta") process.stdout.write(event.delta);',
            "}",
        ]
    elif endpoint == "/v1/chat/completions":
        out += [
            "const message = response.choices[0].message;",
            "console.log(message.tool_calls ?? message.content);"
            if "tools" in body
            else "console.log(message.content);",
        ]
    elif endpoint == "/v1/responses":
        out += ["console.log(response.output_text);"]
    else:
        out += ["console.log(response.data[0].embedding.length);"]
    return "\n".join(out)


def python_anthropic(api: Api, body: dict[str, Any], *, stream: bool = False) -> str:
    out = [
        "import os",
        "",
        "import anthropic",
        "",
        f'client = anthropic.Anthropic(base_url="{api.host}", api_key=os.environ["{api.key_env}"])',
        "",
    ]
    if stream:
        kwargs = {k: v for k, v in body.items() if k != "stream"}
        out += [
            "with client.messages.stream(",
            py_kwargs(kwargs, endpoint="/v1/messages"),
            ") as stream:",
            "    for text in stream.text_stream:",
            '        print(text, end="", flush=True)',
            "print()",
        ]
    else:
        out += [
            "message = client.messages.create(",
            py_kwargs(body, endpoint="/v1/messages"),
            ")",
            "print(message.content[0].text)" if "tools" not in body else "print(message.content)",
        ]
    return "\n".join(out)


def python_http(api: Api, endpoint: str, body: dict[str, Any], *, files: tuple[str, ...] = ()) -> str:
    """Plain `requests` for endpoints the OpenAI SDK does not model (media, search, jobs)."""
    out = [
        "import os",
        *(["import time"] if endpoint in JOB_ENDPOINTS else []),
        "",
        "import requests",
        "",
        f'API = "{api.base_url}"',
        f'HEADERS = {{"Authorization": f"Bearer {{os.environ[\'{api.key_env}\']}}"}}',
        "",
    ]
    path = endpoint.removeprefix("/v1")
    if files:
        data = {k: v for k, v in plain(body).items() if k not in files}
        opens = ", ".join(f'"{k}": open("{body[k]}", "rb")' for k in files)
        out += [
            f"data = {py_literal(data)}",
            f'response = requests.post(f"{{API}}{path}", headers=HEADERS, data=data, files={{{opens}}})',
        ]
    else:
        out += [f'response = requests.post(f"{{API}}{path}", headers=HEADERS, json={py_literal(body)})']
    out += ["response.raise_for_status()"]
    if endpoint in JOB_ENDPOINTS:
        out += [
            "job = response.json()",
            'while job["status"] in ("queued", "running"):',
            "    time.sleep(5)",
            "    job = requests.get(f\"{API}/jobs/{job['id']}\", headers=HEADERS).json()",
            "print(job)",
        ]
    else:
        out += ["print(response.json())"]
    return "\n".join(out)


def js_http(api: Api, endpoint: str, body: dict[str, Any], *, files: tuple[str, ...] = ()) -> str:
    out = [
        f'const API = "{api.base_url}";',
        f"const headers = {{ Authorization: `Bearer ${{process.env.{api.key_env}}}` }};",
        "",
    ]
    path = endpoint.removeprefix("/v1")
    if files:
        out.insert(0, 'import { readFile } from "node:fs/promises";\n')
        out += ["const form = new FormData();"]
        for k, v in plain(body).items():
            if k in files:
                out += [f'form.append("{k}", new Blob([await readFile("{v}")]), "{v}");']
            else:
                out += [f'form.append("{k}", {json.dumps(v if isinstance(v, str) else json.dumps(v))});']
        out += [f'let response = await fetch(`${{API}}{path}`, {{ method: "POST", headers, body: form }});']
    else:
        out += [
            f"let response = await fetch(`${{API}}{path}`, {{",
            '  method: "POST",',
            '  headers: { ...headers, "Content-Type": "application/json" },',
            f"  body: JSON.stringify({js_literal(body, 2)}),",
            "});",
        ]
    if endpoint in JOB_ENDPOINTS:
        out += [
            "let job = await response.json();",
            'while (job.status === "queued" || job.status === "running") {',
            "  await new Promise((resolve) => setTimeout(resolve, 5000));",
            "  job = await (await fetch(`${API}/jobs/${job.id}`, { headers })).json();",
            "}",
            "console.log(job);",
        ]
    else:
        out += ["console.log(await response.json());"]
    return "\n".join(out)


def request_snippets(
    api: Api,
    endpoint: str,
    body: dict[str, Any],
    *,
    multipart: bool = False,
    files: tuple[str, ...] = (),
    stream: bool = False,
) -> tuple[Snippet, ...]:
    """Every tab for one request: cURL, Python, JavaScript, and the Anthropic SDK on /v1/messages."""
    tabs = [Snippet("cURL", "bash", curl(api, "POST", endpoint, body, multipart=multipart, files=files, stream=stream))]
    if endpoint in JOB_ENDPOINTS:
        poll = f'curl "{api.base_url}/jobs/$JOB_ID" \\\n  -H "Authorization: Bearer ${api.key_env}"'
        tabs[0] = Snippet(
            "cURL",
            "bash",
            f"JOB_ID=$({tabs[0].code} | jq -r .id)\n\n"
            f"# poll every few seconds until the status is succeeded or failed\n{poll}",
        )
    if endpoint in SDK_CALLS:
        tabs += [
            Snippet("Python", "python", python_openai(api, endpoint, body, stream=stream)),
            Snippet("JavaScript", "javascript", js_openai(api, endpoint, body, stream=stream)),
        ]
    elif endpoint == "/v1/messages":
        tabs += [Snippet("Anthropic SDK", "python", python_anthropic(api, body, stream=stream))]
    else:
        tabs += [
            Snippet("Python", "python", python_http(api, endpoint, body, files=files)),
            Snippet("JavaScript", "javascript", js_http(api, endpoint, body, files=files)),
        ]
    return tuple(tabs)
