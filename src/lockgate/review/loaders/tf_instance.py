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
from pathlib import Path
from typing import Any

from lockgate.review.loaders.context import LoadContext, combine
from lockgate.review.loaders.hcl_ast import Node
from lockgate.review.loaders.hcl_eval import Evaluator, Step
from lockgate.review.loaders.hcl_functions import FUNCTIONS
from lockgate.review.loaders.tf_config import Declared, ModuleConfig, literal_attribute
from lockgate.review.loaders.tf_files import file_functions, relative_path
from lockgate.review.loaders.tf_origins import expression_origin
from lockgate.review.loaders.tf_resources import (
    META_ARGUMENTS,
    ResourceBuilder,
    instances,
)
from lockgate.review.loaders.tf_types import apply_type
from lockgate.review.model import Location, Multiplicity, Ref, Resource, Unresolved

logger = logging.getLogger(__name__)

MAX_MODULE_DEPTH = 12
ReadModule = Callable[[Path], ModuleConfig]


@dataclass(slots=True)
class ModuleInstance:
    config: ModuleConfig
    prefix: str  # "" for the root, "module.a." for a child
    inputs: dict[str, Any]
    read_module: ReadModule
    context: LoadContext
    multiplicity: Multiplicity = Multiplicity.ONE
    callers: tuple[Path, ...] = ()  # folders of the modules above this one
    key: str | None = None  # the for_each key of this instance, if expanded
    root: Path | None = None  # the root module's folder; None for the root itself
    input_origins: dict[str, Location] = field(default_factory=dict)
    _functions: dict[str, Callable[[list[Any]], Any]] | None = None
    _locals: dict[str, Any] = field(default_factory=dict)
    _children: dict[str, list[ModuleInstance]] = field(default_factory=dict)
    _outputs: dict[str, Any] = field(default_factory=dict)
    _variables: dict[str, Any] = field(default_factory=dict)
    _expansions: dict[str, bool] = field(default_factory=dict)
    _origins: dict[str, Location | None] = field(default_factory=dict)

    @property
    def evaluator(self) -> Evaluator:
        if self._functions is None:
            folder = self.root or self.config.directory
            self._functions = {
                **FUNCTIONS,
                **file_functions(folder, self.config.directory),
            }
        return Evaluator(self, functions=self._functions)

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
        if root == "path" and first in ("module", "root", "cwd"):
            folder = self.config.directory if first == "module" else self.root
            return relative_path(folder or self.config.directory, self._root()), 1
        if root == "data":
            return self._data_reference(steps, node)
        if first is not None and (root, first) in self.config.resources:
            return self._resource_reference(root, first, steps)
        return Unresolved(node.text, _unknown_name_reason(root)), len(steps)

    def _root(self) -> Path:
        return self.root or self.config.directory

    # -- origins -----------------------------------------------------------------

    def name_origin(self, root: str, first: str | None) -> Location | None:
        """Where ``var.NAME`` or ``local.NAME`` got its value (see tf_origins)."""
        if first is None or root not in ("var", "local"):
            return None
        key = f"{root}.{first}"
        if key not in self._origins:
            self._origins[key] = None  # a local that reads itself has no origin
            self._origins[key] = (
                self._variable_origin(first)
                if root == "var"
                else self._local_origin(first)
            )
        return self._origins[key]

    def _variable_origin(self, name: str) -> Location | None:
        if name in self.input_origins:
            return self.input_origins[name]
        if name in self.inputs and name in self.config.tfvars_lines:
            path, line = self.config.tfvars_lines[name]
            return self.context.location(path, line)
        declared = self.config.variables.get(name)
        if declared is None:
            return None
        return self.context.location(declared.path, declared.block.line)

    def _local_origin(self, name: str) -> Location | None:
        entry = self.config.locals.get(name)
        if entry is None:
            return None
        attribute, path = entry
        found = expression_origin(attribute.expression, self, {})
        return found or self.context.location(path, attribute.line)

    def variable(self, name: str) -> Any:
        """The value given, else the default, with the type's optional() defaults."""
        if name not in self._variables:
            self._variables[name] = self._variable(name)
        return self._variables[name]

    def _variable(self, name: str) -> Any:
        declared = self.config.variables.get(name)
        if name in self.inputs:
            value = self.inputs[name]
        elif declared is None:
            return Unresolved(f"var.{name}", f"variable {name} is not declared")
        elif "default" not in declared.block.body.attributes:
            return Unresolved(
                f"var.{name}", f"variable {name} has no default and no value is given"
            )
        else:
            value = literal_attribute(declared.block.body, "default")
        kind = None if declared is None else declared.block.body.attributes.get("type")
        return (
            value
            if kind is None
            else apply_type(kind.expression, value, self.evaluator)
        )

    def local(self, name: str) -> Any:
        if name not in self._locals:
            entry = self.config.locals.get(name)
            if entry is None:
                return Unresolved(f"local.{name}", f"local {name} is not declared")
            self._locals[name] = Unresolved(f"local.{name}", "local refers to itself")
            self._locals[name] = self.evaluator.value(entry[0].expression)
        return self._locals[name]

    def _module_output(self, steps: list[Step], node: Node) -> tuple[Any, int]:
        name = _name(steps, 0)
        if name is None:
            return Unresolved(node.text, "module needs a name"), len(steps)
        found = self.children(name)
        if len(found) == 1 and found[0].key is None and _name(steps, 1):
            return found[0].output(str(_name(steps, 1))), 2
        single = len(found) == 1 and found[0].key is None
        if single and len(steps) > 2 and steps[1][0] == "index" and _name(steps, 2):
            return found[0].output(str(_name(steps, 2))), 3  # a one-key for_each
        if found and len(steps) > 2 and steps[1][0] == "index" and _name(steps, 2):
            match = next((c for c in found if c.key == steps[1][1]), None)
            if match is not None:
                return match.output(str(_name(steps, 2))), 3
        return Unresolved(node.text, self._output_reason(name)), len(steps)

    def _output_reason(self, name: str) -> str:
        declared = self.config.modules.get(name)
        if declared is None:
            return f"module {name} is not declared"
        if name in self.config.local_sources():
            return f"module {name} has no such instance or output"
        source = literal_attribute(declared.block.body, "source")
        return f"output of module {name} ({source}), not read offline"

    def _data_reference(self, steps: list[Step], node: Node) -> tuple[Any, int]:
        kind, name = _name(steps, 0), _name(steps, 1)
        if kind is None or name is None or (kind, name) not in self.config.data:
            return Unresolved(node.text, "data source is not declared"), len(steps)
        declared = self.config.data[(kind, name)]
        return self._reference(f"data.{kind}.{name}", declared, steps[2:], 2)

    def _resource_reference(
        self, kind: str, name: str, steps: list[Step]
    ) -> tuple[Any, int]:
        declared = self.config.resources[(kind, name)]
        return self._reference(f"{kind}.{name}", declared, steps[1:], 1)

    def _reference(
        self, local: str, declared: Declared, rest: list[Step], used: int
    ) -> tuple[Any, int]:
        """A Ref to a resource; an index picks one of its for_each instances."""
        address = f"{self.prefix}{local}"
        if not rest or rest[0][0] != "index":
            return Ref(address), used
        key = rest[0][1]
        if isinstance(key, str) and self._expanded(local, declared):
            return Ref(f'{address}["{key}"]'), used + 1
        return Ref(address), used + 1

    def _expanded(self, local: str, declared: Declared) -> bool:
        """Whether the resource is made once per key (a known, multi-key for_each)."""
        if local not in self._expansions:
            self._expansions[local] = False  # guards against self-reference
            counted = instances(self.evaluator, declared.block.body)
            self._expansions[local] = bool(counted.keys and len(counted.keys) > 1)
        return self._expansions[local]

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

    def children(self, name: str) -> list[ModuleInstance]:
        """The instances of local module ``name``: none if remote or not created."""
        if name not in self._children:
            self._children[name] = []
            self._children[name] = self._instantiate(name)
        return self._children[name]

    def _instantiate(self, name: str) -> list[ModuleInstance]:
        declared = self.config.modules.get(name)
        directory = self.config.local_sources().get(name)
        if declared is None or directory is None or not self._may_call(name, declared):
            return []
        counts = instances(self.evaluator, declared.block.body)
        if counts.multiplicity is None:
            return []
        multiplicity = combine(self.multiplicity, counts.multiplicity)
        if counts.keys is not None and len(counts.keys) > 1:
            return [
                self._instance(name, declared, bound, multiplicity, key)
                for key, bound in counts.keys
            ]
        return [self._instance(name, declared, counts.bound, multiplicity, None)]

    def _may_call(self, name: str, declared: Declared) -> bool:
        directory = self.config.local_sources()[name]
        if len(self.callers) >= MAX_MODULE_DEPTH:
            return False
        if directory in (*self.callers, self.config.directory):
            message = (
                f"module {name} calls a module above it ({directory.name}), which "
                "would never end; it is read once only"
            )
        elif not directory.is_dir():
            message = f"module {name} source {directory} is not a folder; check it"
        else:
            return True
        self.context.problem(declared.path, message, declared.block.line)
        return False

    def _instance(
        self,
        name: str,
        declared: Declared,
        bound: dict[str, Any],
        multiplicity: Multiplicity,
        key: str | None,
    ) -> ModuleInstance:
        evaluator = self.evaluator.with_bound(bound)
        inputs = {
            argument: evaluator.value(attribute.expression)
            for argument, attribute in declared.block.body.attributes.items()
            if argument not in META_ARGUMENTS and argument not in ("source", "version")
        }
        suffix = "" if key is None else f'["{key}"]'
        origins = {
            argument: expression_origin(attribute.expression, self, {})
            or self.context.location(declared.path, attribute.line)
            for argument, attribute in declared.block.body.attributes.items()
            if argument in inputs
        }
        return ModuleInstance(
            config=self.read_module(self.config.local_sources()[name]),
            prefix=f"{self.prefix}module.{name}{suffix}.",
            inputs=inputs,
            read_module=self.read_module,
            context=self.context,
            multiplicity=multiplicity,
            callers=(*self.callers, self.config.directory),
            key=key,
            root=self._root(),
            input_origins=origins,
        )

    # -- resources ---------------------------------------------------------------

    def resources(self) -> list[Resource]:
        builder = ResourceBuilder(self.evaluator, self.context, self.prefix, self)
        found: list[Resource] = []
        for (kind, name), declared in self.config.resources.items():
            found += self._build(builder, kind, name, declared, data=False)
        for (kind, name), declared in self.config.data.items():
            found += self._build(builder, kind, name, declared, data=True)
        for declared in self.config.providers:
            found.append(builder.provider(declared))
        for name, declared in self.config.outputs.items():
            found += self._build(builder, "output", name, declared, data=False)
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
        found = self.children(name)
        if found:
            return [r for child in found for r in child.resources()]
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
        "terraform": "terraform.workspace is known only when Terraform runs",
        "self": "self is known only when the resource exists",
    }
    return reasons.get(root, f"{root} is not declared in this module")
