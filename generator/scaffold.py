"""`new-model PROVIDER/ID --endpoint KIND [--new-provider]`: a model file (and, for a new provider, its
provider file) with every field an editor must fill marked TODO."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from generator.problems import display_path, nearest

# kind -> (profile, category, endpoints, output modality, example bodies without `model`)
KINDS: dict[str, tuple[str, str, list[str], str, list[dict[str, Any]]]] = {
    "chat": (
        "chat",
        "text",
        ["/v1/chat/completions", "/v1/responses", "/v1/messages"],
        "text",
        [
            {"messages": [{"role": "user", "content": "TODO: a prompt that shows what this model is good at"}]},
            {"input": "TODO: a prompt"},
            {"max_tokens": 256, "messages": [{"role": "user", "content": "TODO: a prompt"}]},
        ],
    ),
    "image": (
        "image",
        "image",
        ["/v1/images/generations"],
        "image",
        [{"prompt": "TODO: an image prompt", "size": "1024x1024"}],
    ),
    "video": (
        "video",
        "video",
        ["/v1/videos/generations"],
        "video",
        [{"prompt": "TODO: a video prompt", "duration": 5}],
    ),
    "speech": ("speech", "audio", ["/v1/audio/speech"], "audio", [{"input": "TODO: text to speak"}]),
    "transcription": (
        "transcription",
        "transcription",
        ["/v1/audio/transcriptions"],
        "text",
        [{"file": "meeting.mp3"}],
    ),
    "search": ("search", "research", ["/v1/search"], "text", [{"query": "TODO: a search query"}]),
    "embedding": ("embedding", "embedding", ["/v1/embeddings"], "text", [{"input": "TODO: text to embed"}]),
}
TODO = re.compile(r"^TODO\b")


def scaffold(provider: str, model_id: str, kind: str) -> str:
    """The YAML text of a new model file."""
    profile, category, endpoints, output, bodies = KINDS[kind]
    q = json.dumps
    lines = [
        "# yaml-language-server: $schema=../../schema/model.schema.json",
        f"# Written by `python -m generator new-model {provider}/{model_id} --endpoint {kind}`.",
        "# Replace every TODO; `python -m generator check` refuses the file until none is left.",
        f"id: {model_id}",
        'name: "TODO: display name"',
        f"provider: {provider}",
        f"category: {category}",
        'description: "TODO: one or two plain sentences on what the model does best"',
        f"endpoints: [{', '.join(endpoints)}]",
        'context_window: "TODO: tokens (an integer), or null where no context applies"',
        # the model page shows it as "Max output"; a model that writes no tokens has none
        'max_output_tokens: "TODO: the most tokens one response holds (an integer), or null when not published"'
        if kind == "chat"
        else "max_output_tokens: null",
        f"input_modalities: [{'audio' if kind == 'transcription' else 'text'}]",
        f"output_modalities: [{output}]",
        "capabilities: {"
        + (
            "streaming: true, system_prompt: true"
            if kind == "chat"
            else "async_job: true"
            if kind in ("image", "video", "transcription")
            else ""
        )
        + "}",
        "features: []",
        "served_from: null",
        "new: true",
        "native_inference: false",
        "api_status: platform",
        "pricing:",
    ]
    if kind in ("chat", "embedding"):
        lines += [
            '  - {label: Input, direction: input, amount: "TODO: USD per 1M input tokens", unit: token, per: 1000000}'
        ]
    if kind == "chat":
        lines += [
            '  - {label: Output, direction: output, amount: "TODO: USD per 1M output tokens", unit: token, '
            "per: 1000000}"
        ]
    if kind not in ("chat", "embedding"):
        unit = {
            "image": "image",
            "video": "second",
            "speech": "character",
            "transcription": "minute",
            "search": "request",
        }[kind]
        lines += [f'  - {{label: Standard, amount: "TODO: USD per {unit}", unit: {unit}}}']
    lines += ["parameters:", f"  profile: {profile}", "examples:"]
    for endpoint, body in zip(endpoints, bodies, strict=True):
        lines += [f"  - endpoint: {endpoint}", f"    body: {q({'model': model_id, **body})}"]
    return "\n".join(lines) + "\n"


def todo_paths(data: object, path: str = "$") -> list[tuple[str, str]]:
    """(JSON path, text) of every TODO placeholder left in a parsed file."""
    if isinstance(data, str):
        return [(path, data)] if TODO.match(data) else []
    if isinstance(data, dict):
        return [hit for k, v in data.items() for hit in todo_paths(v, f"{path}.{k}")]
    if isinstance(data, list):
        return [hit for i, v in enumerate(data) for hit in todo_paths(v, f"{path}[{i}]")]
    return []


def provider_scaffold(provider: str, command: str) -> str:
    """The YAML text of a new provider file."""
    return (
        "\n".join(
            [
                "# yaml-language-server: $schema=../schema/provider.schema.json",
                f"# Written by `python -m generator {command}`.",
                "# Replace every TODO; `python -m generator check` refuses the file until none is left.",
                f"slug: {provider}",
                'name: "TODO: the provider\'s name, as it writes it"',
                'description: "TODO: one or two plain sentences on what the provider\'s models are known for"',
                'website: "TODO: the https:// address of its site, or delete this line"',
            ]
        )
        + "\n"
    )


def write_model(catalog: Path, spec: str, kind: str, *, new_provider: bool = False) -> list[Path]:
    """Create catalog/models/<provider>/<id>.yaml, and with `new_provider` catalog/providers/<provider>.yaml;
    refuse to overwrite, to use an unsafe id, or to file a model under a provider that does not exist."""
    provider, _, model_id = spec.partition("/")
    for part in (provider, model_id):
        if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", part or "") or ".." in part:
            raise ValueError(f"{spec!r} is not PROVIDER/ID in lowercase letters, digits, '.' and '-'")
    declared = catalog / "providers"
    provider_file = declared / f"{provider}.yaml"
    target = catalog / "models" / provider / f"{model_id}.yaml"
    if new_provider and provider_file.exists():
        raise ValueError(f"provider {provider!r} already exists ({display_path(provider_file)}); drop --new-provider")
    if not new_provider and not provider_file.exists():
        hint = nearest(provider, (f.stem for f in declared.glob("*.yaml")))
        mean = f" (did you mean {' or '.join(map(repr, hint))}?)" if hint else ""
        raise ValueError(
            f"unknown provider {provider!r}{mean}: providers are declared in {display_path(declared)}/; "
            f"for a new provider, add --new-provider to write {display_path(provider_file)} too"
        )
    if target.exists():
        raise FileExistsError(f"{display_path(target)} already exists")
    written = []
    if new_provider:
        command = f"new-model {spec} --endpoint {kind} --new-provider"
        declared.mkdir(parents=True, exist_ok=True)
        provider_file.write_text(provider_scaffold(provider, command), "utf-8")
        written.append(provider_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(scaffold(provider, model_id, kind), "utf-8")
    return [*written, target]
