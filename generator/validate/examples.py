"""Check example requests: against the endpoint's request schema, and against the model they name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.model.objects import Catalog, Model
from generator.model.spec import Spec
from generator.problems import did_you_mean
from generator.validate.catalog import value_problem
from generator.validate.schemas import iter_errors

STRUCTURAL = {"model"}


def request_findings(
    spec: Spec, catalog: Catalog, endpoint: str, body: Any, *, method: str = "POST", check_model: bool = True
) -> Iterator[tuple[str, str]]:
    """(JSON path in the body, message) for everything wrong with one request body."""
    op = spec.operation(method, endpoint)
    if op is None:
        yield "$", f"{method} {endpoint} is not an operation of openapi.yaml"
        return
    pointer = spec.request_pointer(op)
    if pointer is None:
        return
    yield from iter_errors(spec.pointer_validator(pointer), body)
    if not check_model or not isinstance(body, dict) or not isinstance(body.get("model"), str):
        return
    model = catalog.model(body["model"])
    if model is None:
        yield "$.model", unknown_model(body["model"], catalog)
        return
    if endpoint not in model.endpoints:
        yield "$.model", (f"model {model.id!r} does not serve {endpoint}; it serves {', '.join(model.endpoints)}")
        return
    yield from parameter_findings(model, body)


def unknown_model(model_id: str, catalog: Catalog) -> str:
    """The message for a model id the catalog lacks: the closest id, and where models are declared."""
    hint = did_you_mean(model_id, (m.id for m in catalog.models))
    return f"unknown model {model_id!r}{hint}; models are declared in catalog/models/<provider>/<id>.yaml"


def parameter_findings(model: Model, body: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Values outside the model's own parameter ranges, parameters it lacks, required ones missing."""
    for key, value in body.items():
        if key in STRUCTURAL:
            continue
        param = model.parameter(key)
        if param is None:
            if key in model.withheld:
                yield f"$.{key}", f"model {model.id!r} does not accept parameter {key!r}"
            continue
        problem = value_problem(param, value)
        if problem:
            yield f"$.{key}", f"{key}: {problem} for model {model.id!r}"
    for param in model.parameters:
        if param.required and not any(n in body for n in (param.name, *param.aliases)):
            yield "$", f"missing {param.name!r}, which model {model.id!r} requires"


def check_catalog_examples(catalog: Catalog, spec: Spec, problems: Any) -> None:
    """Every example of every model must be a request the API accepts for that model."""
    for model in catalog.models:
        for i, ex in enumerate(model.examples):
            where = f"$.examples[{i}]"
            if ex.endpoint not in model.endpoints:
                problems.add(
                    ex.source,
                    f"example endpoint {ex.endpoint} is not one this model serves ({', '.join(model.endpoints)})",
                    line=ex.line,
                    path=f"{where}.endpoint",
                )
                continue
            if ex.body.get("model") != model.id:
                problems.add(
                    ex.source,
                    f"example names model {ex.body.get('model')!r}; use this model's id {model.id!r}",
                    line=ex.line,
                    path=f"{where}.body.model",
                )
                continue
            for path, message in request_findings(spec, catalog, ex.endpoint, ex.body):
                problems.add(
                    ex.source, f"POST {ex.endpoint} example: {message}", line=ex.line, path=where + ".body" + path[1:]
                )
