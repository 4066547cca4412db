"""Build one catalog in this process and print a JSON line: stage times, peak memory, sizes."""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import threading
import time
from pathlib import Path
from types import SimpleNamespace

from generator import engines
from generator.build import build
from generator.engines import ENGINES
from generator.problems import BuildError

ENGINE_PEAK_MB: list[float] = []  # peak memory of each zensical child process


def run_measured(cmd, **kwargs):
    """subprocess.run(capture_output=True, text=True) for engines.py, also recording the child's peak memory."""
    proc = subprocess.Popen(cmd, cwd=kwargs.get("cwd"), env=kwargs.get("env"), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    output: dict[str, str] = {}
    readers = [threading.Thread(target=lambda k=k: output.__setitem__(k, getattr(proc, k).read()))
               for k in ("stdout", "stderr")]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    ENGINE_PEAK_MB.append(usage.ru_maxrss / 1024)
    return subprocess.CompletedProcess(cmd, proc.returncode, output["stdout"], output["stderr"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--catalog", type=Path, required=True)
    ap.add_argument("--openapi", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--naive", action="store_true", help="list every model page in the navigation")
    ap.add_argument("--page", required=True, help="model id whose page size is reported")
    ap.add_argument("--engine", choices=ENGINES, default="mkdocs", help="HTML engine")
    args = ap.parse_args()
    engines.subprocess = SimpleNamespace(run=run_measured)  # only the engine's child process is measured
    start = time.perf_counter()
    try:
        summary = str(build(args.catalog, args.openapi, args.out, list_models=args.naive, engine=args.engine))
    except BuildError as err:
        raise SystemExit("\n".join(map(str, err.problems)))
    total = time.perf_counter() - start
    stages = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s\b", summary.split(": ", 1)[1])}
    page = args.out / "models" / args.page / "index.html"
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(json.dumps({"total": total, "stages": stages, "bytes": size, "page_bytes": page.stat().st_size,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      # zensical builds in a child process: its peak is reported beside ours, not in it
                      "child_peak_mb": max(ENGINE_PEAK_MB, default=0)}))


if __name__ == "__main__":
    main()
