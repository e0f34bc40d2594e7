"""Turn Terraform resource, data, provider and module blocks into Resources.

``count`` and ``for_each`` are evaluated: a count of 0 or an empty ``for_each``
makes one NONE resource (declared, never created; the loader keeps it apart from
the created ones); a count of 1 makes one resource; a known ``for_each``
makes one resource per key, addressed ``type.name["key"]``; anything else makes
a single ONE_OR_MORE resource (CONDITIONAL when the expression is a conditional
with a 0 or empty branch). Nested blocks become lists of dicts under the block
type, ``dynamic`` blocks are expanded, and every attribute keeps its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lockgate.review.loaders.context import LoadContext
from lockgate.review.loaders.hcl_ast import (
    Body,
    Conditional,
    Literal,
    Node,
    ObjectCons,
    TupleCons,
    item_lines,
)
from lockgate.review.loaders.hcl_eval import Evaluator
from lockgate.review.loaders.tf_config import Declared
from lockgate.review.loaders.tf_origins import OriginScope, expression_origin
from lockgate.review.model import (
    Location,
    Multiplicity,
    Resource,
    SourceFormat,
    Unresolved,
)
from lockgate.review.model import Path as AttributePath

META_ARGUMENTS = frozenset(
    {"count", "for_each", "depends_on", "provider", "providers", "lifecycle"}
)
_SKIPPED_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})


@dataclass(slots=True)
class Instances:
    """How many instances a block makes, and the names each one binds."""

    multiplicity: Multiplicity | None  # None: none is created
    bound: dict[str, Any] = field(default_factory=dict)
    keys: list[tuple[str, dict[str, Any]]] | None = None  # a known for_each


def instances(evaluator: Evaluator, body: Body) -> Instances:
    if "count" in body.attributes:
        return _count(evaluator, body.attributes["count"].expression)
    if "for_each" in body.attributes:
        found = _for_each(evaluator, body.attributes["for_each"].expression)
        if found.keys is not None and len(found.keys) == 1:
            found.bound = found.keys[0][1]
        return found
    return Instances(Multiplicity.ONE)


def _count(evaluator: Evaluator, expression: Node) -> Instances:
    value = evaluator.value(expression)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if int(value) <= 0:
            return Instances(None)
        if int(value) == 1:
            return Instances(Multiplicity.ONE, {"count": {"index": 0}})
        return Instances(Multiplicity.ONE_OR_MORE)
    if _has_empty_branch(expression):
        return Instances(Multiplicity.CONDITIONAL)
    return Instances(Multiplicity.ONE_OR_MORE)


def _for_each(evaluator: Evaluator, expression: Node) -> Instances:
    value = evaluator.value(expression)
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        pairs = [(v, v) for v in value]
    else:
        multiplicity = (
            Multiplicity.CONDITIONAL
            if _has_empty_branch(expression)
            else Multiplicity.ONE_OR_MORE
        )
        return Instances(multiplicity)
    if not pairs:
        return Instances(None)
    keys = [(str(k), {"each": {"key": k, "value": v}}) for k, v in pairs]
    return Instances(Multiplicity.ONE, keys=keys)


def _has_empty_branch(expression: Node) -> bool:
    if not isinstance(expression, Conditional):
        return False
    for branch in (expression.when_true, expression.when_false):
        if isinstance(branch, Literal) and branch.value in (0, None):
            return True
        if isinstance(branch, (ObjectCons, TupleCons)):
            items = branch.items
            if not items:
                return True
    return False


class _NoOrigins:
    def name_origin(self, root: str, first: str | None) -> Location | None:
        return None


class ResourceBuilder:
    def __init__(
        self,
        evaluator: Evaluator,
        context: LoadContext,
        prefix: str,
        scope: OriginScope | None = None,
    ) -> None:
        self.evaluator = evaluator
        self.context = context
        self.prefix = prefix
        self.module = prefix.rstrip(".") or None
        self.scope: OriginScope = scope or _NoOrigins()

    def build(
        self, kind: str, name: str, declared: Declared, *, data: bool
    ) -> list[Resource]:
        body = declared.block.body
        counted = instances(self.evaluator, body)
        full_type = f"data.{kind}" if data else kind
        address = f"{self.prefix}{full_type}.{name}"
        if counted.multiplicity is None:
            return [self._resource(full_type, address, declared, {}, Multiplicity.NONE)]
        if counted.keys is not None and len(counted.keys) > 1:
            return [
                self._resource(full_type, f'{address}["{key}"]', declared, bound,
                               counted.multiplicity)
                for key, bound in counted.keys
            ]  # fmt: skip
        return [
            self._resource(
                full_type, address, declared, counted.bound, counted.multiplicity
            )
        ]

    def _resource(
        self,
        kind: str,
        address: str,
        declared: Declared,
        bound: dict[str, Any],
        multiplicity: Multiplicity,
    ) -> Resource:
        evaluator = self.evaluator.with_bound(bound) if bound else self.evaluator
        locations: dict[AttributePath, Location] = {}
        names, origins = self._loop_origins(declared)
        reader = _BodyReader(
            evaluator,
            self.context,
            declared.path,
            locations,
            self.scope,
            {name: origin for name, origin in names.items() if name in bound},
            origins,
        )
        attributes = reader.read(declared.block.body, (), top=True)
        return Resource(
            type=kind,
            address=address,
            source=SourceFormat.TERRAFORM,
            location=self.context.location(declared.path, declared.block.line),
            attributes=attributes,
            locations=locations,
            multiplicity=multiplicity,
            module=self.module,
            origins=reader.origins,
        )

    def _loop_origins(
        self, declared: Declared
    ) -> tuple[dict[str, Location], dict[AttributePath, Location]]:
        """Where ``count`` / ``for_each`` got their value: by the name each binds
        (``count``, ``each``), and by its own path when it was set elsewhere."""
        names: dict[str, Location] = {}
        paths: dict[AttributePath, Location] = {}
        for meta, bound in (("count", "count"), ("for_each", "each")):
            attribute = declared.block.body.attributes.get(meta)
            if attribute is None:
                continue
            origin = expression_origin(attribute.expression, self.scope, {})
            if origin is not None:
                paths[(meta,)] = origin
            names[bound] = origin or self.context.location(
                declared.path, attribute.line
            )
        return names, paths

    def provider(self, declared: Declared) -> Resource:
        name = declared.block.labels[0]
        alias = declared.block.body.attributes.get("alias")
        suffix = ""
        if alias is not None:
            value = self.evaluator.value(alias.expression)
            suffix = f".{value}" if isinstance(value, str) else ""
        resource = self._resource(
            f"provider.{name}",
            f"{self.prefix}provider.{name}{suffix}",
            declared,
            {},
            Multiplicity.ONE,
        )
        return resource

    def remote_module(self, name: str, declared: Declared) -> Resource | None:
        counted = instances(self.evaluator, declared.block.body)
        if counted.multiplicity is None:
            return None
        return self._resource(
            "module",
            f"{self.prefix}module.{name}",
            declared,
            counted.bound,
            counted.multiplicity,
        )


@dataclass(slots=True)
class _BodyReader:
    evaluator: Evaluator
    context: LoadContext
    path: Path
    locations: dict[AttributePath, Location]
    scope: OriginScope = field(default_factory=_NoOrigins)
    bound: dict[str, Location] = field(default_factory=dict)  # loop name: origin
    origins: dict[AttributePath, Location] = field(default_factory=dict)

    def locate(self, line: int) -> Location:
        return self.context.location(self.path, line)

    def read(
        self, body: Body, at: AttributePath, *, top: bool = False
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, attribute in body.attributes.items():
            if top and name in META_ARGUMENTS:
                continue
            values[name] = self.evaluator.value(attribute.expression)
            self.locations[(*at, name)] = self.locate(attribute.line)
            self._record_origin(attribute.expression, (*at, name))
            self._record_items(attribute.expression, (*at, name))
        if top and "depends_on" in body.attributes:
            depends = self.evaluator.value(body.attributes["depends_on"].expression)
            values["__meta__"] = {"depends_on": depends}
        for block in body.blocks:
            if top and block.type in _SKIPPED_BLOCKS:
                continue
            if block.type == "dynamic" and block.labels:
                self._dynamic(block.labels[0], block.body, block.line, at, values)
                continue
            items = values.setdefault(block.type, [])
            self.locations.setdefault((*at, block.type), self.locate(block.line))
            if isinstance(items, list):
                where = (*at, block.type, len(items))
                self.locations[where] = self.locate(block.line)
                items.append(self.read(block.body, where))
        return values

    def _record_origin(self, node: Node, at: AttributePath) -> Location | None:
        origin = expression_origin(node, self.scope, self.bound)
        if origin is not None:
            self.origins[at] = origin
        return origin

    def _record_items(self, node: Node, at: AttributePath) -> None:
        for path, line in item_lines(node, at).items():
            self.locations[path] = self.locate(line)

    def _dynamic(
        self,
        label: str,
        body: Body,
        line: int,
        at: AttributePath,
        values: dict[str, Any],
    ) -> None:
        content = next((b for b in body.blocks if b.type == "content"), None)
        source = body.attributes.get("for_each")
        if content is None or source is None:
            return
        iterator = body.attributes.get("iterator")
        name = getattr(iterator.expression, "name", label) if iterator else label
        collection = self.evaluator.value(source.expression)
        items = values.setdefault(label, [])
        self.locations.setdefault((*at, label), self.locate(line))
        origin = self._record_origin(source.expression, (*at, label))
        bound = {**self.bound, name: origin or self.locate(source.line)}
        for key, value in _pairs(collection, source.expression.text):
            reader = _BodyReader(
                self.evaluator.with_bound({name: {"key": key, "value": value}}),
                self.context,
                self.path,
                self.locations,
                self.scope,
                bound,
                self.origins,
            )
            where = (*at, label, len(items))
            self.locations[where] = self.locate(content.line)
            items.append(reader.read(content.body, where))


def _pairs(collection: Any, text: str) -> list[tuple[Any, Any]]:
    if isinstance(collection, dict):
        return list(collection.items())
    if isinstance(collection, list):
        return list(enumerate(collection))
    unknown = Unresolved(text, "the dynamic block's for_each is not known")
    return [(unknown, unknown)]
