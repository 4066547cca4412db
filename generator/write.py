"""A writer that keeps every file inside its root and refuses to write one path twice."""

from __future__ import annotations

from pathlib import Path, PurePosixPath


class WriteError(Exception):
    pass


class Writer:
    def __init__(self, root: Path):
        self.root = root.resolve()
        self.written: set[str] = set()
        self.bytes = 0

    def target(self, rel: str) -> Path:
        """The absolute path of `rel`, refusing anything that would land outside the root."""
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise WriteError(f"refusing to write {rel!r}: the path leaves the output directory")
        path = (self.root / pure).resolve()
        if not path.is_relative_to(self.root):
            raise WriteError(f"refusing to write {rel!r}: the path leaves the output directory")
        return path

    def write(self, rel: str, content: str | bytes) -> None:
        if rel in self.written:
            raise WriteError(f"{rel} would be written twice; two pages claim the same path")
        path = self.target(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        self.written.add(rel)
        self.bytes += len(data)
