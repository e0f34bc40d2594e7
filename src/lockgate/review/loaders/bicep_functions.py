"""The Bicep functions the review evaluates when their inputs are known.

Functions that ask Azure (``resourceGroup()``, ``subscription()``, ``reference()``,
``listKeys()``) or make up values (``uniqueString()``, ``guid()``, ``newGuid()``)
are not here, so their calls stay Unresolved. ``resourceId(type, names...)``
becomes a Ref to ``<type>/<names>``, the address the ARM loader also uses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from lockgate.review.loaders.hcl_functions import Unknown, known, to_text
from lockgate.review.model import Ref


def _format(arguments: list[Any]) -> Any:
    template, values = str(known(arguments[0])), [known(a) for a in arguments[1:]]

    def argument(match: re.Match[str]) -> str:
        return to_text(values[int(match.group(1))])

    return re.sub(r"\{(\d+)(?::[^}]*)?\}", argument, template)


def _concat(arguments: list[Any]) -> Any:
    values = [known(a) for a in arguments]
    if values and all(isinstance(v, list) for v in values):
        return [item for v in values for item in v]
    return "".join(to_text(v) for v in values)


def _union(arguments: list[Any]) -> Any:
    values = [known(a) for a in arguments]
    if all(isinstance(v, dict) for v in values):
        merged: dict[str, Any] = {}
        for value in values:
            merged.update(value)
        return merged
    combined: list[Any] = []
    for value in values:
        combined += [item for item in value if item not in combined]
    return combined


def _resource_id(arguments: list[Any]) -> Any:
    parts = [to_text(known(a)) for a in arguments]
    types = [i for i, p in enumerate(parts) if "/" in p and "." in p.split("/")[0]]
    if not types:
        raise Unknown("resourceId() without a resource type")
    kind, names = parts[types[-1]], parts[types[-1] + 1 :]
    return Ref(f"{kind}/{'/'.join(names)}")


def _empty(arguments: list[Any]) -> Any:
    value = known(arguments[0])
    return value is None or len(value) == 0


def _items(arguments: list[Any]) -> Any:
    mapping = known(arguments[0])
    return [{"key": k, "value": mapping[k]} for k in sorted(mapping)]


def _one(function: Callable[[Any], Any]) -> Callable[[list[Any]], Any]:
    return lambda arguments: function(known(arguments[0]))


FUNCTIONS: dict[str, Callable[[list[Any]], Any]] = {
    "format": _format,
    "concat": _concat,
    "union": _union,
    "resourceId": _resource_id,
    "subscriptionResourceId": _resource_id,
    "tenantResourceId": _resource_id,
    "empty": _empty,
    "items": _items,
    "any": lambda a: a[0],
    "json": _one(json.loads),
    "string": _one(to_text),
    "int": _one(int),
    "bool": _one(bool),
    "toLower": _one(lambda v: to_text(v).lower()),
    "toUpper": _one(lambda v: to_text(v).upper()),
    "trim": _one(lambda v: to_text(v).strip()),
    "length": _one(len),
    "first": _one(lambda v: v[0]),
    "last": _one(lambda v: v[-1]),
    "contains": lambda a: known(a[1]) in known(a[0]),
    "startsWith": lambda a: to_text(known(a[0])).startswith(to_text(known(a[1]))),
    "endsWith": lambda a: to_text(known(a[0])).endswith(to_text(known(a[1]))),
    "replace": lambda a: to_text(known(a[0])).replace(
        to_text(known(a[1])), to_text(known(a[2]))
    ),
    "split": lambda a: to_text(known(a[0])).split(to_text(known(a[1]))),
    "join": lambda a: to_text(known(a[1])).join(to_text(x) for x in known(a[0])),
    "take": lambda a: known(a[0])[: int(known(a[1]))],
    "skip": lambda a: known(a[0])[int(known(a[1])) :],
    "range": lambda a: list(
        range(int(known(a[0])), int(known(a[0])) + int(known(a[1])))
    ),
    "coalesce": lambda a: next((known(x) for x in a if known(x) is not None), None),
}
