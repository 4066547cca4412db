"""One request an example makes, checked against openapi.yaml and the catalog: the operation exists, its
path, query and body are what the operation takes, and the key comes from the docs' key variable."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.doccheck.blocks import Finding
from generator.load.yamlfile import child_path, node_lines
from generator.problems import Problem, did_you_mean, display_path
from generator.validate.examples import request_findings, unknown_model


@dataclass
class Request:
    """One request an example makes."""

    method: str
    path: str  # concrete path, without query
    query: str
    body: Any = None
    has_body: bool = False
    line: int = 1  # 1-based line in the block where the command starts
    body_lines: Any = None  # json path -> 1-based line in the block (or a function computing it)
    skipped: frozenset[str] = frozenset()  # keys whose values could not be read (variables)

    def line_of(self, where: str) -> int:
        """The line of the body's `where` (or of its nearest parent), else the request's own line."""
        if callable(self.body_lines):
            self.body_lines = self.body_lines()
        line = nearest_line(self.body_lines or {}, where) if self.body_lines else None
        return line or self.line


class RequestChecker:
    """What every example is checked against: the platform's host and key, the operations of openapi.yaml
    and the catalog."""

    def __init__(self, catalog: Any, spec: Any):
        self.catalog = catalog
        self.spec = spec
        p = catalog.platform
        self.host = str(p.api_host).rstrip("/")
        self.base_url = str(p.api_base_url).rstrip("/")
        self.key_env = str(p.key_env)
        self.key_prefix = str(p.key_prefix)
        self.templates = [
            (op, re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(op.path)) + "$"))
            for op in spec.operations
        ]
        self.unchecked = {(op.path, canonical(body)) for op, body in opted_out_examples(spec)}
        # bodies of openapi.yaml's own examples are checked where they are written (spec_example_problems)
        self.at_source = {(op.path, canonical(body)) for op, _, _, body in spec_examples(spec)}

    def operation(self, method: str, path: str) -> Any:
        for op, rx in self.templates:
            if op.method == method and rx.match(path):
                return op
        return None

    def label(self, method: str, path: str) -> str:
        """`POST /v1/chat/completions`: the operation's own path when the request has one."""
        op = self.operation(method, path)
        return f"{op.method} {op.path}" if op is not None else f"{method} {path}"

    def request(self, req: Request) -> list[Finding]:
        """Check one request: that the operation exists, its path and query, and its body."""
        op = self.operation(req.method, req.path)
        if op is None:
            return [self._no_operation(req)]
        name = f"{op.method} {op.path} example"
        out = self._query(req, op, name) + self._model(req, op, name)
        if not req.has_body:
            if op.method == "POST" and op.raw.get("requestBody", {}).get("required"):
                out.append(Finding(req.line, f"{name}: sends no body; the operation requires one"))
            return out
        if self.spec.request_pointer(op) is None:
            return out + [Finding(req.line, f"{name}: sends a body, but the operation takes none")]
        return out + self._body(req, op, name)

    def request_sent_unseen(self, req: Request) -> list[Finding]:
        """`request` for a body the example builds where we cannot see it: all but its absence."""
        req.has_body = False
        return [f for f in self.request(req) if "sends no body" not in f.message]

    def _no_operation(self, req: Request) -> Finding:
        same = [o.path for o in self.spec.operations if o.method == req.method]
        longer = [p for p in same if p.startswith(req.path.rstrip("/") + "/")]
        hint = longer[:1] or difflib.get_close_matches(req.path, same, n=1, cutoff=0.6)
        tail = f" (did you mean {req.method} {hint[0]}?)" if hint else ""
        return Finding(req.line, f"{req.method} {req.path} is not an operation of openapi.yaml{tail}")

    def _query(self, req: Request, op: Any, name: str) -> list[Finding]:
        out: list[Finding] = []
        params = op.raw.get("parameters", [])
        allowed = [p["name"] for p in params if p.get("in") == "query"]
        for key in _query_keys(req.query):
            if not any(p.get("in") == "query" and p.get("name") == key for p in params):
                out.append(
                    Finding(
                        req.line,
                        f"{name}: unknown query parameter {key!r}{did_you_mean(key, allowed)}"
                        + (f"; it takes {', '.join(allowed)}" if allowed else "; it takes none"),
                    )
                )
        return out

    def _model(self, req: Request, op: Any, name: str) -> list[Finding]:
        if "{model_id}" not in op.path:
            return []
        model_id = req.path.rsplit("/", 1)[-1]
        if "\0" in model_id or self.catalog.model(model_id) is not None:
            return []
        return [Finding(req.line, f"{name}: {unknown_model(model_id, self.catalog)}")]

    def _body(self, req: Request, op: Any, name: str) -> list[Finding]:
        example = (op.path, canonical(req.body))
        if example in self.at_source:
            return []
        found = request_findings(
            self.spec, self.catalog, op.path, req.body, method=op.method, check_model=example not in self.unchecked
        )
        return [
            Finding(req.line_of(where), f"{name}: {say(where, message)}")
            for where, message in found
            if not _about_skipped(where, message, req.skipped)
        ]

    def url_path(self, url: str) -> tuple[str, str] | None:
        """(path, query) of an API URL on the platform's host; None for other hosts."""
        if not url.startswith(self.host + "/") and url != self.host:
            return None
        rest = url[len(self.host) :]
        path, _, query = rest.partition("?")
        return path, query

    def foreign_api_url(self, url: str) -> str | None:
        """A message when `url` looks like an API call to another host."""
        m = re.match(r"https?://[^/\s]+(/v1(/\S*)?)$", url)
        if m and not url.startswith(self.host):
            return f"calls {url.split('/v1')[0]}, not the {self.host} API host; use {self.host}{m[1]}"
        return None

    def key_finding(self, line: int, source: str | None, what: str) -> list[Finding]:
        """Where the key comes from: it must be the platform's key variable."""
        if source is None:
            return []
        if source == "<literal>":
            return [Finding(line, f"{what} hard-codes an API key; read it from {self.key_env}")]
        if source != self.key_env:
            return [Finding(line, f"{what} reads the key from {source}; the docs' key variable is {self.key_env}")]
        return []


def form_body(spec: Any, op: Any, fields: dict[str, str], files: dict[str, str]) -> dict[str, Any]:
    """A multipart form as the request schema sees it: text fields typed as their schema says, file parts
    as their file names."""
    pointer = spec.request_pointer(op) if op is not None else None
    props = spec.resolve({"$ref": pointer}).get("properties", {}) if pointer else {}
    body: dict[str, Any] = {}
    for key, text in fields.items():
        schema = spec.resolve(props.get(key, {}))
        kinds = schema.get("type", "string") if isinstance(schema, dict) else "string"
        kinds = kinds if isinstance(kinds, list) else [kinds]
        value: Any = text
        if "string" not in kinds:
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                value = text
        body[key] = value
    body.update(files)
    return body


def canonical(body: Any) -> str:
    from generator.snippets import plain

    try:
        return json.dumps(plain(body), sort_keys=True)
    except (TypeError, ValueError):
        return repr(body)


def _query_keys(query: str) -> list[str]:
    return [part.split("=", 1)[0] for part in query.split("&") if part]


def _about_skipped(where: str, message: str, skipped: frozenset[str]) -> bool:
    """A finding about a value the example computes at run time (a variable), which we cannot see."""
    for key in skipped:
        if where == f"$.{key}" or where.startswith(f"$.{key}.") or where.startswith(f"$.{key}["):
            return True
        if "missing" in message and repr(key) in message:
            return True
    return False


# ------------------------------------------------------------------------------------------ JSON paths


def path_parts(json_path: str) -> list[Any]:
    """`$.messages[0].role` -> ['messages', 0, 'role']."""
    parts: list[Any] = []
    for m in re.finditer(r"\.([^.\[]+)|\[(\d+)\]|\[(['\"])(.*?)\3\]", json_path):
        if m[1] is not None:
            parts.append(m[1])
        elif m[2] is not None:
            parts.append(int(m[2]))
        else:
            parts.append(m[4])
    return parts


def say(where: str, message: str) -> str:
    """`$.x: message`, or just the message for the whole body."""
    return message if where in ("", "$") else f"{where}: {message}"


def json_lines(text: str) -> dict[str, int]:
    """0-based line of each JSON path of a JSON text (JSON is YAML), {} when it cannot be read."""
    import yaml

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    return {path: line - 1 for path, line in node_lines(node).items()}


def nearest_line(lines: dict[str, int], json_path: str) -> int | None:
    """The line of `json_path` or of its nearest parent that has one."""
    parts = path_parts(json_path)
    while True:
        path = "$"
        for p in parts:
            path = child_path(path, p)
        if path in lines:
            return lines[path]
        if not parts:
            return None
        parts.pop()


# ------------------------------------------------------------------------------------------ openapi.yaml's own


def spec_examples(spec: Any) -> Iterator[tuple[Any, str, str, Any]]:
    """(operation, media type, example name, body) of every request example of openapi.yaml."""
    for op in spec.operations:
        for ctype, media in op.raw.get("requestBody", {}).get("content", {}).items():
            if "example" in media:
                yield op, ctype, "", media["example"]
            for name, ex in (media.get("examples") or {}).items():
                if isinstance(ex, dict) and "value" in ex:
                    yield op, ctype, name, ex["value"]


def opted_out_examples(spec: Any) -> Iterator[tuple[Any, Any]]:
    """(operation, body) of the request examples of openapi.yaml marked `x-catalog-check: false`: their
    model need not be in the catalog (the API reference shows them as they are)."""
    for op, ctype, name, body in spec_examples(spec):
        media = op.raw["requestBody"]["content"][ctype]
        ex = media.get("examples", {}).get(name) if name else media
        if isinstance(ex, dict) and ex.get("x-catalog-check") is False:
            yield op, body


def spec_example_problems(spec: Any, catalog: Any) -> list[Problem]:
    """openapi.yaml's request examples against the catalog: the model exists, serves the operation and
    accepts the values (their schema is checked by spec.load_spec)."""
    from generator.validate.schemas import json_path

    unchecked = {(op.path, canonical(body)) for op, body in opted_out_examples(spec)}
    out: list[Problem] = []
    file = display_path(spec.doc.path)
    for op, ctype, name, body in spec_examples(spec):
        if (op.path, canonical(body)) in unchecked or not isinstance(body, dict):
            continue
        base = ["paths", op.path, op.method.lower(), "requestBody", "content", ctype]
        base += ["examples", name, "value"] if name else ["example"]
        label = f"{op.method} {op.path} example {name!r}" if name else f"{op.method} {op.path} example"
        for where, message in request_findings(spec, catalog, op.path, body, method=op.method):
            line = spec.doc.line(json_path(base + path_parts(where)))
            out.append(Problem(file, line, f"{label}: {say(where, message)}"))
    return out
