"""What a contributor types cannot crash the build, put live script on a page, or stop a valid catalog.

Each test is one promise of the README's "Guarantees" section: the exact message and exit code for what
is refused, the built output for what is accepted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest

from generator import pipeline
from generator.site import linkcheck
from generator.views import render
from generator.load.yamlfile import YamlDoc
from generator.model import spec as spec_module
from generator.cli import main
from generator.problems import BuildError
from generator.validate.textpolicy import UrlPolicy, neutralize, text_problem
from helpers import NOVA, check, edit, line_of, write_tree

ALLOWED = ("a text field is plain text with *emphasis*, **strong**, `code` and links to https: URLs or to "
           "pages of this site: [text](https://…) or [text](/pricing.md)")


# ---- text fields: what check refuses -------------------------------------------------------------------

@pytest.mark.parametrize("text, why", [
    ("Fast model. [docs](javascript:alert(1))",
     "links to 'javascript:alert(1)', which is neither an https: URL nor a page of this site"),
    ("[docs](JaVaScRiPt:alert(1))", "links to 'JaVaScRiPt:alert(1)', which is neither an https: URL nor a page of this site"),
    ("[docs](java&#115;cript:1)", "links to 'java&#115;cript:1', which is neither an https: URL nor a page of this site"),
    ("use [x]( javascript:1 )", "links to 'javascript:1', which is neither an https: URL nor a page of this site"),
    ("[x](data:text/html,hi)", "links to 'data:text/html,hi', which is neither an https: URL nor a page of this site"),
    ("[x](http://example.com)", "links to 'http://example.com', which is neither an https: URL nor a page of this site"),
    ("[x](//evil.example)", "links to '//evil.example', which is neither an https: URL nor a page of this site"),
    ("see ![logo](https://example.com/a.png)", "contains an image"),
    ("[a][ref]", "contains a reference-style link"),
    ("[ref]: javascript:alert(1)", "contains a link reference definition"),
    ("a note[^1]", "contains a footnote"),
    ("[x](https://example.com){: onclick=\"alert(1)\"}", "contains an attribute list ({: ...})"),
    ("<javascript:alert(1)>", "contains an autolink (<...>)"),
    ("# Title", "starts with block markup (a heading, list, quote, table, fence or admonition)"),
    ("- item", "starts with block markup (a heading, list, quote, table, fence or admonition)"),
    ("!!! warning", "starts with block markup (a heading, list, quote, table, fence or admonition)"),
])
def test_text_field_markdown_that_is_refused(text, why):
    assert text_problem(text) == why


@pytest.mark.parametrize("text", [
    "**Fast** and *cheap*, with `json` output: 44% off cached input.",
    "Read the [pricing](/pricing.md) or the [vendor's notes](https://example.com/notes?a=1#b).",
    "See [Wikipedia](https://en.wikipedia.org/wiki/Ocean_(disambiguation)) and [the specs](#specs).",
    "Text & reasoning (beta) [preview] x = {a}",
    "超快的模型 · نموذج سريع · 🚀 fast",
])
def test_text_field_markdown_that_is_accepted(text):
    assert text_problem(text) is None


def test_script_link_in_a_description_is_refused_at_check(work, capsys):
    edit(NOVA, "  Text-only foundation model", "  Fast model. [docs](javascript:alert(1)) Text-only foundation model")
    assert check(capsys) == (1, [
        f"{NOVA}:{line_of(NOVA, 'description:')}: description links to 'javascript:alert(1)', which is neither an "
        f"https: URL nor a page of this site; {ALLOWED} at $.description",
        "1 problem found."])


def test_every_text_field_is_checked(work, capsys):
    """Notes, price labels, provider descriptions, parameter descriptions and changelog entries."""
    edit(NOVA, "  - 44% discount on cached chat.", "  - \"![x](https://example.com/x.png)\"")
    edit(NOVA, "label: Input (text)", "label: \"[in](javascript:1)\"")
    provider = "catalog/providers/amazon.yaml"
    edit(provider, "  Amazon's Nova family", "  # Amazon's Nova family")
    profile = "catalog/profiles/chat.yaml"
    edit(profile, "description: Sampling temperature.", "description: \"[t](vbscript:x)\" # Sampling temperature.")
    Path("catalog/changelog.yaml").write_text(
        "- date: '2026-11-20'\n  changes:\n    - {model: nova-micro-1-0, kind: name, old: a, new: '[b][c]'}\n", "utf-8")
    code, lines = check(capsys)
    assert code == 1
    assert lines == [
        f"catalog/changelog.yaml:3: [0].changes[0].new contains a reference-style link; {ALLOWED} at $[0].changes[0].new",
        f"{NOVA}:{line_of(NOVA, 'label: ')}: pricing[0].label links to 'javascript:1', which is neither an https: URL "
        f"nor a page of this site; {ALLOWED} at $.pricing[0].label",
        f"{NOVA}:{line_of(NOVA, 'example.com/x.png')}: notes[0] contains an image; {ALLOWED} at $.notes[0]",
        f"catalog/profiles/chat.yaml:{line_of(profile, 'vbscript')}: parameters[0].description links to 'vbscript:x', "
        f"which is neither an https: URL nor a page of this site; {ALLOWED} at $.parameters[0].description",
        f"{provider}:{line_of(provider, 'description:')}: description starts with block markup (a heading, list, "
        f"quote, table, fence or admonition); {ALLOWED} at $.description",
        "5 problems found."]


# ---- text fields: the render-time guard ----------------------------------------------------------------

@pytest.mark.parametrize("text, safe", [
    ("[a](javascript:alert(1)) and [b](https://example.com)", "[a](#) and [b](https://example.com)"),
    ("[b](JaVa&#115;cript:x)", "[b](#)"),
    ("[c](java&#x09;script:x)", "[c](#)"),
    ("[d](<vbscript:x>)", "[d](<#>)"),
    ("<data:text/html,x>", "<#>"),
    ("[r]: javascript:x", "[r]: #"),
    ("[p](/pricing.md) [m](mailto:help@example.com)", "[p](/pricing.md) [m](mailto:help@example.com)"),
])
def test_neutralize_replaces_script_capable_destinations(text, safe):
    assert neutralize(text) == safe


@pytest.mark.parametrize("twin", [False, True])
def test_every_printed_text_is_neutralized_in_both_flavours(twin):
    env = render.environment(twin=twin)
    out = env.from_string("{{ m }} | {{ m|cell }}").render(m="Fast. [docs](javascript:alert(1))")
    assert out == "Fast. [docs](#) | Fast. [docs](#)"


def test_markdown_extension_drops_script_urls_in_any_spelling():
    source = ("[a](javascript:alert(1)) [b](JAVASCRIPT:x) [c](java&#115;cript:x) ![d](data:image/svg+xml,x) "
              "[e](https://example.com) [f](../pricing/)")
    assert markdown.markdown(source, extensions=[UrlPolicy()]) == (
        '<p><a>a</a> <a>b</a> <a>c</a> <img alt="d" /> <a href="https://example.com">e</a> '
        '<a href="../pricing/">f</a></p>')


# ---- paths the site owns, and one root cause reported once ---------------------------------------------

def test_provider_slug_that_the_site_uses_is_refused(work, capsys):
    """It crashed the build with a WriteError: providers/index.md is the providers list. Its models are not
    reported again as of an unknown provider."""
    shutil.copy("catalog/providers/amazon.yaml", "catalog/providers/index.yaml")
    edit("catalog/providers/index.yaml", "slug: amazon", "slug: index")
    Path("catalog/models/index").mkdir()
    shutil.copy(NOVA, "catalog/models/index/index-micro.yaml")
    edit("catalog/models/index/index-micro.yaml", "id: nova-micro-1-0", "id: index-micro")
    edit("catalog/models/index/index-micro.yaml", "provider: amazon", "provider: index")
    assert check(capsys) == (1, [
        "catalog/providers/index.yaml:2: slug 'index' is reserved: providers/index.md is the site's own page; "
        "reserved names: index at $.slug",
        "1 problem found."])


def test_model_id_that_the_site_uses_is_refused(work, capsys):
    Path(NOVA).rename("catalog/models/amazon/index.yaml")
    edit("catalog/models/amazon/index.yaml", "id: nova-micro-1-0", "id: index")
    assert check(capsys) == (1, [
        "catalog/models/amazon/index.yaml:2: id 'index' is reserved: models/index.md is the site's own page; "
        "reserved names: index at $.id",
        "1 problem found."])


def test_an_invalid_provider_file_is_reported_once(work, capsys):
    shutil.copy(NOVA, "catalog/models/amazon/nova-copy.yaml")
    edit("catalog/models/amazon/nova-copy.yaml", "id: nova-micro-1-0", "id: nova-copy")
    edit("catalog/providers/amazon.yaml", "website: https://", "website: http://")
    assert check(capsys) == (1, [
        f"catalog/providers/amazon.yaml:{line_of('catalog/providers/amazon.yaml', 'website')}: "
        "'http://aws.amazon.com' does not match the pattern ^https:// at $.website",
        "1 problem found."])


def test_an_unreadable_profile_is_reported_once(work, capsys):
    edit("catalog/profiles/chat.yaml", "parameters:", "parameters: [")
    code, lines = check(capsys)
    assert code == 1
    assert len(lines) == 2 and lines[0].startswith("catalog/profiles/chat.yaml:") and lines[1] == "1 problem found."


# ---- the spec and the WebSocket description ------------------------------------------------------------

@pytest.mark.parametrize("old, new, where, message", [
    # each of these crashed openapi-spec-validator with a traceback (AssertionError, ValueError, KeyError)
    ("paths:\n", "paths: null\nx-paths:\n", "paths: null", "must be an object, not null at $.paths"),
    ("components:\n", "components: x\nx-components:\n", "components: x",
     "must be an object, not a string ('x') at $.components"),
    ("  /v1/models:\n", "  /v1/models: [1, 2]\n  /x-v1/models:\n", "/v1/models: [1, 2]",
     "must be an object, not a list at $.paths['/v1/models']"),
])
def test_structurally_broken_openapi_is_a_file_line_problem(work, capsys, old, new, where, message):
    edit("openapi.yaml", old, new)
    assert check(capsys) == (1, [f"openapi.yaml:{line_of('openapi.yaml', where)}: invalid OpenAPI: {message}",
                                 "1 problem found."])


def test_broken_asyncapi_is_reported_with_the_catalogs_problems(work, capsys):
    Path("asyncapi.yaml").write_text("asyncapi: 2.6.0\ninfo: [\n", "utf-8")
    edit(NOVA, "new: false", "new: nope")
    assert check(capsys) == (1, [
        "asyncapi.yaml:3: YAML syntax error, column 1: did not find expected node content",
        f"{NOVA}:{line_of(NOVA, 'new: nope')}: must be a boolean, not a string ('nope') at $.new",
        "2 problems found."])


def test_asyncapi_option_names_the_file(work, capsys):
    Path("ws.yaml").write_text("asyncapi: 2.6.0\ninfo: {title: x}\n", "utf-8")
    assert check(capsys, "--asyncapi", "ws.yaml") == (1, [
        "ws.yaml:1: `channels` must hold exactly one channel (the run-events channel) at $.channels",
        "ws.yaml:1: `servers` must name at least one server at $.servers",
        "2 problems found."])


# ---- size limits ---------------------------------------------------------------------------------------

def test_a_huge_model_file_is_refused_without_being_parsed(work, capsys):
    with open(NOVA, "a", encoding="utf-8") as f:
        f.write("# " + "x" * 1_100_000 + "\n")
    assert check(capsys) == (1, [
        f"{NOVA}: file is larger than 1,000,000 bytes; split it or remove what does not belong", "1 problem found."])


def test_deep_nesting_is_refused(work, capsys):
    edit(NOVA, "served_from: null", "served_from: " + "[" * 70 + "]" * 70)
    assert check(capsys) == (1, [
        f"{NOVA}:{line_of(NOVA, 'served_from')}: nested more than 64 levels deep; no catalog file needs that",
        "1 problem found."])


# ---- links: every internal link and asset of every written page ----------------------------------------

def test_link_check_catches_the_index_model_id_case(tmp_path):
    """A model `index` was published at /models/ while the pricing table linked to /models/index/."""
    site = write_tree(tmp_path, {
        "models/index.html": '<h1 id="index">Index</h1>',
        "pricing/index.html": '<table>\n<tr><td><a href="../models/index/">Index</a></td></tr>\n</table>',
    })
    assert [str(p) for p in linkcheck.check_site(site, "https://docs.example.com/")] == [
        "pricing/index.html:2: link '../models/index/' leads nowhere: the build wrote no models/index/"]


def test_link_check_reads_assets_anchors_json_ld_and_schemes(tmp_path):
    site = write_tree(tmp_path, {
        "index.html": ('<link href="assets/a.css" rel="stylesheet">\n<img src="assets/missing.png">\n'
                       '<a href="models/x/#specs">x</a> <a href="models/x/#nope">y</a>\n'
                       '<script type="application/ld+json">{"url": "https://docs.example.com/models/gone/"}</script>\n'
                       '<a href="JaVaScript:alert(1)">z</a> <a href="https://elsewhere.example/">ok</a>'),
        "assets/a.css": "",
        "models/x/index.html": '<h2 id="specs">Specs</h2>',
    })
    assert [str(p) for p in linkcheck.check_site(site, "https://docs.example.com/")] == [
        "index.html:2: link 'assets/missing.png' leads nowhere: the build wrote no assets/missing.png",
        "index.html:3: link 'models/x/#nope': models/x/index.html has no element with id 'nope'",
        "index.html:4: link 'https://docs.example.com/models/gone/' leads nowhere: the build wrote no models/gone/",
        "index.html:5: URL 'JaVaScript:alert(1)' has a script-capable scheme; only http, https, mailto and site "
        "links are allowed",
    ]


def test_link_check_refuses_protocol_relative_urls_and_loads_from_other_hosts(tmp_path):
    """The 404 page once loaded `//assets/page-menu.css`: a host named `assets`. Every page is checked, 404 too."""
    site = write_tree(tmp_path, {
        "404.html": ('<link rel="stylesheet" href="//assets/page-menu.css">\n'
                     '<script src="//assets/page-menu.js"></script>\n'
                     '<a href="//elsewhere.example/x/">a link, protocol-relative</a>'),
        "index.html": ('<link href="https://cdn.example/x.css" rel="stylesheet">\n'
                       '<link rel="icon" href="http://cdn.example/favicon.png">\n'
                       '<script src="https://cdn.example/x.js"></script>\n'
                       '<img alt="" src="https://img.example/a.png">\n'
                       '<link rel="preload" as="font" href="https://fonts.example/f.woff2">\n'
                       '<link rel="canonical" href="https://docs.example.com/">'
                       '<link rel="alternate" type="text/markdown" href="https://docs.example.com/index.md">\n'
                       '<a href="https://elsewhere.example/">a link to another site is fine</a>\n'
                       '<script src="https://docs.example.com/assets/ok.js"></script><img src="/assets/ok.png">'),
        "index.md": "", "assets/ok.js": "", "assets/ok.png": "",
    })
    assert [str(p) for p in linkcheck.check_site(site, "https://docs.example.com/")] == [
        "404.html:1: URL '//assets/page-menu.css' is protocol-relative: a browser reads 'assets' as a host "
        "name; load it by its path on the site, {{ 'assets/page-menu.css' | url }} in a template, as Material loads its "
        "own assets (relative on every page, absolute from site_url on the 404 page)",
        "404.html:2: URL '//assets/page-menu.js' is protocol-relative: a browser reads 'assets' as a host "
        "name; load it by its path on the site, {{ 'assets/page-menu.js' | url }} in a template, as Material loads its "
        "own assets (relative on every page, absolute from site_url on the 404 page)",
        "404.html:3: URL '//elsewhere.example/x/' is protocol-relative: a browser reads 'elsewhere.example' as a "
        "host name; write a full https:// URL to another site, or a path of the site",
        "index.html:1: a stylesheet 'https://cdn.example/x.css' loads from cdn.example, not from the site's own "
        "host docs.example.com: copy the file into templates/assets/ and load it by its site path",
        "index.html:2: an icon 'http://cdn.example/favicon.png' loads from cdn.example, not from the site's own "
        "host docs.example.com: copy the file into templates/assets/ and load it by its site path",
        "index.html:3: a script 'https://cdn.example/x.js' loads from cdn.example, not from the site's own host "
        "docs.example.com: copy the file into templates/assets/ and load it by its site path",
        "index.html:4: an image 'https://img.example/a.png' loads from img.example, not from the site's own host "
        "docs.example.com: copy the file into templates/assets/ and load it by its site path",
        "index.html:5: a preload 'https://fonts.example/f.woff2' loads from fonts.example, not from the site's "
        "own host docs.example.com: copy the file into templates/assets/ and load it by its site path",
    ]


def test_link_check_reads_css_url_of_style_sheets_and_inline_styles(tmp_path):
    site = write_tree(tmp_path, {
        "index.html": ('<div style="background: url(\'assets/gone.png\')"></div>\n'
                       '<style>\n.a { background: url(https://cdn.example/b.png) }\n'
                       '.b { mask-image: url("data:image/svg+xml;charset=utf-8,<svg/>") }</style>\n'
                       '<p style="background:url(assets/ok.png)">fine</p>'),
        "assets/ok.png": "",
        "assets/css/site.css": ('@import "missing.css";\n.c { background: url(../ok.png) }\n'
                                '.d { background: url( "//assets/x.png" ) }\n'
                                '.e { background: url(data:text/html,<script>x</script>) }'),
    })
    assert [str(p) for p in linkcheck.check_site(site, "https://docs.example.com/")] == [
        "assets/css/site.css:1: CSS url() 'missing.css' leads nowhere: the build wrote no assets/css/missing.css; "
        "add the file under templates/assets/ or correct the path",
        "assets/css/site.css:3: URL '//assets/x.png' is protocol-relative: a browser reads 'assets' as a host "
        "name; write the file's path relative to the style sheet",
        "assets/css/site.css:4: URL 'data:text/html,<script>x</script>' has a script-capable scheme; only http, "
        "https, mailto and site links are allowed",
        "index.html:1: CSS url() 'assets/gone.png' leads nowhere: the build wrote no assets/gone.png; add the file "
        "under templates/assets/ or correct the path",
        "index.html:3: a CSS url() 'https://cdn.example/b.png' loads from cdn.example, not from the site's own "
        "host docs.example.com: copy the file into templates/assets/ and load it by its site path",
    ]


@pytest.mark.parametrize("page, url, site_url, resolved", [
    ("pricing/index.html", "../models/x/", "https://d.example/", ("models/x/", "")),
    ("pricing/index.html", "../../models/x/", "https://d.example/", ("models/x/", "")),  # `..` stops at the root
    ("pricing/index.html", "../../models/x/", "https://d.example/docs/", ("../models/x/", "")),  # leaves /docs/
    ("models/a/index.html", "..", "https://d.example/", ("models/", "")),
    ("index.html", "./#top", "https://d.example/", ("", "top")),
    ("a/index.html", "assets/x.css?v=1", "https://d.example/", ("a/assets/x.css", "")),
    ("a/index.html", "https://d.example/models/x/#y", "https://d.example/", ("models/x/", "y")),
    ("a/index.html", "https://d.example/", "https://d.example/docs/", None),  # the host, outside the site
    ("a/index.html", "https://elsewhere.example/x/", "https://d.example/", None),
])
def test_link_check_resolves_urls_as_a_browser_does(page, url, site_url, resolved):
    assert linkcheck.site_path(page, url, site_url) == resolved


def test_build_fails_on_a_dead_link_that_mkdocs_does_not_validate(project_templates, capsys):
    """A link in the theme's HTML (here the 404 page's) is checked like any other; the previous site stays."""
    out = project_templates.parent / "site"
    out.mkdir()
    (out / "marker.txt").write_text("previous site", "utf-8")
    page = project_templates / "theme" / "404.html"
    page.write_text(page.read_text("utf-8").replace("{% endblock %}", '<a href="/no-such-page/">gone</a>\n{% endblock %}'),
                    "utf-8")
    assert main(["build", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 2, err
    [problem, summary] = err.splitlines()
    where, message = problem.split(": ", 1)
    assert where.startswith("404.html:") and where.split(":")[1].isdigit()  # a line of the built HTML
    assert message == "link '/no-such-page/' leads nowhere: the build wrote no no-such-page/"
    assert summary == "1 problem found; nothing was written."
    assert [p.name for p in out.iterdir()] == ["marker.txt"]


# ---- valid but unusual input builds ---------------------------------------------------------------------

@pytest.mark.parametrize("transform", ["crlf", "bom", "both"])
def test_crlf_and_byte_order_mark_are_accepted(work, transform):
    raw = Path(NOVA).read_bytes()
    if transform in ("crlf", "both"):
        raw = raw.replace(b"\n", b"\r\n")
    if transform in ("bom", "both"):
        raw = b"\xef\xbb\xbf" + raw
    Path(NOVA).write_bytes(raw)
    model = pipeline.check(Path("catalog"), Path("openapi.yaml")).catalog.models[0]
    assert (model.id, model.name, model.notes) == ("nova-micro-1-0", "Nova Micro 1.0", ("44% discount on cached chat.",))


PRICE_ROWS = "".join(f"  - {{label: Tier {i} output, direction: output, amount: 0.{i:03d}, unit: token, per: 1000000}}\n"
                     for i in range(1, 41))


def test_unusual_valid_catalog_builds(project_templates, capsys):
    """Any script in names and descriptions, a long description, forty price rows, CRLF and a BOM. And a
    script link that reaches the Markdown anyway (here from a template) is published as inert text."""
    project = project_templates.parent
    support = project_templates / "guides" / "support.md.j2"
    support.write_text(support.read_text("utf-8") + "\n[script](javascript:alert(1)) or [data](DATA:text/html,x)\n",
                       "utf-8")
    name = "Nova Micro 超快 · سريع · 🚀"
    long = "Fast and cheap for everyday chat, translation and summaries. " * 40
    edit(NOVA, "name: Nova Micro 1.0", f"name: \"{name}\"")
    edit(NOVA, "  Text-only foundation model", f"  {long}Text-only foundation model")
    edit(NOVA, "pricing:\n", "pricing:\n" + PRICE_ROWS)
    Path(NOVA).write_bytes(b"\xef\xbb\xbf" + Path(NOVA).read_bytes().replace(b"\n", b"\r\n"))
    out = project / "site"
    assert main(["build", "--out", str(out)]) == 0, capsys.readouterr().err
    page = (out / "models" / "nova-micro-1-0" / "index.html").read_text("utf-8")
    assert f'<h1 id="nova-micro">{name}' in page
    assert "<td>Tier 40 output</td>\n<td>per 1M tokens</td>\n<td>$0.040</td>" in page
    twin = (out / "models" / "nova-micro-1-0.md").read_text("utf-8")
    assert twin.startswith(f"# {name}\n")
    support_html = (out / "support" / "index.html").read_text("utf-8")
    assert "<a>script</a> or <a>data</a>" in support_html
    assert "javascript:" not in support_html.lower() and "data:text" not in support_html.lower()


def test_a_provider_with_hundreds_of_models_builds(project, capsys):
    """140 models of one provider: a skewed catalog is valid, and a budget never fails it."""
    source = Path(NOVA).read_text("utf-8")
    for i in range(140):
        copy = source.replace("id: nova-micro-1-0", f"id: nova-bulk-{i}").replace(
            "model: nova-micro-1-0", f"model: nova-bulk-{i}").replace("name: Nova Micro 1.0", f"name: Nova Bulk {i}")
        Path(f"catalog/models/amazon/nova-bulk-{i}.yaml").write_text(copy, "utf-8")
    out = project / "site"
    assert main(["build", "--out", str(out)]) == 0, capsys.readouterr().err
    assert (out / "models" / "nova-bulk-139" / "index.html").is_file()
    parts = sorted(out.glob("providers/amazon/llms-full*.txt"))
    assert len(parts) > 1 and all(p.stat().st_size <= 100_000 for p in parts), [p.stat().st_size for p in parts]


# ---- serve: validators keyed by content ----------------------------------------------------------------

def test_spec_validators_are_keyed_by_content_not_by_object_id(inputs):
    """In a long `serve`, a later Spec may reuse a freed one's id(); equal content shares a validator, other
    content gets its own."""
    doc = inputs.spec.doc
    pointer = "#/components/schemas/CreateChatCompletionRequest"
    same = spec_module.Spec(YamlDoc(doc.path, dict(doc.data), doc.lines))
    changed_data = {**doc.data, "info": {**doc.data["info"], "title": "another spec"}}
    other = spec_module.Spec(YamlDoc(doc.path, changed_data, doc.lines))
    assert same.pointer_validator(pointer) is inputs.spec.pointer_validator(pointer)
    assert other.pointer_validator(pointer) is not inputs.spec.pointer_validator(pointer)


def test_check_raises_build_error_not_a_crash_on_a_missing_catalog(tmp_path):
    with pytest.raises(BuildError) as err:
        pipeline.check(tmp_path / "nope", tmp_path / "openapi.yaml")
    assert [p.message for p in err.value.problems] == [
        "catalog directory not found; pass --catalog DIR", "OpenAPI file not found; pass --openapi FILE"]


# ---- inputs that crashed `check` once (found by tests/test_fuzz.py), each kept as written ------------------

def test_fuzz_regression_role_that_is_a_mapping(work, capsys):
    """TypeError: unhashable type: 'dict', in the message for a union's discriminator."""
    edit(NOVA, "- {role: user, content: Write a haiku about the ocean.}", "- {role: {k: x}, content: Write a haiku.}")
    assert check(capsys) == (1, [
        f"{NOVA}:{line_of(NOVA, '- endpoint: /v1/chat/completions')}: POST /v1/chat/completions example: {{'k': 'x'}} is not one of "
        "'system', 'user', 'assistant', 'tool' at $.examples[0].body.messages[0].role",
        "1 problem found."])


def test_fuzz_regression_provider_that_is_a_mapping(work, capsys):
    """TypeError: unhashable type: 'dict', asking whether the model's provider file is broken (past input
    2,000 of a `make fuzz` run)."""
    edit(NOVA, "provider: amazon\n", "provider:\n  k: x\n")
    assert check(capsys) == (1, [f"{NOVA}:6: must be a string, not a mapping at $.provider", "1 problem found."])


def test_fuzz_regression_price_change_without_its_old_amount(work, capsys):
    """decimal.InvalidOperation while rendering the changelog's line for the change."""
    Path("catalog/changelog.yaml").write_text(
        "- date: '2026-12-01'\n  changes:\n    - {model: nova-micro-1-0, kind: price_down, field: Input, new: '0.04'}\n",
        "utf-8")
    assert check(capsys) == (1, [
        "catalog/changelog.yaml:3: a price_down change needs `old` as a decimal amount such as '0.04' "
        "at $[0].changes[0].old",
        "1 problem found."])


def test_fuzz_regression_asyncapi_payload_property_that_is_null(work, capsys):
    """TypeError inside referencing, while checking a message example against a broken payload schema."""
    shutil.copy(Path(__file__).resolve().parents[1] / "asyncapi.yaml", "asyncapi.yaml")
    edit("asyncapi.yaml", "        runId:\n          type: string\n          description: The id of the run to follow.\n",
         "        runId: null\n")
    assert check(capsys) == (1, [
        f"asyncapi.yaml:{line_of('asyncapi.yaml', 'messageId: subscribe')}: the payload schema of message 'subscribe' "
        "cannot be used (TypeError); check it is a valid JSON Schema at $.components.messages.Subscribe",
        "1 problem found."])


def test_fuzz_regression_price_beyond_any_real_one(work, capsys):
    """decimal.InvalidOperation while comparing headline prices: 1e30 has more digits than Decimal keeps."""
    edit(NOVA, "amount: 0.040,", "amount: 1000000000000000000000000000000,")
    assert check(capsys) == (1, [
        f"{NOVA}:{line_of(NOVA, 'amount: 1000000000000000000000000000000')}: must be at most 1000000, not "
        "1000000000000000000000000000000 at $.pricing[0].amount",
        "1 problem found."])


@pytest.mark.parametrize("new, message", [
    ("$ref: null", "`$ref` must be a string such as '#/components/schemas/Name'"),
    ("$ref: '#/components/schemas/Nowhere'", "`$ref` '#/components/schemas/Nowhere' points to nothing in this document"),
])
def test_fuzz_regression_openapi_ref_that_is_null_or_dangling(work, capsys, new, message):
    """AttributeError: 'NoneType' object has no attribute 'startswith', following a request body's `$ref`."""
    edit("openapi.yaml", "$ref: '#/components/schemas/CreateSpeechRequest'", new)
    body = "$.paths['/v1/audio/speech'].post.requestBody.content['application/json'].schema['$ref']"
    assert check(capsys) == (1, [f"openapi.yaml:{line_of('openapi.yaml', new)}: invalid OpenAPI: {message} at {body}",
                                 "1 problem found."])


def test_fuzz_regression_openapi_response_extension_that_is_null(work, capsys):
    """TypeError: argument of type 'NoneType' is not iterable, reading an `x-` key among the responses."""
    edit("openapi.yaml", "      responses:\n", "      responses:\n        x-note: null\n")
    inputs = pipeline.check(Path("catalog"), Path("openapi.yaml"))
    assert [m.id for m in inputs.catalog.models] == ["nova-micro-1-0"]
