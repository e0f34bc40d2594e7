"""ARM template expressions (``"[parameters('x')]"``) parsed and worked out.

Only the functions a review needs are evaluated: ``parameters``, ``variables``,
``concat``, ``format``, ``toLower``/``toUpper``, ``if``/``equals``/``not``/``and``/
``or``, ``createObject``/``createArray``, ``string``, ``resourceId`` (a
:class:`Ref` to the resource's address) and property access on their results.
Anything else (``resourceGroup()``, ``uniqueString``, ``reference`` of a name,
``copyIndex``) makes the whole expression an :class:`Unresolved`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lockgate.review.model import Ref, Unresolved

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+)|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<punct>[()\[\],.]))"
)


class _CannotEvaluate(Exception):
    """Internal: the expression holds something we do not evaluate."""


def is_expression(value: Any) -> bool:
    return (
        isinstance(value, str)
        and value.startswith("[")
        and value.endswith("]")
        and not value.startswith("[[")
    )


@dataclass(slots=True)
class ArmScope:
    """Parameters and variables of one template; variables are worked out lazily."""

    parameters: dict[str, Any]
    variables: dict[str, Any]
    copy_index: dict[str, int] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)

    def value(self, node: Any) -> Any:
        """``node`` with every expression string worked out."""
        if isinstance(node, dict):
            result = {str(k): self.value(v) for k, v in node.items() if k != "copy"}
            if isinstance(node.get("copy"), list):
                result.update(self._property_copies(node["copy"]))
            elif "copy" in node:
                result["copy"] = self.value(node["copy"])
            return result
        if isinstance(node, list):
            return [self.value(v) for v in node]
        if is_expression(node):
            return self.expression(str(node))
        if isinstance(node, str) and node.startswith("[["):
            return str(node)[1:]
        return str(node) if isinstance(node, str) else node

    def _property_copies(self, loops: list[Any]) -> dict[str, Any]:
        """``"copy": [{name, count, input}]`` inside properties: the array it makes."""
        made: dict[str, Any] = {}
        for loop in loops:
            if not isinstance(loop, dict) or "name" not in loop:
                continue
            name, count = str(loop["name"]), self.value(loop.get("count"))
            if not isinstance(count, int) or isinstance(count, bool) or count > 100:
                made[name] = Unresolved(str(loop.get("count")), "copy count unknown")
                continue
            made[name] = [
                ArmScope(
                    self.parameters, self.variables, {**self.copy_index, name: i}
                ).value(loop.get("input"))
                for i in range(count)
            ]
        return made

    def expression(self, text: str) -> Any:
        try:
            tokens = _tokens(text[1:-1])
            parsed, end = _parse(tokens, 0)
            if end != len(tokens):
                raise _CannotEvaluate("unexpected text after the expression")
            return _evaluate(parsed, self)
        except _CannotEvaluate as reason:
            return Unresolved(text, str(reason))

    def variable(self, name: str) -> Any:
        if name not in self._cache:
            if name not in self.variables:
                raise _CannotEvaluate(f"variable '{name}' is not declared")
            self._cache[name] = Unresolved(name, "variable refers to itself")
            self._cache[name] = self.value(self.variables[name])
        return self._cache[name]


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise _CannotEvaluate(f"cannot read the expression at {text[position:]!r}")
        kind = match.lastgroup or "punct"
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _parse(tokens: list[tuple[str, str]], at: int) -> tuple[Any, int]:
    """Returns an AST of tuples: ('lit', v) ('call', name, args) ('get', x, key)."""
    if at >= len(tokens):
        raise _CannotEvaluate("the expression ends too early")
    kind, text = tokens[at]
    if kind == "string":
        node: Any = ("lit", text[1:-1].replace("''", "'"))
        at += 1
    elif kind == "number":
        node, at = ("lit", int(text)), at + 1
    elif kind == "name" and at + 1 < len(tokens) and tokens[at + 1][1] == "(":
        node, at = _parse_call(text, tokens, at + 2)
    else:
        raise _CannotEvaluate(f"unexpected {text!r}")
    return _parse_accessors(node, tokens, at)


def _parse_call(name: str, tokens: list[tuple[str, str]], at: int) -> tuple[Any, int]:
    arguments: list[Any] = []
    while at < len(tokens) and tokens[at][1] != ")":
        argument, at = _parse(tokens, at)
        arguments.append(argument)
        if at < len(tokens) and tokens[at][1] == ",":
            at += 1
    if at >= len(tokens):
        raise _CannotEvaluate(f"{name}( is not closed")
    return ("call", name.lower(), arguments), at + 1


def _parse_accessors(
    node: Any, tokens: list[tuple[str, str]], at: int
) -> tuple[Any, int]:
    while at < len(tokens) and tokens[at][1] in (".", "["):
        if tokens[at][1] == "." and at + 1 < len(tokens):
            node, at = ("get", node, ("lit", tokens[at + 1][1])), at + 2
        elif tokens[at][1] == "[":
            key, at = _parse(tokens, at + 1)
            if at >= len(tokens) or tokens[at][1] != "]":
                raise _CannotEvaluate("an index is not closed")
            node, at = ("get", node, key), at + 1
        else:
            raise _CannotEvaluate("a property name is missing")
    return node, at


def _evaluate(node: Any, scope: ArmScope) -> Any:
    if node[0] == "lit":
        return node[1]
    if node[0] == "get":
        return _get(_evaluate(node[1], scope), _evaluate(node[2], scope))
    name, arguments = node[1], node[2]
    if name == "if" and len(arguments) == 3:
        condition = _known(_evaluate(arguments[0], scope))
        return _evaluate(arguments[1] if condition else arguments[2], scope)
    values = [_evaluate(a, scope) for a in arguments]
    function = _FUNCTIONS.get(name)
    if function is None:
        raise _CannotEvaluate(f"{name}() is not evaluated")
    return function(scope, values)


def _known(value: Any) -> Any:
    if isinstance(value, (Unresolved, Ref)):
        raise _CannotEvaluate(f"depends on {value}")
    return value


def _get(target: Any, key: Any) -> Any:
    if isinstance(target, Ref):
        attribute = f"{target.attribute}.{key}" if target.attribute else str(key)
        return Ref(target.target, attribute)
    if isinstance(target, dict) and str(key) in target:
        return target[str(key)]
    if isinstance(target, list) and isinstance(key, int) and 0 <= key < len(target):
        return target[key]
    raise _CannotEvaluate(f"no property {key!r} on {_short(target)}")


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) < 40 else text[:37] + "..."


def _parameter(scope: ArmScope, values: list[Any]) -> Any:
    name = str(_known(values[0]))
    if name not in scope.parameters:
        raise _CannotEvaluate(f"parameter '{name}' has no value or default")
    return _known(scope.parameters[name])


def _variable(scope: ArmScope, values: list[Any]) -> Any:
    return _known(scope.variable(str(_known(values[0]))))


def _concat(scope: ArmScope, values: list[Any]) -> Any:
    if values and all(isinstance(v, list) for v in values):
        return [item for v in values for item in v]
    if len(values) == 2 and isinstance(values[0], Ref):
        return _child_ref(values[0], _known(values[1]))
    return "".join(_text(_known(v)) for v in values)


def _format(scope: ArmScope, values: list[Any]) -> Any:
    template, arguments = str(_known(values[0])), values[1:]
    single_ref = len(arguments) == 1 and isinstance(arguments[0], Ref)
    if single_ref and template.startswith("{0}/"):
        return _child_ref(arguments[0], template[3:])
    arguments = [_known(v) for v in arguments]

    def argument(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(arguments):
            raise _CannotEvaluate(f"format has no argument {index}")
        return _text(arguments[index])

    return re.sub(r"\{(\d+)(?::[^}]*)?\}", argument, template)


def _child_ref(parent: Ref, suffix: Any) -> Ref:
    """``<id of parent>/subnets/x`` is the id of the child resource ``x``."""
    match = re.fullmatch(r"/([A-Za-z]+)/([^/\[\]]+)", str(suffix))
    if parent.attribute is not None or match is None:
        raise _CannotEvaluate(f"depends on {parent}")
    segments = parent.target.split("/")
    names = (len(segments) - 1) // 2
    kind, name = segments[: len(segments) - names], segments[len(segments) - names :]
    return Ref("/".join([*kind, match.group(1), *name, match.group(2)]))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise _CannotEvaluate(f"cannot turn {_short(value)} into text")


def _resource_id(scope: ArmScope, values: list[Any]) -> Any:
    parts = [str(_known(v)) for v in values]
    types = [i for i, p in enumerate(parts) if "/" in p and "." in p.split("/")[0]]
    if not types:
        raise _CannotEvaluate("resourceId() without a resource type")
    kind, names = parts[types[-1]], parts[types[-1] + 1 :]
    return Ref(f"{kind}/{'/'.join(names)}")


def _reference(scope: ArmScope, values: list[Any]) -> Any:
    if values and isinstance(values[0], Ref):
        return values[0]
    raise _CannotEvaluate("reference() by name is not evaluated")


def _copy_index(scope: ArmScope, values: list[Any]) -> Any:
    name = str(_known(values[0])) if values else None
    found = scope.copy_index.get(name) if name else None
    if found is None and name is None and len(scope.copy_index) == 1:
        found = next(iter(scope.copy_index.values()))
    if found is None:
        raise _CannotEvaluate("copyIndex() is known only per copy")
    offset = int(_known(values[1])) if len(values) > 1 else 0
    return found + offset


def _equals(scope: ArmScope, values: list[Any]) -> Any:
    return _known(values[0]) == _known(values[1])


def _create_object(scope: ArmScope, values: list[Any]) -> Any:
    items = [_known(v) for v in values]
    return {str(items[i]): items[i + 1] for i in range(0, len(items) - 1, 2)}


_FUNCTIONS: dict[str, Callable[[ArmScope, list[Any]], Any]] = {
    "parameters": _parameter,
    "variables": _variable,
    "concat": _concat,
    "format": _format,
    "tolower": lambda s, v: _text(_known(v[0])).lower(),
    "toupper": lambda s, v: _text(_known(v[0])).upper(),
    "string": lambda s, v: _text(_known(v[0])),
    "equals": _equals,
    "not": lambda s, v: not _known(v[0]),
    "and": lambda s, v: all(_known(x) for x in v),
    "or": lambda s, v: any(_known(x) for x in v),
    "true": lambda s, v: True,
    "false": lambda s, v: False,
    "null": lambda s, v: None,
    "createobject": _create_object,
    "createarray": lambda s, v: [_known(x) for x in v],
    "resourceid": _resource_id,
    "subscriptionresourceid": _resource_id,
    "tenantresourceid": _resource_id,
    "reference": _reference,
    "copyindex": _copy_index,
}
