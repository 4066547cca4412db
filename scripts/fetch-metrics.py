#!/usr/bin/env python3
"""Download the gateway's performance snapshot for a build: `python scripts/fetch-metrics.py OUT`.

The address comes from METRICS_URL (the workflow's repository variable), the token from METRICS_TOKEN (a
secret, sent as `Authorization: Bearer ...`, never printed, never passed on to another host by a
redirect). The file is written whole or not at all: on any failure OUT is left as it was and the exit code
is 1 (2 for a usage error). What the snapshot says is checked by the build, line by line; this only makes
sure a JSON object arrived. Standard library only: it runs before the project is installed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

MAX_BYTES = 50_000_000  # the build's own limit (generator/validate/metrics.py)
TIMEOUT = 60  # seconds, for the connection and each read
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Failed(Exception):
    """The snapshot could not be fetched; the message says why and what to check."""


def fetch(url: str, token: str) -> bytes:
    """The body of a GET of `url` with the token, when the answer is 200 and a JSON object."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        raise Failed(f"METRICS_URL must be an https:// address, not {shown(url)}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if token:
        request.add_unredirected_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as err:
        hint = {401: "; check the METRICS_TOKEN secret", 403: "; check the METRICS_TOKEN secret's access",
                404: "; check the METRICS_URL variable"}.get(err.code, "")
        raise Failed(f"GET {shown(url)} answered {err.code} {err.reason}{hint}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise Failed(f"GET {shown(url)} failed: {reason}") from None
    if len(body) > MAX_BYTES:
        raise Failed(f"the snapshot at {shown(url)} is larger than {MAX_BYTES:,} bytes")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as err:
        raise Failed(f"the answer of {shown(url)} is not JSON ({err})") from None
    if not isinstance(data, dict):
        raise Failed(f"the answer of {shown(url)} is not a JSON object")
    return body


def shown(url: str) -> str:
    """The address without its query string or user info, which may carry credentials."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"


def write(out: Path, body: bytes) -> None:
    """Replace `out` in one step, so a reader sees the old file or the new one, never half of one."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}-", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: fetch-metrics.py OUT (with METRICS_URL and METRICS_TOKEN in the environment)", file=sys.stderr)
        return 2
    url = os.environ.get("METRICS_URL", "").strip()
    if not url:
        print("fetch-metrics: METRICS_URL is not set: set the repository variable METRICS_URL", file=sys.stderr)
        return 2
    out = Path(argv[0])
    try:
        body = fetch(url, os.environ.get("METRICS_TOKEN", ""))
    except Failed as err:
        print(f"fetch-metrics: {err}; {out} is unchanged", file=sys.stderr)
        return 1
    write(out, body)
    print(f"fetch-metrics: {len(body):,} bytes from {shown(url)} into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
