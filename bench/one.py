"""Build one catalog in this process and print a JSON line: stage times, peak memory, sizes."""

from __future__ import annotations

import argparse
import json
import re
import resource
import time
from pathlib import Path

from generator.build import build
from generator.problems import BuildError


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--catalog", type=Path, required=True)
    ap.add_argument("--openapi", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--naive", action="store_true", help="list every model page in the navigation")
    ap.add_argument("--page", required=True, help="model id whose page size is reported")
    args = ap.parse_args()
    start = time.perf_counter()
    try:
        summary = str(build(args.catalog, args.openapi, args.out, list_models=args.naive))
    except BuildError as err:
        raise SystemExit("\n".join(map(str, err.problems)))
    total = time.perf_counter() - start
    stages = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s\b", summary.split(": ", 1)[1])}
    page = args.out / "models" / args.page / "index.html"
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(json.dumps({"total": total, "stages": stages, "bytes": size, "page_bytes": page.stat().st_size,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
