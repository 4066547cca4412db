"""`generator mcp`: the built docs as a Model Context Protocol server over stdio.

It reads one built site (the twins, `llms.txt`, `models.json`, `openapi.json`) and nothing else: no
network, no catalog sources. Costs come from `generator.cost`, the same code as the site's calculator.
(This module is not called `mcp`: that is the SDK's package.)
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

from generator.mcpserver.records import BadArgument, split_sections
from generator.mcpserver.site import Site, SiteError

__all__ = ["Site", "SiteError", "serve", "server", "split_sections"]

INSTRUCTIONS = (
    "The EmpirioLabs AI gateway docs, read from one built site: search the pages, read one page as "
    "markdown, list and look up models, price a request exactly, and read an API operation's fields."
)


def server(site: Site) -> Any:
    """An MCPServer whose tools answer from `site`; a bad argument is a tool error, and serving goes on."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    app = MCPServer("empiriolabs-docs", version=metadata.version("empiriolabs-docs"), instructions=INSTRUCTIONS)

    def answer(call: Any) -> Any:
        try:
            return call()
        except (BadArgument, ValueError) as err:
            raise ToolError(str(err)) from None

    @app.tool()
    def search_docs(query: str) -> list[dict[str, Any]]:
        """Search every page of the docs. Returns the best-matching sections, best first, each with its page
        title, section heading, the URL of the page's markdown twin, and the section's text."""
        return answer(lambda: site.search(query))

    @app.tool()
    def get_page(path: str) -> str:
        """One page as markdown (its twin), by URL (https://…/models/qwen3-max/ or …/models/qwen3-max.md)
        or site path (models/qwen3-max, getting-started, api/create-chat-completion)."""
        return answer(lambda: site.page(path))

    @app.tool()
    def list_models(
        category: str | None = None,
        provider: str | None = None,
        capability: str | None = None,
        max_input_price: float | None = None,
    ) -> list[dict[str, Any]]:
        """Models that match every filter given: a category slug (text, image, video, audio, transcription,
        research, tools, embedding), a provider slug, a capability flag (streaming, tool_calling, vision,
        web_search, thinking, structured_output...), and max_input_price in USD per 1M input tokens (lowest
        tier; models without a token price are left out when it is set)."""
        return answer(lambda: site.list_models(category, provider, capability, max_input_price))

    @app.tool()
    def get_model(id: str) -> dict[str, Any]:
        """One model by id (or display name or alias): its facts, every price row (exact USD decimal
        strings with a normalized number beside each), its parameters with types, defaults and ranges,
        and an example request (cURL)."""
        return answer(lambda: site.get_model(id))

    @app.tool()
    def estimate_cost(
        model: str,
        input_tokens: int,
        output_tokens: int,
        cached_input_tokens: int = 0,
        requests: int = 1,
        mode: str | None = None,
    ) -> dict[str, Any]:
        """The exact cost in USD of `requests` requests to a token-priced model, each with `input_tokens`
        input tokens (cached ones included) and `output_tokens` output tokens. The context tier is picked
        from one request's input tokens, cached tokens get the cache discount, per-request base fees are
        added; `mode` picks a pricing mode where the model has several (the first listed otherwise).
        Returns the total, the lines it is made of, and the priced items it cannot count (tool calls...)."""
        return answer(
            lambda: site.estimate(
                model,
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cached_input_tokens=cached_input_tokens,
                requests=requests,
                mode=mode,
            )
        )

    @app.tool()
    def get_operation(method: str, path: str) -> dict[str, Any]:
        """One API operation, e.g. method POST and path /v1/chat/completions: its request fields (name,
        type, required, description), path parameters, each response's fields, and example request and
        response bodies."""
        return answer(lambda: site.operation(method, path))

    return app


def serve(root: Path) -> None:
    """Serve the site at `root` over stdio until the client hangs up."""
    server(Site(root)).run("stdio")
