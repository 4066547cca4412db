"""Every example and every number in the docs, checked against the data they describe.

Code blocks of the rendered pages are parsed the way their reader's tools would parse them: cURL
commands as bash does (quoting, line continuations, variable expansion), Python by the compiler,
JavaScript by Node. The requests they make are checked against openapi.yaml and the catalog by
`examples.request_findings`. Numbers typed in prose are compared with the data that knows them.
Findings in guides point at the Jinja template line that holds the text.
"""

from __future__ import annotations

import ast
import difflib
import importlib.util
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import Any

from generator import cache
from generator.views import render
from generator.validate.examples import request_findings
from generator.problems import Problem, display_path
from generator.load.yamlfile import child_path

# ------------------------------------------------------------------------------------------ blocks

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+#.-]*)")


@dataclass(frozen=True)
class Block:
    """One fenced code block: the 1-based line of its opening fence, its language and its code
    (dedented by the fence's own indentation, as inside content tabs)."""

    line: int
    language: str
    code: str


def code_blocks(markdown: str) -> list[Block]:
    """Every fenced code block of `markdown`, in order; indented fences (content tabs) included."""
    blocks: list[Block] = []
    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang = len(m["indent"]), m["fence"], m["lang"].lower()
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            stripped = lines[j].strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                break
            text = lines[j]
            body.append(text[indent:] if text[:indent].strip() == "" else text.lstrip())
            j += 1
        blocks.append(Block(i + 1, lang, "\n".join(body)))
        i = j + 1
    return blocks


# ------------------------------------------------------------------------------------------ helpers

@dataclass(frozen=True)
class Finding:
    """Something wrong inside one code block: `line` is 1-based within the block's code (0: the fence)."""

    line: int
    message: str


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


def _say(where: str, message: str) -> str:
    """`$.x: message`, or just the message for the whole body."""
    return message if where in ("", "$") else f"{where}: {message}"


def json_lines(text: str) -> dict[str, int]:
    """0-based line of each JSON path of a JSON text (JSON is YAML), {} when it cannot be read."""
    import yaml

    lines: dict[str, int] = {}

    def walk(node: Any, path: str) -> None:
        lines[path] = node.start_mark.line
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(v, child_path(path, k.value))
                lines.setdefault(child_path(path, k.value) + "#key", k.start_mark.line)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, child_path(path, i))

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    if node is not None:
        walk(node, "$")
    return lines


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


# ------------------------------------------------------------------------------------------ checker

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


class DocChecker:
    """Checks one code block at a time against the spec and the catalog."""

    def __init__(self, catalog: Any, spec: Any):
        self.catalog = catalog
        self.spec = spec
        p = catalog.platform
        self.host = str(p.api_host).rstrip("/")
        self.base_url = str(p.api_base_url).rstrip("/")
        self.key_env = str(p.key_env)
        self.key_prefix = str(p.key_prefix)
        self.templates = [(op, re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(op.path)) + "$"))
                          for op in spec.operations]
        self.unchecked = {(op.path, _canonical(body)) for op, body in opted_out_examples(spec)}
        self.last_op: Any = None  # the operation the last curl command called
        # bodies of openapi.yaml's own examples are checked where they are written (spec_example_problems)
        self.at_source = {(op.path, _canonical(body)) for op, _, _, body in spec_examples(spec)}

    # ---------------------------------------------------------------- dispatch

    def findings(self, block: Block) -> list[Finding]:
        lang = block.language
        if lang in ("bash", "sh", "shell", "console", "zsh", "curl"):
            return self.shell(block.code)
        if lang in ("python", "py", "python3"):
            return self.python(block.code)
        if lang == "http":
            return self.http(block.code)
        if lang == "json":
            return self.json_block(block.code)
        return []

    # ---------------------------------------------------------------- requests

    def operation(self, method: str, path: str) -> Any:
        for op, rx in self.templates:
            if op.method == method and rx.match(path):
                return op
        return None

    def request(self, req: Request) -> list[Finding]:
        """Check one request: that the operation exists, its path and query, and its body."""
        out: list[Finding] = []
        op = self.operation(req.method, req.path)
        if op is None:
            same = [o.path for o in self.spec.operations if o.method == req.method]
            longer = [p for p in same if p.startswith(req.path.rstrip("/") + "/")]
            hint = longer[:1] or difflib.get_close_matches(req.path, same, n=1, cutoff=0.6)
            tail = f" (did you mean {req.method} {hint[0]}?)" if hint else ""
            return [Finding(req.line, f"{req.method} {req.path} is not an operation of openapi.yaml{tail}")]
        name = f"{op.method} {op.path} example"
        params = op.raw.get("parameters", [])
        for key in _query_keys(req.query):
            if not any(p.get("in") == "query" and p.get("name") == key for p in params):
                allowed = [p["name"] for p in params if p.get("in") == "query"]
                out.append(Finding(req.line, f"{name}: unknown query parameter {key!r}"
                                   + (f" (it takes {', '.join(allowed)})" if allowed else " (it takes none)")))
        if "{model_id}" in op.path:
            model_id = req.path.rsplit("/", 1)[-1]
            if "\0" not in model_id and self.catalog.model(model_id) is None:
                hint = difflib.get_close_matches(model_id, [m.id for m in self.catalog.models], n=1)
                out.append(Finding(req.line, f"{name}: unknown model {model_id!r}; it is not in the catalog"
                                   + (f" (did you mean {hint[0]!r}?)" if hint else "")))
        if not req.has_body:
            if op.method == "POST" and op.raw.get("requestBody", {}).get("required"):
                out.append(Finding(req.line, f"{name}: sends no body; the operation requires one"))
            return out
        if self.spec.request_pointer(op) is None:
            out.append(Finding(req.line, f"{name}: sends a body, but the operation takes none"))
            return out
        example = (op.path, _canonical(req.body))
        if example in self.at_source:
            return out
        check_model = example not in self.unchecked
        for where, message in request_findings(self.spec, self.catalog, op.path, req.body, method=op.method,
                                               check_model=check_model):
            if _about_skipped(where, message, req.skipped):
                continue
            if callable(req.body_lines):
                req.body_lines = req.body_lines()
            line = nearest_line(req.body_lines or {}, where) if req.body_lines else None
            out.append(Finding(line or req.line, f"{name}: {_say(where, message)}"))
        return out

    def url_path(self, url: str) -> tuple[str, str] | None:
        """(path, query) of an API URL on the platform's host; None for other hosts."""
        if not url.startswith(self.host + "/") and url != self.host:
            return None
        rest = url[len(self.host):]
        path, _, query = rest.partition("?")
        return path, query

    def foreign_api_url(self, url: str) -> str | None:
        """A message when `url` looks like an API call to another host."""
        m = re.match(r"https?://[^/\s]+(/v1(/\S*)?)$", url)
        if m and not url.startswith(self.host):
            return (f"calls {url.split('/v1')[0]}, not the {self.host} API host; "
                    f"use {self.host}{m[1]}")
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

    # ---------------------------------------------------------------- shell

    def shell(self, code: str) -> list[Finding]:
        try:
            import bashlex
        except ImportError:  # reported once by check_docs
            return []

        joined, where = join_continuations(code)
        try:
            trees = bashlex.parse(joined)
        except Exception:  # bashlex covers most of bash, not all of it: ask bash itself
            return self._bash_syntax(code)
        out: list[Finding] = []
        targets: dict[int, Any] = {}

        def line_of(pos: int) -> int:
            return joined_line(code, where, pos)

        for cmd in _commands(trees):
            words = [w for w in cmd.parts if w.kind == "word"]
            if not words or words[0].word != "curl":
                continue
            self.last_op = None
            out += self.curl(words, joined, line_of)
            targets[id(cmd)] = self.last_op
        for pipeline in _pipelines(trees):
            for left, right in zip(pipeline, pipeline[1:]):
                op = targets.get(id(left))
                words = [w for w in right.parts if w.kind == "word"]
                if op is not None and words and words[0].word == "jq":
                    out += self.jq(op, [_word(w, joined) for w in words[1:]], line_of(right.pos[0]))
        return out

    def jq(self, op: Any, args: list[str], line: int) -> list[Finding]:
        """A `jq` filter reading a field of the response must name a field the response has."""
        filt = next((a for a in args if not a.startswith("-")), "")
        m = re.fullmatch(r"\.(\w+)(?:\.(\w+))*", filt)
        if not m:
            return []
        schema = self.response_schema(op)
        for name in filt[1:].split("."):
            schema = self.spec.resolve(schema) if schema is not None else None
            props = schema.get("properties") if isinstance(schema, dict) else None
            if not isinstance(props, dict):
                return []
            if name not in props:
                hint = difflib.get_close_matches(name, list(props), n=1)
                return [Finding(line, f"{op.method} {op.path} example: jq reads {filt!r}, but the response has no "
                                f"field {name!r}" + (f" (did you mean '.{hint[0]}'?)" if hint else
                                                      f"; it has {', '.join(props)}"))]
            schema = props[name]
        return []

    def response_schema(self, op: Any) -> Any:
        for status, resp in op.raw.get("responses", {}).items():
            if status.startswith("2"):
                media = self.spec.resolve(resp).get("content", {}).get("application/json")
                if media and "schema" in media:
                    return media["schema"]
        return None

    def _bash_syntax(self, code: str) -> list[Finding]:
        bash = shutil.which("bash")
        if not bash:
            return []
        proc = subprocess.run([bash, "-n", "-c", code], capture_output=True, text=True)
        if proc.returncode == 0:
            return []
        m = re.search(r"line (\d+): (.*)", proc.stderr)
        return [Finding(int(m[1]) if m else 1, f"shell example does not parse: {m[2] if m else proc.stderr.strip()}")]

    def curl(self, words: list[Any], joined: str, line_of: Any) -> list[Finding]:
        start = line_of(words[0].pos[0])
        method, url_word = None, None
        headers: list[Any] = []
        data: list[Any] = []
        forms: list[Any] = []
        i = 1
        while i < len(words):
            w = words[i]
            text = w.word
            arg = words[i + 1] if i + 1 < len(words) else None
            if text in ("-X", "--request"):
                method = arg.word.upper() if arg else None
                i += 2
                continue
            if text in ("-H", "--header"):
                if arg is not None:
                    headers.append(arg)
                i += 2
                continue
            if text in ("-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json"):
                if arg is not None:
                    data.append(arg)
                i += 2
                continue
            if text in ("-F", "--form"):
                if arg is not None:
                    forms.append(arg)
                i += 2
                continue
            if text == "--url":
                url_word = arg
                i += 2
                continue
            if text in CURL_ARG_OPTIONS:
                i += 2
                continue
            if text.startswith("-") and len(text) > 1:
                i += 1
                continue
            if url_word is None:
                url_word = w
            i += 1
        if url_word is None:
            return [Finding(start, "curl example has no URL")]
        url = _expanded(url_word, joined)
        method = method or ("POST" if data or forms else "GET")
        out: list[Finding] = []
        split = self.url_path(url)
        if split is None:
            problem = self.foreign_api_url(url)
            return [Finding(start, f"curl example {problem}")] if problem else []
        path, query = split
        label = f"{method} {path}"
        op = self.operation(method, path)
        self.last_op = op
        if op is not None:
            label = f"{op.method} {op.path}"
        out += self._curl_auth(headers, joined, line_of, start, label)
        req = Request(method, path, query, line=start)
        if data:
            word = data[-1]
            if _word(word, joined).startswith("@"):
                req.has_body = False  # the body is read from a file we cannot see
                return out + [f for f in self.request(req) if "sends no body" not in f.message]
            if any(p.kind in ("parameter", "commandsubstitution") for p in _parts(word)):
                return out  # the body is built by the shell; nothing to check statically
            text, index = unquote(joined[word.pos[0]:word.pos[1]])
            index.append(word.pos[1] - word.pos[0])
            try:
                req.body = json.loads(text)
            except json.JSONDecodeError as err:
                return out + [Finding(line_of(word.pos[0] + index[err.pos]),
                                      f"{label} example: the -d body is not valid JSON: {err.msg}")]
            req.has_body = True

            def body_lines(text: str = text, index: list[int] = index, start: int = word.pos[0]) -> dict[str, int]:
                starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
                return {k: line_of(start + index[min(starts[v], len(index) - 1)])
                        for k, v in json_lines(text).items() if v < len(starts)}

            req.body_lines = body_lines
        elif forms:
            fields: dict[str, str] = {}
            files: dict[str, str] = {}
            for f in forms:
                key, sep, value = _word(f, joined).partition("=")
                if not sep:
                    out.append(Finding(line_of(f.pos[0]), f"{label} example: -F {f.word!r} is not key=value"))
                    continue
                if value.startswith("@"):
                    files[key] = value[1:].split(";")[0]
                else:
                    fields[key] = value
            req.body = form_body(self.spec, op, fields, files) if op is not None else {**fields, **files}
            req.has_body = True
            req.body_lines = {f"$.{_word(f, joined).partition('=')[0]}": line_of(f.pos[0]) for f in forms}
        return out + self.request(req)

    def _curl_auth(self, headers: list[Any], joined: str, line_of: Any, start: int, label: str) -> list[Finding]:
        out: list[Finding] = []
        found = False
        for h in headers:
            name, _, value = _word(h, joined).partition(":")
            if name.strip().lower() not in ("authorization", "x-api-key"):
                continue
            found = True
            line = line_of(h.pos[0])
            params = [p.value for p in _parts(h) if p.kind == "parameter"]
            typed = re.findall(r"\$\{?(\w+)\}?", value)
            if self.key_env in typed and self.key_env not in params:
                out.append(Finding(line, f"{label} example: the key variable is inside single quotes, so the "
                                   f"shell never expands it; use double quotes"))
            elif params and self.key_env not in params:
                out.append(Finding(line, f"{label} example: the {name.strip()} header reads ${params[0]}; "
                                   f"the docs' key variable is ${self.key_env}"))
            elif not params and not typed and self.key_prefix in value and not value.rstrip().endswith("..."):
                out.append(Finding(line, f"{label} example: the {name.strip()} header hard-codes a key; "
                                   f"use \"$" + self.key_env + "\""))
        if not found:
            out.append(Finding(start, f"{label} example: no Authorization or x-api-key header; add "
                               f"-H \"Authorization: Bearer ${self.key_env}\""))
        return out

    # ---------------------------------------------------------------- raw HTTP and JSON

    def http(self, code: str) -> list[Finding]:
        lines = code.split("\n")
        m = re.match(r"^(GET|POST|PUT|PATCH|DELETE)\s+(\S+)(?:\s+HTTP/[\d.]+)?\s*$", lines[0] if lines else "")
        out: list[Finding] = []
        i = 1 if m else 0
        while i < len(lines) and lines[i].strip():  # headers; their key prefix is checked with the prose
            i += 1
        if not m:
            return out
        target = m[2]
        if target.startswith("/"):
            target = self.host + target
        split = self.url_path(target)
        if split is None:
            return out
        body_text = "\n".join(lines[i + 1:]).strip()
        req = Request(m[1], split[0], split[1], line=1)
        if body_text:
            try:
                req.body = json.loads(body_text)
            except json.JSONDecodeError as err:
                return out + [Finding(i + 2 + body_text[:err.pos].count("\n"),
                                      f"HTTP example: the body is not valid JSON: {err.msg}")]
            req.has_body = True
            req.body_lines = lambda: {k: i + 2 + v for k, v in json_lines(body_text).items()}
        return out + self.request(req)

    def json_block(self, code: str) -> list[Finding]:
        if not code.strip() or "..." in code or "…" in code:
            return []
        try:
            json.loads(code)
        except json.JSONDecodeError as err:
            return [Finding(err.lineno, f"JSON example is not valid JSON: {err.msg}")]
        return []

    # ---------------------------------------------------------------- Python

    def python(self, code: str) -> list[Finding]:
        try:
            tree = compile(code, "<example>", "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                           dont_inherit=True)
        except SyntaxError as err:
            return [Finding(err.lineno or 1, f"Python example does not compile: {err.msg}")]
        return _PythonCheck(self, tree).run()


CURL_ARG_OPTIONS = {"-o", "--output", "-w", "--write-out", "-u", "--user", "-A", "--user-agent", "-e",
                    "--referer", "-m", "--max-time", "--connect-timeout", "-b", "--cookie", "-c",
                    "--cookie-jar", "-T", "--upload-file", "--retry", "--retry-delay", "--retry-max-time",
                    "-x", "--proxy", "-r", "--range", "-K", "--config", "--cacert", "--cert", "--key",
                    "-E", "--resolve", "--data-urlencode", "--limit-rate", "-Y", "-y", "-z"}


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

    unchecked = {(op.path, _canonical(body)) for op, body in opted_out_examples(spec)}
    out: list[Problem] = []
    file = display_path(spec.doc.path)
    for op, ctype, name, body in spec_examples(spec):
        if (op.path, _canonical(body)) in unchecked or not isinstance(body, dict):
            continue
        base = ["paths", op.path, op.method.lower(), "requestBody", "content", ctype]
        base += ["examples", name, "value"] if name else ["example"]
        for where, message in request_findings(spec, catalog, op.path, body, method=op.method):
            line = spec.doc.line(json_path(base + path_parts(where)))
            label = f"{op.method} {op.path} example {name!r}" if name else f"{op.method} {op.path} example"
            out.append(Problem(file, line, f"{label}: {_say(where, message)}"))
    return out


def _canonical(body: Any) -> str:
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


def form_body(spec: Any, op: Any, fields: dict[str, str], files: dict[str, str]) -> dict[str, Any]:
    """A multipart form as the request schema sees it: text fields typed as their schema says, file parts
    as their file names."""
    pointer = spec.request_pointer(op) if op is not None else None
    props: dict[str, Any] = {}
    if pointer:
        node: Any = spec.data
        for part in pointer[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        props = spec.resolve(node).get("properties", {})
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


# ------------------------------------------------------------------------------------------ shell helpers

def join_continuations(code: str) -> tuple[str, list[int]]:
    """Remove backslash-newline pairs as the shell does (not inside single quotes or comments);
    return the joined text and, per joined character, its offset in `code`."""
    out: list[str] = []
    where: list[int] = []
    quote = ""
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if quote == "'":
            if c == "'":
                quote = ""
        elif c == "\\" and i + 1 < n:
            if code[i + 1] == "\n":
                i += 2
                continue
            out += [c, code[i + 1]]
            where += [i, i + 1]
            i += 2
            continue
        elif quote == '"':
            if c == '"':
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or code[i - 1] in " \t\n;|&("):
            end = code.find("\n", i)
            end = n if end < 0 else end
            out += list(code[i:end])
            where += list(range(i, end))
            i = end
            continue
        out.append(c)
        where.append(i)
        i += 1
    where.append(n)
    return "".join(out), where


def joined_line(code: str, where: list[int], pos: int) -> int:
    """1-based line in the original `code` of offset `pos` of the joined text."""
    return code.count("\n", 0, where[min(pos, len(where) - 1)]) + 1


def unquote(raw: str) -> tuple[str, list[int]]:
    """Quote removal of one shell word, as bash does it; with the offset in `raw` of each character kept."""
    out: list[str] = []
    where: list[int] = []
    quote = ""
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if quote == "'":
            if c == "'":
                quote = ""
            else:
                out.append(c)
                where.append(i)
        elif quote == '"':
            if c == '"':
                quote = ""
            elif c == "\\" and i + 1 < n and raw[i + 1] in '$`"\\\n':
                out.append(raw[i + 1])
                where.append(i + 1)
                i += 1
            else:
                out.append(c)
                where.append(i)
        elif c in "'\"":
            quote = c
        elif c == "\\" and i + 1 < n:
            out.append(raw[i + 1])
            where.append(i + 1)
            i += 1
        else:
            out.append(c)
            where.append(i)
        i += 1
    return "".join(out), where


def _commands(trees: list[Any]) -> Iterator[Any]:
    """Every simple command, including those in pipelines, lists and $(...) substitutions."""
    stack = list(trees)
    while stack:
        node = stack.pop(0)
        kind = getattr(node, "kind", "")
        if kind == "command":
            yield node
        for attr in ("parts", "list"):
            stack[0:0] = [c for c in getattr(node, attr, []) or [] if hasattr(c, "kind")]
        if kind == "commandsubstitution" and getattr(node, "command", None) is not None:
            stack.insert(0, node.command)


def _pipelines(trees: list[Any]) -> Iterator[list[Any]]:
    """The commands of every pipeline, in order, including pipelines inside $(...)."""
    stack = list(trees)
    while stack:
        node = stack.pop(0)
        kind = getattr(node, "kind", "")
        if kind == "pipeline":
            yield [p for p in node.parts if getattr(p, "kind", "") == "command"]
        for attr in ("parts", "list"):
            stack[0:0] = [c for c in getattr(node, attr, []) or [] if hasattr(c, "kind")]
        if kind == "commandsubstitution" and getattr(node, "command", None) is not None:
            stack.insert(0, node.command)


def _word(word: Any, joined: str) -> str:
    """The word after quote removal (bashlex's own `word` mishandles '"'"' sequences)."""
    return unquote(joined[word.pos[0]:word.pos[1]])[0]


def _parts(word: Any) -> list[Any]:
    """The expansion nodes inside one word, nested ones included."""
    out: list[Any] = []
    stack = list(getattr(word, "parts", []) or [])
    while stack:
        p = stack.pop()
        out.append(p)
        stack += list(getattr(p, "parts", []) or [])
    return out


def _expanded(word: Any, joined: str) -> str:
    """The word with each expansion replaced by a NUL placeholder (a value we cannot know)."""
    text = joined[word.pos[0]:word.pos[1]]
    spans = sorted((p.pos for p in getattr(word, "parts", []) or []), reverse=True)
    for a, b in spans:
        text = text[:a - word.pos[0]] + "\0" + text[b - word.pos[0]:]
    return unquote(text)[0]


# ------------------------------------------------------------------------------------------ Python

OPENAI_CALLS: dict[tuple[str, ...], tuple[str, str]] = {
    ("chat", "completions", "create"): ("POST", "/v1/chat/completions"),
    ("responses", "create"): ("POST", "/v1/responses"),
    ("responses", "stream"): ("POST", "/v1/responses"),
    ("embeddings", "create"): ("POST", "/v1/embeddings"),
    ("images", "generate"): ("POST", "/v1/images/generations"),
    ("audio", "speech", "create"): ("POST", "/v1/audio/speech"),
    ("models", "list"): ("GET", "/v1/models"),
    ("models", "retrieve"): ("GET", "/v1/models/{model_id}"),
}
ANTHROPIC_CALLS: dict[tuple[str, ...], tuple[str, str]] = {
    ("messages", "create"): ("POST", "/v1/messages"),
    ("messages", "stream"): ("POST", "/v1/messages"),
    ("models", "list"): ("GET", "/v1/models"),
}
MUTATORS = {"append", "extend", "insert", "update", "pop", "remove", "clear", "setdefault", "add", "discard"}
SDK_OPTIONS = {"extra_headers", "extra_query", "extra_body", "timeout"}
HTTP_LIBS = {"requests", "httpx"}


SDK_SIGNATURES = r"""
import functools, importlib, importlib.util, inspect, json, sys
out = {}
for kind, methods in json.loads(sys.argv[1]).items():
    if importlib.util.find_spec(kind) is None:
        continue
    try:
        module = importlib.import_module(kind)
        client = getattr(module, "OpenAI" if kind == "openai" else "Anthropic")(api_key="x", base_url="http://127.0.0.1:9")
    except Exception:
        continue
    for method in methods:
        try:
            params = inspect.signature(functools.reduce(getattr, method.split("."), client)).parameters.values()
        except Exception:
            continue
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
            out[f"{kind}:{method}"] = [p.name for p in params]
print(json.dumps(out))
"""


class _SdkSignatures:
    """The keyword arguments of the installed SDKs' methods, read by a subprocess (importing both SDKs
    takes seconds) that runs while the pages render and the other blocks are checked."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.result: dict[str, list[str]] | None = None

    def start(self) -> None:
        if self.proc is not None or self.result is not None:
            return
        if cached := cache.read(self.cache_name()):
            self.result = json.loads(cached)
            return
        import sys

        methods = {"openai": [".".join(m) for m in OPENAI_CALLS], "anthropic": [".".join(m) for m in ANTHROPIC_CALLS]}
        try:
            self.proc = subprocess.Popen([sys.executable, "-c", SDK_SIGNATURES, json.dumps(methods)],
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        except OSError:
            self.result = {}

    def cache_name(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        versions = []
        for package in ("openai", "anthropic"):
            try:
                versions.append(f"{package}={version(package)}")
            except PackageNotFoundError:
                versions.append(f"{package}=none")
        return f"sdk-signatures-{cache.key(SDK_SIGNATURES, *versions)}.json"

    def get(self, kind: str, method: tuple[str, ...]) -> frozenset[str] | None:
        """The method's keyword arguments; None when the SDK is not installed or takes any keyword."""
        if self.result is None:
            self.start()
            try:
                out, _ = self.proc.communicate(timeout=120) if self.proc else ("{}", "")
                self.result = json.loads(out or "{}")
                if self.result:
                    cache.write(self.cache_name(), json.dumps(self.result, sort_keys=True))
            except (subprocess.SubprocessError, json.JSONDecodeError):
                self.result = {}
            self.proc = None
        names = self.result.get(f"{kind}:{'.'.join(method)}")
        return frozenset(names) if names is not None else None


SDKS = _SdkSignatures()


def sdk_parameters(kind: str, method: tuple[str, ...]) -> frozenset[str] | None:
    return SDKS.get(kind, method)


def plain_json(value: Any) -> Any:
    """A Python literal as JSON shows it."""
    if isinstance(value, tuple):
        return [plain_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_json(v) for v in value]
    return value


def _dotted(node: ast.AST) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return None


class _PythonCheck:
    """Walk one Python example: clients, SDK calls and HTTP calls, with their literal arguments."""

    def __init__(self, checker: DocChecker, tree: ast.Module):
        self.c = checker
        self.tree = tree
        self.names: dict[str, ast.expr] = {}
        self.clients: dict[str, str] = {}
        self.mutated: set[str] = set()  # names whose value changes: never read as their first literal
        self.out: list[Finding] = []

    def run(self) -> list[Finding]:
        assigned: dict[str, int] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.names.setdefault(node.targets[0].id, node.value)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                assigned[node.id] = assigned.get(node.id, 0) + 1
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                self.mutated.add(node.target.id)
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
                root = _dotted(node.value)
                if root:
                    self.mutated.add(root[0])
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in MUTATORS and isinstance(node.func.value, ast.Name):
                self.mutated.add(node.func.value.id)
        self.mutated |= {n for n, count in assigned.items() if count > 1}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                kind = self.client_kind(node.value)
                if kind:
                    self.clients[node.targets[0].id] = kind
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    kind = self.client_kind(item.context_expr)
                    if kind and isinstance(item.optional_vars, ast.Name):
                        self.clients[item.optional_vars.id] = kind
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                self.call(node)
        return self.out

    # ---------------------------------------------------------------- values

    def resolve(self, node: ast.expr, depth: int = 0) -> ast.expr:
        while isinstance(node, ast.Name) and node.id in self.names and depth < 5:
            node = self.names[node.id]
            depth += 1
        return node

    def string(self, node: ast.expr | None) -> str | None:
        """A string the expression always has; unknown parts become NUL; None when not a string."""
        if node is None:
            return None
        node = self.resolve(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            out = ""
            for v in node.values:
                if isinstance(v, ast.Constant):
                    out += str(v.value)
                else:
                    inner = self.string(v.value) if isinstance(v, ast.FormattedValue) else None
                    out += inner if inner is not None and "\0" not in inner else "\0"
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a, b = self.string(node.left), self.string(node.right)
            if a is not None or b is not None:
                return (a if a is not None else "\0") + (b if b is not None else "\0")
        return None

    def literal(self, node: ast.expr) -> tuple[bool, Any]:
        if isinstance(node, ast.Name) and node.id in self.mutated:
            return False, None
        node = self.resolve(node)
        try:
            return True, ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return False, None

    def key_source(self, node: ast.expr | None, depth: int = 0) -> str | None:
        """The environment variable an expression reads the key from; '<literal>' for a typed key."""
        if node is None or depth > 6:
            return None
        node = self.resolve(node)
        if isinstance(node, ast.Subscript) and _dotted(node.value) == ["os", "environ"]:
            s = node.slice
            return s.value if isinstance(s, ast.Constant) and isinstance(s.value, str) else None
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name in (["os", "getenv"], ["os", "environ", "get"], ["getenv"]) and node.args:
                a = node.args[0]
                return a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
        if isinstance(node, ast.JoinedStr):
            for v in node.values:
                if isinstance(v, ast.FormattedValue):
                    src = self.key_source(v.value, depth + 1)
                    if src:
                        return src
            text = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
            return "<literal>" if self.c.key_prefix in text and "..." not in text else None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return "<literal>" if node.value.strip() and "..." not in node.value else None
        return None

    # ---------------------------------------------------------------- clients

    def client_kind(self, node: ast.expr) -> str | None:
        if not isinstance(node, ast.Call):
            return None
        name = _dotted(node.func) or []
        if name[-1:] in (["OpenAI"], ["AsyncOpenAI"]):
            self.client(node, "openai")
            return "openai"
        if name[-1:] in (["Anthropic"], ["AsyncAnthropic"]):
            self.client(node, "anthropic")
            return "anthropic"
        return None

    def client(self, node: ast.Call, kind: str) -> None:
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        want = self.c.base_url if kind == "openai" else self.c.host
        sdk = "OpenAI" if kind == "openai" else "Anthropic"
        if "base_url" not in kw:
            default = "api.openai.com" if kind == "openai" else "api.anthropic.com"
            self.out.append(Finding(node.lineno, f"Python example: the {sdk} client has no base_url, so it calls "
                                    f"{default}; set base_url=\"{want}\""))
        else:
            url = self.string(kw["base_url"])
            if url is not None and "\0" not in url and url.rstrip("/") != want:
                why = (" (the Anthropic SDK adds /v1/messages itself)" if kind == "anthropic"
                       and url.rstrip("/") == self.c.base_url else "")
                self.out.append(Finding(kw["base_url"].lineno, f"Python example: the {sdk} client's base_url is "
                                        f"{url!r}; use {want!r}{why}"))
        if "api_key" not in kw:
            env = "OPENAI_API_KEY" if kind == "openai" else "ANTHROPIC_API_KEY"
            self.out.append(Finding(node.lineno, f"Python example: the {sdk} client has no api_key, so it reads "
                                    f"{env}; pass api_key=os.environ[\"{self.c.key_env}\"]"))
        else:
            self.out += self.c.key_finding(kw["api_key"].lineno, self.key_source(kw["api_key"]),
                                           f"Python example: the {sdk} client")

    # ---------------------------------------------------------------- calls

    def call(self, node: ast.Call) -> None:
        name = _dotted(node.func)
        if not name or len(name) < 2:
            return
        root, rest = name[0], tuple(name[1:])
        if root in HTTP_LIBS and len(rest) == 1 and rest[0] in ("get", "post", "put", "patch", "delete"):
            self.http_call(node, rest[0].upper())
            return
        kind = self.clients.get(root)
        if kind is None:
            return
        table = OPENAI_CALLS if kind == "openai" else ANTHROPIC_CALLS
        if rest not in table:
            return
        method, endpoint = table[rest]
        if any(k.arg is None for k in node.keywords) or any(isinstance(a, ast.Starred) for a in node.args):
            return  # **kwargs: the body is assembled at run time
        accepted = sdk_parameters(kind, rest)
        for k in node.keywords:
            if accepted is not None and k.arg not in accepted:
                call = f"client.{'.'.join(rest)}()"
                ok, value = self.literal(k.value)
                shown = json.dumps(plain_json(value)) if ok else "..."
                self.out.append(Finding(k.lineno, f"{method} {endpoint} example: the {kind} SDK's {call} has no "
                                        f"parameter {k.arg!r}, so the call raises TypeError; pass it as "
                                        f"extra_body={{\"{k.arg}\": {shown}}}"))
        if endpoint == "/v1/models/{model_id}":
            arg = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "model"), None)
            model = self.string(arg)
            if model is None or "\0" in model:
                return
            self.report(Request("GET", f"/v1/models/{model}", "", line=node.lineno), node, {})
            return
        if method == "GET":
            self.report(Request("GET", endpoint, "", line=node.lineno), node, {})
            return
        body: dict[str, Any] = {}
        nodes: dict[str, ast.expr] = {}
        skipped: set[str] = set()
        for k in node.keywords:
            if k.arg is None or k.arg in SDK_OPTIONS and k.arg != "extra_body":  # no **kwargs: see above
                continue
            ok, value = self.literal(k.value)
            if k.arg == "extra_body":
                if ok and isinstance(value, dict):
                    body.update(value)
                    target = self.resolve(k.value)
                    if isinstance(target, ast.Dict):
                        for kk, vv in zip(target.keys, target.values):
                            if isinstance(kk, ast.Constant):
                                nodes[str(kk.value)] = vv
                continue
            if ok:
                body[k.arg] = value
                nodes[k.arg] = self.resolve(k.value)
            else:
                skipped.add(k.arg)
        req = Request(method, endpoint, "", body=body, has_body=True, line=node.lineno,
                      skipped=frozenset(skipped))
        self.report(req, node, nodes)

    def http_call(self, node: ast.Call, method: str) -> None:
        url_node = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "url"), None)
        url = self.string(url_node)
        if url is None or url.startswith("\0"):
            return
        split = self.c.url_path(url)
        if split is None:
            problem = self.c.foreign_api_url(url)
            if problem:
                self.out.append(Finding(node.lineno, f"Python example {problem}"))
            return
        path, query = split
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        self.http_auth(node, kw.get("headers"), method, path)
        req = Request(method, path, query, line=node.lineno)
        nodes: dict[str, ast.expr] = {}
        target: ast.expr | None
        if "json" in kw:
            ok, value = self.literal(kw["json"])
            if not ok:
                calls = self.arguments_of(node, kw["json"])
                if not calls:
                    return self.report(req, node, {}, body_unknown=True)
                for arg in calls:  # `def send(payload): requests.post(url, json=payload)` ... `send({...})`
                    ok, value = self.literal(arg)
                    if ok:
                        one = Request(method, path, query, body=value, has_body=True, line=arg.lineno)
                        target = self.resolve(arg)
                        nodes = ({str(k.value): v for k, v in zip(target.keys, target.values)
                                  if isinstance(k, ast.Constant)} if isinstance(target, ast.Dict) else {})
                        self.report(one, node, nodes)
                return
            req.body, req.has_body = value, True
            target = self.resolve(kw["json"])
            if isinstance(target, ast.Dict):
                nodes = {str(k.value): v for k, v in zip(target.keys, target.values) if isinstance(k, ast.Constant)}
        elif "data" in kw or "files" in kw:
            ok, data = self.literal(kw["data"]) if "data" in kw else (True, {})
            files: dict[str, str] = {}
            target = self.resolve(kw["files"]) if "files" in kw else None
            if isinstance(target, ast.Dict):
                for k, v in zip(target.keys, target.values):
                    if isinstance(k, ast.Constant):
                        files[str(k.value)] = _opened_name(v) or "file"
            if not ok or not isinstance(data, dict):
                return self.report(req, node, {}, body_unknown=True)
            op = self.c.operation(method, path)
            req.body = form_body(self.c.spec, op, {k: v if isinstance(v, str) else json.dumps(v)
                                                   for k, v in data.items()}, files) if op else {**data, **files}
            req.has_body = True
            dnode = self.resolve(kw["data"]) if "data" in kw else None
            if isinstance(dnode, ast.Dict):
                nodes = {str(k.value): v for k, v in zip(dnode.keys, dnode.values) if isinstance(k, ast.Constant)}
        self.report(req, node, nodes)

    def arguments_of(self, inner: ast.Call, value: ast.expr) -> list[ast.expr]:
        """When `value` is a parameter of the function around `inner`, the arguments every call of that
        function passes for it."""
        if not isinstance(value, ast.Name):
            return []
        for fn in ast.walk(self.tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or inner not in ast.walk(fn):
                continue
            params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
            if value.id not in params and value.id not in [a.arg for a in fn.args.kwonlyargs]:
                return []
            index = params.index(value.id) if value.id in params else None
            found = []
            for call in ast.walk(self.tree):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == fn.name:
                    if index is not None and index < len(call.args):
                        found.append(call.args[index])
                    found += [k.value for k in call.keywords if k.arg == value.id]
            return found
        return []

    def http_auth(self, node: ast.Call, headers: ast.expr | None, method: str, path: str) -> None:
        label = f"{method} {path} example"
        op = self.c.operation(method, path)
        if op is not None:
            label = f"{op.method} {op.path} example"
        target = self.resolve(headers) if headers is not None else None
        if target is None:
            self.out.append(Finding(node.lineno, f"{label}: no Authorization or x-api-key header"))
            return
        if not isinstance(target, ast.Dict):
            return
        for k, v in zip(target.keys, target.values):
            if isinstance(k, ast.Constant) and str(k.value).lower() in ("authorization", "x-api-key"):
                self.out += self.c.key_finding(v.lineno, self.key_source(v), f"{label}: the {str(k.value)} header")
                return
        self.out.append(Finding(node.lineno, f"{label}: no Authorization or x-api-key header"))

    def report(self, req: Request, node: ast.Call, nodes: dict[str, ast.expr], *, body_unknown: bool = False) -> None:
        if body_unknown:
            req.has_body = False
            found = [f for f in self.c.request(req) if "sends no body" not in f.message]
        else:
            lines = {f"$.{k}": v.lineno for k, v in nodes.items()}
            for key, value in nodes.items():
                _ast_lines(value, f"$.{key}", lines)
            req.body_lines = lines
            found = self.c.request(req)
        self.out += found


def _opened_name(node: ast.expr) -> str | None:
    """The file name of `open("x", "rb")` (or of a tuple whose second item is one)."""
    if isinstance(node, ast.Tuple) and len(node.elts) >= 2:
        node = node.elts[1]
    if isinstance(node, ast.Call) and _dotted(node.func) in (["open"],) and node.args:
        a = node.args[0]
        if isinstance(a, ast.Constant) and isinstance(a.value, str):
            return a.value
    return None


def _ast_lines(node: ast.expr, path: str, out: dict[str, int]) -> None:
    out[path] = node.lineno
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values):
            if isinstance(k, ast.Constant):
                _ast_lines(v, child_path(path, k.value), out)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for i, v in enumerate(node.elts):
            _ast_lines(v, child_path(path, i), out)


# ------------------------------------------------------------------------------------------ JavaScript

JS_BATCH = r"""
import vm from "node:vm";
let data = "";
for await (const c of process.stdin) data += c;
const out = [];
for (const src of JSON.parse(data)) {
  try { new vm.SourceTextModule(src); out.push(null); }
  catch (e) { out.push(`${e.name}: ${e.message}`); }
}
process.stdout.write(JSON.stringify(out));
"""


def js_syntax(codes: list[str]) -> list[Finding | None]:
    """Syntax findings of JavaScript modules (one node process for all, `node --check` for the line of
    each failure); all None when node is not installed."""
    node = shutil.which("node")
    if not node or not codes:
        return [None] * len(codes)
    with tempfile.TemporaryDirectory(prefix="doccheck-js-") as tmp:
        script = Path(tmp) / "batch.mjs"
        script.write_text(JS_BATCH, "utf-8")
        try:
            proc = subprocess.run([node, "--experimental-vm-modules", "--no-warnings", str(script)],
                                  input=json.dumps(codes), capture_output=True, text=True, timeout=120)
            verdicts = json.loads(proc.stdout)
        except (subprocess.SubprocessError, json.JSONDecodeError, OSError):
            verdicts = ["?"] * len(codes)  # fall back to one node --check per block
        out: list[Finding | None] = []
        for i, (code, verdict) in enumerate(zip(codes, verdicts)):
            if verdict is None:
                out.append(None)
                continue
            f = Path(tmp) / f"block{i}.mjs"
            f.write_text(code, "utf-8")
            check = subprocess.run([node, "--check", str(f)], capture_output=True, text=True, timeout=60)
            if check.returncode == 0:
                out.append(None)
                continue
            m = re.search(re.escape(f.name) + r":(\d+)", check.stderr)
            err = next((l for l in check.stderr.splitlines() if re.match(r"^\w*Error\b", l)), verdict)
            out.append(Finding(int(m[1]) if m else 1, f"JavaScript example does not parse: {err}"))
        return out


# ------------------------------------------------------------------------------------------ prose

NUM = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?P<mult>million|thousand|(?-i:[MK]))\b)?"
SIGNED_WORDS = re.compile(r"\bsign(?:ed)?\b|\bexpir|\bvalid\b|\blinks?\b|\burls?\b", re.I)
DELETE_WORDS = re.compile(r"\bdelet|\bretain|\bretention\b|\bkept\b|\bstored\b|\bgone\b|\bremoved\b", re.I)
TIMEOUT_WORDS = re.compile(r"\btime ?out\b|\btimed out\b|\b(?:held|stays?|kept) open\b", re.I)
JOB_STATE_WORDS = re.compile(r"\bkept\b|\bstate\b|\bretain", re.I)


@dataclass(frozen=True)
class Fact:
    value: Any
    text: str  # how the data says it, e.g. "2,000,000 tokens per minute"
    source: str  # where, e.g. "catalog/platform.yaml: rate_limits.tokens_per_minute"


@dataclass(frozen=True)
class Rule:
    fact: str
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None = None  # the clause must match this
    exclude: re.Pattern[str] | None = None  # and must not match this
    guides_only: bool = False  # counts: not in the API reference, where a number may be about a subset


RULES = (
    Rule("models", re.compile(NUM + r"\s+(?:AI\s+)?model(?:s| pages)\b", re.I), guides_only=True),
    Rule("providers", re.compile(NUM + r"\s+provider(?:s| pages)\b", re.I), guides_only=True),
    Rule("rpm", re.compile(NUM + r"\s*(?:RPM\b|requests? (?:per|a|each) minute)", re.I)),
    Rule("tpm", re.compile(NUM + r"\s*(?:TPM\b|tokens? (?:per|a|each) minute)", re.I)),
    Rule("keys", re.compile(NUM + r"\s+(?:API\s+)?keys\b", re.I)),
    Rule("signed_days", re.compile(NUM + r"[\s-]+days?\b", re.I), SIGNED_WORDS, DELETE_WORDS),
    Rule("retention_days", re.compile(NUM + r"[\s-]+days?\b", re.I), DELETE_WORDS, SIGNED_WORDS),
    Rule("timeout", re.compile(NUM + r"[\s-]+minutes?\b", re.I), TIMEOUT_WORDS),
    Rule("job_hours", re.compile(NUM + r"[\s-]+hours?\b", re.I), JOB_STATE_WORDS),
)
POLL = re.compile(r"every (?P<a>\d+)\s*(?:–|-|to)\s*(?P<b>\d+)\s*seconds", re.I)
KEY_PREFIX = re.compile(r"\bsk-[a-z0-9]+-")


def facts(catalog: Any) -> dict[str, Fact]:
    p = catalog.platform
    plat = "catalog/platform.yaml"
    rl, lim, media = p.rate_limits, p.limits, p.media
    n_models, n_prov = len(catalog.models), len(catalog.providers)
    return {
        "models": Fact(n_models, f"{n_models} models", f"catalog/models: {n_models} model files"),
        "providers": Fact(n_prov, f"{n_prov} providers", f"catalog/providers: {n_prov} provider files"),
        "rpm": Fact(int(rl.requests_per_minute), f"{int(rl.requests_per_minute):,} requests per minute",
                    f"{plat}: rate_limits.requests_per_minute"),
        "tpm": Fact(int(rl.tokens_per_minute), f"{int(rl.tokens_per_minute):,} tokens per minute",
                    f"{plat}: rate_limits.tokens_per_minute"),
        "keys": Fact(int(rl.api_keys_per_account), f"{int(rl.api_keys_per_account):,} API keys per account",
                     f"{plat}: rate_limits.api_keys_per_account"),
        "signed_days": Fact(int(media.signed_url_days), f"signed URLs expire after {media.signed_url_days} days",
                            f"{plat}: media.signed_url_days"),
        "retention_days": Fact(int(media.retention_days), f"files are deleted after {media.retention_days} days",
                               f"{plat}: media.retention_days"),
        "timeout": Fact(int(lim.http_timeout_minutes), f"requests time out after {lim.http_timeout_minutes} minutes",
                        f"{plat}: limits.http_timeout_minutes"),
        "job_hours": Fact(int(lim.job_retention_hours), f"job state is kept for {lim.job_retention_hours} hour(s)",
                          f"{plat}: limits.job_retention_hours"),
        "poll": Fact((int(lim.poll_interval_seconds.min), int(lim.poll_interval_seconds.max)),
                     f"poll every {lim.poll_interval_seconds.min} to {lim.poll_interval_seconds.max} seconds",
                     f"{plat}: limits.poll_interval_seconds"),
        "key_prefix": Fact(str(p.key_prefix), f"keys start with {p.key_prefix}", f"{plat}: key_prefix"),
    }


def number(text: str, mult: str | None) -> float:
    value = float(text.replace(",", ""))
    scale = {"m": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3}.get((mult or "").lower(), 1)
    return value * scale


def plain_prose(line: str) -> str:
    """A markdown line as a reader sees it: links as their text, no emphasis or code marks."""
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
    line = re.sub(r"<[^>]+>", " ", line)
    return line.replace("**", "").replace("`", "").replace("__", "")


def clauses(sentence: str) -> list[str]:
    return [c for c in re.split(r",\s|;\s|\s+(?:and|but|while)\s+|\s[—–]\s|\|", sentence) if c.strip()]


def sentences(line: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\|", line) if s.strip()]


@dataclass(frozen=True)
class ProseFinding:
    line: int  # 1-based in the text checked
    said: str  # the text as typed, e.g. "1M TPM"
    message: str


def prose_findings(text: str, known: dict[str, Fact], *, guide: bool, names: Iterable[str] = ()) -> list[ProseFinding]:
    """Numbers in `text` (markdown without code blocks, or a description) that contradict the data."""
    subjects = [n for n in names if n]
    subject_rx = re.compile(r"\b(?:" + "|".join(map(re.escape, subjects)) + r")\b", re.I) if subjects else None
    out: list[ProseFinding] = []
    for number_, raw in enumerate(text.split("\n"), 1):
        line = plain_prose(raw)
        for m in KEY_PREFIX.finditer(line):
            fact = known["key_prefix"]
            if m[0] != fact.value:
                out.append(ProseFinding(number_, m[0], _contradiction(m[0], fact)))
        for sentence in sentences(line):
            for m in POLL.finditer(sentence):
                fact = known["poll"]
                if (int(m["a"]), int(m["b"])) != fact.value:
                    out.append(ProseFinding(number_, m[0], _contradiction(m[0], fact)))
            for rule in RULES:
                if rule.guides_only and not guide:
                    continue
                if rule.fact in ("models", "providers") and subject_rx and subject_rx.search(sentence):
                    continue  # about one provider or category, not the catalog
                parts = clauses(sentence) if rule.context else [sentence]
                for part in parts:
                    if rule.context and not rule.context.search(part):
                        continue
                    if rule.exclude and rule.exclude.search(part):
                        continue
                    for m in rule.pattern.finditer(part):
                        fact = known[rule.fact]
                        if number(m["n"], m["mult"]) != fact.value:
                            out.append(ProseFinding(number_, m[0].strip(), _contradiction(m[0].strip(), fact)))
    return out


def _contradiction(said: str, fact: Fact) -> str:
    return f"prose says {said!r} but the data says {fact.text} ({fact.source})"


def without_code(markdown: str) -> str:
    """The markdown with every code block's lines blanked (line numbers kept)."""
    lines = markdown.split("\n")
    for b in code_blocks(markdown):
        end = b.line + b.code.count("\n") + 1
        for i in range(b.line - 1, min(end + 1, len(lines))):
            lines[i] = ""
    return "\n".join(lines)


def spec_strings(data: Any, path: str = "$") -> Iterator[tuple[str, str, str]]:
    """(json path, key, text) of every string of the OpenAPI document."""
    if isinstance(data, dict):
        for k, v in data.items():
            sub = child_path(path, k)
            if isinstance(v, str):
                yield sub, str(k), v
            else:
                yield from spec_strings(v, sub)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            sub = child_path(path, i)
            if isinstance(v, str):
                yield sub, "", v
            else:
                yield from spec_strings(v, sub)


# ------------------------------------------------------------------------------------------ locations

_PLACEHOLDER = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}")


def template_line(source_lines: list[str], rendered: str, said: str = "") -> int:
    """The template line a rendered line came from: one that holds `said` literally and looks most
    like the rendered line, else the most similar line."""
    target = rendered.strip()

    def score(line: str) -> float:
        literal = _PLACEHOLDER.sub(" ", line).strip()
        return difflib.SequenceMatcher(None, literal, target, autojunk=False).ratio()

    candidates = [i for i, l in enumerate(source_lines) if said and said in l]
    pool = candidates or range(len(source_lines))
    best = max(pool, key=lambda i: score(source_lines[i]), default=0)
    return best + 1


class Locator:
    """Maps lines of a rendered guide back to its template."""

    def __init__(self, template: Path, rendered: str, blocks: list[Block]):
        self.file = display_path(template)
        self.source = template.read_text("utf-8") if template.is_file() else ""
        self.lines = self.source.split("\n")
        self.rendered = rendered.split("\n")
        self.blocks = blocks
        self.template_blocks = code_blocks(self.source)

    def block_line(self, index: int, block: Block, line: int) -> int:
        """Template line of line `line` (1-based; 0 = fence) of the index-th rendered block."""
        tb = None
        if len(self.template_blocks) == len(self.blocks):
            tb = self.template_blocks[index]
        else:
            first = next((l for l in block.code.split("\n") if l.strip()), "")
            start = template_line(self.lines, first) - 1
            tb = next((b for b in reversed(self.template_blocks) if b.line <= start), None)
        if tb is None:
            return template_line(self.lines, self.rendered[block.line - 1 + line] if
                                 block.line - 1 + line < len(self.rendered) else "")
        if line == 0:
            return tb.line
        same_shape = tb.code.count("\n") == block.code.count("\n")
        if same_shape:
            return tb.line + line
        wanted = block.code.split("\n")[line - 1] if line - 1 < len(block.code.split("\n")) else ""
        region = tb.code.split("\n")
        return tb.line + template_line(region, wanted)

    def prose_line(self, line: int, said: str) -> int:
        text = self.rendered[line - 1] if 0 < line <= len(self.rendered) else ""
        return template_line(self.lines, text, said)


# ------------------------------------------------------------------------------------------ entry point

JS_LANGUAGES = ("javascript", "js", "mjs")


def check_docs(inputs: Any, pages: list[Any], rendered: dict[str, str]) -> list[Problem]:
    """Every problem of every code block of every page, of the prose of the guides, and of the prose and
    request examples of openapi.yaml.

    Generated pages repeat a few snippet shapes for every model; a block that differs from an already
    clean one only by the model ids it names is not checked again (the ids themselves are checked where
    the catalog defines the examples), so the check grows with the number of shapes, not of models."""
    SDKS.start()
    catalog, spec = inputs.catalog, inputs.spec
    checker = DocChecker(catalog, spec)
    known = facts(catalog)
    names = [p.name for p in catalog.providers] + [c.name for c in catalog.categories]
    ids = {m.id for m in catalog.models}
    verdicts = CleanVerdicts(catalog, spec, known, names)
    problems: list[Problem] = []
    js_jobs: list[tuple[Any, int, Block, str]] = []
    clean_shapes: set[tuple[str, str]] = set()
    for page in pages:
        text = rendered.get(page.path)
        if text is None:
            continue
        blocks = code_blocks(text)
        guide = page.template.startswith("guides/")
        locator = Locator(render.TEMPLATES / page.template, text, blocks) if guide else None

        def place(index: int, block: Block, line: int, page: Any = page, locator: Any = locator) -> tuple[str, int]:
            if locator is not None:
                return locator.file, locator.block_line(index, block, line)
            return f"{page.path} (generated)", block.line + line

        for index, block in enumerate(blocks):
            shape = block.code if guide else model_shape(block.code, ids)
            if block.language in JS_LANGUAGES:
                if not verdicts.clean("js", block.code):
                    js_jobs.append((place, index, block, shape))
                continue
            key = (block.language, shape)
            if key in clean_shapes or verdicts.clean(block.language, block.code):
                continue
            found = checker.findings(block)
            found += [Finding(pf.line, pf.message) for pf in _key_prefix_only(block.code, known)]
            for f in found:
                file, line = place(index, block, f.line)
                problems.append(Problem(file, line, f.message))
            if not found:
                clean_shapes.add(key)
                verdicts.add(block.language, block.code)
        if locator is not None and not verdicts.clean("prose", text):  # a guide
            found_prose = prose_findings(without_code(text), known, guide=True, names=names)
            for pf in found_prose:
                problems.append(Problem(locator.file, locator.prose_line(pf.line, pf.said), pf.message))
            if not found_prose:
                verdicts.add("prose", text)
    first: dict[str, str] = {}
    for _, _, block, shape in js_jobs:
        first.setdefault(shape, block.code)
    verdicts_js = dict(zip(first, js_syntax(list(first.values()))))
    for place, index, block, shape in js_jobs:
        js_finding = verdicts_js.get(shape)
        if js_finding is not None:
            file, line = place(index, block, js_finding.line)
            problems.append(Problem(file, line, js_finding.message))
        elif shape in verdicts_js:
            verdicts.add("js", block.code)
    verdicts.save()
    problems += spec_prose(spec, known, names)
    problems += spec_example_problems(spec, catalog)
    if importlib.util.find_spec("bashlex") is None:
        problems.append(Problem("generator/doccheck.py", 0, "cannot check the shell examples: the bashlex "
                                "package is not installed (pip install 'bashlex>=0.18')"))
    return sorted(set(problems))


class CleanVerdicts:
    """Blocks (and guide prose) already found clean with the same inputs are not checked again.

    A verdict's key is the block's text plus the facts of every catalog model it names; the file that
    holds the keys is named after what every block depends on: the generator's code, openapi.yaml, the
    SDK signatures, node, the platform facts, and the set of model ids. Only clean verdicts are kept, so
    a problem is always found afresh, with its current line."""

    PREFIX = "doccheck-clean-"

    def __init__(self, catalog: Any, spec: Any, known: dict[str, Fact], names: list[str]) -> None:
        self.models = {m.id: m for m in catalog.models}
        code = b"".join(f.read_bytes() for f in sorted(Path(__file__).resolve().parents[1].rglob("*.py")))
        node = shutil.which("node") or ""
        context = cache.key(code, spec.doc.path.read_bytes(), SDKS.cache_name(), node,
                            str(Path(node).stat().st_mtime_ns) if node else "", repr(sorted(known.items())),
                            repr(names), "\n".join(sorted(self.models)))
        self.name = f"{self.PREFIX}{context}.txt"
        self.known = set((cache.read(self.name) or "").split())
        self.seen: set[str] = set()
        self.fingerprints: dict[str, str] = {}

    def key(self, kind: str, code: str) -> str:
        named = sorted(set(WORD.findall(code)) & self.models.keys())
        return cache.key(kind, code, *(self.fingerprint(i) for i in named))

    def fingerprint(self, model_id: str) -> str:
        if model_id not in self.fingerprints:
            m = self.models[model_id]
            self.fingerprints[model_id] = repr(replace(m, withheld=tuple(sorted(m.withheld))))
        return self.fingerprints[model_id]

    def clean(self, kind: str, code: str) -> bool:
        key = self.key(kind, code)
        if key in self.known:
            self.seen.add(key)
            return True
        return False

    def add(self, kind: str, code: str) -> None:
        self.seen.add(self.key(kind, code))

    def save(self) -> None:
        """Keep this run's clean verdicts, and drop the files of earlier contexts."""
        if self.seen == self.known:
            return
        cache.write(self.name, "\n".join(sorted(self.seen)) + "\n")
        for old in cache.cache_dir().glob(f"{self.PREFIX}*.txt"):
            if old.name != self.name:
                old.unlink(missing_ok=True)


WORD = re.compile(r"[a-z0-9][a-z0-9.-]*")


MODEL_TOKEN = re.compile(r"""(?<=["'=/])[a-z0-9][a-z0-9.-]{0,79}(?=["'\s,)]|$)""", re.M)


def model_shape(code: str, ids: set[str]) -> str:
    """The code with every catalog model id it names replaced by one placeholder."""
    return MODEL_TOKEN.sub(lambda m: "\0MODEL" if m[0] in ids else m[0], code)


def _key_prefix_only(code: str, known: dict[str, Fact]) -> list[ProseFinding]:
    fact = known["key_prefix"]
    return [ProseFinding(i, m[0], _contradiction(m[0], fact))
            for i, line in enumerate(code.split("\n"), 1) for m in KEY_PREFIX.finditer(line) if m[0] != fact.value]


def spec_prose(spec: Any, known: dict[str, Fact], names: list[str]) -> list[Problem]:
    """Numbers in openapi.yaml's descriptions, summaries and example error messages; key prefixes in
    every string."""
    out: list[Problem] = []
    raw = spec.doc.path.read_text("utf-8").split("\n") if spec.doc.path.is_file() else []
    file = display_path(spec.doc.path)
    for path, key, text in spec_strings(spec.data):
        if key in ("description", "summary", "message"):
            found = prose_findings(text, known, guide=False, names=names)
        else:
            found = _key_prefix_only(text, known)
        for pf in found:
            start = spec.doc.line(path)
            out.append(Problem(file, _raw_line(raw, start, text, pf), pf.message))
    return out


def _raw_line(raw: list[str], start: int, text: str, pf: ProseFinding) -> int:
    """The line of openapi.yaml holding a finding of the string that starts on line `start`."""
    span = text.count("\n") + 3
    for i in range(max(start - 1, 0), min(start - 1 + span, len(raw))):
        if pf.said in raw[i]:
            return i + 1
    number_ = re.match(r"[\d,.]+", pf.said)
    for i in range(max(start - 1, 0), min(start - 1 + span, len(raw))):
        if number_ and number_[0] in raw[i]:
            return i + 1
    return start
