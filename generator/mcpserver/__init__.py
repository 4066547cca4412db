"""`generator mcp`: the built docs as a Model Context Protocol server over stdio.

It reads one built site (the twins, `llms.txt`, `models.json`, `openapi.json`) and nothing else: no
network, no catalog sources. Costs come from `generator.cost`, the same code as the site's calculator.
(This module is not called `mcp`: that is the SDK's package.)
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

from generator.bundles.discovery import TOOLS
from generator.mcpserver.bounds import DEFAULT_LIMITS, ArgumentCheck, Guard, Limits
from generator.mcpserver.records import split_sections
from generator.mcpserver.site import Site, SiteError

__all__ = ["Limits", "Site", "SiteError", "serve", "server", "split_sections"]

INSTRUCTIONS = (
    "The EmpirioLabs AI gateway docs, read from one built site: search the pages, read one page as "
    "markdown, list and look up models, price a request exactly, and read an API operation's fields."
)


def server(site: Site, limits: Limits = DEFAULT_LIMITS) -> Any:
    """An MCPServer whose tools answer from `site`; a bad argument or a call past a limit is a tool error, and
    serving goes on."""
    from mcp.server.mcpserver import MCPServer

    check = ArgumentCheck(None)
    app = MCPServer(
        "empiriolabs-docs",
        version=metadata.version("empiriolabs-docs"),
        instructions=INSTRUCTIONS,
        middleware=[check],
        log_level="WARNING",
    )
    check.app = app
    answer = Guard(limits).run

    @app.tool(description=TOOLS["search_docs"])
    async def search_docs(query: str) -> list[dict[str, Any]]:
        return await answer("search_docs", lambda: site.search(query))

    @app.tool(description=TOOLS["get_page"])
    async def get_page(path: str) -> str:
        return await answer("get_page", lambda: site.page(path))

    @app.tool(description=TOOLS["list_models"])
    async def list_models(
        category: str | None = None,
        provider: str | None = None,
        capability: str | None = None,
        max_input_price: float | None = None,
        order_by: str | None = None,
    ) -> list[dict[str, Any]]:
        return await answer(
            "list_models", lambda: site.list_models(category, provider, capability, max_input_price, order_by)
        )

    @app.tool(description=TOOLS["get_model"])
    async def get_model(id: str) -> dict[str, Any]:
        return await answer("get_model", lambda: site.get_model(id))

    @app.tool(description=TOOLS["estimate_cost"])
    async def estimate_cost(
        model: str,
        input_tokens: int,
        output_tokens: int,
        cached_input_tokens: int = 0,
        requests: int = 1,
        mode: str | None = None,
    ) -> dict[str, Any]:
        return await answer(
            "estimate_cost",
            lambda: site.estimate(
                model,
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cached_input_tokens=cached_input_tokens,
                requests=requests,
                mode=mode,
            ),
        )

    @app.tool(description=TOOLS["get_operation"])
    async def get_operation(method: str, path: str) -> dict[str, Any]:
        return await answer("get_operation", lambda: site.operation(method, path))

    return app


def serve(root: Path) -> None:
    """Serve the site at `root` over stdio until the client hangs up."""
    server(Site(root)).run("stdio")
