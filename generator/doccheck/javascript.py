"""JavaScript examples parsed by Node: one process for all the blocks, `node --check` for the line of
each one that fails."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.doccheck.blocks import Finding

JS_LANGUAGES = ("javascript", "js", "mjs")

JS_BATCH = r"""
import vm from "node:vm";
let data = "";
for await (const c of process.stdin) data += c;
const out = [];
for (const src of JSON.parse(data)) {
  try { new vm.SourceTextModule(src); out.push(null); }
  catch (e) { out.push(`${e.name}: ${e.message}`); }
}
process.stdout.write(JSON.stringify(out));
"""


def js_syntax(codes: list[str]) -> list[Finding | None]:
    """Syntax findings of JavaScript modules (one node process for all, `node --check` for the line of
    each failure); all None when node is not installed."""
    node = shutil.which("node")
    if not node or not codes:
        return [None] * len(codes)
    with tempfile.TemporaryDirectory(prefix="doccheck-js-") as tmp:
        verdicts = _batch(node, Path(tmp), codes)
        return [
            None if verdict is None else _check_one(node, Path(tmp) / f"block{i}.mjs", code, verdict)
            for i, (code, verdict) in enumerate(zip(codes, verdicts, strict=True))
        ]


def _batch(node: str, tmp: Path, codes: list[str]) -> list[str | None]:
    """None for each module that parses, the error of each other; all "?" when the batch fails."""
    script = tmp / "batch.mjs"
    script.write_text(JS_BATCH, "utf-8")
    try:
        proc = subprocess.run(
            [node, "--experimental-vm-modules", "--no-warnings", str(script)],
            input=json.dumps(codes),
            capture_output=True,
            text=True,
            timeout=120,
        )
        verdicts: list[str | None] = json.loads(proc.stdout)
    except (subprocess.SubprocessError, json.JSONDecodeError, OSError):
        verdicts = ["?"] * len(codes)  # fall back to one node --check per block
    return verdicts


def _check_one(node: str, file: Path, code: str, verdict: str) -> Finding | None:
    """`node --check` of one module the batch rejected: its line, and the error it names."""
    file.write_text(code, "utf-8")
    check = subprocess.run([node, "--check", str(file)], capture_output=True, text=True, timeout=60)
    if check.returncode == 0:
        return None
    m = re.search(re.escape(file.name) + r":(\d+)", check.stderr)
    err = next((line for line in check.stderr.splitlines() if re.match(r"^\w*Error\b", line)), verdict)
    return Finding(int(m[1]) if m else 1, f"JavaScript example does not parse: {err}")
