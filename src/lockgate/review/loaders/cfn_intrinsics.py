"""Work out CloudFormation intrinsic functions as far as the template allows.

Parameters resolve to their ``Default``; a ``Ref``/``Fn::GetAtt`` to a resource
becomes a :class:`Ref`; conditions are evaluated when their inputs are known.
Everything else (pseudo parameters such as ``AWS::Region``, imports, parameters
without a default) becomes an :class:`Unresolved` quoting the expression.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lockgate.review.model import Ref, Unresolved


class _NoValue:
    """``Ref: AWS::NoValue``: the property is left out."""


NO_VALUE: Any = _NoValue()
UNKNOWN: Any = object()  # a condition whose truth cannot be worked out

_SUB_VARIABLE = re.compile(r"\$\{([^}!]+)\}")


def render(node: Any) -> str:
    """A compact, readable form of an intrinsic for Unresolved.expression."""
    return json.dumps(_plain(node), separators=(",", ":"), default=str)


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, Unresolved):
        return node.expression
    if isinstance(node, Ref):
        return str(node)
    return node


@dataclass(slots=True)
class Intrinsics:
    """The resolver for one template."""

    parameters: dict[str, Any]
    resources: set[str]
    conditions: dict[str, Any] = field(default_factory=dict)
    mappings: dict[str, Any] = field(default_factory=dict)
    _truth: dict[str, Any] = field(default_factory=dict)

    def value(self, node: Any) -> Any:
        """``node`` with every intrinsic worked out (or marked Unresolved)."""
        if isinstance(node, dict):
            if len(node) == 1:
                key = next(iter(node))
                handler = _HANDLERS.get(str(key))
                if handler is not None:
                    return handler(self, node[key], node)
            resolved = {str(k): self.value(v) for k, v in node.items()}
            return {k: v for k, v in resolved.items() if v is not NO_VALUE}
        if isinstance(node, list):
            return [v for v in (self.value(i) for i in node) if v is not NO_VALUE]
        return _scalar(node)

    def condition(self, name: str) -> Any:
        """True, False or UNKNOWN for the named condition."""
        if name not in self._truth:
            self._truth[name] = UNKNOWN  # guards against a condition naming itself
            self._truth[name] = self._truth_of(self.conditions.get(name))
        return self._truth[name]

    def _truth_of(self, node: Any) -> Any:
        if not isinstance(node, dict) or len(node) != 1:
            return UNKNOWN
        key, args = next(iter(node.items()))
        if key == "Condition":
            return self.condition(str(args))
        if not isinstance(args, list):
            return UNKNOWN
        if key == "Fn::Equals" and len(args) == 2:
            left, right = self.value(args[0]), self.value(args[1])
            if _is_known(left) and _is_known(right):
                return str(left) == str(right)
            return UNKNOWN
        parts = [self._truth_of(a) for a in args]
        return _combine(str(key), parts)

    def ref(self, name: Any, node: Any) -> Any:
        name = str(name)
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.parameters:
            parameter = self.parameters[name]
            if isinstance(parameter, dict) and "Default" in parameter:
                return self.value(parameter["Default"])
            return Unresolved(render(node), f"parameter {name} has no default")
        if name in self.resources:
            return Ref(name)
        if name.startswith("AWS::"):
            return Unresolved(render(node), f"pseudo parameter {name}")
        return Unresolved(render(node), f"{name} is not declared in this template")


def _scalar(node: Any) -> Any:
    if isinstance(node, str):
        return str(node)  # drop the decoder's node class, keep the text
    return node


def _is_known(value: Any) -> bool:
    return not isinstance(value, (Unresolved, Ref, dict, list))


def _combine(function: str, parts: list[Any]) -> Any:
    if function == "Fn::Not" and len(parts) == 1:
        return UNKNOWN if parts[0] is UNKNOWN else not parts[0]
    if function == "Fn::And":
        if False in parts:
            return False
        return UNKNOWN if UNKNOWN in parts else True
    if function == "Fn::Or":
        if True in parts:
            return True
        return UNKNOWN if UNKNOWN in parts else False
    return UNKNOWN


def _ref(resolver: Intrinsics, args: Any, node: Any) -> Any:
    return resolver.ref(args, node)


def _get_att(resolver: Intrinsics, args: Any, node: Any) -> Any:
    if isinstance(args, str):
        args = args.split(".", 1)
    if isinstance(args, list) and len(args) == 2 and str(args[0]) in resolver.resources:
        attribute = resolver.value(args[1])
        if isinstance(attribute, str):
            return Ref(str(args[0]), attribute)
    return Unresolved(render(node), "attribute of an unknown resource")


def _sub(resolver: Intrinsics, args: Any, node: Any) -> Any:
    text, variables = (args[0], args[1]) if isinstance(args, list) else (args, {})
    if not isinstance(text, str) or not isinstance(variables, dict):
        return Unresolved(render(node), "malformed Fn::Sub")
    local = {str(k): resolver.value(v) for k, v in variables.items()}
    reasons: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        value = local[name] if name in local else _sub_lookup(resolver, name)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        reasons.append(_sub_reason(name, value))
        return match.group(0)

    result = _SUB_VARIABLE.sub(substitute, str(text))
    if reasons:
        return Unresolved(result, "Fn::Sub: " + ", ".join(reasons))
    return result


def _sub_reason(name: str, value: Any) -> str:
    if isinstance(value, Ref):
        return f"${{{name}}} refers to resource {value}"
    if isinstance(value, Unresolved):
        return f"${{{name}}} is not known ({value.reason})"
    return f"${{{name}}} is not text"


def _sub_lookup(resolver: Intrinsics, name: str) -> Any:
    if "." in name:
        resource, attribute = name.split(".", 1)
        if resource in resolver.resources:
            return Ref(resource, attribute)
        return Unresolved(name, "unknown resource")
    return resolver.ref(name, {"Ref": name})


def _join(resolver: Intrinsics, args: Any, node: Any) -> Any:
    if not isinstance(args, list) or len(args) != 2:
        return Unresolved(render(node), "malformed Fn::Join")
    delimiter, parts = resolver.value(args[0]), resolver.value(args[1])
    if isinstance(parts, list) and all(_is_text(p) for p in parts):
        return str(delimiter).join(str(p) for p in parts)
    return Unresolved(
        render({"Fn::Join": [delimiter, parts]}), "a joined part is unknown"
    )


def _is_text(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _if(resolver: Intrinsics, args: Any, node: Any) -> Any:
    if not isinstance(args, list) or len(args) != 3:
        return Unresolved(render(node), "malformed Fn::If")
    truth = resolver.condition(str(args[0]))
    if truth is True:
        return resolver.value(args[1])
    if truth is False:
        return resolver.value(args[2])

    when_true, when_false = resolver.value(args[1]), resolver.value(args[2])
    if when_true == when_false:
        return when_true
    both = render({"Fn::If": [str(args[0]), when_true, when_false]})
    return Unresolved(both, f"depends on condition {args[0]}")


def _find_in_map(resolver: Intrinsics, args: Any, node: Any) -> Any:
    keys = resolver.value(args) if isinstance(args, list) else None
    if not isinstance(keys, list) or len(keys) < 3 or not all(map(_is_text, keys[:3])):
        return Unresolved(render(node), "map keys are unknown")
    found: Any = resolver.mappings
    for key in keys[:3]:
        found = found.get(str(key)) if isinstance(found, dict) else None
    if found is None:
        return Unresolved(render(node), "no such map entry")
    return resolver.value(found)


def _select(resolver: Intrinsics, args: Any, node: Any) -> Any:
    if isinstance(args, list) and len(args) == 2:
        index, items = resolver.value(args[0]), resolver.value(args[1])
        if isinstance(items, list) and str(index).isdigit() and int(index) < len(items):
            return items[int(index)]
    return Unresolved(render(node), "selects from an unknown list")


def _unresolved(resolver: Intrinsics, args: Any, node: Any) -> Any:
    return Unresolved(render(node), f"{next(iter(node))} is not evaluated")


_HANDLERS: dict[str, Any] = {
    "Ref": _ref,
    "Fn::GetAtt": _get_att,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::If": _if,
    "Fn::FindInMap": _find_in_map,
    "Fn::Select": _select,
    "Fn::ImportValue": _unresolved,
    "Fn::GetAZs": _unresolved,
    "Fn::Split": _unresolved,
    "Fn::Base64": _unresolved,
    "Fn::Cidr": _unresolved,
    "Fn::Transform": _unresolved,
    "Fn::Length": _unresolved,
    "Fn::ToJsonString": _unresolved,
}
