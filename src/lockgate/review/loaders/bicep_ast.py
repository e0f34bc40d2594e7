"""The declarations of a Bicep file, as the Bicep parser returns them."""

from __future__ import annotations

from dataclasses import dataclass, field

from lockgate.review.loaders.hcl_ast import Node, ObjectCons


@dataclass(slots=True)
class Loop:
    item: str
    index: str | None
    collection: Node


@dataclass(slots=True)
class Declaration:
    """A resource or module: its body, and the condition or loop around it."""

    keyword: str
    symbol: str
    target: str  # 'type@version' or the module path
    line: int
    body: ObjectCons
    existing: bool = False
    condition: Node | None = None
    loop: Loop | None = None
    children: list[Declaration] = field(default_factory=list)


@dataclass(slots=True)
class BicepFile:
    # name -> (default, line, nullable type such as ``string?``)
    params: dict[str, tuple[Node | None, int, bool]] = field(default_factory=dict)
    variables: dict[str, Node] = field(default_factory=dict)
    declarations: list[Declaration] = field(default_factory=list)
    outputs: dict[str, Node] = field(default_factory=dict)
    using: str | None = None  # a .bicepparam file: the Bicep file it gives values to
