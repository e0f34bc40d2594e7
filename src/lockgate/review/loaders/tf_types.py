"""Apply a Terraform variable's type to its value: ``optional()`` attributes.

``type = object({ enabled = optional(bool, true) })`` means a value without
``enabled`` has ``enabled = true``. Terraform does this when a value is assigned
to the variable, so the review does too, for objects nested in ``map()``,
``list()``, ``set()`` and ``optional()`` as well.

An optional attribute without a default is left out rather than set to null.
Reading it still gives null, but inside ``try(x.attr, fallback)`` it counts as
missing, so the fallback is used where Terraform would return null. Other
conversions (a string "true" to a bool, say) are not made.
"""

from __future__ import annotations

from typing import Any

from lockgate.review.loaders.hcl_ast import Call, Node, ObjectCons, Variable
from lockgate.review.loaders.hcl_eval import Evaluator

_COLLECTIONS = ("map", "list", "set")


def apply_type(type_node: Node, value: Any, evaluator: Evaluator) -> Any:
    """``value`` with the defaults ``type_node`` declares filled in."""
    if not isinstance(type_node, Call) or not type_node.arguments:
        return value
    inner = type_node.arguments[0]
    if type_node.name == "object" and isinstance(inner, ObjectCons):
        return _object(inner, value, evaluator)
    if type_node.name in _COLLECTIONS and isinstance(value, dict):
        return {k: apply_type(inner, v, evaluator) for k, v in value.items()}
    if type_node.name in _COLLECTIONS and isinstance(value, list):
        return [apply_type(inner, v, evaluator) for v in value]
    if type_node.name == "optional":
        return apply_type(inner, value, evaluator)
    return value


def _object(shape: ObjectCons, value: Any, evaluator: Evaluator) -> Any:
    if not isinstance(value, dict):
        return value
    filled = dict(value)
    for item in shape.items:
        if not isinstance(item.key, Variable):
            continue
        name, attribute_type = item.key.name, item.value
        if filled.get(name) is None and _has_default(attribute_type):
            filled[name] = _default(attribute_type, evaluator)
        if name in filled:
            filled[name] = apply_type(attribute_type, filled[name], evaluator)
    return filled


def _has_default(node: Node) -> bool:
    return (
        isinstance(node, Call) and node.name == "optional" and len(node.arguments) > 1
    )


def _default(optional: Node, evaluator: Evaluator) -> Any:
    assert isinstance(optional, Call)
    return evaluator.value(optional.arguments[1])
