"""The syntax tree of an HCL file: bodies of attributes and blocks, and expressions.

Every expression node keeps the source it came from and its span, so a value that
cannot be worked out is reported with its exact text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Node:
    source: str
    start: int
    end: int
    line: int

    @property
    def text(self) -> str:
        return self.source[self.start : self.end]


@dataclass(slots=True)
class Literal(Node):
    value: Any = None


@dataclass(slots=True)
class Template(Node):
    parts: list[str | Node] = field(default_factory=list)


@dataclass(slots=True)
class Opaque(Node):
    """Syntax read but never evaluated (template directives ``%{ if }``)."""

    reason: str = ""


@dataclass(slots=True)
class Variable(Node):
    name: str = ""


@dataclass(slots=True)
class GetAttr(Node):
    target: Node | None = None
    name: str = ""


@dataclass(slots=True)
class Index(Node):
    target: Node | None = None
    key: Node | None = None


@dataclass(slots=True)
class Splat(Node):
    """``x[*]`` or ``x.*``: the steps after it apply to every element."""

    target: Node | None = None
    steps: list[tuple[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Call(Node):
    name: str = ""
    arguments: list[Node] = field(default_factory=list)
    expand_last: bool = False


@dataclass(slots=True)
class TupleCons(Node):
    items: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class ObjectItem:
    key: Node
    value: Node
    line: int


@dataclass(slots=True)
class ObjectCons(Node):
    items: list[ObjectItem] = field(default_factory=list)


@dataclass(slots=True)
class Conditional(Node):
    condition: Node | None = None
    when_true: Node | None = None
    when_false: Node | None = None


@dataclass(slots=True)
class Binary(Node):
    operator: str = ""
    left: Node | None = None
    right: Node | None = None


@dataclass(slots=True)
class Unary(Node):
    operator: str = ""
    operand: Node | None = None


@dataclass(slots=True)
class ForExpr(Node):
    key_name: str | None = None
    value_name: str = ""
    collection: Node | None = None
    key: Node | None = None  # set for an object ``{for ...}``
    value: Node | None = None
    condition: Node | None = None
    grouping: bool = False


@dataclass(slots=True)
class Attribute:
    name: str
    expression: Node
    line: int


@dataclass(slots=True)
class Block:
    type: str
    labels: list[str]
    body: Body
    line: int


@dataclass(slots=True)
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class TemplateIf(Node):
    """``%{ if cond }...%{ else }...%{ endif }`` inside a template."""

    condition: Node | None = None
    then_parts: list[str | Node] = field(default_factory=list)
    else_parts: list[str | Node] = field(default_factory=list)


@dataclass(slots=True)
class TemplateFor(Node):
    """``%{ for k, v in items }...%{ endfor }`` inside a template."""

    key_name: str | None = None
    value_name: str = ""
    collection: Node | None = None
    parts: list[str | Node] = field(default_factory=list)


def item_lines(
    node: Node, at: tuple[str | int, ...]
) -> dict[tuple[str | int, ...], int]:
    """The line of every object key and list item written literally under ``node``.

    The object or list given to ``jsonencode`` keeps its lines under the same path,
    although the attribute's value is then JSON text or the encoded structure.
    """
    found: dict[tuple[str | int, ...], int] = {}
    if (
        isinstance(node, Call)
        and node.name == "jsonencode"
        and len(node.arguments) == 1
    ):
        found.update(item_lines(node.arguments[0], at))
    elif isinstance(node, ObjectCons):
        for item in node.items:
            key = item.key
            name = key.name if isinstance(key, Variable) else None
            if name is None and isinstance(key, Literal) and isinstance(key.value, str):
                name = key.value
            if name is not None:
                found[(*at, name)] = item.line
                found.update(item_lines(item.value, (*at, name)))
    elif isinstance(node, TupleCons):
        for index, element in enumerate(node.items):
            found[(*at, index)] = element.line
            found.update(item_lines(element, (*at, index)))
    return found
