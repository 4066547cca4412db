"""The Try it console's build side: where it may send (try_it_servers, else openapi.yaml's servers), each
refused server reported with its file and line, and the data a page hands the console (views/tryit.py).
The console itself is driven in Chromium in tests/browser/test_try_it.py."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT

from generator.cli import main
from generator.views.tryit import server_problem

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://api.empiriolabs.ai", None),
        ("https://api.example.com:8443/base", None),
        ("http://127.0.0.1:8080", None),
        ("http://localhost:3000", None),
        ("http://[::1]:9000", None),
        ("http://127.5.6.7", None),
        ("/gateway", None),
        (
            "http://api.example.com",
            "http://api.example.com is plain http: on a host that is not loopback; use https:, or http: only on "
            "127.0.0.1, localhost or [::1] (a gateway on your own machine)",
        ),
        (
            "http://10.0.0.1",
            "http://10.0.0.1 is plain http: on a host that is not loopback; use https:, or http: "
            "only on 127.0.0.1, localhost or [::1] (a gateway on your own machine)",
        ),
        ("javascript:alert(1)", "javascript:alert(1) names no host"),
        (
            "ftp://files.example.com",
            "ftp://files.example.com has the scheme ftp:; use https: (or http: on a loopback address)",
        ),
        (
            "https://api.example.com/?key=1",
            "https://api.example.com/?key=1 has a query, a fragment or credentials; "
            "give the base URL alone, such as https://api.example.com",
        ),
        (
            "https://user:pw@api.example.com",
            "https://user:pw@api.example.com has a query, a fragment or "
            "credentials; give the base URL alone, such as https://api.example.com",
        ),
        ("//evil.example", "//evil.example has the scheme none:; use https: (or http: on a loopback address)"),
        (
            "/gateway?to=x",
            "/gateway?to=x is a path with a query, a fragment or a backslash; give a plain path such as /api",
        ),
    ],
)
def test_which_servers_the_console_may_call(url, problem):
    assert server_problem(url) == problem


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


def set_servers(project: Path, servers: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(
        text.replace("      templates: templates\n", f"      templates: templates\n      try_it_servers:\n{servers}"),
        "utf-8",
    )


def test_every_refused_server_is_reported_with_its_line(project, capsys):
    set_servers(
        project,
        "        - https://api.empiriolabs.ai\n        - http://api.example.com\n        - ftp://files.example.com\n",
    )
    config = project / "mkdocs.yml"
    first, second = line_of(config, "http://api.example.com"), line_of(config, "ftp://files")
    assert main(["build", "--out", "site"]) == 1
    assert capsys.readouterr().err == (
        f"mkdocs.yml:{first}: try_it_servers: http://api.example.com is plain http: on a host that is not "
        "loopback; use https:, or http: only on 127.0.0.1, localhost or [::1] (a gateway on your own machine)\n"
        f"mkdocs.yml:{second}: try_it_servers: ftp://files.example.com has the scheme ftp:; use https: "
        "(or http: on a loopback address)\n"
        "2 problems found; nothing was written.\n"
    )
    assert sorted(p.name for p in project.iterdir()) == PROJECT


def test_without_try_it_servers_a_refused_openapi_server_names_its_line(project, capsys):
    spec = project / "openapi.yaml"
    spec.write_text(
        spec.read_text("utf-8").replace(
            "  - url: https://api.empiriolabs.ai\n", "  - url: http://api.empiriolabs.ai\n", 1
        ),
        "utf-8",
    )
    line = line_of(spec, "  - url: http://api.empiriolabs.ai")
    assert main(["build", "--out", "site"]) == 1
    err = capsys.readouterr().err
    assert (
        f"openapi.yaml:{line}: servers: http://api.empiriolabs.ai is plain http: on a host that is not "
        "loopback; use https:, or http: only on 127.0.0.1, localhost or [::1] (a gateway on your own "
        "machine); or list the Try it console's servers in mkdocs.yml (try_it_servers)\n"
    ) in err


def console_data(page: str) -> tuple[list, dict]:
    """The servers and the data a built page hands its console, read back from the HTML attributes."""
    m = re.search(r'<div hidden class="try-it-data" data-servers="([^"]*)" data-json="([^"]*)"></div>', page)
    assert m, "no console on the page"
    return json.loads(html.unescape(m[1])), json.loads(html.unescape(m[2]))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The shipped site, built once with two servers."""
    import shutil

    root = tmp_path_factory.mktemp("tryit-build")
    for name in ("catalog", "templates"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("openapi.yaml", "asyncapi.yaml", "mkdocs.yml"):
        shutil.copy(ROOT / name, root / name)
    set_servers(root, "        - https://api.empiriolabs.ai\n        - /gateway\n")
    from generator import build

    build.build(config_file=root / "mkdocs.yml", out=root / "site")
    return root / "site"


def test_a_model_page_hands_its_console_the_catalogs_examples_parameters_and_rates(built):
    servers, data = console_data((built / "models/nova-micro-1-0/index.html").read_text("utf-8"))
    assert servers == ["https://api.empiriolabs.ai", "/gateway"]
    source = yaml.safe_load((ROOT / "catalog/models/amazon/nova-micro-1-0.yaml").read_text("utf-8"))
    assert [(e["path"], e["body"]) for e in data["endpoints"]] == [
        (ex["endpoint"], ex["body"]) for ex in source["examples"]
    ]
    assert [e["stream"] for e in data["endpoints"]] == ["chat", "responses", "messages"]
    max_tokens = next(p for p in data["params"] if p["name"] == "max_tokens")
    assert (max_tokens["min"], max_tokens["max"], max_tokens["type"]) == (1, 5000, "integer")
    assert data["plan"]["stretches"][-1]["input"] == ["0.040", 1000000]
    assert data["plan"]["stretches"][-1]["cached"] == ["0.0224", 1000000]  # 44% off 0.040
    assert data["key_env"] == "EMPIRIOLABS_API_KEY"


def test_a_job_endpoint_is_polled_where_the_spec_says(built):
    _, data = console_data((built / "models/wan-2-7/index.html").read_text("utf-8"))
    assert data["endpoints"][0]["job"] == "/v1/jobs/{job_id}"
    assert data["plan"] is None and data["price_note"].startswith("Wan 2.7 is priced per ")


def test_an_operation_page_lists_the_models_that_serve_it(built):
    _, data = console_data((built / "api/create-transcription/index.html").read_text("utf-8"))
    assert data["operation"]["content"] == "multipart" and data["operation"]["files"] == ["file"]
    assert [m[0] for m in data["models"]] == ["deepgram-nova-3", "openai-whisper-1"]
    assert data["models"][0][2] == "../../models/deepgram-nova-3/"
    _, job = console_data((built / "api/retrieve-job/index.html").read_text("utf-8"))
    assert job["operation"]["path_params"] == [["job_id", "job_vid_9a2d5b6e13"]] and job["models"] == []


def test_the_twin_and_llms_full_get_one_line(built):
    twin = (built / "models/nova-micro-1-0.md").read_text("utf-8")
    line = (
        "Try it: this page's HTML version has a console. Send a real request to the gateway from your browser "
        "with your API key, and see the reply, its timing and what the call cost."
    )
    assert twin.count("Try it") == 1 and line in twin
    assert "try-it-data" not in twin and "try-it-data" not in (built / "llms-full.txt").read_text("utf-8")


def test_catalog_text_reaches_the_console_as_data(built):
    page = (built / "models/nova-micro-1-0/index.html").read_text("utf-8")
    section = page[
        page.index('<section class="try-it"') : page.index("</section>", page.index('<section class="try-it"'))
    ]
    assert "<script" not in section
    assert re.fullmatch(r"[^<>]*", re.search(r'data-json="([^"]*)"', section)[1])


def test_past_the_picker_limit_an_operation_page_asks_for_a_model_id(inputs, monkeypatch):
    from generator.views import tryit

    op = inputs.spec.operation("POST", "/v1/chat/completions")
    listed = json.loads(tryit.operation_json(inputs.catalog, inputs.spec, op, None))
    assert len(listed["models"]) == sum(op.path in m.endpoints for m in inputs.catalog.models) > 1
    monkeypatch.setattr(tryit, "PICKER_MODELS", 1)
    data = json.loads(tryit.operation_json(inputs.catalog, inputs.spec, op, None))
    assert data["models"] is None and data["model_page"] == "../../models/{id}/"
