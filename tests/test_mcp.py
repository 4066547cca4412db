"""`generator mcp`: the built site over the Model Context Protocol, driven by the SDK's own stdio client."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from generator import build as build_mod
from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "https://docs.empiriolabs.ai/"
TOOLS = {
    "search_docs": ["query"],
    "get_page": ["path"],
    "list_models": ["category", "provider", "capability", "max_input_price", "order_by"],
    "get_model": ["id"],
    "estimate_cost": ["model", "input_tokens", "output_tokens", "cached_input_tokens", "requests", "mode"],
    "get_operation": ["method", "path"],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("mcp") / "site"
    build_mod.build(ROOT / "catalog", ROOT / "openapi.yaml", out)
    return out


def session(site: Path, calls: list[tuple[str, dict]]) -> tuple[list, list]:
    """Start `python -m generator mcp --site SITE`, list its tools, make each call in turn over one session."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "generator", "mcp", "--site", str(site)],
                                   cwd=str(ROOT))

    async def run():
        async with Client(params) as client:
            tools = (await client.list_tools()).tools
            return tools, [await client.call_tool(name, args) for name, args in calls]

    # in a thread of its own: the browser tests' sync Playwright may leave an event loop running in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def text(result) -> str:
    return "".join(c.text for c in result.content)


def data(result):
    assert not result.is_error, text(result)
    return json.loads(text(result)) if result.structured_content is None else result.structured_content


def test_every_tool_has_its_arguments_a_schema_and_a_description(site):
    tools, _ = session(site, [])
    assert sorted(t.name for t in tools) == sorted(TOOLS)
    for t in tools:
        assert list(t.input_schema["properties"]) == TOOLS[t.name], t.name
        assert t.description and len(t.description) > 60, t.name
    schema = next(t for t in tools if t.name == "estimate_cost").input_schema
    assert schema["required"] == ["model", "input_tokens", "output_tokens"]
    assert schema["properties"]["input_tokens"]["type"] == "integer"


def test_models_and_exact_costs(site):
    _, (priced, cached, listed, model, sonar) = session(site, [
        ("estimate_cost", {"model": "qwen3-max", "input_tokens": 100_000, "output_tokens": 1_000, "requests": 3}),
        ("estimate_cost", {"model": "nova-micro-1-0", "input_tokens": 10_000, "output_tokens": 2_000,
                           "cached_input_tokens": 4_000}),
        ("list_models", {"category": "text", "max_input_price": 0.07}),
        ("get_model", {"id": "Nova Micro"}),
        ("estimate_cost", {"model": "perplexity-sonar-pro", "input_tokens": 1_000, "output_tokens": 500,
                           "mode": "High Context"}),
    ])
    # qwen3-max, 32K–128K tier: 3 × (100,000 × $2.16 + 1,000 × $11.04) / 1M
    assert data(priced)["total"] == "0.68112"
    assert data(priced)["context_tier"] == "32K–128K"
    assert [(ln["label"], ln["cost"]) for ln in data(priced)["lines"]] == [("Input", "0.648"), ("Output", "0.03312")]
    assert data(cached)["total"] == "0.0006496"  # 6,000 × $0.040 + 4,000 × $0.0224 + 2,000 × $0.16, per 1M
    assert data(sonar)["total"] == "0.0592"  # $0.034 base fee + 1,000 × $0.0072/1K + 500 × $0.036/1K
    assert sorted(m["id"] for m in data(listed)["result"]) == ["nova-lite-1-0", "nova-micro-1-0"]
    nova = data(model)
    assert nova["id"] == "nova-micro-1-0"
    assert {r["label"]: r["amount"] for r in nova["pricing_rows"]}["Cached input (text)"] == "0.0224"
    assert {p["name"]: p.get("max") for p in nova["supported_parameters"]}["max_tokens"] == 5000
    assert nova["example_request"].startswith("```bash\ncurl https://api.empiriolabs.ai/v1/chat/completions")
    assert '"model": "nova-micro-1-0"' in nova["example_request"]


def test_pages_search_and_operations(site):
    _, (page, by_path, hits, op) = session(site, [
        ("get_page", {"path": SITE_URL + "models/qwen3-max/"}),
        ("get_page", {"path": "getting-started"}),
        ("search_docs", {"query": "rate limits per minute"}),
        ("get_operation", {"method": "POST", "path": "/v1/chat/completions"}),
    ])
    assert text(page) == (site / "models/qwen3-max.md").read_text("utf-8")
    assert text(by_path) == (site / "getting-started.md").read_text("utf-8")
    found = data(hits)["result"]
    assert (SITE_URL + "rate-limits.md", "Default limits") in [(h["url"], h["section"]) for h in found[:3]]
    assert all({"title", "section", "url", "text"} <= set(h) for h in found)
    chat = data(op)
    fields = {f["name"]: f for f in chat["request_fields"]}
    assert fields["messages"]["required"] is True and fields["temperature"]["required"] is False
    assert chat["example_request"]["model"] == "qwen3-max"
    assert "choices" in {f["name"] for f in chat["responses"]["200"]["fields"]}


def test_a_bad_argument_is_a_tool_error_and_the_server_keeps_serving(site):
    _, (unknown, not_tokens, no_page, no_op, after) = session(site, [
        ("estimate_cost", {"model": "qwen3-maxx", "input_tokens": 10, "output_tokens": 10}),
        ("estimate_cost", {"model": "amazon-nova-canvas", "input_tokens": 10, "output_tokens": 0}),
        ("get_page", {"path": "models/nope"}),
        ("get_operation", {"method": "DELETE", "path": "/v1/models"}),
        ("estimate_cost", {"model": "qwen3-max", "input_tokens": 32_000, "output_tokens": 0}),
    ])
    # the SDK opens every tool error with "Error executing tool <name>: "
    assert unknown.is_error and text(unknown) == (
        "Error executing tool estimate_cost: unknown model 'qwen3-maxx'; did you mean qwen3-max, qwen3-max-preview, "
        "qwen3-max-thinking?")
    assert not_tokens.is_error and text(not_tokens) == (
        "Error executing tool estimate_cost: amazon-nova-canvas is not token-priced (it is priced per image); "
        "estimate_cost needs a model with input token prices")
    assert no_page.is_error and text(no_page).startswith(
        "Error executing tool get_page: no page at 'models/nope'; pass a page URL or site path")
    assert no_op.is_error and text(no_op).startswith(
        "Error executing tool get_operation: no operation DELETE /v1/models; the API has: GET /v1/models, ")
    assert data(after)["total"] == "0.03456"  # 32,000 × $1.08 / 1M: the ≤32K tier includes its bound


def test_mcp_refuses_a_directory_that_is_no_built_site(tmp_path, capsys):
    assert main(["mcp", "--site", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"mcp: {tmp_path}: not a built docs site (no llms.txt, models.json, openapi.json); build one with: "
        "python -m generator build --out DIR\n")


def test_a_page_is_cut_at_its_headings_outside_code_only():
    """A four-backtick block that shows a fenced block closes at its own fence, not at the inner one."""
    from generator.mcpserver import split_sections

    text = ("# Guide\n\nIntro.\n\n````markdown\n```bash\n## not a heading\n```\n````\n\n## Real heading\n\nBody.")
    assert [s.heading for s in split_sections(text, "https://docs.example.com/guide/")] == ["", "Real heading"]
