"""The golden output: what the build of tests/golden/catalog gives, kept as a tree under tests/golden/expected.

`make golden` (`python -m tests.golden`) refreshes the catalog from the shipped one, rebuilds it and rewrites
the tree, so the effect of a change on the output is a reviewable diff; tests/test_golden.py builds the kept
catalog again and compares byte for byte.

The catalog holds the models the guides and openapi.yaml name in their examples (the smallest catalog the
shipped templates and spec build with), copied from catalog/ with their providers, the profiles and
platform.yaml; its changelog.yaml is its own (one recorded release) and is kept as it is.

The tree holds every text file the build writes (the markdown twins, llms.txt, llms-full.txt and the provider
bundles, models.json and each model's JSON, the changelog feeds, openapi.json, the sitemap), and for each HTML
page only its main content: the `<article>` element, cut out of the page exactly as written. Left out: the
theme's assets, the search index, `sitemap.xml.gz` (binary) and `openapi.yaml` (a byte copy of the input).
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CATALOG = HERE / "catalog"
EXPECTED = HERE / "expected"
SKIPPED_DIRS = ("assets", "search")
SKIPPED_FILES = ("sitemap.xml.gz", "openapi.yaml")
MODELS = ("alibaba/qwen3-max", "alibaba/qwen3-5-flash", "alibaba/qwen-image-2-0", "alibaba/wan-2-7",
          "amazon/nova-micro-1-0", "bytedance/seed-2-0-pro", "deepgram/deepgram-nova-3", "exa/exa-search",
          "mistral/mistral-medium-3-1", "zhipu/glm-tts")


class _Article(HTMLParser):
    """Find where the page's outermost `<article>` starts and ends, as offsets into the source."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.lines = [0]
        for line in source.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.source, self.depth = source, 0
        self.start: int | None = None
        self.end: int | None = None

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "article" and self.end is None:
            if self.depth == 0:
                self.start = self._offset()
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.depth:
            self.depth -= 1
            if self.depth == 0 and self.end is None:
                self.end = self.source.index(">", self._offset()) + 1


def main_content(html: str, name: str) -> str:
    """The page's `<article>` element, byte for byte as the page has it."""
    parser = _Article(html)
    parser.feed(html)
    parser.close()
    if parser.start is None or parser.end is None:
        raise ValueError(f"{name}: no <article> element")
    return html[parser.start:parser.end] + "\n"


def kept(rel: Path) -> bool:
    return rel.parts[0] not in SKIPPED_DIRS and rel.as_posix() not in SKIPPED_FILES


def golden_tree(site: Path) -> dict[str, bytes]:
    """The golden files of a built site, by relative path."""
    tree: dict[str, bytes] = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site)
        if not path.is_file() or not kept(rel):
            continue
        if path.suffix == ".html":
            tree[rel.as_posix()] = main_content(path.read_text("utf-8"), rel.as_posix()).encode("utf-8")
        else:
            tree[rel.as_posix()] = path.read_bytes()
    return tree


def build_golden(work: Path) -> dict[str, bytes]:
    """Build tests/golden/catalog with the repository's openapi.yaml and templates; return its golden tree."""
    from generator.build import build

    build(CATALOG, ROOT / "openapi.yaml", work / "site")
    return golden_tree(work / "site")


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def write_tree(tree: dict[str, bytes], root: Path) -> None:
    """Replace `root` by exactly `tree`: files the build no longer writes disappear."""
    shutil.rmtree(root, ignore_errors=True)
    for rel, content in tree.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def differences(expected: dict[str, bytes], actual: dict[str, bytes], *, limit: int = 60) -> list[str]:
    """A short report: files missing or extra, then a unified diff of the changed files, cut at `limit` lines."""
    lines = [f"missing from the build: {p}" for p in sorted(expected.keys() - actual.keys())]
    lines += [f"new in the build: {p}" for p in sorted(actual.keys() - expected.keys())]
    for rel in sorted(expected.keys() & actual.keys()):
        if expected[rel] != actual[rel]:
            old = expected[rel].decode("utf-8", "replace").splitlines(keepends=True)
            new = actual[rel].decode("utf-8", "replace").splitlines(keepends=True)
            lines += [d.rstrip("\n") for d in difflib.unified_diff(old, new, f"expected/{rel}", f"built/{rel}", n=1)]
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more lines)"]
    return lines


def refresh_catalog(source: Path = ROOT / "catalog") -> None:
    """Copy the golden models, their providers, the profiles and platform.yaml from the shipped catalog;
    keep the golden changelog.yaml."""
    changelog = (CATALOG / "changelog.yaml").read_bytes()
    shutil.rmtree(CATALOG)
    shutil.copytree(source / "profiles", CATALOG / "profiles")
    shutil.copy(source / "platform.yaml", CATALOG / "platform.yaml")
    (CATALOG / "changelog.yaml").write_bytes(changelog)
    for model in MODELS:
        provider = model.split("/")[0]
        (CATALOG / "models" / provider).mkdir(parents=True, exist_ok=True)
        (CATALOG / "providers").mkdir(exist_ok=True)
        shutil.copy(source / "models" / f"{model}.yaml", CATALOG / "models" / f"{model}.yaml")
        shutil.copy(source / "providers" / f"{provider}.yaml", CATALOG / "providers" / f"{provider}.yaml")


def regenerate() -> int:
    """Refresh the golden catalog, rebuild it and rewrite tests/golden/expected; print what changed."""
    os.chdir(ROOT)
    refresh_catalog()
    with tempfile.TemporaryDirectory(prefix="golden-") as work:
        tree = build_golden(Path(work))
    before = read_tree(EXPECTED) if EXPECTED.exists() else {}
    write_tree(tree, EXPECTED)
    changed = sorted(p for p in tree.keys() | before.keys() if tree.get(p) != before.get(p))
    print(f"wrote {len(tree)} files into {EXPECTED.relative_to(ROOT)}; {len(changed)} changed"
          + "".join(f"\n  {p}" for p in changed))
    return 0
