"""`generator mcp`: the built site over the Model Context Protocol, driven by the SDK's own stdio client."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
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


def session(site: Path | str, calls: list[tuple[str, dict]]) -> tuple[list, list]:
    """Start `python -m generator mcp --site SITE` (or connect to an MCP URL), list its tools, make each call in
    turn over one session."""
    params = site if isinstance(site, str) else StdioServerParameters(
        command=sys.executable, args=["-m", "generator", "mcp", "--site", str(site)], cwd=str(ROOT))

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


# ---- over Streamable HTTP: `generator mcp --http` ---------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url}")


@pytest.fixture(scope="module")
def http_server(site):
    """`generator mcp --http` on a free loopback port, with a twin and a folder symlinked out of the site."""
    (site / "models/passwd.md").symlink_to("/etc/passwd")
    (site / "etc").symlink_to("/etc")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "mcp", "--http", "--site", str(site), "--port",
                             str(port)], cwd=ROOT)
    try:
        wait_for(f"http://127.0.0.1:{port}/health")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def post(url: str, body: bytes) -> tuple[int, dict]:
    """One raw POST to /mcp, as a client that speaks no MCP would send it."""
    request = urllib.request.Request(url + "/mcp", data=body, method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_http_serves_every_tool_and_a_health_check(site, http_server):
    with urllib.request.urlopen(http_server + "/health", timeout=10) as r:
        assert json.loads(r.read()) == {"status": "ok", "pages": len(list(site.rglob("*.md"))) - 1, "models": 79}
    tools, (page, hits, listed, model, cost, op) = session(http_server + "/mcp", EVERY_TOOL)
    assert sorted(t.name for t in tools) == sorted(TOOLS)
    assert_every_tool_answered(site, page, hits, listed, model, cost, op)


EVERY_TOOL = [
    ("get_page", {"path": "models/qwen3-max"}),
    ("search_docs", {"query": "rate limits per minute"}),
    ("list_models", {"category": "text", "max_input_price": 0.07}),
    ("get_model", {"id": "qwen3-max"}),
    ("estimate_cost", {"model": "qwen3-max", "input_tokens": 100_000, "output_tokens": 1_000, "requests": 3}),
    ("get_operation", {"method": "POST", "path": "/v1/chat/completions"}),
]


def assert_every_tool_answered(site, page, hits, listed, model, cost, op):
    assert text(page) == (site / "models/qwen3-max.md").read_text("utf-8")
    assert (SITE_URL + "rate-limits.md", "Default limits") in [(h["url"], h["section"]) for h in data(hits)["result"]]
    assert sorted(m["id"] for m in data(listed)["result"]) == ["nova-lite-1-0", "nova-micro-1-0"]
    assert data(model)["display_name"] == "Qwen3-Max"
    assert data(cost)["total"] == "0.68112"
    assert data(op)["path"] == "/v1/chat/completions"


NO_PAGE = "Error executing tool get_page: no page at {!r}; pass a page URL or site path such as 'models/{}' or " \
          "'getting-started', or find pages with search_docs"


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "..%2F..%2Fetc%2Fpasswd",
                                  "models/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "models/passwd", "etc/passwd",
                                  "file:///etc/passwd"])
def test_http_reads_nothing_outside_the_site(site, http_server, path):
    first = json.loads((site / "models.json").read_text("utf-8"))["data"][0]["id"]
    _, (refused, after) = session(http_server + "/mcp", [("get_page", {"path": path}),
                                                         ("get_page", {"path": "getting-started"})])
    assert refused.is_error and text(refused) == NO_PAGE.format(path, first)
    assert "root:" not in text(refused)
    assert text(after) == (site / "getting-started.md").read_text("utf-8")


def test_http_bad_calls_get_a_clear_error_and_the_next_call_an_answer(http_server):
    _, (unknown, wrong, missing, long, after) = session(http_server + "/mcp", [
        ("no_such_tool", {}),
        ("estimate_cost", {"model": "qwen3-max", "input_tokens": "lots", "output_tokens": []}),
        ("estimate_cost", {"input_tokens": 5, "output_tokens": 4}),
        ("search_docs", {"query": "word " * 1_000}),
        ("estimate_cost", {"model": "qwen3-max", "input_tokens": 32_000, "output_tokens": 0}),
    ])
    assert unknown.is_error and text(unknown) == "Unknown tool: no_such_tool"
    assert wrong.is_error and text(wrong) == (
        "Error executing tool estimate_cost: wrong arguments: input_tokens: 'lots' is not of type 'integer'; "
        "output_tokens: [] is not of type 'integer'")
    assert missing.is_error and text(missing) == (
        "Error executing tool estimate_cost: wrong arguments: 'model' is a required property")
    assert long.is_error and text(long) == (
        "Error executing tool search_docs: query is 5,000 characters, more than the 1,000 a search takes")
    assert data(after)["total"] == "0.03456"


def test_http_a_10_mb_query_is_refused_whole_and_the_next_call_answered(http_server):
    from mcp.shared.exceptions import MCPError

    async def run():
        async with Client(http_server + "/mcp") as client:
            with pytest.raises(MCPError) as refused:
                await client.call_tool("search_docs", {"query": "a" * 10_000_000})
            return refused.value, await client.call_tool("get_model", {"id": "qwen3-max"})

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        refused, after = pool.submit(asyncio.run, run()).result()
    assert refused.error.code == -32600
    assert refused.error.message.startswith("request too large: 10,000,")
    assert refused.error.message.endswith(" bytes or more, the most one request may have is 65,536")
    assert data(after)["id"] == "qwen3-max"


@pytest.mark.parametrize(("body", "status", "error"), [
    (b'{"jsonrpc": "2.0", "id": 1,', 400, {"code": -32700, "message": "Parse error: EOF while parsing a value at "
                                                                        "line 1 column 27"}),
    (b'{"foo": 1}', 400, {"code": -32600, "message": 'Invalid Request: send one JSON-RPC 2.0 message, an object '
                                                      'with "jsonrpc": "2.0" and a "method" (and an "id" for a request)'}),
    (b'[{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}]', 400, {
        "code": -32600, "message": 'Invalid Request: send one JSON-RPC 2.0 message, an object with "jsonrpc": '
                                   '"2.0" and a "method" (and an "id" for a request)'}),
])
def test_http_malformed_json_rpc_gets_an_error_never_a_traceback(http_server, body, status, error):
    assert post(http_server, body) == (status, {"jsonrpc": "2.0", "id": None, "error": error})
    ok = post(http_server, b'{"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "get_model", '
                           b'"arguments": {"id": "qwen3-max"}}}')
    assert ok[0] == 200 and ok[1]["result"]["structuredContent"]["id"] == "qwen3-max"


def test_http_a_call_past_the_time_or_in_flight_bound_is_refused_and_others_served(site):
    """A site whose search for 'slow' takes 5 s, behind a server allowing 2 s per call and 2 calls at once."""
    import uvicorn

    from generator.mcpserver import Limits, Site
    from generator.mcpserver.http import app

    class SlowSite(Site):
        def search(self, query, limit=5):
            if query == "slow":
                time.sleep(5)
            return super().search(query, limit)

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app(SlowSite(site), Limits(call_seconds=2, calls_in_flight=2)),
                                          host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/mcp"

    async def run():
        async with Client(url) as a, Client(url) as b, Client(url) as c:
            calls = [x.call_tool("search_docs", {"query": "slow"}) for x in (a, b, c)]
            slow = await asyncio.gather(*calls)
            return slow, await a.call_tool("search_docs", {"query": "rate limits"})

    try:
        wait_for(f"http://127.0.0.1:{port}/health")
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            slow, after = pool.submit(asyncio.run, run()).result()
    finally:
        server.should_exit = True
        thread.join(10)
    assert sorted(text(r) for r in slow) == [
        "Error executing tool search_docs: search_docs took longer than 2 s, the most one call may take; "
        "the server gave up on it"] * 2 + [
        "Error executing tool search_docs: the server is busy: 2 calls are in flight, the most it takes at once; "
        "retry in a moment"]
    assert data(after)["result"][0]["title"]


def test_an_answer_past_the_bound_is_refused(site):
    from generator.mcpserver import Limits, Site, server

    from mcp import Client as InProcess

    async def run():
        async with InProcess(server(Site(site), Limits(answer_bytes=20_000))) as client:
            return (await client.call_tool("list_models", {}),
                    await client.call_tool("list_models", {"provider": "openai"}))

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        big, small = pool.submit(asyncio.run, run()).result()
    assert big.is_error and text(big).startswith("Error executing tool list_models: the answer is ")
    assert text(big).endswith(" bytes, more than the 20,000 one answer may have; narrow the request (list_models "
                              "takes category, provider, capability and max_input_price)")
    assert data(small)["result"]


# ---- discovery: llms.txt, the twins, the page menu, /.well-known ---------------------------------------------

MCP_LINE = ("The MCP server at https://docs.empiriolabs.ai/mcp (Streamable HTTP) searches and reads these docs: "
            "search_docs, get_page, list_models, get_model, estimate_cost, get_operation.")


def test_llms_txt_every_twin_and_the_page_menu_name_the_mcp_url(site):
    assert MCP_LINE in (site / "llms.txt").read_text("utf-8").split("\n")
    twins = [p for p in site.rglob("*.md") if not p.is_symlink()]
    assert len(twins) > 100
    for twin in twins:
        assert twin.read_text("utf-8").split("\n")[3] == (
            "Agents: every page, bundle and data file of these docs is listed in "
            f"[llms.txt]({SITE_URL}llms.txt). {MCP_LINE}"), twin
    assert "Agents: every page" not in (site / "llms-full.txt").read_text("utf-8")  # the bundles drop the line
    html = (site / "models/qwen3-max/index.html").read_text("utf-8")
    assert 'data-mcp-url="https://docs.empiriolabs.ai/mcp"' in html
    assert f'<span class="el-agents__mcp">{MCP_LINE}</span>' in html  # the twin's line, above the content
    assert ('<button type="button" data-el-action="connect" aria-controls="el-connect" aria-label="Connect an agent">'
            '</button>') in html


def test_the_api_catalog_and_the_server_card(site):
    catalog = json.loads((site / ".well-known/api-catalog").read_text("utf-8"))
    assert catalog == {"linkset": [{
        "anchor": SITE_URL,
        "service-desc": [{"href": SITE_URL + "openapi.json", "type": "application/vnd.oai.openapi+json"},
                         {"href": SITE_URL + "openapi.yaml", "type": "application/yaml"}],
        "service-doc": [{"href": SITE_URL, "type": "text/html"}, {"href": SITE_URL + "llms.txt", "type": "text/plain"}],
        "service-meta": [{"href": SITE_URL + ".well-known/mcp/server-card.json", "type": "application/json"}],
    }]}
    card = json.loads((site / ".well-known/mcp/server-card.json").read_text("utf-8"))
    assert card["transport"] == {"type": "streamable-http", "url": SITE_URL + "mcp"}
    assert card["serverInfo"]["name"] == "empiriolabs-docs"
    tools, _ = session(site, [])  # the card lists what the server serves, word for word
    assert card["tools"] == [{"name": t.name, "description": t.description} for t in tools]


def test_mcp_url_false_names_no_mcp_endpoint(project):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("      templates: templates\n",
                                                        "      templates: templates\n      mcp_url: false\n"), "utf-8")
    build_mod.build(out=project / "site", config_file=config)
    site = project / "site"
    assert not (site / ".well-known/mcp").exists()
    assert "service-meta" not in (site / ".well-known/api-catalog").read_text("utf-8")
    named = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
             and p.suffix in (".md", ".txt", ".html", ".json") and "/mcp" in p.read_text("utf-8")]
    assert named == []
    assert "Connect an agent" not in (site / "index.html").read_text("utf-8")
