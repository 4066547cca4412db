"""The bounds every tool call runs within: time, answer size and calls in flight, each a clear tool error."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.mcpserver.records import BadArgument


@dataclass(frozen=True)
class Limits:
    """How much one request, one answer and one call may take, and how many calls may run at once."""

    request_bytes: int = 64 * 1024  # a JSON-RPC request over HTTP; the longest real one is a few hundred bytes
    answer_bytes: int = 2_000_000  # list_models of every model of a 10,000-model catalog is about 4 MB
    call_seconds: float = 10.0
    calls_in_flight: int = 64  # above the 50 clients of the load bench (bench/mcp_load.py)


DEFAULT_LIMITS = Limits()


class Guard:
    """Runs each call in a worker thread within the limits; a call past one gets a ToolError, the rest go on."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.in_flight = 0

    async def run(self, tool: str, call: Callable[[], Any]) -> Any:
        import anyio
        from mcp.server.mcpserver.exceptions import ToolError

        limits = self.limits
        if self.in_flight >= limits.calls_in_flight:
            raise ToolError(
                f"the server is busy: {self.in_flight} calls are in flight, the most it takes at once; "
                "retry in a moment"
            )
        self.in_flight += 1
        try:
            with anyio.fail_after(limits.call_seconds):
                result = await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
        except TimeoutError:
            raise ToolError(
                f"{tool} took longer than {limits.call_seconds:g} s, the most one call may take; "
                "the server gave up on it"
            ) from None
        except (BadArgument, ValueError) as err:
            raise ToolError(str(err)) from None
        finally:
            self.in_flight -= 1
        size = len(result.encode("utf-8") if isinstance(result, str) else json.dumps(result).encode("utf-8"))
        if size > limits.answer_bytes:
            raise ToolError(
                f"the answer is {size:,} bytes, more than the {limits.answer_bytes:,} one answer may have; "
                "narrow the request (list_models takes category, provider, capability and max_input_price)"
            )
        return result


class ArgumentCheck:
    """Server middleware: a tools/call whose arguments don't fit the tool's input schema gets one tool error
    naming each wrong argument, instead of pydantic's report (which quotes its own class names and links)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.schemas: dict[str, dict[str, Any]] | None = None

    async def __call__(self, ctx: Any, call_next: Any) -> Any:
        params = ctx.params or {}
        if ctx.method != "tools/call" or not isinstance(params, dict):
            return await call_next(ctx)
        if self.schemas is None:
            self.schemas = {t.name: t.input_schema for t in await self.app.list_tools()}
        name, arguments = params.get("name"), params.get("arguments") or {}
        schema = self.schemas.get(name) if isinstance(name, str) else None
        if schema is None:
            return await call_next(ctx)
        problems = argument_problems(schema, arguments)
        if not problems:
            return await call_next(ctx)
        from mcp_types import CallToolResult, TextContent

        text = f"Error executing tool {name}: wrong arguments: {'; '.join(problems)}"
        return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def argument_problems(schema: dict[str, Any], arguments: Any) -> list[str]:
    """Each way `arguments` misses the tool's JSON Schema, as 'name: what is wrong', in argument order."""
    from jsonschema import Draft202012Validator

    errors = Draft202012Validator(schema).iter_errors(arguments)
    out = []
    for err in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        where = ".".join(str(p) for p in err.absolute_path)
        out.append(f"{where}: {short(err)}" if where else short(err))
    return out


def short(err: Any) -> str:
    """jsonschema's message, with a long rejected value cut (it is the caller's data, echoed back)."""
    message = str(err.message)
    return message if len(message) <= 200 else message[:200] + "…"
