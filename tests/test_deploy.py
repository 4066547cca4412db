"""deploy/nginx.conf and deploy/Caddyfile, run for real: Debian's nginx and Caddy (scripts/install-proxies.sh),
each with the shipped config on loopback, in front of a built site and `generator mcp --http`."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from mcp import Client
from test_mcp import EVERY_TOOL, TOOLS, assert_every_tool_answered, free_port, text, wait_for

from generator import build as build_mod

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
pytestmark = pytest.mark.skipif(
    not (Path(NGINX).exists() and shutil.which("caddy")),
    reason="nginx or caddy missing: make test installs them (scripts/install-proxies.sh)",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("deploy") / "site"
    build_mod.build(ROOT / "catalog", ROOT / "openapi.yaml", out)
    return out


@pytest.fixture(scope="module")
def mcp_port(site):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "mcp", "--http", "--site", str(site), "--port",
                             str(port)], cwd=ROOT)
    try:
        wait_for(f"http://127.0.0.1:{port}/health")
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


def nginx_config(tmp: Path, site: Path, port: int, mcp_port: int) -> Path:
    """The shipped deploy/nginx.conf with its host-specific lines rewritten (listen, root, the MCP server's
    address, the API's: nothing here resolves its name), included in an `http` block like Debian's stock
    /etc/nginx/nginx.conf."""
    shipped = (ROOT / "deploy/nginx.conf").read_text("utf-8")
    ours = shipped.replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
        "root /srv/empiriolabs-docs/site;", f"root {site};").replace("server 127.0.0.1:8001;",
                                                                     f"server 127.0.0.1:{mcp_port};").replace(
        "server api.empiriolabs.ai:443;", "server 127.0.0.1:9;")
    assert ours.count("\n") == shipped.count("\n") and len(ours.splitlines()) == len(shipped.splitlines())
    (tmp / "empiriolabs-docs.conf").write_text(ours, "utf-8")
    temps = "\n".join(f"    {kind}_temp_path {tmp}/{kind};" for kind in
                      ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = tmp / "nginx.conf"
    main.write_text(f"""user root;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temps}
    include {tmp}/empiriolabs-docs.conf;
}}
""", "utf-8")
    return main


@pytest.fixture(scope="module", params=["nginx", "caddy"])
def proxy(request, site, mcp_port, tmp_path_factory):
    """The site's URL behind nginx or Caddy, running the shipped config."""
    tmp = tmp_path_factory.mktemp(request.param)
    port = free_port()
    if request.param == "nginx":
        config = nginx_config(tmp, site, port, mcp_port)
        proc = subprocess.Popen([NGINX, "-c", str(config), "-p", str(tmp)])
    else:
        env = {**os.environ, "EMPIRIOLABS_DOCS_ADDRESS": f"http://127.0.0.1:{port}", "EMPIRIOLABS_DOCS_SITE": str(site),
               "EMPIRIOLABS_MCP": f"127.0.0.1:{mcp_port}", "EMPIRIOLABS_CADDY_ADMIN": f"127.0.0.1:{free_port()}",
               "HOME": str(tmp), "XDG_DATA_HOME": str(tmp), "XDG_CONFIG_HOME": str(tmp)}
        proc = subprocess.Popen(["caddy", "run", "--config", str(ROOT / "deploy/Caddyfile"), "--adapter",
                                 "caddyfile"], env=env, cwd=tmp, stderr=(tmp / "caddy.log").open("w"))
    try:
        wait_for(f"http://127.0.0.1:{port}/llms.txt")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def get(url: str, accept: str = BROWSER) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=20) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def test_pages_are_html_with_caching_headers(proxy, site):
    for path in ("", "models/qwen3-max/", "api/", "pricing/"):
        status, headers, body = get(f"{proxy}/{path}")
        assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8"), path
        assert body == (site / path / "index.html").read_bytes()
        assert headers["vary"] == "Accept"
        assert headers["cache-control"] == "no-cache"
        assert "etag" in headers or "last-modified" in headers


def test_accept_markdown_gets_the_twin(proxy, site):
    for path, twin in {"": "index.md", "models/qwen3-max/": "models/qwen3-max.md", "api/": "api/index.md",
                       "getting-started/": "getting-started.md"}.items():
        status, headers, body = get(f"{proxy}/{path}", "text/markdown")
        assert (status, headers["content-type"], headers["vary"]) == (200, "text/markdown; charset=utf-8",
                                                                      "Accept"), path
        assert body == (site / twin).read_bytes()
    status, headers, body = get(f"{proxy}/models/qwen3-max.md")
    assert (status, headers["content-type"]) == (200, "text/markdown; charset=utf-8")


def test_agent_files_and_hashed_assets(proxy, site):
    assert get(f"{proxy}/llms.txt")[1]["content-type"] == "text/plain; charset=utf-8"
    assert get(f"{proxy}/models.json")[1]["content-type"].split(";")[0] == "application/json"  # UTF-8 by RFC 8259
    assert get(f"{proxy}/.well-known/api-catalog")[1]["content-type"] == "application/linkset+json"
    assert get(f"{proxy}/.well-known/mcp/server-card.json")[1]["content-type"].split(";")[0] == "application/json"
    bundle = next((site / "assets/javascripts").glob("bundle.*.min.js")).relative_to(site).as_posix()
    status, headers, _ = get(f"{proxy}/{bundle}")
    assert (status, headers["cache-control"]) == (200, "public, max-age=31536000, immutable")
    assert headers["content-type"].startswith(("application/javascript", "text/javascript"))


def test_a_missing_page_gets_the_404_page(proxy, site):
    for accept in (BROWSER, "text/markdown"):
        status, headers, body = get(f"{proxy}/models/no-such-model/", accept)
        assert status == 404 and headers["content-type"].startswith("text/html")
        assert body == (site / "404.html").read_bytes()


def test_the_mcp_client_calls_every_tool_through_the_proxy(proxy, site):
    async def run():
        async with Client(proxy + "/mcp") as client:
            tools = (await client.list_tools()).tools
            return tools, [await client.call_tool(name, args) for name, args in EVERY_TOOL]

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        tools, results = pool.submit(asyncio.run, run()).result()
    assert sorted(t.name for t in tools) == sorted(TOOLS)
    assert_every_tool_answered(site, *results)


def test_a_request_too_large_for_the_proxy_is_a_json_rpc_error(proxy):
    from mcp.shared.exceptions import MCPError

    async def run():
        async with Client(proxy + "/mcp") as client:
            with pytest.raises(MCPError) as refused:
                await client.call_tool("search_docs", {"query": "a" * 10_000_000})
            return refused.value, await client.call_tool("get_page", {"path": "getting-started"})

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        refused, after = pool.submit(asyncio.run, run()).result()
    assert refused.error.code == -32600 and refused.error.message.startswith("request too large")
    assert text(after).startswith("# ")
