"""Synthetic catalogs derived from the shipped one: N models, realistic because each is a shipped model
under a new id, in copies of its provider that hold as many models as the real one. A skewed catalog
is what real ones look like: one provider (the shipped one with the most models) holds a third of them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def synthesize(n: int, out: Path, source: Path = ROOT / "catalog", skewed: bool = False) -> Path:
    """Write a catalog of `n` models into `out`: the shipped models, then copies of them under new ids.
    `skewed`: the copies first fill the largest provider until it holds a third of the `n` models."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source, out, ignore=shutil.ignore_patterns("models", "providers"))
    models = sorted((source / "models").rglob("*.yaml"))
    providers = {p.stem: p.read_text("utf-8") for p in sorted((source / "providers").glob("*.yaml"))}
    # the shipped catalog first (the guides link to some of its models), then copies under new ids
    shutil.copytree(source / "models", out / "models")
    shutil.copytree(source / "providers", out / "providers")
    extra = 0
    if skewed:
        big = max(sorted(providers), key=lambda slug: sum(1 for m in models if m.parent.name == slug))
        own = [m for m in models if m.parent.name == big]
        extra = max(0, min(n - len(models), n // 3 - len(own)))
        for j in range(extra):  # its own models again, under new ids, in the provider itself
            template = own[j % len(own)]
            text = template.read_text("utf-8")
            new_id = f"{template.stem}-k{j:05d}"
            text = re.sub(rf"\b{re.escape(template.stem)}\b", new_id, text)
            text = re.sub(r"^name: (.*)$", lambda m: f"name: {m[1]} k{j}", text, count=1, flags=re.M)
            (out / "models" / big / f"{new_id}.yaml").write_text(text, "utf-8")
    for i in range(n - len(models) - extra):
        template = models[i % len(models)]
        text = template.read_text("utf-8")
        old_id, old_provider = template.stem, template.parent.name
        new_id = f"{old_id}-s{i:05d}"
        slug = f"{old_provider}-g{i // len(models):04d}"  # each cycle copies every provider at its real size
        text = re.sub(rf"\b{re.escape(old_id)}\b", new_id, text)
        text = re.sub(r"^provider: .*$", f"provider: {slug}", text, flags=re.M)
        text = re.sub(r"^name: (.*)$", lambda m: f"name: {m[1]} #{i}", text, count=1, flags=re.M)
        target = out / "models" / slug / f"{new_id}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        ptarget = out / "providers" / f"{slug}.yaml"
        if not ptarget.exists():
            ptext = re.sub(r"^slug: .*$", f"slug: {slug}", providers[old_provider], flags=re.M)
            ptext = re.sub(r"^name: (.*)$", lambda m: f"name: {m[1]} {slug[-5:]}", ptext, count=1, flags=re.M)
            ptarget.write_text(ptext, "utf-8")
    return out
