"""The agent bundles: llms.txt, llms-full.txt, provider bundles, markdown twins and the JSON catalog."""

from __future__ import annotations

import dataclasses
import html as html_module
import json
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from llms_txt import parse_llms_file

import seeds
from helpers import write_tree

from generator import build as build_mod
from generator import bundles, pipeline
from generator.site import pages as site
from generator.cli import main
from generator.problems import Problem
from generator.views.render import Page
from spec_judge import SpecJudge

from bench.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "https://docs.empiriolabs.ai/"
SECTIONS = ["Bundles", "Guides", "Providers", "Models", "API reference", "Optional"]
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
    glob = site.template_globals(inputs.catalog)
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
        "desc": "qwen3-max · text & reasoning · 256K context · from $1.08 in / $5.52 out per 1M tokens"}
    assert models["Qwen-Image-2.0"]["desc"] == "qwen-image-2-0 · image generation · from $0.0322 per image"
    assert models["GPTZero"]["desc"] == "gptzero · tools & agents · $0.00039 per word"  # $0.39 per 1K words
    assert models["Tavily Research"]["desc"] == "tavily-research · research · from ~$1.19 per task"


def test_llms_txt_quotes_prices_in_one_unit_per_kind_with_base_fees(built):
    models = {link["title"]: link["desc"] for link in parse_llms_file(text(built, "llms.txt")).sections["Models"]}
    # per 1K in the catalog ($0.0024 / $0.0096 Standard): per 1M here, so it sorts with the others
    assert models["Nova Pro 1.0"].endswith("· from $2.40 in / $9.60 out per 1M tokens")
    assert models["Perplexity Sonar Pro"].endswith(
        "· $7.20 in / $36.00 out per 1M tokens + from $0.014 base fee per request")
    assert models["Perplexity Sonar"].endswith("· $2.40 per 1M tokens, input and output + from $0.012 base fee "
                                               "per request")
    assert models["Nova Micro 1.0"].endswith("· $0.04 in / $0.16 out per 1M tokens")


def test_llms_txt_lists_every_bundle_as_an_item(built, catalog):
    doc = parse_llms_file(text(built, "llms.txt"))
    urls = [link["url"] for link in doc.sections["Bundles"]]
    assert urls == [SITE_URL + "llms-full.txt"] + [f"{SITE_URL}providers/{p.slug}/llms-full.txt"
                                                   for p in catalog.providers]
    assert doc.sections["Bundles"][1]["title"] == "Alibaba Cloud bundle"


def test_every_file_llms_txt_links_fits_one_fetch_but_llms_full(built):
    for url in LINK.findall(text(built, "llms.txt")):
        if url != SITE_URL + "llms-full.txt":
            assert len(local(built, url).read_text("utf-8")) < 100_000, url
    llms = text(built, "llms.txt")
    assert f"({SITE_URL}models.json)" not in llms and f"({SITE_URL}openapi.yaml)" not in llms
    assert f"the full catalog `{SITE_URL}models.json`" in llms  # named, not linked
    table = json.loads(text(built, "models/index.json"))
    qwen = next(m for m in table["data"] if m["id"] == "qwen3-max")
    assert (qwen["input_usd_per_1m_tokens"], qwen["output_usd_per_1m_tokens"]) == (1.08, 5.52)
    assert qwen["json_url"] == SITE_URL + "models/qwen3-max.json"


def test_llms_txt_links_are_absolute_twins_that_exist(built):
    llms = text(built, "llms.txt")
    urls = LINK.findall(llms)
    assert len(urls) > 150
    for url in urls:
        assert local(built, url).is_file(), url
    doc = parse_llms_file(llms)
    for name in SECTIONS[1:5]:
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
    m = re.search(re.escape(link) + r"[^(\n]* \(([\d.]+) (KB|MB), ~([\d,]+)(K?) tokens\)", llms)
    assert m, link
    scale = 1000 if m[2] == "KB" else 1_000_000
    return round(float(m[1]) * scale), int(m[3].replace(",", "")) * (1000 if m[4] else 1)


def test_llms_txt_stays_in_budget_and_states_the_bundle_sizes(built):
    llms = text(built, "llms.txt")
    assert len(llms) < 50_000
    assert "estimated tokens (characters / 4)" in llms
    assert f"- [llms-full.txt]({SITE_URL}llms-full.txt): the whole site in one file, in navigation order (" in llms
    assert f"- [Alibaba Cloud bundle]({SITE_URL}providers/alibaba/llms-full.txt): its page and its 14 models (" in llms
    for link, rel, precision in ((f"[llms-full.txt]({SITE_URL}llms-full.txt)", "llms-full.txt", 100_000),
                                 (f"[Alibaba Cloud bundle]({SITE_URL}providers/alibaba/llms-full.txt)",
                                  "providers/alibaba/llms-full.txt", 1000)):
        size, tokens = stated_size(llms, link)
        content = text(built, rel)
        assert abs(size - len(content.encode("utf-8"))) <= precision / 2, rel
        # "~114K tokens" (cut to the thousand) or "~5,593 tokens" (exact) for characters / 4
        assert 0 <= len(content) / 4 - tokens < (1000 if tokens >= 10_000 else 1), rel


def test_size_note():
    assert bundles.size_note("x" * 400) == "1 KB, ~100 tokens"
    assert bundles.size_note("x" * 80_000) == "80 KB, ~20K tokens"
    assert bundles.size_note("x" * 1_250_000) == "1.2 MB, ~312K tokens"


# ---- llms-full.txt and provider bundles ---------------------------------------------------------------

def test_llms_full_has_every_page_in_nav_order(built, pages):
    full = text(built, "llms-full.txt")
    at = 0
    for page in pages:
        found = full.find(f"\n# {page.title}\n\nSource: {html_url(page)}\n", at)
        assert found > at, page.path
        at = found
    assert f"The OpenAPI document itself is at {SITE_URL}openapi.yaml." in full
    assert "```yaml\nopenapi: 3.1" not in full  # the API reference pages carry its operations


def test_llms_full_fits_its_budget_and_holds_every_seed_fact(built, catalog):
    """At 79 models, every model's section is there, with its id and every price of seed 002."""
    full = text(built, "llms-full.txt")
    assert len(full) <= 400_000
    sections = {}
    for part in full.split("\n---\n\n"):
        m = re.search(r"^Source: https://docs\.empiriolabs\.ai/models/([a-z0-9.-]+)/$", part, re.M)
        if m:
            sections[m[1]] = part
    assert set(sections) == {m.id for m in catalog.models}
    for seed in seeds.models():
        model_id = seed.glance["Model id"].strip("`")
        section = sections[model_id]
        assert f"`{model_id}`" in section
        amounts = {Decimal(a.replace(",", "")) for a in re.findall(r"\$([0-9][0-9,]*(?:\.[0-9]+)?)", section)}
        for price in seed.prices:
            assert set(price.amounts) <= amounts, (model_id, price)


def test_llms_full_gives_each_sdk_pattern_once_and_one_request_per_model_and_endpoint(built, catalog):
    full = text(built, "llms-full.txt")
    parts = {re.search(r"^Source: (\S+)$", p, re.M)[1]: p for p in full.split("\n---\n\n") if "\nSource: " in p}
    for m in catalog.models:
        section = parts[f"{SITE_URL}models/{m.id}/"]
        assert "**Python**" not in section and "**JavaScript**" not in section, m.id
        assert section.count("**cURL**") == len(m.endpoints), m.id
    chat = parts[f"{SITE_URL}api/create-chat-completion/"]
    assert chat.count("**Python**") == 1 and chat.count("**JavaScript**") == 1
    assert chat.count("**cURL**") > 1
    long_blocks = [b for p in parts.values() for b in bundles.blocks(p) if len(b) >= 80
                   and not b.startswith(("#", "|"))]
    assert len(long_blocks) == len(set(long_blocks))  # a long passage is given once


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


POINTER = (f"Agents: every page, bundle and data file of these docs is listed in [llms.txt]({SITE_URL}llms.txt). "
           f"The MCP server at {SITE_URL}mcp (Streamable HTTP) searches and reads these docs: search_docs, get_page, "
           "list_models, get_model, estimate_cost, get_operation.")


def test_twins_open_with_title_source_and_a_pointer_to_llms_txt(built, pages):
    for page in pages:
        assert text(built, page.path).startswith(
            f"# {page.title}\n\nSource: {html_url(page)}\n{POINTER}\n\n"), page.path
    assert text(built, "models/qwen3-max.md").startswith(
        f"# Qwen3-Max\n\nSource: https://docs.empiriolabs.ai/models/qwen3-max/\n{POINTER}\n\n256K-context flagship")
    assert POINTER not in text(built, "llms-full.txt")


def test_twins_links_are_absolute(built, pages):
    for page in pages:
        for url in LINK.findall("\n".join(prose(text(built, page.path)))):
            assert url.startswith(("https://", "http://", "mailto:")), (page.path, url)
    qwen = text(built, "models/qwen3-max.md")
    assert f"[Alibaba Cloud]({SITE_URL}providers/alibaba.md)" in qwen


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
    # every field in the schema's order; `performance` only with a snapshot (tests/test_metrics.py)
    assert list(nova) == [k for k in schemas["Model"]["properties"] if k != "performance"]
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
    monkeypatch.setattr(bundles.budgets, "LLMS_BUDGET", 100)
    out = tmp_path / "out"
    code = main(["build", "--catalog", str(ROOT / "catalog"), "--openapi", str(ROOT / "openapi.yaml"),
                 "--out", str(out)])
    assert code == 1
    first, last = capsys.readouterr().err.splitlines()
    assert last == "1 problem found; nothing was written."
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


def test_the_build_checks_the_files_it_wrote(monkeypatch, capsys, tmp_path):
    """The bundle checks run on the build's own output: a model section that lost its heading fails the build."""
    compact = bundles.compact_model
    monkeypatch.setattr(bundles.fulltext, "compact_model",
                        lambda text: compact(text).replace("# Nova Micro 1.0\n", "# Nova\n"))
    out = tmp_path / "out"
    assert main(["build", "--catalog", str(ROOT / "catalog"), "--openapi", str(ROOT / "openapi.yaml"),
                 "--config-file", str(ROOT / "mkdocs.yml"), "--out", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "llms-full.txt: model nova-micro-1-0 is neither a section nor a table row",
        "1 problem found; nothing was written."]
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
        Problem("llms-full.txt", 0, "model qwen3-max is neither a section nor a table row"),
        Problem("providers/amazon/llms-full.txt", 0, "page models/nova-micro-1-0.md is missing"),
    ]


def test_check_reports_provider_bundles_over_budget(copy, inputs, pages, monkeypatch):
    monkeypatch.setattr(bundles.budgets, "PROVIDER_BUDGET", 30_000)
    size = (copy / "providers/alibaba/llms-full.txt").stat().st_size
    assert check(copy, inputs, pages) == [
        Problem("providers/alibaba/llms-full.txt", 0, f"{size:,} bytes, over the budget of 30,000")]


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
    assert len(llms) < 50_000
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


def big_catalog(inputs, pages, rendered, copies: int, provider: str | None = None):
    """The shipped catalog with `copies` copies of every model (of one provider's models only, with `provider`)."""
    catalog = inputs.catalog
    models = tuple(dataclasses.replace(m, id=f"{m.id}-{k}", name=f"{m.name} #{k}")
                   for m in catalog.models for k in range(copies if provider in (None, m.provider.slug) else 1))
    big = dataclasses.replace(
        catalog, models=models, _by_id={m.id: m for m in models},
        _by_provider={p.slug: tuple(m for m in models if m.provider.slug == p.slug) for p in catalog.providers})
    big_pages = [p for p in pages if not p.path.startswith("models/")]
    big_pages += [Page(m.url, m.name, "pages/model.md.j2") for m in models]
    big_rendered = {**rendered, **{m.url: rendered[catalog.model(m.id.rsplit("-", 1)[0]).url] for m in models}}
    return big, big_pages, bundles.bundles(big, inputs.spec, big_pages, big_rendered)


def test_a_catalog_too_large_for_llms_full_keeps_a_model_table_there(inputs, pages, rendered):
    big, big_pages, files = big_catalog(inputs, pages, rendered, 3)
    full = files["llms-full.txt"]
    assert len(full) <= 400_000
    assert "\n# Models\n\nSource: https://docs.empiriolabs.ai/pricing/\n" in full
    assert ("| `qwen3-max-2` | Qwen3-Max #2 | Alibaba Cloud | Text & reasoning | 256K | from $1.08 in / $5.52 out "
            f"per 1M tokens | [models/qwen3-max-2.md]({SITE_URL}models/qwen3-max-2.md) |") in full
    assert f"Source: {SITE_URL}models/qwen3-max-2/" not in full  # the section moved to the provider's bundle
    assert f"Source: {SITE_URL}getting-started/" in full
    parts = "".join(t for p, t in files.items() if p.startswith("providers/alibaba/llms-full"))
    assert f"Source: {SITE_URL}models/qwen3-max-2/" in parts


def test_at_scale_the_pages_that_list_every_model_give_way_in_llms_full_and_are_named_not_linked(
        inputs, pages, rendered, tmp_path):
    # A pricing table of this size is what 1,000 models make: 150,000 characters, more than one fetch.
    grown = {**rendered, "pricing.md": rendered["pricing.md"] + "\n\nA row of the pricing table.\n" * 5_000}
    big, big_pages, files = big_catalog(inputs, pages, grown, 3)
    full = files["llms-full.txt"]
    assert len(full) <= 400_000
    assert (f"# Pricing\n\nSource: {SITE_URL}pricing/\n\nThis page lists models of the catalog; at this "
            "catalog's size its facts are given once, in the model table of this file and in the providers' "
            f"bundles. Its markdown: {SITE_URL}pricing.md\n") in full
    assert "A row of the pricing table." not in full
    assert f"# Compare models\n\nSource: {SITE_URL}compare/\n\nThis page lists models" in full
    llms = files["llms.txt"]
    size = len(files["pricing.md"])
    assert size > 100_000
    assert (f"- Pricing: `{SITE_URL}pricing.md` ({size:,} characters, more than one fetch; the same facts are in "
            "the model index and the providers' bundles)") in llms
    assert f"]({SITE_URL}pricing.md)" not in llms
    write_tree(tmp_path, files)
    assert bundles.check_files(tmp_path, big, inputs.spec, big_pages) == []


# ---- a catalog that grows past llms-full.txt's budget, model by model ---------------------------------

GROWN = (81, 82, 83, 150, 200)  # synthetic catalogs (bench/synth.py): the shipped 79 models, then copies


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """{n: (agent files, the build's notices)} for synthetic catalogs of n models."""
    out = {}
    for n in GROWN:
        inputs = pipeline.check(synthesize(n, tmp_path_factory.mktemp(f"synth{n}") / "catalog"), ROOT / "openapi.yaml")
        pages = site.pages(inputs.catalog, inputs.spec)
        rendered = pipeline.render(site.template_globals(inputs.catalog), pages, True)
        files: dict[str, str] = {}
        written = bundles.write_bundles(inputs.catalog, inputs.spec, pages, ((p, rendered[p.path]) for p in pages),
                                        files.__setitem__)
        out[n] = files, written.notices
    return out


def model_sections(full: str) -> dict[str, str]:
    """llms-full.txt's model sections by model id."""
    found = {}
    for part in full.split("\n---\n\n"):
        m = re.search(r"^Source: https://docs\.empiriolabs\.ai/models/([a-z0-9.-]+)/$", part, re.M)
        if m:
            found[m[1]] = part
    return found


def test_llms_full_gives_way_one_model_section_at_a_time_as_the_catalog_grows(grown, built):
    """From 79 models to 200, llms-full.txt stays full: it never drops by more than its largest model section
    from n to n + 1 models, nor below its budget less that section (at 82 it once fell to 211,509)."""
    largest = max(len(part) for part in model_sections(text(built, "llms-full.txt")).values())
    sizes = {n: len(files["llms-full.txt"]) for n, (files, _) in grown.items()}
    for n, size in sizes.items():
        assert 400_000 - largest <= size <= 400_000, (n, size, largest)
        if n + 1 in sizes:
            assert sizes[n] - sizes[n + 1] <= largest, (n, sizes)
    for n, (files, notices) in grown.items():
        full = files["llms-full.txt"]
        rows = re.findall(r"^\| `([a-z0-9.-]+)` \| .* \| \[(models/[a-z0-9.-]+\.md)\]\(https://docs\.empiriolabs\.ai/\2\) \|$",
                          full, re.M)
        sections = model_sections(full)
        assert len(sections) + len(rows) == n and not set(sections) & {model_id for model_id, _ in rows}
        assert all(twin == f"models/{model_id}.md" for model_id, twin in rows)
        moved = [line for line in notices if line.startswith("llms-full.txt: ")]
        if rows:
            assert moved and moved[0].startswith(f"llms-full.txt: {len(rows)} of {n} model sections moved to their "
                                                 f"twins ({rows[0][1] if len(rows) == 1 else ''}"), (n, moved)
            assert moved[0].endswith(") to stay within 400,000 characters")
        else:
            assert moved == []


def test_a_budget_that_moves_model_sections_says_which_in_one_line(grown):
    _, notices = grown[83]
    assert notices == [
        "llms-full.txt: 4 of 83 model sections moved to their twins (models/qwen3-5-plus.md, models/qwen3-6-plus.md, "
        "models/deepreasoning.md and 1 more) to stay within 400,000 characters"]
    _, notices = grown[200]
    assert notices == [
        "llms.txt: the list of 200 models moved to lists of their own (models/llms.txt, providers/alibaba/llms.txt, "
        "providers/alibaba-g0000/llms.txt and 56 more) to stay within 50,000 characters",
        "llms-full.txt: 169 of 200 model sections moved to their twins (models/happyhorse-1-0.md, "
        "models/qwen-image-2-0.md, models/qwen3-max.md and 166 more) to stay within 400,000 characters"]


def reachable(files: dict[str, str], start: str = "llms.txt") -> set[str]:
    """Every file of `files` an agent reaches from `start` by following links."""
    seen, todo = {start}, [start]
    while todo:
        for url in LINK.findall(files[todo.pop()]):
            rel = url.removeprefix(SITE_URL).split("#")[0]
            if url.startswith(SITE_URL) and rel in files and rel not in seen:
                seen.add(rel)
                todo.append(rel)
    return seen


@pytest.mark.parametrize("n", GROWN)
def test_every_seed_fact_stays_reachable_through_llms_txt(grown, n):
    """Whether its section is in llms-full.txt or moved to its twin, an agent that starts at llms.txt finds
    every seed model's id and every price of seed 002."""
    files, _ = grown[n]
    found = reachable(files)
    full = files["llms-full.txt"]
    for seed in seeds.models():
        model_id = seed.glance["Model id"].strip("`")
        twin = f"models/{model_id}.md"
        assert twin in found, (n, model_id)
        amounts = {Decimal(a.replace(",", "")) for a in re.findall(r"\$([0-9][0-9,]*(?:\.[0-9]+)?)", files[twin])}
        for price in seed.prices:
            assert set(price.amounts) <= amounts, (n, model_id, price)
        row = f"\n| `{model_id}` | "  # a line of the table of moved sections
        assert (f"Source: {SITE_URL}models/{model_id}/\n" in full) != (row in full), (n, model_id)


def test_the_build_prints_what_its_budget_moved_as_a_line_of_its_own(capsys, tmp_path):
    """The issue's catalog: two models more than llms-full.txt could hold whole."""
    catalog = synthesize(83, tmp_path / "catalog")
    assert main(["build", "--catalog", str(catalog), "--openapi", str(ROOT / "openapi.yaml"),
                 "--config-file", str(ROOT / "mkdocs.yml"), "--out", str(tmp_path / "site")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("built ")
    assert lines[1:] == [
        "llms-full.txt: 4 of 83 model sections moved to their twins (models/qwen3-5-plus.md, models/qwen3-6-plus.md, "
        "models/deepreasoning.md and 1 more) to stay within 400,000 characters"]


def test_a_build_summary_of_many_provider_bundles_names_the_largest():
    files = {"llms.txt": "x" * 10, "llms-full.txt": "x" * 20,
             **{f"providers/p{k:02}/llms-full.txt": "x" * (1_000 + k) for k in range(45)}}
    assert bundles.summary(files) == (
        "bundles: llms.txt 10/50,000 chars (1 KB, ~2 tokens); llms-full.txt 20/400,000 chars (1 KB, ~5 tokens); "
        "45 provider bundles, the largest providers/p44/llms-full.txt 1,044/100,000 bytes (1 KB, ~261 tokens) "
        "(size/budget; tokens ≈ characters / 4)")


def test_a_large_provider_is_split_into_parts_within_budget(inputs, pages, rendered):
    big, big_pages, files = big_catalog(inputs, pages, rendered, 12, provider="alibaba")
    paths = sorted(p for p in files if p.startswith("providers/alibaba/llms-full"))
    assert len(paths) > 1
    assert paths[0] == "providers/alibaba/llms-full-2.txt" and "providers/alibaba/llms-full.txt" in paths
    for path in paths:
        assert len(files[path].encode("utf-8")) <= 100_000, path
        assert "Part " in files[path] and f"- [providers/alibaba/llms-full.txt]({SITE_URL}" in files[path]
    held = "".join(files[p] for p in paths)
    for m in big.provider_models("alibaba"):
        assert f"\nSource: {SITE_URL}models/{m.id}/\n" in held, m.id
    doc = parse_llms_file(files["llms.txt"])
    titles = [link["title"] for link in doc.sections["Bundles"] if link["title"].startswith("Alibaba")]
    assert titles == [f"Alibaba Cloud bundle, part {k} of {len(paths)}" for k in range(1, len(paths) + 1)]


def test_a_provider_of_thousands_of_models_keeps_every_part_and_its_head_within_budget(inputs, pages, rendered):
    # Its page lists every model: 150,000 characters, as thousands of models make it.
    grown = {**rendered, "providers/alibaba.md": rendered["providers/alibaba.md"] + "\n\nA model row.\n" * 10_000}
    big, big_pages, files = big_catalog(inputs, pages, grown, 400, provider="alibaba")
    paths = [p for p in files if p.startswith("providers/alibaba/llms-full")]
    assert len(paths) > 60  # each part's head lists every part: more than the first reserve of 4,000 bytes
    assert max(len(files[p].encode("utf-8")) for p in paths) <= 100_000
    n = len(big.provider_models("alibaba"))
    assert (f"# Alibaba Cloud\n\nSource: {SITE_URL}providers/alibaba/\n\nThis provider's page lists its {n:,} "
            "models, too many for one part of this bundle; its markdown is at "
            f"{SITE_URL}providers/alibaba.md, and each model's section follows.\n") in files[paths[0]]
    assert "A model row." not in "".join(files[p] for p in paths)


def test_when_not_even_a_line_per_provider_fits_llms_full_points_to_the_indexes(inputs, pages, rendered, monkeypatch):
    monkeypatch.setattr(bundles.budgets, "FULL_BUDGET", 1_000)
    big, big_pages, files = big_catalog(inputs, pages, rendered, 3)
    full = files["llms-full.txt"]
    assert (f"# Models by provider\n\nSource: {SITE_URL}providers/\n\nThe {len(big.models):,} models of "
            f"{len(big.providers)} providers are too many for this file's budget of 1,000 characters, even one line "
            f"per provider: every model is listed in {SITE_URL}models/llms.txt, every provider's bundle in "
            f"{SITE_URL}llms.txt, and each bundle holds its models' sections.\n") in full
    assert "| Provider | Models | Bundle |" not in full
    assert f"Source: {SITE_URL}providers/amazon/" not in full  # each provider's page is in its own bundle
    assert f"Source: {SITE_URL}getting-started/" in full


def test_models_json_can_be_computed_with(built, catalog):
    data = json.loads(text(built, "models.json"))
    assert (data["updated"], data["catalog"], data["currency"]) == ("2026-11-23", catalog.digest, "USD")
    assert f"Generated from catalog {data['catalog']}, updated {data['updated']}." in text(built, "llms.txt")
    rows = [r for m in data["data"] for r in m["pricing_rows"]]
    assert len(rows) > 250
    assert all(r["direction"] in ("input", "output", "input_output", "tool", "base_fee", "usage") for r in rows)
    assert all(r["currency"] == "USD" and isinstance(r["normalized_amount"], (int, float)) for r in rows)
    assert all(r["tier"]["metric"] == "input_tokens" for r in rows if "tier" in r)
    by_id = {m["id"]: m for m in data["data"]}
    nova_pro = by_id["nova-pro-1-0"]["pricing_rows"][0]  # $0.0024 per 1K tokens
    assert (nova_pro["amount"], nova_pro["per"], nova_pro["normalized_amount"], nova_pro["normalized_per"]) == (
        "0.0024", 1000, 2.4, 1_000_000)
    sonar = {r["label"]: r["direction"] for r in by_id["perplexity-sonar"]["pricing_rows"]}
    assert sonar == {"Base Fee (Low Context)": "base_fee", "Base Fee (Medium Context)": "base_fee",
                     "Base Fee (High Context)": "base_fee", "Input & Output Tokens": "input_output"}
    assert by_id["qwen3-max"]["md_url"] == SITE_URL + "models/qwen3-max.md"
    assert (built / "models/qwen3-max.md").is_file()


def test_the_agents_reference_describes_the_agent_files_their_budgets_and_the_mcp_server():
    section = (ROOT / "docs/agents.md").read_text("utf-8")
    for budget in (f"{50_000:,} characters", f"{400_000:,} characters",
                   f"{100_000:,} bytes", f"{100_000:,} characters"):
        assert budget in section, budget
    for name in ("llms.txt", "llms-full.txt", "providers/<slug>/llms-full.txt", "models/index.json", "models.json",
                 "generator mcp --site", "search_docs(query)", "get_page(path)", "list_models(", "get_model(id)",
                 "estimate_cost(", "get_operation(method, path)", '"mcpServers"', "Accept: text/markdown",
                 "GitHub Pages"):
        assert name in section, name


def test_the_agents_guide_states_the_twin_address_rule_that_is_published(built, pages):
    guide = text(built, "agents.md")
    sections = sorted(p.path for p in pages if p.path.endswith("/index.md"))
    assert sections == ["api/index.md", "providers/index.md"]
    assert (f"The page at `{SITE_URL}<path>/` has its twin at `{SITE_URL}<path>.md`; the two section front pages are "
            f"the exception, with their twin inside the section: `{SITE_URL}api/index.md` and "
            f"`{SITE_URL}providers/index.md`; the home page's twin is `{SITE_URL}index.md`.") in guide
    for html in built.rglob("index.html"):
        rel = html.parent.relative_to(built).as_posix()
        twin = "index.md" if rel == "." else f"{rel}/index.md" if f"{rel}/index.md" in sections else f"{rel}.md"
        assert (built / twin).is_file(), rel


def test_the_summary_prints_every_bundle_against_its_budget():
    files = {"models.json": "x", "llms-full.txt": "x" * 390_000, "llms.txt": "x" * 24_000,
             "providers/a/llms-full.txt": "é" * 40_000, "providers/a/llms-full-2.txt": "x" * 1_000,
             "providers/a/llms.txt": "x"}
    assert bundles.summary(files) == (
        "bundles: llms.txt 24,000/50,000 chars (24 KB, ~6,000 tokens); "
        "llms-full.txt 390,000/400,000 chars (390 KB, ~97K tokens); "
        "providers/a/llms-full-2.txt 1,000/100,000 bytes (1 KB, ~250 tokens); "
        "providers/a/llms-full.txt 80,000/100,000 bytes (80 KB, ~10K tokens) "
        "(size/budget; tokens ≈ characters / 4)")


class Blocks(HTMLParser):
    """The text of each block element (paragraph, list item, cell, heading) of a page's article, leaving out
    code (the twin has it verbatim), buttons (and links drawn as buttons), permalinks, the agents line and what the browser draws (`el-live`)."""

    BLOCK = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "summary", "figcaption"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.blocks: list[list[str]] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag in ("pre", "script", "style", "button") or "el-agents" in cls or "el-live" in cls \
                or "headerlink" in cls or "md-button" in cls:
            self.skip += 1
            self.stack.append(("skip", tag))
        elif tag in self.BLOCK and not self.skip:
            self.blocks.append([])
            self.stack.append(("block", tag))
        elif tag == "br":  # a line break the browser draws: the words on either side are apart
            self.handle_data(" ")
        elif tag not in ("img", "input", "hr", "meta", "link"):
            self.stack.append(("other", tag))

    def handle_endtag(self, tag):
        while self.stack:
            kind, opened = self.stack.pop()
            self.skip -= kind == "skip"
            if opened == tag:
                break

    def handle_data(self, data):
        if not self.skip and any(kind == "block" for kind, _ in self.stack):
            self.blocks[-1].append(data)


def test_twins_carry_every_block_of_text_their_html_page_shows(built, pages):
    flat = lambda s: " ".join(s.replace("¶", "").split())  # noqa: E731
    assert {"pricing.md", "providers/index.md"} <= {page.path for page in pages}
    for page in pages:
        rel = html_url(page)[len(SITE_URL):]
        raw = text(built, rel + "index.html")
        parser = Blocks()
        parser.feed(raw[raw.index("<article"):raw.index("</article>")])
        md = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text(built, page.path))
        md = flat(md.replace("`", "").replace("**", "").replace("\\|", "|"))
        for block in parser.blocks:
            shown = flat(html_module.unescape("".join(block)))
            assert len(shown) < 4 or shown in md, (page.path, shown)


class VisibleText(HTMLParser):
    """The text of a page's <body> in document order (script, style and template left out), each run marked
    by whether it is inside the page's first <article>, where the theme puts the page's own content."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.runs: list[tuple[str, bool]] = []
        self.body = False
        self.article: int | None = None  # the depth of the open article; None before it, -1 after it

    def handle_starttag(self, tag, attrs):
        self.body = self.body or tag == "body"
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if tag == "article" and self.article is None:
            self.article = len(self.stack)

    def handle_endtag(self, tag):
        while self.stack:
            opened = self.stack.pop()
            if opened == "article" and self.article == len(self.stack) + 1:
                self.article = -1
            if opened == tag:
                break

    def handle_data(self, data):
        words = " ".join(data.split())
        if self.body and words and not {"script", "style", "template"} & set(self.stack):
            self.runs.append((words, self.article not in (None, -1)))


def test_every_html_page_starts_its_own_content_in_the_first_tenth_of_its_text(built):
    """An agent that reads the HTML meets the page's content first: the header bar, then the article; the
    tabs, the navigation and the table of contents come after it in the document (the theme's CSS draws
    them where they were)."""
    files = sorted(built.rglob("*.html"))
    assert len(files) > 130 and built / "404.html" in files
    late = {}
    for file in files:
        parser = VisibleText()
        parser.feed(file.read_text("utf-8"))
        inside = [i for i, (_, in_article) in enumerate(parser.runs) if in_article]
        assert inside, f"{file.relative_to(built)}: no text in an <article>"
        before = sum(len(words) + 1 for words, _ in parser.runs[:inside[0]])
        total = sum(len(words) + 1 for words, _ in parser.runs)
        if before >= total / 10:
            late[file.relative_to(built).as_posix()] = f"{before:,} of {total:,} characters before the article"
    assert not late, late


def test_the_404_page_loads_its_assets_from_the_site(built):
    """The 404 page is served at any address, so it loads the theme's files and ours by their absolute path
    from site_url (it once loaded `//assets/page-menu.css`: from a host named `assets`)."""
    page = (built / "404.html").read_text("utf-8")
    loads = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) + re.findall(r'<script[^>]* src="([^"]+)"', page)
    assert "/assets/page-menu.css" in loads and "/assets/page-menu.js" in loads and "/assets/extra.css" in loads
    for url in loads:
        assert url.startswith("/") and not url.startswith("//"), url
        assert (built / urlsplit(url).path.lstrip("/")).is_file(), url
