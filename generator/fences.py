"""The fenced code blocks of a markdown text: the one scanner every stage uses.

A block opens with three or more backticks or tildes (indented ones included, as inside content tabs) and
closes at a line holding only the same character, at least as many times; a block never closed runs to
the end of the text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+#.-]*)")


@dataclass(frozen=True)
class Fenced:
    """Where one fenced block lies: 0-based indexes of its opening and closing fence lines."""

    first: int
    last: int  # the closing fence; the text's last line when the block is never closed
    closed: bool
    indent: int  # the width of the opening fence's indentation
    language: str  # the info string's first word, lowercased

    def body(self, lines: list[str]) -> list[str]:
        """The lines between the fences, as written."""
        return lines[self.first + 1 : self.last if self.closed else len(lines)]


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0])


def fenced_blocks(lines: list[str]) -> list[Fenced]:
    """Every fenced code block of the text cut into `lines`, in order."""
    marks = [i for i, line in enumerate(lines) if "```" in line or "~~~" in line]  # every fence is one of them
    blocks: list[Fenced] = []
    k = 0
    while k < len(marks):
        i = marks[k]
        m = FENCE.match(lines[i])
        if not m:
            k += 1
            continue
        j = next((j for j in marks[k + 1 :] if _closes(lines[j], m["fence"])), None)
        closed = j is not None
        last = j if j is not None else len(lines) - 1
        blocks.append(Fenced(i, last, closed, len(m["indent"]), m["lang"].lower()))
        k = bisect.bisect_right(marks, last, k)
    return blocks


def code_mask(lines: list[str]) -> list[bool]:
    """For each line, whether it lies in a fenced code block (its fences included)."""
    mask = [False] * len(lines)
    for b in fenced_blocks(lines):
        mask[b.first : b.last + 1] = [True] * (b.last - b.first + 1)
    return mask
