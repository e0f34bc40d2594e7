"""Loaders: infrastructure code in, one normalised :class:`Inventory` out.

``load_paths`` is the one entry point. It finds the files (``discover``), hands each
to the loader for its language, and names every file relative to the common root.
A file that cannot be read becomes a :class:`ParseProblem`; the review goes on.

    terraform      folders of .tf files: tf_config (parse), tf_instance (names,
                   modules), tf_resources (count, for_each, blocks); hcl_lexer,
                   hcl_parser, hcl_ast, hcl_eval, hcl_functions read HCL itself
    tfplan         terraform show -json output
    cloudformation YAML/JSON templates via cfn-lint's decoder; cfn_intrinsics
    arm            ARM JSON templates; arm_expr evaluates "[...]" expressions
    bicep          .bicep files: bicep_lexer, bicep_parser, bicep_functions

The HCL and Bicep readers share ``syntax`` (tokens, the lexer loop, the parser's
token cursor, SourceSyntaxError) and ``operators`` (precedence climbing).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from lockgate.review.loaders.context import LoadContext
from lockgate.review.loaders.discover import FileKind, SourceFile, discover
from lockgate.review.model import Inventory, Location, ParseProblem, Resource

logger = logging.getLogger(__name__)

__all__ = ["load_paths"]


def load_paths(
    paths: Sequence[Path], *, progress: Callable[[str], None] | None = None
) -> Inventory:
    """Read every infrastructure file under ``paths`` into one inventory."""
    context = LoadContext(progress=progress)
    for missing in (Path(p) for p in paths if not Path(p).exists()):
        context.problem(missing, "does not exist; check the path given to review")
    sources = discover([Path(p) for p in paths])
    _load_all(sources, context)
    return _relative_inventory([Path(p) for p in paths], context)


def _load_all(sources: list[SourceFile], context: LoadContext) -> None:
    by_kind: dict[FileKind, list[SourceFile]] = {}
    for source in sources:
        by_kind.setdefault(source.kind, []).append(source)

    for kind, loader in _loaders().items():
        batch = [s for k in kind for s in by_kind.get(k, [])]
        if batch:
            _run_safely(loader, batch, context)


Loader = Callable[[list[SourceFile], LoadContext], None]


def _loaders() -> dict[tuple[FileKind, ...], Loader]:
    from lockgate.review.loaders import arm, bicep, cloudformation, terraform, tfplan

    return {
        (FileKind.TERRAFORM, FileKind.TFVARS, FileKind.TFVARS_JSON): terraform.load,
        (FileKind.TERRAFORM_PLAN,): tfplan.load,
        (FileKind.CLOUDFORMATION,): cloudformation.load,
        (FileKind.ARM, FileKind.ARM_PARAMETERS): arm.load,
        (FileKind.BICEP, FileKind.BICEP_PARAMS, FileKind.ARM_PARAMETERS): bicep.load,
    }


def _run_safely(loader: Loader, batch: list[SourceFile], context: LoadContext) -> None:
    """A loader bug must not end the review: its files become problems instead."""
    with context.guard([s.path for s in batch], loader.__module__):
        loader(batch, context)


def _relative_inventory(paths: list[Path], context: LoadContext) -> Inventory:
    folders = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths]
    folders += [Path(f).parent for f in context.files]
    root = os.path.commonpath([str(f) for f in folders]) if folders else os.getcwd()

    names: dict[str, str] = {}

    def rel(name: str) -> str:
        if name not in names:
            names[name] = Path(os.path.relpath(name, root)).as_posix()
        return names[name]

    def moved(location: Location) -> Location:
        return Location(rel(location.file), location.line, location.column)

    resources = [_move_resource(r, moved) for r in context.resources]
    unique = dict.fromkeys((rel(p.file), p.message, p.line) for p in context.problems)
    problems = [ParseProblem(*problem) for problem in unique]  # a module read twice
    files = sorted({rel(f) for f in context.files})
    not_created = [_move_resource(r, moved) for r in context.not_created]
    outputs = [_move_resource(r, moved) for r in context.outputs]
    parameters = [_move_resource(r, moved) for r in context.parameters]
    return Inventory(
        Path(root).as_posix(),
        resources,
        problems,
        files,
        not_created,
        outputs,
        parameters,
    )


def _move_resource(
    resource: Resource, moved: Callable[[Location], Location]
) -> Resource:
    resource.location = moved(resource.location)
    resource.locations = {k: moved(v) for k, v in resource.locations.items()}
    resource.origins = {k: moved(v) for k, v in resource.origins.items()}
    return resource
