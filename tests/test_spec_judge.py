"""The stand-in server's judge (tests/spec_judge.py): openapi.yaml and the catalog's files, read straight."""

from __future__ import annotations

from pathlib import Path

import pytest

from spec_judge import SpecJudge

ROOT = Path(__file__).resolve().parents[1]
CHAT = "/v1/chat/completions"
HI = [{"role": "user", "content": "Hi"}]


@pytest.fixture(scope="module")
def judge():
    return SpecJudge(ROOT / "openapi.yaml", ROOT / "catalog")


@pytest.mark.parametrize("method, path, query, body, expected", [
    ("POST", CHAT, "", {"model": "qwen3-max", "messages": HI}, []),
    ("POST", CHAT, "", {"model": "qwen3-max", "messages": []}, ["$.messages: [] should be non-empty"]),
    ("POST", CHAT, "", {"model": "qwen3-max", "messages": [{"role": "robot", "content": "Hi"}]},
     ["$.messages[0].role: 'robot' is not one of ['system', 'user', 'assistant', 'tool']"]),
    ("POST", CHAT, "", {"model": "qwen3-max", "messages": HI, "temperature": "hot"},
     ["$.temperature: 'hot' is not of type 'number'"]),
    ("POST", CHAT, "", {"messages": HI}, ["$: 'model' is a required property"]),
    ("POST", CHAT, "", {"model": "gpt-9", "messages": HI},
     ["$.model: unknown model 'gpt-9'; it is not in the catalog"]),
    ("POST", CHAT, "", {"model": "wan-2-7", "messages": HI},
     ["$.model: 'wan-2-7' does not serve /v1/chat/completions; it serves /v1/videos/generations"]),
    ("POST", CHAT, "", None, ["sends no body; the operation requires one"]),
    ("GET", "/v1/models", "limit=5", None, ["unknown query parameter 'limit'"]),
    ("GET", "/v1/models/qwen3-max", "", None, []),
    ("GET", "/v1/models/gpt-9", "", None, ["unknown model 'gpt-9'; it is not in the catalog"]),
    ("GET", "/v1/models", "", {"a": 1}, ["sends a body, but the operation takes none"]),
])
def test_findings(judge, method, path, query, body, expected):
    op = judge.operation(method, path)
    assert judge.findings(op, path, query, body, body is not None) == expected


def test_unknown_operation(judge):
    assert judge.operation("POST", "/v1/chat") is None
    assert judge.operation("DELETE", CHAT) is None


def test_a_multipart_form_is_typed_by_its_schema(judge):
    op = judge.operation("POST", "/v1/audio/transcriptions")
    form = judge.form(op, {"model": "deepgram-nova-3", "temperature": "0.2"}, {"file": "a.mp3"})
    assert form == {"model": "deepgram-nova-3", "temperature": 0.2, "file": "a.mp3"}
    assert judge.findings(op, op.path, "", form, True) == []
