"""Build one catalog in this process and print a JSON line: stage times, peak memory (PSS of the process
tree), sizes."""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from generator.build import build
from generator.site.engines import ENGINES
from generator.problems import BuildError

from .memory import PeakMemory


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--catalog", type=Path, required=True)
    ap.add_argument("--openapi", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--naive", action="store_true", help="list every model page in the navigation")
    ap.add_argument("--page", required=True, help="model id whose page size is reported")
    ap.add_argument("--engine", choices=ENGINES, default="mkdocs", help="HTML engine")
    args = ap.parse_args()
    start = time.perf_counter()
    try:
        with PeakMemory() as memory:  # this process, its forked workers and the zensical child, if any
            report = build(args.catalog, args.openapi, args.out, list_models=args.naive, engine=args.engine,
                           keep_going=True)
    except BuildError as err:
        raise SystemExit("\n".join(map(str, err.problems)))
    total = time.perf_counter() - start
    summary, problems = report.details, [str(p) for p in report.problems]
    stages = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s\b", summary.split(": ", 1)[1])}
    counts = re.search(r"converted (\d+), kept from the cache (\d+)", summary)
    page = args.out / "models" / args.page / "index.html"
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(json.dumps({"total": total, "stages": stages, "bytes": size, "page_bytes": page.stat().st_size,
                      "peak_mb": memory.peak_mb, "problems": problems,
                      "converted": [int(n) for n in counts.groups()] if counts else None}))


if __name__ == "__main__":
    main()
