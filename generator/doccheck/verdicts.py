"""Clean verdicts kept between runs, and the shape of a generated block: what lets a check skip work
it has already done."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator import cache
from generator.doccheck.prose import Fact
from generator.doccheck.sdk import SDKS

WORD = re.compile(r"[a-z0-9][a-z0-9.-]*")
MODEL_TOKEN = re.compile(r"""(?<=["'=/])[a-z0-9][a-z0-9.-]{0,79}(?=["'\s,)]|$)""", re.M)


def model_shape(code: str, ids: set[str]) -> str:
    """The code with every catalog model id it names replaced by one placeholder."""
    return MODEL_TOKEN.sub(lambda m: "\0MODEL" if m[0] in ids else m[0], code)


class CleanVerdicts:
    """Blocks (and guide prose) already found clean with the same inputs are not checked again.

    A verdict's key is the block's text plus the facts of every catalog model it names; the file that
    holds the keys is named after what every block depends on: the generator's code, openapi.yaml, the
    SDK signatures, node, the platform facts, and the set of model ids. Only clean verdicts are kept, so
    a problem is always found afresh, with its current line."""

    PREFIX = "doccheck-clean-"

    def __init__(self, catalog: Any, spec: Any, known: dict[str, Fact], names: list[str]) -> None:
        self.models = {m.id: m for m in catalog.models}
        code = b"".join(f.read_bytes() for f in sorted(Path(__file__).resolve().parents[1].rglob("*.py")))
        node = shutil.which("node") or ""
        context = cache.key(
            code,
            spec.doc.path.read_bytes(),
            SDKS.cache_name(),
            node,
            str(Path(node).stat().st_mtime_ns) if node else "",
            repr(sorted(known.items())),
            repr(names),
            "\n".join(sorted(self.models)),
        )
        self.name = f"{self.PREFIX}{context}.txt"
        self.known = set((cache.read(self.name) or "").split())
        self.seen: set[str] = set()
        self.fingerprints: dict[str, str] = {}

    def key(self, kind: str, code: str) -> str:
        named = sorted(set(WORD.findall(code)) & self.models.keys())
        return cache.key(kind, code, *(self.fingerprint(i) for i in named))

    def fingerprint(self, model_id: str) -> str:
        if model_id not in self.fingerprints:
            m = self.models[model_id]
            self.fingerprints[model_id] = repr(replace(m, withheld=tuple(sorted(m.withheld))))
        return self.fingerprints[model_id]

    def clean(self, kind: str, code: str) -> bool:
        key = self.key(kind, code)
        if key in self.known:
            self.seen.add(key)
            return True
        return False

    def add(self, kind: str, code: str) -> None:
        self.seen.add(self.key(kind, code))

    def save(self) -> None:
        """Keep this run's clean verdicts, and drop the files of earlier contexts."""
        if self.seen == self.known:
            return
        cache.write(self.name, "\n".join(sorted(self.seen)) + "\n")
        for old in cache.cache_dir().glob(f"{self.PREFIX}*.txt"):
            if old.name != self.name:
                old.unlink(missing_ok=True)
