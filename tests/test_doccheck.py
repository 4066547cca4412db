"""Every example and every typed number of the docs is checked: one broken example of each kind fails
`check` with its exact location, in the template (or openapi.yaml) where it was written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import cli
from generator.views import render
from generator.doccheck import DocChecker, code_blocks, join_continuations, unquote
from helpers import edit

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def templates(tmp_path, monkeypatch):
    """A copy of templates/, with the mkdocs.yml and specs that name it, in the working directory: the
    templates `check` renders."""
    copy = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", copy)
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    for name in ("mkdocs.yml", "openapi.yaml", "asyncapi.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    monkeypatch.setattr(render, "TEMPLATES", copy)
    monkeypatch.chdir(tmp_path)
    return copy


def run_check(capsys, *args: str) -> tuple[int, list[str]]:
    code = cli.main(["check", "--catalog", str(ROOT / "catalog"), *args])
    return code, capsys.readouterr().err.splitlines()


def where(templates: Path, name: str) -> str:
    """How a problem names a template of the copy (relative to the working directory when below it)."""
    from generator.problems import display_path

    return display_path(templates / "guides" / name)


# (guide, line, what the line holds, what replaces it, the line reported, the message): one broken example or
# number of each kind in a guide fails `check` at its line of the template
BROKEN = [
    pytest.param("getting-started.md.j2", 98, '"You are a concise assistant."},', '"You are a concise assistant."}',
                 99, "POST /v1/chat/completions example: the -d body is not valid JSON: Expecting ',' delimiter",
                 id="bad-json"),
    pytest.param("compatibility.md.j2", 27, '"temperature": 0.3', '"temprature": 0.3',
                 27, "POST /v1/chat/completions example: $.temprature: unknown key 'temprature' (did you mean "
                 "'temperature'?)", id="wrong-field"),
    pytest.param("compatibility.md.j2", 29, '{"role": "system", "content": "Answer in one sentence."}',
                 '{"role": "robot", "content": "Answer in one sentence."}',
                 29, "POST /v1/chat/completions example: $.messages[0].role: 'robot' is not one of 'system', "
                 "'user', 'assistant', 'tool'", id="wrong-value"),
    pytest.param("index.md.j2", 14, '"model": "qwen3-max"', '"model": "qwen9-max"',
                 14, "POST /v1/chat/completions example: $.model: unknown model 'qwen9-max' (did you mean "
                 "'qwen3-max'?); models are declared in catalog/models/<provider>/<id>.yaml", id="unknown-model"),
    pytest.param("compatibility.md.j2", 114, 'model="seed-2-0-pro"', 'model="seed-9-pro"',
                 114, "POST /v1/responses example: $.model: unknown model 'seed-9-pro' (did you mean "
                 "'seed-2-0-pro'?); models are declared in catalog/models/<provider>/<id>.yaml",
                 id="unknown-model-in-python"),
    pytest.param("authentication.md.j2", 55, "max_tokens=256", "max_tokens=100000",
                 55, "POST /v1/messages example: $.max_tokens: max_tokens: 100000 is above the maximum 65536 for "
                 "model 'mistral-medium-3-1'", id="parameter-out-of-the-models-range"),
    pytest.param("index.md.j2", 11, '-H "Authorization: Bearer ${{ platform.key_env }}"',
                 "-H 'Authorization: Bearer ${{ platform.key_env }}'",
                 11, "POST /v1/chat/completions example: the key variable is inside single quotes, so the shell "
                 "never expands it; use double quotes", id="key-variable-in-single-quotes"),
    pytest.param("compatibility.md.j2", 156, '"model": "mistral-medium-3-1"', '"model": "wan-2-7"',
                 156, "POST /v1/messages example: $.model: model 'wan-2-7' does not serve /v1/messages; it serves "
                 "/v1/videos/generations", id="endpoint-the-model-does-not-serve"),
    pytest.param("rate-limits.md.j2", 16, "{{ rl.tokens_per_minute | compact }} TPM budget", "1M TPM budget",
                 16, "prose says '1M TPM' but the data says 2,000,000 tokens per minute (catalog/platform.yaml: "
                 "rate_limits.tokens_per_minute)", id="prose-number-contradicts-the-data"),
    pytest.param("index.md.j2", 3, "{{ stats.model_count|thousands }} AI models", "120 AI models",
                 3, "prose says '120 AI models' but the data says 79 models (catalog/models: 79 model files)",
                 id="prose-count-contradicts-the-data"),
    pytest.param("getting-started.md.j2", 145, "console.log(completion.choices[0].message.content);",
                 "console.log(completion.choices[0].message.content;",
                 145, "JavaScript example does not parse: SyntaxError: missing ) after argument list",
                 id="javascript-syntax-error",
                 marks=pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")),
    pytest.param("api/index.md.j2", 100, 'jq -r ".id"', 'jq -r ".job_id"',
                 100, "POST /v1/videos/generations example: jq reads '.job_id', but the response has no field "
                 "'job_id'; it has id, object, status, model, created, completed_at, poll_url, result, error",
                 id="jq-reads-a-field-the-response-lacks"),
]


@pytest.mark.parametrize("guide, line, old, new, reported, message", BROKEN)
def test_a_broken_guide_fails_check_at_its_line(templates, capsys, guide, line, old, new, reported, message):
    edit(templates / "guides" / guide, old, new, line=line)
    code, err = run_check(capsys)
    assert code == 1
    assert f"{where(templates, guide)}:{reported}: {message}" in err


def test_openapi_description_contradicts_the_data(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    spec = tmp_path / "openapi.yaml"
    spec.write_text((ROOT / "openapi.yaml").read_text("utf-8"), "utf-8")
    edit(spec, "2,000,000 tokens per minute", "1,000,000 tokens per minute", line=17)
    code, err = run_check(capsys, "--openapi", str(spec))
    assert code == 1
    assert (f"{spec}:17: prose says '1,000,000 tokens per minute' but the data says 2,000,000 tokens per minute "
            "(catalog/platform.yaml: rate_limits.tokens_per_minute)") in err


def test_github_annotations(templates, capsys):
    edit(templates / "guides/index.md.j2", '"model": "qwen3-max"', '"model": "qwen9-max"', line=14)
    code, err = run_check(capsys, "--format", "github")
    assert code == 1
    assert (f"::error file={where(templates, 'index.md.j2')},line=14::POST /v1/chat/completions example: "
            "$.model: unknown model 'qwen9-max' (did you mean 'qwen3-max'?); models are declared in catalog/models/<provider>/<id>.yaml") in err


def test_shipped_docs_pass(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, err = run_check(capsys)
    assert code == 0, "\n".join(err)


# ------------------------------------------------------------------------------------ the parts


def test_code_blocks_inside_content_tabs():
    md = 'Text\n\n=== "cURL"\n\n    ```bash\n    curl x \\\n      -d 1\n    ```\n\n```python\nprint(1)\n```\n'
    blocks = code_blocks(md)
    assert [(b.line, b.language, b.code) for b in blocks] == [(5, "bash", "curl x \\\n  -d 1"),
                                                                (10, "python", "print(1)")]


def test_shell_quoting():
    assert unquote("'it'\"'\"'s'")[0] == "it's"
    assert unquote('"a \\$B"')[0] == "a $B"
    joined, _ = join_continuations("curl a \\\n  -d 'x \\\ny'")
    assert joined == "curl a   -d 'x \\\ny'"  # inside single quotes a backslash-newline stays


@pytest.mark.parametrize("code, message", [
    ('curl https://api.empiriolabs.ai/v1/models/nope -H "Authorization: Bearer $EMPIRIOLABS_API_KEY"',
     "GET /v1/models/{model_id} example: unknown model 'nope'; models are declared in catalog/models/<provider>/<id>.yaml"),
    ('curl "https://api.empiriolabs.ai/v1/models?cheap=1" -H "Authorization: Bearer $EMPIRIOLABS_API_KEY"',
     "GET /v1/models example: unknown query parameter 'cheap'; it takes available"),
    ('curl https://api.empiriolabs.ai/v1/models',
     'GET /v1/models example: no Authorization or x-api-key header; add -H "Authorization: Bearer '
     '$EMPIRIOLABS_API_KEY"'),
    ('curl https://api.empiriolabs.ai/v1/models -H "Authorization: Bearer $OPENAI_API_KEY"',
     "GET /v1/models example: the Authorization header reads $OPENAI_API_KEY; the docs' key variable is "
     "$EMPIRIOLABS_API_KEY"),
    ('curl https://api.empiriolabs.ai/v1/chat -H "Authorization: Bearer $EMPIRIOLABS_API_KEY" -d \'{}\'',
     "POST /v1/chat is not an operation of openapi.yaml (did you mean POST /v1/chat/completions?)"),
])
def test_curl_findings(inputs, code, message):
    found = DocChecker(inputs.catalog, inputs.spec).shell(code)
    assert [f.message for f in found] == [message]


@pytest.mark.parametrize("code, line, message", [
    ('from openai import OpenAI\nclient = OpenAI(base_url="https://api.empiriolabs.ai/v1", api_key="sk-x")\n',
     2, "Python example: the OpenAI client hard-codes an API key; read it from EMPIRIOLABS_API_KEY"),
    ('import os, anthropic\nclient = anthropic.Anthropic(base_url="https://api.empiriolabs.ai/v1",\n'
     '    api_key=os.environ["EMPIRIOLABS_API_KEY"])\n', 2,
     "Python example: the Anthropic client's base_url is 'https://api.empiriolabs.ai/v1'; use "
     "'https://api.empiriolabs.ai' (the Anthropic SDK adds /v1/messages itself)"),
    ("print(1\n", 1, "Python example does not compile: '(' was never closed"),
    ('import os\nimport requests\nAPI = "https://api.empiriolabs.ai/v1"\n'
     'H = {"Authorization": f"Bearer {os.environ[\'EMPIRIOLABS_API_KEY\']}"}\n'
     'requests.post(f"{API}/search", headers=H, json={\n    "model": "exa-search",\n    "query": "x",\n'
     '    "max_results": "five",\n})\n', 8,
     "POST /v1/search example: $.max_results: must be an integer, not a string ('five')"),
])
def test_python_findings(inputs, code, line, message):
    found = DocChecker(inputs.catalog, inputs.spec).python(code)
    assert (line, message) == (found[0].line, found[0].message)


def test_python_sdk_arguments_the_sdk_does_not_take(inputs):
    pytest.importorskip("openai")
    code = ('import os\nfrom openai import OpenAI\n'
            'client = OpenAI(base_url="https://api.empiriolabs.ai/v1", api_key=os.environ["EMPIRIOLABS_API_KEY"])\n'
            'client.chat.completions.create(\n    model="qwen3-max",\n    messages=[{"role": "user", "content": "Hi"}],\n'
            '    disable_formatting=True,\n)\n')
    found = DocChecker(inputs.catalog, inputs.spec).python(code)
    assert [(f.line, f.message) for f in found] == [(7, (
        "POST /v1/chat/completions example: the openai SDK's client.chat.completions.create() has no parameter "
        "'disable_formatting', so the call raises TypeError; pass it as extra_body={\"disable_formatting\": true}"))]


def test_python_variables_are_not_guessed(inputs):
    code = ('import os\nfrom openai import OpenAI\n'
            'client = OpenAI(base_url="https://api.empiriolabs.ai/v1", api_key=os.environ["EMPIRIOLABS_API_KEY"])\n'
            'history = []\nhistory.append({"role": "user", "content": "Hi"})\n'
            'client.chat.completions.create(model="qwen3-max", messages=history)\n')
    assert DocChecker(inputs.catalog, inputs.spec).python(code) == []


def test_remembered_clean_verdicts_follow_the_models_they_name(project, monkeypatch, capsys):
    """Clean verdicts are remembered between runs; narrowing a model's range must still fail an unchanged
    guide example that names it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    assert cli.main(["check"]) == 0
    assert list((project / "cache" / "empiriolabs-docs").glob("doccheck-clean-*.txt"))
    model = project / "catalog/models/mistral/mistral-medium-3-1.yaml"
    text = model.read_text("utf-8").replace("max_tokens: 512", "max_tokens: 100")
    model.write_text(text.replace("  profile: chat\n", "  profile: chat\n  set:\n    max_tokens: {max: 200, default: 100}\n"),
                     "utf-8")
    capsys.readouterr()
    assert cli.main(["check"]) == 1
    assert (f"{where(project / 'templates', 'authentication.md.j2')}:55: POST /v1/messages example: "
            "$.max_tokens: max_tokens: 256 is above the maximum 200 for model 'mistral-medium-3-1'"
            ) in capsys.readouterr().err.splitlines()
