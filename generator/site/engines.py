"""The HTML engines: mkdocs (the default, run in `build.run_mkdocs`) or zensical, run here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

from generator.problems import BuildError, Problem

ENGINES = ("mkdocs", "zensical")
ZENSICAL_VERSION = "0.0.73"  # the version pinned by the `zensical` extra of pyproject.toml
NOT_INSTALLED = f"not installed: pip install -e '.[zensical]' (or pip install zensical=={ZENSICAL_VERSION})"

# Overrides in the theme's custom_dir that copy mkdocs-material's own markup: zensical's theme draws these parts
# differently (its search is a button that opens a dialog), so a zensical build keeps its own.
MATERIAL_ONLY = ("partials/search.html",)

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WHERE = re.compile(r"╭─\[ (?P<file>.+?):(?P<line>\d+):(?P<col>\d+) \]")
SOURCE = re.compile(r"^\s*(?P<line>\d+) │ (?P<text>.*)$")


def require(engine: str) -> None:
    """Fail before any work when `engine` is unknown (ValueError) or not installed (BuildError)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown HTML engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if engine == "zensical" and find_spec("zensical") is None:
        raise BuildError([Problem("zensical", 0, NOT_INSTALLED)])


def run_zensical(config_file: Path, epoch: int) -> None:
    """Build HTML with zensical in strict mode; every warning or error becomes a reported problem."""
    adapt_config(config_file)
    # A separate process, not zensical.build(): its Rust core writes its diagnostics straight to file
    # descriptor 2, which only a pipe collects. Its cache (.cache/ beside the config) goes with the work dir.
    proc = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", config_file.name],
        cwd=config_file.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)},
    )
    if proc.returncode != 0:
        messages = problems_of(proc.stdout + proc.stderr) or [f"exited with status {proc.returncode}"]
        raise BuildError([Problem("zensical", 0, m) for m in messages])


def adapt_config(config_file: Path) -> None:
    """Rewrite the config the core derived from mkdocs.yml for zensical: relative docs_dir and site_dir
    (zensical 0.0.73 panics on absolute ones), mkdocs-material's look (zensical defaults to its new
    "modern" variant), and the theme overrides that fit zensical's markup."""
    from generator.site.config import dump, load_data

    config = load_data(config_file.read_text("utf-8"), config_file)  # as mkdocs reads it (!!python/name...)
    for key in ("docs_dir", "site_dir"):
        config[key] = os.path.relpath(config[key], config_file.parent)
    config["theme"]["variant"] = "classic"
    if config["theme"].get("custom_dir"):
        overrides = zensical_overrides(Path(config["theme"]["custom_dir"]), config_file.parent / "theme-zensical")
        config["theme"]["custom_dir"] = os.path.relpath(overrides, config_file.parent)
    config_file.write_text(dump(config), "utf-8")


def zensical_overrides(custom_dir: Path, dest: Path) -> Path:
    """A copy of the theme overrides in `dest` without those written for mkdocs-material's markup."""
    shutil.copytree(custom_dir, dest, dirs_exist_ok=True)
    for rel in MATERIAL_ONLY:
        (dest / rel).unlink(missing_ok=True)
    return dest


def problems_of(output: str) -> list[str]:
    """One message per diagnostic of zensical's output; else the error that ended the run."""
    lines = ANSI.sub("", output).splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.startswith(("Warning: ", "Error: ")) and i + 1 < len(lines) and (where := WHERE.search(lines[i + 1])):
            message = line.split(": ", 1)[1]
            span = marked_text(lines[i + 2 : i + 6], int(where["col"]))
            found.append(f"{where['file']}:{where['line']}:{where['col']}: {message}" + (f": {span}" if span else ""))
    if found:
        return found
    ends = [line for line in lines if re.match(r"^(Error: |[\w.]*(Error|Exception): )", line)]
    return [ends[-1]] if ends else []


def marked_text(block: list[str], col: int) -> str:
    """The source text a diagnostic underlines, e.g. the link `moon.md`; empty when it cannot tell."""
    for i, line in enumerate(block[:-1]):
        if (source := SOURCE.match(line)) and "│ " in block[i + 1]:
            marks = block[i + 1].split("│ ", 1)[1]
            width = len(marks[col - 1 :]) - len(marks[col - 1 :].lstrip("─┬"))
            return source["text"][col - 1 : col - 1 + width] if width else ""
    return ""
