"""Turn validated, authored files into the resolved catalog, checking what spans fields and files."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from generator.validate import schemas
from generator.load.catalog import Sources
from generator.model.objects import (CAPABILITIES, Capabilities, Catalog, Category, Change, Discount, Example, Model,
                     Parameter, PriceRow, Provider, Release, Tier)
from generator.problems import Problems, display_path
from generator.scaffold import todo_paths
from generator.validate.textpolicy import ALLOWED, text_fields, text_problem
from generator.load.yamlfile import YamlDoc, child_path

HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--|<![A-Za-z]")
# Names a model id or provider slug may not take: the site's own pages in models/ and providers/.
RESERVED = {"models": ("index",), "providers": ("index",)}
ENDPOINT_TITLES = {
    "/v1/chat/completions": "Chat Completions", "/v1/responses": "Responses", "/v1/messages": "Anthropic Messages",
    "/v1/embeddings": "Embeddings", "/v1/images/generations": "Generate an image",
    "/v1/videos/generations": "Generate a video", "/v1/audio/speech": "Generate audio",
    "/v1/audio/transcriptions": "Transcribe audio", "/v1/search": "Search",
}


def resolve(sources: Sources, endpoints: set[str] | None, problems: Problems) -> Catalog | None:
    """Check every file and build the catalog; None when the platform file itself is unusable."""
    platform_doc = sources.platform
    if platform_doc is None or not schemas.check(platform_doc, "platform", problems):
        return None
    _text_problems(platform_doc, problems)
    platform = freeze(platform_doc.data)
    categories = tuple(Category(c.slug, c.name, c.unit) for c in platform.categories)
    providers = _providers(sources.providers, problems)
    profiles = _profiles(sources.profiles, problems)
    models = []
    seen: dict[str, str] = {}
    # A provider or profile whose own file has problems (unreadable too) is reported once, in that file.
    broken = frozenset(f.stem for f in (sources.root / "providers").glob("*.yaml") if f.stem not in providers) | \
        frozenset(f.stem for f in (sources.root / "profiles").glob("*.yaml") if f.stem not in profiles)
    for doc in sources.models:
        model = _model(doc, providers, profiles, {c.slug: c for c in categories}, endpoints, problems, broken)
        if model is None:
            continue
        if model.id in seen:
            problems.add(doc.path, f"duplicate model id {model.id!r}, also used by {seen[model.id]}; "
                         "ids must be unique", line=doc.line("$.id"), path="$.id")
            continue
        seen[model.id] = display_path(doc.path)
        models.append(model)
    models.sort(key=lambda m: (m.provider.name.lower(), m.name.lower(), m.id))
    provider_list = tuple(sorted(providers.values(), key=lambda p: p.name.lower()))
    by_provider = {p.slug: tuple(m for m in models if m.provider.slug == p.slug) for p in provider_list}
    for p in provider_list:
        if not by_provider[p.slug] and not problems:  # an unreadable model file may be this one's
            problems.add(p.source, f"provider {p.slug!r} has no models; add one or delete the file", line=1)
    return Catalog(platform, categories, provider_list, tuple(models), digest(sources),
                   _changelog(sources.changelog, problems), by_provider, {m.id: m for m in models})


def _changelog(doc: YamlDoc | None, problems: Problems) -> tuple[Release, ...]:
    if doc is None or not schemas.check(doc, "changelog", problems):
        return ()
    _text_problems(doc, problems)
    start = len(problems)
    for i, release in enumerate(doc.data):
        for j, change in enumerate(release["changes"]):
            for key in PRICE_CHANGE_AMOUNTS.get(change["kind"], ()):
                if not _amount(change.get(key)):
                    at = f"$[{i}].changes[{j}]"
                    problems.add(doc.path, f"a {change['kind']} change needs `{key}` as a decimal amount such as "
                                 f"'0.04'", line=doc.line(child_path(at, key)), path=child_path(at, key))
    if len(problems) > start:
        return ()
    releases = tuple(Release(r["date"], tuple(Change(**c) for c in r["changes"])) for r in doc.data)
    dates = [r.date for r in releases]
    if dates != sorted(dates, reverse=True) or len(set(dates)) != len(dates):
        problems.add(doc.path, "releases must be listed newest first, one per date", line=1)
    return releases


PRICE_CHANGE_AMOUNTS = {"price_up": ("old", "new"), "price_down": ("old", "new"), "price_added": ("new",),
                        "price_removed": ("old",)}


def _amount(text: Any) -> bool:
    """A decimal amount written as text, as `diff --record` writes prices: finite and not negative."""
    try:
        return isinstance(text, str) and Decimal(text).is_finite() and Decimal(text) >= 0
    except ArithmeticError:
        return False


def digest(sources: Sources) -> str:
    """A content hash of every catalog file, for provenance lines."""
    h = hashlib.sha256()
    docs = [d for d in (sources.platform, sources.changelog) if d]
    docs += sources.providers + sources.profiles + sources.models
    for doc in docs:
        h.update(doc.path.relative_to(sources.root).as_posix().encode())
        h.update(doc.path.read_bytes())
    return h.hexdigest()[:16]


def freeze(value: Any) -> Any:
    """Plain YAML data as read-only attribute objects (`from` becomes `from_`)."""
    if isinstance(value, dict):
        return SimpleNamespace(**{(k + "_" if k in ("from", "class") else k): freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value


def _text_problems(doc: YamlDoc, problems: Problems) -> None:
    """Every text field keeps to the Markdown a text field may carry (textpolicy.ALLOWED)."""
    for path, text in text_fields(doc.data):
        field = path.removeprefix("$").removeprefix(".")
        if HTML.search(text):
            problems.add(doc.path, "contains HTML markup; write plain text (it is escaped on the site)",
                         line=doc.line(path), path=path)
        elif why := text_problem(text):
            problems.add(doc.path, f"{field} {why}; a text field is {ALLOWED}", line=doc.line(path), path=path)


def _reserved(doc: YamlDoc, key: str, folder: str, problems: Problems) -> bool:
    """An id or slug that would land on a path the site itself uses (models/index.md is /models/)."""
    value = doc.data[key]
    if value in RESERVED[folder]:
        problems.add(doc.path, f"{key} {value!r} is reserved: {folder}/{value}.md is the site's own page; "
                     f"reserved names: {', '.join(RESERVED[folder])}", line=doc.line(f"$.{key}"), path=f"$.{key}")
        return True
    return False


def _file_stem_matches(doc: YamlDoc, key: str, problems: Problems) -> bool:
    value = doc.data[key]
    if doc.path.stem != value:
        problems.add(doc.path, f"file name {doc.path.name!r} does not match {key} {value!r}; "
                     f"rename the file to {value}.yaml", line=doc.line(f"$.{key}"), path=f"$.{key}")
        return False
    return True


def _providers(docs: list[YamlDoc], problems: Problems) -> dict[str, Provider]:
    out: dict[str, Provider] = {}
    for doc in docs:
        if not schemas.check(doc, "provider", problems):
            continue
        _text_problems(doc, problems)
        if _reserved(doc, "slug", "providers", problems) or not _file_stem_matches(doc, "slug", problems):
            continue
        d = doc.data
        out[d["slug"]] = Provider(d["slug"], d["name"], d["description"], d.get("website"), doc.path)
    return out


def _profiles(docs: list[YamlDoc], problems: Problems) -> dict[str, tuple[YamlDoc, list[Parameter]]]:
    out = {}
    for doc in docs:
        if not schemas.check(doc, "profile", problems) or not _file_stem_matches(doc, "id", problems):
            continue
        _text_problems(doc, problems)
        params = []
        names: set[str] = set()
        for i, raw in enumerate(doc.data["parameters"]):
            path = f"$.parameters[{i}]"
            if raw["name"] in names:
                problems.add(doc.path, f"parameter {raw['name']!r} is defined twice; keep one",
                             line=doc.line(path), path=path)
                continue
            names.add(raw["name"])
            param = _parameter(raw)
            _parameter_problems(param, doc, path, problems)
            params.append(param)
        out[doc.data["id"]] = (doc, params)
    return out


def _parameter(raw: dict[str, Any]) -> Parameter:
    return Parameter(
        name=raw["name"], type=raw["type"], description=" ".join(raw["description"].split()),
        default=raw.get("default"), min=raw.get("min"), max=raw.get("max"), max_items=raw.get("max_items"),
        values=tuple(raw.get("values", ())), required=raw.get("required", False),
        aliases=tuple(raw.get("aliases", ())), requires=tuple(sorted(raw.get("requires", {}).items())),
        capability=raw.get("capability"), format=raw.get("format"))


def _parameter_problems(p: Parameter, doc: YamlDoc, path: str, problems: Problems) -> None:
    """Sanity of one parameter: a range that is a range, a default that the parameter accepts."""
    def add(message: str, key: str = "") -> None:
        at = child_path(path, key) if key else path
        problems.add(doc.path, f"parameter {p.name!r}: {message}", line=doc.line(at), path=at)

    if p.min is not None and p.max is not None and p.min > p.max:
        add(f"min {p.min} is greater than max {p.max}", "max")
    if p.default is not None:
        problem = value_problem(p, p.default)
        if problem:
            add(f"default {problem}", "default")


def value_problem(p: Parameter, value: Any) -> str | None:
    """Why `value` is not acceptable for `p`, or None."""
    checks = {"number": lambda v: isinstance(v, (int, Decimal, float)) and not isinstance(v, bool),
              "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
              "string": lambda v: isinstance(v, str), "boolean": lambda v: isinstance(v, bool),
              "array": lambda v: isinstance(v, list), "object": lambda v: isinstance(v, dict)}
    if not checks[p.type](value):
        return f"{value!r} is not {'an' if p.type[0] in 'aeiou' else 'a'} {p.type}"
    if p.min is not None and value < p.min:
        return f"{_num(value)} is below the minimum {_num(p.min)}"
    if p.max is not None and value > p.max:
        return f"{_num(value)} is above the maximum {_num(p.max)}"
    if p.values and value not in p.values:
        return f"{value!r} is not one of {', '.join(map(repr, p.values))}"
    if p.max_items is not None and isinstance(value, list) and len(value) > p.max_items:
        return f"has {len(value)} items, more than the {p.max_items} allowed"
    return None


def _num(v: Any) -> str:
    return f"{v:f}" if isinstance(v, Decimal) else str(v)


def _model(doc: YamlDoc, providers: dict[str, Provider], profiles: dict[str, Any],
           categories: dict[str, Category], endpoints: set[str] | None, problems: Problems,
           broken: frozenset[str] = frozenset()) -> Model | None:
    """The model of one file; `broken` names providers and profiles whose own file has problems."""
    todos = todo_paths(doc.data)
    for path, text in todos:
        problems.add(doc.path, f"placeholder left by new-model: {text!r}; fill it in", line=doc.line(path), path=path)
    if todos or not schemas.check(doc, "model", problems):
        return None
    d = doc.data
    start = len(problems)

    def add(message: str, path: str) -> None:
        problems.add(doc.path, message, line=doc.line(path), path=path)

    _text_problems(doc, problems)
    _reserved(doc, "id", "models", problems)
    _file_stem_matches(doc, "id", problems)
    if doc.path.parent.name != d["provider"]:
        add(f"model of provider {d['provider']!r} is filed under {doc.path.parent.name!r}; "
            f"move it to models/{d['provider']}/", "$.provider")
    provider = providers.get(d["provider"])
    if provider is None and d["provider"] not in broken:  # a broken provider file is reported once, there
        add(f"unknown provider {d['provider']!r}; add catalog/providers/{d['provider']}.yaml or use one of: "
            f"{', '.join(sorted(providers))}", "$.provider")
    category = categories.get(d["category"])
    if category is None:
        add(f"unknown category {d['category']!r}; use one of: {', '.join(categories)}", "$.category")
    for i, ep in enumerate(d["endpoints"]):
        if endpoints is not None and ep not in endpoints:
            add(f"endpoint {ep!r} is not a POST operation of openapi.yaml", f"$.endpoints[{i}]")
    ctx, max_out = d["context_window"], d.get("max_output_tokens")
    if ctx is not None and max_out is not None and max_out > ctx:
        add(f"max_output_tokens {max_out} exceeds the context window {ctx}", "$.max_output_tokens")
    pricing = _pricing(d, ctx, add)
    params = _model_parameters(d, profiles, max_out, add, broken)
    examples = tuple(Example(e["endpoint"], e.get("title", ENDPOINT_TITLES.get(e["endpoint"], "Request")),
                             e["body"], doc.path, doc.line(f"$.examples[{i}]")) for i, e in enumerate(d["examples"]))
    for ep in d["endpoints"]:
        if not any(e.endpoint == ep for e in examples):
            add(f"no example for {ep}; add one to examples", "$.examples")
    if len(problems) > start or provider is None or category is None or params is None:
        return None
    caps = d["capabilities"]
    accepted = {p.name for p in params if p.capability is None or caps.get(p.capability, False)}
    return Model(
        id=d["id"], name=d["name"], aliases=tuple(d.get("aliases", ())), provider=provider, category=category,
        description=" ".join(d["description"].split()), endpoints=tuple(d["endpoints"]), context_window=ctx,
        max_output_tokens=max_out, input_modalities=tuple(d["input_modalities"]),
        output_modalities=tuple(d["output_modalities"]),
        capabilities=Capabilities(**{c: bool(caps.get(c, False)) for c in CAPABILITIES}),
        features=tuple(d["features"]), served_from=d["served_from"], new=d["new"],
        native_inference=d["native_inference"], api_status=d["api_status"], pricing=pricing,
        discounts=tuple(Discount(x["label"], Decimal(x["percent"]), x["applies_to"], x.get("note"))
                        for x in d.get("discounts", ())),
        parameters=tuple(p for p in params if p.name in accepted),
        examples=examples, notes=tuple(" ".join(n.split()) for n in d.get("notes", ())), source=doc.path,
        profile=d["parameters"]["profile"], withheld=frozenset(
            n for p in profiles[d["parameters"]["profile"]][1] if p.name not in accepted
            for n in (p.name, *p.aliases)))


def _pricing(d: dict[str, Any], ctx: int | None, add: Any) -> tuple[PriceRow, ...]:
    rows = []
    for i, r in enumerate(d["pricing"]):
        path = f"$.pricing[{i}]"
        tier = None
        if "tier" in r:
            tier = Tier(r["tier"].get("min"), r["tier"].get("max"))
            if tier.min is not None and tier.max is not None and tier.min >= tier.max:
                add(f"tier min {tier.min} is not below tier max {tier.max}", f"{path}.tier")
            top = tier.max if tier.max is not None else tier.min
            if ctx is None:
                add("a context tier needs the model's context_window; set it or drop the tier", f"{path}.tier")
            elif top is not None and top > ctx:
                add(f"tier bound {top} is outside the context window {ctx}", f"{path}.tier")
        row = PriceRow(
            label=r["label"], amount=Decimal(r["amount"]), unit=r["unit"], per=r.get("per", 1), mode=r.get("mode"),
            direction=r.get("direction"), amount_max=_dec(r.get("amount_max")), list_amount=_dec(r.get("list_amount")),
            approximate=r.get("approximate", False), tier=tier, resolution=r.get("resolution"),
            duration_seconds=r.get("duration_seconds"), audio=r.get("audio"), points=r.get("points"),
            note=r.get("note"))
        if row.amount_max is not None and row.amount_max < row.amount:
            add(f"amount_max {row.amount_max} is below amount {row.amount}", f"{path}.amount_max")
        if row.list_amount is not None and row.list_amount < row.amount:
            add(f"list_amount {row.list_amount} is below amount {row.amount}: a list price is the higher, "
                "standard rate", f"{path}.list_amount")
        rows.append(row)
    for j, disc in enumerate(d.get("discounts", ())):
        base = [r for r in rows if r.direction == "input" and r.unit == "token"]
        if not base:
            add("a cached-input discount needs an input token price row (direction: input, unit: token)",
                f"$.discounts[{j}]")
        factor = (Decimal(100) - Decimal(disc["percent"])) / Decimal(100)
        for r in base:
            cached = PriceRow(label=f"Cached {r.label[0].lower()}{r.label[1:]}", amount=_trim(r.amount * factor),
                              unit=r.unit, per=r.per, mode=r.mode, direction="input", tier=r.tier,
                              note=disc.get("note"), derived="cache_discount")
            if cached.amount > r.amount:
                add("cached price is above the base price", f"$.discounts[{j}]")
            rows.append(cached)
    return tuple(rows)


def _trim(x: Decimal) -> Decimal:
    """Drop trailing zeros a multiplication adds, keeping at least the original scale."""
    text = f"{x.normalize():f}"
    return Decimal(text)


def _dec(v: Any) -> Decimal | None:
    return None if v is None else Decimal(v)


def _model_parameters(d: dict[str, Any], profiles: dict[str, Any], max_out: int | None,
                      add: Any, broken: frozenset[str] = frozenset()) -> list[Parameter] | None:
    spec = d["parameters"]
    if spec["profile"] not in profiles:
        if spec["profile"] in broken:  # the profile file's own problems are the root cause, reported there
            return None
        add(f"unknown parameter profile {spec['profile']!r}; use one of: {', '.join(sorted(profiles))}",
            "$.parameters.profile")
        return None
    base = {p.name: p for p in profiles[spec["profile"]][1]}
    for name, fields in spec.get("set", {}).items():
        if name not in base:
            add(f"profile {spec['profile']!r} has no parameter {name!r} to set; add it under parameters.add",
                f"$.parameters.set.{name}")
            continue
        merged = {**base[name].__dict__, **fields}
        merged["values"] = tuple(merged.get("values") or ())
        if "requires" in fields:
            merged["requires"] = tuple(sorted(fields["requires"].items()))
        base[name] = Parameter(**merged)
    for name in spec.get("remove", ()):
        if base.pop(name, None) is None:
            add(f"profile {spec['profile']!r} has no parameter {name!r} to remove", "$.parameters.remove")
    for i, raw in enumerate(spec.get("add", ())):
        if raw["name"] in base:
            add(f"parameter {raw['name']!r} is already in profile {spec['profile']!r}; change it under "
                "parameters.set", f"$.parameters.add[{i}]")
            continue
        base[raw["name"]] = _parameter(raw)
    params = list(base.values())
    for p in params:
        path = f"$.parameters.set.{p.name}" if p.name in spec.get("set", {}) else "$.parameters"
        if p.min is not None and p.max is not None and p.min > p.max:
            add(f"parameter {p.name!r}: min {p.min} is greater than max {p.max}", path)
        if p.default is not None and (why := value_problem(p, p.default)):
            add(f"parameter {p.name!r}: default {why}", path)
        if p.name == "max_tokens" and max_out is not None and p.max is not None and p.max > max_out:
            add(f"max_tokens allows up to {p.max}, above max_output_tokens {max_out}; "
                f"set parameters.set.max_tokens.max to {max_out}", path)
    return params
