"""The example requests (cURL and the SDKs) and the example responses of an operation."""

from __future__ import annotations

import json
from typing import Any

from generator.model.spec import Operation, Spec
from generator.snippets import Api, Snippet, curl, to_json
from generator.views.apiref.views import ResponseExample
from generator.views.pages import CodeExample, code_example

OPENAI_SDK_GETS = {  # GET path -> (Python call, JavaScript call, what to print); other GETs use plain HTTP
    "/v1/models": ("client.models.list()", "client.models.list()", "list"),
    "/v1/models/{model_id}": ("client.models.retrieve({arg})", "client.models.retrieve({arg})", "one"),
}


def request_examples(api: Api, spec: Spec, op: Operation) -> tuple[CodeExample, ...]:
    if op.method == "GET":
        return (get_example(api, spec, op),)
    if op.method != "POST" or not op.content_type:
        return ()
    body = spec.resolve(op.raw["requestBody"])["content"][op.content_type]
    files = spec.binary_fields(body.get("schema", {}))
    out = []
    items = list(body.get("examples", {}).values())
    if "example" in body:
        items.insert(0, {"summary": "Example", "value": body["example"]})
    for ex in items:
        if not isinstance(ex, dict) or not isinstance(ex.get("value"), dict):
            continue
        value = dict(ex["value"])
        for key in files:  # the spec writes file parts as cURL does (`@meeting.mp3`); snippets add the `@`
            if isinstance(value.get(key), str):
                value[key] = value[key].removeprefix("@")
        out.append(code_example(api, spec, ex.get("summary") or "Example", op.path, value))
    return tuple(out)


def get_example(api: Api, spec: Spec, op: Operation) -> CodeExample:
    """cURL, then the OpenAI SDK where it models the call, or plain HTTP; path parameters from their examples."""
    path, args = op.path, []
    for raw in op.raw.get("parameters", []):
        p = spec.resolve(raw)
        if p.get("in") == "path":
            value = str(p.get("example", p["name"].upper()))
            path = path.replace("{" + p["name"] + "}", value)
            args.append(value)
    sdk = OPENAI_SDK_GETS.get(op.path)
    tabs = [
        Snippet("cURL", "bash", curl(api, "GET", path)),
        *(_sdk_get(api, sdk, args) if sdk else _http_get(api, path)),
    ]
    return CodeExample(op.summary or op.id, op.path, {}, tuple(tabs))


def _sdk_get(api: Api, sdk: tuple[str, str, str], args: list[str]) -> list[Snippet]:
    """A GET the OpenAI SDK models, in Python and JavaScript: list the models, or print the one."""
    arg = ", ".join(json.dumps(a) for a in args)
    py_call, js_call, kind = sdk[0].format(arg=arg), sdk[1].format(arg=arg), sdk[2]
    py = [
        "import os",
        "",
        "from openai import OpenAI",
        "",
        f'client = OpenAI(base_url="{api.base_url}", api_key=os.environ["{api.key_env}"])',
        "",
    ]
    js = [
        'import OpenAI from "openai";',
        "",
        "const client = new OpenAI({",
        f'  baseURL: "{api.base_url}",',
        f"  apiKey: process.env.{api.key_env},",
        "});",
        "",
    ]
    if kind == "list":
        py += [f"for model in {py_call}:", "    print(model.id)"]
        js += [f"for await (const model of {js_call}) {{", "  console.log(model.id);", "}"]
    else:
        py += [f"model = {py_call}", "print(model.to_json())"]
        js += [f"const model = await {js_call};", "console.log(model);"]
    return [Snippet("Python", "python", "\n".join(py)), Snippet("JavaScript", "javascript", "\n".join(js))]


def _http_get(api: Api, path: str) -> list[Snippet]:
    """Any other GET of `path` (its parameters filled in), in plain HTTP from Python and JavaScript."""
    rel = path.removeprefix("/v1")
    py = [
        "import os",
        "",
        "import requests",
        "",
        f'API = "{api.base_url}"',
        f'HEADERS = {{"Authorization": f"Bearer {{os.environ[\'{api.key_env}\']}}"}}',
        "",
        f'response = requests.get(f"{{API}}{rel}", headers=HEADERS)',
        "response.raise_for_status()",
        "print(response.json())",
    ]
    js = [
        f'const response = await fetch("{api.host}{path}", {{',
        f"  headers: {{ Authorization: `Bearer ${{process.env.{api.key_env}}}` }},",
        "});",
        "console.log(await response.json());",
    ]
    return [Snippet("Python", "python", "\n".join(py)), Snippet("JavaScript", "javascript", "\n".join(js))]


def response_examples(status: str, ctype: str, body: dict[str, Any]) -> list[ResponseExample]:
    items = list(body.get("examples", {}).values())
    if "example" in body:
        items.insert(0, {"value": body["example"]})
    out = []
    for ex in items:
        if not isinstance(ex, dict) or "value" not in ex:
            continue
        value = ex["value"]
        if isinstance(value, str):
            out.append(ResponseExample(ex.get("summary", ""), status, ctype, "text", value.rstrip()))
        else:
            out.append(ResponseExample(ex.get("summary", ""), status, ctype, "json", to_json(value)))
    return out
