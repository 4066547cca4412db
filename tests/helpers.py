"""Helpers the test modules share: file trees written and read back, one-line edits, `check` as a user runs it,
a free port."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
NOVA = "catalog/models/amazon/nova-micro-1-0.yaml"  # the model of the `work` catalog (conftest.py)


def tree(root: Path) -> dict[str, bytes]:
    """Every file below `root`, by its relative POSIX path: its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def tree_digest(root: Path) -> dict[str, str]:
    """Every file below `root`, by its relative POSIX path: the SHA-256 of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write each text of `files` at its relative path below `root`; `root`."""
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def edit(path: str | Path, old: str, new: str, *, line: int | None = None) -> None:
    """Replace the first `old` of the file by `new` (on its 1-based `line` when given); fail when it is not
    there, so a test never edits nothing."""
    p = Path(path)
    text = p.read_text("utf-8")
    if line is None:
        assert old in text, old
        p.write_text(text.replace(old, new, 1), "utf-8")
        return
    lines = text.split("\n")
    assert old in lines[line - 1], f"{p.name}:{line} no longer holds {old!r}: {lines[line - 1]!r}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    p.write_text("\n".join(lines), "utf-8")


def line_of(path: str | Path, needle: str) -> int:
    """The 1-based number of the first line of the file that holds `needle`."""
    return next(i for i, text in enumerate(Path(path).read_text("utf-8").splitlines(), 1) if needle in text)


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check(capsys, *args: str) -> tuple[int, list[str]]:
    """`python -m generator check ARGS`, in-process: its exit code and the lines it wrote to stderr (never a
    traceback)."""
    code = main(["check", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err.splitlines()
