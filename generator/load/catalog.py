"""Gather the catalog's files and parse each one; nothing is interpreted yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.load.yamlfile import YamlDoc, YamlError, load_yaml
from generator.problems import Problems


@dataclass
class Sources:
    """Every parsed catalog file, by kind, in a stable order."""

    root: Path
    platform: YamlDoc | None = None
    changelog: YamlDoc | None = None
    providers: list[YamlDoc] = field(default_factory=list)
    profiles: list[YamlDoc] = field(default_factory=list)
    models: list[YamlDoc] = field(default_factory=list)


def read_catalog(root: Path, problems: Problems) -> Sources:
    """Parse every YAML file under `root`; report unreadable or misplaced files."""
    sources = Sources(root)
    if not root.is_dir():
        problems.add(root, "catalog directory not found; pass --catalog DIR")
        return sources
    sources.platform = _read(root / "platform.yaml", problems)
    if (root / "changelog.yaml").exists():
        sources.changelog = _read(root / "changelog.yaml", problems)
    for path in sorted(root.rglob("*")):
        if path.is_dir() or path.parent.name == "schema" and path.parent.parent == root:
            continue
        rel = path.relative_to(root).parts
        if path.suffix in (".yml", ".json") or path.suffix == ".yaml" and not _placed(rel):
            problems.add(
                path,
                "file is not where the catalog expects one: use platform.yaml, "
                "providers/<slug>.yaml, profiles/<id>.yaml or models/<provider>/<id>.yaml",
            )
            continue
        if path.suffix != ".yaml" or rel in (("platform.yaml",), ("changelog.yaml",)):
            continue
        doc = _read(path, problems)
        if doc is not None:
            getattr(sources, rel[0]).append(doc)
    return sources


def _placed(rel: tuple[str, ...]) -> bool:
    return (
        rel in (("platform.yaml",), ("changelog.yaml",))
        or len(rel) == 2
        and rel[0] in ("providers", "profiles")
        or len(rel) == 3
        and rel[0] == "models"
    )


def _read(path: Path, problems: Problems) -> YamlDoc | None:
    if not path.is_file():
        problems.add(path, "file not found")
        return None
    try:
        return load_yaml(path)
    except YamlError as err:
        problems.add(path, err.message, line=err.line)
    except OSError as err:
        problems.add(path, f"cannot read file: {err.strerror}")
    return None
