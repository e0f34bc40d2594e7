"""Bicep files: resources by symbolic name, params, vars, local modules inlined.

A resource's address is its symbolic name; a nested child is ``parent::child``
and its type gets the parent's type in front. A local module
(``module m './x.bicep'``) is read with the params its caller passes, its
resources addressed ``m/<symbol>``; a registry module (``br:``, ``ts:``) is kept
as a ``module`` resource with its params and ``source`` as evidence. A file that
another reviewed file calls as a module is not reviewed on its own.
``existing`` resources are kept with ``attributes["__meta__"]["existing"]``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lockgate.review.loaders.arm import parameters_file_for, read_parameters_file
from lockgate.review.loaders.bicep_ast import BicepFile, Declaration
from lockgate.review.loaders.bicep_functions import FUNCTIONS
from lockgate.review.loaders.bicep_links import link_resource_ids
from lockgate.review.loaders.bicep_parser import parse_bicep
from lockgate.review.loaders.context import LoadContext, combine, entry_points
from lockgate.review.loaders.discover import FileKind, SourceFile
from lockgate.review.loaders.hcl_ast import Node, ObjectCons, Variable, item_lines
from lockgate.review.loaders.hcl_eval import Evaluator, Step
from lockgate.review.loaders.syntax import SourceSyntaxError
from lockgate.review.model import Multiplicity, Ref, Resource, SourceFormat, Unresolved

logger = logging.getLogger(__name__)

MAX_MODULE_DEPTH = 12
_REMOTE = ("br:", "br/", "ts:", "ts/")


class _Files:
    """Each Bicep file is parsed once; a broken one is reported once."""

    def __init__(self, context: LoadContext) -> None:
        self.context = context
        self.parsed: dict[Path, BicepFile | None] = {}

    def __call__(self, path: Path) -> BicepFile | None:
        path = path.resolve()
        if path not in self.parsed:
            self.parsed[path] = self._parse(path)
        return self.parsed[path]

    def _parse(self, path: Path) -> BicepFile | None:
        self.context.read(path)
        try:
            return parse_bicep(path.read_text(encoding="utf-8-sig"))
        except SourceSyntaxError as error:
            self.context.problem(path, f"not valid Bicep: {error.message}", error.line)
        except (OSError, UnicodeDecodeError) as error:
            self.context.problem(path, f"cannot be read: {error}", None)
        except RecursionError:
            self.context.problem(path, "expressions are nested too deeply to read")
        return None


def load(sources: list[SourceFile], context: LoadContext) -> None:
    files = _Files(context)
    kinds = {s.path.resolve(): s for s in sources}
    parsed = {
        path: files(path) for path, s in kinds.items() if s.kind is FileKind.BICEP
    }
    values = _parameter_values(kinds, files, context)
    calls = {
        path: set(_local_modules(path, bicep).values())
        for path, bicep in parsed.items()
        if bicep is not None
    }
    for path in entry_points(list(calls), calls):
        bicep = parsed[path]
        if bicep is not None:
            with context.guard([path], str(path)):
                inputs = values.get(path, {})
                root = BicepInstance(path, bicep, "", inputs, files, context)
                found = root.resources()
                link_resource_ids(found)
                context.resources.extend(found)


def _parameter_values(
    sources: dict[Path, SourceFile], files: _Files, context: LoadContext
) -> dict[Path, dict[str, Any]]:
    """Values for root files: a ``.bicepparam`` using them, else a parameters file.

    The parameters file of ``main.bicep`` is ``main.parameters.json`` beside it.
    """
    found: dict[Path, dict[str, Any]] = {}
    for path, source in sources.items():
        if source.kind is FileKind.BICEP:
            json_file = sources.get(parameters_file_for(path))
            if json_file is not None and json_file.text is not None:
                found[path] = read_parameters_file(json_file.text)
    for path, source in sources.items():
        if source.kind is FileKind.BICEP_PARAMS:
            parameters = files(path)
            if parameters is not None and parameters.using:
                target = (path.parent / parameters.using).resolve()
                holder = BicepInstance(path, parameters, "", {}, files, context)
                found[target] = {name: holder.param(name) for name in parameters.params}
    return found


def _local_modules(path: Path, bicep: BicepFile) -> dict[str, Path]:
    return {
        d.symbol: (path.parent / d.target).resolve()
        for d in bicep.declarations
        if d.keyword == "module" and not d.target.startswith(_REMOTE)
    }


def _property(body: ObjectCons, name: str) -> Node | None:
    for item in body.items:
        if isinstance(item.key, Variable) and item.key.name == name:
            return item.value
    return None


@dataclass(slots=True)
class BicepInstance:
    path: Path
    file: BicepFile
    prefix: str
    inputs: dict[str, Any]
    files: _Files
    context: LoadContext
    multiplicity: Multiplicity = Multiplicity.ONE
    callers: tuple[Path, ...] = ()  # files of the modules above this one
    _variables: dict[str, Any] = field(default_factory=dict)
    _symbols: dict[str, Declaration] = field(default_factory=dict)
    _modules: dict[str, BicepInstance | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for declaration in self.file.declarations:
            self._index(declaration, "")

    def _index(self, declaration: Declaration, parent: str) -> None:
        symbol = f"{parent}::{declaration.symbol}" if parent else declaration.symbol
        self._symbols[symbol] = declaration
        for child in declaration.children:
            self._index(child, symbol)

    @property
    def evaluator(self) -> Evaluator:
        return Evaluator(self, functions=FUNCTIONS)

    # -- names -----------------------------------------------------------------

    def resolve(self, root: str, steps: list[Step], node: Node) -> tuple[Any, int]:
        if root in self.file.params:
            return self.param(root), 0
        if root in self.file.variables:
            return self.variable(root), 0
        declaration = self._symbols.get(root)
        if declaration is None:
            return Unresolved(node.text, f"{root} is not declared in this file"), 0
        if declaration.keyword == "module":
            return self._module_output(root, steps, node)
        if steps and steps[0] == ("attr", "name") and declaration.loop is None:
            name = _property(declaration.body, "name")
            if name is not None:
                return self.evaluator.value(name), 1
        return Ref(f"{self.prefix}{root}"), 0

    def param(self, name: str) -> Any:
        if name in self.inputs:
            return self.inputs[name]
        default, _line, nullable = self.file.params[name]
        if default is None and nullable:
            return None  # a nullable parameter left out is null
        if default is None:
            reason = f"parameter {name} has no default and no value is given"
            return Unresolved(name, reason)
        return self.evaluator.value(default)

    def variable(self, name: str) -> Any:
        if name not in self._variables:
            self._variables[name] = Unresolved(name, "variable refers to itself")
            self._variables[name] = self.evaluator.value(self.file.variables[name])
        return self._variables[name]

    def _module_output(
        self, symbol: str, steps: list[Step], node: Node
    ) -> tuple[Any, int]:
        child = self.module(symbol)
        if len(steps) >= 2 and steps[0] == ("attr", "outputs") and child is not None:
            output = child.file.outputs.get(str(steps[1][1]))
            if output is not None:
                return child.evaluator.value(output), 2
        reason = f"output of module {symbol}, not read"
        return Unresolved(node.text, reason), len(steps)

    # -- modules -------------------------------------------------------------------

    def module(self, symbol: str) -> BicepInstance | None:
        if symbol not in self._modules:
            self._modules[symbol] = None
            self._modules[symbol] = self._instantiate(symbol)
        return self._modules[symbol]

    def _instantiate(self, symbol: str) -> BicepInstance | None:
        declaration = self._symbols[symbol]
        target = _local_modules(self.path, self.file).get(symbol)
        if target is None or len(self.callers) >= MAX_MODULE_DEPTH:
            return None
        if target in (*self.callers, self.path):
            message = f"module {symbol} calls a file above it, which would never end"
            self.context.problem(self.path, message, declaration.line)
            return None
        if not target.is_file():
            message = f"module {symbol} file {declaration.target!r} is not there"
            self.context.problem(self.path, message, declaration.line)
            return None
        child = self.files(target)
        multiplicity = self._multiplicity(declaration)
        if child is None or multiplicity is None:
            return None
        params = _property(declaration.body, "params")
        inputs = self.evaluator.value(params) if params is not None else {}
        return BicepInstance(
            target,
            child,
            f"{self.prefix}{symbol}/",
            inputs if isinstance(inputs, dict) else {},
            self.files,
            self.context,
            combine(self.multiplicity, multiplicity),
            (*self.callers, self.path),
        )

    # -- resources -----------------------------------------------------------------

    def resources(self) -> list[Resource]:
        found: list[Resource] = []
        for declaration in self.file.declarations:
            if declaration.keyword == "resource":
                found += self._build(declaration, None, None, self.multiplicity)
            else:
                found += self._module_resources(declaration)
        return found

    def _module_resources(self, declaration: Declaration) -> list[Resource]:
        child = self.module(declaration.symbol)
        if child is not None:
            return child.resources()
        if not declaration.target.startswith(_REMOTE):
            return []  # a local module that is left out or could not be read
        multiplicity = self._multiplicity(declaration)
        if multiplicity is None:
            return []
        evidence = self._resource(
            "module", declaration.symbol, declaration, multiplicity
        )
        evidence.attributes["source"] = declaration.target
        return [evidence]

    def _build(
        self,
        declaration: Declaration,
        parent_type: str | None,
        parent_symbol: str | None,
        outer: Multiplicity,
    ) -> list[Resource]:
        multiplicity = self._multiplicity(declaration)
        if multiplicity is None:
            return []
        multiplicity = combine(outer, multiplicity)
        kind = declaration.target.split("@", 1)[0]
        if parent_type is not None and "/" not in kind:
            kind = f"{parent_type}/{kind}"
        symbol = declaration.symbol
        if parent_symbol is not None:
            symbol = f"{parent_symbol}::{symbol}"

        found = [self._resource(kind, symbol, declaration, multiplicity)]
        for child in declaration.children:
            found += self._build(child, kind, symbol, multiplicity)
        return found

    def _multiplicity(self, declaration: Declaration) -> Multiplicity | None:
        if declaration.condition is not None:
            condition = self.evaluator.value(declaration.condition)
            if condition is False:
                return None
            if condition is not True:
                return Multiplicity.CONDITIONAL
        if declaration.loop is not None:
            collection = self.evaluator.value(declaration.loop.collection)
            if collection == []:
                return None
            return Multiplicity.ONE_OR_MORE
        return Multiplicity.ONE

    def _resource(
        self,
        kind: str,
        symbol: str,
        declaration: Declaration,
        multiplicity: Multiplicity,
    ) -> Resource:
        evaluator = self.evaluator
        if declaration.loop is not None:
            evaluator = evaluator.with_bound(_loop_names(declaration))
        attributes = evaluator.value(declaration.body)
        if not isinstance(attributes, dict):
            attributes = {"__body__": attributes}
        if declaration.existing:
            attributes["__meta__"] = {"existing": True}
        locations = {
            path: self.context.location(self.path, line)
            for path, line in item_lines(declaration.body, ()).items()
        }
        return Resource(
            type=kind,
            address=f"{self.prefix}{symbol}",
            source=SourceFormat.BICEP,
            location=self.context.location(self.path, declaration.line),
            attributes=attributes,
            locations=locations,
            multiplicity=multiplicity,
            module=self.prefix.rstrip("/") or None,
        )


def _loop_names(declaration: Declaration) -> dict[str, Any]:
    loop = declaration.loop
    assert loop is not None
    names: dict[str, Any] = {
        loop.item: Unresolved(loop.item, "the loop item is known only per instance")
    }
    if loop.index:
        names[loop.index] = Unresolved(loop.index, "the loop index is per instance")
    return names
