"""Read one YAML file safely: exact decimals, line numbers per JSON path, no duplicate keys, no aliases."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

try:  # the C parser is several times faster; the constructor logic below is ours either way
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1_000_000
MAX_DEPTH = 64  # the OpenAPI document, the deepest input, nests 17 levels


class YamlError(Exception):
    """A file that cannot be read as YAML; `line` is 1-based, 0 when unknown."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML document and the line where each JSON path starts."""

    path: Path
    data: Any
    lines: dict[str, int]

    def line(self, json_path: str) -> int:
        """The line of `json_path`, or of its nearest parent that has one."""
        while json_path:
            if json_path in self.lines:
                return self.lines[json_path]
            json_path = parent_path(json_path)
        return 1


def parent_path(json_path: str) -> str:
    """`$.a.b[2]` -> `$.a.b`; `$` -> ``."""
    if json_path == "$":
        return ""
    cut = max(json_path.rfind("."), json_path.rfind("["))
    return json_path[:cut] if cut > 0 else "$"


def child_path(base: str, key: Any) -> str:
    """Extend a JSON path by a mapping key or a sequence index."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    text = str(key)
    if text.replace("_", "a").replace("-", "a").isalnum():
        return f"{base}.{text}"
    return f"{base}[{text!r}]"


def node_lines(node: yaml.Node | None, path: str = "$", out: dict[str, int] | None = None) -> dict[str, int]:
    """The 1-based line of every JSON path of a composed YAML (or JSON) document; a mapping entry's line
    is its key's (its value may start on the next line)."""
    out = {} if out is None else out
    if node is None:
        return out
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            node_lines(value, child_path(path, key.value), out)
            out[child_path(path, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            node_lines(item, child_path(path, i), out)
    return out


def read_text(path: Path, max_bytes: int = MAX_BYTES, fix: str = "split it or remove what does not belong") -> str:
    """`path` as UTF-8 text, never more than `max_bytes` read; YamlError (with `fix` when too large) if not."""
    with path.open("rb") as f:  # never more than the limit is read, whatever the file's size
        raw = f.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise YamlError(f"file is larger than {max_bytes:,} bytes; {fix}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise YamlError(f"not valid UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8", line) from None


def load_yaml(path: Path) -> YamlDoc:
    """Parse `path`; raise YamlError with a plain message and a line on any problem."""
    text = read_text(path)
    if not text.strip() or all(not l.strip() or l.lstrip().startswith("#") for l in text.splitlines()):
        raise YamlError("file is empty; write the fields its schema requires")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        col = f", column {mark.column + 1}" if mark else ""
        what = err.problem or str(err)
        raise YamlError(f"YAML syntax error{col}: {what}", line) from None
    except yaml.YAMLError as err:
        raise YamlError(f"YAML error: {err}") from None
    finally:
        loader.dispose()
    if node is None:
        raise YamlError("file is empty; write the fields its schema requires")
    lines: dict[str, int] = {}
    data = _Builder(loader, lines).build(node, "$")
    return YamlDoc(path, data, lines)


class _Builder:
    """Turn a composed node graph into plain Python values, refusing what the catalog never needs."""

    def __init__(self, loader: Any, lines: dict[str, int]):
        self.loader = loader
        self.lines = lines
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: str, parent: yaml.Node | None = None, depth: int = 0) -> Any:
        # An alias makes the composer hand back the same node object twice: refuse it, whatever it
        # points to, before anything is expanded (this is what stops "billion laughs" documents).
        if id(node) in self.seen:
            line = (parent or node).start_mark.line + 1
            raise YamlError("anchors and aliases (&name / *name) are not allowed; write the value out", line)
        self.seen.add(id(node))
        self.lines[path] = node.start_mark.line + 1
        if depth > MAX_DEPTH:
            raise YamlError(
                f"nested more than {MAX_DEPTH} levels deep; no catalog file needs that", node.start_mark.line + 1
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, child_path(path, i), node, depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: str, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError("merge keys (<<) are not allowed; write the fields out", key_node.start_mark.line + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("mapping keys must be plain strings", key_node.start_mark.line + 1)
            key = self._scalar(key_node)
            if isinstance(key, (bool, int, Decimal)) or key is None:
                key = key_node.value  # `yes:` or `200:` as a key means the text, not a boolean or number
            if key in out:
                first = self.lines.get(child_path(path, key), 0)
                raise YamlError(
                    f"duplicate key {key!r} (first defined on line {first}); keep one", key_node.start_mark.line + 1
                )
            out[key] = self.build(value_node, child_path(path, key), key_node, depth + 1)
        return out

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == "tag:yaml.org,2002:float":
            try:
                value = Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():
                raise YamlError(f"{node.value!r} is not a finite number", node.start_mark.line + 1)
            return value
        if node.tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"):
            return node.value  # keep dates as text; the schemas say which strings are dates
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as err:
            raise YamlError(f"unsupported value: {err.problem}", node.start_mark.line + 1) from None
