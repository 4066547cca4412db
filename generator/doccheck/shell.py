"""A shell example read the way bash reads it: line continuations, quote removal, the commands of
pipelines, lists and `$(...)`; what bashlex cannot parse, bash itself judges."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

from generator.doccheck.blocks import Finding


class Script:
    """One shell example with its continuations joined: bashlex's offsets are offsets of `joined`."""

    def __init__(self, code: str):
        self.code = code
        self.joined, self.where = join_continuations(code)

    def line_of(self, pos: int) -> int:
        """1-based line in the example of offset `pos` of the joined text."""
        return joined_line(self.code, self.where, pos)

    def raw(self, word: Any) -> str:
        """The word as typed, quotes included."""
        return self.joined[word.pos[0] : word.pos[1]]

    def word(self, word: Any) -> str:
        """The word after quote removal (bashlex's own `word` mishandles '"'"' sequences)."""
        return unquote(self.raw(word))[0]

    def expanded(self, word: Any) -> str:
        """The word with each expansion replaced by a NUL placeholder (a value we cannot know)."""
        text = self.raw(word)
        spans = sorted((p.pos for p in getattr(word, "parts", []) or []), reverse=True)
        for a, b in spans:
            text = text[: a - word.pos[0]] + "\0" + text[b - word.pos[0] :]
        return unquote(text)[0]


def parse(script: Script) -> list[Any] | None:
    """bashlex's trees of the script; None when bashlex cannot read it."""
    import bashlex

    try:
        trees: list[Any] = bashlex.parse(script.joined)
    except Exception:  # bashlex covers most of bash, not all of it
        return None
    return trees


def bash_syntax(code: str) -> list[Finding]:
    """What `bash -n` says of a script bashlex could not parse."""
    bash = shutil.which("bash")
    if not bash:
        return []
    proc = subprocess.run([bash, "-n", "-c", code], capture_output=True, text=True)
    if proc.returncode == 0:
        return []
    m = re.search(r"line (\d+): (.*)", proc.stderr)
    return [Finding(int(m[1]) if m else 1, f"shell example does not parse: {m[2] if m else proc.stderr.strip()}")]


def join_continuations(code: str) -> tuple[str, list[int]]:
    """Remove backslash-newline pairs as the shell does (not inside single quotes or comments);
    return the joined text and, per joined character, its offset in `code`."""
    out: list[str] = []
    where: list[int] = []
    quote = ""
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if quote == "'":
            if c == "'":
                quote = ""
        elif c == "\\" and i + 1 < n:
            if code[i + 1] != "\n":
                out += [c, code[i + 1]]
                where += [i, i + 1]
            i += 2
            continue
        elif quote == '"':
            if c == '"':
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or code[i - 1] in " \t\n;|&("):
            end = code.find("\n", i)
            end = n if end < 0 else end
            out += list(code[i:end])
            where += list(range(i, end))
            i = end
            continue
        out.append(c)
        where.append(i)
        i += 1
    where.append(n)
    return "".join(out), where


def joined_line(code: str, where: list[int], pos: int) -> int:
    """1-based line in the original `code` of offset `pos` of the joined text."""
    return code.count("\n", 0, where[min(pos, len(where) - 1)]) + 1


def _escaped(raw: str, i: int, quote: str) -> bool:
    """Whether the backslash at `i` escapes the next character (inside double quotes only a few)."""
    if raw[i] != "\\" or i + 1 >= len(raw):
        return False
    return quote == "" or quote == '"' and raw[i + 1] in '$`"\\\n'


def unquote(raw: str) -> tuple[str, list[int]]:
    """Quote removal of one shell word, as bash does it; with the offset in `raw` of each character kept."""
    out: list[str] = []
    where: list[int] = []
    quote = ""
    i = 0
    while i < len(raw):
        c = raw[i]
        if quote != "'" and _escaped(raw, i, quote):
            i += 1
        elif c == quote:
            quote = ""
            i += 1
            continue
        elif not quote and c in "'\"":
            quote = c
            i += 1
            continue
        out.append(raw[i])
        where.append(i)
        i += 1
    return "".join(out), where


def _walk(trees: list[Any]) -> Iterator[Any]:
    """Every node, depth first in source order, including those inside $(...) substitutions."""
    stack = list(trees)
    while stack:
        node = stack.pop(0)
        yield node
        for attr in ("parts", "list"):
            stack[0:0] = [c for c in getattr(node, attr, []) or [] if hasattr(c, "kind")]
        if getattr(node, "kind", "") == "commandsubstitution" and getattr(node, "command", None) is not None:
            stack.insert(0, node.command)


def commands(trees: list[Any]) -> Iterator[Any]:
    """Every simple command, including those in pipelines, lists and $(...) substitutions."""
    return (node for node in _walk(trees) if getattr(node, "kind", "") == "command")


def pipelines(trees: list[Any]) -> Iterator[list[Any]]:
    """The commands of every pipeline, in order, including pipelines inside $(...)."""
    for node in _walk(trees):
        if getattr(node, "kind", "") == "pipeline":
            yield [p for p in node.parts if getattr(p, "kind", "") == "command"]


def words(command: Any) -> list[Any]:
    """The words of one simple command (not its redirections or assignments)."""
    return [w for w in command.parts if w.kind == "word"]


def expansions(word: Any) -> list[Any]:
    """The expansion nodes inside one word, nested ones included."""
    out: list[Any] = []
    stack = list(getattr(word, "parts", []) or [])
    while stack:
        p = stack.pop()
        out.append(p)
        stack += list(getattr(p, "parts", []) or [])
    return out
