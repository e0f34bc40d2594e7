"""Where a Terraform value was set, when it is written as a name.

``sku_name = var.sku_name`` is written in the resource, but its value is set by
the variable's default, a tfvars line or the calling module's argument. The
origin of an expression is the origin of the first name it reads, in source order
(a conditional's condition comes first), when that name is a variable, a local or
a loop name (``each``, ``count``, a dynamic block's iterator); an expression that
first reads another resource has no origin. A local
written as a literal object or list is its own origin; any other local is
followed to the first name it reads. Literals, templates and object or list
constructors are written where they stand and have no origin of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from lockgate.review.loaders.hcl_ast import (
    Binary,
    Call,
    Conditional,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    Node,
    ObjectCons,
    Splat,
    Template,
    TemplateFor,
    TemplateIf,
    TupleCons,
    Unary,
    Variable,
)
from lockgate.review.model import Location

Name = tuple[str, str | None]  # the root and its first attribute: ("var", "x")


class OriginScope(Protocol):
    def name_origin(self, root: str, first: str | None) -> Location | None:
        """Where the value of ``root.first`` was set, if this scope knows."""


def expression_origin(
    node: Node, scope: OriginScope, bound: dict[str, Location]
) -> Location | None:
    """Where the value of ``node`` was set; None when it is written in place."""
    if isinstance(node, (Literal, ObjectCons, TupleCons, Template)):
        return None
    root, first = next(names_read(node), ("", None))
    if root in bound:
        return bound[root]
    if root in ("var", "local"):
        return scope.name_origin(root, first)
    return None  # read from another resource, or computed: no input set it


def names_read(node: Node | None) -> Iterator[Name]:
    """Every name ``node`` reads, in source order."""
    if node is None:
        return
    if isinstance(node, Variable):
        yield node.name, None
    elif isinstance(node, (GetAttr, Index)):
        yield from _traversal(node)
    else:
        for child in _children(node):
            yield from names_read(child)


def _traversal(node: GetAttr | Index) -> Iterator[Name]:
    first: str | None = None
    keys: list[Node] = []
    current: Node | None = node
    while isinstance(current, (GetAttr, Index)):
        if isinstance(current, GetAttr):
            first = current.name
        elif current.key is not None:
            keys.append(current.key)
        current = current.target
    if isinstance(current, Variable):
        yield current.name, first
    else:
        yield from names_read(current)
    for key in reversed(keys):
        yield from names_read(key)


def _children(node: Node) -> list[Node | None]:
    if isinstance(node, Call):
        return list(node.arguments)
    if isinstance(node, Conditional):
        return [node.condition, node.when_true, node.when_false]
    if isinstance(node, Binary):
        return [node.left, node.right]
    if isinstance(node, Unary):
        return [node.operand]
    if isinstance(node, (ForExpr, TemplateFor)):
        return [node.collection]
    if isinstance(node, Splat):
        return [node.target]
    if isinstance(node, TupleCons):
        return list(node.items)
    if isinstance(node, ObjectCons):  # a bare key is a name, not a read
        return [
            part
            for item in node.items
            for part in (item.key, item.value)
            if not (part is item.key and isinstance(part, Variable))
        ]
    if isinstance(node, Template):
        return [part for part in node.parts if isinstance(part, Node)]
    if isinstance(node, TemplateIf):
        return [node.condition]
    return []
