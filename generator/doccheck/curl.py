"""The rules of a cURL example: its URL is an operation of the API host, its key comes from the docs' key
variable, its body is the operation's; a `jq` it pipes into reads a field the response has."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from generator.doccheck import shell
from generator.doccheck.blocks import Finding
from generator.doccheck.request import Request, RequestChecker, form_body, json_lines

CURL_ARG_OPTIONS = {
    "-o",
    "--output",
    "-w",
    "--write-out",
    "-u",
    "--user",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-m",
    "--max-time",
    "--connect-timeout",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "-T",
    "--upload-file",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "-x",
    "--proxy",
    "-r",
    "--range",
    "-K",
    "--config",
    "--cacert",
    "--cert",
    "--key",
    "-E",
    "--resolve",
    "--data-urlencode",
    "--limit-rate",
    "-Y",
    "-y",
    "-z",
}
LISTED_OPTIONS = {
    "-H": "headers",
    "--header": "headers",
    "-F": "forms",
    "--form": "forms",
    **dict.fromkeys(("-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json"), "data"),
}


def shell_findings(checker: RequestChecker, code: str) -> list[Finding]:
    """Every finding of one shell example: its curl commands, and the jq filters they pipe into."""
    try:
        import bashlex  # noqa: F401
    except ImportError:  # reported once by check_docs
        return []
    script = shell.Script(code)
    trees = shell.parse(script)
    if trees is None:
        return shell.bash_syntax(code)  # bashlex covers most of bash, not all of it: ask bash itself
    out: list[Finding] = []
    targets: dict[int, Any] = {}
    for cmd in shell.commands(trees):
        words = shell.words(cmd)
        if words and words[0].word == "curl":
            curl = Curl(checker, script, words)
            out += curl.findings()
            targets[id(cmd)] = curl.op
    for pipeline in shell.pipelines(trees):
        for left, right in zip(pipeline, pipeline[1:], strict=False):
            op = targets.get(id(left))
            words = shell.words(right)
            if op is not None and words and words[0].word == "jq":
                out += jq_findings(checker, op, [script.word(w) for w in words[1:]], script.line_of(right.pos[0]))
    return out


@dataclass
class CurlOptions:
    """The options of one curl command that say what it sends, as bashlex words."""

    method: str | None = None
    url: Any = None
    headers: list[Any] = field(default_factory=list)
    data: list[Any] = field(default_factory=list)
    forms: list[Any] = field(default_factory=list)


def curl_options(words: list[Any]) -> CurlOptions:
    """What the words after `curl` ask for; the first word that is no option (or `--url`'s) is the URL."""
    opts = CurlOptions()
    i = 1
    while i < len(words):
        text = words[i].word
        arg = words[i + 1] if i + 1 < len(words) else None
        if text in ("-X", "--request"):
            opts.method = arg.word.upper() if arg else None
        elif text in LISTED_OPTIONS:
            if arg is not None:
                getattr(opts, LISTED_OPTIONS[text]).append(arg)
        elif text == "--url":
            opts.url = arg
        elif text not in CURL_ARG_OPTIONS:
            if opts.url is None and not (text.startswith("-") and len(text) > 1):
                opts.url = words[i]
            i += 1
            continue
        i += 2
    return opts


class Curl:
    """One curl command of a shell example."""

    def __init__(self, checker: RequestChecker, script: shell.Script, words: list[Any]):
        self.c = checker
        self.script = script
        self.start = script.line_of(words[0].pos[0])
        self.opts = curl_options(words)
        self.op: Any = None  # the operation it calls, once its URL is known to be one of the API host

    def findings(self) -> list[Finding]:
        if self.opts.url is None:
            return [Finding(self.start, "curl example has no URL")]
        url = self.script.expanded(self.opts.url)
        method = self.opts.method or ("POST" if self.opts.data or self.opts.forms else "GET")
        split = self.c.url_path(url)
        if split is None:
            problem = self.c.foreign_api_url(url)
            return [Finding(self.start, f"curl example {problem}")] if problem else []
        path, query = split
        self.op = self.c.operation(method, path)
        label = self.c.label(method, path)
        out = self.auth(label)
        req = Request(method, path, query, line=self.start)
        if self.opts.data:
            return out + self.data(req, label, self.opts.data[-1])
        if self.opts.forms:
            out += self.form(req, label)
        return out + self.c.request(req)

    # ---------------------------------------------------------------- the key

    def auth(self, label: str) -> list[Finding]:
        out: list[Finding] = []
        found = False
        for h in self.opts.headers:
            name, _, value = self.script.word(h).partition(":")
            if name.strip().lower() in ("authorization", "x-api-key"):
                found = True
                out += self.auth_header(h, name.strip(), value, label)
        if not found:
            out.append(
                Finding(
                    self.start,
                    f"{label} example: no Authorization or x-api-key header; add "
                    f'-H "Authorization: Bearer ${self.c.key_env}"',
                )
            )
        return out

    def auth_header(self, h: Any, name: str, value: str, label: str) -> list[Finding]:
        key_env = self.c.key_env
        line = self.script.line_of(h.pos[0])
        params = [p.value for p in shell.expansions(h) if p.kind == "parameter"]
        typed = re.findall(r"\$\{?(\w+)\}?", value)
        if key_env in typed and key_env not in params:
            return [
                Finding(
                    line,
                    f"{label} example: the key variable is inside single quotes, so the "
                    f"shell never expands it; use double quotes",
                )
            ]
        if params and key_env not in params:
            return [
                Finding(
                    line, f"{label} example: the {name} header reads ${params[0]}; the docs' key variable is ${key_env}"
                )
            ]
        if not params and not typed and self.c.key_prefix in value and not value.rstrip().endswith("..."):
            return [Finding(line, f'{label} example: the {name} header hard-codes a key; use "$' + key_env + '"')]
        return []

    # ---------------------------------------------------------------- the body

    def data(self, req: Request, label: str, word: Any) -> list[Finding]:
        """A -d body: read from a file, built by the shell, or JSON to check."""
        if self.script.word(word).startswith("@"):
            return self.c.request_sent_unseen(req)  # the body is read from a file we cannot see
        if any(p.kind in ("parameter", "commandsubstitution") for p in shell.expansions(word)):
            return []  # the body is built by the shell; nothing to check statically
        text, index = shell.unquote(self.script.raw(word))
        index.append(word.pos[1] - word.pos[0])
        try:
            req.body = json.loads(text)
        except json.JSONDecodeError as err:
            return [
                Finding(
                    self.script.line_of(word.pos[0] + index[err.pos]),
                    f"{label} example: the -d body is not valid JSON: {err.msg}",
                )
            ]
        req.has_body = True
        req.body_lines = lambda: self.body_lines(text, index, word.pos[0])
        return self.c.request(req)

    def body_lines(self, text: str, index: list[int], start: int) -> dict[str, int]:
        """The line in the example of each JSON path of a -d body that starts at offset `start`."""
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        return {
            k: self.script.line_of(start + index[min(starts[v], len(index) - 1)])
            for k, v in json_lines(text).items()
            if v < len(starts)
        }

    def form(self, req: Request, label: str) -> list[Finding]:
        """-F parts: the form as the request schema sees it; a part that is no key=value is a finding."""
        out: list[Finding] = []
        fields: dict[str, str] = {}
        files: dict[str, str] = {}
        for f in self.opts.forms:
            key, sep, value = self.script.word(f).partition("=")
            if not sep:
                out.append(Finding(self.script.line_of(f.pos[0]), f"{label} example: -F {f.word!r} is not key=value"))
            elif value.startswith("@"):
                files[key] = value[1:].split(";")[0]
            else:
                fields[key] = value
        req.body = form_body(self.c.spec, self.op, fields, files) if self.op is not None else {**fields, **files}
        req.has_body = True
        req.body_lines = {
            f"$.{self.script.word(f).partition('=')[0]}": self.script.line_of(f.pos[0]) for f in self.opts.forms
        }
        return out


# -------------------------------------------------------------------------------------------- jq


def jq_findings(checker: RequestChecker, op: Any, args: list[str], line: int) -> list[Finding]:
    """A `jq` filter reading a field of the response must name a field the response has."""
    filt = next((a for a in args if not a.startswith("-")), "")
    if not re.fullmatch(r"\.(\w+)(?:\.(\w+))*", filt):
        return []
    schema = response_schema(checker.spec, op)
    for name in filt[1:].split("."):
        schema = checker.spec.resolve(schema) if schema is not None else None
        props = schema.get("properties") if isinstance(schema, dict) else None
        if not isinstance(props, dict):
            return []
        if name not in props:
            hint = difflib.get_close_matches(name, list(props), n=1)
            return [
                Finding(
                    line,
                    f"{op.method} {op.path} example: jq reads {filt!r}, but the response has no "
                    f"field {name!r}" + (f" (did you mean '.{hint[0]}'?)" if hint else f"; it has {', '.join(props)}"),
                )
            ]
        schema = props[name]
    return []


def response_schema(spec: Any, op: Any) -> Any:
    """The JSON schema of the operation's first success response."""
    for status, resp in op.raw.get("responses", {}).items():
        if status.startswith("2"):
            media = spec.resolve(resp).get("content", {}).get("application/json")
            if media and "schema" in media:
                return media["schema"]
    return None
