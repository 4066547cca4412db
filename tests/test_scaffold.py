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
    assert len(err) == len(todos) + 1 and len(todos) == 9
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("name:"))
    assert err[0] == f"{FILE}:{line}: placeholder left by new-model: 'TODO: display name'; fill it in at $.name"
    assert err[-1] == f"{len(todos)} problems found."
    filled = (text.replace('"TODO: display name"', "Nova Nano 1.0")
              .replace('"TODO: one or two plain sentences on what the model does best"', "A tiny, fast text model.")
              .replace('"TODO: tokens (an integer), or null where no context applies"', "128000")
              .replace('"TODO: the most tokens one response holds (an integer), or null when not published"', "65536")
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


def test_scaffold_asks_for_every_figure_the_model_page_shows(project, capsys):
    assert main(["new-model", "amazon/nova-nano-1-0", "--endpoint", "chat"]) == 0
    n = next(i for i, l in enumerate(Path(FILE).read_text("utf-8").splitlines(), 1) if l.startswith("max_output"))
    assert main(["check"]) == 1
    assert (f"{FILE}:{n}: placeholder left by new-model: 'TODO: the most tokens one response holds (an integer), "
            "or null when not published'; fill it in at $.max_output_tokens") in capsys.readouterr().err.splitlines()


def test_refuses_a_provider_that_does_not_exist(project, capsys):
    assert main(["new-model", "amazn/rocket-1", "--endpoint", "chat"]) == 2
    assert main(["new-model", "acme/rocket-1", "--endpoint", "chat"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "new-model: unknown provider 'amazn' (did you mean 'amazon' or 'manus'?): providers are declared in "
        "catalog/providers/; for a new provider, add --new-provider to write catalog/providers/amazn.yaml too",
        "new-model: unknown provider 'acme': providers are declared in catalog/providers/; for a new provider, "
        "add --new-provider to write catalog/providers/acme.yaml too"]
    assert not Path("catalog/models/acme").exists() and not Path("catalog/models/amazn").exists()


def test_new_provider_is_scaffolded_and_checked(project, capsys):
    assert main(["new-model", "amazon/rocket-1", "--endpoint", "chat", "--new-provider"]) == 2
    assert capsys.readouterr().err == ("new-model: provider 'amazon' already exists (catalog/providers/amazon.yaml); "
                                       "drop --new-provider\n")
    assert main(["new-model", "acme/rocket-1", "--endpoint", "image", "--new-provider"]) == 0
    assert capsys.readouterr().out == ("wrote catalog/providers/acme.yaml and catalog/models/acme/rocket-1.yaml: "
                                       "replace every TODO, then run `python -m generator check`\n")
    assert main(["check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-4:] == [
        "catalog/providers/acme.yaml:5: placeholder left by new-model: \"TODO: the provider's name, as it writes "
        "it\"; fill it in at $.name",
        "catalog/providers/acme.yaml:6: placeholder left by new-model: \"TODO: one or two plain sentences on what "
        "the provider's models are known for\"; fill it in at $.description",
        "catalog/providers/acme.yaml:7: placeholder left by new-model: 'TODO: the https:// address of its site, "
        "or delete this line'; fill it in at $.website",
        "8 problems found."]  # 5 in the model, 3 in the provider
    provider = Path("catalog/providers/acme.yaml")
    provider.write_text(provider.read_text("utf-8").replace('"TODO: the provider\'s name, as it writes it"', "Acme")
                        .replace('"TODO: one or two plain sentences on what the provider\'s models are known for"',
                                 "Rockets.").replace('website: "TODO: the https:// address of its site, or delete '
                                                     'this line"\n', ""), "utf-8")
    model = Path("catalog/models/acme/rocket-1.yaml")
    model.write_text(model.read_text("utf-8").replace('"TODO: display name"', "Rocket 1")
                     .replace('"TODO: one or two plain sentences on what the model does best"', "Draws rockets.")
                     .replace('"TODO: tokens (an integer), or null where no context applies"', "null")
                     .replace('"TODO: USD per image"', "0.04").replace('"TODO: an image prompt"', '"A rocket."'),
                     "utf-8")
    assert main(["check"]) == 0, capsys.readouterr().err


def test_placeholders_and_an_unknown_provider_are_reported_at_once(project, capsys):
    assert main(["new-model", "amazon/nova-nano-1-0", "--endpoint", "chat"]) == 0
    Path(FILE).write_text(Path(FILE).read_text("utf-8").replace("provider: amazon", "provider: amazn"), "utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert (f"{FILE}:6: unknown provider 'amazn' in models/amazon/: set `provider: amazon`, or, for a new "
            "provider, add catalog/providers/amazn.yaml and move the file to models/amazn/ at $.provider") in err
    assert err[-1] == "10 problems found."  # the 9 placeholders and the provider
