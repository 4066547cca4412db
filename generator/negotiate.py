"""Content negotiation: a request that prefers `text/markdown` gets the page's markdown twin.

`generator serve` answers this way; deploy/ has the same rule for nginx, Caddy and Vercel."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

MARKDOWN = "text/markdown"


def prefers_markdown(accept: str) -> bool:
    """Whether an Accept header ranks text/markdown above text/html (a bare */* is no preference)."""
    q: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        q[media.lower()] = max(weight, q.get(media.lower(), 0.0))
    return q.get(MARKDOWN, 0.0) > 0 and q.get(MARKDOWN, 0.0) >= q.get("text/html", 0.0)


def twin_file(root: Path, url_path: str) -> Path | None:
    """The markdown twin of the page a URL path serves: / -> index.md, /x/ -> x.md, /api/ -> api/index.md."""
    stem = url_path.split("?", 1)[0].removesuffix("index.html").strip("/")
    candidates = ["index.md"] if not stem else [f"{stem}.md", f"{stem}/index.md"]
    for rel in candidates:
        path = (root / rel).resolve()
        if path.is_relative_to(root.resolve()) and path.is_file():
            return path
    return None


def markdown_server(*args: Any, **kwargs: Any) -> Any:
    """mkdocs' LiveReloadServer, answering `Accept: text/markdown` with the page's twin."""
    from mkdocs.livereload import LiveReloadServer

    class MarkdownServer(LiveReloadServer):
        def serve_request(self, environ: dict, start_response: Any) -> Iterable[bytes]:
            path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "ignore")
            twin = twin_file(Path(self.root), path) if prefers_markdown(environ.get("HTTP_ACCEPT", "")) else None
            if twin is None or path.endswith(".md"):
                return super().serve_request(environ, start_response)
            body = twin.read_bytes()
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/markdown; charset=utf-8"),
                    ("Vary", "Accept"),
                    ("Content-Length", str(len(body))),
                ],
            )
            return [body]

    return MarkdownServer(*args, **kwargs)
