"""The Terraform functions the review evaluates: pure ones whose inputs are known.

Functions that read files, the clock or the cloud (``file``, ``timestamp``,
``data``-dependent lookups) are not here, so calls to them stay Unresolved.
``jsonencode`` of a value with unknown parts returns the structure itself (with
its Refs and Unresolved parts), so policy checks can still read the known
statements; of a fully known value it returns the JSON text, as Terraform does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from lockgate.review.model import Ref, Unresolved


class Unknown(Exception):
    """Internal: an input is not known; the caller makes the node Unresolved."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def known(value: Any) -> Any:
    """``value`` if it is fully known at the top level; raises Unknown otherwise."""
    if isinstance(value, Unresolved):
        raise Unknown(value.reason)
    if isinstance(value, Ref):
        raise Unknown(f"depends on {value}")
    return value


def deeply_known(value: Any) -> bool:
    if isinstance(value, (Unresolved, Ref)):
        return False
    if isinstance(value, dict):
        return all(deeply_known(v) for v in value.values())
    if isinstance(value, list):
        return all(deeply_known(v) for v in value)
    return True


def to_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float)):
        return str(value)
    if value is None:
        raise Unknown("null cannot be used as text")
    raise Unknown("a collection cannot be used as text")


def _jsonencode(arguments: list[Any]) -> Any:
    value = arguments[0]
    if deeply_known(value):
        return json.dumps(value, separators=(",", ":"))
    return value


def _jsondecode(arguments: list[Any]) -> Any:
    return json.loads(known(arguments[0]))


def _merge(arguments: list[Any]) -> Any:
    result: dict[str, Any] = {}
    for argument in arguments:
        if argument is None:
            continue
        value = known(argument)
        if not isinstance(value, dict):
            raise Unknown("merge() of something that is not a map")
        result.update(value)
    return result


def _concat(arguments: list[Any]) -> Any:
    return [item for argument in arguments for item in known(argument)]


def _format(arguments: list[Any]) -> Any:
    template, values = str(known(arguments[0])), [known(a) for a in arguments[1:]]
    pieces, index, position = [], 0, 0
    while position < len(template):
        char = template[position]
        if char == "%" and position + 1 < len(template):
            verb = template[position + 1]
            if verb == "%":
                pieces.append("%")
            else:
                pieces.append(to_text(values[index]))
                index += 1
            position += 2
            continue
        pieces.append(char)
        position += 1
    return "".join(pieces)


def _lookup(arguments: list[Any]) -> Any:
    mapping, key = known(arguments[0]), to_text(known(arguments[1]))
    if isinstance(mapping, dict) and key in mapping:
        return mapping[key]
    if len(arguments) > 2:
        return arguments[2]
    raise Unknown(f"lookup() key {key!r} is missing")


def _coalesce(arguments: list[Any]) -> Any:
    for argument in arguments:
        value = known(argument)
        if value is not None and value != "":
            return value
    raise Unknown("coalesce() found no value")


def _try(arguments: list[Any]) -> Any:
    """The first argument that can be worked out; a reference counts as one."""
    for argument in arguments:
        if not isinstance(argument, Unresolved):
            return argument
    raise Unknown("try() has no argument that can be worked out")


def _length(arguments: list[Any]) -> Any:
    return len(known(arguments[0]))


def _flatten(arguments: list[Any]) -> Any:
    def walk(items: Any) -> list[Any]:
        out: list[Any] = []
        for item in known(items):
            out.extend(walk(item) if isinstance(item, list) else [item])
        return out

    return walk(arguments[0])


def _element(arguments: list[Any]) -> Any:
    items, index = known(arguments[0]), int(known(arguments[1]))
    if not items:
        raise Unknown("element() of an empty list")
    return items[index % len(items)]


def _to_list(arguments: list[Any]) -> Any:
    value = known(arguments[0])
    return list(value) if isinstance(value, list) else value


def _to_set(arguments: list[Any]) -> Any:
    value = known(arguments[0])
    if not isinstance(value, list):
        return value
    unique: list[Any] = []
    for item in value:
        if item not in unique:
            unique.append(item)
    return unique


def _to_bool(arguments: list[Any]) -> Any:
    value = known(arguments[0])
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return value


def _to_number(arguments: list[Any]) -> Any:
    value = known(arguments[0])
    if isinstance(value, str):
        return float(value) if "." in value else int(value)
    return value


def _one(function: Callable[[Any], Any]) -> Callable[[list[Any]], Any]:
    return lambda arguments: function(known(arguments[0]))


FUNCTIONS: dict[str, Callable[[list[Any]], Any]] = {
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "merge": _merge,
    "concat": _concat,
    "format": _format,
    "lookup": _lookup,
    "coalesce": _coalesce,
    "try": _try,
    "length": _length,
    "flatten": _flatten,
    "element": _element,
    "tolist": _to_list,
    "toset": _to_set,
    "tomap": _one(lambda v: v),
    "tostring": _one(to_text),
    "tobool": _to_bool,
    "tonumber": _to_number,
    "lower": _one(lambda v: str(v).lower()),
    "upper": _one(lambda v: str(v).upper()),
    "trimspace": _one(lambda v: str(v).strip()),
    "keys": _one(lambda v: sorted(v)),
    "values": _one(lambda v: [v[k] for k in sorted(v)]),
    "compact": _one(lambda v: [x for x in v if x not in (None, "")]),
    "distinct": _to_set,
    "join": lambda a: to_text(known(a[0])).join(to_text(known(x)) for x in known(a[1])),
    "split": lambda a: to_text(known(a[1])).split(to_text(known(a[0]))),
    "replace": lambda a: to_text(known(a[0])).replace(
        to_text(known(a[1])), to_text(known(a[2]))
    ),
    "contains": lambda a: known(a[1]) in known(a[0]),
    "slice": lambda a: known(a[0])[int(known(a[1])) : int(known(a[2]))],
    "min": lambda a: min(known(x) for x in a),
    "max": lambda a: max(known(x) for x in a),
}
