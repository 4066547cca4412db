"""The MCP server under load: 50 concurrent clients (the official `mcp` client, Streamable HTTP) through nginx
running the shipped deploy/nginx.conf, in front of one `generator mcp --http`. Not a timed test: a figure.

    python -m bench.mcp_load [--site DIR] [--clients 50] [--calls 20]

Each client opens its own connection and makes `--calls` calls in turn, cycling through a mix of every tool.
Reports calls per second, p50 and p99 latency of one call, the errors (the goal is 0), and the server's peak
memory (its VmHWM, the resident high-water mark, read from /proc when the run ends)."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIX = [
    ("search_docs", {"query": "streaming tool calls"}),
    ("get_page", {"path": "models/qwen3-max"}),
    ("list_models", {"category": "text", "max_input_price": 1.0}),
    ("get_model", {"id": "nova-micro-1-0"}),
    ("estimate_cost", {"model": "qwen3-max", "input_tokens": 100_000, "output_tokens": 1_000, "requests": 3}),
    ("get_operation", {"method": "POST", "path": "/v1/chat/completions"}),
    ("search_docs", {"query": "rate limits per minute"}),
    ("get_page", {"path": "getting-started"}),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered at {url}")


def nginx(tmp: Path, site: Path, port: int, mcp_port: int) -> subprocess.Popen:
    """nginx with the shipped deploy/nginx.conf, only its listen, root and upstream rewritten (as the tests do)."""
    shipped = (ROOT / "deploy/nginx.conf").read_text("utf-8")
    ours = (
        shipped.replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace("root /srv/empiriolabs-docs/site;", f"root {site};")
        .replace("server 127.0.0.1:8001;", f"server 127.0.0.1:{mcp_port};")
    )
    (tmp / "site.conf").write_text(ours, "utf-8")
    temps = "\n".join(f"{k}_temp_path {tmp}/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp / "nginx.conf").write_text(
        f"user root;\ndaemon off;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        f"events {{ worker_connections 1024; }}\nhttp {{\ninclude /etc/nginx/mime.types;\n"
        f"default_type application/octet-stream;\naccess_log off;\n{temps}\ninclude {tmp}/site.conf;\n}}\n",
        "utf-8",
    )
    return subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)])


async def client(url: str, calls: int, offset: int, latencies: list[float], errors: list[str]) -> None:
    from mcp import Client

    async with Client(url) as session:
        for i in range(calls):
            name, args = MIX[(offset + i) % len(MIX)]
            start = time.perf_counter()
            try:
                result = await session.call_tool(name, args)
                if result.is_error:
                    errors.append(f"{name}: {result.content[0].text}")
            except Exception as err:  # a transport error counts, and the run goes on
                errors.append(f"{name}: {type(err).__name__}: {err}")
            latencies.append(time.perf_counter() - start)


async def load(url: str, clients: int, calls: int) -> tuple[float, list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(*(client(url, calls, n, latencies, errors) for n in range(clients)))
    return time.perf_counter() - start, latencies, errors


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build the shipped catalog first)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--calls", type=int, default=20, help="calls per client")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mcp-load-") as work:
        tmp = Path(work)
        site = args.site
        if site is None:
            from generator import build

            site = tmp / "site"
            build.build(ROOT / "catalog", ROOT / "openapi.yaml", site)
        mcp_port, port = free_port(), free_port()
        cmd = [sys.executable, "-m", "generator", "mcp", "--http", "--site", str(site), "--port", str(mcp_port)]
        server = subprocess.Popen(cmd, cwd=ROOT)
        proxy = nginx(tmp, site.resolve(), port, mcp_port)
        try:
            wait_for(f"http://127.0.0.1:{mcp_port}/health")
            wait_for(f"http://127.0.0.1:{port}/llms.txt")
            rest_kb, server_cpu, own_cpu = peak_kb(server.pid), cpu_seconds(server.pid), time.process_time()
            seconds, latencies, errors = asyncio.run(load(f"http://127.0.0.1:{port}/mcp", args.clients, args.calls))
            peak = peak_kb(server.pid)
            server_cpu, own_cpu = cpu_seconds(server.pid) - server_cpu, time.process_time() - own_cpu
        finally:
            proxy.terminate()
            server.terminate()
            proxy.wait(10)
            server.wait(10)
    cuts = statistics.quantiles(latencies, n=100)
    print(f"{args.clients} clients x {args.calls} calls through nginx: {len(latencies)} calls in {seconds:.1f} s")
    print(f"  {len(latencies) / seconds:.0f} calls/s, p50 {cuts[49] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms")
    print(f"  errors: {len(errors)}" + "".join(f"\n    {e}" for e in errors[:10]))
    print(f"  server peak memory: {peak / 1024:.0f} MB (at rest before the run: {rest_kb / 1024:.0f} MB)")
    print(
        f"  CPU: the server {server_cpu:.1f} s ({server_cpu / len(latencies) * 1000:.1f} ms a call), "
        f"the {args.clients} clients {own_cpu:.1f} s, on {os.cpu_count()} cores with a load average of {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
