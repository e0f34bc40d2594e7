"""One instance of a Terraform module: its names resolved, its resources built.

The root module takes its variables from tfvars and defaults; a local module
(``source = "./modules/x"``) is instantiated with the inputs its caller passes,
and its resources are addressed ``module.NAME.type.name``. A registry or git
module cannot be read offline, so it is kept as a ``module`` resource holding its
inputs, ``source`` and ``version`` as evidence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lockgate.review.loaders.context import LoadContext, combine
from lockgate.review.loaders.hcl_ast import Node
from lockgate.review.loaders.hcl_eval import Evaluator, Step
from lockgate.review.loaders.tf_config import Declared, ModuleConfig, literal_attribute
from lockgate.review.loaders.tf_resources import (
    META_ARGUMENTS,
    ResourceBuilder,
    instances,
)
from lockgate.review.model import Multiplicity, Ref, Resource, Unresolved

logger = logging.getLogger(__name__)

MAX_MODULE_DEPTH = 12
ReadModule = Callable[[Any], ModuleConfig]


@dataclass(slots=True)
class ModuleInstance:
    config: ModuleConfig
    prefix: str  # "" for the root, "module.a." for a child
    inputs: dict[str, Any]
    read_module: ReadModule
    context: LoadContext
    multiplicity: Multiplicity = Multiplicity.ONE
    callers: tuple[Any, ...] = ()  # folders of the modules above this one
    _locals: dict[str, Any] = field(default_factory=dict)
    _children: dict[str, ModuleInstance | None] = field(default_factory=dict)
    _outputs: dict[str, Any] = field(default_factory=dict)

    @property
    def evaluator(self) -> Evaluator:
        return Evaluator(self)

    # -- names -----------------------------------------------------------------

    def resolve(self, root: str, steps: list[Step], node: Node) -> tuple[Any, int]:
        first = _name(steps, 0)
        if root in ("var", "local") and first is None:
            return Unresolved(node.text, f"{root} needs a name"), len(steps)
        if root == "var":
            return self.variable(str(first)), 1
        if root == "local":
            return self.local(str(first)), 1
        if root == "module":
            return self._module_output(steps, node)
        if root == "data":
            return self._data_reference(steps, node)
        if first is not None and (root, first) in self.config.resources:
            return self._resource_reference(root, first, steps)
        return Unresolved(node.text, _unknown_name_reason(root)), len(steps)

    def variable(self, name: str) -> Any:
        if name in self.inputs:
            return self.inputs[name]
        declared = self.config.variables.get(name)
        if declared is None:
            return Unresolved(f"var.{name}", f"variable {name} is not declared")
        if "default" not in declared.block.body.attributes:
            return Unresolved(
                f"var.{name}", f"variable {name} has no default and no value is given"
            )
        return literal_attribute(declared.block.body, "default")

    def local(self, name: str) -> Any:
        if name not in self._locals:
            entry = self.config.locals.get(name)
            if entry is None:
                return Unresolved(f"local.{name}", f"local {name} is not declared")
            self._locals[name] = Unresolved(f"local.{name}", "local refers to itself")
            self._locals[name] = self.evaluator.value(entry[0].expression)
        return self._locals[name]

    def _module_output(self, steps: list[Step], node: Node) -> tuple[Any, int]:
        name, output = _name(steps, 0), _name(steps, 1)
        if name is None:
            return Unresolved(node.text, "module needs a name"), len(steps)
        used = 2 if output is not None else 1
        child = self.child(str(name))
        if child is None or output is None:
            declared = self.config.modules.get(str(name))
            source = (
                ""
                if declared is None
                else literal_attribute(declared.block.body, "source")
            )
            reason = f"output of module {name} ({source}), not read offline"
            return Unresolved(f"module.{name}.{output}", reason), used
        return child.output(str(output)), used

    def _data_reference(self, steps: list[Step], node: Node) -> tuple[Any, int]:
        kind, name = _name(steps, 0), _name(steps, 1)
        if kind is None or name is None or (kind, name) not in self.config.data:
            return Unresolved(node.text, "data source is not declared"), len(steps)
        used = 3 if len(steps) > 2 and steps[2][0] == "index" else 2
        return Ref(f"{self.prefix}data.{kind}.{name}"), used

    def _resource_reference(
        self, kind: str, name: str, steps: list[Step]
    ) -> tuple[Any, int]:
        address = f"{self.prefix}{kind}.{name}"
        if len(steps) > 1 and steps[1][0] == "index":
            key = steps[1][1]
            if isinstance(key, str) and self._expanded(kind, name):
                return Ref(f'{address}["{key}"]'), 2
            return Ref(address), 2
        return Ref(address), 1

    def _expanded(self, kind: str, name: str) -> bool:
        declared = self.config.resources[(kind, name)]
        return "for_each" in declared.block.body.attributes

    def output(self, name: str) -> Any:
        if name not in self._outputs:
            declared = self.config.outputs.get(name)
            value_attribute = (
                None
                if declared is None
                else declared.block.body.attributes.get("value")
            )
            if value_attribute is None:
                return Unresolved(f"{self.prefix}{name}", f"output {name} is missing")
            self._outputs[name] = self.evaluator.value(value_attribute.expression)
        return self._outputs[name]

    # -- children ----------------------------------------------------------------

    def child(self, name: str) -> ModuleInstance | None:
        """The local module instance called ``name``, or None if not local."""
        if name not in self._children:
            self._children[name] = None
            self._children[name] = self._instantiate(name)
        return self._children[name]

    def _instantiate(self, name: str) -> ModuleInstance | None:
        declared = self.config.modules.get(name)
        directory = self.config.local_sources().get(name)
        if (
            declared is None
            or directory is None
            or len(self.callers) >= MAX_MODULE_DEPTH
        ):
            return None
        if directory in (*self.callers, self.config.directory):
            self.context.problem(
                declared.path,
                f"module {name} calls a module above it ({directory.name}), which "
                "would never end; it is read once only",
                declared.block.line,
            )
            return None
        if not directory.is_dir():
            self.context.problem(
                declared.path,
                f"module {name} source {directory} is not a folder; check its source",
                declared.block.line,
            )
            return None
        counts = instances(self.evaluator, declared.block.body)
        if counts.multiplicity is None:
            return None
        evaluator = self.evaluator.with_bound(counts.bound)
        inputs = {
            key: evaluator.value(attribute.expression)
            for key, attribute in declared.block.body.attributes.items()
            if key not in META_ARGUMENTS and key not in ("source", "version")
        }
        return ModuleInstance(
            config=self.read_module(directory),
            prefix=f"{self.prefix}module.{name}.",
            inputs=inputs,
            read_module=self.read_module,
            context=self.context,
            multiplicity=combine(self.multiplicity, counts.multiplicity),
            callers=(*self.callers, self.config.directory),
        )

    # -- resources ---------------------------------------------------------------

    def resources(self) -> list[Resource]:
        builder = ResourceBuilder(self.evaluator, self.context, self.prefix)
        found: list[Resource] = []
        for (kind, name), declared in self.config.resources.items():
            found += self._build(builder, kind, name, declared, data=False)
        for (kind, name), declared in self.config.data.items():
            found += self._build(builder, kind, name, declared, data=True)
        for declared in self.config.providers:
            found.append(builder.provider(declared))
        for name, declared in self.config.modules.items():
            found += self._module_resources(builder, name, declared)
        return found

    def _build(
        self,
        builder: ResourceBuilder,
        kind: str,
        name: str,
        declared: Declared,
        *,
        data: bool,
    ) -> list[Resource]:
        built = builder.build(kind, name, declared, data=data)
        for resource in built:
            resource.multiplicity = combine(self.multiplicity, resource.multiplicity)
        return built

    def _module_resources(
        self, builder: ResourceBuilder, name: str, declared: Declared
    ) -> list[Resource]:
        child = self.child(name)
        if child is not None:
            return child.resources()
        if name in self.config.local_sources():
            return []  # a local module that is not created (count = 0)
        evidence = builder.remote_module(name, declared)
        if evidence is not None:
            evidence.multiplicity = combine(self.multiplicity, evidence.multiplicity)
            return [evidence]
        return []


def _name(steps: list[Step], index: int) -> str | None:
    if index < len(steps) and steps[index][0] == "attr":
        return str(steps[index][1])
    return None


def _unknown_name_reason(root: str) -> str:
    reasons = {
        "count": "count.index is known only per instance",
        "each": "each.key and each.value are known only per instance",
        "path": "paths are known only when Terraform runs",
        "terraform": "terraform.workspace is known only when Terraform runs",
        "self": "self is known only when the resource exists",
    }
    return reasons.get(root, f"{root} is not declared in this module")
