"""How long `serve` takes to show a one-model edit on the shipped catalog, against its own full build.

    python -m bench.preview

It copies the catalog, builds the preview once, then makes three edits to one model (its name, a price,
its description), and times each rebuild; figures are ratios against the full build of the same run."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

from generator.preview import Preview

from .synth import ROOT

MODEL = Path("catalog/models/amazon/nova-micro-1-0.yaml")
EDITS = (("name", "name: Nova Micro 1.0", "name: Nova Micro 1.0 Preview"),
         ("price", "amount: 0.040,", "amount: 0.045,"),
         ("description", "description: >-\n", "description: >-\n  Edited for the benchmark.\n"))


def timed(preview: Preview) -> tuple[float, str]:
    """Seconds until the rebuilt HTML is served (what the browser reloads), and the summary; the agent
    files, which follow, are waited for before the next edit."""
    start = time.perf_counter()
    summary = preview.rebuild()
    seconds = time.perf_counter() - start
    preview.wait()
    return seconds, summary


def preview_edits() -> tuple[float, list[tuple[str, float, str]]]:
    """The full preview build's seconds, then (edit, seconds, pages rebuilt) for each edit."""
    work = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    try:
        shutil.copytree(ROOT / "catalog", work / "catalog")
        shutil.copy(ROOT / "openapi.yaml", work / "openapi.yaml")
        lines: list[str] = []
        preview = Preview(work / "catalog", work / "openapi.yaml", work / "site", agents_after=True, report=lines.append)
        full, _ = timed(preview)
        model = work / MODEL
        edits = []
        for what, old, new in EDITS:
            model.write_text(model.read_text("utf-8").replace(old, new, 1), "utf-8")
            seconds, summary = timed(preview)
            if not lines or not lines[-1].startswith("agent files updated"):
                raise SystemExit(f"serve: the agent files failed: {lines[-1:]}")
            edits.append((what, seconds, re.match(r"rebuilt (\d+ of \d+|\d+) pages", summary)[1]))
        return full, edits
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    full, edits = preview_edits()
    print(f"full preview build: {full:.1f} s")
    for what, seconds, pages in edits:
        print(f"- one-model edit ({what}): {seconds:.1f} s, {pages} pages rebuilt, "
              f"{full / seconds:.1f}x faster than the full build")


if __name__ == "__main__":
    main()
