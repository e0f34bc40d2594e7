"""One Terraform module directory, parsed: its variables, locals, resources, calls.

Each ``.tf`` file of the directory is parsed once with ``hcl_parser``; the blocks of
all files are merged, as Terraform does. A duplicate declaration is reported as a
problem on its line and the first one is kept.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lockgate.review.loaders.context import LoadContext
from lockgate.review.loaders.hcl_ast import Attribute, Block, Body
from lockgate.review.loaders.hcl_eval import Evaluator, Step
from lockgate.review.loaders.hcl_parser import parse_hcl
from lockgate.review.loaders.syntax import SourceSyntaxError
from lockgate.review.loaders.tf_json import parse_tf_json
from lockgate.review.model import Unresolved

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Declared:
    """A block and the file it is written in."""

    block: Block
    path: Path


@dataclass(slots=True)
class ModuleConfig:
    directory: Path
    variables: dict[str, Declared] = field(default_factory=dict)
    locals: dict[str, tuple[Attribute, Path]] = field(default_factory=dict)
    resources: dict[tuple[str, str], Declared] = field(default_factory=dict)
    data: dict[tuple[str, str], Declared] = field(default_factory=dict)
    modules: dict[str, Declared] = field(default_factory=dict)
    outputs: dict[str, Declared] = field(default_factory=dict)
    providers: list[Declared] = field(default_factory=list)
    tfvars: dict[str, Any] = field(default_factory=dict)
    tfvars_lines: dict[str, tuple[Path, int]] = field(default_factory=dict)
    _sources: dict[str, Path] | None = None

    def local_sources(self) -> dict[str, Path]:
        """Module calls whose ``source`` is a local path, by call name."""
        if self._sources is None:
            self._sources = self._find_local_sources()
        return self._sources

    def _find_local_sources(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for name, declared in self.modules.items():
            source = literal_attribute(declared.block.body, "source")
            if isinstance(source, str) and source.startswith(("./", "../")):
                found[name] = (self.directory / source).resolve()
        return found


def literal_attribute(body: Body, name: str) -> Any:
    attribute = body.attributes.get(name)
    if attribute is None:
        return None
    return Evaluator(_NoNames()).value(attribute.expression)


class _NoNames:
    """Names in a context where none may appear (defaults, tfvars, sources)."""

    def resolve(self, root: str, steps: list[Step], node: Any) -> tuple[Any, int]:
        return Unresolved(node.text, f"{root} cannot be referenced here"), len(steps)


def read_module(directory: Path, context: LoadContext) -> ModuleConfig:
    """Parse every ``.tf`` file (and auto-loaded tfvars) of ``directory``."""
    config = ModuleConfig(directory)
    sources = sorted([*directory.glob("*.tf"), *directory.glob("*.tf.json")])
    for path in sources:
        body = _parse_file(path, context)
        if body is not None:
            _merge(config, body, path, context)
    for path in _tfvars_files(directory):
        values, lines = _read_tfvars(path, context)
        config.tfvars.update(values)
        config.tfvars_lines.update({n: (path, lines.get(n, 0)) for n in values})
    return config


def _parse_file(path: Path, context: LoadContext) -> Body | None:
    context.read(path)
    try:
        source = path.read_text(encoding="utf-8-sig")
        if path.name.endswith(".json"):
            return parse_tf_json(source)
        return parse_hcl(source)
    except SourceSyntaxError as error:
        context.problem(path, f"not valid HCL: {error.message}", error.line)
    except (OSError, UnicodeDecodeError) as error:
        context.problem(path, f"cannot be read: {error}", None)
    except RecursionError:
        context.problem(path, "expressions are nested too deeply to read", None)
    return None


def _tfvars_files(directory: Path) -> list[Path]:
    """The files Terraform loads by itself, in its order (later ones win)."""
    names = ["terraform.tfvars", "terraform.tfvars.json"]
    found = [directory / n for n in names if (directory / n).is_file()]
    automatic = sorted(directory.glob("*.auto.tfvars")) + sorted(
        directory.glob("*.auto.tfvars.json")
    )
    return found + sorted(automatic, key=lambda p: p.name)


def _read_tfvars(
    path: Path, context: LoadContext
) -> tuple[dict[str, Any], dict[str, int]]:
    """The values of a tfvars file, and the line of each (JSON gives no lines)."""
    if path.name.endswith(".json"):
        context.read(path)
        try:
            values = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as error:
            context.problem(path, f"not valid JSON: {error}", None)
            return {}, {}
        return (values if isinstance(values, dict) else {}), {}
    body = _parse_file(path, context)
    if body is None:
        return {}, {}
    evaluator = Evaluator(_NoNames())
    attributes = body.attributes.items()
    values = {n: evaluator.value(a.expression) for n, a in attributes}
    return values, {n: a.line for n, a in attributes}


def _merge(config: ModuleConfig, body: Body, path: Path, context: LoadContext) -> None:
    for block in body.blocks:
        declared = Declared(block, path)
        if block.type == "locals":
            _merge_locals(config, block, path, context)
        elif block.type in ("resource", "data") and len(block.labels) == 2:
            pairs = config.resources if block.type == "resource" else config.data
            key = (block.labels[0], block.labels[1])
            _add(pairs, key, declared, context, f"{block.type} {'.'.join(key)}")
        elif block.type in ("variable", "module", "output") and block.labels:
            table = {
                "variable": config.variables,
                "module": config.modules,
                "output": config.outputs,
            }[block.type]
            name = block.labels[0]
            _add(table, name, declared, context, f"{block.type} {name}")
        elif block.type == "provider" and block.labels:
            config.providers.append(declared)


def _add(
    table: dict[Any, Declared],
    key: Any,
    declared: Declared,
    context: LoadContext,
    what: str,
) -> None:
    if key in table:
        first = table[key]
        context.problem(
            declared.path,
            f"{what} is declared twice (first at {first.path.name}:"
            f"{first.block.line}); the first declaration is used",
            declared.block.line,
        )
        return
    table[key] = declared


def _merge_locals(
    config: ModuleConfig, block: Block, path: Path, context: LoadContext
) -> None:
    for name, attribute in block.body.attributes.items():
        if name in config.locals:
            context.problem(path, f"local.{name} is declared twice", attribute.line)
            continue
        config.locals[name] = (attribute, path)
