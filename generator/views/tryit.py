"""The Try it console's data: where it may send, what each endpoint takes, and what a call costs.

The console (templates/assets/try-it*.js) reads this JSON from the page and builds its form from it;
nothing here is markup. The rates are the cost calculator's plan (views/calculator.py), so the cost the
console shows is the calculator's exact arithmetic over the same rates.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from generator.model.objects import Catalog, Model, Parameter
from generator.model.spec import Operation, Spec
from generator.problems import Problem, display_path
from generator.snippets import plain
from generator.views import calculator

# The event format of each streaming endpoint, as the console parses it.
STREAM_FORMATS = {"/v1/chat/completions": "chat", "/v1/responses": "responses", "/v1/messages": "messages"}
LOOPBACK_NAMES = ("localhost",)
PICKER_MODELS = 300  # an operation page lists this many models to pick from; past it, the reader types an id


def server_problem(url: Any) -> str | None:
    """Why `url` cannot be a server of the console, or None: https:, http: on a loopback address, or a
    path of the docs host itself (the same-origin route of deploy/)."""
    if not isinstance(url, str) or not url.strip():
        return f"{url!r} is not a URL"
    if url.startswith("/") and not url.startswith("//"):
        if any(c in url for c in "?#\\") or " " in url:
            return f"{url} is a path with a query, a fragment or a backslash; give a plain path such as /api"
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as err:
        return f"{url} is not a URL ({err})"
    if parts.query or parts.fragment or parts.username or parts.password:
        return f"{url} has a query, a fragment or credentials; give the base URL alone, such as https://api.example.com"
    if not parts.hostname:
        return f"{url} names no host"
    if parts.scheme == "https":
        return None
    if parts.scheme == "http":
        if _is_loopback(parts.hostname):
            return None
        return (
            f"{url} is plain http: on a host that is not loopback; use https:, or http: only on "
            "127.0.0.1, localhost or [::1] (a gateway on your own machine)"
        )
    return f"{url} has the scheme {parts.scheme or 'none'}:; use https: (or http: on a loopback address)"


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def spec_servers(spec: Spec) -> tuple[str, ...]:
    """openapi.yaml's `servers`, the console's default."""
    return tuple(str(s.get("url", "")).rstrip("/") for s in spec.data.get("servers", []) if isinstance(s, dict))


def spec_server_problems(spec: Spec) -> list[Problem]:
    """openapi.yaml's servers the console may not call, when mkdocs.yml sets no `try_it_servers`."""
    doc = spec.doc
    out = []
    for i, url in enumerate(spec_servers(spec)):
        message = server_problem(url)
        if message:
            out.append(
                Problem(
                    display_path(doc.path),
                    doc.line(f"$.servers[{i}].url"),
                    f"servers: {message}; or list the Try it console's servers in mkdocs.yml (try_it_servers)",
                )
            )
    return out


def servers_json(servers: tuple[str, ...]) -> str:
    return calculator.page_json([s.rstrip("/") for s in servers])


@dataclass(frozen=True)
class Endpoint:
    """One request the console can make: its method and path, and how to send and read it."""

    method: str
    path: str
    title: str
    body: dict[str, Any] | None
    content: str | None  # "json", "multipart", or None (no body)
    files: tuple[str, ...]  # the multipart fields that are files
    stream: str | None  # the event format when the reader may ask for a stream
    job: str | None  # the path to poll when the call answers 202 with a job
    path_params: tuple[tuple[str, str], ...] = ()  # (name, example)

    def as_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "title": self.title,
            "body": self.body,
            "content": self.content,
            "files": list(self.files),
            "stream": self.stream,
            "job": self.job,
            "path_params": [list(p) for p in self.path_params],
        }


def job_path(spec: Spec, op: Operation | None) -> str | None:
    """The GET path that returns the job a 202 of `op` creates: the operation whose 200 answers the same
    schema, with one path parameter (`/v1/jobs/{job_id}`)."""
    if op is None:
        return None
    accepted = op.raw.get("responses", {}).get("202")
    if not accepted:
        return None
    schema = spec.resolve(accepted).get("content", {}).get("application/json", {}).get("schema")
    for other in spec.operations:
        ok = other.raw.get("responses", {}).get("200")
        if other.method == "GET" and ok and "{" in other.path:
            if spec.resolve(ok).get("content", {}).get("application/json", {}).get("schema") == schema:
                return other.path
    return None


def endpoint(spec: Spec, method: str, path: str, title: str, body: dict[str, Any] | None, streams: bool) -> Endpoint:
    op = spec.operation(method, path)
    ctype = op.content_type if op else None
    multipart = ctype == "multipart/form-data"
    files: tuple[str, ...] = ()
    if op and multipart:
        files = spec.binary_fields(op.raw["requestBody"]["content"][ctype]["schema"])
    params: list[tuple[str, str]] = []
    for raw in op.raw.get("parameters", []) if op else ():
        p = spec.resolve(raw)
        if p.get("in") == "path":
            params.append((p["name"], str(p.get("example", ""))))
    return Endpoint(
        method,
        path,
        title,
        plain(body) if ctype and body is not None else None,
        "multipart" if multipart else "json" if ctype else None,
        files,
        STREAM_FORMATS.get(path) if streams else None,
        job_path(spec, op),
        tuple(params),
    )


def _number(value: Decimal | int | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def parameter_json(p: Parameter) -> dict[str, Any]:
    return {
        "name": p.name,
        "type": p.type,
        "min": _number(p.min),
        "max": _number(p.max),
        "max_items": p.max_items,
        "values": plain(list(p.values)),
        "default": plain(p.default),
        "required": p.required,
    }


def pricing_note(model: Model) -> str:
    """Why the console shows no cost for a model that is not token-priced."""
    units = sorted({r.per_text.removeprefix("per ") for r in model.pricing if r.derived is None})
    return (
        f"{model.name} is priced per {', per '.join(units)}, not per token: "
        "the console computes the cost of token-priced calls only"
    )


def model_json(catalog: Catalog, spec: Spec, model: Model) -> str:
    """The console of a model page: its endpoints with the catalog's example bodies, its parameters and its
    rate plan."""
    return calculator.page_json(model_data(catalog, spec, model))


def model_data(catalog: Catalog, spec: Spec, model: Model) -> dict[str, Any]:
    examples = {ex.endpoint: ex for ex in model.examples}
    endpoints = []
    for path in model.endpoints:
        ex = examples.get(path)
        body = dict(ex.body) if ex else {"model": model.id}
        endpoints.append(
            endpoint(spec, "POST", path, ex.title if ex else path, body, model.capabilities.streaming).as_json()
        )
    plan = calculator.plan(model) if calculator.is_token_priced(model) else None
    return {
        "model": model.id,
        "name": model.name,
        "endpoints": endpoints,
        "params": [parameter_json(p) for p in model.parameters],
        "plan": plan.as_json() if plan else None,
        "price_note": None if plan else pricing_note(model),
        **_common(catalog),
    }


def operation_json(catalog: Catalog, spec: Spec, op: Operation, body: dict[str, Any] | None) -> str:
    """The console of an operation page: the operation, its spec example, and the models that serve it
    (each model's own data is read from its page when the reader picks it)."""
    models = [m for m in catalog.models if op.path in m.endpoints]
    data = {
        "operation": endpoint(spec, op.method, op.path, op.summary, body, False).as_json(),
        "models": [[m.id, m.name, _page(m)] for m in models] if len(models) <= PICKER_MODELS else None,
        "model_page": _page_of("{id}"),  # where a typed model id's data is, past PICKER_MODELS
        **_common(catalog),
    }
    return calculator.page_json(data)


def _page(model: Model) -> str:
    return _page_of(model.url.removesuffix(".md").removeprefix("models/"))


def _page_of(model_id: str) -> str:
    """A model page's address from an operation page (api/x/)."""
    return f"../../models/{model_id}/"


def _common(catalog: Catalog) -> dict[str, Any]:
    p = catalog.platform
    return {"key_env": p.key_env, "poll_seconds": p.limits.poll_interval_seconds.min}
