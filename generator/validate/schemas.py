"""JSON Schema validation of each catalog file, with messages a contributor can act on."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import jsonschema
from referencing import Registry, Resource

from generator.problems import Problems
from generator.load.yamlfile import YamlDoc, child_path

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "catalog" / "schema"


@cache
def registry() -> Registry:
    """Every schema of catalog/schema, reachable by its $id and by its file name."""
    reg: Registry = Registry()
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        resource = Resource.from_contents(json.loads(path.read_text("utf-8")))
        reg = reg.with_resources([(resource.id() or path.name, resource), (path.name, resource)])
    return reg


@cache
def validator(kind: str) -> jsonschema.protocols.Validator:
    """The compiled validator of one kind of file; built once per process."""
    schema = registry().contents(f"{kind}.schema.json")
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, registry=registry())


def check(doc: YamlDoc, kind: str, problems: Problems) -> bool:
    """Validate `doc` against its kind's schema; report every error; True when valid."""
    ok = True
    for path, message in iter_errors(validator(kind), doc.data):
        problems.add(doc.path, message, line=doc.line(path), path=path)
        ok = False
    return ok


def iter_errors(v: jsonschema.protocols.Validator, data: Any) -> Iterator[tuple[str, str]]:
    """(JSON path, readable message) for each error, most specific first, in document order."""
    for error in sorted(v.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        yield from explain(error)


def json_path(parts: Any) -> str:
    path = "$"
    for p in parts:
        path = child_path(path, p)
    return path


def explain(error: jsonschema.ValidationError) -> Iterator[tuple[str, str]]:
    """Translate one raw validator error into (path, message) pairs."""
    path = json_path(error.absolute_path)
    kw = error.validator
    # both are set on every error a validator yields (the stubs allow Unset)
    value: Any = error.instance
    wanted: Any = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kw == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed), key=str):
            hint = difflib.get_close_matches(str(key), allowed, n=1)
            fix = f"did you mean {hint[0]!r}?" if hint else f"allowed keys: {', '.join(allowed)}"
            yield child_path(path, key), f"unknown key {key!r} ({fix})"
        return
    if kw == "required":
        missing = [k for k in wanted if k not in value]
        for key in missing:
            yield path, f"missing required key {key!r}"
        return
    if kw == "type":
        want = wanted
        want = " or ".join(want) if isinstance(want, list) else want
        yield path, f"must be {_article(want)}, not {_describe(value)}"
        return
    if kw in ("enum", "const"):
        options = wanted if kw == "enum" else [wanted]
        hint = difflib.get_close_matches(str(value), [str(o) for o in options], n=1)
        tail = f" (did you mean {hint[0]!r}?)" if hint else ""
        yield path, f"{_show(value)} is not one of {', '.join(map(_show, options))}{tail}"
        return
    if kw == "pattern":
        yield path, f"{_show(value)} does not match the pattern {wanted}"
        return
    if kw in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {"minimum": "at least", "exclusiveMinimum": "greater than",
                 "maximum": "at most", "exclusiveMaximum": "less than"}[kw]
        yield path, f"must be {words} {wanted}, not {_show(value)}"
        return
    if kw == "minItems":
        yield path, f"must have at least {wanted} item(s)"
        return
    if kw == "minLength":
        yield path, "must not be empty"
        return
    if kw == "uniqueItems":
        yield path, "has duplicate items; list each once"
        return
    if kw in ("oneOf", "anyOf") and error.context:
        yield from _explain_union(error, path, schema)
        return
    if kw == "$ref" or error.context:
        for sub in error.context:
            yield from explain(sub)
        return
    yield path, error.message


def _explain_union(error: jsonschema.ValidationError, path: str, schema: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """A union fails: name the branch the value meant (by its discriminator), or the closest branch."""
    disc = schema.get("discriminator", {})
    value = error.instance
    prop = disc.get("propertyName")
    if prop and isinstance(value, dict) and "mapping" in disc:
        options = list(disc["mapping"])
        tag = value.get(prop)
        if not isinstance(tag, str) or tag not in disc["mapping"]:
            hint = difflib.get_close_matches(str(tag), options, n=1)
            tail = f" (did you mean {hint[0]!r}?)" if hint else ""
            where = child_path(path, prop)
            if tag is None:
                yield path, f"missing required key {prop!r}"
            else:
                yield where, f"{_show(tag)} is not one of {', '.join(map(_show, options))}{tail}"
            return
        branches = schema.get(str(error.validator), [])
        target = disc["mapping"][tag]
        chosen = [e for e in error.context if branches[e.schema_path[0]].get("$ref") == target]
        if chosen:
            for sub in chosen:
                yield from explain(sub)
            return
    yield from explain(jsonschema.exceptions.best_match(error.context))


def _article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a number ({value})"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
