"""The keyword arguments of the installed SDKs' methods, read once per SDK version."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

from generator import cache
from generator.snippets import SDK_METHODS

# SDK -> the method path of its client -> (HTTP method, endpoint)
CALLS: dict[str, dict[tuple[str, ...], tuple[str, str]]] = {}
for (_sdk, _method), _request in SDK_METHODS.items():
    CALLS.setdefault(_sdk, {})[tuple(_method.split("."))] = _request

SDK_SIGNATURES = r"""
import functools, importlib, importlib.util, inspect, json, sys
out = {}
for kind, methods in json.loads(sys.argv[1]).items():
    if importlib.util.find_spec(kind) is None:
        continue
    try:
        module = importlib.import_module(kind)
        client = getattr(module, "OpenAI" if kind == "openai" else "Anthropic")(api_key="x", base_url="http://127.0.0.1:9")
    except Exception:
        continue
    for method in methods:
        try:
            params = inspect.signature(functools.reduce(getattr, method.split("."), client)).parameters.values()
        except Exception:
            continue
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
            out[f"{kind}:{method}"] = [p.name for p in params]
print(json.dumps(out))
"""


class _SdkSignatures:
    """The keyword arguments of the installed SDKs' methods, read by a subprocess (importing both SDKs
    takes seconds) that runs while the pages render and the other blocks are checked."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.result: dict[str, list[str]] | None = None

    def start(self) -> None:
        if self.proc is not None or self.result is not None:
            return
        if cached := cache.read(self.cache_name()):
            self.result = json.loads(cached)
            return
        methods = {kind: [".".join(m) for m in calls] for kind, calls in CALLS.items()}
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", SDK_SIGNATURES, json.dumps(methods)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
        except OSError:
            self.result = {}

    def cache_name(self) -> str:
        versions = []
        for package in ("openai", "anthropic"):
            try:
                versions.append(f"{package}={version(package)}")
            except PackageNotFoundError:
                versions.append(f"{package}=none")
        return f"sdk-signatures-{cache.key(SDK_SIGNATURES, *versions)}.json"

    def wait(self) -> dict[str, list[str]]:
        """The subprocess's answer (started now if it was not), cached for the next run."""
        if self.result is None:
            self.start()
            try:
                out, _ = self.proc.communicate(timeout=120) if self.proc else ("{}", "")
                self.result = json.loads(out or "{}")
                if self.result:
                    cache.write(self.cache_name(), json.dumps(self.result, sort_keys=True))
            except (subprocess.SubprocessError, json.JSONDecodeError):
                self.result = {}
            self.proc = None
        return self.result or {}

    def get(self, kind: str, method: tuple[str, ...]) -> frozenset[str] | None:
        """The method's keyword arguments; None when the SDK is not installed or takes any keyword."""
        names = self.wait().get(f"{kind}:{'.'.join(method)}")
        return frozenset(names) if names is not None else None


SDKS = _SdkSignatures()


def parameters(kind: str, method: tuple[str, ...]) -> frozenset[str] | None:
    return SDKS.get(kind, method)
