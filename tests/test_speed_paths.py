"""Each speed path that reaches inside mkdocs or Material checks, before a build, the versions it was proven
on and the shape of what it touches, and names what differs (docs/extending-mkdocs.md). tests/test_hooks.py
builds with them stepped aside and finds the same site."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.pages import Page

from generator import parallel
from generator.site import mkdocs_plugins as mp

ROOT = Path(__file__).resolve().parents[1]


def test_the_pins_of_pyproject_are_the_proven_versions():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    pinned = dict(d.split("==", 1) for d in deps if "==" in d)
    assert pinned == {
        "mkdocs": "1.6.1",
        "mkdocs-material": "9.8.2",
        "Markdown": "3.11.3",
        "pymdown-extensions": "13.1.2",
        "Pygments": "2.21.0",
    }
    assert pinned == mp.PROVEN


def test_on_the_proven_versions_no_path_steps_aside(monkeypatch):
    monkeypatch.setattr(parallel, "unavailable", lambda: None)
    for path in (mp.CONVERT_CACHE, mp.DIRECT_PAGES, mp.COMPACT_PAGES, mp.OFFLOAD_SEARCH):
        assert path.unproven() is None, path.name


@pytest.mark.parametrize(
    "path, dist, message",
    [
        (mp.CONVERT_CACHE, "Pygments", "Pygments is 2.21.0, proven on 2.0"),
        (mp.DIRECT_PAGES, "pymdown-extensions", "pymdown-extensions is 13.1.2, proven on 2.0"),
        (mp.COMPACT_PAGES, "mkdocs", "mkdocs is 1.6.1, proven on 2.0"),
        (mp.OFFLOAD_SEARCH, "mkdocs-material", "mkdocs-material is 9.8.2, proven on 2.0"),
    ],
)
def test_another_version_makes_a_path_step_aside(monkeypatch, path, dist, message):
    monkeypatch.setitem(mp.PROVEN, dist, "2.0")
    assert path.unproven() == message


def title_without_private_attribute(self):
    return self.markdown and self.meta.get("title")


@pytest.mark.parametrize(
    "path, change, message",
    [
        (mp.CONVERT_CACHE, ("delattr", Page, "links_to_anchors"), "Page has no links_to_anchors"),
        (mp.DIRECT_PAGES, ("delattr", Page, "present_anchor_ids"), "Page has no present_anchor_ids"),
        (
            mp.CONVERT_CACHE,
            ("setattr", Page, "render", lambda self, config, files, extra: None),
            "Page.render takes other arguments",
        ),
        (
            mp.CONVERT_CACHE,
            ("setattr", Page, "title", property(title_without_private_attribute)),
            "Page.title does not read _title_from_render",
        ),
        (mp.COMPACT_PAGES, ("setattr", Page, "content", None), "Page.markdown or Page.content is no longer a plain attribute"),
        (
            mp.OFFLOAD_SEARCH,
            ("delattr", SearchIndex, "create_entry_for_section"),
            "SearchIndex has no create_entry_for_section",
        ),
    ],
)
def test_a_private_attribute_of_another_shape_makes_a_path_step_aside(monkeypatch, path, change, message):
    monkeypatch.setattr(parallel, "unavailable", lambda: None)
    how, owner, name, *value = change
    if how == "setattr":
        monkeypatch.setattr(owner, name, *value, raising=False)
    else:
        monkeypatch.delattr(owner, name)
    assert path.unproven() == message


def test_search_steps_aside_where_this_process_may_not_fork(monkeypatch):
    monkeypatch.setattr(parallel, "unavailable", lambda: "this process runs other threads (a server, a file watcher): it does not fork")
    assert mp.OFFLOAD_SEARCH.unproven() == "this process runs other threads (a server, a file watcher): it does not fork"


def test_a_build_assembles_every_plugin_once_and_names_what_stepped_aside(monkeypatch):
    monkeypatch.setattr(parallel, "unavailable", lambda: None)
    plugins = mp.BuildPlugins([], {}, {}, {})
    assert sorted(plugins.plugins) == [
        "empiriolabs/compact-pages",
        "empiriolabs/compiled-theme",
        "empiriolabs/convert-cache",
        "empiriolabs/direct-pages",
        "empiriolabs/edit-links",
        "empiriolabs/offload-search",
    ]
    monkeypatch.setitem(mp.PROVEN, "mkdocs-material", "1.0")
    plugins = mp.BuildPlugins([], {}, {}, {})
    assert "empiriolabs/offload-search" not in plugins.plugins
    assert plugins.stepped_aside == ["search on the second core stepped aside: mkdocs-material is 9.8.2, proven on 1.0"]
