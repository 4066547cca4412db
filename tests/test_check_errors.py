"""`python -m generator check` on broken input: every problem reported at once, as file:line: message."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


from generator import pipeline
from generator.cli import main
from helpers import NOVA, check, edit, line_of

ROOT = Path(__file__).resolve().parents[1]


def test_valid_catalog_passes(work):
    # the catalog stages alone: the guides name models this one-model catalog lacks (test_doccheck covers them)
    inputs = pipeline.check(Path("catalog"), Path("openapi.yaml"))
    assert [m.id for m in inputs.catalog.models] == ["nova-micro-1-0"]


def test_yaml_syntax_error_gives_line_and_column(work, capsys):
    edit(NOVA, "new: false", "new: [false")
    code, lines = check(capsys)
    assert code == 1
    assert lines[0].startswith(f"{NOVA}:{line_of(NOVA, 'native_inference')}: YAML syntax error, column ")
    assert lines[-1] == "1 problem found."


def test_duplicate_key(work, capsys):
    n = line_of(NOVA, "new: false")
    edit(NOVA, "new: false", "new: false\nnew: true")
    assert check(capsys) == (1, [
        f"{NOVA}:{n + 1}: duplicate key 'new' (first defined on line {n}); keep one",
        "1 problem found."])


def test_alias_bomb_is_refused_not_expanded(work, capsys):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    Path(NOVA).write_text(bomb, "utf-8")
    assert check(capsys) == (1, [
        f"{NOVA}:2: anchors and aliases (&name / *name) are not allowed; write the value out",
        "1 problem found."])


def test_non_utf8_file(work, capsys):
    Path(NOVA).write_bytes(Path(NOVA).read_bytes().replace(b"Nova Micro 1.0", b"Nova Micr\xf6 1.0", 1))
    assert check(capsys)[1][0] == f"{NOVA}:3: not valid UTF-8 (byte 0xf6); save the file as UTF-8"


def test_empty_file(work, capsys):
    Path("catalog/providers/amazon.yaml").write_text("# nothing yet\n", "utf-8")
    lines = check(capsys)[1]
    assert "catalog/providers/amazon.yaml: file is empty; write the fields its schema requires" in lines


def test_unknown_key_suggests_the_right_one(work, capsys):
    edit(NOVA, "context_window: 128000", "contxt_window: 128000")
    n = line_of(NOVA, "contxt_window")
    assert check(capsys) == (1, [  # one problem, on the misspelt key's line
        f"{NOVA}:{n}: missing required key 'context_window': is 'contxt_window' a misspelling of it? "
        "at $.contxt_window",
        "1 problem found."])


def test_unknown_optional_key_suggests_the_right_one(work, capsys):
    edit(NOVA, "max_output_tokens: 5000", "max_output_tokns: 5000")
    n = line_of(NOVA, "max_output_tokns")
    assert check(capsys) == (1, [
        f"{NOVA}:{n}: unknown key 'max_output_tokns' (did you mean 'max_output_tokens'?) at $.max_output_tokns",
        "1 problem found."])


def test_missing_field(work, capsys):
    edit(NOVA, "api_status: platform\n", "")
    assert check(capsys) == (1, [f"{NOVA}:2: missing required key 'api_status'",
                                 "1 problem found."])


def test_price_that_is_not_a_number(work, capsys):
    edit(NOVA, "amount: 0.16,", "amount: 16 cents,")
    n = line_of(NOVA, "16 cents")
    assert check(capsys)[1][0] == (f"{NOVA}:{n}: must be a number, not a string ('16 cents') "
                                   "at $.pricing[1].amount")


def test_negative_price(work, capsys):
    edit(NOVA, "amount: 0.16,", "amount: -0.16,")
    n = line_of(NOVA, "-0.16")
    assert check(capsys)[1][0] == f"{NOVA}:{n}: must be at least 0, not -0.16 at $.pricing[1].amount"


def test_unknown_provider(work, capsys):
    Path("catalog/models/acme").mkdir()
    Path(NOVA).rename("catalog/models/acme/nova-micro-1-0.yaml")
    edit("catalog/models/acme/nova-micro-1-0.yaml", "provider: amazon", "provider: acme")
    assert check(capsys) == (1, [
        "catalog/models/acme/nova-micro-1-0.yaml:5: unknown provider 'acme': providers are declared in "
        "catalog/providers/; for a new one, add catalog/providers/acme.yaml at $.provider",
        "1 problem found."])


def test_misspelt_provider_in_its_folder_is_a_typo_of_the_value(work, capsys):
    edit(NOVA, "provider: amazon", "provider: amazn")
    assert check(capsys) == (1, [  # one message: the likelier fix first, no list of every provider
        f"{NOVA}:5: unknown provider 'amazn' in models/amazon/: set `provider: amazon`, or, for a new provider, "
        "add catalog/providers/amazn.yaml and move the file to models/amazn/ at $.provider",
        "1 problem found."])


def test_misspelt_provider_and_folder_get_did_you_mean(work, capsys):
    Path("catalog/models/amzon").mkdir()
    Path(NOVA).rename("catalog/models/amzon/nova-micro-1-0.yaml")
    edit("catalog/models/amzon/nova-micro-1-0.yaml", "provider: amazon", "provider: amazn")
    assert check(capsys) == (1, [
        "catalog/models/amzon/nova-micro-1-0.yaml:5: unknown provider 'amazn' (did you mean 'amazon'?): providers "
        "are declared in catalog/providers/; for a new one, add catalog/providers/amazn.yaml and move the file to "
        "models/amazn/ at $.provider",
        "1 problem found."])


def test_model_of_a_known_provider_in_another_folder_is_moved(work, capsys):
    shutil.copy("catalog/providers/amazon.yaml", "catalog/providers/acme.yaml")
    edit("catalog/providers/acme.yaml", "slug: amazon", "slug: acme")
    shutil.copytree("catalog/models/amazon", "catalog/models/acme")
    edit("catalog/models/acme/nova-micro-1-0.yaml", "id: nova-micro-1-0", "id: nova-micro-1-1")
    Path("catalog/models/acme/nova-micro-1-0.yaml").rename("catalog/models/acme/nova-micro-1-1.yaml")
    edit("catalog/models/acme/nova-micro-1-1.yaml", "model: nova-micro-1-0", "model: nova-micro-1-1")
    assert check(capsys)[1][0] == (
        "catalog/models/acme/nova-micro-1-1.yaml:5: model of provider 'amazon' is filed under models/acme/: move it "
        "to models/amazon/ (or set `provider: acme` if it is acme's model) at $.provider")


def test_misspelt_category_and_profile_name_where_they_are_declared(work, capsys):
    edit(NOVA, "category: text", "category: txt")
    edit(NOVA, "profile: chat", "profile: caht")
    assert check(capsys) == (1, [
        f"{NOVA}:6: unknown category 'txt' (did you mean 'text'?); categories are declared in catalog/platform.yaml "
        "under categories: text, image, video, audio, transcription, research, tools, embedding at $.category",
        f"{NOVA}:{line_of(NOVA, 'caht')}: unknown parameter profile 'caht' (did you mean 'chat'?); profiles are "
        "declared in catalog/profiles/: chat, embedding, image, search, speech, transcription, video "
        "at $.parameters.profile",
        "2 problems found."])


def test_names_are_looked_up_in_a_file_with_other_problems(work, capsys):
    edit(NOVA, "provider: amazon", "provider: amazn")
    edit(NOVA, "amount: 0.16,", "amount: 16 cents,")
    assert check(capsys)[1] == [
        f"{NOVA}:5: unknown provider 'amazn' in models/amazon/: set `provider: amazon`, or, for a new provider, "
        "add catalog/providers/amazn.yaml and move the file to models/amazn/ at $.provider",
        f"{NOVA}:{line_of(NOVA, '16 cents')}: must be a number, not a string ('16 cents') at $.pricing[1].amount",
        "2 problems found."]


def test_duplicate_model_id(work, capsys):
    shutil.copy("catalog/providers/amazon.yaml", "catalog/providers/acme.yaml")
    edit("catalog/providers/acme.yaml", "slug: amazon", "slug: acme")
    Path("catalog/models/acme").mkdir()
    twin = "catalog/models/acme/nova-micro-1-0.yaml"
    shutil.copy(NOVA, twin)
    edit(twin, "provider: amazon", "provider: acme")
    assert check(capsys)[1][0] == (f"{NOVA}:2: duplicate model id 'nova-micro-1-0', also used by {twin}; "
                                   "ids must be unique at $.id")


def test_unsafe_id_and_file_name(work, capsys):
    edit(NOVA, "id: nova-micro-1-0", "id: ../x")
    lines = check(capsys)[1]
    assert lines[0] == f"{NOVA}:2: '../x' does not match the pattern ^[a-z0-9][a-z0-9.-]*$ at $.id"


def test_file_name_must_match_id(work, capsys):
    Path(NOVA).rename("catalog/models/amazon/nova.yaml")
    assert check(capsys)[1][0] == ("catalog/models/amazon/nova.yaml:2: file name 'nova.yaml' does not match "
                                   "id 'nova-micro-1-0'; rename the file to nova-micro-1-0.yaml at $.id")


def test_html_in_description(work, capsys):
    edit(NOVA, "Text-only foundation model", "<script>alert(1)</script> Text-only foundation model")
    assert check(capsys)[1][0] == (f"{NOVA}:{line_of(NOVA, 'description:')}: contains HTML markup; write plain text (it is escaped on "
                                   "the site) at $.description")


def test_endpoint_not_in_spec(work, capsys):
    edit(NOVA, "/v1/messages]", "/v1/messages, /v1/chat]")
    assert check(capsys)[1][0] == (f"{NOVA}:10: endpoint '/v1/chat' is not a POST operation of openapi.yaml "
                                   "(did you mean '/v1/chat/completions'?) at $.endpoints[3]")


def test_tier_outside_context_window(work, capsys):
    edit(NOVA, "per: 1000000}", "per: 1000000, tier: {max: 256000}}")
    n = line_of(NOVA, "tier:")
    assert check(capsys)[1][0] == (f"{NOVA}:{n}: tier bound 256000 is outside the context window 128000 "
                                   "at $.pricing[0].tier")


def test_list_price_below_price(work, capsys):
    edit(NOVA, "amount: 0.16,", "amount: 0.16, list_amount: 0.10,")
    n = line_of(NOVA, "list_amount")
    assert check(capsys)[1][0] == (f"{NOVA}:{n}: list_amount 0.10 is below amount 0.16: a list price is the "
                                   "higher, standard rate at $.pricing[1].list_amount")


def test_token_rate_per_a_number_that_is_not_a_power_of_ten(work, capsys):
    edit(NOVA, "amount: 0.16, unit: token, per: 1000000", "amount: 0.16, unit: token, per: 3")
    n = line_of(NOVA, "per: 3}")
    assert check(capsys) == (1, [
        f"{NOVA}:{n}: per 3 is not a power of ten: a token or request rate is per 1, 10, 100, ... or 1000000000 "
        "units, so that the cost calculator divides exactly; restate the amount per 1000 or per 1000000 units "
        "at $.pricing[1].per",
        "1 problem found."])


def test_other_units_may_be_priced_per_any_number(work):
    edit(NOVA, "unit: call, note", "unit: call, per: 3, note")
    inputs = pipeline.check(Path("catalog"), Path("openapi.yaml"))  # the catalog stages alone, as above
    assert inputs.catalog.model("nova-micro-1-0").pricing[2].per == 3


def test_max_tokens_above_max_output(work, capsys):
    edit(NOVA, "max_tokens: {max: 5000}", "max_tokens: {max: 8000}")
    n = line_of(NOVA, "max_tokens: {max: 8000}")
    assert check(capsys)[1][0] == (f"{NOVA}:{n}: max_tokens allows up to 8000, above max_output_tokens 5000; "
                                   "set parameters.set.max_tokens.max to 5000 at $.parameters.set.max_tokens")


def test_parameter_default_outside_its_range(work, capsys):
    edit(NOVA, "max_tokens: {max: 5000}", "max_tokens: {max: 5000}\n    temperature: {default: 3}")
    n = line_of(NOVA, "temperature: {default: 3}")
    assert check(capsys)[1][0] == (f"{NOVA}:{n}: parameter 'temperature': default 3 is above the maximum 2 "
                                   "at $.parameters.set.temperature")


def test_example_that_breaks_the_request_schema(work, capsys):
    edit(NOVA, "{role: user, content: Write a haiku", "{role: robot, content: Write a haiku")
    n = line_of(NOVA, "- endpoint: /v1/chat/completions")
    assert check(capsys)[1][0] == (
        f"{NOVA}:{n}: POST /v1/chat/completions example: 'robot' is not one of 'system', 'user', 'assistant', "
        "'tool' at $.examples[0].body.messages[0].role")


def test_example_parameter_outside_the_models_range(work, capsys):
    edit(NOVA, "max_tokens: 256", "max_tokens: 9000")
    n = line_of(NOVA, "- endpoint: /v1/messages")
    assert check(capsys)[1][0] == (
        f"{NOVA}:{n}: POST /v1/messages example: max_tokens: 9000 is above the maximum 5000 for model "
        "'nova-micro-1-0' at $.examples[2].body.max_tokens")


def test_every_problem_is_reported_in_one_run(work, capsys):
    edit(NOVA, "new: false", "new: maybe")
    edit(NOVA, "amount: 0.16,", "amount: -1,")
    edit("catalog/providers/amazon.yaml", "name: Amazon", "name: Amazon\ncolour: orange")
    code, lines = check(capsys)
    assert code == 1 and lines[-1] == "3 problems found."


def test_usage_error_exits_2(work, capsys):
    assert main(["check", "--nope"]) == 2
    assert main(["frobnicate"]) == 2


def test_cli_as_a_process_never_shows_a_traceback(work):
    Path(NOVA).write_bytes(b"\xff\xfe")
    proc = subprocess.run([sys.executable, "-m", "generator", "check"], capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{NOVA}:1: not valid UTF-8 (byte 0xff)")


def test_invalid_openapi_is_reported_with_its_line(work, capsys):
    edit("openapi.yaml", "openapi: 3.1.0", "openapi: 3.1.0\nx-bad: 1\nwebhooks: 7")
    assert check(capsys) == (1, [
        "openapi.yaml:3: invalid OpenAPI: must be an object, not a number (7) at $.webhooks",
        "1 problem found."])


def test_spec_example_that_breaks_its_schema(work, capsys):
    edit("openapi.yaml", "role: user", "role: robot")
    n = line_of("openapi.yaml", "role: robot")
    assert check(capsys)[1] == [
        f"openapi.yaml:{n}: POST /v1/chat/completions examples.basic.value: 'robot' is not one of 'system', "
        "'user', 'assistant', 'tool' at $.messages[1].role", "1 problem found."]
