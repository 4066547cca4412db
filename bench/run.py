"""The benchmark: build synthetic catalogs of growing size, and the naive layout beside ours.

    python -m bench.run [--sizes 79,1000,10000] [--naive-sizes 79,1000]

Each build runs in its own process (so peak memory is per build); every figure is printed as a ratio
against another build of the same run, because these machines are noisy."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .synth import ROOT, synthesize

STAGES = ("check", "render", "docs", "write", "html", "bundles")


def build_once(catalog: Path, out: Path, page: str, naive: bool) -> dict:
    cmd = [sys.executable, "-m", "bench.one", "--catalog", str(catalog), "--openapi", str(ROOT / "openapi.yaml"),
           "--out", str(out), "--page", page] + (["--naive"] if naive else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "CI": "1"})
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def check_time(catalog: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "check", "--catalog", str(catalog),
                    "--openapi", str(ROOT / "openapi.yaml")], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def row(label: str, r: dict) -> str:
    st = r["stages"]
    own = sum(st.get(s, 0) for s in STAGES if s != "html")
    cells = [label, f"{r['total']:.1f} s"] + [f"{st.get(s, 0):.2f}" for s in STAGES] + [
        f"{own / r['total']:.0%}", f"{r['bytes'] / 1e6:.1f} MB", f"{r['page_bytes'] / 1e3:.0f} KB", f"{r['peak_mb']:.0f} MB"]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="79,1000,10000")
    ap.add_argument("--naive-sizes", default="79,1000")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    naive_sizes = [int(s) for s in args.naive_sizes.split(",") if s]
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    results: dict[tuple[int, bool], dict] = {}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}", flush=True)
    try:
        for n in sizes:
            cat = synthesize(n, work / f"catalog-{n}")
            page = "nova-micro-1-0" if n == 79 else "nova-micro-1-0-s" + next(
                p.stem.split("-s")[-1] for p in sorted((cat / "models").rglob("nova-micro-1-0-s*.yaml")))
            for naive in ([False, True] if n in naive_sizes else [False]):
                out = work / f"site-{n}-{'naive' if naive else 'ours'}"
                print(f"building {n} models ({'naive' if naive else 'ours'})...", file=sys.stderr, flush=True)
                results[(n, naive)] = build_once(cat, out, page, naive)
                shutil.rmtree(out, ignore_errors=True)
            if n == 79:
                results[(n, False)]["check_s"] = check_time(cat)
        print()
        print("| build | total | " + " | ".join(STAGES) + " | own stages | output | one model page | peak memory |")
        print("|---" * (len(STAGES) + 6) + "|")
        for (n, naive), r in sorted(results.items()):
            print(row(f"{n:,} models{' (naive)' if naive else ''}", r))
        print()
        base = results.get((sizes[0], False))
        for n in sizes[1:]:
            r = results[(n, False)]
            k = n / sizes[0]
            print(f"- {n:,} vs {sizes[0]:,} models ({k:.1f}x): time {r['total'] / base['total']:.1f}x, "
                  f"bytes {r['bytes'] / base['bytes']:.1f}x, one model page {r['page_bytes'] / base['page_bytes']:.2f}x, "
                  f"peak memory {r['peak_mb']:.0f} MB")
        for n in naive_sizes:
            ours, naive = results[(n, False)], results[(n, True)]
            print(f"- naive layout at {n:,} models: {naive['total'] / ours['total']:.1f}x slower, "
                  f"{naive['bytes'] / ours['bytes']:.1f}x larger")
        if (79, False) in results:
            r = results[(79, False)]
            own = sum(r["stages"].get(s, 0) for s in STAGES if s != "html")
            print(f"- generator's own stages at 79 models: {own / r['total']:.0%} of the build; "
                  f"`check` {r['check_s']:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
