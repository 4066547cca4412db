"""asyncapi.yaml loaded and checked, problems with file:line, and its local `$ref`s followed."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from generator.load.yamlfile import YamlDoc, YamlError, child_path, load_yaml
from generator.problems import BuildError, Problem, display_path
from generator.snippets import plain
from generator.validate.schemas import json_path
from generator.views.apiref.schema_text import Resolve

ASYNCAPI = Path(__file__).resolve().parents[3] / "asyncapi.yaml"  # at the repo root, like the templates


def resolver(data: Any) -> Resolve:
    """Follow the document's local `$ref`s to a schema that is not one; `referencing` reads the JSON pointers.
    A pointer to nowhere, or a cycle of refs, raises `Unresolvable`."""
    refs = Registry().with_resource("", Resource.opaque(data)).resolver()

    def resolve(schema: Any) -> Any:
        hops = 0
        while local_ref(schema):
            schema, hops = refs.lookup(schema["$ref"]).contents, hops + 1
            if hops > 50:
                raise Unresolvable(ref=str(schema.get("$ref")) if isinstance(schema, dict) else "")
        return schema

    return resolve


def local_ref(raw: Any) -> bool:
    """Whether `raw` is a `$ref` into this document."""
    return isinstance(raw, dict) and isinstance(raw.get("$ref"), str) and raw["$ref"].startswith("#/")


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
    problems = _head_problems(data)
    channels = data.get("channels")
    if not isinstance(channels, dict) or len(channels) != 1:
        return problems + [("$.channels", "`channels` must hold exactly one channel (the run-events channel)")]
    ((name, item),) = channels.items()
    where = json_path(["channels", name])
    if not isinstance(item, dict) or not ({"publish", "subscribe"} & set(item)):
        return problems + [(where, "the channel needs a `publish` or `subscribe` operation")]
    resolve = resolver(data)
    for op in ("publish", "subscribe"):
        if op in item:
            problems += _operation_problems(data, resolve, item[op], json_path(["channels", name, op, "message"]))
    return problems


def _head_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """What the page's head needs: a title, and at least one server with its URL and protocol."""
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
    return problems


def _operation_problems(data: Any, resolve: Resolve, operation: Any, at: str) -> list[tuple[str, str]]:
    """The problems of the message (or each of the `oneOf` messages) a publish or subscribe operation carries,
    each reported where the message is written; `at` is the path of the operation's `message`."""
    try:
        raw = operation.get("message")
        message = resolve(raw)
        refs = (
            [(m, _where(m, f"{at}.oneOf[{i}]")) for i, m in enumerate(message["oneOf"])]
            if "oneOf" in message
            else [(raw, _where(raw, at))]
        )
        messages = [(resolve(m), w) for m, w in refs]
    except (Unresolvable, LookupError, TypeError, ValueError, AttributeError):
        return [(at, "the message cannot be resolved: check its `$ref`")]
    return [problem for m, w in messages for problem in _message_problems(data, resolve, m, w)]


def _where(raw: Any, fallback: str) -> str:
    """The JSON path a local `$ref` points to, so problems are reported where the thing is written.
    (`referencing` resolves a pointer but does not say where it led; its segments are read as it reads them.)"""
    if local_ref(raw):
        segments = unquote(raw["$ref"][2:]).split("/")
        return json_path(p.replace("~1", "/").replace("~0", "~") for p in segments)
    return fallback


def _message_problems(data: Any, resolve: Resolve, message: Any, at: str) -> list[tuple[str, str]]:
    if not isinstance(message, dict) or not message.get("name") or "payload" not in message:
        return [(at, "a message needs a `name` and a `payload`")]
    try:
        payload = resolve(message["payload"])
    except (Unresolvable, LookupError, TypeError, ValueError):
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
            return problems + [
                (
                    at,
                    f"the payload schema of message {message['name']!r} cannot be used "
                    f"({type(err).__name__}); check it is a valid JSON Schema",
                )
            ]
        for error in errors:
            where = f"{at}.examples[{i}].payload"
            for part in error.absolute_path:
                where = child_path(where, part)
            problems.append((where, f"example of message {message['name']!r}: {error.message}"))
    return problems
