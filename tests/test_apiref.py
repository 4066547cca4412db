"""The API reference as a reader sees it: the built HTML pages of every operation and of the run-events channel,
their markdown twins, and what happens when asyncapi.yaml is missing or broken."""

from __future__ import annotations

import ast
import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from generator.site import pages as site_module
from generator.views.apiref import api_pages, load_asyncapi, operation_page, run_events_page
from generator.build import build
from generator.problems import BuildError
from generator.views.render import Page, Renderer
from generator.model.spec import Spec
from generator.load.yamlfile import YamlDoc

ROOT = Path(__file__).resolve().parents[1]
KEY = "$EMPIRIOLABS_API_KEY"


# ---------------------------------------------------------------------------------------------- reading HTML

class Doc(HTMLParser):
    """The article of one built page: its text, headings, tables, code blocks, tab labels and links."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # <article> nesting; only its content counts
        self.text: list[str] = []
        self.h1 = ""
        self.headings: list[tuple[str, str, str]] = []  # (tag, id, text)
        self.tables: list[list[list[str]]] = []
        self.codes: list[str] = []
        self.tab_labels: list[list[str]] = []
        self.links: list[str] = []
        self._heading: tuple[str, str] | None = None
        self._buf: list[str] | None = None  # text of the current heading, cell, code block or label
        self._in_labels = False
        self._skip = 0  # headerlink anchors (¶)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        cls = a.get("class") or ""
        if tag == "a" and "headerlink" in cls:
            self._skip += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("h1", "h2", "h3"):
            self._heading, self._buf = (tag, a.get("id") or ""), []
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._buf = []
        elif tag == "pre":
            self._buf = []
        elif tag == "div" and "tabbed-labels" in cls:
            self._in_labels = True
            self.tab_labels.append([])
        elif tag == "label" and self._in_labels:
            self._buf = []

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if not self.depth:
            return
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag in ("h1", "h2", "h3") and self._heading and self._buf is not None:
            text = "".join(self._buf).strip()
            self.headings.append((self._heading[0], self._heading[1], text))
            if tag == "h1":
                self.h1 = text
            self._heading, self._buf = None, None
        elif tag in ("td", "th") and self._buf is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(" ".join("".join(self._buf).split()))
            self._buf = None
        elif tag == "pre" and self._buf is not None:
            self.codes.append("".join(self._buf))
            self._buf = None
        elif tag == "label" and self._in_labels and self._buf is not None:
            self.tab_labels[-1].append("".join(self._buf).strip())
            self._buf = None
        elif tag == "div" and self._in_labels:
            self._in_labels = False

    def handle_data(self, data):
        if not self.depth or self._skip:
            return
        self.text.append(data)
        if self._buf is not None:
            self._buf.append(data)

    @property
    def plain(self) -> str:
        return " ".join("".join(self.text).split())

    def table(self, first_header: str) -> list[dict[str, str]]:
        """The first table whose first header cell is `first_header`, as dicts keyed by header."""
        for t in self.tables:
            if t and t[0] and t[0][0] == first_header:
                return [dict(zip(t[0], row)) for row in t[1:]]
        raise AssertionError(f"no table starting with {first_header!r}")

    def table_with(self, *headers: str) -> list[dict[str, str]]:
        """The first table that has all these header cells."""
        for t in self.tables:
            if t and set(headers) <= set(t[0]):
                return [dict(zip(t[0], row)) for row in t[1:]]
        raise AssertionError(f"no table with headers {headers!r}")

    def tables_starting(self, first_header: str) -> list[list[dict[str, str]]]:
        return [[dict(zip(t[0], row)) for row in t[1:]] for t in self.tables if t and t[0] and t[0][0] == first_header]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The whole site, built once into a temp dir."""
    out = tmp_path_factory.mktemp("apiref") / "site"
    build(ROOT / "catalog", ROOT / "openapi.yaml", out)
    return out


def page(built: Path, op_id: str) -> Doc:
    return Doc((built / "api" / op_id / "index.html").read_text("utf-8"))


def twin(built: Path, op_id: str) -> str:
    return (built / "api" / f"{op_id}.md").read_text("utf-8")


def outside_code(text: str) -> str:
    """Markdown with its fenced code blocks and code spans removed."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


# ---------------------------------------------------------------------------------------------- operations

def test_pages_follow_spec_order_then_run_events(inputs):
    paths = [p.path for p in api_pages(inputs.catalog, inputs.spec)]
    assert paths == [f"api/{op.id}.md" for op in inputs.spec.operations] + ["api/run-events.md"]
    assert len(paths) == 14


def test_every_operation_page_shows_title_method_path_url_and_auth(built, inputs):
    for op in inputs.spec.operations:
        doc = page(built, op.id)
        assert doc.h1 == op.summary, op.id
        assert f"{op.method} {op.path}" in doc.plain, op.id
        assert f"{op.method} https://api.empiriolabs.ai{op.path}" in doc.plain, op.id
        first_sentence = " ".join(op.description.split()).split(". ")[0].replace("`", "")
        assert first_sentence in doc.plain, op.id
        auth = doc.table("Header")
        assert [row["Header"] for row in auth] == [f"Authorization: Bearer {KEY}", f"x-api-key: {KEY}"], op.id


def test_twins_exist_and_contain_no_html(built, inputs):
    for op_id in [op.id for op in inputs.spec.operations] + ["run-events"]:
        text = twin(built, op_id)
        assert text.startswith("# "), op_id
        assert not re.search(r"</?[A-Za-z][^>]*>", outside_code(text)), op_id
        assert not re.search(r'^(=== "|!!! |\?\?\? )', outside_code(text), flags=re.M), op_id


def test_path_and_query_parameters_table(built):
    (job_id,) = page(built, "retrieve-job").table("Name")
    assert (job_id["Name"], job_id["In"], job_id["Type"], job_id["Required"]) == ("job_id", "path", "string", "yes")
    (available,) = page(built, "list-models").table("Name")
    assert (available["Name"], available["In"], available["Type"], available["Required"]) == \
        ("available", "query", "boolean", "no")


def test_request_fields_mark_required_fields(built):
    fields = {r["Field"]: r for r in page(built, "create-message").table("Field")}
    for name in ("model", "messages", "max_tokens"):
        assert fields[name]["Required"] == "yes", name
    for name in ("temperature", "system", "stream", "tools"):
        assert fields[name]["Required"] == "no", name
    assert "Limits: 1 to 65536" in fields["max_tokens"]["Description"]
    chat = {r["Field"]: r for r in page(built, "create-chat-completion").table("Field")}
    assert chat["max_tokens"]["Required"] == "no"
    assert "Default: 4096" in chat["max_tokens"]["Description"]
    assert "Limits: 0 to 2" in chat["temperature"]["Description"] and "Default: 0.7" in chat["temperature"]["Description"]


def test_nested_and_union_fields_are_flattened(built):
    chat = {r["Field"]: r for r in page(built, "create-chat-completion").table("Field")}
    for name in ("messages[].role", "messages[].content", "messages[].content[].type", "messages[].tool_call_id",
                 "tools[].function.name", "response_format.json_schema.schema", "stream_options.include_usage"):
        assert name in chat, name
    assert chat["messages[].content"]["Type"] == "string | array | null"
    assert chat["stop"]["Type"] == "string | array of string"
    assert "Only when role is tool" in chat["messages[].tool_call_id"]["Description"]
    # past the depth limit, nested fields are named in a sentence instead of rows of their own
    assert "messages[].content[].image_url.url" not in chat
    assert "Has the fields url (required), detail." in chat["messages[].content[].image_url"]["Description"]
    # aliases of disable_formatting share its row
    assert "raw" not in chat and "Also accepted as raw, passthrough or raw_response" in \
        chat["disable_formatting"]["Description"]


def test_enum_values_are_shown(built):
    chat = {r["Field"]: r for r in page(built, "create-chat-completion").table("Field")}
    assert "Values: system, user, assistant, tool." in chat["messages[].role"]["Description"]
    assert "Values: low, medium, high." in chat["reasoning_effort"]["Description"]
    message = {r["Field"]: r for r in page(built, "create-message").table("Field")}
    assert "Values: user, assistant." in message["messages[].role"]["Description"]
    image = {r["Field"]: r for r in page(built, "create-image").table("Field")}
    assert "1024x1024" in image["size"]["Description"] and 'Default: "1024x1024"' in image["size"]["Description"]


def test_responses_list_status_codes_and_content_types(built):
    rows = {r["Status"]: r for r in page(built, "create-chat-completion").table("Status")}
    assert list(rows) == ["200", "400", "401", "402", "404", "429", "5XX"]
    assert "application/json (ChatCompletion)" in rows["200"]["Content"]
    assert "text/event-stream (ChatCompletionStream)" in rows["200"]["Content"]
    video = {r["Status"]: r for r in page(built, "create-video").table("Status")}
    assert "application/json (Job)" in video["202"]["Content"]
    doc = page(built, "create-chat-completion")
    ids = {h[1] for h in doc.headings}
    assert {"chatcompletion", "chatcompletionstream", "openaierror"} <= ids
    assert "#chatcompletion" in doc.links and "#openaierror" in doc.links


@pytest.mark.parametrize("op_id, shape, codes", [
    ("create-chat-completion", '{"error": {"message", "type", "code", "param"}}',
     {"401": "missing_api_key, invalid_api_key", "402": "insufficient_credits", "404": "model_not_found",
      "429": "rate_limit_exceeded", "5XX": "upstream_error, model_unavailable"}),
    ("create-message", '{"type": "error", "error": {"type", "message"}}',
     {"401": "invalid_api_key", "402": "insufficient_credits", "404": "model_not_found",
      "429": "rate_limit_exceeded", "5XX": "upstream_error, model_unavailable"}),
])
def test_errors_show_codes_and_shape(built, op_id, shape, codes):
    doc = page(built, op_id)
    errors = {r["Status"]: r for r in doc.table_with("Status", "Code")}
    assert list(errors) == ["400", "401", "402", "404", "429", "5XX"]
    for status, code in codes.items():
        assert errors[status]["Code"] == code, status
    assert errors["400"]["Code"] == "—"  # validation errors carry no code
    assert shape in doc.plain
    example = next(json.loads(c) for c in doc.codes if c.lstrip().startswith("{") and '"error"' in c
                   and '"authentication_error"' in c)
    assert ("type" in example) == (op_id == "create-message")


def test_job_not_found_is_listed_on_retrieve_job(built):
    errors = {r["Status"]: r for r in page(built, "retrieve-job").table_with("Status", "Code")}
    assert errors["404"]["Code"] == "job_not_found"


def test_example_requests_are_tabs_with_the_key_from_the_environment(built, inputs):
    chat = page(built, "create-chat-completion")
    assert chat.tab_labels[0] == ["cURL", "Python", "JavaScript"]
    assert len(chat.tab_labels) >= 6  # one tab set per request example of the spec
    curl = next(c for c in chat.codes if c.startswith("curl "))
    assert f'-H "Authorization: Bearer {KEY}"' in curl and '"model": "qwen3-max"' in curl
    message = page(built, "create-message")
    assert message.tab_labels[0] == ["cURL", "Anthropic SDK"]
    assert any("anthropic.Anthropic(" in c and "max_tokens=256" in c for c in message.codes)
    models = page(built, "list-models")
    assert models.tab_labels == [["cURL", "Python", "JavaScript"]]
    assert any("client.models.list()" in c for c in models.codes)
    assert any('client.models.retrieve("nova-micro-1-0")' in c for c in page(built, "retrieve-model").codes)
    job = page(built, "retrieve-job")
    assert any("requests.get(" in c for c in job.codes) and any("fetch(" in c for c in job.codes)
    assert any(c.startswith("curl https://api.empiriolabs.ai/v1/jobs/job_vid_9a2d5b6e13") for c in job.codes)
    transcription = page(built, "create-transcription")
    assert any("-F file=@meeting.mp3" in c for c in transcription.codes)  # the spec's `@meeting.mp3`, once
    for op in inputs.spec.operations:  # every Python tab is valid Python
        text = twin(built, op.id)
        for block in re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M):
            ast.parse(block)


def test_example_responses_are_pretty_json(built):
    doc = page(built, "create-chat-completion")
    replies = [json.loads(c) for c in doc.codes if c.lstrip().startswith("{") and '"chat.completion"' in c]
    assert replies and replies[0]["choices"][0]["message"]["role"] == "assistant"
    pretty = next(c for c in doc.codes if '"chat.completion"' in c and c.lstrip().startswith("{"))
    assert pretty.count("\n") > 5
    assert any(c.startswith("data: {") and "[DONE]" in c for c in doc.codes)  # the streamed example, as text
    assert "202 · application/json" in page(built, "create-video").plain


def test_models_that_serve_the_endpoint(built, catalog):
    doc = page(built, "create-transcription")
    served = [m for m in catalog.models if "/v1/audio/transcriptions" in m.endpoints]
    for m in served:
        assert f"../../models/{m.id}/" in doc.links
        assert (built / "models" / m.id / "index.html").is_file()
    chat = page(built, "create-chat-completion")
    count = sum("/v1/chat/completions" in m.endpoints for m in catalog.models)
    assert count > 20 and f"{count} models serve POST /v1/chat/completions" in chat.plain
    assert "../../pricing/" in chat.links
    assert "Models that serve this endpoint" not in page(built, "list-models").plain


def test_run_events_page(built):
    doc = Doc((built / "api" / "run-events" / "index.html").read_text("utf-8"))
    assert doc.h1 == "Run events (WebSocket)"
    assert "wss://realtime.empiriolabs.ai/v1/runs/events" in doc.plain
    events = [r["Event"] for r in doc.table("Event")]
    assert events == ["run.queued", "run.completed", "run.failed"]
    subscribe, *payloads = doc.tables_starting("Field")
    assert {r["Field"]: r["Required"] for r in subscribe} == {"runId": "yes", "projectId": "no"}
    assert [r["Field"] for r in payloads[1]] == ["type", "runId", "occurredAt", "status", "output", "output.text"]
    assert "Values: run.failed." in payloads[2][0]["Description"]
    assert {json.loads(c)["type"] for c in doc.codes if '"type"' in c} == set(events)


# ---------------------------------------------------------------------------------------------- escaping, errors

def test_spec_text_is_escaped_but_code_spans_keep_their_quotes(inputs):
    data = copy.deepcopy(inputs.spec.data)
    op_raw = data["paths"]["/v1/chat/completions"]["post"]
    op_raw["description"] = 'Use <script>alert(1)</script> & "quotes"; send `{"a": "<b>"}` as is.'
    data["components"]["schemas"]["CreateChatCompletionRequest"]["properties"]["user"]["description"] = \
        "An id | <img src=x onerror=alert(1)> for `a<b`."
    spec = Spec(YamlDoc(inputs.spec.doc.path, data, inputs.spec.doc.lines))
    op = spec.operation("POST", "/v1/chat/completions")
    view = operation_page(inputs.catalog, spec, op)
    glob = site_module.template_globals(inputs.catalog)
    p = Page(op.url, op.summary, "pages/operation.md.j2", view)
    for is_twin in (False, True):
        text = Renderer(glob, twin=is_twin).render(p)
        assert "<script" not in outside_code(text) and "<img" not in outside_code(text)
        assert '`{"a": "<b>"}`' in text and "`a<b`" in text  # code spans verbatim, quotes unescaped
        assert "&#34;" not in re.sub(r' data-(?:json|servers)="[^"]*"', "", text)  # the console's JSON data aside
    html = markdown.markdown(Renderer(glob, twin=False).render(p), extensions=["tables", "attr_list", "md_in_html"])
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and '<code>{"a": "&lt;b&gt;"}</code>' in html
    row = next(line for line in html.split("<tr>") if '<td><code class="field-name">user</code></td>' in line)
    assert "An id | &lt;img" in row  # the pipe stayed inside its cell


def test_missing_asyncapi_is_a_build_error(tmp_path):
    with pytest.raises(BuildError) as err:
        load_asyncapi(tmp_path / "asyncapi.yaml")
    (problem,) = err.value.problems
    assert problem.file.endswith("asyncapi.yaml") and "not found" in problem.message


def test_broken_asyncapi_reports_file_and_line(tmp_path):
    path = tmp_path / "asyncapi.yaml"
    path.write_text("asyncapi: 2.6.0\ninfo: [unclosed\n", "utf-8")
    with pytest.raises(BuildError) as err:
        load_asyncapi(path)
    assert err.value.problems[0].line >= 2 and "YAML syntax error" in err.value.problems[0].message
    text = (ROOT / "asyncapi.yaml").read_text("utf-8")
    bad = text.replace("            status: failed\n", "            status: lost\n", 1)
    assert bad != text
    path.write_text(bad, "utf-8")
    with pytest.raises(BuildError) as err:
        load_asyncapi(path)
    (problem,) = err.value.problems
    assert "run.failed" in problem.message and "'failed' was expected" in problem.message
    assert bad.splitlines()[problem.line - 1].strip() == "status: lost"
    assert problem.path == "$.components.messages.RunFailed.examples[0].payload.status"


@pytest.mark.parametrize("old, new, path, line", [
    ("$ref: '#/components/messages/RunFailed'", "$ref: '#/components/messages/RunLost'",
     "$.channels['/v1/runs/events'].subscribe.message", "oneOf:"),
    ("$ref: '#/components/schemas/SubscribeRequest'", "$ref: '#/components/schemas/Subscribe~1Request'",
     "$.components.messages.Subscribe", "messageId: subscribe"),
])
def test_an_asyncapi_ref_to_nowhere_is_reported_where_it_is_written(tmp_path, old, new, path, line):
    text = (ROOT / "asyncapi.yaml").read_text("utf-8")
    bad = text.replace(old, new, 1)
    assert bad != text
    (tmp_path / "asyncapi.yaml").write_text(bad, "utf-8")
    with pytest.raises(BuildError) as err:
        load_asyncapi(tmp_path / "asyncapi.yaml")
    (problem,) = err.value.problems
    what = "message" if path.startswith("$.channels") else "payload"
    assert problem.message == f"the {what} cannot be resolved: check its `$ref`"
    assert (problem.path, bad.splitlines()[problem.line - 1].strip()) == (path, line)


def test_shipped_asyncapi_is_a_clean_2_6_document(inputs):
    view = run_events_page(load_asyncapi(ROOT / "asyncapi.yaml"))
    assert (view.server, view.protocol, view.channel) == ("wss://realtime.empiriolabs.ai", "wss", "/v1/runs/events")
    assert [m.name for m in view.send] == ["subscribe"]
    assert [m.name for m in view.receive] == ["run.queued", "run.completed", "run.failed"]
