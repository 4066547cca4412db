"""JSON Schema validation of each catalog file, with messages a contributor can act on."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Collection, Iterator
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from generator import cache as disk
from generator.load.yamlfile import YamlDoc, child_path
from generator.problems import Problems, count

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


def check(doc: YamlDoc, kind: str, problems: Problems, *, reported: Collection[str] = ()) -> bool:
    """Validate `doc` against its kind's schema; report every error but those at or below the JSON paths
    of `reported` (already reported otherwise); True when valid."""
    # a file found valid is remembered in the cache folder, keyed by its data and every schema: `check`
    # validates only what changed since (repr tells a date from a string that reads the same)
    name = f"valid/{disk.key(_schemas_key(), kind, json.dumps(doc.data, sort_keys=True, default=repr))}"
    errors = disk.unless_clean(name, lambda: list(iter_errors(validator(kind), doc.data)))
    for path, message in errors:
        if not any(path == r or path.startswith((f"{r}.", f"{r}[")) for r in reported):
            problems.add(doc.path, message, line=doc.line(path), path=path)
    return not errors


@cache
def _schemas_key() -> str:
    """What a file's validity depends on besides its data: every schema, and the validator's version."""
    schemas = (p.read_bytes() for p in sorted(SCHEMA_DIR.glob("*.schema.json")))
    return disk.key(metadata.version("jsonschema"), *schemas)


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
    kw = str(error.validator)
    # both are set on every error a validator yields (the stubs allow Unset)
    value: Any = error.instance
    wanted: Any = error.validator_value
    if isinstance(error.schema, dict) and "x-message" in error.schema:
        # the schema words this rule itself: the reason and the fix
        yield path, str(error.schema["x-message"]).format(value=_show(value))
    elif kw == "additionalProperties" and isinstance(value, dict):
        yield from _unknown_keys(path, value, error.schema)
    elif kw == "required":
        typos = {meant: typo for typo, meant in misspelt(value, error.schema).items()}
        for k in wanted:
            if k in typos:  # pointed at where the key was meant to be
                yield child_path(path, typos[k]), f"missing required key {k!r}: is {typos[k]!r} a misspelling of it?"
            elif k not in value:
                yield path, f"missing required key {k!r}"
    elif kw in _MESSAGES:
        yield path, _MESSAGES[kw](kw, value, wanted)
    elif kw in ("oneOf", "anyOf") and error.context:
        yield from _explain_union(error, path, error.schema if isinstance(error.schema, dict) else {})
    elif kw == "$ref" or error.context:
        for sub in error.context:
            yield from explain(sub)
    else:
        yield path, error.message


def misspelt(value: Any, schema: Any) -> dict[str, str]:
    """Unknown keys of `value` that are near-misses of a required key it lacks: {typo: required key}."""
    if not isinstance(value, dict) or not isinstance(schema, dict):
        return {}
    allowed = sorted(schema.get("properties", {}))
    missing = set(schema.get("required", ())) - set(value)
    found: dict[str, str] = {}
    for key in sorted(set(value) - set(allowed), key=str):
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        if hint and hint[0] in missing and hint[0] not in found.values():
            found[str(key)] = hint[0]
    return found


def _unknown_keys(path: str, value: dict[Any, Any], schema: Any) -> Iterator[tuple[str, str]]:
    allowed = sorted(schema.get("properties", {}) if isinstance(schema, dict) else ())
    typos = misspelt(value, schema)  # reported once, as the missing key they were meant to be
    for key in sorted(set(value) - set(allowed) - set(typos), key=str):
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        fix = f"did you mean {hint[0]!r}?" if hint else f"allowed keys: {', '.join(allowed)}"
        yield child_path(path, key), f"unknown key {key!r} ({fix})"


def _one_of(kw: str, value: Any, wanted: Any) -> str:
    options = wanted if kw == "enum" else [wanted]
    hint = difflib.get_close_matches(str(value), [str(o) for o in options], n=1)
    tail = f" (did you mean {hint[0]!r}?)" if hint else ""
    return f"{_show(value)} is not one of {', '.join(map(_show, options))}{tail}"


def _type(kw: str, value: Any, wanted: Any) -> str:
    return f"must be {_article(' or '.join(wanted) if isinstance(wanted, list) else wanted)}, not {_describe(value)}"


_BOUNDS = {
    "minimum": "at least",
    "exclusiveMinimum": "greater than",
    "maximum": "at most",
    "exclusiveMaximum": "less than",
}


def _bound(kw: str, value: Any, wanted: Any) -> str:
    return f"must be {_BOUNDS[kw]} {wanted}, not {_show(value)}"


# keyword -> the message of its error, from (keyword, the value, the keyword's value in the schema)
_MESSAGES: dict[str, Callable[[str, Any, Any], str]] = {
    "type": _type,
    "enum": _one_of,
    "const": _one_of,
    **dict.fromkeys(_BOUNDS, _bound),
    "pattern": lambda kw, value, wanted: f"{_show(value)} does not match the pattern {wanted}",
    "minItems": lambda kw, value, wanted: f"must have at least {count(wanted, 'item')}",
    "minLength": lambda kw, value, wanted: "must not be empty",
    "uniqueItems": lambda kw, value, wanted: "has duplicate items; list each once",
}


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
