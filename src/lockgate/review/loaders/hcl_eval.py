"""Evaluate HCL expressions as far as the configuration allows.

Literals, templates, operators, conditionals, ``for`` expressions and a set of pure
functions (``hcl_functions``) are worked out when their inputs are known. Names
(``var.x``, ``local.y``, ``aws_vpc.main.id``) are looked up through a
:class:`NameResolver` that the Terraform loader provides per module. A value that
cannot be known becomes an :class:`Unresolved` quoting the smallest expression
that could not be worked out; collections keep their known parts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

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
    Opaque,
    Splat,
    Template,
    TemplateFor,
    TemplateIf,
    TupleCons,
    Unary,
    Variable,
)
from lockgate.review.loaders.hcl_functions import FUNCTIONS, Unknown, known, to_text
from lockgate.review.model import Ref, Unresolved

Step = tuple[str, Any]  # ("attr", name) or ("index", value)


class NameResolver(Protocol):
    def resolve(self, root: str, steps: list[Step], node: Node) -> tuple[Any, int]:
        """The value a name denotes and how many of ``steps`` it used."""


class Evaluator:
    def __init__(
        self,
        names: NameResolver,
        bound: dict[str, Any] | None = None,
        functions: dict[str, Callable[[list[Any]], Any]] | None = None,
        *,
        strict: bool = False,
    ) -> None:
        self.names = names
        self.bound = bound or {}
        self.functions = FUNCTIONS if functions is None else functions
        # Inside try(), an attribute missing from an object is an error, as in
        # Terraform; elsewhere it reads as null (an optional() attribute left out).
        self.strict = strict

    def with_bound(self, extra: dict[str, Any]) -> Evaluator:
        bound = {**self.bound, **extra}
        return Evaluator(self.names, bound, self.functions, strict=self.strict)

    def strictly(self) -> Evaluator:
        return Evaluator(self.names, self.bound, self.functions, strict=True)

    def value(self, node: Node) -> Any:
        handler = _HANDLERS.get(type(node))
        if handler is None:
            return Unresolved(node.text, "expression kind is not evaluated")
        try:
            return handler(self, node)
        except Unknown as unknown:
            return Unresolved(node.text, unknown.reason)
        except (TypeError, ValueError, ZeroDivisionError, RecursionError) as error:
            return Unresolved(node.text, f"cannot be worked out: {error}")

    # -- names -----------------------------------------------------------------

    def traversal(self, node: Node) -> Any:
        root, steps = self._flatten(node)
        if not isinstance(root, Variable):
            value, used = self.value(root), 0
        elif root.name in self.bound:
            value, used = self.bound[root.name], 0
        else:
            value, used = self.names.resolve(root.name, steps, node)
        lenient = not self.strict
        for kind, key in steps[used:]:
            value = step_into(value, key, node, attribute=lenient and kind == "attr")
        return value

    def _flatten(self, node: Node) -> tuple[Node, list[Step]]:
        steps: list[Step] = []
        while True:
            if isinstance(node, GetAttr) and node.target is not None:
                steps.append(("attr", node.name))
                node = node.target
            elif isinstance(node, Index) and node.target and node.key:
                steps.append(("index", self.value(node.key)))
                node = node.target
            else:
                break
        steps.reverse()
        return node, steps


def step_into(value: Any, key: Any, node: Node, *, attribute: bool = False) -> Any:
    """``value.key`` or ``value[key]``; references stay references.

    An attribute missing from an object reads as null: in a valid configuration
    that is an ``optional()`` attribute of the variable's type left out.
    """
    if isinstance(value, Ref):
        if isinstance(key, (int, Unresolved)):
            return value
        chain = f"{value.attribute}.{key}" if value.attribute else str(key)
        return Ref(value.target, chain)
    if isinstance(value, Unresolved):
        raise Unknown(value.reason)
    if isinstance(key, Unresolved):
        raise Unknown(key.reason)
    if isinstance(value, dict) and str(key) in value:
        return value[str(key)]
    if isinstance(value, dict) and attribute:
        return None
    if (
        isinstance(value, list)
        and isinstance(key, int)
        and -len(value) <= key < len(value)
    ):
        return value[key]
    if isinstance(value, list) and isinstance(key, str) and key.isdigit():
        return step_into(value, int(key), node)
    raise Unknown(f"{key!r} is not present")


def _literal(evaluator: Evaluator, node: Literal) -> Any:
    return node.value


def _template(evaluator: Evaluator, node: Template) -> Any:
    only = node.parts[0] if len(node.parts) == 1 else None
    if isinstance(only, Node) and not isinstance(only, (TemplateIf, TemplateFor)):
        return evaluator.value(only)  # "${x}" is x itself, whatever its type
    return "".join(_pieces(evaluator, node.parts))


def _pieces(evaluator: Evaluator, parts: list[str | Node]) -> list[str]:
    """The text of template parts, directives worked out."""
    pieces: list[str] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(part)
        elif isinstance(part, TemplateIf):
            pieces += _if_pieces(evaluator, part)
        elif isinstance(part, TemplateFor):
            pieces += _for_pieces(evaluator, part)
        else:
            value = evaluator.value(part)
            if isinstance(value, Ref):
                raise Unknown(f"contains the reference {value}")
            pieces.append(to_text(known(value)))
    return pieces


def _if_pieces(evaluator: Evaluator, part: TemplateIf) -> list[str]:
    assert part.condition is not None
    condition = known(evaluator.value(part.condition))
    chosen = part.then_parts if condition is True else part.else_parts
    return _pieces(evaluator, chosen)


def _for_pieces(evaluator: Evaluator, part: TemplateFor) -> list[str]:
    assert part.collection is not None
    collection = known(evaluator.value(part.collection))
    pairs = (
        collection.items() if isinstance(collection, dict) else enumerate(collection)
    )
    pieces: list[str] = []
    for key, item in pairs:
        names = {part.value_name: item}
        if part.key_name:
            names[part.key_name] = key
        pieces += _pieces(evaluator.with_bound(names), part.parts)
    return pieces


def _opaque(evaluator: Evaluator, node: Opaque) -> Any:
    raise Unknown(node.reason)


def _tuple(evaluator: Evaluator, node: TupleCons) -> Any:
    return [evaluator.value(item) for item in node.items]


def _object(evaluator: Evaluator, node: ObjectCons) -> Any:
    result: dict[str, Any] = {}
    for item in node.items:
        result[object_key(evaluator, item.key)] = evaluator.value(item.value)
    return result


def object_key(evaluator: Evaluator, key: Node) -> str:
    """Object keys: a bare name is the key itself, anything else is evaluated."""
    if isinstance(key, Variable):
        return key.name
    value = evaluator.value(key)
    if isinstance(value, (Unresolved, Ref)):
        raise Unknown(f"object key {key.text} is not known")
    return to_text(value)


def _conditional(evaluator: Evaluator, node: Conditional) -> Any:
    assert node.condition and node.when_true and node.when_false
    condition = evaluator.value(node.condition)
    if isinstance(condition, bool):
        return evaluator.value(node.when_true if condition else node.when_false)
    when_true = evaluator.value(node.when_true)
    when_false = evaluator.value(node.when_false)
    if when_true == when_false:
        return when_true
    reason = condition.reason if isinstance(condition, Unresolved) else "not a bool"
    raise Unknown(f"condition {node.condition.text} is not known: {reason}")


def _binary(evaluator: Evaluator, node: Binary) -> Any:
    assert node.left and node.right
    left = evaluator.value(node.left)
    if node.operator == "??":
        return evaluator.value(node.right) if left is None else left
    short_circuit = node.operator in ("&&", "||") and isinstance(left, bool)
    if short_circuit and (node.operator == "&&") != left:
        return left  # false && x, true || x
    right = evaluator.value(node.right)
    return _OPERATORS[node.operator](known(left), known(right))


def _unary(evaluator: Evaluator, node: Unary) -> Any:
    assert node.operand
    operand = known(evaluator.value(node.operand))
    return (not operand) if node.operator == "!" else -operand


def _call(evaluator: Evaluator, node: Call) -> Any:
    function = evaluator.functions.get(node.name)
    if function is None:
        raise Unknown(f"function {node.name}() is not evaluated")
    inner = evaluator.strictly() if node.name == "try" else evaluator
    arguments = [inner.value(a) for a in node.arguments]
    if node.expand_last and arguments:
        arguments = [*arguments[:-1], *known(arguments[-1])]
    return function(arguments)


def _splat(evaluator: Evaluator, node: Splat) -> Any:
    assert node.target
    source = evaluator.value(node.target)
    if isinstance(source, Ref):
        for kind, key in node.steps:
            source = step_into(source, key, node) if kind == "attr" else source
        return source
    items = known(source)
    if items is None:
        return []  # null[*] is an empty list
    items = items if isinstance(items, list) else [items]
    result = []
    for item in items:
        for _kind, key in node.steps:
            key = evaluator.value(key) if isinstance(key, Node) else key
            item = step_into(item, key, node)
        result.append(item)
    return result


def _for(evaluator: Evaluator, node: ForExpr) -> Any:
    assert node.collection and node.value
    collection = known(evaluator.value(node.collection))
    pairs = (
        collection.items() if isinstance(collection, dict) else enumerate(collection)
    )
    keyed = node.key is not None
    result: Any = {} if keyed else []
    for key, item in pairs:
        names = {node.value_name: item}
        if node.key_name:
            names[node.key_name] = key
        inner = evaluator.with_bound(names)
        if (
            node.condition is not None
            and known(inner.value(node.condition)) is not True
        ):
            continue
        _collect(inner, node, result)
    return result


def _collect(inner: Evaluator, node: ForExpr, result: Any) -> None:
    assert node.value
    value = inner.value(node.value)
    if node.key is None:
        result.append(value)
        return
    key = to_text(known(inner.value(node.key)))
    if node.grouping:
        result.setdefault(key, []).append(value)
    else:
        result[key] = value


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "&&": lambda a, b: bool(a and b),
    "||": lambda a, b: bool(a or b),
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "%": lambda a, b: a % b,
}

_HANDLERS: dict[type, Callable[[Evaluator, Any], Any]] = {
    Literal: _literal,
    Template: _template,
    Opaque: _opaque,
    Variable: Evaluator.traversal,
    GetAttr: Evaluator.traversal,
    Index: Evaluator.traversal,
    TupleCons: _tuple,
    ObjectCons: _object,
    Conditional: _conditional,
    Binary: _binary,
    Unary: _unary,
    Call: _call,
    Splat: _splat,
    ForExpr: _for,
}
