"""`generator mcp --http`: the same tools over MCP's Streamable HTTP transport, at /mcp, with no state kept
between requests (any number of copies can run behind one proxy), and a health check at /health."""

from __future__ import annotations

import json
from typing import Any

from generator.mcpserver import INSTRUCTIONS, server
from generator.mcpserver.bounds import DEFAULT_LIMITS, Limits
from generator.mcpserver.site import Site

__all__ = ["INSTRUCTIONS", "app", "serve_http"]

INVALID_REQUEST = -32600  # JSON-RPC
DRAIN = 16 * 1024 * 1024  # how much of a body past the limit is read (and dropped) before the answer
NOT_A_MESSAGE = (
    'Invalid Request: send one JSON-RPC 2.0 message, an object with "jsonrpc": "2.0" and a "method" '
    '(and an "id" for a request)'
)


def is_message(body: bytes) -> bool:
    """Whether a body is one JSON-RPC 2.0 object (a request, notification or response); a body that is no
    JSON at all is left to the SDK, whose "Parse error" names the line and column."""
    try:
        message = json.loads(body)
    except ValueError:
        return True
    return (
        isinstance(message, dict)
        and message.get("jsonrpc") == "2.0"
        and any(k in message for k in ("method", "result", "error"))
    )


class RequestCheck:
    """ASGI middleware: a request body past the limit (declared or not) gets a JSON-RPC error (HTTP 413) the
    MCP client shows, and so does JSON that is no JSON-RPC message (HTTP 400); the rest goes on to the SDK."""

    def __init__(self, inner: Any, limit: int) -> None:
        self.inner = inner
        self.limit = limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.inner(scope, receive, send)
        header = dict(scope["headers"]).get(b"content-length", b"")
        declared = int(header) if header.isdigit() else 0
        body = bytearray()
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            more = message.get("more_body", False)
            if size <= self.limit:
                body += chunk
            elif size > DRAIN:
                break  # read no more: the answer goes out, and the connection closes
        # A body past the limit is read on (up to DRAIN) and dropped: a proxy in front still forwarding it
        # would otherwise see the connection reset, and the client no answer.
        if max(size, declared) > self.limit:
            return await self.refuse(413, self.too_large(max(size, declared)), send)
        if scope["method"] == "POST" and not is_message(bytes(body)):
            return await self.refuse(400, NOT_A_MESSAGE, send)
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.inner(scope, replay, send)

    def too_large(self, size: int) -> str:
        return f"request too large: {size:,} bytes or more, the most one request may have is {self.limit:,}"

    async def refuse(self, status: int, message: str, send: Any) -> None:
        error = {"jsonrpc": "2.0", "id": None, "error": {"code": INVALID_REQUEST, "message": message}}
        body = json.dumps(error).encode("utf-8")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def app(site: Site, limits: Limits = DEFAULT_LIMITS, host: str = "127.0.0.1") -> Any:
    """The ASGI app: POST /mcp (stateless, JSON answers) and GET /health."""
    from starlette.requests import Request
    from starlette.responses import JSONResponse

    mcp = server(site, limits)

    @mcp.custom_route("/health", methods=["GET"])
    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "pages": len(site.twins), "models": len(site.models)})

    inner = mcp.streamable_http_app(
        stateless_http=True, json_response=True, max_request_body_size=limits.request_bytes, host=host
    )
    return RequestCheck(inner, limits.request_bytes)


def serve_http(site: Site, host: str, port: int, limits: Limits = DEFAULT_LIMITS) -> None:
    """Serve `site` at http://HOST:PORT/mcp until interrupted."""
    import uvicorn

    _ = site.postings  # every twin read and indexed before the first call, not during it
    uvicorn.run(app(site, limits, host), host=host, port=port, log_level="warning", server_header=False)
