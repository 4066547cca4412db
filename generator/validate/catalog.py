"""Every problem of the catalog's files in one pass: their schemas, their text, and the rules that span
fields and files. What passes is handed to `model.resolve`, which then has nothing left to check."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.load.catalog import Sources
from generator.load.yamlfile import YamlDoc, child_path
from generator.model.objects import Parameter
from generator.model.resolve import CHANGE_AMOUNTS, merge_parameters, parameter, profile_parameters
from generator.problems import Problems, did_you_mean, display_path
from generator.scaffold import todo_paths
from generator.validate import schemas
from generator.validate.textpolicy import ALLOWED, text_fields, text_problem

HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--|<![A-Za-z]")
# Names a model id or provider slug may not take: the site's own pages in models/ and providers/.
RESERVED = {"models": ("index",), "providers": ("index",)}

Add = Callable[[str, str], None]  # (message, JSON path) of one file


def check_catalog(sources: Sources, endpoints: set[str] | None, problems: Problems) -> Sources:
    """Report every problem; return the files that passed, which are all `resolve` reads. Without a valid
    platform file nothing else is checked (every other file is read against its categories)."""
    valid = Sources(sources.root)
    if sources.platform is None or not schemas.check(sources.platform, "platform", problems):
        return valid
    text_problems(sources.platform, problems)
    valid.platform = sources.platform
    valid.providers = [d for d in sources.providers if _provider_ok(d, problems)]
    valid.profiles = [d for d in sources.profiles if _profile_ok(d, problems)]
    context = _Context.of(sources, valid, endpoints)
    valid.models = _unique([d for d in sources.models if _model_ok(d, context, problems)], problems)
    if not problems:  # an unreadable model file may be this provider's
        _providers_have_models(valid, problems)
    updated = str(sources.platform.data["updated"])
    if sources.changelog is not None and _changelog_ok(sources.changelog, updated, problems):
        valid.changelog = sources.changelog
    return valid


def text_problems(doc: YamlDoc, problems: Problems) -> None:
    """Every text field keeps to the Markdown a text field may carry (textpolicy.ALLOWED)."""
    for path, text in text_fields(doc.data):
        field = path.removeprefix("$").removeprefix(".")
        if HTML.search(text):
            problems.add(
                doc.path,
                "contains HTML markup; write plain text (it is escaped on the site)",
                line=doc.line(path),
                path=path,
            )
        elif why := text_problem(text):
            problems.add(doc.path, f"{field} {why}; a text field is {ALLOWED}", line=doc.line(path), path=path)


def _adder(doc: YamlDoc, problems: Problems) -> Add:
    def add(message: str, path: str) -> None:
        problems.add(doc.path, message, line=doc.line(path), path=path)

    return add


def _reserved(doc: YamlDoc, key: str, folder: str, add: Add) -> bool:
    """An id or slug that would land on a path the site itself uses (models/index.md is /models/)."""
    value = doc.data[key]
    if value in RESERVED[folder]:
        add(
            f"{key} {value!r} is reserved: {folder}/{value}.md is the site's own page; "
            f"reserved names: {', '.join(RESERVED[folder])}",
            f"$.{key}",
        )
        return True
    return False


def _file_stem_matches(doc: YamlDoc, key: str, add: Add) -> bool:
    value = doc.data[key]
    if doc.path.stem != value:
        add(f"file name {doc.path.name!r} does not match {key} {value!r}; rename the file to {value}.yaml", f"$.{key}")
        return False
    return True


def _placeholders(doc: YamlDoc, problems: Problems) -> list[str]:
    """Report each TODO that new-model left; return their JSON paths."""
    todos = todo_paths(doc.data)
    for path, text in todos:
        problems.add(doc.path, f"placeholder left by new-model: {text!r}; fill it in", line=doc.line(path), path=path)
    return [path for path, _ in todos]


def _provider_ok(doc: YamlDoc, problems: Problems) -> bool:
    todos = _placeholders(doc, problems)
    if not schemas.check(doc, "provider", problems, reported=todos) or todos:
        return False
    text_problems(doc, problems)
    add = _adder(doc, problems)
    return not _reserved(doc, "slug", "providers", add) and _file_stem_matches(doc, "slug", add)


def _profile_ok(doc: YamlDoc, problems: Problems) -> bool:
    """A profile with problems in its parameters still counts as known: its models are checked against it."""
    if not schemas.check(doc, "profile", problems) or not _file_stem_matches(doc, "id", _adder(doc, problems)):
        return False
    text_problems(doc, problems)
    names: set[str] = set()
    for i, raw in enumerate(doc.data["parameters"]):
        path = f"$.parameters[{i}]"
        if raw["name"] in names:
            problems.add(
                doc.path, f"parameter {raw['name']!r} is defined twice; keep one", line=doc.line(path), path=path
            )
            continue
        names.add(raw["name"])
        for message, key in parameter_problems(parameter(raw)):
            at = child_path(path, key)
            problems.add(doc.path, message, line=doc.line(at), path=at)
    return True


def parameter_problems(p: Parameter, max_output: int | None = None) -> list[tuple[str, str]]:
    """(message, key) for each way `p` contradicts itself: a range that is no range, a default it refuses,
    a `max_tokens` above the model's max output."""
    found = []
    if p.min is not None and p.max is not None and p.min > p.max:
        found.append((f"parameter {p.name!r}: min {p.min} is greater than max {p.max}", "max"))
    if p.default is not None and (why := value_problem(p, p.default)):
        found.append((f"parameter {p.name!r}: default {why}", "default"))
    if p.name == "max_tokens" and max_output is not None and p.max is not None and p.max > max_output:
        found.append(
            (
                f"max_tokens allows up to {p.max}, above max_output_tokens {max_output}; "
                f"set parameters.set.max_tokens.max to {max_output}",
                "max",
            )
        )
    return found


def value_problem(p: Parameter, value: Any) -> str | None:
    """Why `value` is not acceptable for `p`, or None."""
    checks = {
        "number": lambda v: isinstance(v, (int, Decimal, float)) and not isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
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


@dataclass(frozen=True)
class _Context:
    """What a model file is checked against: the valid providers, profiles and categories, the spec's
    endpoints, and the providers and profiles whose own file has problems (reported once, there)."""

    providers: frozenset[str]
    profiles: dict[str, list[Parameter]]
    categories: tuple[str, ...]
    endpoints: set[str] | None
    broken: frozenset[str]
    root: str  # the catalog directory, as messages show it

    @classmethod
    def of(cls, sources: Sources, valid: Sources, endpoints: set[str] | None) -> _Context:
        assert valid.platform is not None
        providers = frozenset(d.data["slug"] for d in valid.providers)
        profiles = {d.data["id"]: profile_parameters(d) for d in valid.profiles}
        broken = frozenset(
            f.stem for f in (sources.root / "providers").glob("*.yaml") if f.stem not in providers
        ) | frozenset(f.stem for f in (sources.root / "profiles").glob("*.yaml") if f.stem not in profiles)
        categories = tuple(c["slug"] for c in valid.platform.data["categories"])
        return cls(providers, profiles, categories, endpoints, broken, display_path(sources.root))


def _model_ok(doc: YamlDoc, context: _Context, problems: Problems) -> bool:
    todos = _placeholders(doc, problems)
    add = _adder(doc, problems)
    if not schemas.check(doc, "model", problems, reported=todos) or todos:
        _model_names(doc.data, doc.path.parent.name, context, add)  # every problem at once: the names too
        return False
    start = len(problems)
    text_problems(doc, problems)
    _reserved(doc, "id", "models", add)
    _file_stem_matches(doc, "id", add)
    known = _model_names(doc.data, doc.path.parent.name, context, add)
    _model_limits(doc.data, add)
    _model_pricing(doc.data, add)
    known = _model_parameters(doc.data, context, add) and known
    for ep in doc.data["endpoints"]:
        if not any(e["endpoint"] == ep for e in doc.data["examples"]):
            add(f"no example for {ep}; add one to examples", "$.examples")
    return known and len(problems) == start


def _model_names(d: Any, folder: str, context: _Context, add: Add) -> bool:
    """The provider, category, endpoints and profile a model names exist, and the file sits in its
    provider's folder; each is looked up when it is well-formed, even in a file with other problems.
    False for a model of a provider whose own file has problems: it is left out, and not reported again."""
    if not isinstance(d, dict):
        return False
    if isinstance(d.get("provider"), str) and (message := _provider_problem(d["provider"], folder, context)):
        add(message, "$.provider")
    if isinstance(d.get("category"), str) and d["category"] not in context.categories:
        add(
            f"unknown category {d['category']!r}{did_you_mean(d['category'], context.categories)}; categories are "
            f"declared in {context.root}/platform.yaml under categories: {', '.join(context.categories)}",
            "$.category",
        )
    for i, ep in enumerate(d["endpoints"] if isinstance(d.get("endpoints"), list) else ()):
        if isinstance(ep, str) and context.endpoints is not None and ep not in context.endpoints:
            add(
                f"endpoint {ep!r} is not a POST operation of openapi.yaml{_endpoint_hint(ep, context.endpoints)}",
                f"$.endpoints[{i}]",
            )
    spec = d.get("parameters")
    name = spec.get("profile") if isinstance(spec, dict) else None
    # a broken profile file is the root cause, reported there
    if isinstance(name, str) and name not in context.profiles and name not in context.broken:
        add(
            f"unknown parameter profile {name!r}{did_you_mean(name, context.profiles)}; profiles are declared in "
            f"{context.root}/profiles/: {', '.join(sorted(context.profiles))}",
            "$.parameters.profile",
        )
    provider = d.get("provider")
    return not (isinstance(provider, str) and provider in context.broken)


def _endpoint_hint(endpoint: str, endpoints: set[str]) -> str:
    """The endpoint meant: the first that extends the one given (/v1/chat), else the closest."""
    longer = sorted(e for e in endpoints if e.startswith(endpoint.rstrip("/") + "/"))
    return f" (did you mean {longer[0]!r}?)" if longer else did_you_mean(endpoint, endpoints)


def _provider_problem(provider: str, folder: str, context: _Context) -> str | None:
    """One message for a model's provider and the folder it is filed in, naming the likelier fix first: a
    `provider:` that names no provider, in the folder of one, is a typo in the value; a provider that
    exists, in another folder, is a file in the wrong place."""
    known, declared = context.providers | context.broken, f"{context.root}/providers"
    if provider in known:
        if folder == provider:
            return None
        tail = f" (or set `provider: {folder}` if it is {folder}'s model)" if folder in known else ""
        return f"model of provider {provider!r} is filed under models/{folder}/: move it to models/{provider}/{tail}"
    if folder in known:
        return (
            f"unknown provider {provider!r} in models/{folder}/: set `provider: {folder}`, or, for a new provider, "
            f"add {declared}/{provider}.yaml and move the file to models/{provider}/"
        )
    move = "" if folder == provider else f" and move the file to models/{provider}/"
    return (
        f"unknown provider {provider!r}{did_you_mean(provider, known)}: providers are declared in {declared}/; "
        f"for a new one, add {declared}/{provider}.yaml{move}"
    )


def _model_limits(d: dict[str, Any], add: Add) -> None:
    ctx, max_out = d["context_window"], d.get("max_output_tokens")
    if ctx is not None and max_out is not None and max_out > ctx:
        add(f"max_output_tokens {max_out} exceeds the context window {ctx}", "$.max_output_tokens")


def _model_pricing(d: dict[str, Any], add: Add) -> None:
    """Tiers inside the context window, ranges and list prices above the price, a discount with a base."""
    for i, r in enumerate(d["pricing"]):
        path = f"$.pricing[{i}]"
        if "tier" in r:
            _tier(r["tier"], d["context_window"], f"{path}.tier", add)
        amount = Decimal(r["amount"])
        if "amount_max" in r and Decimal(r["amount_max"]) < amount:
            add(f"amount_max {Decimal(r['amount_max'])} is below amount {amount}", f"{path}.amount_max")
        if "list_amount" in r and Decimal(r["list_amount"]) < amount:
            add(
                f"list_amount {Decimal(r['list_amount'])} is below amount {amount}: a list price is the higher, "
                "standard rate",
                f"{path}.list_amount",
            )
    base = [r for r in d["pricing"] if r.get("direction") == "input" and r["unit"] == "token"]
    for j, _ in enumerate(d.get("discounts", ())):
        if not base:
            add(
                "a cached-input discount needs an input token price row (direction: input, unit: token)",
                f"$.discounts[{j}]",
            )


def _tier(tier: dict[str, Any], ctx: int | None, path: str, add: Add) -> None:
    low, high = tier.get("min"), tier.get("max")
    if low is not None and high is not None and low >= high:
        add(f"tier min {low} is not below tier max {high}", path)
    top = high if high is not None else low
    if ctx is None:
        add("a context tier needs the model's context_window; set it or drop the tier", path)
    elif top is not None and top > ctx:
        add(f"tier bound {top} is outside the context window {ctx}", path)


def _model_parameters(d: dict[str, Any], context: _Context, add: Add) -> bool:
    """The profile exists, `set`, `remove` and `add` name parameters that are (or are not yet) in it, and
    every parameter of the result is consistent. False when the profile is not there to merge with."""
    spec = d["parameters"]
    name = spec["profile"]
    if name not in context.profiles:  # reported by _model_names
        return False
    base = {p.name for p in context.profiles[name]}
    for key in spec.get("set", {}):
        if key not in base:
            add(
                f"profile {name!r} has no parameter {key!r} to set; add it under parameters.add",
                f"$.parameters.set.{key}",
            )
    for key in spec.get("remove", ()):
        if key not in base:
            add(f"profile {name!r} has no parameter {key!r} to remove", "$.parameters.remove")
    for i, raw in enumerate(spec.get("add", ())):
        if raw["name"] in base:
            add(
                f"parameter {raw['name']!r} is already in profile {name!r}; change it under parameters.set",
                f"$.parameters.add[{i}]",
            )
    for p in merge_parameters(context.profiles[name], spec):
        path = f"$.parameters.set.{p.name}" if p.name in spec.get("set", {}) else "$.parameters"
        for message, _ in parameter_problems(p, d.get("max_output_tokens")):
            add(message, path)
    return True


def _unique(docs: list[YamlDoc], problems: Problems) -> list[YamlDoc]:
    seen: dict[str, str] = {}
    out = []
    for doc in docs:
        mid = doc.data["id"]
        if mid in seen:
            problems.add(
                doc.path,
                f"duplicate model id {mid!r}, also used by {seen[mid]}; ids must be unique",
                line=doc.line("$.id"),
                path="$.id",
            )
            continue
        seen[mid] = display_path(doc.path)
        out.append(doc)
    return out


def _providers_have_models(valid: Sources, problems: Problems) -> None:
    used = {d.data["provider"] for d in valid.models}
    for doc in valid.providers:
        if doc.data["slug"] not in used:
            problems.add(doc.path, f"provider {doc.data['slug']!r} has no models; add one or delete the file", line=1)


def _changelog_ok(doc: YamlDoc, updated: str, problems: Problems) -> bool:
    """Price changes carry their amounts as decimals; releases are newest first, one per date, none newer
    than `updated`. A release out of order is reported but still read."""
    if not schemas.check(doc, "changelog", problems):
        return False
    text_problems(doc, problems)
    start = len(problems)
    for i, release in enumerate(doc.data):
        for j, change in enumerate(release["changes"]):
            for key in CHANGE_AMOUNTS.get(change["kind"], ()):
                if not _amount(change.get(key)):
                    at = child_path(f"$[{i}].changes[{j}]", key)
                    problems.add(
                        doc.path,
                        f"a {change['kind']} change needs `{key}` as a decimal amount such as '0.04'",
                        line=doc.line(at),
                        path=at,
                    )
    if len(problems) > start:
        return False
    _releases_in_order(doc, updated, problems)
    return True


def _releases_in_order(doc: YamlDoc, updated: str, problems: Problems) -> None:
    """One release per date, newest first, none newer than the catalog's `updated` date."""
    seen: dict[str, int] = {}
    for i, release in enumerate(doc.data):
        date, at = release["date"], f"$[{i}].date"
        line = doc.line(at)
        if date in seen:
            problems.add(
                doc.path,
                f"release {date} is listed twice (lines {seen[date]} and {line}): merge the two into one "
                f"(`generator diff OLD NEW --record {date}` writes it whole, replacing the release of that date)",
                line=line,
                path=at,
            )
        elif i and date > doc.data[i - 1]["date"]:
            problems.add(
                doc.path,
                f"release {date} comes after the older release {doc.data[i - 1]['date']}: "
                "releases are listed newest first; move it up",
                line=line,
                path=at,
            )
        seen.setdefault(date, line)
    if not doc.data:
        return
    newest = max(range(len(doc.data)), key=lambda i: doc.data[i]["date"])
    date = doc.data[newest]["date"]
    if date > updated:
        at = f"$[{newest}].date"
        problems.add(
            doc.path,
            f"release {date} is newer than the catalog's `updated: {updated}`: "
            f"set `updated: {date}` in platform.yaml (`generator diff --record` does it)",
            line=doc.line(at),
            path=at,
        )


def _amount(text: Any) -> bool:
    """A decimal amount written as text, as `diff --record` writes prices: finite and not negative."""
    try:
        return isinstance(text, str) and Decimal(text).is_finite() and Decimal(text) >= 0
    except ArithmeticError:
        return False
