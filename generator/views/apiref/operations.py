"""One page per OpenAPI operation: auth, parameters, body, responses, errors, examples, models."""

from __future__ import annotations

from typing import Any

from generator.model.objects import Catalog
from generator.model.spec import Operation, Spec
from generator.snippets import Api
from generator.views import tryit
from generator.views.apiref.errors import error_row, error_shape, known_codes
from generator.views.apiref.examples import request_examples, response_examples
from generator.views.apiref.fields import RESPONSE_DEPTH, flatten
from generator.views.apiref.markdown import code, code_span, heading_anchor, md, md_cell, meta_lead, sentence
from generator.views.apiref.schema_text import range_text, ref_name, schema_variants, type_text, values_text
from generator.views.apiref.views import (
    AuthScheme,
    MediaLink,
    OperationPage,
    ParamRow,
    RequestBody,
    ResponseRow,
    SchemaSection,
    ServingModels,
)
from generator.views.pages import api_of

MANY_MODELS = 20  # past this, "Models that serve this endpoint" gives a count and the pricing page


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
                examples += response_examples(status, ctype, body)
            else:
                error_media.append((status, body))
        responses.append(ResponseRow(status, md_cell(resp.get("description", "")), tuple(media)))
        if not _success(status):
            errors.append(error_row(status, resp, media[0] if media else None, known))
    shape = error_shape(spec, error_media, schemas)
    body = _request_body(spec, op)
    requests = request_examples(api, spec, op)
    return OperationPage(
        method=op.method,
        path=op.path,
        url=api.host + op.path,
        summary=op.summary or op.id,
        description=md(op.description),
        lead=meta_lead(op.description),
        auth=_auth(spec, op, api),
        parameters=_parameters(spec, op),
        body=body,
        responses=tuple(responses),
        schemas=tuple(s for s in schemas.values() if shape is None or s.anchor != shape.schema.anchor),
        errors=tuple(errors),
        error_shape=shape,
        requests=requests,
        examples=tuple(examples),
        serving=_serving(catalog, op),
        try_it_json=tryit.operation_json(
            catalog, spec, op, requests[0].body if requests and op.method != "GET" else None
        ),
    )


def _success(status: str) -> bool:
    return status.startswith("2")


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
        variants = schema_variants(spec.resolve, p.get("schema", {}))
        text = sentence(" ".join(str(p.get("description", "")).split()))
        allowed = "; ".join(x for x in (values_text(variants), range_text(variants)) if x)
        if allowed:
            text += f" Allowed: {allowed}."
        if "example" in p:
            text += f" Example: {code_span(code(p['example']))}."
        rows.append(
            ParamRow(
                p["name"],
                p.get("in", ""),
                md_cell(type_text(spec.resolve, variants)),
                bool(p.get("required")),
                md_cell(text),
            )
        )
    return tuple(rows)


def _request_body(spec: Spec, op: Operation) -> RequestBody | None:
    rb = spec.resolve(op.raw.get("requestBody"))
    if not rb or not op.content_type:
        return None
    raw = rb["content"][op.content_type].get("schema", {})
    name = ref_name(raw) or "Request body"
    schema = spec.resolve(raw)
    section = SchemaSection(name, heading_anchor(name), md(schema.get("description", "")), flatten(spec.resolve, raw))
    return RequestBody(op.content_type, bool(rb.get("required")), section)


def _media_link(spec: Spec, ctype: str, raw: Any, schemas: dict[str, SchemaSection]) -> MediaLink:
    name = ref_name(raw)
    if not name:
        return MediaLink(ctype, "", "")
    anchor = heading_anchor(name)
    if anchor not in schemas:
        schema = spec.resolve(raw)
        event = schema.get("contentSchema", {}).get("$ref")  # a stream: the schema of each event's data
        target = {"$ref": event} if event else raw
        schemas[anchor] = SchemaSection(
            name,
            anchor,
            md(schema.get("description", "")),
            flatten(spec.resolve, target, max_depth=RESPONSE_DEPTH),
            ref_name(target) if event else "",
        )
    return MediaLink(ctype, name, anchor)


def _serving(catalog: Catalog, op: Operation) -> ServingModels:
    models = tuple(m for m in catalog.models if op.path in m.endpoints)
    return ServingModels(models if len(models) <= MANY_MODELS else (), len(models))
