"""A Python example read through its AST: the clients it makes, the SDK and HTTP calls it sends, with the
literal values of their arguments, checked as the requests they are."""

from __future__ import annotations

import ast
import json
from typing import Any

from generator.doccheck import sdk
from generator.doccheck.blocks import Finding
from generator.doccheck.request import Request, RequestChecker, form_body
from generator.load.yamlfile import child_path

MUTATORS = {"append", "extend", "insert", "update", "pop", "remove", "clear", "setdefault", "add", "discard"}
SDK_OPTIONS = {"extra_headers", "extra_query", "extra_body", "timeout"}
HTTP_LIBS = {"requests", "httpx"}
CLIENTS = {"OpenAI": "openai", "AsyncOpenAI": "openai", "Anthropic": "anthropic", "AsyncAnthropic": "anthropic"}


def python_findings(checker: RequestChecker, code: str) -> list[Finding]:
    try:
        tree = compile(code, "<example>", "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except SyntaxError as err:
        return [Finding(err.lineno or 1, f"Python example does not compile: {err.msg}")]
    return python_check(checker, tree)


def dotted(node: ast.AST) -> list[str] | None:
    """`a.b.c` -> ['a', 'b', 'c']; None for anything but names and attributes."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return None


def plain_json(value: Any) -> Any:
    """A Python literal as JSON shows it."""
    if isinstance(value, tuple):
        return [plain_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_json(v) for v in value]
    return value


# ------------------------------------------------------------------------------------------ values


def _mutated(node: ast.AST) -> str | None:
    """The name whose value `node` changes in place, if it does."""
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
        root = dotted(node.value)
        return root[0] if root else None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in MUTATORS
        and isinstance(node.func.value, ast.Name)
    ):
        return node.func.value.id
    return None


class Values:
    """What the names of an example hold: the first value assigned to each, unless the value changes."""

    def __init__(self, tree: ast.Module, key_prefix: str):
        self.key_prefix = key_prefix
        self.names: dict[str, ast.expr] = {}
        self.mutated: set[str] = set()  # names whose value changes: never read as their first literal
        assigned: dict[str, int] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.names.setdefault(node.targets[0].id, node.value)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                assigned[node.id] = assigned.get(node.id, 0) + 1
            elif (name := _mutated(node)) is not None:
                self.mutated.add(name)
        self.mutated |= {n for n, count in assigned.items() if count > 1}

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
            return "".join(self._fstring_part(v) for v in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a, b = self.string(node.left), self.string(node.right)
            if a is not None or b is not None:
                return (a if a is not None else "\0") + (b if b is not None else "\0")
        return None

    def _fstring_part(self, v: ast.expr) -> str:
        if isinstance(v, ast.Constant):
            return str(v.value)
        inner = self.string(v.value) if isinstance(v, ast.FormattedValue) else None
        return inner if inner is not None and "\0" not in inner else "\0"

    def literal(self, node: ast.expr) -> tuple[bool, Any]:
        if isinstance(node, ast.Name) and node.id in self.mutated:
            return False, None
        node = self.resolve(node)
        try:
            return True, ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return False, None

    def keys(self, node: ast.expr | None) -> dict[str, ast.expr]:
        """The values of a dict display, by their constant keys; {} for anything else."""
        target = self.resolve(node) if node is not None else None
        if not isinstance(target, ast.Dict):
            return {}
        return {str(k.value): v for k, v in zip(target.keys, target.values, strict=True) if isinstance(k, ast.Constant)}

    def key_source(self, node: ast.expr | None, depth: int = 0) -> str | None:
        """The environment variable an expression reads the key from; '<literal>' for a typed key."""
        if node is None or depth > 6:
            return None
        node = self.resolve(node)
        if isinstance(node, ast.Subscript) and dotted(node.value) == ["os", "environ"]:
            s = node.slice
            return s.value if isinstance(s, ast.Constant) and isinstance(s.value, str) else None
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            if name in (["os", "getenv"], ["os", "environ", "get"], ["getenv"]) and node.args:
                a = node.args[0]
                return a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
        if isinstance(node, ast.JoinedStr):
            for v in node.values:
                if isinstance(v, ast.FormattedValue) and (src := self.key_source(v.value, depth + 1)):
                    return src
            text = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
            return "<literal>" if self.key_prefix in text and "..." not in text else None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return "<literal>" if node.value.strip() and "..." not in node.value else None
        return None


def ast_lines(node: ast.expr, path: str, out: dict[str, int]) -> None:
    """The line of every JSON path inside a literal, into `out`."""
    out[path] = node.lineno
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=True):
            if isinstance(k, ast.Constant):
                ast_lines(v, child_path(path, k.value), out)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for i, v in enumerate(node.elts):
            ast_lines(v, child_path(path, i), out)


def opened_name(node: ast.expr) -> str | None:
    """The file name of `open("x", "rb")` (or of a tuple whose second item is one)."""
    if isinstance(node, ast.Tuple) and len(node.elts) >= 2:
        node = node.elts[1]
    if isinstance(node, ast.Call) and dotted(node.func) in (["open"],) and node.args:
        a = node.args[0]
        if isinstance(a, ast.Constant) and isinstance(a.value, str):
            return a.value
    return None


# ------------------------------------------------------------------------------------------ the walk


def python_check(checker: RequestChecker, tree: ast.Module) -> list[Finding]:
    """Walk one Python example: its clients first, then every SDK and HTTP call."""
    example = Example(checker, tree)
    clients = Clients(example)
    sdk_calls, http_calls = SdkCalls(example, clients.kinds), HttpCalls(example)
    for node in ast.walk(tree):
        name = dotted(node.func) if isinstance(node, ast.Call) else None
        if not isinstance(node, ast.Call) or not name or len(name) < 2:
            continue
        root, rest = name[0], tuple(name[1:])
        if root in HTTP_LIBS and len(rest) == 1 and rest[0] in ("get", "post", "put", "patch", "delete"):
            http_calls.call(node, rest[0].upper())
        else:
            sdk_calls.call(node, root, rest)
    return example.out


class Example:
    """One Python example: what its names hold, and the findings so far."""

    def __init__(self, checker: RequestChecker, tree: ast.Module):
        self.c = checker
        self.tree = tree
        self.values = Values(tree, checker.key_prefix)
        self.out: list[Finding] = []

    def report(self, req: Request, nodes: dict[str, ast.expr]) -> None:
        """Check the request, its body's findings on the lines of the literals in `nodes`."""
        lines = {f"$.{k}": v.lineno for k, v in nodes.items()}
        for key, value in nodes.items():
            ast_lines(value, f"$.{key}", lines)
        req.body_lines = lines
        self.out += self.c.request(req)


class Clients:
    """The SDK clients an example makes (`client = OpenAI(...)`, `with ... as client`), their settings
    checked: base_url and api_key."""

    def __init__(self, example: Example):
        self.x = example
        self.kinds: dict[str, str] = {}  # the name of each client -> its SDK
        for node in ast.walk(example.tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.made(node.targets[0], node.value)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    self.made(item.optional_vars, item.context_expr)

    def made(self, target: ast.expr | None, value: ast.expr) -> None:
        """`target = OpenAI(...)` (or `with ... as target`): a client, whose settings are checked."""
        if not isinstance(value, ast.Call):
            return
        kind = CLIENTS.get((dotted(value.func) or [""])[-1])
        if kind is None:
            return
        self.client(value, kind)
        if isinstance(target, ast.Name):
            self.kinds[target.id] = kind

    def client(self, node: ast.Call, kind: str) -> None:
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        want = self.x.c.base_url if kind == "openai" else self.x.c.host
        name = "OpenAI" if kind == "openai" else "Anthropic"
        if "base_url" not in kw:
            default = "api.openai.com" if kind == "openai" else "api.anthropic.com"
            self.x.out.append(
                Finding(
                    node.lineno,
                    f'Python example: the {name} client has no base_url, so it calls {default}; set base_url="{want}"',
                )
            )
        else:
            url = self.x.values.string(kw["base_url"])
            if url is not None and "\0" not in url and url.rstrip("/") != want:
                why = (
                    " (the Anthropic SDK adds /v1/messages itself)"
                    if kind == "anthropic" and url.rstrip("/") == self.x.c.base_url
                    else ""
                )
                self.x.out.append(
                    Finding(
                        kw["base_url"].lineno,
                        f"Python example: the {name} client's base_url is {url!r}; use {want!r}{why}",
                    )
                )
        if "api_key" not in kw:
            env = "OPENAI_API_KEY" if kind == "openai" else "ANTHROPIC_API_KEY"
            self.x.out.append(
                Finding(
                    node.lineno,
                    f"Python example: the {name} client has no api_key, so it reads "
                    f'{env}; pass api_key=os.environ["{self.x.c.key_env}"]',
                )
            )
        else:
            self.x.out += self.x.c.key_finding(
                kw["api_key"].lineno, self.x.values.key_source(kw["api_key"]), f"Python example: the {name} client"
            )


class SdkCalls:
    """The calls of the clients' methods: keywords the installed SDK takes, and the request they send."""

    def __init__(self, example: Example, clients: dict[str, str]):
        self.x = example
        self.clients = clients

    def call(self, node: ast.Call, root: str, rest: tuple[str, ...]) -> None:
        kind = self.clients.get(root)
        target = sdk.CALLS.get(kind or "", {}).get(rest)
        if kind is None or target is None:
            return
        if any(k.arg is None for k in node.keywords) or any(isinstance(a, ast.Starred) for a in node.args):
            return  # **kwargs: the body is assembled at run time
        self.sdk_call(node, kind, rest, *target)

    def sdk_call(self, node: ast.Call, kind: str, method_path: tuple[str, ...], method: str, endpoint: str) -> None:
        self.unknown_keywords(node, kind, method_path, method, endpoint)
        if endpoint == "/v1/models/{model_id}":
            arg = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "model"), None)
            model = self.x.values.string(arg)
            if model is not None and "\0" not in model:
                self.x.report(Request("GET", f"/v1/models/{model}", "", line=node.lineno), {})
        elif method == "GET":
            self.x.report(Request("GET", endpoint, "", line=node.lineno), {})
        else:
            self.sdk_body(node, method, endpoint)

    def unknown_keywords(
        self, node: ast.Call, kind: str, method_path: tuple[str, ...], method: str, endpoint: str
    ) -> None:
        """A keyword the installed SDK's method does not declare raises TypeError."""
        accepted = sdk.parameters(kind, method_path)
        if accepted is None:
            return
        for k in node.keywords:
            if k.arg not in accepted:
                call = f"client.{'.'.join(method_path)}()"
                ok, value = self.x.values.literal(k.value)
                shown = json.dumps(plain_json(value)) if ok else "..."
                self.x.out.append(
                    Finding(
                        k.lineno,
                        f"{method} {endpoint} example: the {kind} SDK's {call} has no "
                        f"parameter {k.arg!r}, so the call raises TypeError; pass it as "
                        f'extra_body={{"{k.arg}": {shown}}}',
                    )
                )

    def sdk_body(self, node: ast.Call, method: str, endpoint: str) -> None:
        """The body an SDK call sends: its keywords (but the SDK's own options), `extra_body` merged in."""
        body: dict[str, Any] = {}
        nodes: dict[str, ast.expr] = {}
        skipped: set[str] = set()
        for k in node.keywords:
            if k.arg is None or k.arg in SDK_OPTIONS and k.arg != "extra_body":  # no **kwargs: see call
                continue
            ok, value = self.x.values.literal(k.value)
            if k.arg == "extra_body":
                if ok and isinstance(value, dict):
                    body.update(value)
                    nodes.update(self.x.values.keys(k.value))
            elif ok:
                body[k.arg] = value
                nodes[k.arg] = self.x.values.resolve(k.value)
            else:
                skipped.add(k.arg)
        self.x.report(
            Request(method, endpoint, "", body=body, has_body=True, line=node.lineno, skipped=frozenset(skipped)), nodes
        )


class HttpCalls:
    """`requests` and `httpx` calls: their URL, their key, and their JSON or form body."""

    def __init__(self, example: Example):
        self.x = example

    def call(self, node: ast.Call, method: str) -> None:
        url_node = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "url"), None)
        url = self.x.values.string(url_node)
        if url is None or url.startswith("\0"):
            return
        split = self.x.c.url_path(url)
        if split is None:
            problem = self.x.c.foreign_api_url(url)
            if problem:
                self.x.out.append(Finding(node.lineno, f"Python example {problem}"))
            return
        path, query = split
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        self.auth(node, kw.get("headers"), method, path)
        req = Request(method, path, query, line=node.lineno)
        if "json" in kw:
            self.json_body(node, req, kw["json"])
        elif "data" in kw or "files" in kw:
            self.form_body(req, kw.get("data"), kw.get("files"))
        else:
            self.x.report(req, {})

    def json_body(self, node: ast.Call, req: Request, value_node: ast.expr) -> None:
        """`json=` a literal, or a parameter of the function around the call: then each call's argument."""
        ok, value = self.x.values.literal(value_node)
        if ok:
            req.body, req.has_body = value, True
            self.x.report(req, self.x.values.keys(value_node))
            return
        calls = self.arguments_of(node, value_node)
        if not calls:
            self.x.out += self.x.c.request_sent_unseen(req)
        for arg in calls:  # `def send(payload): requests.post(url, json=payload)` ... `send({...})`
            ok, value = self.x.values.literal(arg)
            if ok:
                one = Request(req.method, req.path, req.query, body=value, has_body=True, line=arg.lineno)
                self.x.report(one, self.x.values.keys(arg))

    def form_body(self, req: Request, data_node: ast.expr | None, files_node: ast.expr | None) -> None:
        """`data=` and `files=`: the multipart form as the request schema sees it."""
        ok, data = self.x.values.literal(data_node) if data_node is not None else (True, {})
        files = {k: opened_name(v) or "file" for k, v in self.x.values.keys(files_node).items()}
        if not ok or not isinstance(data, dict):
            self.x.out += self.x.c.request_sent_unseen(req)
            return
        op = self.x.c.operation(req.method, req.path)
        req.body = (
            form_body(
                self.x.c.spec, op, {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}, files
            )
            if op
            else {**data, **files}
        )
        req.has_body = True
        self.x.report(req, self.x.values.keys(data_node))

    def arguments_of(self, inner: ast.Call, value: ast.expr) -> list[ast.expr]:
        """When `value` is a parameter of the function around `inner`, the arguments every call of that
        function passes for it."""
        if not isinstance(value, ast.Name):
            return []
        fn = next(
            (
                fn
                for fn in ast.walk(self.x.tree)
                if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and inner in ast.walk(fn)
            ),
            None,
        )
        if fn is None:
            return []
        params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
        if value.id not in params and value.id not in [a.arg for a in fn.args.kwonlyargs]:
            return []
        index = params.index(value.id) if value.id in params else None
        found = []
        for call in ast.walk(self.x.tree):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == fn.name:
                if index is not None and index < len(call.args):
                    found.append(call.args[index])
                found += [k.value for k in call.keywords if k.arg == value.id]
        return found

    def auth(self, node: ast.Call, headers: ast.expr | None, method: str, path: str) -> None:
        label = f"{self.x.c.label(method, path)} example"
        target = self.x.values.resolve(headers) if headers is not None else None
        if isinstance(target, ast.Dict):
            for k, v in zip(target.keys, target.values, strict=True):
                if isinstance(k, ast.Constant) and str(k.value).lower() in ("authorization", "x-api-key"):
                    self.x.out += self.x.c.key_finding(
                        v.lineno, self.x.values.key_source(v), f"{label}: the {str(k.value)} header"
                    )
                    return
        elif target is not None:
            return
        self.x.out.append(Finding(node.lineno, f"{label}: no Authorization or x-api-key header"))
