"""Find the infrastructure files under the reviewed paths and say what each one is.

The extension decides for Terraform and Bicep. JSON, YAML and ``.template`` files
are told apart by a cheap look at their text (a few marker strings), so a file is
read once here and parsed once by its loader.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

SKIPPED_DIRECTORIES = frozenset({".git", ".terraform", "node_modules", ".venv"})
# YAML: "Resources:" at the start of a line; JSON: a "Resources" key.
_TOP_LEVEL_RESOURCES = re.compile(r'^Resources\s*:|"Resources"\s*:', re.MULTILINE)


class FileKind(StrEnum):
    TERRAFORM = "terraform"
    TFVARS = "tfvars"
    TFVARS_JSON = "tfvars_json"
    TERRAFORM_PLAN = "terraform_plan"
    CLOUDFORMATION = "cloudformation"
    ARM = "arm"
    ARM_PARAMETERS = "arm_parameters"
    BICEP = "bicep"
    BICEP_PARAMS = "bicep_params"


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    kind: FileKind
    text: str | None = None  # already read while classifying


def common_root(paths: Sequence[Path]) -> Path:
    """The deepest folder holding every reviewed path."""
    folders = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths]
    if not folders:
        return Path.cwd()
    return Path(os.path.commonpath([str(f) for f in folders]))


def discover(paths: Sequence[Path]) -> list[SourceFile]:
    """Every file under ``paths`` a loader can read, in a stable order."""
    seen: set[Path] = set()
    found: list[SourceFile] = []
    for path in _walk(paths):
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        source = classify(resolved)
        if source is not None:
            found.append(source)
    return found


def _walk(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_file():
            yield path
            continue
        for folder, subfolders, files in os.walk(path):
            subfolders[:] = sorted(
                d for d in subfolders if d not in SKIPPED_DIRECTORIES
            )
            for name in sorted(files):
                yield Path(folder) / name


def classify(path: Path) -> SourceFile | None:
    """What ``path`` holds, or None when no loader reads it."""
    name = path.name.lower()
    if name.endswith((".tf", ".tf.json")):
        return SourceFile(path, FileKind.TERRAFORM)
    if name.endswith(".tfvars"):
        return SourceFile(path, FileKind.TFVARS)
    if name.endswith(".tfvars.json"):
        return SourceFile(path, FileKind.TFVARS_JSON)
    if name.endswith(".bicep"):
        return SourceFile(path, FileKind.BICEP)
    if name.endswith(".bicepparam"):
        return SourceFile(path, FileKind.BICEP_PARAMS)
    if name.endswith((".json", ".yaml", ".yml", ".template")):
        return _classify_by_content(path, name)
    return None


def _classify_by_content(path: Path, name: str) -> SourceFile | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None

    is_json = name.endswith(".json")
    kind = _json_kind(text, text[:4096]) if is_json else _yaml_kind(text, name)
    return None if kind is None else SourceFile(path, kind, text)


def _json_kind(text: str, head: str) -> FileKind | None:
    schema = head.lower()  # subscriptionDeploymentTemplate.json and the like too
    if "deploymentparameters.json" in schema:
        return FileKind.ARM_PARAMETERS
    if "deploymenttemplate.json" in schema:
        return FileKind.ARM
    if '"planned_values"' in text or '"resource_changes"' in text:
        return FileKind.TERRAFORM_PLAN
    if _looks_like_cloudformation(text):
        return FileKind.CLOUDFORMATION
    return None


def _yaml_kind(text: str, name: str) -> FileKind | None:
    if _looks_like_cloudformation(text):
        return FileKind.CLOUDFORMATION
    if name.endswith(".template") and '"$schema"' in text[:4096]:
        return _json_kind(text, text[:4096])
    return None


def _looks_like_cloudformation(text: str) -> bool:
    """A template version, or a top-level ``Resources`` with AWS types in it."""
    if "AWSTemplateFormatVersion" in text:
        return True
    if "AWS::" not in text and "Custom::" not in text:
        return False
    return bool(_TOP_LEVEL_RESOURCES.search(text))
