"""API reference pages: one per OpenAPI operation, then the run-events WebSocket channel from asyncapi.yaml.

Everything a page shows is decided here and handed to the templates as frozen views; the templates only lay
it out. Text that came from the specs is turned into markdown once, here: `<`, `>` and entity-like `&` outside
code spans become entities (so a description can never inject HTML, on the site or in the markdown twin), and
table cells get their whitespace collapsed and their pipes escaped. Such text is a `Markup`, so the HTML
renderer's autoescaping leaves it alone and code spans keep their quotes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from typing import Any

import jsonschema
from markupsafe import Markup, escape

from generator.model.objects import Catalog, Model
from generator.problems import BuildError, Problem, display_path
from generator.views.render import Page
from generator.validate.schemas import json_path
from generator.snippets import Api, Snippet, curl, plain, to_json
from generator.model.spec import Operation, Spec
from generator.views.pages import CodeExample, api_of, code_example
from generator.load.yamlfile import YamlDoc, YamlError, child_path, load_yaml

ASYNCAPI = Path(__file__).resolve().parents[2] / "asyncapi.yaml"  # at the repo root, like the templates
MAX_DEPTH = 3  # `tools[].function.name`: deeper request fields are summed up in their parent's row
RESPONSE_DEPTH = 2  # response bodies: `choices[].message`, its fields named in a sentence
MANY_MODELS = 20  # past this, "Models that serve this endpoint" gives a count and the pricing page
OPENAI_SDK_GETS = {  # GET path -> (Python call, JavaScript call, what to print); other GETs use plain HTTP
    "/v1/models": ("client.models.list()", "client.models.list()", "list"),
    "/v1/models/{model_id}": ("client.models.retrieve({arg})", "client.models.retrieve({arg})", "one"),
}
ALIAS_OF = re.compile(r"^Another name for `([A-Za-z0-9_]+)`")
Resolve = Callable[[Any], Any]


# ---------------------------------------------------------------------------------------------- markdown text

CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


def md(text: Any) -> Markup:
    """Markdown prose from a spec: entities outside code spans, code spans verbatim."""
    out, last = [], 0
    text = str(text or "").strip()
    for m in CODE_SPAN.finditer(text):
        out += [_entities(text[last:m.start()]), m.group(0)]
        last = m.end()
    out.append(_entities(text[last:]))
    return Markup("".join(out))


def md_cell(text: Any) -> Markup:
    """Markdown for one table cell: one line, pipes escaped."""
    return Markup(" ".join(md(text).split()).replace("|", "\\|"))


def _entities(text: str) -> str:
    """Only `<` opens HTML and only `&name;` makes an entity; `>` and a bare `&` stay readable."""
    return re.sub(r"&(?=#?[A-Za-z0-9]+;)", "&amp;", text).replace("<", "&lt;")


def code(value: Any) -> str:
    """A value as it appears in a code span: strings bare, everything else as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(plain(value), ensure_ascii=False)


def code_span(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def or_list(items: list[str]) -> str:
    """`a`, `b` or `c`."""
    spans = [code_span(i) for i in items]
    return spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " or " + spans[-1]


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?:" else text + "."


# ---------------------------------------------------------------------------------------------- views

_NAME_BREAKS = re.compile(r"(?<=\.)|(?<=\[\])(?!\.)")


@dataclass(frozen=True)
class FieldRow:
    """One row of a fields table; nested fields are flattened (`messages[].role`)."""

    name: str
    type: Markup
    required: bool
    default: Markup  # `0.7`; empty when there is none
    values: Markup  # the enum/const values: `system`, `user`; empty when free
    range: Markup  # 0 to 2; up to 4 items; pattern `...`; empty when unbounded
    description: Markup
    depth: int

    @property
    def name_breakable(self) -> Markup:
        """The name with a line-break opportunity after each `.` and `[]`, so it never breaks inside a word."""
        return Markup("<wbr>").join(escape(part) for part in _NAME_BREAKS.split(self.name) if part)

    @property
    def text(self) -> Markup:
        """The description cell: the description, then values, range and default as short sentences."""
        parts = [self.description]
        parts += [Markup(f"{label}: {value}.") for label, value in
                  (("Values", self.values), ("Limits", self.range), ("Default", self.default)) if value]
        return Markup(" ").join(p for p in parts if p)


@dataclass(frozen=True)
class ParamRow:
    name: str
    location: str
    type: Markup
    required: bool
    description: Markup


@dataclass(frozen=True)
class AuthScheme:
    name: str
    header: str  # the header line, with the key from the environment
    description: Markup


@dataclass(frozen=True)
class SchemaSection:
    """A named schema the page documents in full, with a stable anchor the other tables link to."""

    name: str
    anchor: str
    description: Markup
    fields: tuple[FieldRow, ...]
    event_schema: str = ""  # for a server-sent-event stream: the schema of each event


@dataclass(frozen=True)
class RequestBody:
    content_type: str
    required: bool
    schema: SchemaSection


@dataclass(frozen=True)
class MediaLink:
    content_type: str
    schema: str  # schema name, or "" when the content is described inline
    anchor: str  # anchor of its section on this page, or ""


@dataclass(frozen=True)
class ResponseRow:
    status: str
    description: Markup
    media: tuple[MediaLink, ...]


@dataclass(frozen=True)
class ErrorRow:
    status: str
    description: Markup
    types: tuple[str, ...]
    codes: tuple[str, ...]
    schema: MediaLink | None


@dataclass(frozen=True)
class ErrorShape:
    schema: SchemaSection
    skeleton: str  # {"error": {"message", "type", "code"}}
    style: str  # "OpenAI" or "Anthropic"
    codes_in_message: bool  # Anthropic errors carry the code at the start of `message`
    example: str  # pretty JSON


@dataclass(frozen=True)
class ResponseExample:
    title: str
    status: str
    content_type: str
    language: str
    code: str


@dataclass(frozen=True)
class ServingModels:
    models: tuple[Model, ...]  # empty when there are too many to list
    count: int


@dataclass(frozen=True)
class OperationPage:
    method: str
    path: str
    url: str  # full URL on the API host
    summary: str
    description: Markup
    lead: str  # first sentence, for the page's meta description
    auth: tuple[AuthScheme, ...]
    parameters: tuple[ParamRow, ...]
    body: RequestBody | None
    responses: tuple[ResponseRow, ...]
    schemas: tuple[SchemaSection, ...]  # success response bodies, documented below the responses table
    errors: tuple[ErrorRow, ...]
    error_shape: ErrorShape | None
    requests: tuple[CodeExample, ...]
    examples: tuple[ResponseExample, ...]
    serving: ServingModels


@dataclass(frozen=True)
class ChannelMessage:
    name: str
    title: str
    summary: Markup
    schema: str
    fields: tuple[FieldRow, ...]
    examples: tuple[str, ...]  # pretty JSON payloads


@dataclass(frozen=True)
class RunEventsPage:
    title: str
    description: Markup
    lead: str
    server: str  # wss://realtime.empiriolabs.ai
    protocol: str
    channel: str  # /v1/runs/events
    url: str
    channel_description: Markup
    send: tuple[ChannelMessage, ...]  # what the client sends
    receive: tuple[ChannelMessage, ...]  # what the server sends


# ---------------------------------------------------------------------------------------------- pages

def api_pages(catalog: Catalog, spec: Spec, asyncapi: YamlDoc | None = None) -> list[Page]:
    """One page per operation in spec order, then the run-events channel (`asyncapi`: the checked document;
    by default the repository's, loaded here)."""
    pages = []
    for op in spec.operations:
        view = operation_page(catalog, spec, op)
        pages.append(Page(op.url, op.summary or op.id, "pages/operation.md.j2", view, view.lead))
    events = run_events_page(asyncapi or load_asyncapi(ASYNCAPI))
    pages.append(Page("api/run-events.md", events.title, "pages/run-events.md.j2", events, events.lead))
    return pages


def operation_page(catalog: Catalog, spec: Spec, op: Operation) -> OperationPage:
    api = api_of(catalog)
    schemas: dict[str, SchemaSection] = {}  # by anchor, in order of appearance
    responses, errors, examples = [], [], []
    known = known_codes(spec)
    error_media: list[tuple[str, Any]] = []
    for status, raw in op.raw.get("responses", {}).items():
        resp = spec.resolve(raw)
        media = []
        for ctype, body in resp.get("content", {}).items():
            link = _media_link(spec, ctype, body.get("schema"), schemas)
            media.append(link)
            if _success(status):
                examples += _response_examples(status, ctype, body)
            else:
                error_media.append((status, body))
        responses.append(ResponseRow(status, md_cell(resp.get("description", "")), tuple(media)))
        if not _success(status):
            errors.append(_error_row(status, resp, media[0] if media else None, known))
    shape = _error_shape(spec, error_media, schemas)
    body = _request_body(spec, op)
    return OperationPage(
        method=op.method, path=op.path, url=api.host + op.path, summary=op.summary or op.id,
        description=md(op.description), lead=_lead(op.description),
        auth=_auth(spec, op, api), parameters=_parameters(spec, op), body=body,
        responses=tuple(responses),
        schemas=tuple(s for s in schemas.values() if shape is None or s.anchor != shape.schema.anchor),
        errors=tuple(errors), error_shape=shape, requests=_request_examples(api, spec, op),
        examples=tuple(examples), serving=_serving(catalog, op))


def _success(status: str) -> bool:
    return status.startswith("2")


def _lead(text: str) -> str:
    flat = " ".join(str(text).split())
    m = re.match(r"(.+?[.!?])(\s|$)", flat)
    text = re.sub(r"<[^>]*>", "", m.group(1) if m else flat)  # meta text: no markup of any kind
    return text.replace("`", "").replace("<", "").replace(">", "")


def _auth(spec: Spec, op: Operation, api: Api) -> tuple[AuthScheme, ...]:
    requirements = op.raw.get("security", spec.data.get("security", []))
    defined = spec.data.get("components", {}).get("securitySchemes", {})
    out = []
    for req in requirements:
        for name in req:
            s = spec.resolve(defined.get(name, {}))
            if s.get("type") == "http" and s.get("scheme", "").lower() == "bearer":
                header = f"Authorization: Bearer ${api.key_env}"
            elif s.get("type") == "apiKey" and s.get("in") == "header":
                header = f"{s.get('name')}: ${api.key_env}"
            else:
                continue
            out.append(AuthScheme(name, header, md_cell(s.get("description", ""))))
    return tuple(out)


def _parameters(spec: Spec, op: Operation) -> tuple[ParamRow, ...]:
    rows = []
    for raw in op.raw.get("parameters", []):
        p = spec.resolve(raw)
        variants = _variants(spec.resolve, p.get("schema", {}))
        text = sentence(" ".join(str(p.get("description", "")).split()))
        allowed = "; ".join(x for x in (_values_text(variants), _range_text(variants)) if x)
        if allowed:
            text += f" Allowed: {allowed}."
        if "example" in p:
            text += f" Example: {code_span(code(p['example']))}."
        rows.append(ParamRow(p["name"], p.get("in", ""), md_cell(_type_text(spec.resolve, variants)),
                             bool(p.get("required")), md_cell(text)))
    return tuple(rows)


def _request_body(spec: Spec, op: Operation) -> RequestBody | None:
    rb = spec.resolve(op.raw.get("requestBody"))
    if not rb or not op.content_type:
        return None
    raw = rb["content"][op.content_type].get("schema", {})
    name = _ref_name(raw) or "Request body"
    schema = spec.resolve(raw)
    section = SchemaSection(name, _anchor(name), md(schema.get("description", "")),
                            flatten(spec.resolve, raw))
    return RequestBody(op.content_type, bool(rb.get("required")), section)


def _media_link(spec: Spec, ctype: str, raw: Any, schemas: dict[str, SchemaSection]) -> MediaLink:
    name = _ref_name(raw)
    if not name:
        return MediaLink(ctype, "", "")
    anchor = _anchor(name)
    if anchor not in schemas:
        schema = spec.resolve(raw)
        event = schema.get("contentSchema", {}).get("$ref")  # a stream: the schema of each event's data
        target = {"$ref": event} if event else raw
        schemas[anchor] = SchemaSection(name, anchor, md(schema.get("description", "")),
                                        flatten(spec.resolve, target, max_depth=RESPONSE_DEPTH),
                                        _ref_name(target) if event else "")
    return MediaLink(ctype, name, anchor)


def _response_examples(status: str, ctype: str, body: dict[str, Any]) -> list[ResponseExample]:
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


def known_codes(spec: Spec) -> frozenset[str]:
    """Every machine-readable `error.code` the spec's examples use."""
    codes = set()
    for resp in _all_responses(spec):
        for body in resp.get("content", {}).values():
            for ex in _example_values(body):
                err = ex.get("error") if isinstance(ex, dict) else None
                if isinstance(err, dict) and isinstance(err.get("code"), str):
                    codes.add(err["code"])
    return frozenset(codes)


def _all_responses(spec: Spec) -> list[dict[str, Any]]:
    out = list(spec.data.get("components", {}).get("responses", {}).values())
    out += [spec.resolve(r) for op in spec.operations for r in op.raw.get("responses", {}).values()]
    return [r for r in out if isinstance(r, dict)]


def _error_row(status: str, resp: dict[str, Any], link: MediaLink | None, known: frozenset[str]) -> ErrorRow:
    types: list[str] = []
    codes: list[str] = []
    for body in resp.get("content", {}).values():
        for ex in _example_values(body):
            if not isinstance(ex, dict) or not isinstance(ex.get("error"), dict):
                continue
            err = ex["error"]
            _add(types, err.get("type"))
            if "code" in err:
                _add(codes, err.get("code"))
            elif isinstance(err.get("message"), str):  # Anthropic: "model_not_found: the requested ..."
                m = re.match(r"^([a-z][a-z0-9_]*): ", err["message"])
                _add(codes, m.group(1) if m and m.group(1) in known else None)
    return ErrorRow(status, md_cell(resp.get("description", "")), tuple(types), tuple(codes), link)


def _add(items: list[str], value: Any) -> None:
    if isinstance(value, str) and value not in items:
        items.append(value)


def _example_values(body: dict[str, Any]) -> list[Any]:
    out = [body["example"]] if "example" in body else []
    out += [ex["value"] for ex in body.get("examples", {}).values() if isinstance(ex, dict) and "value" in ex]
    return out


def _error_shape(spec: Spec, error_media: list[tuple[str, Any]],
                 schemas: dict[str, SchemaSection]) -> ErrorShape | None:
    """The error schema most error responses share, with its skeleton and one example."""
    counts: dict[str, int] = {}
    for _, body in error_media:
        name = _ref_name(body.get("schema"))
        if name:
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    name = max(counts, key=lambda n: counts[n])
    anchor = _anchor(name)
    raw = {"$ref": f"#/components/schemas/{name}"}
    schema = spec.resolve(raw)
    example = next((v for status, body in error_media if _ref_name(body.get("schema")) == name
                    and status != "400" for v in _example_values(body)), None)
    error_obj = spec.resolve(schema.get("properties", {}).get("error", {}))
    in_message = "code" not in error_obj.get("properties", {})
    style = "Anthropic" if "type" in schema.get("properties", {}) else "OpenAI"
    return ErrorShape(schemas[anchor], _skeleton(spec.resolve, schema), style, in_message,
                      to_json(example) if example is not None else "")


def _skeleton(resolve: Resolve, schema: dict[str, Any]) -> str:
    """`{"type": "error", "error": {"type", "message"}}`: the keys of an object, one level down."""
    parts = []
    for key, raw in schema.get("properties", {}).items():
        sub = resolve(raw)
        if "const" in sub:
            parts.append(f"{json.dumps(key)}: {json.dumps(sub['const'])}")
        elif sub.get("properties"):
            parts.append(f"{json.dumps(key)}: {{" + ", ".join(json.dumps(k) for k in sub["properties"]) + "}")
        else:
            parts.append(json.dumps(key))
    return "{" + ", ".join(parts) + "}"


def _serving(catalog: Catalog, op: Operation) -> ServingModels:
    models = tuple(m for m in catalog.models if op.path in m.endpoints)
    return ServingModels(models if len(models) <= MANY_MODELS else (), len(models))


# ---------------------------------------------------------------------------------------------- examples

def _request_examples(api: Api, spec: Spec, op: Operation) -> tuple[CodeExample, ...]:
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
    tabs = [Snippet("cURL", "bash", curl(api, "GET", path))]
    sdk = OPENAI_SDK_GETS.get(op.path)
    if sdk:
        arg = ", ".join(json.dumps(a) for a in args)
        py_call, js_call, kind = sdk[0].format(arg=arg), sdk[1].format(arg=arg), sdk[2]
        py = ["import os", "", "from openai import OpenAI", "",
              f'client = OpenAI(base_url="{api.base_url}", api_key=os.environ["{api.key_env}"])', ""]
        js = ['import OpenAI from "openai";', "", "const client = new OpenAI({", f'  baseURL: "{api.base_url}",',
              f"  apiKey: process.env.{api.key_env},", "});", ""]
        if kind == "list":
            py += [f"for model in {py_call}:", "    print(model.id)"]
            js += [f"for await (const model of {js_call}) {{", "  console.log(model.id);", "}"]
        else:
            py += [f"model = {py_call}", "print(model.to_json())"]
            js += [f"const model = await {js_call};", "console.log(model);"]
        tabs += [Snippet("Python", "python", "\n".join(py)), Snippet("JavaScript", "javascript", "\n".join(js))]
    else:
        rel = path.removeprefix("/v1")
        py = ["import os", "", "import requests", "", f'API = "{api.base_url}"',
              f'HEADERS = {{"Authorization": f"Bearer {{os.environ[\'{api.key_env}\']}}"}}', "",
              f'response = requests.get(f"{{API}}{rel}", headers=HEADERS)', "response.raise_for_status()",
              "print(response.json())"]
        js = [f'const response = await fetch("{api.host}{path}", {{',
              f"  headers: {{ Authorization: `Bearer ${{process.env.{api.key_env}}}` }},", "});",
              "console.log(await response.json());"]
        tabs += [Snippet("Python", "python", "\n".join(py)), Snippet("JavaScript", "javascript", "\n".join(js))]
    return CodeExample(op.summary or op.id, op.path, {}, tuple(tabs))


# ---------------------------------------------------------------------------------------------- schemas → rows

def _ref_name(raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("$ref"), str) and raw["$ref"].startswith("#/components/"):
        return raw["$ref"].rsplit("/", 1)[-1]
    return ""


def _anchor(name: str) -> str:
    """The id mkdocs' toc gives a `### Name` heading."""
    return re.sub(r"[^\w-]", "", name.lower().replace(" ", "-"))


def _variants(resolve: Resolve, raw: Any, seen: frozenset[int] = frozenset()) -> list[dict[str, Any]]:
    """The non-union schemas a value may match: oneOf/anyOf flattened, refs followed."""
    schema = resolve(raw)
    if not isinstance(schema, dict) or id(schema) in seen:
        return []
    union = schema.get("oneOf") or schema.get("anyOf")
    if not union:
        return [schema]
    out: list[dict[str, Any]] = []
    for v in union:
        for s in _variants(resolve, v, seen | {id(schema)}):
            if all(s is not o for o in out):
                out.append(s)
    return out


def _types(resolve: Resolve, schema: dict[str, Any]) -> list[str]:
    if "const" in schema:
        c = schema["const"]
        return [schema["type"]] if isinstance(schema.get("type"), str) else [_json_type(c)]
    t = schema.get("type")
    kinds = t if isinstance(t, list) else [t] if t else []
    if not kinds:
        kinds = ["object"] if "properties" in schema else ["any"]
    out = []
    for k in kinds:
        if k == "array":
            items = _variants(resolve, schema.get("items", {}))
            inner = sorted({x for i in items for x in _types(resolve, i)}) if items else []
            out.append(f"array of {inner[0]}" if len(inner) == 1 and inner[0] not in ("object", "any") else "array")
        elif k == "string" and schema.get("format") == "binary":
            out.append("file")
        elif k == "string" and schema.get("format"):
            out.append(f"string ({schema['format']})")
        else:
            out.append(str(k))
    return out


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "integer"
    return "number"


def _type_text(resolve: Resolve, variants: list[dict[str, Any]]) -> str:
    out: list[str] = []
    for v in variants:
        for t in _types(resolve, v):
            if t not in out:
                out.append(t)
    if "null" in out:  # nullable last: `string | null`
        out = [t for t in out if t != "null"] + ["null"]
    return " | ".join(out) or "any"


def _values(variants: list[dict[str, Any]]) -> list[Any]:
    out: list[Any] = []
    for v in variants:
        for x in ([v["const"]] if "const" in v else v.get("enum", [])):
            if x not in out:
                out.append(x)
    return out


def _range(schema: dict[str, Any]) -> list[str]:
    out = []
    lo, hi = schema.get("minimum"), schema.get("maximum")
    xlo, xhi = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if lo is not None and hi is not None:
        out.append(f"{code(lo)} to {code(hi)}")
    else:
        low = f"≥ {code(lo)}" if lo is not None else f"above {code(xlo)}" if xlo is not None else ""
        high = f"≤ {code(hi)}" if hi is not None else f"below {code(xhi)}" if xhi is not None else ""
        if low or high:
            out.append(" and ".join(x for x in (low, high) if x))
    for lo_key, hi_key, unit in (("minLength", "maxLength", "characters"), ("minItems", "maxItems", "items")):
        a, b = schema.get(lo_key), schema.get(hi_key)
        if a is not None and b is not None:
            out.append(f"{a} to {b} {unit}")
        elif b is not None:
            out.append(f"up to {b} {unit}")
        elif a is not None and a > 1:
            out.append(f"at least {a} {unit}")
        elif a == 1:
            out.append("non-empty" if unit == "characters" else "at least 1 item")
    if schema.get("pattern"):
        out.append(f"pattern {code_span(schema['pattern'])}")
    return out


def _values_text(variants: list[dict[str, Any]]) -> str:
    return ", ".join(code_span(code(v)) for v in _values(variants))


def _range_text(variants: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for v in variants:
        parts += [r for r in _range(v) if r not in parts]
    return "; ".join(parts)


def _default(variants: list[dict[str, Any]], raw: dict[str, Any]) -> str:
    for s in (raw, *variants):
        if isinstance(s, dict) and "default" in s:
            return code_span(json.dumps(plain(s["default"]), ensure_ascii=False))
    return ""


@dataclass
class _Alt:
    """One object schema a position in the body may take, with what tells it apart from its siblings."""

    schema: dict[str, Any]
    label: tuple[str, ...] = ()


def flatten(resolve: Resolve, raw: Any, *, max_depth: int = MAX_DEPTH) -> tuple[FieldRow, ...]:
    """Every field of an object schema as table rows, nested fields under dotted names."""
    alts = [_Alt(s) for s in _variants(resolve, raw) if s.get("properties")]
    return tuple(_rows(resolve, alts, "", 1, max_depth, frozenset()))


def _discriminate(resolve: Resolve, alts: list[_Alt]) -> str:
    """Label each alternative by the property whose const/enum tells it apart; return that property."""
    if len(alts) < 2:
        return ""
    candidates = []
    for name in alts[0].schema.get("properties", {}):
        subs = [resolve(a.schema.get("properties", {}).get(name)) for a in alts]
        if all(isinstance(s, dict) and ("const" in s or "enum" in s) for s in subs):
            candidates.append(name)
    if not candidates:
        return ""
    disc = "type" if "type" in candidates else "role" if "role" in candidates else candidates[0]
    for a in alts:
        s = resolve(a.schema["properties"][disc])
        a.label = tuple(code(v) for v in ([s["const"]] if "const" in s else s["enum"]))
    return disc


def _rows(resolve: Resolve, alts: list[_Alt], prefix: str, depth: int, max_depth: int,
          seen: frozenset[int]) -> list[FieldRow]:
    disc = _discriminate(resolve, alts)
    names: list[str] = []
    for a in alts:
        names += [n for n in a.schema.get("properties", {}) if n not in names]
    aliases: dict[str, list[str]] = {}
    for a in alts:
        for n, raw in a.schema.get("properties", {}).items():
            m = ALIAS_OF.match(str(resolve(raw).get("description", "")))
            if m and m.group(1) in names and n not in aliases.get(m.group(1), []):
                aliases.setdefault(m.group(1), []).append(n)
    hidden = {n for group in aliases.values() for n in group}
    seen = seen | {id(a.schema) for a in alts}  # a schema met again below itself is not expanded twice
    out = []
    for name in names:
        if name in hidden:
            continue
        entries = [(a, a.schema["properties"][name], name in a.schema.get("required", []))
                   for a in alts if name in a.schema.get("properties", {})]
        row, children = _row(resolve, alts, disc, prefix + name, entries, depth, aliases.get(name, []))
        groups: dict[str, list[_Alt]] = {}
        for sep, schema in children:
            if id(schema) not in seen:
                groups.setdefault(sep, []).append(_Alt(schema))
        if not groups:
            out.append(row)
        elif depth < max_depth:
            out.append(row)
            for sep, group in groups.items():
                out += _rows(resolve, group, prefix + name + sep, depth + 1, max_depth, seen)
        else:
            out.append(_collapsed(row, groups))
    return out


def _row(resolve: Resolve, alts: list[_Alt], disc: str, name: str, entries: list[tuple[_Alt, Any, bool]],
         depth: int, aliases: list[str]) -> tuple[FieldRow, list[tuple[str, dict[str, Any]]]]:
    """The row of one field, merged over the alternatives that have it, and its nested object schemas."""
    variants: list[dict[str, Any]] = []
    children: list[tuple[str, dict[str, Any]]] = []
    descriptions: list[tuple[tuple[str, ...], str]] = []
    for alt, raw, _ in entries:
        vs = _variants(resolve, raw)
        variants += [v for v in vs if all(v is not o for o in variants)]
        text = " ".join(str((raw if isinstance(raw, dict) and raw.get("description") else resolve(raw))
                            .get("description", "")).split())
        if text and text not in [d for _, d in descriptions]:
            descriptions.append((alt.label, text))
        for v in vs:
            if v.get("properties"):
                children.append((".", v))
            if v.get("type") == "array" or "array" in (v.get("type") or []):
                children += [("[].", item) for item in _variants(resolve, v.get("items", {}))
                             if item.get("properties")]
    labelled = disc and len(alts) > 1
    present = [v for a, _, _ in entries for v in a.label]
    required = [v for a, _, r in entries if r for v in a.label]
    if len(descriptions) > 1 and labelled:
        text = " ".join(f"{' or '.join(code_span(v) for v in lbl)}: {sentence(d)}" if lbl else sentence(d)
                        for lbl, d in descriptions)
    else:
        text = sentence(descriptions[0][1]) if descriptions else ""
    notes = []
    if aliases:
        notes.append(f"Also accepted as {or_list(aliases)}.")
    is_required = len(entries) == len(alts) and all(r for _, _, r in entries)
    if labelled and name.rsplit(".", 1)[-1].removeprefix("[]") != disc:
        if len(entries) < len(alts):
            when = f"Only when {code_span(disc)} is {or_list(present)}"
            notes.append(when + (", and then required." if required == present else
                                 f"; required when it is {or_list(required)}." if required else "."))
        elif required and not is_required:  # present everywhere, required in some forms
            notes.append(f"Required when {code_span(disc)} is {or_list(required)}.")
    description = " ".join(x for x in [text, *notes] if x)
    row = FieldRow(
        name=name, type=md_cell(_type_text(resolve, variants)), required=is_required,
        default=md_cell(_default(variants, resolve(entries[0][1]))), values=md_cell(_values_text(variants)),
        range=md_cell(_range_text(variants)), description=md_cell(description), depth=depth)
    unique: list[tuple[str, dict[str, Any]]] = []
    for sep, schema in children:
        if all(sep != s2 or schema is not o for s2, o in unique):
            unique.append((sep, schema))
    return row, unique


def _collapsed(row: FieldRow, groups: dict[str, list[_Alt]]) -> FieldRow:
    """A row whose nested fields are past the depth limit: name them in a sentence instead."""
    sentences = []
    for sep, children in groups.items():
        forms = [", ".join(code_span(n) + (" (required)" if n in c.schema.get("required", []) else "")
                           for n in c.schema.get("properties", {})) for c in children]
        whose = "Each item has" if sep == "[]." else "Has"
        if len(forms) == 1:
            sentences.append(f"{whose} the fields {forms[0]}.")
        else:
            sentences.append(f"{whose} one of {len(forms)} sets of fields: " + "; or ".join(forms) + ".")
    extra = md_cell(" ".join(sentences))
    desc = Markup(f"{row.description} {extra}" if row.description else extra)
    return FieldRow(row.name, row.type, row.required, row.default, row.values, row.range, desc, row.depth)


# ---------------------------------------------------------------------------------------------- run events

def run_events_page(doc: YamlDoc) -> RunEventsPage:
    """The run-events page from the checked AsyncAPI document."""
    data = doc.data
    resolve = _resolver(data)
    server = next(iter(data["servers"].values()))
    channel, item = next(iter(data["channels"].items()))
    send = tuple(_channel_messages(resolve, item["publish"]["message"])) if "publish" in item else ()
    receive = tuple(_channel_messages(resolve, item["subscribe"]["message"])) if "subscribe" in item else ()
    host = server["url"].rstrip("/")
    info = data["info"]
    return RunEventsPage(
        title="Run events (WebSocket)", description=md(info.get("description", "")),
        lead=_lead(item.get("description") or info.get("description", "")), server=host,
        protocol=server.get("protocol", ""), channel=channel, url=host + channel,
        channel_description=md(item.get("description", "")), send=send, receive=receive)


def _channel_messages(resolve: Resolve, raw: Any) -> list[ChannelMessage]:
    message = resolve(raw)
    out = []
    for m in ([resolve(x) for x in message["oneOf"]] if "oneOf" in message else [message]):
        payload_raw = m["payload"]
        examples = tuple(to_json(e["payload"]) for e in m.get("examples", []) if "payload" in e)
        out.append(ChannelMessage(m.get("name", ""), m.get("title") or m.get("name", ""),
                                  md_cell(m.get("summary") or m.get("description", "")), _ref_name(payload_raw),
                                  flatten(resolve, payload_raw), examples))
    return out


def _resolver(data: Any) -> Resolve:
    def resolve(schema: Any) -> Any:
        hops = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/"):
            node = data
            for part in schema["$ref"][2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema, hops = node, hops + 1
            if hops > 50:
                raise KeyError(schema)
        return schema
    return resolve


def load_asyncapi(path: Path) -> YamlDoc:
    """Parse and check the AsyncAPI document; raise BuildError with file:line problems."""
    file = display_path(path)
    if not path.is_file():
        raise BuildError([Problem(file, 0, "AsyncAPI file not found; the run-events page is built from it")])
    try:
        doc = load_yaml(path)
    except YamlError as err:
        raise BuildError([Problem(file, err.line, err.message)]) from None
    problems = _asyncapi_problems(doc)
    if problems:
        raise BuildError([Problem(file, doc.line(where), message, where) for where, message in problems])
    return doc


def _asyncapi_problems(doc: YamlDoc) -> list[tuple[str, str]]:
    data = doc.data
    if not isinstance(data, dict) or not str(data.get("asyncapi", "")).startswith("2.6"):
        return [("$", "not an AsyncAPI 2.6 document: set `asyncapi: 2.6.0`")]
    problems: list[tuple[str, str]] = []
    if not isinstance(data.get("info"), dict) or not data["info"].get("title"):
        problems.append(("$.info", "`info.title` is required"))
    servers = data.get("servers")
    if not isinstance(servers, dict) or not servers:
        problems.append(("$.servers", "`servers` must name at least one server"))
    else:
        for name, s in servers.items():
            if not isinstance(s, dict) or not s.get("url") or not s.get("protocol"):
                problems.append((f"$.servers.{name}", "a server needs `url` and `protocol`"))
    channels = data.get("channels")
    if not isinstance(channels, dict) or len(channels) != 1:
        return problems + [("$.channels", "`channels` must hold exactly one channel (the run-events channel)")]
    resolve = _resolver(data)
    (name, item), = channels.items()
    where = json_path(["channels", name])
    if not isinstance(item, dict) or not ({"publish", "subscribe"} & set(item)):
        return problems + [(where, "the channel needs a `publish` or `subscribe` operation")]
    for op in ("publish", "subscribe"):
        if op not in item:
            continue
        at = json_path(["channels", name, op, "message"])
        try:
            raw = item[op].get("message")
            message = resolve(raw)
            refs = [(m, _where(m, f"{at}.oneOf[{i}]")) for i, m in enumerate(message["oneOf"])] \
                if "oneOf" in message else [(raw, _where(raw, at))]
            messages = [(resolve(m), w) for m, w in refs]
        except (KeyError, TypeError, AttributeError):
            problems.append((at, "the message cannot be resolved: check its `$ref`"))
            continue
        for m, w in messages:
            problems += _message_problems(data, resolve, m, w)
    return problems


def _where(raw: Any, fallback: str) -> str:
    """The JSON path a local `$ref` points to, so problems are reported where the thing is written."""
    if isinstance(raw, dict) and isinstance(raw.get("$ref"), str) and raw["$ref"].startswith("#/"):
        return json_path(p.replace("~1", "/").replace("~0", "~") for p in raw["$ref"][2:].split("/"))
    return fallback


def _message_problems(data: Any, resolve: Resolve, message: Any, at: str) -> list[tuple[str, str]]:
    if not isinstance(message, dict) or not message.get("name") or "payload" not in message:
        return [(at, "a message needs a `name` and a `payload`")]
    try:
        payload = resolve(message["payload"])
    except (KeyError, TypeError):
        return [(at, "the payload cannot be resolved: check its `$ref`")]
    if not isinstance(payload, dict) or not payload.get("properties"):
        return [(at, "the payload must be an object schema with `properties`")]
    problems: list[tuple[str, str]] = []
    root = {**data, "$ref": message["payload"]["$ref"]} if "$ref" in message["payload"] else {**payload}
    validator = jsonschema.Draft7Validator(root, format_checker=jsonschema.FormatChecker())
    examples = message.get("examples", [])
    for i, ex in enumerate(examples if isinstance(examples, list) else []):
        if not isinstance(ex, dict) or "payload" not in ex:
            continue
        try:
            errors = list(validator.iter_errors(plain(ex["payload"])))
        except Exception as err:  # noqa: BLE001 - a broken payload schema, found while checking the example
            return problems + [(at, f"the payload schema of message {message['name']!r} cannot be used "
                                    f"({type(err).__name__}); check it is a valid JSON Schema")]
        for error in errors:
            where = f"{at}.examples[{i}].payload"
            for part in error.absolute_path:
                where = child_path(where, part)
            problems.append((where, f"example of message {message['name']!r}: {error.message}"))
    return problems
