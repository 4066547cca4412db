"""The code blocks of a rendered page, and what is wrong inside one."""

from __future__ import annotations

from dataclasses import dataclass

from generator.fences import fenced_blocks


@dataclass(frozen=True)
class Block:
    """One fenced code block: the 1-based line of its opening fence, its language and its code
    (dedented by the fence's own indentation, as inside content tabs)."""

    line: int
    language: str
    code: str


@dataclass(frozen=True)
class Finding:
    """Something wrong inside one code block: `line` is 1-based within the block's code (0: the fence)."""

    line: int
    message: str


def _dedent(text: str, indent: int) -> str:
    return text[indent:] if text[:indent].strip() == "" else text.lstrip()


def code_blocks(markdown: str) -> list[Block]:
    """Every fenced code block of `markdown`, in order; indented fences (content tabs) included."""
    lines = markdown.split("\n")
    return [
        Block(b.first + 1, b.language, "\n".join(_dedent(text, b.indent) for text in b.body(lines)))
        for b in fenced_blocks(lines)
    ]


def without_code(markdown: str) -> str:
    """The markdown with every code block's lines blanked (line numbers kept)."""
    lines = markdown.split("\n")
    for b in code_blocks(markdown):
        end = b.line + b.code.count("\n") + 1
        for i in range(b.line - 1, min(end + 1, len(lines))):
            lines[i] = ""
    return "\n".join(lines)
