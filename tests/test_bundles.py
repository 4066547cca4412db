"""The agent bundles: llms.txt, llms-full.txt, provider bundles, markdown twins and the JSON catalog."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from llms_txt import parse_llms_file

from generator import build as build_mod
from generator import bundles, pipeline, site
from generator.cli import main
from generator.problems import Problem
from generator.render import Page
from spec_judge import SpecJudge

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "https://docs.empiriolabs.ai/"
SECTIONS = ["Guides", "Providers", "Models", "API reference", "Optional"]
LINK = re.compile(r"\]\(([^()\s]+)\)")
FENCE = re.compile(r"^\s*(```|~~~)")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The shipped catalog, built once."""
    out = tmp_path_factory.mktemp("bundles") / "site"
    build_mod.build(ROOT / "catalog", ROOT / "openapi.yaml", out)
    return out


@pytest.fixture(scope="module")
def pages(inputs):
    return site.pages(inputs.catalog, inputs.spec)


@pytest.fixture(scope="module")
def rendered(inputs, pages):
    """The twins as the templates render them (front matter and all), before the bundle stage."""
    glob = {"platform": inputs.catalog.platform, "stats": site.stats(inputs.catalog)}
    return pipeline.render(glob, pages, True)


def text(root: Path, rel: str) -> str:
    return (root / rel).read_text("utf-8")


def local(root: Path, url: str) -> Path:
    """The file of the built site an absolute URL serves."""
    assert url.startswith(SITE_URL), url
    rel = url[len(SITE_URL):].split("#")[0]
    return root / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def html_url(page: Page) -> str:
    stem = page.path.removesuffix(".md").removesuffix("index")
    return SITE_URL + (stem if stem == "" or stem.endswith("/") else stem + "/")


def prose(markdown: str) -> list[str]:
    """The lines of a markdown text outside fenced code blocks, code spans removed."""
    out, fence = [], None
    for line in markdown.split("\n"):
        m = FENCE.match(line)
        if fence is None and m:
            fence = m[1]
        elif fence and m and line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
            fence = None
        elif fence is None:
            out.append(re.sub(r"(`+).+?\1", "", line))
    return out


# ---- llms.txt -----------------------------------------------------------------------------------------

def test_llms_txt_parses_into_its_sections(built, catalog):
    doc = parse_llms_file(text(built, "llms.txt"))
    assert doc.title == "EmpirioLabs AI Docs"
    assert doc.summary.startswith("EmpirioLabs is an API gateway to 79 AI models from 25 providers")
    assert "Generated from catalog " + catalog.digest + ", updated 2026-11-23." in doc.info
    assert list(doc.sections) == SECTIONS
    models = {link["title"]: link for link in doc.sections["Models"]}
    assert models["Qwen3-Max"] == {
        "title": "Qwen3-Max", "url": SITE_URL + "models/qwen3-max.md",
        "desc": "qwen3-max · text & reasoning · 256K context · from $1.08/1M input tokens"}
    assert models["Qwen-Image-2.0"]["desc"] == "qwen-image-2-0 · image generation · from $0.0322/image"
    assert models["GPTZero"]["desc"] == "gptzero · tools & agents · from $0.39/1K words"
    assert models["Tavily Research"]["desc"] == "tavily-research · research · from ~$1.19/task"


def test_llms_txt_links_are_absolute_twins_that_exist(built):
    llms = text(built, "llms.txt")
    urls = LINK.findall(llms)
    assert len(urls) > 150
    for url in urls:
        assert local(built, url).is_file(), url
    doc = parse_llms_file(llms)
    for name in SECTIONS[:4]:
        for link in doc.sections[name]:
            assert link["url"].endswith(".md"), link  # pages are linked by their markdown twins


def test_llms_txt_covers_every_page_model_and_provider(built, catalog, pages):
    llms = text(built, "llms.txt")
    doc = parse_llms_file(llms)
    linked = {link["url"] for links in doc.sections.values() for link in links}
    assert {SITE_URL + p.path for p in pages} <= linked
    notes = {link["desc"].split(" · ")[0] for link in doc.sections["Models"]}
    assert {m.id for m in catalog.models} <= notes
    assert [link["title"] for link in doc.sections["Providers"]] == ["Providers"] + [p.name for p in catalog.providers]
    assert not (built / "models/llms.txt").exists()  # the catalog fits: no per-section files


def stated_size(llms: str, link: str) -> tuple[int, int]:
    """(bytes, tokens) as llms.txt states them after a link, to the precision it states them."""
    m = re.search(re.escape(link) + r" \(([\d.]+) (KB|MB), ~([\d,]+)(K?) tokens\)", llms)
    assert m, link
    scale = 1000 if m[2] == "KB" else 1_000_000
    return round(float(m[1]) * scale), int(m[3].replace(",", "")) * (1000 if m[4] else 1)


def test_llms_txt_stays_in_budget_and_states_the_bundle_sizes(built):
    llms = text(built, "llms.txt")
    assert len(llms) < 50_000
    assert "estimated tokens (characters / 4)" in llms
    for rel, precision in (("llms-full.txt", 100_000), ("providers/alibaba/llms-full.txt", 1000)):
        size, tokens = stated_size(llms, f"[{rel}]({SITE_URL}{rel})")
        content = text(built, rel)
        assert abs(size - len(content.encode("utf-8"))) <= precision / 2, rel
        # "~114K tokens" (cut to the thousand) or "~5,593 tokens" (exact) for characters / 4
        assert 0 <= len(content) / 4 - tokens < (1000 if tokens >= 10_000 else 1), rel


def test_size_note():
    assert bundles.size_note("x" * 400) == "1 KB, ~100 tokens"
    assert bundles.size_note("x" * 80_000) == "80 KB, ~20K tokens"
    assert bundles.size_note("x" * 1_250_000) == "1.2 MB, ~312K tokens"


# ---- llms-full.txt and provider bundles ---------------------------------------------------------------

def test_llms_full_has_every_page_in_nav_order_then_the_openapi_document(built, pages):
    full = text(built, "llms-full.txt")
    at = 0
    for page in pages:
        found = full.find(f"\n# {page.title}\n\nSource: {html_url(page)}\n", at)
        assert found > at, page.path
        at = found
    spec = (ROOT / "openapi.yaml").read_text("utf-8")
    tail = f"# OpenAPI specification\n\nSource: {SITE_URL}openapi.yaml\n\n```yaml\n{spec}```\n"
    assert full.endswith(tail)
    assert full.find(tail) > at


def test_llms_full_links_are_absolute(built):
    full = text(built, "llms-full.txt")
    assert "(../" not in full
    assert f"[Alibaba Cloud]({SITE_URL}providers/alibaba.md)" in full


def test_provider_bundles_are_small_and_complete(built, catalog):
    for p in catalog.providers:
        bundle = built / "providers" / p.slug / "llms-full.txt"
        data = bundle.read_text("utf-8")
        assert bundle.stat().st_size < 100_000, p.slug
        assert f"\n# {p.name}\n\nSource: {SITE_URL}providers/{p.slug}/\n" in data
        for m in catalog.provider_models(p.slug):
            assert f"\n# {m.name}\n\nSource: {SITE_URL}models/{m.id}/\n" in data, m.id
            assert f"`{m.id}`" in data
    alibaba = text(built, "providers/alibaba/llms-full.txt")
    assert "**cURL**" in alibaba and "**Python**" not in alibaba  # code examples keep their first tab
    assert "## Similar models" not in alibaba and "## Pricing" in alibaba


# ---- markdown twins -----------------------------------------------------------------------------------

def test_every_html_page_has_a_twin_and_links_it(built):
    htmls = sorted(built.rglob("index.html"))
    assert len(htmls) >= 132
    for html in htmls:
        rel = html.relative_to(built).as_posix()
        twin = "index.md" if rel == "index.html" else rel.removesuffix("/index.html") + ".md"
        if rel in ("api/index.html", "providers/index.html"):
            twin = rel.removesuffix(".html") + ".md"
        assert (built / twin).is_file(), rel
        head = html.read_text("utf-8")
        assert f'<link rel="alternate" type="text/markdown" href="{SITE_URL}{twin}">' in head, rel
        assert f'<link rel="describedby" type="text/plain" href="{SITE_URL}llms.txt">' in head, rel


def test_twins_open_with_title_and_source(built, pages):
    for page in pages:
        assert text(built, page.path).startswith(f"# {page.title}\n\nSource: {html_url(page)}\n\n"), page.path
    assert text(built, "models/qwen3-max.md").startswith(
        "# Qwen3-Max\n\nSource: https://docs.empiriolabs.ai/models/qwen3-max/\n\n256K-context flagship")


def test_twins_are_plain_markdown(built, pages):
    for page in pages:
        md = text(built, page.path)
        assert "{{" not in md and "{%" not in md, page.path
        assert not md.startswith("---"), page.path
        for line in prose(md):
            tag = re.search(r"</?(div|span|a|p|br|img|table|tr|td|details|summary|script|style)\b", line)
            assert not tag, (page.path, line)
            assert not line.startswith(('=== "', "!!!", "???")), (page.path, line)


def test_tabs_are_a_label_line_then_a_fenced_block(built):
    lines = text(built, "models/qwen3-max.md").split("\n")
    labels = [i for i, line in enumerate(lines) if line in ("**cURL**", "**Python**", "**JavaScript**")]
    assert len(labels) >= 9
    for i in labels:
        assert lines[i + 1] == "" and lines[i + 2].startswith("```"), lines[i:i + 3]


# ---- JSON catalog and OpenAPI ------------------------------------------------------------------------

def test_models_json_validates_against_the_spec(built, inputs):
    """Validated straight against openapi.yaml with jsonschema, not with the build's own validator (which
    already ran on this file: the build would have failed)."""
    judge = SpecJudge(ROOT / "openapi.yaml", ROOT / "catalog")
    data = json.loads(text(built, "models.json"))
    assert [e.message for e in judge.validator("/components/schemas/ModelList").iter_errors(data)] == []
    assert len(data["data"]) == 79
    assert [m["id"] for m in data["data"]] == [m.id for m in inputs.catalog.models]
    one = judge.validator("/components/schemas/Model")
    for entry in data["data"]:
        single = json.loads(text(built, f"models/{entry['id']}.json"))
        assert single == entry
        assert [e.message for e in one.iter_errors(single)] == [], entry["id"]


def test_models_json_keeps_schema_order_and_exact_amounts(built, inputs):
    schemas = inputs.spec.data["components"]["schemas"]
    nova = json.loads(text(built, "models/nova-micro-1-0.json"))
    assert list(nova) == list(schemas["Model"]["properties"])
    assert nova["url"] == SITE_URL + "models/nova-micro-1-0/"
    row_order = list(schemas["PriceRow"]["properties"])
    for row in nova["pricing_rows"]:
        assert list(row) == [k for k in row_order if k in row]
    assert {r["label"]: r["amount"] for r in nova["pricing_rows"]} == {
        "Input (text)": "0.040", "Cached input (text)": "0.0224", "Output (text)": "0.16",
        "Web Search (Linkup)": "0.013"}
    assert nova["default_params"]["temperature"] == 0.7


def test_openapi_is_published_verbatim_and_as_json(built):
    assert (built / "openapi.yaml").read_bytes() == (ROOT / "openapi.yaml").read_bytes()
    as_json = json.loads(text(built, "openapi.json"))
    as_yaml = yaml.safe_load((ROOT / "openapi.yaml").read_text("utf-8"))
    assert json.dumps(as_json, sort_keys=True) == json.dumps(as_yaml, sort_keys=True, default=str)


# ---- determinism and the bundle checks ---------------------------------------------------------------

def test_rebuild_on_one_core_is_byte_identical(built, tmp_path, monkeypatch):
    """The same inputs give the same bytes, whether the work is shared by two processes or done in one."""
    monkeypatch.setenv("EMPIRIOLABS_JOBS", "1")
    again = tmp_path / "again"
    build_mod.build(ROOT / "catalog", ROOT / "openapi.yaml", again)
    files = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for rel in files:
        assert (built / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_build_fails_when_llms_txt_is_over_budget(monkeypatch, capsys, tmp_path, built):
    monkeypatch.setattr(bundles, "LLMS_BUDGET", 100)
    out = tmp_path / "out"
    code = main(["build", "--catalog", str(ROOT / "catalog"), "--openapi", str(ROOT / "openapi.yaml"),
                 "--out", str(out)])
    assert code == 1
    first, last = capsys.readouterr().err.splitlines()
    assert last == "1 problem(s) found; nothing was written."
    size = re.fullmatch(r"llms.txt: ([\d,]+) characters, over the budget of 100", first)
    # over budget even with the model list moved to per-section files, so shorter than the full llms.txt
    assert size and 100 < int(size[1].replace(",", "")) < len(text(built, "llms.txt")), first
    assert not out.exists()


@pytest.fixture
def copy(built, tmp_path):
    """A copy of the built site to break."""
    shutil.copytree(built, tmp_path / "site")
    return tmp_path / "site"


def check(site_dir: Path, inputs, pages) -> list[Problem]:
    return bundles.check_bundles(site_dir, inputs.catalog, inputs.spec, pages)


def test_the_build_checks_the_files_it_wrote(monkeypatch, capsys, tmp_path, built):
    """The bundle checks run on the build's own output: a provider bundle over budget fails the build."""
    monkeypatch.setattr(bundles, "PROVIDER_BUDGET", 50_000)
    big = sorted((p.stat().st_size, p.parent.name) for p in built.glob("providers/*/llms-full.txt"))
    over = [(size, slug) for size, slug in big if size > 50_000]
    assert [slug for _, slug in over] == ["alibaba"]
    out = tmp_path / "out"
    assert main(["build", "--catalog", str(ROOT / "catalog"), "--openapi", str(ROOT / "openapi.yaml"),
                 "--out", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"providers/alibaba/llms-full.txt: {over[0][0]:,} bytes, over the budget of 50,000",
        "1 problem(s) found; nothing was written."]
    assert not out.exists()


def test_check_reports_a_dead_link_and_a_missing_twin(copy, inputs, pages):
    (copy / "models/qwen3-max.md").unlink()
    lines = text(copy, "llms.txt").split("\n")
    n = next(i for i, line in enumerate(lines, 1) if f"({SITE_URL}models/qwen3-max.md)" in line)
    assert check(copy, inputs, pages) == [
        Problem("llms.txt", n, f"link {SITE_URL}models/qwen3-max.md resolves to no file of the built site"),
        Problem("models/qwen3-max.md", 0, "markdown twin missing"),
    ]


def test_check_reports_html_and_template_leftovers(copy, inputs, pages):
    twin = copy / "pricing.md"
    n = len(twin.read_text("utf-8").split("\n"))
    twin.write_text(twin.read_text("utf-8") + '<div class="grid">\n{{ platform.name }}\n=== "cURL"\n', "utf-8")
    assert check(copy, inputs, pages) == [
        Problem("pricing.md", n, 'HTML left in the markdown: <div class="grid">'),
        Problem("pricing.md", n + 1, "template syntax left in the markdown: {{"),
        Problem("pricing.md", n + 2, 'theme markup left in the markdown: === "cURL"'),
    ]


def test_check_reports_pages_missing_from_the_bundles(copy, inputs, pages):
    full = text(copy, "llms-full.txt").replace("# Qwen3-Max\n\nSource:", "# Qwen3 Max\n\nSource:")
    (copy / "llms-full.txt").write_text(full, "utf-8")
    bundle = text(copy, "providers/amazon/llms-full.txt").replace(f"Source: {SITE_URL}models/nova-micro-1-0/", "")
    (copy / "providers/amazon/llms-full.txt").write_text(bundle, "utf-8")
    assert check(copy, inputs, pages) == [
        Problem("llms-full.txt", 0, "page models/qwen3-max.md is missing"),
        Problem("providers/amazon/llms-full.txt", 0, "page models/nova-micro-1-0.md is missing"),
    ]


def test_check_reports_provider_bundles_over_budget(copy, inputs, pages, monkeypatch):
    monkeypatch.setattr(bundles, "PROVIDER_BUDGET", 50_000)
    size = (copy / "providers/alibaba/llms-full.txt").stat().st_size
    assert check(copy, inputs, pages) == [
        Problem("providers/alibaba/llms-full.txt", 0, f"{size:,} bytes, over the budget of 50,000")]


def test_check_reports_invalid_json(copy, inputs, pages):
    data = json.loads(text(copy, "models.json"))
    data["data"][0]["pricing_rows"][0]["amount"] = 0.1
    del data["data"][1]
    (copy / "models.json").write_text(json.dumps(data), "utf-8")
    assert data["data"][0]["id"] == "happyhorse-1-0"
    assert check(copy, inputs, pages) == [
        Problem("models.json", 0, "does not match ModelList: must be a string, not a number (0.1)",
                "$.data[0].pricing_rows[0].amount"),
        Problem("models.json", 0, "model qwen-image-2-0 is missing"),
    ]


# ---- a catalog too large for one llms.txt ------------------------------------------------------------

def test_a_large_catalog_moves_the_model_list_to_per_section_files(inputs, pages, rendered):
    catalog, copies = inputs.catalog, 8
    models = tuple(dataclasses.replace(m, id=f"{m.id}-{k}", name=f"{m.name} #{k}")
                   for m in catalog.models for k in range(copies))
    big = dataclasses.replace(
        catalog, models=models, _by_id={m.id: m for m in models},
        _by_provider={p.slug: tuple(m for m in models if m.provider.slug == p.slug) for p in catalog.providers})
    big_pages = [p for p in pages if not p.path.startswith("models/")]
    big_pages += [Page(m.url, m.name, "pages/model.md.j2") for m in models]
    big_rendered = {**rendered, **{m.url: rendered[catalog.model(m.id.rsplit("-", 1)[0]).url] for m in models}}
    files = bundles.bundles(big, inputs.spec, big_pages, big_rendered)

    llms = files["llms.txt"]
    assert len(llms) < bundles.LLMS_BUDGET
    doc = parse_llms_file(llms)
    assert list(doc.sections) == SECTIONS
    assert f"see [models/llms.txt]({SITE_URL}models/llms.txt) for every model" in doc.info
    assert [link["url"] for link in doc.sections["Models"]] == (
        [SITE_URL + "pricing.md", SITE_URL + "models/llms.txt"]
        + [f"{SITE_URL}providers/{p.slug}/llms.txt" for p in catalog.providers])
    assert doc.sections["Models"][2]["desc"] == f"{len(big.provider_models('alibaba'))} models"

    index = parse_llms_file(files["models/llms.txt"])
    assert list(index.sections) == [p.name for p in catalog.providers]
    listed = [link["desc"].split(" · ")[0] for links in index.sections.values() for link in links]
    assert sorted(listed) == sorted(m.id for m in models)
    for p in catalog.providers:
        one = parse_llms_file(files[f"providers/{p.slug}/llms.txt"])
        listed = [link["url"] for link in one.sections["Models"]]
        assert listed == [SITE_URL + m.url for m in big.provider_models(p.slug)]

    for rel in ["llms.txt", "models/llms.txt"] + [f"providers/{p.slug}/llms.txt" for p in catalog.providers]:
        for url in LINK.findall(files[rel]):
            assert url[len(SITE_URL):] in files, (rel, url)
