"""Lines of a rendered guide mapped back to the Jinja template line that holds their text."""

from __future__ import annotations

import dataclasses
import difflib
import re
import traceback
from pathlib import Path
from typing import Any

from generator.doccheck.blocks import Block, code_blocks
from generator.problems import Problem, did_you_mean, display_path

_PLACEHOLDER = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}")


def template_line(source_lines: list[str], rendered: str, said: str = "") -> int:
    """The template line a rendered line came from: one that holds `said` literally and looks most
    like the rendered line, else the most similar line."""
    target = rendered.strip()

    def score(line: str) -> float:
        literal = _PLACEHOLDER.sub(" ", line).strip()
        return difflib.SequenceMatcher(None, literal, target, autojunk=False).ratio()

    candidates = [i for i, line in enumerate(source_lines) if said and said in line]
    pool = candidates or range(len(source_lines))
    best = max(pool, key=lambda i: score(source_lines[i]), default=0)
    return best + 1


class Locator:
    """Maps lines of a rendered guide back to its template."""

    def __init__(self, template: Path, rendered: str, blocks: list[Block]):
        self.file = display_path(template)
        self.source = template.read_text("utf-8") if template.is_file() else ""
        self.lines = self.source.split("\n")
        self.rendered = rendered.split("\n")
        self.blocks = blocks
        self.template_blocks = code_blocks(self.source)

    def template_block(self, index: int, block: Block) -> Block | None:
        """The template's block the index-th rendered block came from: the same index when both have as
        many blocks, else the last template block above the line its first code line came from."""
        if len(self.template_blocks) == len(self.blocks):
            return self.template_blocks[index]
        first = next((line for line in block.code.split("\n") if line.strip()), "")
        start = template_line(self.lines, first) - 1
        return next((b for b in reversed(self.template_blocks) if b.line <= start), None)

    def block_line(self, index: int, block: Block, line: int) -> int:
        """Template line of line `line` (1-based; 0 = fence) of the index-th rendered block."""
        tb = self.template_block(index, block)
        if tb is None:
            return template_line(
                self.lines, self.rendered[block.line - 1 + line] if block.line - 1 + line < len(self.rendered) else ""
            )
        if line == 0:
            return tb.line
        if tb.code.count("\n") == block.code.count("\n"):  # the same shape: the same line
            return tb.line + line
        code = block.code.split("\n")
        wanted = code[line - 1] if line - 1 < len(code) else ""
        return tb.line + template_line(tb.code.split("\n"), wanted)

    def prose_line(self, line: int, said: str) -> int:
        text = self.rendered[line - 1] if 0 < line <= len(self.rendered) else ""
        return template_line(self.lines, text, said)


_NO_ATTRIBUTE = re.compile(r"'(?:[\w.]*\.)?(?P<type>\w+) object' has no attribute '(?P<name>\w+)'")
_UNDEFINED = re.compile(r"'(?P<name>\w+)' is undefined")


def template_error(err: Exception, template: Path, context: dict[str, Any]) -> Problem:
    """A Jinja error in `template` (or a template it includes) as a problem at its line, with the name it
    likely meant among those of `context` (what the template sees) and of their fields."""
    file, line = template, getattr(err, "lineno", None) or 0
    if getattr(err, "filename", None):
        file = Path(err.filename)  # type: ignore[attr-defined]
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename.endswith(".j2"):  # Jinja puts the template's own lines in the traceback
            file, line = Path(frame.filename), frame.lineno or 0
    message = getattr(err, "message", None) or str(err)
    if m := _NO_ATTRIBUTE.fullmatch(message):
        fields = [f for v in context.values() if type(v).__name__ == m["type"] for f in _fields(v)]
        message = f"{m['type']} has no field {m['name']!r}{did_you_mean(m['name'], fields)}"
    elif m := _UNDEFINED.fullmatch(message):
        message = f"{m['name']!r} is undefined{did_you_mean(m['name'], context)}"
    return Problem(display_path(file), line, f"template error: {message}")


def _fields(value: Any) -> list[str]:
    if dataclasses.is_dataclass(value):
        return [f.name for f in dataclasses.fields(value)]
    return [n for n in dir(value) if not n.startswith("_")]
