"""A small on-disk cache for verdicts that only change when their inputs' bytes or tool versions do."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "empiriolabs-docs"


def key(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:32]


def read(name: str) -> str | None:
    try:
        return (cache_dir() / name).read_text("utf-8")
    except OSError:
        return None


def read_bytes(name: str) -> bytes | None:
    try:
        return (cache_dir() / name).read_bytes()
    except OSError:
        return None


def write(name: str, text: str) -> None:
    """Best effort: a read-only home only costs the next run some time."""
    write_bytes(name, text.encode("utf-8"))


def write_bytes(name: str, data: bytes) -> None:
    """Best effort, and atomic: a reader sees the old entry or the new one, never half of one."""
    try:
        target = cache_dir() / name
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError:
        pass


def unless_clean(name: str, find: Callable[[], list[T]]) -> list[T]:
    """What `find` finds, or nothing when an earlier run kept a clean verdict under `name` (a key of what
    `find` reads); a clean result is kept. Only clean verdicts are kept: a problem is always found afresh."""
    if read(name) is not None:
        return []
    found = find()
    if not found:
        write(name, "clean\n")
    return found
