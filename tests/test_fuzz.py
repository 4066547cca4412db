"""Property-based fuzzing of `check`: valid files mutated at random, in-process.

The invariant: `pipeline.check` either raises BuildError, every problem naming one of the inputs (with a
line when the file could be read), or returns a catalog whose model and provider pages render in both
flavours. Any other exception is a crash, and a crash found here becomes an explicit regression test in
tests/test_robustness.py, with the input written inline.

`make test` runs the `ci` profile (150 inputs, seconds); `make fuzz` runs the `fuzz` profile
(10,000 inputs) and prints what it found. The profile is chosen by EMPIRIOLABS_FUZZ (ci by default).
"""

from __future__ import annotations

import copy
import os
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from generator import pipeline
from generator.site import pages as site
from generator.views import pages as views
from generator.problems import BuildError
from generator.views.render import Page, Renderer

ROOT = Path(__file__).resolve().parents[1]
MODEL = "catalog/models/amazon/nova-micro-1-0.yaml"
INPUTS = (MODEL, "catalog/providers/amazon.yaml", "catalog/profiles/chat.yaml", "catalog/platform.yaml",
          "catalog/changelog.yaml", "asyncapi.yaml", "openapi.yaml")
# openapi.yaml is the costly one (a mutated spec is validated in full, most of a second): drawn rarely.
WEIGHTS = (40, 10, 10, 10, 5, 10, 3)

settings.register_profile("ci", max_examples=int(os.environ.get("EMPIRIOLABS_FUZZ_EXAMPLES", 150)), deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], database=None)
settings.register_profile("fuzz", max_examples=int(os.environ.get("EMPIRIOLABS_FUZZ_EXAMPLES", 10_000)),
                          deadline=None, suppress_health_check=list(HealthCheck))
PROFILE = os.environ.get("EMPIRIOLABS_FUZZ", "ci")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A one-provider, one-model catalog with the real spec and AsyncAPI document."""
    root = tmp_path_factory.mktemp("fuzz")
    cat = root / "catalog"
    shutil.copytree(ROOT / "catalog" / "profiles", cat / "profiles")
    (cat / "providers").mkdir()
    (cat / "models" / "amazon").mkdir(parents=True)
    for rel in INPUTS:
        if rel == "catalog/changelog.yaml":
            (root / rel).write_text("- date: '2026-11-20'\n  changes:\n"
                                    "    - {model: nova-micro-1-0, kind: price_down, field: Input, old: '0.05', "
                                    "new: '0.04'}\n", "utf-8")
        elif not (root / rel).exists():
            shutil.copy(ROOT / rel, root / rel)
    pipeline.check(cat, root / "openapi.yaml", root / "asyncapi.yaml")  # the base is valid (and the verdict cached)
    return root


# ---- what a mutation puts in a file ---------------------------------------------------------------------

def nested(depth: int) -> Any:
    value: Any = "x"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


ODD_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from([
    "", " ", "\u202e\u2066", "\ufeff", "\x00", "超快 · سريع · 🚀", "[x](javascript:alert(1))", "<script>x</script>",
    "{{ 7*7 }}", "{% raw %}", "TODO", "index", "../../etc/passwd", "a|b", "---", "# h", "`", "\\", "%s%n",
    "javascript:alert(1)", "https://", "/", "\t\r\n", "null", "~", "yes", "0x1F", "1e999", ".nan"])
NUMBERS = st.sampled_from([0, -1, 1, 2**31, 2**63, -(2**63), 10**30, -10**30]) | st.integers() | st.floats(
    allow_nan=True, allow_infinity=True)
VALUES = st.one_of(
    st.none(), st.booleans(), NUMBERS, ODD_TEXT,
    st.integers(1_000, 200_000).map(lambda n: "x" * n),  # very long strings
    st.integers(1, 90).map(nested),  # deep nesting
    st.lists(st.none() | st.booleans() | NUMBERS | ODD_TEXT, max_size=4),
    st.dictionaries(ODD_TEXT, st.none() | NUMBERS | ODD_TEXT, max_size=3),
)


def json_paths(value: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += json_paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += json_paths(v, path + (i,))
    return out


def mutate(data: Any, path: tuple, how: str, value: Any) -> Any:
    """`data` with the node at `path` replaced, deleted, or given an extra key or item."""
    if not path:
        return value if how == "replace" else data
    data = copy.deepcopy(data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "extra" and isinstance(parent, dict):
        parent[f"x-{value!s:.20}"] = value
    elif how == "extra" and isinstance(parent, list):
        parent.insert(last, value)
    else:
        parent[last] = value
    return data


def dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120).encode("utf-8")


@st.composite
def edits(draw: st.DrawFn, originals: dict[str, tuple[bytes, Any]]) -> tuple[str, bytes, str]:
    """(file, new bytes, a short description of the edit)."""
    rel = draw(st.sampled_from([r for r, w in zip(INPUTS, WEIGHTS) for _ in range(w)]))
    raw, data = originals[rel]
    kind = draw(st.sampled_from(["value"] * 6 + ["truncate", "insert"]))
    if kind == "truncate":
        at = draw(st.integers(0, len(raw)))
        return rel, raw[:at], f"truncated at byte {at}"
    if kind == "insert":
        at = draw(st.integers(0, len(raw)))
        junk = draw(st.binary(min_size=1, max_size=16))
        return rel, raw[:at] + junk + raw[at:], f"inserted {junk!r} at byte {at}"
    path = draw(st.sampled_from(json_paths(data)))
    how = draw(st.sampled_from(["replace", "replace", "delete", "extra"]))
    value = draw(VALUES)
    try:
        text = dump(mutate(data, path, how, value))
    except (KeyError, IndexError, TypeError):
        text = raw
    return rel, text, f"{how} at {list(path)}: {value!r:.80}"


# ---- the property ---------------------------------------------------------------------------------------

def run_once(root: Path) -> tuple[str, int]:
    """Check the catalog in `root`; ("ok" | "refused", number of problems). Raises on a crash."""
    files = {str(root / rel) for rel in INPUTS} | {str(root / "catalog")}
    try:
        inputs = pipeline.check(root / "catalog", root / "openapi.yaml", root / "asyncapi.yaml")
    except BuildError as err:
        assert err.problems, "BuildError without problems"
        for p in err.problems:
            assert p.message.strip(), p
            assert p.line >= 0, p
            named = str((Path.cwd() / p.file).resolve()) if not Path(p.file).is_absolute() else p.file
            assert named in files or any(named.startswith(f) for f in files), f"problem names no input: {p}"
        return "refused", len(err.problems)
    c = inputs.catalog
    glob = site.template_globals(c)
    cheap = [Page(m.url, m.name, "pages/model.md.j2", views.model_page(c, inputs.spec, m)) for m in c.models]
    cheap += [Page(p.url, p.name, "pages/provider.md.j2", views.provider_page(c, inputs.spec, p)) for p in c.providers]
    for twin in (False, True):
        renderer = Renderer(glob, twin=twin)
        for page in cheap:
            assert renderer.render(page).strip()
    return "ok", 0


def listing(root: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(root)), p.stat().st_size) for p in root.rglob("*") if p.is_file())


def test_fuzz_check(base, capsys):
    originals = {rel: ((base / rel).read_bytes(), yaml.safe_load((base / rel).read_bytes())) for rel in INPUTS}
    stats: Counter[str] = Counter()

    @settings(settings.get_profile(PROFILE))
    @given(edits(originals))
    def one(edit: tuple[str, bytes, str]) -> None:
        rel, text, _ = edit
        target = base / rel
        before = listing(base)
        target.write_bytes(text)
        try:
            outcome, problems = run_once(base)
        finally:
            target.write_bytes(originals[rel][0])
        assert listing(base) == before, "check wrote into the catalog's directory"
        stats["inputs"] += 1
        stats[outcome] += 1
        stats["problems"] += problems
        if PROFILE == "fuzz" and stats["inputs"] % 500 == 0:  # a long run says how far it got
            with capsys.disabled():
                print(f"\n{summary()}, 0 crashes so far", flush=True)

    def summary() -> str:
        return (f"fuzz ({PROFILE}): {stats['inputs']:,} inputs: {stats['ok']:,} accepted, {stats['refused']:,} "
                f"refused with {stats['problems']:,} problems, in {time.monotonic() - start:,.0f} s")

    crashed = True
    start = time.monotonic()
    try:
        one()
        crashed = False
    finally:
        with capsys.disabled():
            print(f"\n{summary()}, {'a crash (shrunk to the input above)' if crashed else '0 crashes'}")
    assert stats["inputs"] > 0
