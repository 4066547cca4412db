"""The benchmark: build synthetic catalogs of growing size, and the naive layout beside ours.

    python -m bench.run [--sizes 79,1000,10000] [--naive-sizes 79,1000] [--engines mkdocs,zensical]

Every size is built with each engine; the naive layout is built with mkdocs, the baseline.

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

from generator.site.engines import ENGINES

from .preview import preview_edits
from .synth import ROOT, synthesize

STAGES = ("check", "render", "write", "html", "bundles")  # in order; `agents` runs beside html


def build_once(catalog: Path, out: Path, page: str, naive: bool, engine: str = "mkdocs") -> dict:
    cmd = [sys.executable, "-m", "bench.one", "--catalog", str(catalog), "--openapi", str(ROOT / "openapi.yaml"),
           "--out", str(out), "--page", page, "--engine", engine] + (["--naive"] if naive else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "CI": "1"})
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def check_time(catalog: Path, cache: Path) -> float:
    """Wall time of `python -m generator check`, interpreter start included, with the given cache dir."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "check", "--catalog", str(catalog),
                    "--openapi", str(ROOT / "openapi.yaml")], check=True, capture_output=True, cwd=ROOT,
                   env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    return time.perf_counter() - start


def row(label: str, r: dict) -> str:
    st = r["stages"]
    own = sum(st.get(s, 0) for s in STAGES if s != "html")
    cells = [label, f"{r['total']:.1f} s"] + [f"{st.get(s, 0):.2f}" for s in STAGES] + [
        f"{st.get('agents', 0):.2f}", f"{own / r['total']:.0%}", f"{r['bytes'] / 1e6:.1f} MB",
        f"{r['page_bytes'] / 1e3:.0f} KB", peak(r)]
    return "| " + " | ".join(cells) + " |"


def peak(r: dict) -> str:
    """Peak memory of the build: the PSS of its process and every process it started."""
    return f"{r['peak_mb']:.0f} MB"


def label(n: int, engine: str, naive: bool) -> str:
    return f"{n:,} models" + (f" ({engine})" if engine != "mkdocs" else "") + (" (naive)" if naive else "")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="79,1000,10000")
    ap.add_argument("--naive-sizes", default="79,1000")
    ap.add_argument("--engines", default="mkdocs", help="comma-separated HTML engines: mkdocs,zensical")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    naive_sizes = [int(s) for s in args.naive_sizes.split(",") if s]
    engines = args.engines.split(",")
    if "mkdocs" not in engines or not set(engines) <= set(ENGINES):
        ap.error(f"--engines: mkdocs (the baseline) and any of {', '.join(ENGINES)}")
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    results: dict[tuple[int, int, bool], dict] = {}  # (size, engine's index, naive)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}", flush=True)
    try:
        for n in sizes:
            cat = synthesize(n, work / f"catalog-{n}")
            page = "nova-micro-1-0" if n == 79 else "nova-micro-1-0-s" + next(
                p.stem.split("-s")[-1] for p in sorted((cat / "models").rglob("nova-micro-1-0-s*.yaml")))
            runs = [(e, False) for e in engines] + ([("mkdocs", True)] if n in naive_sizes else [])
            for engine, naive in runs:
                out = work / f"site-{n}-{engine}-{'naive' if naive else 'ours'}"
                print(f"building {label(n, engine, naive)}...", file=sys.stderr, flush=True)
                results[(n, engines.index(engine), naive)] = {**build_once(cat, out, page, naive, engine), "engine": engine}
                shutil.rmtree(out, ignore_errors=True)
            if n == 79:
                cold = check_time(cat, work / "cache")  # an empty cache: a fresh clone
                warm = sorted(check_time(cat, work / "cache") for _ in range(3))[1]  # the median of three
                results[(n, 0, False)]["check_s"] = (cold, warm)
                results[(n, 0, False)]["preview"] = preview_edits()
        print()
        print("| build | total | " + " | ".join(STAGES) + " | agents (beside html) | own stages | output | "
              "one model page | peak memory |")
        print("|---" * (len(STAGES) + 7) + "|")
        for (n, e, naive), r in sorted(results.items(), key=lambda kv: (kv[0][0], kv[0][2], kv[0][1])):
            print(row(label(n, engines[e], naive), r))
        print()
        for e, engine in enumerate(engines):
            base = results.get((sizes[0], e, False))
            for n in sizes[1:]:
                r = results[(n, e, False)]
                k = n / sizes[0]
                print(f"- {engine}, {n:,} vs {sizes[0]:,} models ({k:.1f}x): time {r['total'] / base['total']:.1f}x, "
                      f"bytes {r['bytes'] / base['bytes']:.1f}x, one model page "
                      f"{r['page_bytes'] / base['page_bytes']:.2f}x, peak memory {peak(r)}")
        for n in naive_sizes:
            for e, engine in enumerate(engines):
                ours, naive = results[(n, e, False)], results[(n, 0, True)]
                print(f"- naive layout (mkdocs) at {n:,} models against ours with {engine}: "
                      f"{naive['total'] / ours['total']:.1f}x slower, {naive['bytes'] / ours['bytes']:.1f}x larger")
        for n in sizes:
            mk = results[(n, 0, False)]
            for e, engine in enumerate(engines[1:], 1):
                r = results[(n, e, False)]
                print(f"- {engine} against mkdocs at {n:,} models: html stage {mk['stages']['html'] / r['stages']['html']:.2f}x "
                      f"as fast, whole build {mk['total'] / r['total']:.2f}x as fast, output {r['bytes'] / mk['bytes']:.2f}x "
                      f"the bytes, one model page {r['page_bytes'] / mk['page_bytes']:.2f}x")
        if (79, 0, False) in results:
            for e, engine in enumerate(engines):
                r = results[(79, e, False)]
                own = sum(r["stages"].get(s, 0) for s in STAGES if s != "html")
                print(f"- generator's own stages at 79 models ({engine}): {own / r['total']:.0%} of the build"
                      + ("; `check` {:.2f} s with an empty cache, {:.2f} s with a warm one (median of 3)".format(*r["check_s"])
                         if e == 0 else ""))
            full, edits = results[(79, 0, False)]["preview"]
            for what, seconds, pages in edits:
                print(f"- `serve`, one-model edit ({what}) on the shipped catalog: {seconds:.1f} s, {pages} pages "
                      f"rebuilt, {full / seconds:.1f}x faster than its full build ({full:.1f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
