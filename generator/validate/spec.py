"""openapi.yaml checked once: its structure against the OpenAPI 3.1 schema, its `$ref`s, and the examples
it carries against their own schemas. Every problem is reported with its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
from referencing.exceptions import Unresolvable

from generator import cache
from generator.load.yamlfile import MAX_BYTES, YamlDoc, YamlError, child_path, load_yaml
from generator.model.spec import Operation, Spec, escape, resolver_of
from generator.problems import Problem, Problems
from generator.validate.schemas import explain, iter_errors, json_path

_LAST: tuple[str, Spec | None, list[Problem]] | None = None  # the last document read, by its bytes


def load_spec(path: Path, problems: Problems) -> Spec | None:
    """Parse and validate openapi.yaml; report every problem with its line. The same bytes are read once
    per process (`serve` rebuilds, in-process fuzzing)."""
    global _LAST
    if not path.is_file():
        problems.add(path, "OpenAPI file not found; pass --openapi FILE")
        return None
    with path.open("rb") as f:
        key = cache.key(str(path.resolve()), str(Path.cwd()), f.read(MAX_BYTES + 1))
    if _LAST is None or _LAST[0] != key:
        found = Problems()
        _LAST = (key, _load_spec(path, found), found.items)
    problems.items.extend(_LAST[2])
    return _LAST[1]


def _load_spec(path: Path, problems: Problems) -> Spec | None:
    try:
        doc = load_yaml(path)
    except YamlError as err:
        problems.add(path, err.message, line=err.line)
        return None
    if not isinstance(doc.data, dict) or not str(doc.data.get("openapi", "")).startswith("3.1"):
        problems.add(path, "not an OpenAPI 3.1 document: set `openapi: 3.1.0`", line=1)
        return None
    if not _known_valid(path):
        if _report_spec_errors(doc, path, problems) or _report_ref_errors(doc, path, problems):
            return None
        _remember_valid(path)
    spec = Spec(doc)
    for op in spec.operations:
        try:
            _check_media_examples(spec, op, problems)
        except (jsonschema.exceptions.SchemaError, Unresolvable) as err:
            at = _pointer_to_path(f"#/paths/{escape(op.path)}/{op.method.lower()}")
            problems.add(
                path,
                f"{op.method} {op.path}: a schema cannot be used to check its examples "
                f"({str(err).splitlines()[0][:200]})",
                line=doc.line(at),
                path=at,
            )
    return spec


def _cache_name(path: Path) -> str:
    """Validating a 3,000-line spec takes most of a second and the spec changes far less often than the
    catalog: the verdict on one exact text is remembered."""
    from importlib.metadata import version  # importing the validator itself costs a fifth of a second

    return f"openapi-valid-{cache.key(path.read_bytes(), version('openapi-spec-validator'), 'structure+refs')}"


def _known_valid(path: Path) -> bool:
    return cache.read(_cache_name(path)) is not None


def _remember_valid(path: Path) -> None:
    cache.write(_cache_name(path), "valid\n")


def _report_spec_errors(doc: YamlDoc, path: Path, problems: Problems) -> bool:
    """The structure first, against the OpenAPI 3.1 JSON Schema: the spec validator's own checks assume a
    sound structure and crash inside on a broken one. Then those checks, whose crashes are reported too."""
    from openapi_spec_validator import OpenAPIV31SpecValidator
    from openapi_spec_validator.schemas import openapi_v31_schema_validator

    def add(message: str, where: str) -> None:
        problems.add(path, f"invalid OpenAPI: {message}", line=doc.line(where), path=where)

    try:
        structure = sorted(openapi_v31_schema_validator.iter_errors(doc.data), key=lambda e: [str(p) for p in e.path])
        for error in structure:
            for where, message in explain(_narrowest(error)):
                add(message if len(message) <= 300 else message[:300] + "…", where)
        if structure:
            return True
        found = False
        for error in OpenAPIV31SpecValidator(doc.data).iter_errors():
            found = True
            add(error.message, json_path(getattr(error, "absolute_path", ()) or ()))
        return found
    except Exception as err:  # noqa: BLE001 - the validator's internals are not ours; its crash is a problem
        add(
            f"the document cannot be validated ({type(err).__name__}: {str(err)[:200] or 'no detail'}); "
            "check it against https://spec.openapis.org/oas/v3.1.0",
            "$",
        )
        return True


def _report_ref_errors(doc: YamlDoc, path: Path, problems: Problems) -> bool:
    """Every `$ref` is a string, and a local one points to something: the validators and the pages follow
    them, and the OpenAPI JSON Schema does not look inside schemas."""
    found = False
    resolver = resolver_of(doc.data)

    def walk(node: Any, where: str) -> None:
        nonlocal found
        if isinstance(node, dict):
            ref = node.get("$ref")
            at = child_path(where, "$ref")
            if "$ref" in node and not isinstance(ref, str):
                problems.add(
                    path,
                    "invalid OpenAPI: `$ref` must be a string such as '#/components/schemas/Name'",
                    line=doc.line(at),
                    path=at,
                )
                found = True
            elif isinstance(ref, str) and ref.startswith("#") and _points_to_nothing(resolver, ref):
                problems.add(
                    path,
                    f"invalid OpenAPI: `$ref` {ref!r} points to nothing in this document",
                    line=doc.line(at),
                    path=at,
                )
                found = True
            for key, value in node.items():
                walk(value, child_path(where, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, child_path(where, i))

    walk(doc.data, "$")
    return found


def _points_to_nothing(resolver: Any, ref: str) -> bool:
    try:
        resolver.lookup(ref)
    except Unresolvable:
        return True
    return False


def _narrowest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """A failed union of the OpenAPI JSON Schema: the part of it that the value comes closest to."""
    return jsonschema.exceptions.best_match(error.context) if error.context else error


def _check_media_examples(spec: Spec, op: Operation, problems: Problems) -> None:
    """Request and response examples inside the spec must satisfy their own schemas."""
    base = f"#/paths/{escape(op.path)}/{op.method.lower()}"
    media = []
    for ctype, body in op.raw.get("requestBody", {}).get("content", {}).items():
        media.append((f"{base}/requestBody/content/{escape(ctype)}", body))
    for status, resp in op.raw.get("responses", {}).items():
        if not isinstance(resp, dict) or "$ref" in resp:  # `x-...: null` extensions are allowed there
            continue
        for ctype, body in resp.get("content", {}).items():
            media.append((f"{base}/responses/{status}/content/{escape(ctype)}", body))
    for pointer, body in media:
        if "schema" not in body:
            continue
        samples = []
        if "example" in body:
            samples.append(("example", body["example"]))
        for name, ex in body.get("examples", {}).items():
            if isinstance(ex, dict) and "value" in ex:
                samples.append((f"examples.{name}.value", ex["value"]))
        if not samples or "event-stream" in pointer:
            continue
        v = spec.pointer_validator(pointer + "/schema")
        for where, value in samples:
            for path, message in iter_errors(v, value):
                json_where = _pointer_to_path(pointer) + "." + where
                problems.add(
                    spec.doc.path,
                    f"{op.method} {op.path} {where}: {message} at {path}",
                    line=spec.doc.line(json_where + path[1:]),
                )


def _pointer_to_path(pointer: str) -> str:
    """`#/paths/~1v1~1models/get` as the JSON path `doc.line` takes."""
    return json_path(p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("#/").split("/"))
