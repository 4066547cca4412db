"""The performance snapshot (the catalog plugin's `metrics` option): its problems, word for word with their
lines, and its figures on every page and file that carries them. Every snapshot here is written by the test;
the shipped catalog has none."""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path

import pytest

from generator import build as build_mod
from generator.cli import main
from generator.views import pages as views

ROOT = Path(__file__).resolve().parents[1]
WINDOW = {"start": "2026-11-26T00:00:00Z", "end": "2026-12-03T00:00:00Z"}
DAYS = ["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"]
NOVA_DAILY = [  # requests, success rate, latency, ttft, tokens/s (p50)
    (25012, 0.9994, 800, 305, 180.2),
    (26110, 0.9989, 830, 312, 184.0),
    (25870, 0.9991, 815, 309, 182.1),
    (24950, 0.9990, 805, 301, 185.7),
    (26400, 0.9993, 840, 318, 179.4),
    (27003, 0.9988, 826, 311, 181.9),
    (26995, 0.9992, 818, 308, 183.3),
]
FULL = {
    "generated_at": "2026-12-03T06:00:00Z",
    "window": WINDOW,
    "models": {
        "nova-micro-1-0": {
            "requests": 182340,
            "success_rate": 0.9991,
            "latency_ms": {"p50": 820, "p90": 1650},
            "ttft_ms": {"p50": 310, "p90": 680},
            "output_tokens_per_second": {"p50": 182.5, "p90": 231.0},
            "daily": [
                {"date": d, "requests": n, "success_rate": s, "latency_ms_p50": lat, "ttft_ms_p50": t,
                 "output_tokens_per_second_p50": tps}
                for d, (n, s, lat, t, tps) in zip(DAYS, NOVA_DAILY, strict=True)
            ],
        },
        "qwen3-max": {
            "requests": 5210,
            "success_rate": 0.982,
            "latency_ms": {"p50": 2400, "p90": 5100},
            "ttft_ms": {"p50": 540, "p90": 1320},
            "output_tokens_per_second": {"p50": 61.5, "p90": 78.0},
        },
        "wan2-7-image": {  # an image model: latency and success only
            "requests": 930,
            "success_rate": 0.97,
            "latency_ms": {"p50": 8200, "p90": 14000},
        },
        "qwen-image-2-0": {  # too little traffic to show figures
            "requests": 42,
            "success_rate": 1,
            "latency_ms": {"p50": 9000, "p90": 12000},
        },
    },
}


def write(path: Path, snapshot: dict) -> None:
    path.write_text(json.dumps(snapshot, indent=2) + "\n", "utf-8")


def use_metrics(project: Path, name: str = "metrics.json", extra: str = "") -> None:
    """Name the snapshot in the project's mkdocs.yml, under the catalog plugin."""
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    anchor = "      templates: templates\n"
    assert anchor in text
    config.write_text(text.replace(anchor, f"{anchor}      metrics: {name}\n{extra}", 1), "utf-8")


def line_of(path: Path, needle: str, after: str = "") -> int:
    """The line of the first `"needle"` (quoted when it is a key or an id) or bare number, after `after`."""
    lines = path.read_text("utf-8").splitlines()
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9._-]*|[0-9]{4}-[0-9]{2}-[0-9]{2}", needle):
        needle = f'"{needle}"'
    elif ": " in needle:  # `key: value` is the JSON `"key": value`
        key, value = needle.split(": ", 1)
        needle = f'"{key}": {value}'
    if after:
        after = f'"{after}"'
    start = next(i for i, l in enumerate(lines) if after in l) if after else 0
    return next(i for i, l in enumerate(lines[start:], start + 1) if needle in l)


def check(capsys) -> tuple[int, list[str]]:
    code = main(["check"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err.splitlines()


# --- bad snapshots -----------------------------------------------------------------------------------


def test_every_problem_of_a_snapshot_at_once_with_its_line(project, capsys):
    bad = copy.deepcopy(FULL)
    models = bad["models"]
    models["nova-micr-1-0"] = models.pop("nova-micro-1-0")  # an unknown id
    models["qwen3-max"]["success_rate"] = 1.2  # a rate above 1
    models["wan2-7-image"]["latency_ms"]["p50"] = -5  # a negative time
    models["qwen-image-2-0"]["ttft_ms"] = {"p50": 100, "p90": 200}  # an image model streams no tokens
    models["deepseek-v4-pro"] = {"requests": 500, "success_rate": 0.99, "latency_ms": {"p50": 900, "p90": 700}}
    bad["window"] = {"start": "2026-12-03T00:00:00Z", "end": "2026-11-26T00:00:00Z"}  # backwards
    snap = project / "metrics.json"
    write(snap, bad)
    use_metrics(project)
    code, lines = check(capsys)
    assert code == 1
    assert lines == [
        f"metrics.json:{line_of(snap, 'end')}: the window ends (2026-11-26T00:00:00Z) before it starts "
        "(2026-12-03T00:00:00Z): end is the later of the two at $.window.end",
        f"metrics.json:{line_of(snap, 'success_rate: 1.2')}: must be at most 1, not 1.2 "
        "at $.models.qwen3-max.success_rate",
        f"metrics.json:{line_of(snap, 'p50: -5')}: must be at least 0, not -5 at $.models.wan2-7-image.latency_ms.p50",
        f"metrics.json:{line_of(snap, 'ttft_ms', after='qwen-image-2-0')}: ttft_ms applies to streamed token "
        "output only, and qwen-image-2-0 does not stream tokens: remove it at $.models.qwen-image-2-0.ttft_ms",
        f"metrics.json:{line_of(snap, 'nova-micr-1-0')}: unknown model 'nova-micr-1-0' (did you mean "
        "'nova-micro-1-0'?) at $.models.nova-micr-1-0",
        f"metrics.json:{line_of(snap, 'p90: 700')}: p90 (700) is below p50 (900); a p90 is at least its p50 "
        "at $.models.deepseek-v4-pro.latency_ms.p90",
        "6 problems found.",
    ]
    # days can only be placed in a window that runs forwards
    bad["window"] = WINDOW
    models["deepseek-v4-pro"]["daily"] = [{"date": "2026-11-25", "requests": 9}, {"date": "2026-12-03", "requests": 1}]
    write(snap, bad)
    _, lines = check(capsys)
    assert lines[-3:-1] == [
        f"metrics.json:{line_of(snap, '2026-11-25')}: day 2026-11-25 is outside the window (2026-11-26 to "
        "2026-12-02); a day's figures belong to the window they were measured in "
        "at $.models.deepseek-v4-pro.daily[0].date",
        f"metrics.json:{line_of(snap, '2026-12-03')}: day 2026-12-03 is outside the window (2026-11-26 to "
        "2026-12-02); a day's figures belong to the window they were measured in "
        "at $.models.deepseek-v4-pro.daily[1].date",
    ]


def test_a_stale_snapshot_is_refused_against_the_catalogs_date_not_the_clock(project, capsys):
    # catalog/platform.yaml: updated 2026-11-23; a window ending 2026-11-08 is 15 days older, one too many
    stale = copy.deepcopy(FULL)
    stale["window"] = {"start": "2026-11-01T00:00:00Z", "end": "2026-11-08T00:00:00Z"}
    for m in stale["models"].values():
        m.pop("daily", None)
    write(project / "metrics.json", stale)
    use_metrics(project)
    n = line_of(project / "metrics.json", '"end"')
    assert check(capsys) == (1, [
        f"metrics.json:{n}: the window ended on 2026-11-08, 15 days before the catalog's updated date "
        "(2026-11-23, in platform.yaml); figures older than metrics_max_age_days (14) are refused: export a "
        "fresh snapshot at $.window.end",
        "1 problem found.",
    ])


def test_the_age_limit_is_an_option(project, capsys):
    stale = copy.deepcopy(FULL)
    stale["window"] = {"start": "2026-11-01T00:00:00Z", "end": "2026-11-08T00:00:00Z"}
    for m in stale["models"].values():
        m.pop("daily", None)
    write(project / "metrics.json", stale)
    use_metrics(project, extra="      metrics_max_age_days: 15\n")
    from generator.site import config as siteconfig

    options = siteconfig.read(project / "mkdocs.yml").metrics
    assert (options.max_age_days, options.min_requests) == (15, 100)
    from generator import pipeline

    inputs = pipeline.check(project / "catalog", project / "openapi.yaml", None, options)
    assert inputs.catalog.performance("nova-micro-1-0").requests == 182340


def test_a_snapshot_that_is_not_json(project, capsys):
    (project / "metrics.json").write_text('{\n  "generated_at": "2026-12-03T06:00:00Z",\n  "window": {,\n}\n', "utf-8")
    use_metrics(project)
    assert check(capsys) == (1, [
        "metrics.json:3: JSON syntax error, column 14: Expecting property name enclosed in double quotes",
        "1 problem found.",
    ])


def test_a_missing_snapshot_names_its_option(project, capsys):
    use_metrics(project, "nowhere.json")
    code, lines = check(capsys)
    assert code == 1
    n = next(i for i, l in enumerate((project / "mkdocs.yml").read_text("utf-8").splitlines(), 1)
             if l == "      metrics: nowhere.json")
    missing = project / "nowhere.json"
    assert lines[0] == (f"mkdocs.yml:{n}: plugin 'catalog' option 'metrics': "
                        f"The path '{missing}' isn't an existing file.")


# --- the figures on the site ---------------------------------------------------------------------------


def build_with_snapshot(work: Path) -> Path:
    """The shipped project copied into `work` and built with FULL as its metrics snapshot; the site's path."""
    import shutil

    for name in ("asyncapi.yaml", "mkdocs.yml", "openapi.yaml"):
        shutil.copy(ROOT / name, work / name)
    for name in ("catalog", "templates"):
        shutil.copytree(ROOT / name, work / name)
    write(work / "metrics.json", FULL)
    use_metrics(work)
    build_mod.build(config_file=work / "mkdocs.yml", out=work / "site")
    return work / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The shipped site built with FULL as its snapshot."""
    return build_with_snapshot(tmp_path_factory.mktemp("metrics"))


def visible(html_text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text)).split())


def section(page: str, heading: str) -> str:
    start = page.index(f'<h2 id="{heading}"')
    return page[start : page.index("<h2 ", start + 1)]


def test_the_model_page_shows_the_figures_with_their_window(site):
    page = (site / "models/nova-micro-1-0/index.html").read_text("utf-8")
    perf = section(page, "performance")
    text = visible(perf)
    assert ("Figures from the gateway's own traffic, measured over 7 days to 3 Dec 2026, on 182,340 requests."
            in text)
    assert ("Figure p50 p90 Time to first token 310 ms 680 ms Output speed 182.5 tokens/s 231 tokens/s "
            "Latency (whole request) 820 ms 1,650 ms Success rate 99.91% — Requests 182,340 —") in text
    # a chart of each figure by day, whose text alternative carries the same numbers
    labels = re.findall(r'<svg [^>]*role="img" aria-label="([^"]*)"', perf)
    assert [html.unescape(label).split(":")[0] for label in labels] == [
        "Requests by day", "Success rate by day", "Latency (p50) by day", "Time to first token (p50) by day",
        "Output tokens/s (p50) by day"]
    assert html.unescape(labels[3]) == (
        "Time to first token (p50) by day: 26 Nov 2026: 305 ms; 27 Nov 2026: 312 ms; 28 Nov 2026: 309 ms; "
        "29 Nov 2026: 301 ms; 30 Nov 2026: 318 ms; 1 Dec 2026: 311 ms; 2 Dec 2026: 308 ms")
    # the lowest day at the bottom of its chart, the highest at the top
    ttft = re.findall(r"<svg .*?</svg>", perf)[3]
    ys = [float(y) for y in re.findall(r'<circle cx="[^"]*" cy="([^"]*)"', ttft)]
    assert ys[3] == max(ys) and ys[4] == min(ys)
    assert "2 Dec 2026 26,995 99.92% 818 ms 308 ms 183.3 tokens/s" in text  # the table by day
    # the section sits with the key figures, before the specs
    assert page.index('id="performance"') < page.index('id="specs"')


def test_an_image_model_shows_latency_and_no_token_figures(site):
    text = visible(section((site / "models/wan2-7-image/index.html").read_text("utf-8"), "performance"))
    assert "Latency (whole request) 8,200 ms 14,000 ms Success rate 97% — Requests 930 —" in text
    assert "first token" not in text and "tokens/s" not in text


def test_low_traffic_shows_no_figures_and_an_unnamed_model_nothing(site):
    text = visible(section((site / "models/qwen-image-2-0/index.html").read_text("utf-8"), "performance"))
    assert text == ("Performance Not enough traffic to measure: 42 requests, measured over 7 days to 3 Dec 2026 "
                    "(figures are shown from 100 requests).")
    deepseek = (site / "models/deepseek-v4-pro/index.html").read_text("utf-8")
    assert 'id="performance"' not in deepseek and "measured over" not in deepseek
    assert "Performance" not in (site / "models/deepseek-v4-pro.md").read_text("utf-8")


def test_the_twin_carries_the_figures_in_markdown(site):
    twin = (site / "models/nova-micro-1-0.md").read_text("utf-8")
    start = twin.index("## Performance")
    assert twin[start : twin.index("## Specs")].splitlines()[:11] == [
        "## Performance",
        "",
        "Figures from the gateway's own traffic, measured over 7 days to 3 Dec 2026, on 182,340 requests. p50 is "
        "the median request, p90 the slowest tenth's threshold.",
        "",
        "| Figure | p50 | p90 |",
        "| --- | --- | --- |",
        "| Time to first token | 310 ms | 680 ms |",
        "| Output speed | 182.5 tokens/s | 231 tokens/s |",
        "| Latency (whole request) | 820 ms | 1,650 ms |",
        "| Success rate | 99.91% | — |",
        "| Requests | 182,340 | — |",
    ]
    assert "| 26 Nov 2026 | 25,012 | 99.94% | 800 ms | 305 ms | 180.2 tokens/s |" in twin


def test_models_json_and_each_models_json_carry_the_figures_and_window(site):
    listed = {m["id"]: m for m in json.loads((site / "models.json").read_text("utf-8"))["data"]}
    window = {"start": "2026-11-26T00:00:00Z", "end": "2026-12-03T00:00:00Z",
              "text": "measured over 7 days to 3 Dec 2026"}
    nova = listed["nova-micro-1-0"]["performance"]
    assert {k: v for k, v in nova.items() if k != "daily"} == {
        "window": window, "requests": 182340, "enough_traffic": True, "min_requests": 100,
        "success_rate": 0.9991, "latency_ms": {"p50": 820, "p90": 1650}, "ttft_ms": {"p50": 310, "p90": 680},
        "output_tokens_per_second": {"p50": 182.5, "p90": 231.0}}
    assert nova["daily"][0] == {"date": "2026-11-26", "requests": 25012, "success_rate": 0.9994,
                                "latency_ms_p50": 800, "ttft_ms_p50": 305, "output_tokens_per_second_p50": 180.2}
    assert listed["qwen-image-2-0"]["performance"] == {
        "window": window, "requests": 42, "enough_traffic": False, "min_requests": 100}
    assert "performance" not in listed["deepseek-v4-pro"]  # never a zero
    one = json.loads((site / "models/wan2-7-image.json").read_text("utf-8"))
    assert one["performance"] == {"window": window, "requests": 930, "enough_traffic": True, "min_requests": 100,
                                  "success_rate": 0.97, "latency_ms": {"p50": 8200, "p90": 14000}}
    table = {m["id"]: m for m in json.loads((site / "models/index.json").read_text("utf-8"))["data"]}
    assert {k: table["qwen3-max"][k] for k in ("measured", "requests", "ttft_ms_p50",
                                               "output_tokens_per_second_p50", "latency_ms_p50", "success_rate")} == {
        "measured": "measured over 7 days to 3 Dec 2026", "requests": 5210, "ttft_ms_p50": 540,
        "output_tokens_per_second_p50": 61.5, "latency_ms_p50": 2400, "success_rate": 0.982}


def test_llms_txt_lists_the_figures_beside_each_model(site):
    lines = (site / "llms.txt").read_text("utf-8").splitlines()
    nova = next(line for line in lines if line.startswith("- [Nova Micro 1.0]"))
    assert nova.endswith(" · p50 310 ms to first token, 182.5 tokens/s, 820 ms latency, 99.91% success "
                         "(measured over 7 days to 3 Dec 2026, 182,340 requests)")
    low = next(line for line in lines if line.startswith("- [Qwen-Image-2.0]"))
    assert low.endswith(" · not enough traffic to measure (measured over 7 days to 3 Dec 2026, 42 requests)")
    deepseek = next(line for line in lines if "models/deepseek-v4-pro.md" in line)
    assert "measured" not in deepseek


def test_the_pricing_page_has_the_speed_columns(site):
    page = (site / "pricing/index.html").read_text("utf-8")
    head = re.search(r'<table class="pricing-table" data-category="text">.*?</thead>', page, re.S)[0]
    assert re.findall(r'data-key="(ttft|speed)"[^>]*>([^<]*)<', head) == [("ttft", "TTFT (p50)"),
                                                                            ("speed", "Tokens/s (p50)")]

    def cells(model_id):
        row = re.search(rf'<tr data-id="{model_id}".*?</tr>', page, re.S)[0]
        return re.findall(r'<td data-value="([^"]*)" data-label="(?:TTFT|Tokens/s) \(p50\)" class="num">([^<]*)<', row)

    assert cells("nova-micro-1-0") == [("310", "310 ms"), ("182.5", "182.5")]
    assert cells("qwen3-max") == [("540", "540 ms"), ("61.5", "61.5")]
    assert cells("qwen-image-2-0") == [("", "low traffic"), ("", "low traffic")]
    assert cells("deepseek-v4-pro") == [("", "—"), ("", "—")]  # sorts last, either way
    twin = (site / "pricing.md").read_text("utf-8")
    assert "| TTFT (p50) | Tokens/s (p50) |" in twin
    assert "measured over 7 days to 3 Dec 2026" in visible(page)


def test_compare_has_a_performance_section(site):
    page = (site / "compare/index.html").read_text("utf-8")
    data = json.loads(html.unescape(re.search(r'id="compare-data" data-json="([^"]*)"', page)[1]))
    assert data["sections"] == ["Specs", "Pricing", "Performance", "Parameters", "Endpoints", "Capabilities"]
    assert data["models"]["nova-micro-1-0"]["facts"]["Performance"] == {
        "Measured": "Measured over 7 days to 3 Dec 2026", "Requests": "182,340",
        "Time to first token (p50)": "310 ms", "Time to first token (p90)": "680 ms",
        "Output speed (p50)": "182.5 tokens/s", "Output speed (p90)": "231 tokens/s",
        "Latency (p50)": "820 ms", "Latency (p90)": "1,650 ms", "Success rate": "99.91%"}
    assert data["models"]["qwen-image-2-0"]["facts"]["Performance"] == {
        "Measured": "Measured over 7 days to 3 Dec 2026", "Requests": "42", "Figures": "Not enough traffic to measure"}
    assert data["models"]["deepseek-v4-pro"]["facts"]["Performance"] == {}


def test_mcp_returns_the_figures_and_orders_by_them(site):
    from generator.mcpserver import Site

    docs = Site(site)
    nova = docs.get_model("nova-micro-1-0")
    assert nova["performance"]["ttft_ms"] == {"p50": 310, "p90": 680}
    assert nova["performance"]["window"]["text"] == "measured over 7 days to 3 Dec 2026"
    assert "performance" not in docs.get_model("deepseek-v4-pro")
    fastest = docs.list_models(category="text", order_by="ttft")
    assert [(m["id"], m.get("ttft_ms_p50")) for m in fastest[:3]] == [
        ("nova-micro-1-0", 310), ("qwen3-max", 540), (fastest[2]["id"], None)]
    speed = docs.list_models(order_by="tokens_per_second")
    assert [m["id"] for m in speed[:2]] == ["nova-micro-1-0", "qwen3-max"]
    latency = docs.list_models(order_by="latency")
    assert [(m["id"], m["latency_ms_p50"]) for m in latency[:3]] == [
        ("nova-micro-1-0", 820), ("qwen3-max", 2400), ("wan2-7-image", 8200)]
    with pytest.raises(ValueError, match="unknown order_by 'speed'; use one of: ttft, tokens_per_second, latency, "
                                         "success_rate"):
        docs.list_models(order_by="speed")


def test_the_shipped_catalog_has_no_snapshot_and_no_figures(inputs):
    assert inputs.catalog.performances == {}
    assert "metrics:" not in (ROOT / "mkdocs.yml").read_text("utf-8")
    page = views.model_page(inputs.catalog, inputs.spec, inputs.catalog.model("nova-micro-1-0"))
    assert page.performance is None


def test_the_performance_section_is_the_same_from_its_view_as_through_markdown(project, monkeypatch, capsys):
    from test_direct import build_both, differences

    write(project / "metrics.json", FULL)
    use_metrics(project)
    converted, rendered, _ = build_both(project, monkeypatch, capsys)
    assert differences(converted, rendered) == []
    page = rendered["models/nova-micro-1-0/index.html"].decode()
    assert '<h2 id="performance">Performance<a class="headerlink" href="#performance"' in page


def test_build_metrics_names_another_snapshot_and_a_bad_one_leaves_the_site(project, capsys):
    (project / "site").mkdir()
    (project / "site/index.html").write_text("previous\n", "utf-8")
    stale = copy.deepcopy(FULL)
    stale["window"] = {"start": "2026-11-01T00:00:00Z", "end": "2026-11-02T00:00:00Z"}
    for m in stale["models"].values():
        m.pop("daily", None)
    write(project / "fetched.json", stale)
    assert main(["build", "--out", "site", "--metrics", "fetched.json"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"fetched.json:{line_of(project / 'fetched.json', 'end')}: the window ended on 2026-11-02, 21 days before "
        "the catalog's updated date (2026-11-23, in platform.yaml); figures older than metrics_max_age_days (14) "
        "are refused: export a fresh snapshot at $.window.end",
        "1 problem found; nothing was written.",
    ]
    assert (project / "site/index.html").read_text("utf-8") == "previous\n"
    assert main(["build", "--out", "site", "--metrics", "nowhere.json"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "nowhere.json: cannot read the metrics snapshot: No such file or directory")
