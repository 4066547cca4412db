"""`new-model` writes a file that `check` refuses until every TODO is filled in, then accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
FILE = "catalog/models/amazon/nova-nano-1-0.yaml"




def test_scaffold_is_refused_until_filled_then_accepted(project, capsys):
    assert main(["new-model", "amazon/nova-nano-1-0", "--endpoint", "chat"]) == 0
    assert capsys.readouterr().out == f"wrote {FILE}: replace every TODO, then run `python -m generator check`\n"
    text = Path(FILE).read_text("utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err.splitlines()
    todos = re.findall(r'"(TODO[^"]*)"', text)
    assert len(err) == len(todos) + 1 and len(todos) == 8
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("name:"))
    assert err[0] == f"{FILE}:{line}: placeholder left by new-model: 'TODO: display name'; fill it in at $.name"
    assert err[-1] == f"{len(todos)} problems found."
    filled = (text.replace('"TODO: display name"', "Nova Nano 1.0")
              .replace('"TODO: one or two plain sentences on what the model does best"', "A tiny, fast text model.")
              .replace('"TODO: tokens (an integer), or null where no context applies"', "128000")
              .replace('"TODO: USD per 1M input tokens"', "0.02").replace('"TODO: USD per 1M output tokens"', "0.08"))
    filled = re.sub(r'"TODO: a prompt[^"]*"', '"Say hello."', filled)
    Path(FILE).write_text(filled, "utf-8")
    assert main(["check"]) == 0


@pytest.mark.parametrize("kind", ["image", "video", "speech", "transcription", "search"])
def test_every_kind_only_lacks_its_todos(project, capsys, kind):
    assert main(["new-model", f"amazon/x-{kind}", "--endpoint", kind]) == 0
    assert main(["check"]) == 1
    err = capsys.readouterr().err.splitlines()[:-1]
    assert err and all("placeholder left by new-model" in e for e in err)


def test_refuses_unsafe_ids_and_existing_files(project, capsys):
    assert main(["new-model", "amazon/../x", "--endpoint", "chat"]) == 2
    assert main(["new-model", "amazon/nova-micro-1-0", "--endpoint", "chat"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == ["new-model: 'amazon/../x' is not PROVIDER/ID in lowercase letters, digits, '.' and '-'",
                   "new-model: catalog/models/amazon/nova-micro-1-0.yaml already exists"]
