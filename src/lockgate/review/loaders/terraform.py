"""Terraform configurations: each folder of ``.tf`` files is one module.

A folder that another reviewed folder calls as a local module is not reviewed on
its own: it is read as part of its caller, with the caller's inputs. Every other
folder is a root module, with variables from ``terraform.tfvars`` and
``*.auto.tfvars`` over their defaults.

Several roots in one review may declare the same address (two examples calling
the same module); their resources are all kept, so an address can appear once
per root.
"""

from __future__ import annotations

import logging
from pathlib import Path

from lockgate.review.loaders.context import LoadContext, entry_points
from lockgate.review.loaders.discover import FileKind, SourceFile
from lockgate.review.loaders.tf_config import ModuleConfig, read_module
from lockgate.review.loaders.tf_instance import ModuleInstance
from lockgate.review.model import Multiplicity

logger = logging.getLogger(__name__)


class _ModuleCache:
    """Each module folder is parsed once, however often it is called."""

    def __init__(self, context: LoadContext) -> None:
        self.context = context
        self.configs: dict[Path, ModuleConfig] = {}

    def __call__(self, directory: Path) -> ModuleConfig:
        directory = directory.resolve()
        if directory not in self.configs:
            self.configs[directory] = read_module(directory, self.context)
        return self.configs[directory]


def load(sources: list[SourceFile], context: LoadContext) -> None:
    cache = _ModuleCache(context)
    folders = sorted(
        {s.path.resolve().parent for s in sources if s.kind is FileKind.TERRAFORM}
    )
    configs = [cache(folder) for folder in folders]

    by_folder = {config.directory: config for config in configs}
    calls = {c.directory: set(c.local_sources().values()) for c in configs}
    for folder in entry_points(list(by_folder), calls):
        config = by_folder[folder]
        files = sorted([*folder.glob("*.tf"), *folder.glob("*.tf.json")])
        with context.guard(files, str(config.directory)):
            root = ModuleInstance(
                config=config,
                prefix="",
                inputs=dict(config.tfvars),
                read_module=cache,
                context=context,
            )
            for resource in root.resources():
                if resource.type == "output":
                    context.outputs.append(resource)
                elif resource.multiplicity is Multiplicity.NONE:
                    context.not_created.append(resource)
                else:
                    context.resources.append(resource)

    read = set(context.files)
    for source in sources:
        if (
            source.kind is not FileKind.TERRAFORM
            and context.name(source.path) not in read
        ):
            context.read(source.path)  # tfvars Terraform does not load by itself
