"""Read one JSON file: exact decimals, the line of every JSON path, no duplicate keys."""

from __future__ import annotations

import json
import json.decoder
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.load.yamlfile import MAX_BYTES, YamlDoc, YamlError, child_path, read_text

_scanstring: Any = getattr(json.decoder, "scanstring")  # noqa: B009 - public, but not in the type stubs
_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")


def load_json(path: Path, max_bytes: int = MAX_BYTES, too_large: str = "remove what does not belong") -> YamlDoc:
    """Parse `path`; raise YamlError with a plain message and a line on any problem (`too_large`: the fix
    for a file past `max_bytes`)."""
    text = read_text(path, max_bytes, too_large)
    try:  # json is the judge of what is JSON; the walk below only finds where each value starts
        data = json.loads(text, parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as err:
        raise YamlError(f"JSON syntax error, column {err.colno}: {err.msg}", err.lineno) from None
    except _Duplicate as err:
        raise YamlError(f"duplicate key {err.key!r}; keep one") from None
    except _Constant as err:
        raise YamlError(f"{err.name} is not a number JSON allows; write a finite number") from None
    lines: dict[str, int] = {}
    _Walk(text, lines).value(_SPACE.match(text, 0).end(), "$")  # type: ignore[union-attr]
    return YamlDoc(path, data, lines)


class _Duplicate(Exception):
    def __init__(self, key: str):
        self.key = key


class _Constant(Exception):
    def __init__(self, name: str):
        self.name = name


def _no_constant(name: str) -> Any:
    raise _Constant(name)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


class _Walk:
    """The line of every value of a document json has already accepted (a key's line for a member)."""

    def __init__(self, text: str, lines: dict[str, int]):
        self.text, self.lines = text, lines

    def line(self, at: int) -> int:
        return self.text.count("\n", 0, at) + 1

    def skip(self, at: int) -> int:
        return _SPACE.match(self.text, at).end()  # type: ignore[union-attr]

    def value(self, at: int, path: str) -> int:
        """Record the line of the value at `at` (and of everything inside it); return where it ends."""
        self.lines.setdefault(path, self.line(at))
        char = self.text[at]
        if char == "{":
            at = self.skip(at + 1)
            while self.text[at] != "}":
                key, end = _scanstring(self.text, at + 1)
                self.lines[child_path(path, key)] = self.line(at)
                at = self.skip(self.skip(end) + 1)  # past the colon
                at = self.skip(self.value(at, child_path(path, key)))
                if self.text[at] == ",":
                    at = self.skip(at + 1)
            return at + 1
        if char == "[":
            at, i = self.skip(at + 1), 0
            while self.text[at] != "]":
                at = self.skip(self.value(at, child_path(path, i)))
                i += 1
                if self.text[at] == ",":
                    at = self.skip(at + 1)
            return at + 1
        if char == '"':
            return _scanstring(self.text, at + 1)[1]
        for word in ("true", "false", "null"):
            if self.text.startswith(word, at):
                return at + len(word)
        return _NUMBER.match(self.text, at).end()  # type: ignore[union-attr]
