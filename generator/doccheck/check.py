"""The whole check: every code block of every page by its language, the prose of the guides, and
openapi.yaml's own prose and request examples."""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.doccheck.blocks import Block, Finding, code_blocks, without_code
from generator.doccheck.curl import shell_findings
from generator.doccheck.javascript import JS_LANGUAGES, js_syntax
from generator.doccheck.locate import Locator
from generator.doccheck.prose import facts, key_prefix_only, prose_findings, spec_prose
from generator.doccheck.python import python_findings
from generator.doccheck.request import Request, RequestChecker, json_lines, spec_example_problems
from generator.doccheck.sdk import SDKS
from generator.doccheck.verdicts import CleanVerdicts, model_shape
from generator.problems import Problem
from generator.views import render


class DocChecker:
    """Checks one code block at a time against the spec and the catalog."""

    def __init__(self, catalog: Any, spec: Any):
        self.requests = RequestChecker(catalog, spec)

    def findings(self, block: Block) -> list[Finding]:
        lang = block.language
        if lang in ("bash", "sh", "shell", "console", "zsh", "curl"):
            return self.shell(block.code)
        if lang in ("python", "py", "python3"):
            return self.python(block.code)
        if lang == "http":
            return self.http(block.code)
        if lang == "json":
            return self.json_block(block.code)
        return []

    def shell(self, code: str) -> list[Finding]:
        return shell_findings(self.requests, code)

    def python(self, code: str) -> list[Finding]:
        return python_findings(self.requests, code)

    def http(self, code: str) -> list[Finding]:
        """A raw HTTP request: its request line, headers (their key prefix is checked with the prose), body."""
        lines = code.split("\n")
        m = re.match(r"^(GET|POST|PUT|PATCH|DELETE)\s+(\S+)(?:\s+HTTP/[\d.]+)?\s*$", lines[0] if lines else "")
        if not m:
            return []
        i = 1
        while i < len(lines) and lines[i].strip():
            i += 1
        target = self.requests.host + m[2] if m[2].startswith("/") else m[2]
        split = self.requests.url_path(target)
        if split is None:
            return []
        body_text = "\n".join(lines[i + 1 :]).strip()
        req = Request(m[1], split[0], split[1], line=1)
        if body_text:
            try:
                req.body = json.loads(body_text)
            except json.JSONDecodeError as err:
                return [
                    Finding(
                        i + 2 + body_text[: err.pos].count("\n"), f"HTTP example: the body is not valid JSON: {err.msg}"
                    )
                ]
            req.has_body = True
            req.body_lines = lambda: {k: i + 2 + v for k, v in json_lines(body_text).items()}
        return self.requests.request(req)

    @staticmethod
    def json_block(code: str) -> list[Finding]:
        if not code.strip() or "..." in code or "…" in code:
            return []
        try:
            json.loads(code)
        except json.JSONDecodeError as err:
            return [Finding(err.lineno, f"JSON example is not valid JSON: {err.msg}")]
        return []


@dataclass(frozen=True)
class Placed:
    """One code block of one page, and how a problem names its lines: in the guide's template, or in the
    generated page."""

    page: Any
    locator: Locator | None
    index: int
    block: Block

    def problem(self, finding: Finding) -> Problem:
        if self.locator is not None:
            line = self.locator.block_line(self.index, self.block, finding.line)
            return Problem(self.locator.file, line, finding.message)
        return Problem(f"{self.page.path} (generated)", self.block.line + finding.line, finding.message)


class DocsCheck:
    """One run over the rendered pages: the problems found, and what was found clean."""

    def __init__(self, catalog: Any, spec: Any, templates: Path):
        self.templates = templates  # where the guides' templates are: a problem names its line there
        self.checker = DocChecker(catalog, spec)
        self.known = facts(catalog)
        self.names = [p.name for p in catalog.providers] + [c.name for c in catalog.categories]
        self.ids = {m.id for m in catalog.models}
        self.verdicts = CleanVerdicts(catalog, spec, self.known, self.names)
        self.problems: list[Problem] = []
        self.js_jobs: list[tuple[Placed, str]] = []  # checked together, by one node process
        self.clean_shapes: set[tuple[str, str]] = set()

    def page(self, page: Any, text: str) -> None:
        blocks = code_blocks(text)
        guide = page.template.startswith("guides/")
        locator = Locator(self.templates / page.template, text, blocks) if guide else None
        for index, block in enumerate(blocks):
            self.block(Placed(page, locator, index, block), guide)
        if locator is not None and not self.verdicts.clean("prose", text):  # a guide
            self.prose(locator, text)

    def block(self, placed: Placed, guide: bool) -> None:
        block = placed.block
        shape = block.code if guide else model_shape(block.code, self.ids)
        if block.language in JS_LANGUAGES:
            if not self.verdicts.clean("js", block.code):
                self.js_jobs.append((placed, shape))
            return
        key = (block.language, shape)
        if key in self.clean_shapes:
            return
        if self.verdicts.clean(block.language, block.code):  # its shape is clean: the blocks like it are not checked
            self.clean_shapes.add(key)
            return
        found = self.checker.findings(block)
        found += [Finding(pf.line, pf.message) for pf in key_prefix_only(block.code, self.known)]
        self.problems += [placed.problem(f) for f in found]
        if not found:
            self.clean_shapes.add(key)
            self.verdicts.add(block.language, block.code)

    def prose(self, locator: Locator, text: str) -> None:
        found = prose_findings(without_code(text), self.known, guide=True, names=self.names)
        self.problems += [Problem(locator.file, locator.prose_line(pf.line, pf.said), pf.message) for pf in found]
        if not found:
            self.verdicts.add("prose", text)

    def javascript(self) -> None:
        """The JavaScript blocks, one of each shape parsed."""
        first: dict[str, str] = {}
        for placed, shape in self.js_jobs:
            first.setdefault(shape, placed.block.code)
        verdicts = dict(zip(first, js_syntax(list(first.values())), strict=True))
        for placed, shape in self.js_jobs:
            finding = verdicts.get(shape)
            if finding is not None:
                self.problems.append(placed.problem(finding))
            elif shape in verdicts:
                self.verdicts.add("js", placed.block.code)


def check_docs(inputs: Any, pages: list[Any], rendered: dict[str, str], templates: Path | None = None) -> list[Problem]:
    """Every problem of every code block of every page, of the prose of the guides, and of the prose and
    request examples of openapi.yaml.

    Generated pages repeat a few snippet shapes for every model; a block that differs from an already
    clean one only by the model ids it names is not checked again (the ids themselves are checked where
    the catalog defines the examples), so the check grows with the number of shapes, not of models."""
    SDKS.start()
    catalog, spec = inputs.catalog, inputs.spec
    run = DocsCheck(catalog, spec, templates or render.TEMPLATES)
    for page in pages:
        text = rendered.get(page.path)
        if text is not None:
            run.page(page, text)
    run.javascript()
    run.verdicts.save()
    problems = run.problems + spec_prose(spec, run.known, run.names) + spec_example_problems(spec, catalog)
    if importlib.util.find_spec("bashlex") is None:
        problems.append(
            Problem(
                "generator/doccheck/shell.py",
                0,
                "cannot check the shell examples: the bashlex package is not installed (pip install 'bashlex>=0.18')",
            )
        )
    return sorted(set(problems))
