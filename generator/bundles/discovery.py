"""The files that tell an agent where the docs' API and MCP server are: /.well-known/api-catalog (RFC 9727) and
the MCP server card (/.well-known/mcp/server-card.json), and the tools that card lists. `generator mcp` serves
the tools under these names and descriptions."""

from __future__ import annotations

import json

from generator.model.objects import Catalog

API_CATALOG = ".well-known/api-catalog"
SERVER_CARD = ".well-known/mcp/server-card.json"

TOOLS = {
    "search_docs": "Search every page of the docs. Returns the best-matching sections, best first, each with its "
    "page title, section heading, the URL of the page's markdown twin, and the section's text.",
    "get_page": "One page as markdown (its twin), by URL (https://…/models/qwen3-max/ or …/models/qwen3-max.md) or "
    "site path (models/qwen3-max, getting-started, api/create-chat-completion).",
    "list_models": "Models that match every filter given: a category slug (text, image, video, audio, "
    "transcription, research, tools, embedding), a provider slug, a capability flag (streaming, tool_calling, "
    "vision, web_search, thinking, structured_output...), and max_input_price in USD per 1M input tokens (lowest "
    "tier; models without a token price are left out when it is set). Where the site has measured figures (p50, "
    "with the window they cover), order_by sorts best first by one of them: ttft (time to first token), "
    "tokens_per_second, latency or success_rate; models without that figure come last.",
    "get_model": "One model by id (or display name or alias): its facts, every price row (exact USD decimal strings "
    "with a normalized number beside each), its parameters with types, defaults and ranges, what the gateway "
    "measured of it (time to first token, tokens per second, latency, success rate, with the window they cover; "
    "only where the site has such figures), and an example request (cURL).",
    "estimate_cost": "The exact cost in USD of `requests` requests to a token-priced model, each with "
    "`input_tokens` input tokens (cached ones included) and `output_tokens` output tokens. The context tier is "
    "picked from one request's input tokens, cached tokens get the cache discount, per-request base fees are "
    "added; `mode` picks a pricing mode where the model has several (the first listed otherwise). Returns the "
    "total, the lines it is made of, and the priced items it cannot count (tool calls...).",
    "get_operation": "One API operation, e.g. method POST and path /v1/chat/completions: its request fields (name, "
    "type, required, description), path parameters, each response's fields, and example request and response "
    "bodies.",
}


def api_catalog(site: str, mcp_url: str | None) -> str:
    """RFC 9727's linkset (RFC 9264 JSON): the API's description, its docs and the agents' index; the MCP
    endpoint too when there is one."""
    item = {
        "anchor": site,
        "service-desc": [
            {"href": f"{site}openapi.json", "type": "application/vnd.oai.openapi+json"},
            {"href": f"{site}openapi.yaml", "type": "application/yaml"},
        ],
        "service-doc": [{"href": site, "type": "text/html"}, {"href": f"{site}llms.txt", "type": "text/plain"}],
    }
    if mcp_url:
        item["service-meta"] = [{"href": f"{site}{SERVER_CARD}", "type": "application/json"}]
    return json.dumps({"linkset": [item]}, indent=2, ensure_ascii=False) + "\n"


def server_card(catalog: Catalog, mcp_url: str) -> str:
    """The MCP server card (SEP-1649, a draft: no $schema until it is final): the endpoint and its tools."""
    card = {
        "serverInfo": {"name": "empiriolabs-docs", "title": f"{catalog.platform.site_name} MCP server"},
        "description": "Search and read the docs, list and look up models, price a request exactly, and read an "
        "API operation's fields. Read-only, no sign-in.",
        "transport": {"type": "streamable-http", "url": mcp_url},
        "capabilities": {"tools": {}},
        "tools": [{"name": name, "description": text} for name, text in TOOLS.items()],
    }
    return json.dumps(card, indent=2, ensure_ascii=False) + "\n"


def mcp_line(mcp_url: str) -> str:
    """The sentence that names the MCP endpoint, in llms.txt and under every twin's title."""
    return f"The MCP server at {mcp_url} (Streamable HTTP) searches and reads these docs: {', '.join(TOOLS)}."
