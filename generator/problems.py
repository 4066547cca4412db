"""Problems found in the inputs, collected and reported together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file."""

    file: str
    line: int
    message: str
    path: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        at = f" at {self.path}" if self.path and self.path != "$" else ""
        return f"{where}: {self.message}{at}"

    def github(self) -> str:
        """Format as a GitHub Actions error annotation."""
        text = self.message + (f" (at {self.path})" if self.path and self.path != "$" else "")
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        line = f",line={self.line}" if self.line else ""
        return f"::error file={self.file}{line}::{text}"


@dataclass
class Problems:
    """A collector of problems; the build stops once, after every stage that can run has run."""

    root: Path = field(default_factory=Path.cwd)
    items: list[Problem] = field(default_factory=list)

    def add(self, file: Path | str, message: str, *, line: int = 0, path: str = "") -> None:
        """Record a problem in `file` (shown relative to the working directory)."""
        self.items.append(Problem(display_path(file), line, message, path))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        """Every problem once, by file and line."""
        return sorted(set(self.items))


class BuildError(Exception):
    """Raised when a stage found problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def display_path(file: Path | str) -> str:
    """Show a path relative to the working directory when it lies below it."""
    p = Path(file)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def plural(n: int, word: str) -> str:
    """'1 change', '2 changes': a count and its noun, in plain English (every noun here takes an s)."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"
