"""The Try it console, driven in Chromium against a stand-in gateway on loopback (tests/browser/gateway.py).

The site is built from tests/golden/catalog with `try_it_servers` naming the stand-in (and a closed port, the
"blocked" case). Each test opens a console, sends a real request and checks what a reader sees, what the
stand-in received, and where the key went."""

from __future__ import annotations

import json
import os
import re
import shlex
import threading
from decimal import Decimal
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from generator import build as build_mod

from . import gateway as gw_mod
from .conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser
GOLDEN = ROOT / "tests" / "golden" / "catalog"
CLOSED = "http://127.0.0.1:9"  # nothing listens there: the browser cannot reach it
KEY = gw_mod.KEY
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"


def expect():
    from playwright.sync_api import expect as _expect

    return _expect


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="module")
def gateway():
    gw, server = gw_mod.start()
    try:
        yield gw
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def tryit_site(tmp_path_factory, gateway):
    """The golden catalog's site, built with `try_it_servers` naming the stand-in, served on loopback."""
    root = tmp_path_factory.mktemp("tryit")
    for name in ("templates", "openapi.yaml", "asyncapi.yaml"):
        (root / name).symlink_to(ROOT / name)
    (root / "catalog").symlink_to(GOLDEN)
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    text = text.replace(
        "      templates: templates\n", f"      templates: templates\n      try_it_servers: [{gateway.url}, {CLOSED}]\n"
    )
    assert "try_it_servers" in text
    (root / "mkdocs.yml").write_text(text, "utf-8")
    out = root / "site"
    build_mod.build(config_file=root / "mkdocs.yml", out=out, engine=os.environ.get("DOCS_ENGINE", "mkdocs"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(out)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Watch:
    """Every request the page makes (URL and headers), every script error and every dialog."""

    def __init__(self, page, site_url: str, gateway_url: str):
        self.requests: list[tuple[str, dict]] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.allowed = (site_url, gateway_url + "/", CLOSED + "/")
        page.on("request", lambda r: self.requests.append((r.url, r.headers)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def other_hosts(self) -> list[str]:
        # The theme's instant navigation reads the sitemap from site_url (aborted here): not the console's.
        return [
            u
            for u, _ in self.requests
            if not u.startswith(self.allowed) and not u.startswith("data:") and not u.endswith("/sitemap.xml")
        ]

    def keyed(self) -> list[str]:
        """The URLs every request carrying the key went to."""
        return [u for u, h in self.requests if KEY in json.dumps(h)]


@pytest.fixture
def ctx(browser, tryit_site):
    c = browser.new_context(viewport=DESKTOP, base_url=tryit_site, color_scheme="light")
    c.set_default_timeout(15_000)
    c.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://"), lambda route: route.abort())
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def page(ctx, tryit_site, gateway):
    p = ctx.new_page()
    p.watch = Watch(p, tryit_site, gateway.url)
    yield p
    assert p.watch.errors == []
    assert p.watch.dialogs == []
    assert p.watch.other_hosts() == []


def open_console(page, path: str):
    page.goto(path)
    section = page.locator("section.try-it")
    section.get_by_role("button", name="Open the console").click()
    expect()(section.locator(".try-it-console")).to_be_visible()
    return section


def body_of(section) -> dict:
    return json.loads(section.get_by_label("Request body (JSON)").input_value())


def send(page, section, key: str = KEY):
    section.get_by_label("API key", exact=True).fill(key)
    section.get_by_role("button", name="Send request").click()


def response(section):
    return section.get_by_role("region", name="Response")


def wait_done(section, state="done", timeout=30_000):
    expect()(response(section)).to_have_attribute("data-state", state, timeout=timeout)


def curl_json(code: str) -> dict:
    """The JSON body of a copied cURL command, as a shell reads it."""
    words = shlex.split(code.replace("\\\n", " "))
    return json.loads(words[words.index("-d") + 1])


def hand_cost(model_file: str, input_tokens: int, cached: int, output: int) -> str:
    """The cost from the catalog YAML, computed here by hand: uncached input, cached input at the cache
    discount, output; every rate per `per` tokens."""
    data = yaml.safe_load((GOLDEN / "models" / model_file).read_text("utf-8"))
    rows = {r["direction"]: r for r in data["pricing"] if r.get("unit") == "token"}
    rate = {d: Decimal(str(r["amount"])) / Decimal(r["per"]) for d, r in rows.items()}
    off = next((Decimal(d["percent"]) for d in data.get("discounts", []) if d["applies_to"] == "cached_input"), None)
    total = (input_tokens - cached) * rate["input"] + output * rate["output"]
    if cached:
        total += cached * rate["input"] * (100 - off) / 100
    text = f"{total.normalize():f}"
    whole, _, frac = text.partition(".")
    return f"${int(whole):,}.{frac.ljust(2, '0')}"


# --- streaming, one test per event format ------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["/v1/chat/completions", "/v1/responses", "/v1/messages"])
def test_a_streamed_reply_grows_and_ends_with_status_timing_usage_and_cost(page, gateway, endpoint):
    gateway.usage = {"input": 14, "cached": 6, "output": 19}
    section = open_console(page, "models/nova-micro-1-0/")
    select = section.get_by_label("Endpoint")
    select.select_option(label=select.locator("option").filter(has_text=f"POST {endpoint} ·").inner_text())
    section.get_by_label("Stream the reply").check()
    shown = body_of(section)
    assert shown["stream"] is True and shown["model"] == "nova-micro-1-0"
    section.locator("summary", has_text="Copy as code").click()
    copied = section.locator(".try-it-code code").inner_text()
    before = len(gateway.posts())
    send(page, section)
    out = section.locator(".try-it-output")
    wait_done(section, "streaming")
    expect()(out).not_to_have_text("")
    first = len(out.inner_text())
    page.wait_for_timeout(900)
    if response(section).get_attribute("data-state") == "streaming":  # still open: it must have grown
        assert len(out.inner_text()) > first
    assert 0 < first < len(gateway.reply)
    wait_done(section)
    assert out.inner_text() == gateway.reply
    received = gateway.posts()[before]
    assert received.path == endpoint and received.problems == []
    assert received.json == shown == curl_json(copied)  # what was sent is what was shown and copied
    assert received.headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in copied and "$EMPIRIOLABS_API_KEY" in copied
    metrics = section.locator(".try-it-metrics").inner_text()
    assert re.search(
        r"time to first token \d+ ms · [\d.]+ tokens/s · usage: 14 input tokens \(6 cached\), 19 output tokens", metrics
    )
    assert section.locator(".try-it-status").inner_text().startswith("200 OK · done in ")
    cost = section.locator(".try-it-cost").inner_text()
    assert cost.startswith(f"Cost of this call: {hand_cost('amazon/nova-micro-1-0.yaml', 14, 6, 19)} (")
    assert (
        hand_cost("amazon/nova-micro-1-0.yaml", 14, 6, 19) == "$0.0000034944"
    )  # 8 x 0.04 + 6 x 0.0224 + 19 x 0.16, per 1M


def test_cancel_stops_a_stream_in_flight(page, gateway):
    section = open_console(page, "models/nova-micro-1-0/")
    section.get_by_label("Stream the reply").check()
    send(page, section)
    wait_done(section, "streaming")
    section.get_by_role("button", name="Cancel").click()
    wait_done(section, "cancelled")
    assert section.locator(".try-it-status").inner_text().startswith("Cancelled")
    expect()(section.get_by_role("button", name="Send request")).to_be_enabled()


# --- the other endpoint kinds ------------------------------------------------------------------------


def test_an_image_job_is_polled_until_done_and_the_image_shown(page, gateway):
    section = open_console(page, "models/qwen-image-2-0/")
    send(page, section)
    expect()(section.locator(".try-it-status")).to_contain_text("is running", timeout=10_000)
    wait_done(section)
    img = section.locator(".try-it-media img")
    expect()(img).to_have_attribute("src", f"{gateway.url}/media/out.png")
    assert page.evaluate("(img) => img.complete && img.naturalWidth", img.element_handle()) == 2
    polls = [r for r in gateway.received if r.method == "GET" and r.path.startswith("/v1/jobs/")]
    assert len(polls) >= gateway.polls + 1
    assert "Cost of this call: Qwen-Image-2.0 is priced per image" in section.locator(".try-it-cost").inner_text()


def test_a_video_job_is_polled_with_the_job_endpoint_the_spec_names(page, gateway):
    section = open_console(page, "models/wan-2-7/")
    before = len(gateway.received)
    send(page, section)
    wait_done(section)
    later = gateway.received[before:]
    assert later[0].path == "/v1/videos/generations" and later[0].problems == []
    assert {r.path for r in later[1:]} == {"/v1/jobs/job_%d" % len(gateway.jobs)}
    assert "succeeded" in section.locator(".try-it-output").inner_text()


def test_speech_is_playable(page, gateway):
    section = open_console(page, "models/glm-tts/")
    send(page, section)
    wait_done(section)
    audio = section.locator(".try-it-media audio")
    expect()(audio).to_have_attribute("src", f"{gateway.url}/media/speech.wav")
    assert audio.get_attribute("controls") is not None
    page.wait_for_function("() => document.querySelector('.try-it-media audio').readyState >= 1")


def test_a_file_is_uploaded_for_transcription(page, gateway, tmp_path):
    clip = tmp_path / "meeting.wav"
    clip.write_bytes(gw_mod.wav())
    section = open_console(page, "models/deepgram-nova-3/")
    section.get_by_label("file (file to upload)").set_input_files(str(clip))
    section.locator("summary", has_text="Copy as code").click()
    copied = section.locator(".try-it-code code").inner_text()
    assert "-F 'file=@meeting.wav'" in copied
    before = len(gateway.posts())
    send(page, section)
    wait_done(section)
    received = gateway.posts()[before]
    assert received.problems == [] and received.form["file"] == "meeting.wav"
    assert received.form["model"] == "deepgram-nova-3"
    assert section.locator(".try-it-output").inner_text() == gateway.reply


def test_a_search_reply_is_shown_as_json(page, gateway):
    section = open_console(page, "models/exa-search/")
    send(page, section)
    wait_done(section)
    assert json.loads(section.locator(".try-it-output").inner_text())["model"] == "exa-search"


def test_the_operation_page_picks_a_model_and_its_parameters(page, gateway):
    gateway.usage = {"input": 20, "cached": 0, "output": 30}
    section = open_console(page, "api/create-chat-completion/")
    section.get_by_label("Model").select_option(label="Mistral Medium 3.1 (mistral-medium-3-1)")
    # the model's parameters load on the way: wait for the body to name it, not for the (old) form
    expect()(section.get_by_label("Request body (JSON)")).to_have_value(re.compile(r'"model": "mistral-medium-3-1"'))
    expect()(section.locator(".try-it-params")).to_be_visible()
    section.get_by_label("temperature").fill("0.5")
    assert body_of(section)["temperature"] == 0.5
    before = len(gateway.posts())
    send(page, section)
    wait_done(section)
    assert gateway.posts()[before].json == body_of(section)
    cost = hand_cost("mistral/mistral-medium-3-1.yaml", 20, 0, 30)
    assert cost == "$0.0000884"  # 20 x 0.52 + 30 x 2.60, per 1M
    assert section.locator(".try-it-cost").inner_text().startswith(f"Cost of this call: {cost} (")


# --- the form ----------------------------------------------------------------------------------------


def test_values_out_of_range_are_flagged_before_sending(page):
    section = open_console(page, "models/nova-micro-1-0/")
    section.get_by_label("temperature").fill("5")
    flags = section.locator(".try-it-flags")
    expect()(flags).to_contain_text("temperature is 5, above the maximum 2")
    expect()(section.get_by_label("temperature")).to_have_attribute("aria-invalid", "true")
    body = section.get_by_label("Request body (JSON)")
    body.fill('{"model": "nova-micro-1-0", "max_tokens": 9000}')
    expect()(flags).to_contain_text("max_tokens is 9000, above the maximum 5000")
    assert section.get_by_label("max_tokens").input_value() == "9000"
    body.fill('{"model": ')
    expect()(flags).to_have_text("The request body is not valid JSON.")


def test_copy_as_code_gives_the_request_in_three_languages(page, ctx):
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    section = open_console(page, "models/nova-micro-1-0/")
    section.get_by_label("API key", exact=True).fill(KEY)
    section.locator("summary", has_text="Copy as code").click()
    shown = body_of(section)
    for lang, marker in (("cURL", "curl "), ("Python", "requests.post("), ("JavaScript", "await fetch(")):
        section.get_by_label("Language").select_option(label=lang)
        section.get_by_role("button", name="Copy", exact=True).click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert marker in copied and KEY not in copied and "EMPIRIOLABS_API_KEY" in copied
        if lang == "cURL":
            assert curl_json(copied) == shown


# --- errors and failures -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "headers", "says"),
    [
        (400, {}, "Error 400 Bad Request: the gateway refused the request"),
        (402, {}, "Error 402 Payment Required: the account is out of credits."),
        (
            429,
            {"Retry-After": "17"},
            "Error 429 Too Many Requests: too many requests; retry after 17 seconds (Retry-After: 17).",
        ),
        (503, {}, "Error 503 Service Unavailable: the gateway or the model failed; retry shortly."),
    ],
)
def test_an_error_shows_the_gateways_own_body_and_status(page, gateway, status, headers, says):
    body = {"error": {"message": f"the gateway's own words for {status}", "type": "x", "code": "c"}}
    gateway.fail_next(status, body, headers)
    section = open_console(page, "models/nova-micro-1-0/")
    send(page, section)
    wait_done(section, "error")
    assert section.locator(".try-it-status").inner_text().startswith(says)
    assert json.loads(section.locator(".try-it-output").inner_text()) == body


def test_a_wrong_key_is_a_401(page, gateway):
    section = open_console(page, "models/nova-micro-1-0/")
    send(page, section, key="sk-empiriolabs-wrong")
    wait_done(section, "error")
    assert section.locator(".try-it-status").inner_text() == "Error 401 Unauthorized: the API key was not accepted."
    assert "Invalid API key." in section.locator(".try-it-output").inner_text()


def test_a_server_the_browser_cannot_reach_is_explained_with_the_curl(page):
    section = open_console(page, "models/nova-micro-1-0/")
    section.get_by_label("Server").select_option(CLOSED)
    send(page, section)
    wait_done(section, "blocked")
    status = section.locator(".try-it-status").inner_text()
    assert status.startswith(
        f"The browser could not reach {CLOSED}: there is no network, or that server does not allow calls"
    )
    curl = section.locator(".try-it-output").inner_text()
    assert curl.startswith(f"curl '{CLOSED}/v1/chat/completions'") and KEY not in curl


# --- text is data ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True])
def test_a_reply_of_markup_is_shown_as_text_and_runs_nothing(page, gateway, stream):
    evil = '<img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:alert(3)">x</a>'
    gateway.reply = evil
    try:
        section = open_console(page, "models/nova-micro-1-0/")
        if stream:
            section.get_by_label("Stream the reply").check()
        before = page.evaluate("document.querySelectorAll('img, script, a').length")
        send(page, section)
        wait_done(section)
        assert section.locator(".try-it-output").inner_text() == evil
        assert section.locator(".try-it-response img, .try-it-response script, .try-it-response a").count() == 0
        assert page.evaluate("document.querySelectorAll('img, script, a').length") == before
        gateway.fail_next(400, {"error": {"message": evil, "type": "x", "code": "c"}}, {})
        send(page, section)
        wait_done(section, "error")
        assert evil.replace('"', '\\"') in section.locator(".try-it-output").inner_text()
        assert page.evaluate("document.querySelectorAll('img, script, a').length") == before
    finally:
        gateway.reply = gw_mod.Gateway.reply


# --- the key and the address -------------------------------------------------------------------------


def storage(page) -> dict:
    return page.evaluate("""() => ({local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage),
                                    cookie: document.cookie, url: location.href})""")


def test_the_key_stays_in_memory_unless_remembered_in_this_tab(page, ctx, gateway):
    section = open_console(page, "models/nova-micro-1-0/")
    send(page, section)
    wait_done(section)
    kept = storage(page)
    assert all(KEY not in v for v in kept.values()), kept
    assert ctx.cookies() == []
    page.reload()
    section = open_console(page, "models/nova-micro-1-0/")
    assert section.get_by_label("API key", exact=True).input_value() == ""  # gone on reload

    section.get_by_label("API key", exact=True).fill(KEY)
    section.get_by_label("Remember the key in this tab").check()
    kept = storage(page)
    assert KEY in kept["session"] and KEY not in kept["local"] + kept["cookie"] + kept["url"]
    page.reload()
    section = open_console(page, "models/nova-micro-1-0/")
    assert section.get_by_label("API key", exact=True).input_value() == KEY
    expect()(section.get_by_label("Remember the key in this tab")).to_be_checked()
    section.get_by_label("Remember the key in this tab").uncheck()
    assert KEY not in storage(page)["session"]
    key = section.get_by_label("API key", exact=True)
    assert key.get_attribute("type") == "password" and key.get_attribute("autocomplete") == "off"
    assert set(page.watch.keyed()) <= {f"{gateway.url}/v1/chat/completions"}  # the key went to the server only
    assert ctx.cookies() == []


def test_the_address_cannot_change_the_server(page, gateway):
    before = len(gateway.posts())
    section = open_console(page, f"models/nova-micro-1-0/?server={CLOSED}&try_it_servers={CLOSED}#server={CLOSED}")
    assert section.get_by_label("Server").input_value() == gateway.url
    send(page, section)
    wait_done(section)
    assert len(gateway.posts()) == before + 1
    assert not [u for u, _ in page.watch.requests if u.startswith(CLOSED)]


def test_a_closed_console_loads_only_the_small_script(page, tryit_site):
    page.goto("models/nova-micro-1-0/")
    page.wait_for_load_state("networkidle")
    urls = [u for u, _ in page.watch.requests]
    assert any(u.endswith("/assets/try-it.js") for u in urls)
    assert not any("try-it-console" in u or "try-it.css" in u for u in urls)
    assert (ROOT / "templates" / "assets" / "try-it.js").stat().st_size < 3_000  # what a closed console costs
    open_console(page, "models/nova-micro-1-0/")
    assert any(u.endswith("/assets/try-it-console.js") for u, _ in page.watch.requests)


# --- fits the site -----------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_no_serious_axe_finding_in_an_open_console(browser, tryit_site, gateway, viewport, scheme):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: npm ci --prefix tests/js")
    c = browser.new_context(viewport=viewport, base_url=tryit_site, color_scheme=scheme)
    try:
        page = c.new_page()
        section = open_console(page, "models/nova-micro-1-0/")
        section.get_by_label("Stream the reply").check()
        section.locator("summary", has_text="Copy as code").click()
        send(page, section)
        wait_done(section)
        page.add_script_tag(content=AXE.read_text("utf-8"))
        result = page.evaluate("axe.run(document.querySelector('section.try-it'), {resultTypes: ['violations']})")
        found = [
            f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not found, "\n".join(found)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"]
        shots = ARTIFACTS / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.add_style_tag(content=".md-header { position: static; }")  # no sticky header over the shot
        section.screenshot(path=str(shots / f"try-it-{viewport['width']}-{scheme}.png"))
    finally:
        c.close()


def test_the_console_is_usable_with_the_keyboard(page, gateway):
    page.goto("models/nova-micro-1-0/")
    opener = page.get_by_role("button", name="Open the console")
    opener.focus()
    page.keyboard.press("Enter")
    section = page.locator("section.try-it")
    expect()(section.get_by_label("Server")).to_be_focused()
    page.keyboard.press("Tab")
    expect()(section.get_by_label("API key", exact=True)).to_be_focused()
    page.keyboard.type(KEY)
    section.get_by_role("button", name="Send request").focus()
    page.keyboard.press("Enter")
    wait_done(section)
    assert section.locator(".try-it-output").inner_text() == gateway.reply
