"""The benchmark: build synthetic catalogs of growing size, and the naive layout beside ours.

    python -m bench.run [--sizes 79,1000,10000] [--naive-sizes 79,1000] [--skewed-sizes 1000,10000]
                        [--engines mkdocs,zensical] [--against REV]

Every size is built with each engine; the naive layout is built with mkdocs, the baseline; a skewed
catalog (one provider holds a third of the models) with mkdocs. Each mkdocs build runs twice: with an
empty page cache ("cold": every page converted or rendered from its view, every code block highlighted,
every page indexed for search) and then again ("warm": the converted pages' HTML, the highlighted blocks
and the search entries kept from the first, as in CI with ~/.cache kept). The other caches
(compiled templates, the openapi verdict, SDK signatures, doc-check verdicts) are as the previous build
left them: an unreported build of the shipped catalog comes first.

The floor is the same pages with their content already HTML, rendered and written by the same theme:
the warm build's html stage less the time the page cache spent finding and reading entries and the time
spent rendering pages from their views (the HTML block writer). The HTML
stage of every build is reported as a ratio to its floor.

Each build runs in its own process (so peak memory is per build); every figure is printed as a ratio
against another build of the same run, because these machines are noisy. `--against REV` builds every
catalog with the code of a git revision too (checked out in a worktree, with a cache of its own), each of its
builds right after the same build of this code, and prints its rows and the ratios beside them: old and new
side by side, in one run."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
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


def build_once(catalog: Path, out: Path, page: str, naive: bool, engine: str = "mkdocs",
               cache: Path | None = None, root: Path = ROOT) -> dict:
    """One build in a process of its own, with the code of `root` (the generator its directory holds)."""
    cmd = [sys.executable, "-m", "bench.one", "--catalog", str(catalog), "--openapi", str(ROOT / "openapi.yaml"),
           "--out", str(out), "--page", page, "--engine", engine] + (["--naive"] if naive else [])
    env = {**os.environ, "CI": "1"} | ({"XDG_CACHE_HOME": str(cache)} if cache else {})
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def check_time(catalog: Path, cache: Path, root: Path = ROOT) -> float:
    """Wall time of `python -m generator check`, interpreter start included, with the given cache dir."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "check", "--catalog", str(catalog),
                    "--openapi", str(ROOT / "openapi.yaml")], check=True, capture_output=True, cwd=root,
                   env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    return time.perf_counter() - start


def check_times(catalog: Path, cache: Path, root: Path = ROOT) -> tuple[float, float]:
    """`check` from an empty cache (a fresh clone), then the median of three with the cache it left."""
    cold = check_time(catalog, cache, root)
    return cold, sorted(check_time(catalog, cache, root) for _ in range(3))[1]


def preview_of(root: Path) -> tuple[float, list[tuple[str, float, str]]]:
    """bench.preview's figures for the code of another checkout, run there in a process of its own."""
    out = subprocess.run([sys.executable, "-m", "bench.preview"], capture_output=True, text=True, cwd=root,
                         check=True).stdout
    full = float(re.search(r"full preview build: ([\d.]+) s", out)[1])
    return full, [(w, float(s), p) for w, s, p in re.findall(r"edit \((\w+)\): ([\d.]+) s, (.+?) pages", out)]


def row(label: str, r: dict, floor: float | None) -> str:
    st = r["stages"]
    own = sum(st.get(s, 0) for s in STAGES if s != "html")
    cells = [label, f"{r['total']:.1f} s"] + [f"{st.get(s, 0):.2f}" for s in STAGES] + [
        f"{st['html'] / floor:.2f}x" if floor else "—",
        f"{st.get('agents', 0):.2f}", f"{own / r['total']:.0%}", f"{r['bytes'] / 1e6:.1f} MB",
        f"{r['page_bytes'] / 1e3:.0f} KB", peak(r)]
    return "| " + " | ".join(cells) + " |"


def floor_of(warm: dict | None) -> float | None:
    """The HTML stage with every page's content already HTML: the warm build's, less its cache lookups and
    the pages it rendered from their views."""
    if warm is None or not warm.get("converted") or warm["converted"][0]:
        return None  # not a warm build (zensical has no page cache)
    return warm["stages"]["html"] - warm["stages"].get("cache", 0.0) - warm["stages"].get("direct", 0.0)


def clear_pages(cache: Path) -> None:
    """A cold build: no page's HTML, search entries or highlighted code kept from an earlier one."""
    for kept in ("pages", "search", "highlight"):
        shutil.rmtree(cache / "empiriolabs-docs" / kept, ignore_errors=True)


def peak(r: dict) -> str:
    """Peak memory of the build: the PSS of its process and every process it started."""
    return f"{r['peak_mb']:.0f} MB"


def label(n: int, engine: str, naive: bool, skewed: bool = False, warm: bool | None = None) -> str:
    return (f"{n:,} models" + (" skewed" if skewed else "") + (f" ({engine})" if engine != "mkdocs" else "")
            + (" (naive)" if naive else "") + ("" if warm is None else ", warm" if warm else ", cold"))


Key = tuple[int, bool, str, bool, "bool | None"]  # (size, skewed, engine, naive, warm); warm None: no page cache


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="79,1000,10000")
    ap.add_argument("--naive-sizes", default="79,1000")
    ap.add_argument("--skewed-sizes", default="1000,10000", help="catalogs where one provider holds a third")
    ap.add_argument("--engines", default="mkdocs", help="comma-separated HTML engines: mkdocs,zensical")
    ap.add_argument("--against", metavar="REV", help="also build everything with the code of this git revision")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    naive_sizes = [int(s) for s in args.naive_sizes.split(",") if s]
    skewed_sizes = [int(s) for s in args.skewed_sizes.split(",") if s]
    engines = args.engines.split(",")
    if "mkdocs" not in engines or not set(engines) <= set(ENGINES):
        ap.error(f"--engines: mkdocs (the baseline) and any of {', '.join(ENGINES)}")
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    # each code version: its checkout and its cache; "" is this checkout
    versions = {"": (ROOT, work / "cache")}
    if args.against:
        old = work / "against"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(old), args.against], check=True)
        versions[args.against] = (old, work / "cache-against")
    results: dict[str, dict[Key, dict]] = {v: {} for v in versions}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}", flush=True)
    try:
        checks: dict[str, tuple[float, float]] = {}
        if 79 in sizes:  # `check` first: it fills the cache with the openapi verdict and the SDKs' signatures
            cat = synthesize(79, work / "catalog-check")
            checks = {v: check_times(cat, cache, root) for v, (root, cache) in versions.items()}
        if sizes:  # unreported: every build then finds the templates compiled, as every build but a clone's first
            warmup = synthesize(79, work / "catalog-warmup")
            for root, cache in versions.values():
                build_once(warmup, work / "site-warmup", "nova-micro-1-0", False, "mkdocs", cache, root)
                shutil.rmtree(work / "site-warmup", ignore_errors=True)
        plan = [(n, False) for n in sizes] + [(n, True) for n in skewed_sizes]
        for n, skewed in plan:
            cat = synthesize(n, work / f"catalog-{n}{'-skewed' if skewed else ''}", skewed=skewed)
            page = "nova-micro-1-0" if n == 79 else "nova-micro-1-0-s" + next(
                p.stem.split("-s")[-1] for p in sorted((cat / "models").rglob("nova-micro-1-0-s*.yaml")))
            runs = [(e, False) for e in (engines if not skewed else ["mkdocs"])]
            runs += [("mkdocs", True)] if n in naive_sizes and not skewed else []
            for engine, naive in runs:
                for v, (root, cache) in versions.items():  # old right after new: the same moment of a noisy machine
                    for warm in ((False, True) if engine == "mkdocs" else (None,)):
                        out = work / f"site-{n}-{engine}-{'naive' if naive else 'ours'}"
                        key = (n, skewed, engine, naive, warm)
                        print(f"building {label(n, engine, naive, skewed, warm)}{' @' + v if v else ''}...",
                              file=sys.stderr, flush=True)
                        if not warm:
                            clear_pages(cache)
                        results[v][key] = build_once(cat, out, page, naive, engine, cache, root)
                        shutil.rmtree(out, ignore_errors=True)
        previews = {v: preview_edits() if v == "" else preview_of(root) for v, (root, _) in versions.items()} \
            if 79 in sizes else {}
        report(results[""], sizes, naive_sizes, skewed_sizes, engines, checks.get(""), previews.get(""),
               {v: r for v, r in results.items() if v}, {v: c for v, c in checks.items() if v},
               {v: p for v, p in previews.items() if v})
    finally:
        if args.against:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(work / "against")])
        shutil.rmtree(work, ignore_errors=True)


def report(results: dict[Key, dict], sizes: list[int], naive_sizes: list[int], skewed_sizes: list[int],
           engines: list[str], check_s: tuple[float, float] | None, preview, others: dict[str, dict[Key, dict]],
           other_checks: dict[str, tuple[float, float]], other_previews: dict) -> None:
    """The table (each row of another revision right below the same row of this code) and the ratios."""
    print()
    print("| build | total | " + " | ".join(STAGES) + " | html / floor | agents (beside html) | own stages | "
          "output | one model page | peak memory |")
    print("|---" * (len(STAGES) + 8) + "|")
    order = sorted(results, key=lambda k: (k[1], k[0], k[3], engines.index(k[2]), k[4] is None, k[4]))
    failed: dict[tuple[int, bool], list[str]] = {}  # (size, skewed): the problems, the same in every layout
    for key in order:
        n, skewed, engine, naive, warm = key
        for v, rs in [("", results), *others.items()]:
            r = rs.get(key)
            if r is None:
                continue
            mark = ""
            if r["problems"]:
                failed.setdefault((n, skewed), r["problems"])
                mark = " " + "†" * (list(failed).index((n, skewed)) + 1)
            print(row(label(n, engine, naive, skewed, warm) + (f" @{v}" if v else "") + mark, r,
                      floor_of(rs.get((n, skewed, engine, naive, True)))))
    print()
    for i, ((n, skewed), problems) in enumerate(failed.items(), 1):
        print(f"{'†' * i} {n:,} models{' skewed' if skewed else ''}: the site was written, but its agent files "
              f"fail {len(problems)} checks (agents not timed): " + "; ".join(problems[:3])
              + ("; ..." if len(problems) > 3 else ""))
    for e in engines:
        for skewed in (False, True):
            ns = skewed_sizes if skewed else sizes
            warm = False if e == "mkdocs" else None
            base = results.get((sizes[0], False, e, False, warm))
            for n in (ns if skewed else ns[1:]):
                r = results.get((n, skewed, e, False, warm))
                if r is None or base is None:
                    continue
                k = n / sizes[0]
                print(f"- {e}, {label(n, e, False, skewed)} vs {sizes[0]:,} ({k:.1f}x), cold: time "
                      f"{r['total'] / base['total']:.1f}x, bytes {r['bytes'] / base['bytes']:.1f}x, one model page "
                      f"{r['page_bytes'] / base['page_bytes']:.2f}x, peak memory {peak(r)}")
    for n in naive_sizes:
        for warm in (False, True):
            ours, naive = results.get((n, False, "mkdocs", False, warm)), results.get((n, False, "mkdocs", True, warm))
            if ours and naive:
                print(f"- naive layout at {n:,} models against ours, both {'warm' if warm else 'cold'}: "
                      f"{naive['total'] / ours['total']:.1f}x slower, {naive['bytes'] / ours['bytes']:.1f}x larger")
    for n in sizes:
        mk = results.get((n, False, "mkdocs", False, False))
        for engine in engines[1:]:
            r = results.get((n, False, engine, False, None))
            if mk and r:
                print(f"- {engine} against mkdocs (cold) at {n:,} models: html stage "
                      f"{mk['stages']['html'] / r['stages']['html']:.2f}x as fast, whole build "
                      f"{mk['total'] / r['total']:.2f}x as fast, output {r['bytes'] / mk['bytes']:.2f}x the bytes")
    if (79, False, "mkdocs", False, False) in results:
        r = results[(79, False, "mkdocs", False, False)]
        own = sum(r["stages"].get(s, 0) for s in STAGES if s != "html")
        print(f"- generator's own stages at 79 models (cold): {own / r['total']:.0%} of the build")
    if check_s:
        print("- `check` on the shipped catalog, interpreter start included: {:.2f} s with an empty cache, "
              "{:.2f} s with a warm one (median of 3)".format(*check_s))
    if preview:
        full, edits = preview
        for what, seconds, pages in edits:
            print(f"- `serve`, one-model edit ({what}) on the shipped catalog: {seconds:.2f} s, {pages} pages "
                  f"rebuilt, {full / seconds:.1f}x faster than its full build ({full:.1f} s)")
    for v, rs in others.items():
        print(f"\nThis code against {v} (new / old; below 1.00 is faster or smaller):")
        for key in order:
            if key in rs:
                new, old = results[key], rs[key]
                print(f"- {label(*key[:1], *key[2:4], key[1], key[4])}: total {new['total'] / old['total']:.2f}, "
                      f"html {new['stages']['html'] / old['stages']['html']:.2f}, "
                      f"peak memory {new['peak_mb'] / old['peak_mb']:.2f}, output {new['bytes'] / old['bytes']:.2f}")
        if check_s and v in other_checks:
            print(f"- `check`, warm: {check_s[1]:.2f} s against {other_checks[v][1]:.2f} s")
        if preview and v in other_previews:
            for (what, new_s, _), (_, old_s, _) in zip(preview[1], other_previews[v][1], strict=False):
                print(f"- `serve`, one-model edit ({what}): {new_s:.2f} s against {old_s:.2f} s")


if __name__ == "__main__":
    main()
